"""/hoso: a candidate's admission dossier as a checklist — what is there, what is missing or
too old — recording an item's date, starting the dossier, and whether it is ready to propose."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import ChoiceField, DateField, Field, Invalid, TextField, match_choice
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.render import labels, text_of
from handlers.shared.branches import candidate_branch
from handlers.shared.introducers import (
    STEPS as INTRODUCER_STEPS, IntroducerField, TogetherField, asked, asks_keep, asks_route, check_chosen, chosen,
    introducer_ok, keeps_date, letters_dated, new_date, together_ok, trade_union,
)
from bot.engine.pickers import CandidatePicker
from models.audit import audit
from models.candidate import Candidate, change_stage
from models.dossier_items import CURRENT_VERSION, Phase, items
from models.dossier import AdmissionRecord
from models.dossier_queries import (
    FROM_RECORD, Dossier, dossier, entries, ready_refusals, recognition_dossier, record_item, set_trade_union_route,
    start_dossier,
)
from models.introducers import set_introducers
from models.roster import has_roster
from models.eligibility import LETTERS_ITEM, check_certificate
from models.pipeline import check_transition
from models.policy import Action, roles_in, writes_for_branch
from models.privacy import name_or_initials, shows_names
from models.rules import Refusal
from models.stage import Stage
from models.text import fold, tidy

# Where a dossier can be started: with the class done (→ dossier), or already in it (a correction).
START_STAGES = frozenset({Stage.awareness_class, Stage.dossier})


def _text(key: str) -> str:
    return text_of(f"dossier/{key}")


def _problem(p: Any) -> dict[str, Any]:
    return {"code": p.code, "v": dict(p.values)}


def checklist(state: Dossier, today: date, shown: bool = True) -> Reply:
    """The checklist screen, with what can be done next as choices. A problem with an item is
    told on the item's own line; the summary below only counts them."""
    c = state.candidate
    problems = {r.values.get("item"): r for r in state.refusals}
    rows = [{"code": i.code, "dated": i.dated, "holder": name_or_initials(i.holder, shown), "source": i.source,
             "status": i.status,
             "before_vote": i.before_vote, "conditional": i.conditional, "applies": i.applies,
             "certificate_number": i.certificate_number, "class_title": i.class_title,
             "command": "/chinhthuc" if state.phase == Phase.recognition else "/ketnap",
             "notice": _problem(i.notice) if i.notice else None,
             "problem": _problem(problems[i.code]) if i.code in problems else None} for i in state.items]
    codes = {i.code for i in state.items}
    choices = [Choice(_text("choice_record"), f"/ghihoso id:{c.id}")]
    if state.phase == Phase.recognition:  # a probationary member: the admission file is closed
        return Reply("dossier/recognition_checklist", {
            "c": {"number": c.number, "full_name": name_or_initials(c.full_name, shown), "stage": str(c.stage),
                  "stage_since": c.stage_since},
            "rows": rows, "to_do": len(codes & problems.keys()), "voted": state.voted, "admitted": state.admitted,
        }, choices=tuple(choices))
    if c.stage == Stage.dossier or (c.stage == Stage.awareness_class and state.certificate_on):
        choices.append(Choice(_text("choice_start" if state.started_on is None else "choice_restart"),
                              f"/lamhoso id:{c.id}"))
    if c.stage == Stage.dossier:
        choices.append(Choice(_text("choice_propose"), f"/denghiketnap id:{c.id}"))
    return Reply("dossier/checklist", {
        "c": {"number": c.number, "full_name": name_or_initials(c.full_name, shown), "stage": str(c.stage),
              "stage_since": c.stage_since},
        "version": state.version, "started_on": state.started_on, "rows": rows,
        "to_do": len(codes & problems.keys()),
        "refusals": [_problem(r) for r in state.refusals if r.values.get("item") not in codes],
        "notices": [_problem(n) for n in state.notices],
        "today": today, "voted": state.voted,
    }, choices=tuple(choices))


