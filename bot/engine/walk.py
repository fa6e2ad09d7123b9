"""A step that walks a list: the people of a branch one at a time, a decision for each (the
monthly review /xet, the quarterly survey /quy). The engine drives it (engine.py): it asks the
walk's current question, reads the answer with that question's field (a bad answer gets the
field's retry message and the same question again, as anywhere), then hands the value to the
walk, which acts on it (each decision is saved in the transaction of the message that made it)
and moves on. When the list ends, or the person stops, the step's answer is the walk's outcome.

Per person the questions are: the decision; for a removal, a reason from a list (or "khác" and
the words of another reason), then a confirmation. "quay lại" goes one question back: from the
confirmation to the reason, from the reason to the decision, from a decision to the person
before. The place in the list lives in the flow's state (ctx.state), kept with the conversation.
Subclasses say what the list is about and what a decision does.
"""

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.engine.fields import Field, Invalid, match_choice
from bot.engine.flow import Answers, Context
from bot.events import Choice
from bot.render import labels, text_of, words
from models.audit import audit
from models.candidate import Candidate, change_stage
from models.policy import Action, candidate_scope, roles_in
from models.privacy import carried_by, name_or_initials
from models.review import Sheet, candidates_by_id, walk_ids
from models.stage import Stage
from models.text import fold, tidy
from models.undo import UndoKind, remember

# Choice values shared by every list walk.
SKIP, PREV, FINISH, RESELECT = "skip", "prev", "finish", "reselect"
REASON_MAX_LEN = 500  # StageChange.reason
CONFIRM, CHANGE = "confirm_remove", "change_reason"  # at a removal's confirmation
REASON, OTHER = "reason:", "other"  # "reason:moved": a removal reason from the list
# The reasons offered for a removal (labels: removal_reason in messages/vi/common/labels.j2).
REMOVAL_REASONS = ("no_effort", "conduct", "moved", "withdrew", OTHER)
# What is asked about the person on the screen (the walk's state "asking").
DECIDE, ASK_REASON, ASK_OTHER, ASK_CONFIRM = "decide", "reason", "other", "confirm"


def choice(name: str, **values: Any) -> Choice:
    return Choice(text_of("review/choice", name=name, **values), name)


@dataclass(frozen=True)
class OptionField(Field):
    """One of the choices on the screen, by its number (the engine), its words or a part of them."""

    options: tuple[Choice, ...] = ()
    reasons: ClassVar[tuple[str, ...]] = ("empty", "choice_unknown")

    def parse(self, text: str, today: Any) -> Any:
        word = tidy(text)
        if not word:
            return Invalid("empty")
        if any(c.value == word for c in self.options):
            return word
        return match_choice(word, self.options) or self.unknown(word)

    def unknown(self, word: str) -> Any:
        return Invalid("choice_unknown", {"text": word[:50]})


@dataclass(frozen=True)
class ConfirmField(OptionField):
    """A removal's confirmation: "Đồng ý" (or yes), "Đổi lý do", "Chọn lại"."""

    def unknown(self, word: str) -> Any:
        return CONFIRM if fold(word) in words("yes") else super().unknown(word)


