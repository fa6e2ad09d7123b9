"""/ketnap: the branch records each step of an admission (its vote, the committee's decision,
the ceremony, the personal history); also the step machinery /chinhthuc and /chuyen share."""

from typing import Any


from bot.events import Reply
from bot.engine.fields import (
    TextField,
)
from bot.engine.flow import Answers, Ask, Context, Flow
from handlers.shared.admission_steps import (
    ConsentField,
    at,
    both,
    chose,
    counts,
    CountField,
    explain,
    FactDateField,
    fresh_check,
    keep,
    label,
    on_date,
    OptionField,
    roster_members,
    save_fact,
    saved_reply,
    subject_ok,
    subject_start,
    SubjectField,
    typed_members,
)
from models.admission import (
    ADMISSION_STAGES,
    branch_vote,
    BranchVoteFailed,
    Ceremony,
    Decision,
    DecisionRefused,
    Fact,
    PersonalHistory,
    Subject,
    already_extended,
    ceremony_date_refusal,
    ceremony_is_late,
    consent_refusal,
    Extended,
    Extension,
    extension_refusal,
    decision_date_refusal,
    dossier_gaps,
    file_refusal,
    history_date_refusal,
    key_dates,
    received_date_refusal,
    refused_date_refusal,
    vote_date_refusal,
)
from models.pipeline import votes_needed
from models.policy import Action
from models.rules import Refusal
from models.stage import Stage

PAGE_PREFIX = "page:"


# ---- /ketnap ---------------------------------------------------------------------------------

KETNAP = "/ketnap"
ADMISSION_FIELD = SubjectField(action=Action.record_admission, stages=ADMISSION_STAGES)


def admission_allowed(s: Subject) -> Refusal | None:
    """At an admission step; in dossier, with no item of the file missing (what is too old is
    told with the vote's date, which it depends on)."""
    if s.stage not in ADMISSION_STAGES:
        return Refusal("admission_wrong_stage", {"stage": s.stage, "allowed": ADMISSION_STAGES,
                                                "who": f"{s.number}. {s.full_name}"})
    return file_refusal(s) if s.stage == Stage.dossier else None


def admission_phase(s: Subject) -> str:
    return s.stage.value


async def admission_summary(ctx: Context, s: Subject) -> list[Reply]:
    gaps = await dossier_gaps(session=ctx.session, subject=s, on=ctx.today) if s.stage == Stage.dossier else []
    return [Reply("admission/summary", {"s": s, "k": key_dates(s, ctx.today),
                                        "gaps": [r.values["item"] for r in gaps],
                                        "official_today": s.official_members_on(ctx.today)})]


def admission_fact(a: Answers) -> Fact:
    s = a["candidate"]
    if s.stage == Stage.dossier:
        return branch_vote(a["vote_on"], a["votes_for"], roster_members(a), typed=not s.has_roster)
    if s.stage == Stage.proposed and a["outcome"] == "admit":
        return Decision(on=a["decision_on"], number=a["decision_number"], received_on=a["received_on"])
    if s.stage == Stage.proposed and a["outcome"] == "extend":
        return Extension(kind=Extended.decision, on=a["extended_on"], by=a["extended_by"])
    if s.stage == Stage.proposed:
        return DecisionRefused(on=a["refused_on"], reason=a["refused_reason"])
    if s.stage == Stage.admitted:
        late = ceremony_is_late(s, a["ceremony_on"])
        return Ceremony(on=a["ceremony_on"], consent=a.get("late_consent") if late else None,
                        consent_on=a.get("consent_on") if late else None)
    return PersonalHistory(on=a["history_on"])


async def admission_facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """Beside the answers on the confirmation screen: the official members (from the roster, or
    typed and confirmed); a branch vote short of 2/3 is saved as failed."""
    members = roster_members(answers) if DOSSIER(answers) else None
    if members is None or "votes_for" not in answers:
        return {}
    fact = admission_fact(answers)
    shown = {"official_members": members, "from_roster": not fact.typed}
    if not isinstance(fact, BranchVoteFailed):
        return shown
    return {**shown, "vote_failed": True, "votes_for": fact.votes_for, "votes_needed": votes_needed(members)}


def late_ceremony(a: Answers) -> bool:
    return at(Stage.admitted)(a) and a.get("ceremony_on") is not None and ceremony_is_late(
        a["candidate"], a["ceremony_on"])


async def admission_done(ctx: Context, answers: Answers) -> list[Reply]:
    fact = admission_fact(answers)
    outcome = await save_fact(ctx, answers, fact, action=Action.record_admission, area="admission")
    if isinstance(outcome, Reply):
        return [outcome]
    return [saved_reply(fact, *outcome, ctx.today)]


DOSSIER, PROPOSED, ADMITTED, PROBATIONARY = at(Stage.dossier), at(Stage.proposed), at(Stage.admitted), at(
    Stage.probationary)
