"""The steps of recording an admission fact, shared by /ketnap, /chinhthuc and /chuyen: the person
(a Subject with their recorded dates), the dates and counts, the checks before saving, the save
and its reply."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar


from bot.events import Choice, Reply
from bot.engine.fields import (
    DateField,
    Field,
    Invalid,
    NumberField,
    TextField,
    parse_choice,
)
from bot.engine.flow import Answers, Ask, Context, Start, Validator
from bot.render import template_exists, text_of
from bot.engine.pickers import CandidatePicker
from models.admission import (
    BranchVote,
    BranchVoteFailed,
    Ceremony,
    Decision,
    DecisionRefused,
    Extension,
    Fact,
    PersonalHistory,
    Recognition,
    RecognitionVote,
    RecognitionVoteFailed,
    StrikeOff,
    Subject,
    candidates_at,
    ceremony_is_late,
    key_dates,
    load_subject,
    recognition_vote_is_late,
    record,
    verify,
)
from models.audit import audit
from models.candidate import Candidate
from models.pipeline import check_vote_counts, votes_needed
from models.policy import Action, candidate_scope, roles_in
from models.rules import Refusal
from models.stage import Stage
from models.text import number, page_number, tidy

PAGE_PREFIX = "page:"



def explain(refusal: Refusal, area: str = "admission") -> Invalid:
    """A rule's refusal as a retry reason: the rule's own words, or this area's."""
    if template_exists(f"refusal/{refusal.code}"):
        return Invalid(f"{area}_rule", {"rule": refusal.code, **refusal.values})
    return Invalid(refusal.code, refusal.values)


@dataclass(frozen=True)
class SubjectField(CandidatePicker):
    """A candidate the person may change, with their recorded dates (a Subject).

    Those at the stages this command works on are listed with the question and looked at
    first; someone at another stage is still found, and told why not, rather than not found.
    """

    lists: bool = True
    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + (
        "admission_rule", "admission_wrong_stage", "admission_other_stage", "admission_changed",
        "admission_already_recorded", "admission_no_recognition_vote")

    async def picked(self, ctx: Any, candidate: Candidate) -> Any:
        return await load_subject(session=ctx.session, candidate_id=candidate.id,
                                  where=candidate_scope(ctx.actor, self.action))

    def dump(self, value: Any) -> Any:
        return value.to_json()

    def load(self, raw: Any) -> Any:
        return Subject.from_json(raw)

    def show(self, value: Any) -> str:
        return f"{value.number}. {value.full_name}"


@dataclass(frozen=True)
class OptionField(Field):
    """One of a few options whose words are templates `<area>/option_<value>`."""

    options: tuple[str, ...] = ()
    area: str = "admission"
    reasons: ClassVar[tuple[str, ...]] = ("empty", "choice_unknown", "admission_other_branch")

    def _label(self, value: str) -> str:
        return text_of(f"{self.area}/option_{value}")

    def choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(self._label(v), v) for v in self.options)

    def parse(self, text: str, today: date) -> Any:
        return parse_choice(text, self.choices())

    def show(self, value: Any) -> str:
        return self._label(value)


@dataclass(frozen=True)
class FactDateField(DateField):
    """A date of the pipeline: dd/mm/yyyy, d/m/yy or "hôm nay" (offered), never in the future."""

    today_choice: bool = True

    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + (
        "admission_rule", "admission_date_before", "admission_probation_not_over")


@dataclass(frozen=True)
class ConsentField(TextField):
    """Who gave the committee's consent (its paper); a typed "Bỏ qua" is answered by the rule's refusal."""

    reasons: ClassVar[tuple[str, ...]] = TextField.reasons + ("admission_rule",)

    def choices(self) -> tuple[Choice, ...]:
        return ()  # skipping is always refused for a late ceremony: not offered (typed, it gets the refusal)


@dataclass(frozen=True)
class CountField(NumberField):
    """A count of official members."""

    minimum: int = 0
    maximum: int = 1000
    reasons: ClassVar[tuple[str, ...]] = NumberField.reasons + ("admission_rule", "admission_vote_failed")


def page_of(args: str) -> int | None:
    if args.startswith(PAGE_PREFIX) and number(args[len(PAGE_PREFIX):]) is not None:
        return page_number(args[len(PAGE_PREFIX):])
    return None