@dataclass(frozen=True)
class ReasonWordsField(Field):
    """The words of another reason for a removal (not a bare number: a choice typed too late)."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "walk_reason_words", "too_long")

    def parse(self, text: str, today: Any) -> Any:
        if text == RESELECT:
            return RESELECT
        why = tidy(text)
        if not why:
            return Invalid("empty")
        if not any(ch.isalpha() for ch in why):
            return Invalid("walk_reason_words")
        if len(why) > REASON_MAX_LEN:
            return Invalid("too_long", {"max_len": REASON_MAX_LEN, "length": len(why)})
        return why


@dataclass(frozen=True)
class Question:
    """One question of a walk: its template and values, the choices shown, the field that reads it."""

    prompt: str
    values: dict[str, Any]
    field: Field
    choices: tuple[Choice, ...] = ()


class Walk(Field):
    """A list of candidates, one at a time, until the list ends (see the module's docstring)."""

    area: ClassVar[str]  # template folder: "review", "survey"
    stages: ClassVar[tuple[Stage, ...]]
    action: ClassVar[Action] = Action.review
    removal_reasons: ClassVar[tuple[str, ...]] = REMOVAL_REASONS
    reasons: ClassVar[tuple[str, ...]] = (
        "empty", "choice_unknown", "too_long", "walk_reason_words", "walk_no_previous", "walk_refused")

    # --- what a kind of walk says and does (subclasses) ---------------------------------

    def period(self, ctx: Context) -> str:
        raise NotImplementedError

    def on(self, ctx: Context) -> Any:
        """The day the decisions are taken (a stage change's date): today unless a step said."""
        return ctx.today

    async def fetch(self, ctx: Context, candidate_id: int) -> Sheet | None:
        raise NotImplementedError

    def options(self, s: Sheet) -> list[Choice]:
        """The decisions offered for this person (before skip, previous, stop)."""
        raise NotImplementedError

    def decision_field(self, offered: tuple[Choice, ...]) -> Field:
        return OptionField(offered)

    async def decide(self, ctx: Context, state: dict, s: Sheet, value: str) -> Invalid | None:
        """Act on a decision of the person's own (not skip, previous, stop or a removal)."""
        raise NotImplementedError

    def removes(self, value: str) -> bool:
        """The decision that asks for a reason, then removes the person."""
        raise NotImplementedError

    def batch(self, state: dict) -> list[Choice]:
        """Decisions for everyone left at once (after the person's own); none by default."""
        return []

    def reason_text(self, key: str) -> str:
        """The words kept (and shown) for a reason chosen from the list."""
        return labels("removal_reason")[key]

    async def record_removal(self, ctx: Context, s: Sheet, why: str) -> Any:
        """Keep the review's own record of a removal; returns the earlier record, if any."""
        raise NotImplementedError

    def kept_in(self, ctx: Context) -> dict[str, str]:
        """Where the walk keeps its decisions, for undoing a removal (models/undo.py `remember`)."""
        raise NotImplementedError

    # --- the engine's side ----------------------------------------------------------------

    def scope(self, ctx: Context):
        return candidate_scope(ctx.actor, self.action)

    async def question(self, ctx: Context) -> Question | None:
        """What is asked now, or None when the walk is over."""
        state = ctx.state.get("walk")
        if state is None:
            ids = await walk_ids(session=ctx.session, where=self.scope(ctx), stages=self.stages)
            state = {"ids": ids, "pos": 0, "decided": {}, "asking": DECIDE, "note": None, "over": False}
        if state["over"]:
            ctx.state["walk"] = state
            return None
        s = await self.current(ctx, state)
        if s is None:  # the person on the screen is gone (moved on meanwhile): the next one
            state = {**state, "asking": DECIDE}
            s, state["pos"] = await self._from(ctx, state, state["pos"])
        ctx.state["walk"] = state
        if s is None:
            return None
        note = state["note"]
        shown = await carried_by(ctx.session, {s.candidate.branch_id, (note or {}).get("branch_id", 0)},
                                 ctx.incoming.channel)
        here = shown.get(s.candidate.branch_id, True)
        values = {**self.values(ctx, s, state), "area": self.area, "max_len": REASON_MAX_LEN, "shown": here,
                  "full_name": name_or_initials(s.candidate.full_name, here),
                  "sponsor": name_or_initials(s.sponsor, here)}
        if note:
            note = masked_note(note, shown)
        asking = state["asking"]
        if asking == ASK_REASON:
            names = labels("removal_reason")
            offered = tuple(Choice(names[k], REASON + k) for k in self.removal_reasons) + (choice(RESELECT),)
            return Question(f"{self.area}/ask_reason", values, OptionField(offered), offered)
        if asking == ASK_OTHER:
            offered = (choice(RESELECT),)
            return Question("walk/ask_other_reason", values, ReasonWordsField(), offered)
        if asking == ASK_CONFIRM:
            offered = tuple(choice(n) for n in (CONFIRM, CHANGE, RESELECT))
            return Question("walk/confirm_removal", {**values, "why": state["why"]}, ConfirmField(offered), offered)
        offered = self.options(s) + [choice(SKIP)]
        if await self._earlier(ctx, state) is not None:
            offered.append(choice(PREV))
        offered += self.batch(state)  # just before "stop"
        offered.append(choice(FINISH))
        return Question(f"{self.area}/screen", {**values, "note": note},
                        self.decision_field(tuple(offered)), tuple(offered))

    def seen(self, ctx: Context) -> None:
        """The question was shown: the note of the decision before it is not shown again."""
        if ctx.state.get("walk"):
            ctx.state["walk"] = {**ctx.state["walk"], "note": None}

    async def gone(self, ctx: Context) -> bool:
        """The person the last question was about has left the walk meanwhile (moved on in another
        conversation): an answer meant for them must not be taken for the next one."""
        state = ctx.state.get("walk")
        return (state is not None and not state["over"] and state["pos"] < len(state["ids"])
                and await self.current(ctx, state) is None)

    async def take(self, ctx: Context, value: Any) -> Invalid | None:
        """Act on a valid answer to the current question and move on; an Invalid when the
        answer is refused (a rule of the pipeline): the same question is asked again."""
        state = {**ctx.state["walk"], "note": None}
        ctx.state["walk"] = state
        s = await self.current(ctx, state)
        asking = state["asking"]
        if value == RESELECT:
            return self._ask(ctx, DECIDE)
        if asking == ASK_REASON:
            if value == REASON + OTHER:
                return self._ask(ctx, ASK_OTHER)
            return self._ask(ctx, ASK_CONFIRM, why=self.reason_text(value[len(REASON):]), typed=False)
        if asking == ASK_OTHER:
            return self._ask(ctx, ASK_CONFIRM, why=value, typed=True)
        if asking == ASK_CONFIRM:
            return await self._confirmed(ctx, state, s, value)
        if value == FINISH:
            ctx.state["walk"] = {**state, "over": True}
            return None
        if value == SKIP:
            return self.next(ctx, state, s, SKIP, self.note(s, SKIP))
        if value == PREV:
            return await self._previous(ctx, state)
        if self.removes(value):
            return self._ask(ctx, ASK_REASON)
        return await self.decide(ctx, state, s, value)

    async def back(self, ctx: Context) -> Any:
        """"quay lại": one question back. True when the walk moved back (its question is asked);
        an Invalid (said before the same question) when there is nothing before it in the walk."""
        state = ctx.state.get("walk")
        if state is None or state["over"] or await self.current(ctx, state) is None:
            return None
        ctx.state["walk"] = state = {**state, "note": None}
        asking = state["asking"]
        if asking == ASK_CONFIRM:
            return self._ask(ctx, ASK_OTHER if state.get("typed") else ASK_REASON) or True
        if asking in (ASK_OTHER, ASK_REASON):
            return self._ask(ctx, ASK_REASON if asking == ASK_OTHER else DECIDE) or True
        return await self._previous(ctx, state) or True

    def outcome(self, ctx: Context) -> dict[str, Any]:
        """The step's answer when the walk is over: what was decided, for the summary."""
        state = ctx.state["walk"]
        return {"ids": state["ids"], "pos": state["pos"], "decided": state["decided"], "note": state["note"]}

    def dump(self, value: Any) -> Any:
        return value

    # --- moving along -------------------------------------------------------------------

    async def current(self, ctx: Context, state: dict) -> Sheet | None:
        """The person on the screen, if they are still one this walk is about."""
        if state["pos"] >= len(state["ids"]):
            return None
        s = await self.fetch(ctx, state["ids"][state["pos"]])
        return s if s is not None and s.candidate.stage in self.stages else None

    async def _from(self, ctx: Context, state: dict, pos: int) -> tuple[Sheet | None, int]:
        """The first person at or after `pos` still in the walk, and their place."""
        while pos < len(state["ids"]):
            s = await self.fetch(ctx, state["ids"][pos])
            if s is not None and s.candidate.stage in self.stages:
                return s, pos
            pos += 1
        return None, pos

    async def _earlier(self, ctx: Context, state: dict) -> int | None:
        for pos in range(state["pos"] - 1, -1, -1):
            s = await self.fetch(ctx, state["ids"][pos])
            if s is not None and s.candidate.stage in self.stages:
                return pos
        return None

    async def _previous(self, ctx: Context, state: dict) -> Invalid | None:
        pos = await self._earlier(ctx, state)
        if pos is None:
            return Invalid("walk_no_previous")
        ctx.state["walk"] = {**state, "pos": pos, "asking": DECIDE}
        return None

    def _ask(self, ctx: Context, asking: str, **more: Any) -> None:
        ctx.state["walk"] = {**ctx.state["walk"], "asking": asking, **more}

    def values(self, ctx: Context, s: Sheet, state: dict) -> dict[str, Any]:
        return {"s": s, "days": (ctx.today - s.candidate.stage_since).days,
                "position": state["pos"] + 1, "total": len(state["ids"]), "period": self.period(ctx)}

    def next(self, ctx: Context, state: dict, s: Sheet, decided: str, note: dict) -> None:
        ctx.state["walk"] = {**state, "pos": state["pos"] + 1, "asking": DECIDE, "note": note,
                             "decided": {**state["decided"], str(s.candidate.id): decided}}

    def note(self, s: Sheet, kind: str, **more: Any) -> dict[str, Any]:
        c = s.candidate
        return {"kind": kind, "number": c.number, "full_name": c.full_name, "stage": c.stage,
                "branch_id": c.branch_id, "earlier": None, "why": None, **more}

    async def _confirmed(self, ctx: Context, state: dict, s: Sheet, value: str) -> Invalid | None:
        if value == CHANGE:
            return self._ask(ctx, ASK_REASON)
        why = state["why"]
        before, since = Stage(s.candidate.stage), s.candidate.stage_since
        refusal = await change_stage(
            session=ctx.session, candidate=s.candidate, to_stage=Stage.removed, on=self.on(ctx),
            today=ctx.today, reason=why, actor_roles=roles_in(ctx.actor, s.candidate.branch_id),
            by_person_id=ctx.actor.person_id, now=ctx.now)
        if refusal:
            return refused(refusal)
        earlier = await self.record_removal(ctx, s, why)
        await remember(session=ctx.session, candidate=s.candidate, kind=UndoKind.removal, stage_before=before,
                       since_before=since, by_person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today,
                       **self.kept_in(ctx))
        audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
              action=self.action, subject=f"candidate:{s.candidate.id}")
        return self.next(ctx, state, s, "remove", self.note(s, "remove", why=why, earlier=earlier))