ADMIT, REFUSE = both(PROPOSED, chose("outcome", "admit")), both(PROPOSED, chose("outcome", "refuse"))
EXTEND = both(PROPOSED, chose("outcome", "extend"))


def outcome_ok(value: str, answers: Answers, ctx: Context):
    """The same choice as before on the confirmation screen; an extension only once."""
    refusal = already_extended(answers["candidate"], Extended.decision) if value == "extend" else None
    return explain(refusal) if refusal else keep("outcome", KETNAP)(value, answers, ctx)


def consent_given(value: str | None, answers: Answers, ctx: Context):
    """A late ceremony is recorded only with the committee above's consent: "Bỏ qua" is refused."""
    if value:
        return None
    s = answers["candidate"]
    return explain(consent_refusal(s, answers["ceremony_on"], None, None))


def NO_ROSTER(a: Answers) -> bool:  # noqa: N802 (a condition, named like the others)
    return DOSSIER(a) and not a["candidate"].has_roster

admission_flow = Flow(
    name="admission",
    commands=(KETNAP,),
    action=Action.record_admission,
    help="help/ketnap",
    steps=(
        Ask("candidate", "admission/ask_candidate", ADMISSION_FIELD, label=label("candidate"),
            validate=subject_ok(admission_allowed, admission_phase, KETNAP, "admission"), then=admission_summary),
        # dossier: the branch's resolution proposing admission (6-KNĐ)
        Ask("vote_on", "admission/ask_vote_on", FactDateField(), when=DOSSIER, label=label("vote_on"),
            validate=on_date(lambda s, on, a: vote_date_refusal(s, on))),
        Ask("votes_for", "admission/ask_votes_for", CountField(), when=DOSSIER, label=label("votes_for"),
            validate=counts("votes_for")),
        # the official members: counted from the roster; typed and confirmed where there is none
        *typed_members(NO_ROSTER),
        # proposed: the committee's decision (9-KNĐ) or its refusal
        Ask("outcome", "admission/ask_outcome", OptionField(options=("admit", "refuse", "extend")), when=PROPOSED,
            label=label("outcome"), validate=outcome_ok),
        Ask("decision_on", "admission/ask_decision_on", FactDateField(), when=ADMIT, label=label("decision_on"),
            validate=on_date(lambda s, on, a: decision_date_refusal(s, on))),
        Ask("decision_number", "admission/ask_decision_number", TextField(max_len=40), when=ADMIT,
            label=label("decision_number")),
        Ask("received_on", "admission/ask_received_on", FactDateField(), when=ADMIT, label=label("received_on"),
            validate=on_date(lambda s, on, a: received_date_refusal(s, a.get("decision_on"), on))),
        Ask("refused_on", "admission/ask_refused_on", FactDateField(), when=REFUSE, label=label("refused_on"),
            validate=on_date(lambda s, on, a: refused_date_refusal(s, on))),
        Ask("refused_reason", "admission/ask_refused_reason", TextField(max_len=500), when=REFUSE,
            label=label("refused_reason")),
        # the committee gives itself 30 more working days
        Ask("extended_by", "admission/ask_extended_by", TextField(max_len=200), when=EXTEND,
            label=label("extended_by")),
        Ask("extended_on", "admission/ask_extended_on", FactDateField(), when=EXTEND, label=label("extended_on"),
            validate=on_date(lambda s, on, a: extension_refusal(s, Extended.decision, on))),
        # admitted: the ceremony
        Ask("ceremony_on", "admission/ask_ceremony_on", FactDateField(), when=ADMITTED,
            label=label("ceremony_on"), validate=on_date(lambda s, on, a: ceremony_date_refusal(s, on))),
        Ask("late_consent", "admission/ask_late_consent", ConsentField(max_len=200, optional=True),
            when=late_ceremony, label=label("late_consent"), validate=consent_given),
        Ask("consent_on", "admission/ask_consent_on", FactDateField(), when=late_ceremony,
            label=label("consent_on"),
            validate=on_date(lambda s, on, a: consent_refusal(s, a["ceremony_on"], a.get("late_consent"), on))),
        # probationary: the new member's personal history
        Ask("history_on", "admission/ask_history_on", FactDateField(), when=PROBATIONARY,
            label=label("history_on"), validate=on_date(lambda s, on, a: history_date_refusal(s, on))),
    ),
    confirm="admission/confirm",
    facts=admission_facts,
    check=fresh_check(action=Action.record_admission, phase=admission_phase, build=admission_fact,
                      area="admission"),
    start=subject_start(command=KETNAP, field=ADMISSION_FIELD, allowed=admission_allowed,
                        summary=admission_summary, area="admission"),
    done=admission_done,
)


routes = [admission_flow]