async def nobody_to_pick(ctx: Context, *, command: str, field: SubjectField, area: str) -> Reply | None:
    """When no one is at the stages this command works on: the reply that says so (nothing to ask)."""
    _, total = await candidates_at(session=ctx.session, where=candidate_scope(ctx.actor, field.action),
                                   stages=field.stages, offset=0, limit=1)
    return Reply(f"{area}/pick", {"command": command, "total": 0}) if total == 0 else None


Allowed = Callable[[Subject], Refusal | None]
Summary = Callable[[Context, Subject], Awaitable[list[Reply]]]


def subject_start(*, command: str, field: SubjectField, allowed: Allowed, summary: Summary,
                  area: str) -> Callable[[Context, str], Awaitable[Start]]:
    """`/cmd` lists whom it works on; `/cmd WHO` starts with that person, or says why not."""

    async def start(ctx: Context, args: str) -> Start:
        text = tidy(args)
        if not text or page_of(text) is not None:  # the picker lists them with its question
            nobody = await nobody_to_pick(ctx, command=command, field=field, area=area)
            return Start(replies=(nobody,), proceed=False) if nobody else Start()
        value = await field.resolve(text, ctx)
        if isinstance(value, Invalid):
            choices = tuple(Choice(c.label, f"{command} {c.value}", c.key) for c in value.choices)
            return Start(replies=(Reply(f"{area}/not_started", {
                **value.values, "reason": value.reason, "command": command}, choices=choices),), proceed=False)
        refusal = allowed(value)
        if refusal:
            problem = explain(refusal, area)
            return Start(replies=(Reply(f"{area}/not_started", {
                **problem.values, "reason": problem.reason, "command": command}),), proceed=False)
        return Start(answers={"candidate": value}, replies=tuple(await summary(ctx, value)))

    return start


def subject_ok(allowed: Allowed, phase: Callable[[Subject], str], command: str, area: str) -> Validator:
    """The candidate step (asked again on "quay lại" or "Sửa"): a person this command works on;
    when changing the person on the confirmation screen, one whose questions are the same."""

    def validate(value: Subject, answers: Answers, ctx: Context) -> Invalid | None:
        refusal = allowed(value)
        if refusal:
            return explain(refusal, area)
        old = answers.get("candidate")
        if old is not None and phase(old) != phase(value):
            return Invalid(f"{area}_other_stage", {"command": command, "number": value.number})
        return None

    return validate


def fresh_check(*, action: Action, phase: Callable[[Subject], str], build: Callable[[Answers], Fact],
                area: str) -> Callable[[Context, Answers], Awaitable[Invalid | None]]:
    """Before the confirmation and before saving: the person as they are now, and every rule."""

    async def check(ctx: Context, answers: Answers) -> Invalid | None:
        subject = answers["candidate"]
        fresh = await load_subject(session=ctx.session, candidate_id=subject.id,
                                   where=candidate_scope(ctx.actor, action))
        if fresh is None or phase(fresh) != phase(subject):
            return Invalid(f"{area}_changed", {"stage": fresh.stage if fresh else None})
        refusal = verify(fresh, build(answers), today=ctx.today, actor_roles=roles_in(ctx.actor, fresh.branch_id))
        if refusal and refusal.code == "vote_below_two_thirds":
            return Invalid("admission_vote_failed", {**refusal.values, "stage": fresh.stage,
                                                     "number": fresh.number})
        return explain(refusal, area) if refusal else None

    return check


async def save_fact(ctx: Context, answers: Answers, fact: Fact, *, action: Action,
                    area: str) -> tuple[Subject, Subject] | Reply:
    """Record the fact; the person before and after, or the reply saying why not."""
    subject = answers["candidate"]
    before = await load_subject(session=ctx.session, candidate_id=subject.id,
                                where=candidate_scope(ctx.actor, action))
    if before is None:
        return Reply(f"{area}/not_saved", {"reason": f"{area}_changed", "stage": None})
    refusal = await record(session=ctx.session, candidate_id=subject.id, fact=fact,
                           actor_roles=roles_in(ctx.actor, before.branch_id),
                           by_person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today)
    if refusal:
        problem = explain(refusal, area)
        return Reply(f"{area}/not_saved", {**problem.values, "reason": problem.reason})
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=action,
          subject=f"candidate:{subject.id}")
    after = await load_subject(session=ctx.session, candidate_id=subject.id)
    return before, after


