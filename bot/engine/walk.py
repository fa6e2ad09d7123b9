"""A step that walks a list: the people of a branch one screen each, a decision saved as it is
made, until the list ends or the person stops (the monthly review /xet, the quarterly survey
/quy). A removal on the way asks its reason from a list (or in words) and confirms.

The step is a Field whose every screen is an Invalid naming the screen's template, so that the
engine asks it again and again; the place in the list lives in the flow's state (ctx.state),
which the engine keeps with the conversation. Subclasses say what the list is about.
"""

from typing import Any, ClassVar

from bot.engine.fields import Field, Invalid, match_choice
from bot.engine.flow import Answers, Context
from bot.events import Choice
from bot.render import labels, text_of, words
from models.audit import audit
from models.candidate import Candidate, change_stage
from models.policy import Action, candidate_scope, roles_in
from models.review import Sheet, candidates_by_id, walk_ids
from models.stage import Stage
from models.text import fold, tidy
from models.undo import UndoKind, remember

# Choice values shared by every list walk ("back" is one of the engine's words for "quay lại").
RESUME, SKIP, PREV, FINISH, RESELECT = "resume", "skip", "prev", "finish", "reselect"
REASON_MAX_LEN = 500  # StageChange.reason
CONFIRM, CHANGE = "confirm_remove", "change_reason"  # at a removal's confirmation
REASON, OTHER = "reason:", "other"  # "reason:moved": a removal reason from the list
# The reasons offered for a removal (labels: removal_reason in messages/vi/common/labels.j2).
REMOVAL_REASONS = ("no_effort", "conduct", "moved", "withdrew", OTHER)