def masked_note(note: dict[str, Any], shown: dict[int, bool]) -> dict[str, Any]:
    """The note of the decision before, as this channel may show it: on one the person's branch
    does not allow, the name as initials (models/privacy.py)."""
    if "full_name" not in note:  # "kept the rest": a count, no one named
        return note
    return {**note, "full_name": name_or_initials(note["full_name"], shown.get(note.get("branch_id", 0), True))}


def refused(refusal: Any) -> Invalid:
    """A rule of the pipeline refused the decision (models/pipeline.py): said, then asked again."""
    return Invalid("walk_refused", {"code": refusal.code, **refusal.values})


async def summary_groups(ctx: Context, outcome: Answers, order: tuple[str, ...]) -> dict[str, Any]:
    """The walk's outcome as groups of people per decision, in the walk's order."""
    decided: dict[str, str] = outcome["decided"]
    people = await candidates_by_id(session=ctx.session, ids=[int(i) for i in decided])
    groups: dict[str, list[Candidate]] = {}
    for cid in outcome["ids"]:
        if str(cid) in decided and cid in people:
            groups.setdefault(decided[str(cid)], []).append(people[cid])
    keys = [k for k in order if k in groups] + sorted(k for k in groups if k not in order)
    untouched = [i for i in outcome["ids"][outcome["pos"]:] if str(i) not in decided]
    # On a channel a branch does not allow, its people by initials (models/privacy.py).
    note = outcome.get("note")
    shown = await carried_by(ctx.session, {c.branch_id for c in people.values()} | {(note or {}).get("branch_id", 0)},
                             ctx.incoming.channel)
    rows = {k: [{"number": c.number, "stage": c.stage,
                 "full_name": name_or_initials(c.full_name, shown.get(c.branch_id, True))} for c in groups[k]]
            for k in keys}
    if note:
        note = masked_note(note, shown)
    return {"groups": [(k, rows[k]) for k in keys], "not_reached": len(untouched), "note": note}