SAVED = {
    BranchVote: "admission/saved_vote", BranchVoteFailed: "admission/saved_vote_failed",
    Decision: "admission/saved_decision",
    DecisionRefused: "admission/saved_refused", Ceremony: "admission/saved_ceremony",
    PersonalHistory: "admission/saved_history", RecognitionVote: "admission/saved_recognition_vote",
    RecognitionVoteFailed: "admission/saved_recognition_vote_failed",
    Recognition: "admission/saved_recognition", StrikeOff: "admission/saved_strike",
    Extension: "admission/saved_extension",
}


def saved_reply(fact: Fact, before: Subject, after: Subject, today: date) -> Reply:
    k = key_dates(after, today)
    values: dict[str, Any] = {"s": after, "f": fact, "k": k}
    match fact:
        case BranchVote() | BranchVoteFailed() | RecognitionVote() | RecognitionVoteFailed():
            values["needed"] = votes_needed(fact.official_members)
            values["late"] = isinstance(fact, RecognitionVote) and recognition_vote_is_late(after, fact.on)
        case Ceremony():
            values["late"] = ceremony_is_late(after, fact.on)
        case PersonalHistory():
            values["late"] = k.history_due is not None and fact.on > k.history_due
        case Recognition():
            values["official_from"] = key_dates(before, today).probation_end
    return Reply(SAVED[type(fact)], values)


# ---- Conditions and checks of the steps ----------------------------------------------------

Cond = Callable[[Answers], bool]


def at(*stages: Stage) -> Cond:
    return lambda a: a.get("candidate") is not None and a["candidate"].stage in stages


def chose(step: str, *values: str) -> Cond:
    return lambda a: a.get(step) in values


def both(*conds: Cond) -> Cond:
    return lambda a: all(c(a) for c in conds)


def on_date(rule: Callable[[Subject, date, Answers], Refusal | None], area: str = "admission") -> Validator:
    def validate(value: date, answers: Answers, ctx: Context) -> Invalid | None:
        refusal = rule(answers["candidate"], value, answers)
        return explain(refusal, area) if refusal else None

    return validate


def roster_members(a: Answers) -> int | None:
    """A vote's denominator: the roster's official members on the vote's day, or, where the
    branch keeps no roster, the count the secretary typed."""
    s = a["candidate"]
    if s.has_roster:
        return s.official_members_on(a["vote_on"]) if a.get("vote_on") else None
    return a.get("official_members")


def counts(step: str) -> Validator:
    """Votes for cannot exceed the official members, from the roster or typed (checked whichever
    is answered last)."""

    def validate(value: int, answers: Answers, ctx: Context) -> Invalid | None:
        given = {**answers, step: value}
        members = roster_members(given)
        if given.get("votes_for") is None or members is None:
            return None
        refusal = check_vote_counts(given["votes_for"], members)
        return explain(refusal) if refusal else None

    return validate


def keep(step: str, command: str) -> Validator:
    """A choice that decides which questions follow cannot be switched on the confirmation screen."""

    def validate(value: str, answers: Answers, ctx: Context) -> Invalid | None:
        old = answers.get(step)
        if old is not None and old != value:
            return Invalid("admission_other_branch", {"command": command, "number": answers["candidate"].number})
        return None

    return validate


def label(name: str) -> str:
    return f"admission/label_{name}"


def typed_members(when: Cond) -> tuple[Ask, Ask]:
    """Where the branch keeps no roster (/dangvien), the vote's official members are typed, then
    confirmed explicitly (the record says they were typed): the same two questions for the
    admission vote (/ketnap) and the recognition vote (/chinhthuc)."""
    return (
        Ask("official_members", "admission/ask_official_members", CountField(minimum=1), when=when,
            label=label("official_members"), validate=counts("official_members")),
        Ask("members_confirmed", "admission/ask_members_confirmed", OptionField(options=("members_confirmed",)),
            when=when, label=label("members_confirmed")),
    )