class Walk(Field):
    """A step asked again and again: a list of candidates, one screen each, until the list ends.

    Each screen is the step's retry (an Invalid naming the screen template), with choices that
    fit the person on it; a decision is saved the moment it is made. The place in the list is
    kept in the flow's state (ctx.state), which the engine saves with the conversation. When the list ends (or
    the person chooses to stop) the step's answer is the walk's outcome, and the flow's `done`
    sums it up.
    """

    area: ClassVar[str]  # template folder: "review", "survey"
    stages: ClassVar[tuple[Stage, ...]]
    action: ClassVar[Action] = Action.review

    # --- what a kind of walk says and does (subclasses) ---------------------------------

    def period(self, ctx: Context) -> str:
        raise NotImplementedError

    async def fetch(self, ctx: Context, candidate_id: int) -> Sheet | None:
        raise NotImplementedError

    def options(self, s: Sheet) -> list[Choice]:
        """The decisions offered for this person (before skip, previous, stop)."""
        raise NotImplementedError

    async def decide(self, ctx: Context, state: dict, s: Sheet, value: str) -> Any:
        raise NotImplementedError

    def batch(self, state: dict) -> list[Choice]:
        """Decisions for everyone left at once (after the person's own); none by default."""
        return []

    async def free_words(self, ctx: Context, state: dict, s: Sheet, words: str) -> Any:
        """Typed words that are no choice; None when they mean nothing here."""
        return None

    removal_reasons: ClassVar[tuple[str, ...]] = REMOVAL_REASONS

    def reason_text(self, key: str) -> str:
        """The words kept (and shown) for a reason chosen from the list."""
        return labels("removal_reason")[key]

    async def record_removal(self, ctx: Context, s: Sheet, why: str) -> Any:
        """Keep the review's own record of a removal; returns the earlier record, if any."""
        raise NotImplementedError

    def kept_in(self, ctx: Context) -> dict[str, str]:
        """Where the walk keeps its decisions, for undoing a removal (models/undo.py `remember`)."""
        raise NotImplementedError

    def reason_choices(self) -> list[Choice]:
        names = labels("removal_reason")
        return [Choice(names[k], REASON + k) for k in self.removal_reasons] + [
            Choice(text_of("review/choice", name=RESELECT), RESELECT)]

    # --- the loop -----------------------------------------------------------------------

    def choices(self) -> tuple[Choice, ...]:
        # Offered when the step is asked by the engine (start, after another command, "quay lại").
        return (Choice(text_of("review/choice", name=RESUME), RESUME),)

    def scope(self, ctx: Context):
        return candidate_scope(ctx.actor, self.action)

    async def resolve(self, text: str, ctx: Context) -> Any:
        state = ctx.state.get("walk")
        if state is None:
            ids = await walk_ids(session=ctx.session, where=self.scope(ctx), stages=self.stages)
            return await self.show(ctx, {"ids": ids, "pos": 0, "pending": None, "decided": {}})
        word = tidy(text)
        if word == RESUME:
            return await self.show(ctx, state)
        s = await self.current(ctx, state)
        if s is None:
            return await self.show(ctx, {**state, "pending": None})
        if state.get("pending") is not None:
            return await self._reason(ctx, state, s, word)
        return await self._choose(ctx, state, s, word)

    async def current(self, ctx: Context, state: dict) -> Sheet | None:
        """The person on the screen, if they are still one this walk is about."""
        if state["pos"] >= len(state["ids"]):
            return None
        s = await self.fetch(ctx, state["ids"][state["pos"]])
        return s if s is not None and s.candidate.stage in self.stages else None

    async def show(self, ctx: Context, state: dict, *, note: dict | None = None,
                   problem: str | None = None, **extra: Any) -> Any:
        """The screen of the person at the current place (or the next one still in the list)."""
        ids, pos = state["ids"], state["pos"]
        s = None
        while pos < len(ids):
            s = await self.fetch(ctx, ids[pos])
            if s is not None and s.candidate.stage in self.stages:
                break
            pos += 1
        state = {**state, "pos": pos, "pending": None}
        if pos >= len(ids):
            return self.outcome(state, note)
        ctx.state["walk"] = state
        # The person's own decisions keep their numbers on every screen; a batch comes just before "stop".
        choices = self.options(s) + [Choice(text_of("review/choice", name=SKIP), SKIP)]
        if pos > 0:
            choices.append(Choice(text_of("review/choice", name=PREV), PREV))
        choices += self.batch(state)
        choices.append(Choice(text_of("review/choice", name=FINISH), FINISH))
        return Invalid(f"{self.area}_screen", {**self.values(ctx, s, state), "note": note,
                                                "problem": problem, **extra}, choices=tuple(choices))

    def values(self, ctx: Context, s: Sheet, state: dict) -> dict[str, Any]:
        return {"s": s, "days": (ctx.today - s.candidate.stage_since).days,
                "position": state["pos"] + 1, "total": len(state["ids"]), "period": self.period(ctx)}

    def outcome(self, state: dict, note: dict | None) -> dict[str, Any]:
        """The step's answer when the walk is over: what was decided, for the summary."""
        return {"ids": state["ids"], "pos": state["pos"], "decided": state["decided"], "note": note}

    async def next(self, ctx: Context, state: dict, s: Sheet, decided: str, note: dict) -> Any:
        state = {**state, "pos": state["pos"] + 1,
                 "decided": {**state["decided"], str(s.candidate.id): decided}}
        return await self.show(ctx, state, note=note)

    def note(self, s: Sheet, kind: str, **more: Any) -> dict[str, Any]:
        c = s.candidate
        return {"kind": kind, "number": c.number, "full_name": c.full_name, "stage": c.stage,
                "earlier": None, "why": None, **more}

    async def _choose(self, ctx: Context, state: dict, s: Sheet, word: str) -> Any:
        offered = self.options(s) + self.batch(state) + [
            Choice(text_of("review/choice", name=n), n) for n in (SKIP, PREV, FINISH)]
        value = word if any(c.value == word for c in offered) else match_choice(word, tuple(offered))
        if value is None:
            if not word:
                return await self.show(ctx, state, problem="invalid/empty")
            free = await self.free_words(ctx, state, s, word)
            if free is not None:
                return free
            return await self.show(ctx, state, problem="invalid/choice_unknown", text=word[:50])
        if value == FINISH:
            return self.outcome(state, None)
        if value == SKIP:
            return await self.next(ctx, state, s, SKIP, self.note(s, SKIP))
        if value == PREV:
            return await self._previous(ctx, state)
        return await self.decide(ctx, state, s, value)

    async def _previous(self, ctx: Context, state: dict) -> Any:
        for pos in range(state["pos"] - 1, -1, -1):
            s = await self.fetch(ctx, state["ids"][pos])
            if s is not None and s.candidate.stage in self.stages:
                return await self.show(ctx, {**state, "pos": pos})
        return await self.show(ctx, state, problem="review/no_previous")

    # --- removal: a reason from the list (or "other" and its words), then a confirmation ---
    #
    # While a removal is under way the walk's state holds `pending` (the person's id) and
    # `asking`: "reason" (the list), "other" (the words of an "other" reason) or "confirm";
    # with "confirm", `why` is the reason and `typed` says whether it was typed.

    async def ask_reason(self, ctx: Context, state: dict, s: Sheet, problem: str | None = None,
                         **extra: Any) -> Invalid:
        return self._removal(ctx, state, s, "reason", f"{self.area}_reason", problem,
                             tuple(self.reason_choices()), **extra)

    def _removal(self, ctx: Context, state: dict, s: Sheet, asking: str, template: str,
                 problem: str | None, choices: tuple[Choice, ...], **extra: Any) -> Invalid:
        state = {**state, "pending": s.candidate.id, "asking": asking, **extra}
        ctx.state["walk"] = state
        return Invalid(template, {**self.values(ctx, s, state), "problem": problem, "area": self.area,
                                  "max_len": REASON_MAX_LEN, **extra}, choices=choices)

    def _ask_other(self, ctx: Context, state: dict, s: Sheet, problem: str | None = None,
                   **extra: Any) -> Invalid:
        return self._removal(ctx, state, s, "other", "removal_other", problem,
                             (Choice(text_of("review/choice", name=RESELECT), RESELECT),), **extra)

    def _confirm(self, ctx: Context, state: dict, s: Sheet, why: str, typed: bool,
                 problem: str | None = None, **extra: Any) -> Invalid:
        choices = tuple(Choice(text_of("review/choice", name=n), n) for n in (CONFIRM, CHANGE, RESELECT))
        return self._removal(ctx, state, s, "confirm", "removal_confirm", problem, choices,
                             why=why, typed=typed, **extra)

    async def _reason(self, ctx: Context, state: dict, s: Sheet, word: str) -> Any:
        if s.candidate.id != state["pending"]:
            return await self.show(ctx, state)
        asking = state.get("asking", "reason")
        if asking == "other":
            return await self._other(ctx, state, s, word)
        if asking == "confirm":
            return await self._confirmation(ctx, state, s, word)
        offered = self.reason_choices()
        value = word if any(c.value == word for c in offered) else match_choice(word, tuple(offered))
        if value is None:
            if not word:
                return await self.ask_reason(ctx, state, s, "invalid/empty")
            return await self.ask_reason(ctx, state, s, "invalid/choice_unknown", text=word[:50])
        if value == RESELECT:
            return await self.show(ctx, state)
        if value == REASON + OTHER:
            return self._ask_other(ctx, state, s)
        return self._confirm(ctx, state, s, self.reason_text(value[len(REASON):]), typed=False)

    async def _other(self, ctx: Context, state: dict, s: Sheet, word: str) -> Any:
        if word == RESELECT:
            return await self.show(ctx, state)
        why = tidy(word)
        if not why:
            return self._ask_other(ctx, state, s, "invalid/empty")
        if not any(ch.isalpha() for ch in why):  # "3": a choice typed after the screen changed
            return self._ask_other(ctx, state, s, "review/reason_words")
        if len(why) > REASON_MAX_LEN:
            return self._ask_other(ctx, state, s, "invalid/too_long", length=len(why))
        return self._confirm(ctx, state, s, why, typed=True)

    async def _confirmation(self, ctx: Context, state: dict, s: Sheet, word: str) -> Any:
        offered = tuple(Choice(text_of("review/choice", name=n), n) for n in (CONFIRM, CHANGE, RESELECT))
        value = word if any(c.value == word for c in offered) else match_choice(word, offered)
        if value is None and fold(word) in words("yes"):
            value = CONFIRM
        if value == RESELECT:
            return await self.show(ctx, state)
        if value == CHANGE:
            return await self.ask_reason(ctx, state, s)
        if value != CONFIRM:
            problem = "invalid/choice_unknown" if word else "invalid/empty"
            return self._confirm(ctx, state, s, state["why"], state["typed"], problem, text=word[:50])
        return await self._remove(ctx, state, s, state["why"])

    async def back(self, ctx: Context) -> Any:
        """"quay lại" inside the walk: one question back (None: the engine's own back)."""
        state = ctx.state.get("walk")
        if state is None:
            return None
        s = await self.current(ctx, state)
        if s is None:
            return None
        if state.get("pending") == s.candidate.id:
            asking = state.get("asking", "reason")
            if asking == "confirm" and state.get("typed"):
                return self._ask_other(ctx, state, s)
            if asking in ("confirm", "other"):
                return await self.ask_reason(ctx, state, s)
            return await self.show(ctx, state)
        for pos in range(state["pos"] - 1, -1, -1):
            earlier = await self.fetch(ctx, state["ids"][pos])
            if earlier is not None and earlier.candidate.stage in self.stages:
                return await self.show(ctx, {**state, "pos": pos})
        return None

    async def _remove(self, ctx: Context, state: dict, s: Sheet, why: str) -> Any:
        before, since = Stage(s.candidate.stage), s.candidate.stage_since
        refusal = await change_stage(
            session=ctx.session, candidate=s.candidate, to_stage=Stage.removed, on=ctx.today,
            today=ctx.today, reason=why, actor_roles=roles_in(ctx.actor, s.candidate.branch_id),
            by_person_id=ctx.actor.person_id, now=ctx.now)
        if refusal:
            return await self.show(ctx, state, problem=f"refusal/{refusal.code}", **refusal.values)
        earlier = await self.record_removal(ctx, s, why)
        await remember(session=ctx.session, candidate=s.candidate, kind=UndoKind.removal, stage_before=before,
                       since_before=since, by_person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today,
                       **self.kept_in(ctx))
        audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
              action=self.action, subject=f"candidate:{s.candidate.id}")
        return await self.next(ctx, state, s, "remove",
                               self.note(s, "remove", why=why, earlier=earlier))



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
    return {"groups": [(k, groups[k]) for k in keys], "not_reached": len(untouched),
            "note": outcome.get("note")}
