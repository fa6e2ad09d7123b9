"""/ketqualop: a branch's secretary or deputy records who passed a class, with which certificate."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import (
    ChoiceField,
    DateField,
    Field,
    Invalid,
    TextField,
)
from bot.render import words
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from handlers.shared.branches import candidate_branch
from bot.engine.pickers import CandidatePicker
from handlers.shared.classes import (
    ClassField,
    back_to,
    class_text,
    open_results,
    pick_class,
    writable_candidate,
)
from models.audit import audit
from models.candidate import Candidate, change_stage
from models.party_class import (
    ENROLLABLE_STAGES,
    ClassKind,
    EnrollmentStatus,
    PartyClass,
    certificate_too_early,
    class_members,
    find_enrollment,
    record_result,
)
from models.policy import class_branch_ids, Action, roles_in
from models.stage import Stage
from models.text import fold, tidy


async def result_start(ctx: Context, args: str) -> Start:
    found = await pick_class(ctx, args, command="/ketqualop", want="results")
    if isinstance(found, Start):
        return found
    if ctx.today < date.fromisoformat(found["starts_on"]):
        return Start(replies=(Reply("classes/not_started", {"c": found}, choices=back_to(found)),), proceed=False)
    members = await class_members(session=ctx.session, class_id=found["id"], branch_ids=class_branch_ids(ctx.actor))
    if not open_results(members, found["kind"]):
        return Start(replies=(Reply("classes/nobody_enrolled", {"c": found, "any": bool(members)},
                                    choices=back_to(found)),), proceed=False)
    return Start(answers={"class": found}, replies=(Reply("classes/result_list", {
        "c": found, "members": [{"number": m.number, "full_name": m.full_name, "status": str(e.status),
                                 "certificate_number": e.certificate_number, "certificate_on": e.certificate_on}
                                for e, m in members]}),))


@dataclass(frozen=True)
class ResultCandidateField(CandidatePicker):
    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + ("classes_not_enrolled", "classes_result_locked")


def enrolled_here(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    if value["id"] not in answers["class"]["mine"]:
        return Invalid("classes_not_enrolled", {"full_name": value["full_name"], "title": answers["class"]["title"]})
    return _result_open(value["full_name"], value["stage"], answers["class"]["kind"])


def _result_open(full_name: str, stage: str, kind: str) -> Invalid | None:
    """A result is recorded (or corrected) only while the person is still at the class's stage:
    once they have moved on (e.g. to the dossier with this certificate), it stays as it is."""
    if Stage(stage) not in ENROLLABLE_STAGES[ClassKind(kind)]:
        return Invalid("classes_result_locked", {"full_name": full_name, "stage": stage})
    return None


@dataclass(frozen=True)
class CertificateDateField(DateField):
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("classes_certificate_before_end",)


def after_class_end(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    ends_on = date.fromisoformat(answers["class"]["ends_on"])
    if certificate_too_early(value, class_ends_on=ends_on):
        return Invalid("classes_certificate_before_end", {"ends_on": ends_on, "date": value})
    return None




@dataclass(frozen=True)
class MoveBackField(Field):
    """Keep the stage (a choice), or the reason for moving back to sympathizer (typed)."""

    max_len: int = 500
    reasons: ClassVar[tuple[str, ...]] = ("empty", "too_long", "classes_reason_needed")

    def choices(self) -> tuple[Choice, ...]:
        return (Choice(class_text("choice_keep_stage"), "-"),)

    def parse(self, text: str, today: date) -> Any:
        cleaned = tidy(text)
        if not cleaned:
            return Invalid("empty", choices=self.choices())
        if fold(cleaned) in words("skip") | words("no") | words("keep"):
            return ""
        if fold(cleaned) in words("yes"):
            return Invalid("classes_reason_needed", choices=self.choices())
        if len(cleaned) > self.max_len:
            return Invalid("too_long", {"max_len": self.max_len, "length": len(cleaned)})
        return cleaned


def _passed(answers: Answers) -> bool:
    return answers.get("result") == EnrollmentStatus.passed


def _may_move_back(answers: Answers) -> bool:
    return (answers.get("result") in (EnrollmentStatus.failed, EnrollmentStatus.absent)
            and answers["candidate"]["stage"] == Stage.awareness_class
            and answers["class"]["kind"] == ClassKind.awareness)


async def result_check(ctx: Context, answers: Answers) -> Invalid | None:
    found = await writable_candidate(ctx, answers["class"], answers["candidate"]["id"])
    if isinstance(found, Invalid):
        return found
    party_class, candidate = found
    if not await find_enrollment(session=ctx.session, class_id=party_class.id, candidate_id=candidate.id):
        return Invalid("classes_not_enrolled", {"full_name": candidate.full_name, "title": party_class.title})
    locked = _result_open(candidate.full_name, str(candidate.stage), str(party_class.kind))
    if locked:
        return locked
    if _passed(answers):
        if answers.get("certificate_number") is None or answers.get("certificate_on") is None:
            return Invalid("classes_result_incomplete")
        return after_class_end(answers["certificate_on"], answers, ctx)
    return None


async def result_done(ctx: Context, answers: Answers) -> list[Reply]:
    party_class = await ctx.session.get(PartyClass, answers["class"]["id"])
    candidate = await ctx.session.get(Candidate, answers["candidate"]["id"])
    enrollment = await find_enrollment(session=ctx.session, class_id=party_class.id, candidate_id=candidate.id)
    status = EnrollmentStatus(answers["result"])
    reason = answers.get("move_back") if _may_move_back(answers) else None
    moved = bool(reason) and candidate.stage == Stage.awareness_class
    if moved:
        refusal = await change_stage(
            session=ctx.session, candidate=candidate, to_stage=Stage.sympathizer, on=ctx.today,
            today=ctx.today, reason=reason, actor_roles=roles_in(ctx.actor, candidate.branch_id),
            by_person_id=ctx.actor.person_id, now=ctx.now)
        if refusal:
            return [Reply(f"refusal/{refusal.code}", refusal.values)]
    passed = status == EnrollmentStatus.passed
    await record_result(session=ctx.session, enrollment=enrollment, status=status,
                        certificate_number=answers.get("certificate_number") if passed else None,
                        certificate_on=answers.get("certificate_on") if passed else None)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.record_class_result,
          subject=f"candidate:{candidate.id}")
    may_start = passed and party_class.kind == ClassKind.awareness and candidate.stage == Stage.awareness_class
    next_steps = (Choice(class_text("choice_start_dossier"), f"/lamhoso id:{candidate.id}"),) if may_start else ()
    return [Reply("classes/result_saved", {
        "number": candidate.number, "full_name": candidate.full_name, "title": party_class.title,
        "status": str(status), "certificate_number": enrollment.certificate_number,
        "certificate_on": enrollment.certificate_on, "moved": moved,
        "may_start_dossier": may_start,
    }, choices=next_steps + (Choice(class_text("choice_results_more"), f"/ketqualop {party_class.id}"),)
        + back_to({"id": party_class.id}))]


result_flow = Flow(
    name="class_results",
    commands=("/ketqualop",),
    action=Action.record_class_result,
    help="help/ketqualop",
    start=result_start,
    steps=(
        Ask("class", "classes/ask_class", ClassField(), label="classes/label_class"),
        Ask("candidate", "classes/ask_result_candidate", ResultCandidateField(action=Action.record_class_result),
            validate=enrolled_here, label="classes/label_candidate"),
        Ask("result", "classes/ask_result",
            ChoiceField("enrollment_status", values=("passed", "failed", "absent")), label="classes/label_result"),
        Ask("certificate_number", "classes/ask_certificate_number", TextField(max_len=40), when=_passed,
            label="classes/label_certificate_number"),
        Ask("certificate_on", "classes/ask_certificate_on", CertificateDateField(), validate=after_class_end,
            when=_passed, label="classes/label_certificate_on"),
        Ask("move_back", "classes/ask_move_back", MoveBackField(), when=_may_move_back,
            label="classes/label_move_back"),
    ),
    confirm="classes/confirm_result",
    facts=candidate_branch(Action.record_class_result),
    check=result_check,
    done=result_done,
)

routes = [result_flow]