async def _candidate(ctx: Context, value: dict[str, Any]) -> Candidate:
    return await ctx.session.get(Candidate, value["id"])


def _audit(ctx: Context, candidate_id: int) -> None:
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.manage_dossier,
          subject=f"candidate:{candidate_id}")


def _mine(ctx: Context, candidate: Candidate) -> Invalid | None:
    """Only the secretary or deputy of the candidate's own branch works on the dossier."""
    if not writes_for_branch(ctx.actor, candidate.branch_id):
        return Invalid("candidate_not_found", {"text": str(candidate.number)})
    return None


# ---- /hoso: the checklist -------------------------------------------------------------------

async def file_of(ctx: Context, candidate: Candidate) -> Dossier:
    """The file being made: the recognition file for a probationary member, else the admission file."""
    if candidate.stage == Stage.probationary:
        return await recognition_dossier(session=ctx.session, candidate=candidate, today=ctx.today)
    return await dossier(session=ctx.session, candidate=candidate, today=ctx.today)


async def show_dossier(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await _candidate(ctx, answers["candidate"])
    _audit(ctx, candidate.id)
    return [checklist(await file_of(ctx, candidate), ctx.today,
                      await shows_names(ctx.session, candidate.branch_id, ctx.incoming.channel))]


DOSSIER_FIELD = CandidatePicker(action=Action.manage_dossier)

view_flow = Flow(
    name="dossier",
    commands=("/hoso",),
    action=Action.manage_dossier,
    help="help/hoso",
    steps=(Ask("candidate", "dossier/ask_candidate", DOSSIER_FIELD),),
    done=show_dossier,
)


# ---- /ghihoso: record an item's date ----------------------------------------------------------

def _form_order(codes: list[str]) -> list[str]:
    """Numbered forms by their number (so "3" picks 3-KNĐ), the others after them."""
    def key(code: str) -> tuple[int, int]:
        head = code.split("-", 1)[0]
        return (0, int(head)) if head.isdigit() else (1, codes.index(code))
    return sorted(codes, key=key)


# Recorded with the recognition vote and decision (/chinhthuc), not as entries.
RECOGNITION_FROM_RECORD = frozenset({"13-KNĐ", "16-KNĐ"})


def item_codes(version: str = CURRENT_VERSION, phase: Phase = Phase.admission) -> list[str]:
    """The items /ghihoso offers: the admission file's; for a probationary member the
    recognition file's (the new-member class certificate, 10-KNĐ..12-KNĐ, 14/15-KNĐ)."""
    return _form_order([i.code for i in items(version, phase) if i.code not in RECOGNITION_FROM_RECORD])


def item_of(answers: Answers) -> str:
    return answers.get("item") or answers["recognition_item"]


def probationary(a: Answers) -> bool:
    return a.get("candidate") is not None and a["candidate"].get("stage") == Stage.probationary


def not_probationary(a: Answers) -> bool:
    return not probationary(a)


@dataclass(frozen=True)
class ItemField(Field):
    """An admission item of the checklist: its number in the list, its form code, or its name."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "dossier_item_unknown", "dossier_item_elsewhere")
    phase: Phase = Phase.admission

    def choices(self) -> tuple[Choice, ...]:
        names = labels("dossier_item")
        return tuple(Choice(f"{code} {names[code]}", code) for code in item_codes(phase=self.phase))

    def parse(self, text: str, today: date) -> Any:
        if not tidy(text):
            return Invalid("empty", choices=self.choices())
        code = match_choice(text, self.choices())
        if code is None:
            return Invalid("dossier_item_unknown", {"text": tidy(text)[:50]}, choices=self.choices())
        if code in FROM_RECORD:
            return Invalid("dossier_item_elsewhere", {"item": code}, choices=self.choices())
        return code

    def show(self, value: Any) -> str:
        return f"{value} ({labels('dossier_item')[value]})"


async def item_check(ctx: Context, answers: Answers) -> Invalid | None:
    candidate = await _candidate(ctx, answers["candidate"])
    problem = _mine(ctx, candidate)
    if problem:
        return problem
    phase = Phase.recognition if candidate.stage == Stage.probationary else Phase.admission
    if item_of(answers) not in item_codes(phase=phase):
        return Invalid("dossier_item_unknown", {"text": item_of(answers)})
    if keeps_date(answers):
        return await check_chosen(ctx, answers)
    return after_birth(answers["dated"], {**answers, "candidate": {"birth_date": candidate.birth_date.isoformat()}},
                       ctx) or await check_chosen(ctx, answers)


def after_birth(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    born = date.fromisoformat(answers["candidate"]["birth_date"])
    if value < born:
        return Invalid("dossier_before_birth", {"birth_date": born})
    return None


async def item_done(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await _candidate(ctx, answers["candidate"])
    kept = keeps_date(answers)
    before = None if kept else await record_item(
        session=ctx.session, candidate_id=candidate.id, item=item_of(answers), dated=answers["dated"],
        holder=answers.get("holder"), now=ctx.now)
    introducers = chosen(answers)
    if introducers:
        await set_introducers(ctx.session, candidate_id=candidate.id, now=ctx.now,
                              chosen=[(who["id"], since) for who, since in introducers])
    if asks_route(answers):
        await set_trade_union_route(session=ctx.session, candidate_id=candidate.id, trade_union=trade_union(answers),
                                    now=ctx.now)
    _audit(ctx, candidate.id)
    state = await file_of(ctx, candidate)
    shown = await shows_names(ctx.session, candidate.branch_id, ctx.incoming.channel)
    return [Reply("dossier/item_saved", {
        "full_name": name_or_initials(candidate.full_name, shown), "item": item_of(answers),
        "dated": letters_dated(answers) if kept else answers["dated"], "kept": kept,
        "trade_union": trade_union(answers), "holder": name_or_initials(answers.get("holder"), shown),
        "before": before.dated if before else None,
        "introducers": [{"name": name_or_initials(who["name"], shown), "since": since} for who, since in introducers],
    }), checklist(state, ctx.today, shown)]


@dataclass(frozen=True)
class ItemCandidateField(CandidatePicker):
    """The candidate, with whether they are a Youth Union member (one introducer or two),
    whether their branch keeps a roster (where it keeps none, no introducer can be picked) and
    the day their 3-KNĐ letters are dated, if they are (the introducers may be added alone)."""

    async def picked(self, ctx: Context, candidate: Candidate) -> Any:
        letters_entry = (await entries(session=ctx.session, candidate_id=candidate.id)).get(LETTERS_ITEM)
        return {**await super().picked(ctx, candidate), "youth_union": candidate.youth_union,
                "has_roster": await has_roster(session=ctx.session, org_id=candidate.branch_id),
                "letters_on": letters_entry.dated.isoformat() if letters_entry else None}


ITEM_CANDIDATE_FIELD = ItemCandidateField(action=Action.manage_dossier)


def _item_word(word: str) -> str | None:
    """An admission item's code typed after the candidate ("3-KNĐ", "3-knd", "3knd"), else None."""
    key = fold(word).replace("-", "").replace("đ", "d")
    codes = {fold(c).replace("-", "").replace("đ", "d"): c for c in item_codes()}
    return codes.get(key) if not key.isdigit() else None


async def item_start(ctx: Context, args: str) -> Start:
    """"/ghihoso 6 3-KNĐ": the candidate and the item at once (the vote's refusal names it, to
    add the introducers to letters already dated). Anything else is the candidate's words."""
    head, _, last = tidy(args).rpartition(" ")
    code = _item_word(last) if head else None
    if code is None:
        return Start()
    value = await ITEM_CANDIDATE_FIELD.resolve(head, ctx)
    if isinstance(value, Invalid) or value["stage"] == Stage.probationary:
        return Start()
    return Start(answers={"candidate": value, "item": code})


async def item_facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """The branch (for a person of several) and the letters' date kept."""
    facts = await candidate_branch(Action.manage_dossier)(ctx, answers)
    return {**facts, "kept_on": letters_dated(answers).isoformat()} if keeps_date(answers) else facts


def introducer_steps() -> tuple[Ask, ...]:
    """With the 3-KNĐ letters: who wrote them (handlers/shared/introducers.py)."""
    steps: list[Ask] = []
    for position, (who, since) in enumerate(INTRODUCER_STEPS):
        steps += [
            Ask(who, f"dossier/ask_{who}", IntroducerField(), when=asked(position), validate=introducer_ok(position),
                label=f"dossier/label_{who}"),
            Ask(since, f"dossier/ask_{since}", TogetherField(past_only=True), when=asked(position),
                validate=together_ok(position), label=f"dossier/label_{since}"),
        ]
    return tuple(steps)


@dataclass(frozen=True)
class DatedField(DateField):
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("dossier_before_birth",)


item_flow = Flow(
    name="dossier_item",
    commands=("/ghihoso",),
    action=Action.manage_dossier,
    help="help/ghihoso",
    steps=(
        Ask("candidate", "dossier/ask_item_candidate", ITEM_CANDIDATE_FIELD, label="dossier/label_candidate"),
        Ask("item", "dossier/ask_item", ItemField(), when=not_probationary, label="dossier/label_item"),
        Ask("recognition_item", "dossier/ask_recognition_item", ItemField(phase=Phase.recognition), when=probationary,
            label="dossier/label_item"),
        Ask("letters", "dossier/ask_letters", ChoiceField(group="letters_keep"), when=asks_keep,
            label="dossier/label_letters"),
        Ask("dated", "dossier/ask_dated", DatedField(past_only=True), validate=after_birth, when=new_date,
            label="dossier/label_dated"),
        Ask("route", "dossier/ask_route", ChoiceField(group="introducer_route"), when=asks_route,
            label="dossier/label_route"),
        *introducer_steps(),
        Ask("holder", "dossier/ask_holder", TextField(max_len=120, optional=True), when=new_date,
            label="dossier/label_holder"),
    ),
    confirm="dossier/confirm_item",
    check=item_check,
    start=item_start,
    facts=item_facts,
    done=item_done,
)


# ---- /lamhoso: start the dossier ----------------------------------------------------------------

@dataclass(frozen=True)
class StartCandidateField(CandidatePicker):
    """The candidate, with the date of their awareness class certificate (if any)."""

    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + ("dossier_cannot_start", "dossier_no_certificate")

    async def picked(self, ctx: Context, candidate: Candidate) -> Any:
        value = await super().picked(ctx, candidate)
        state = await dossier(session=ctx.session, candidate=candidate, today=ctx.today)
        return {**value, "certificate_on": state.certificate_on.isoformat() if state.certificate_on else None}


def may_start(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    if Stage(value["stage"]) not in START_STAGES:
        return Invalid("dossier_cannot_start", {"full_name": value["full_name"], "stage": value["stage"]})
    if value["stage"] == Stage.awareness_class and not value.get("certificate_on"):
        return Invalid("dossier_no_certificate", {"full_name": value["full_name"]})
    return None


@dataclass(frozen=True)
class StartedOnField(DateField):
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("dossier_refused",)


def refused(refusal: Refusal) -> Invalid:
    """A rule's refusal as a reason to ask again (its words are refusal/<code>.j2)."""
    return Invalid("dossier_refused", {"code": refusal.code, **refusal.values})


async def start_check(ctx: Context, answers: Answers) -> Invalid | None:
    candidate = await _candidate(ctx, answers["candidate"])
    problem = _mine(ctx, candidate)
    if problem:
        return problem
    if Stage(candidate.stage) not in START_STAGES:
        return Invalid("dossier_cannot_start", {"full_name": candidate.full_name, "stage": str(candidate.stage)})
    if candidate.stage != Stage.awareness_class:
        return None
    state = await dossier(session=ctx.session, candidate=candidate, today=ctx.today)
    on = answers["started_on"]
    refusal = check_certificate(state.certificate_on, on) or check_transition(
        candidate.stage, Stage.dossier, actor_roles=roles_in(ctx.actor, candidate.branch_id), on=on,
        today=ctx.today, last_change_on=candidate.stage_since)
    return refused(refusal) if refusal else None


async def start_done(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await _candidate(ctx, answers["candidate"])
    on = answers["started_on"]
    moved = candidate.stage == Stage.awareness_class
    if moved:
        refusal = await change_stage(
            session=ctx.session, candidate=candidate, to_stage=Stage.dossier, on=on, today=ctx.today,
            reason=None, actor_roles=roles_in(ctx.actor, candidate.branch_id),
            by_person_id=ctx.actor.person_id, now=ctx.now)
        if refusal:
            return [Reply(f"refusal/{refusal.code}", refusal.values)]
    before = await start_dossier(session=ctx.session, candidate_id=candidate.id, on=on, now=ctx.now)
    _audit(ctx, candidate.id)
    state = await dossier(session=ctx.session, candidate=candidate, today=ctx.today)
    shown = await shows_names(ctx.session, candidate.branch_id, ctx.incoming.channel)
    return [Reply("dossier/started", {"full_name": name_or_initials(candidate.full_name, shown), "on": on,
                                      "moved": moved, "before": before}),
            checklist(state, ctx.today, shown)]


async def start_facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """Beside the confirmation: the branch (for a secretary of several) and, for someone already
    making their dossier, the start date that the new one replaces (no stage change then)."""
    facts = await candidate_branch(Action.manage_dossier)(ctx, answers)
    value = answers.get("candidate")
    if value and value["stage"] == Stage.dossier:
        record = await ctx.session.get(AdmissionRecord, value["id"])
        started = record.dossier_started_on if record else None
        facts = {**facts, "correcting": True, "started_before": started.isoformat() if started else None}
    return facts


start_flow = Flow(
    name="dossier_start",
    commands=("/lamhoso",),
    action=Action.manage_dossier,
    help="help/lamhoso",
    steps=(
        Ask("candidate", "dossier/ask_start_candidate", StartCandidateField(action=Action.manage_dossier),
            validate=may_start, label="dossier/label_candidate"),
        Ask("started_on", "dossier/ask_started_on", StartedOnField(past_only=True), label="dossier/label_started_on"),
    ),
    confirm="dossier/confirm_start",
    check=start_check,
    facts=start_facts,
    done=start_done,
)


# ---- /denghiketnap: is the dossier ready for the branch's vote? ------------------------------------

@dataclass(frozen=True)
class ProposeCandidateField(CandidatePicker):
    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + ("dossier_not_in_dossier",)


def in_dossier(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    if value["stage"] != Stage.dossier:
        return Invalid("dossier_not_in_dossier", {"full_name": value["full_name"], "stage": value["stage"]})
    return None


async def propose(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await _candidate(ctx, answers["candidate"])
    state = await dossier(session=ctx.session, candidate=candidate, today=ctx.today)
    problems = ready_refusals(state, on=ctx.today)
    _audit(ctx, candidate.id)
    back = (Choice(_text("choice_view"), f"/hoso id:{candidate.id}"),)
    values = {"number": candidate.number, "full_name": candidate.full_name, "today": ctx.today,
              "notices": [_problem(n) for n in state.notices]
              + [_problem(i.notice) for i in state.items if i.notice]}
    if problems:
        return [Reply("dossier/not_ready", {**values, "problems": [_problem(p) for p in problems]},
                      choices=(Choice(_text("choice_record"), f"/ghihoso id:{candidate.id}"),) + back)]
    return [Reply("dossier/ready", values, choices=back)]


propose_flow = Flow(
    name="dossier_propose",
    commands=("/denghiketnap",),
    action=Action.manage_dossier,
    help="help/denghiketnap",
    steps=(Ask("candidate", "dossier/ask_propose_candidate", ProposeCandidateField(action=Action.manage_dossier),
               validate=in_dossier),),
    done=propose,
)

routes = [view_flow, item_flow, start_flow, propose_flow]
