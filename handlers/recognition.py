"""/chinhthuc: the branch records a probationary member's recognition (vote, then decision) or striking off."""

from typing import Any

from bot.events import Reply
from bot.engine.fields import TextField
from bot.engine.flow import Answers, Ask, Context, Flow
from handlers.shared.branches import candidate_branch
from handlers.shared.admission_steps import (
    Cond,
    explain,
    CountField,
    FactDateField,
    OptionField,
    SubjectField,
    counts,
    roster_members,
    fresh_check,
    keep,
    label,
    on_date,
    save_fact,
    saved_reply,
    subject_ok,
    subject_start,
    typed_members,
)
from models.admission import (
    RECOGNITION_STAGES,
    Extended,
    Extension,
    already_extended,
    extension_refusal,
    Fact,
    Recognition,
    RecognitionVoteFailed,
    StrikeOff,
    Subject,
    key_dates,
    recognition_vote,
    recognition_date_refusal,
    recognition_vote_date_refusal,
    strike_date_refusal,
)
from models.pipeline import votes_needed
from models.policy import Action
from models.rules import Refusal
from models.stage import Stage

CHINHTHUC = "/chinhthuc"
RECOGNITION_FIELD = SubjectField(action=Action.record_admission, stages=RECOGNITION_STAGES)


def recognition_allowed(s: Subject) -> Refusal | None:
    if s.stage not in RECOGNITION_STAGES:
        return Refusal("admission_wrong_stage", {"stage": s.stage, "allowed": RECOGNITION_STAGES,
                                                "who": f"{s.number}. {s.full_name}"})
    return None


def recognition_phase(s: Subject) -> str:
    """Before the branch's resolution the branch votes; after it, the committee decides."""
    if s.stage != Stage.probationary:
        return s.stage.value
    return "vote" if s.recognition_resolution_on is None else "decision"


async def recognition_summary(ctx: Context, s: Subject) -> list[Reply]:
    return [Reply("admission/recognition_summary", {"s": s, "k": key_dates(s, ctx.today)})]


def recognition_action(a: Answers) -> str | None:
    return a.get("branch_action") or a.get("decision_action")


def recognition_fact(a: Answers) -> Fact:
    action = recognition_action(a)
    if action == "vote":  # short of 2/3 it is kept as a failed vote
        return recognition_vote(a["vote_on"], a["votes_for"], roster_members(a), typed=not a["candidate"].has_roster)
    if action == "recognise":
        return Recognition(on=a["decision_on"], number=a["decision_number"])
    if action == "extend":
        return Extension(kind=Extended.recognition, on=a["extended_on"], by=a["extended_by"])
    return StrikeOff(on=a["strike_on"], reason=a["strike_reason"])


async def recognition_done(ctx: Context, answers: Answers) -> list[Reply]:
    fact = recognition_fact(answers)
    outcome = await save_fact(ctx, answers, fact, action=Action.record_admission, area="admission")
    if isinstance(outcome, Reply):
        return [outcome]
    return [saved_reply(fact, *outcome, ctx.today)]


async def recognition_facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """Beside the answers on the confirmation screen: the branch (for a person of several), and a
    recognition vote short of 2/3, which is saved as failed."""
    facts = await candidate_branch(Action.record_admission)(ctx, answers)
    if recognition_action(answers) != "vote" or roster_members(answers) is None or "votes_for" not in answers:
        return facts
    facts = {**facts, "official_members": roster_members(answers), "from_roster": answers["candidate"].has_roster}
    fact = recognition_fact(answers)
    if not isinstance(fact, RecognitionVoteFailed):
        return facts
    return {**facts, "vote_failed": True, "votes_for": fact.votes_for, "official_members": fact.official_members,
            "votes_needed": votes_needed(fact.official_members)}


def phase_is(name: str) -> Cond:
    return lambda a: a.get("candidate") is not None and recognition_phase(a["candidate"]) == name


def acting(*actions: str) -> Cond:
    return lambda a: recognition_action(a) in actions


def decision_action_ok(value: str, answers: Answers, ctx: Context):
    """The same choice as before on the confirmation screen; an extension only once."""
    refusal = already_extended(answers["candidate"], Extended.recognition) if value == "extend" else None
    return explain(refusal) if refusal else keep("decision_action", CHINHTHUC)(value, answers, ctx)


def no_roster(a: Answers) -> bool:
    """The official members are asked only where the branch keeps no roster (/dangvien)."""
    return recognition_action(a) == "vote" and not a["candidate"].has_roster


recognition_flow = Flow(
    name="recognition",
    commands=(CHINHTHUC,),
    action=Action.record_admission,
    help="help/chinhthuc",
    steps=(
        Ask("candidate", "admission/ask_member", RECOGNITION_FIELD, label=label("candidate"),
            validate=subject_ok(recognition_allowed, recognition_phase, CHINHTHUC, "admission"),
            then=recognition_summary),
        Ask("branch_action", "admission/ask_branch_action", OptionField(options=("vote", "strike")),
            when=phase_is("vote"), label=label("action"), validate=keep("branch_action", CHINHTHUC)),
        Ask("decision_action", "admission/ask_decision_action",
            OptionField(options=("recognise", "strike", "extend")), when=phase_is("decision"), label=label("action"),
            validate=decision_action_ok),
        # the branch's resolution proposing recognition (13-KNĐ)
        Ask("vote_on", "admission/ask_recognition_vote_on", FactDateField(), when=acting("vote"),
            label=label("vote_on"), validate=on_date(lambda s, on, a: recognition_vote_date_refusal(s, on))),
        Ask("votes_for", "admission/ask_votes_for", CountField(), when=acting("vote"), label=label("votes_for"),
            validate=counts("votes_for")),
        *typed_members(no_roster),
        # the committee's recognition (16-KNĐ)
        Ask("decision_on", "admission/ask_recognition_decision_on", FactDateField(), when=acting("recognise"),
            label=label("decision_on"), validate=on_date(lambda s, on, a: recognition_date_refusal(s, on))),
        Ask("decision_number", "admission/ask_decision_number", TextField(max_len=40), when=acting("recognise"),
            label=label("decision_number")),
        # striking off (xóa tên)
        Ask("strike_on", "admission/ask_strike_on", FactDateField(), when=acting("strike"),
            label=label("strike_on"), validate=on_date(lambda s, on, a: strike_date_refusal(s, on))),
        Ask("strike_reason", "admission/ask_strike_reason", TextField(max_len=500), when=acting("strike"),
            label=label("strike_reason")),
        # the committee gives itself 30 more working days
        Ask("extended_by", "admission/ask_extended_by", TextField(max_len=200), when=acting("extend"),
            label=label("extended_by")),
        Ask("extended_on", "admission/ask_extended_on", FactDateField(), when=acting("extend"),
            label=label("extended_on"),
            validate=on_date(lambda s, on, a: extension_refusal(s, Extended.recognition, on))),
    ),
    confirm="admission/recognition_confirm",
    check=fresh_check(action=Action.record_admission, phase=recognition_phase, build=recognition_fact,
                      area="admission"),
    facts=recognition_facts,
    start=subject_start(command=CHINHTHUC, field=RECOGNITION_FIELD, allowed=recognition_allowed,
                        summary=recognition_summary, area="admission"),
    done=recognition_done,
)

routes = [recognition_flow]
