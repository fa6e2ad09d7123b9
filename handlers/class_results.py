"""/ketqualop: a branch's secretary or deputy records who passed a class, with which certificate:
one person at a time, or the whole class in one answer ("tất cả đạt", "đạt trừ 3, 7") with one
certificate date for all and the numbers given together or later."""

import re
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
    today_choices,
)
from bot.render import text_of, words
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from handlers.shared.branches import candidate_branch, works_in_several
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
from models.candidate import Candidate, change_stage, find_candidates
from models.party_class import (
    ENROLLABLE_STAGES,
    ClassKind,
    EnrollmentStatus,
    PartyClass,
    certificate_too_early,
    result_too_early,
    class_members,
    find_enrollment,
    record_result,
)
from models.policy import class_branch_ids, Action, candidate_scope, roles_in
from models.stage import Stage
from models.org import org_names
from models.text import fold, number, number_list, number_pairs, tidy


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
    """One person (by number or name), or the whole class in one answer: "tất cả đạt", "đạt trừ 3, 7"
    (the value is then {"batch": True, "except": [3, 7]})."""

    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + (
        "classes_not_enrolled", "classes_result_locked", "classes_numbers_unknown", "classes_batch_nobody",
        "classes_batch_nobody_passed")

    async def resolve(self, text: str, ctx: Context) -> Any:
        batch = parse_batch(text)
        if batch is None:
            return await super().resolve(text, ctx)
        scope = candidate_scope(ctx.actor, self.action)
        names = []
        for n in batch["except"]:  # named on the questions that follow (checked against the class later)
            found = await find_candidates(session=ctx.session, where=scope, query=str(n), limit=2)
            names.append(f"{n}. {found[0].full_name}" if len(found) == 1 else str(n))
        return {**batch, "names": names}

    def show(self, value: Any) -> str:
        if _is_batch(value):
            return text_of("classes/batch_answer", names=value.get("names", []))
        return super().show(value)


def parse_batch(text: str) -> dict[str, Any] | None:
    """A whole class's answer: everyone passed ("tất cả đạt", "cả lớp đạt", "đạt hết"), or everyone
    but some ("đạt trừ 3, 7", "tất cả đạt trừ 3 và 5-7"); None for anything else (a number, a name)."""
    folded = fold(tidy(text)).replace(",", " , ")
    alt = lambda group: "|".join(sorted((re.escape(w) for w in words(group)), key=len, reverse=True))  # noqa: E731
    match = re.fullmatch(rf"(?:(?P<all1>{alt('everyone')})\s+)?(?:{alt('passed')})(?:\s+(?P<all2>{alt('everyone')}))?"
                         rf"(?:\s*,?\s*(?:{alt('except')})\s+(?P<numbers>.+))?", folded)
    if not match or not (match["all1"] or match["all2"] or match["numbers"]):
        return None
    if match["numbers"] is None:
        return {"batch": True, "except": []}
    listed = re.sub(rf"\b(?:{alt('and_word')})\b", ",", match["numbers"])
    numbers = number_list(listed) or ([number(listed.strip(" ,"))] if number(listed.strip(" ,")) else None)
    return {"batch": True, "except": numbers} if numbers else None


def _is_batch(value: Any) -> bool:
    return isinstance(value, dict) and value.get("batch") is True


def _batch(answers: Answers) -> bool:
    return _is_batch(answers.get("candidate"))


def batch_people(value: dict[str, Any], c: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """Who a whole-class answer covers (my branches' people whose result is still to record):
    those who passed, and those named as the exceptions."""
    pool = [m for m in c.get("members", []) if m["open"] and m["status"] == EnrollmentStatus.enrolled]
    excepted = set(value["except"])
    return [m for m in pool if m["number"] not in excepted], [m for m in pool if m["number"] in excepted]


def _batch_problem(value: dict[str, Any], c: dict[str, Any]) -> Invalid | None:
    pool = [m for m in c.get("members", []) if m["open"] and m["status"] == EnrollmentStatus.enrolled]
    if not pool:
        return Invalid("classes_batch_nobody", {"title": c["title"]})
    numbers = [m["number"] for m in pool]
    unknown = [n for n in value["except"] if numbers.count(n) == 0]
    twice = [n for n in value["except"] if numbers.count(n) > 1]
    if unknown or twice:
        return Invalid("classes_numbers_unknown", {"numbers": unknown, "twice": twice})
    if not batch_people(value, c)[0]:
        return Invalid("classes_batch_nobody_passed")
    return None


def enrolled_here(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    if _is_batch(value):
        return _batch_problem(value, answers["class"])
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
    today_choice: bool = True  # the day the result is recorded, unless typed
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("classes_certificate_before_end",)


@dataclass(frozen=True)
class ResultDateField(DateField):
    today_choice: bool = True  # the day of the result, today unless typed
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("classes_result_before_start",)


def after_class_end(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    ends_on = date.fromisoformat(answers["class"]["ends_on"])
    if certificate_too_early(value, class_ends_on=ends_on):
        return Invalid("classes_certificate_before_end", {"ends_on": ends_on, "date": value})
    return None




@dataclass(frozen=True)
class CertificateNumbersField(Field):
    """The certificate numbers of those who passed, in one answer ("5: CN-0301; 12: CN-0302"), or
    none for now ("bỏ qua"). The value maps register numbers (as text) to certificate numbers."""

    max_len: int = 40  # Enrollment.certificate_number
    reasons: ClassVar[tuple[str, ...]] = ("empty", "classes_certificate_numbers_bad",
                                          "classes_certificate_numbers_unknown", "too_long")

    def choices(self) -> tuple[Choice, ...]:
        return (Choice(class_text("choice_skip_numbers"), "-"),)

    def parse(self, text: str, today: date) -> Any:
        cleaned = tidy(text)
        if not cleaned:
            return Invalid("empty", choices=self.choices())
        if fold(cleaned) in words("skip"):
            return {}
        pairs = number_pairs(text)
        if pairs is None:
            return Invalid("classes_certificate_numbers_bad", {"text": cleaned[:50]}, choices=self.choices())
        longest = max(len(c) for _, c in pairs)
        if longest > self.max_len:
            return Invalid("too_long", {"max_len": self.max_len, "length": longest})
        return {str(n): c for n, c in pairs}

    def show(self, value: Any) -> str:
        return "; ".join(f"{n}: {c}" for n, c in value.items()) or class_text("choice_skip_numbers")


def certificates_of_passed(value: dict[str, str], answers: Answers, ctx: Context) -> Invalid | None:
    passed = {str(m["number"]) for m in batch_people(answers["candidate"], answers["class"])[0]}
    unknown = [int(n) for n in value if n not in passed]
    return Invalid("classes_certificate_numbers_unknown", {"numbers": unknown}) if unknown else None


def _batch_with_others(answers: Answers) -> bool:
    return _batch(answers) and bool(answers["candidate"]["except"])


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


def after_class_start(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    starts_on = date.fromisoformat(answers["class"]["starts_on"])
    if result_too_early(value, class_starts_on=starts_on):
        return Invalid("classes_result_before_start", {"starts_on": starts_on, "date": value},
                       choices=today_choices(ctx.today))
    return None


def _moves_back(answers: Answers) -> bool:
    return _may_move_back(answers) and bool(answers.get("move_back"))


def _passed(answers: Answers) -> bool:
    return answers.get("result") == EnrollmentStatus.passed


def _may_move_back(answers: Answers) -> bool:
    return (answers.get("result") in (EnrollmentStatus.failed, EnrollmentStatus.absent)
            and answers["candidate"]["stage"] == Stage.awareness_class
            and answers["class"]["kind"] == ClassKind.awareness)


async def batch_check(ctx: Context, answers: Answers) -> Invalid | None:
    """Each person of a whole-class answer: still mine to write, enrolled, and no result since."""
    passed, others = batch_people(answers["candidate"], answers["class"])
    for person in passed + others:
        found = await writable_candidate(ctx, answers["class"], person["id"])
        if isinstance(found, Invalid):
            return found
        party_class, candidate = found
        enrollment = await find_enrollment(session=ctx.session, class_id=party_class.id, candidate_id=candidate.id)
        if enrollment is None:
            return Invalid("classes_not_enrolled", {"full_name": candidate.full_name, "title": party_class.title})
        locked = _result_open(candidate.full_name, str(candidate.stage), str(party_class.kind))
        if locked:
            return locked
        if enrollment.status != EnrollmentStatus.enrolled:
            return Invalid("classes_batch_changed", {"full_name": candidate.full_name})
    return after_class_end(answers["certificate_on"], answers, ctx)


async def result_check(ctx: Context, answers: Answers) -> Invalid | None:
    if _batch(answers):
        return await batch_check(ctx, answers)
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


async def batch_done(ctx: Context, answers: Answers) -> list[Reply]:
    """Everyone passed with the one certificate date (and their numbers, if given); the
    exceptions failed, absent, or left to record one by one."""
    party_class = await ctx.session.get(PartyClass, answers["class"]["id"])
    passed, others = batch_people(answers["candidate"], answers["class"])
    numbers = answers.get("certificate_numbers") or {}
    others_as = answers.get("others")
    saved = []
    for person, status in [(p, EnrollmentStatus.passed) for p in passed] + [
            (p, others_as) for p in others if others_as in (EnrollmentStatus.failed, EnrollmentStatus.absent)]:
        enrollment = await find_enrollment(session=ctx.session, class_id=party_class.id, candidate_id=person["id"])
        passes = status == EnrollmentStatus.passed
        await record_result(session=ctx.session, enrollment=enrollment, status=EnrollmentStatus(status),
                            certificate_number=numbers.get(str(person["number"])) if passes else None,
                            certificate_on=answers["certificate_on"] if passes else None)
        audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.record_class_result,
              subject=f"candidate:{person['id']}")
        saved.append({**person, "status": str(status), "certificate_number": enrollment.certificate_number})
    return [Reply("classes/batch_saved", {
        "title": party_class.title, "saved": saved, "certificate_on": answers["certificate_on"],
        "later": [p for p in others if others_as not in (EnrollmentStatus.failed, EnrollmentStatus.absent)],
        "may_start_dossier": party_class.kind == ClassKind.awareness,
    }, choices=(Choice(class_text("choice_results_more"), f"/ketqualop {party_class.id}"),)
        + back_to({"id": party_class.id}))]


async def result_facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """The branch (for a person of several) and, for a whole class, who is recorded how."""
    if not _batch(answers):
        return await candidate_branch(Action.record_class_result)(ctx, answers)
    passed, others = batch_people(answers["candidate"], answers["class"])
    found: dict[str, Any] = {"passed": passed, "others": others}
    if works_in_several(ctx, Action.record_class_result):
        names = await org_names(session=ctx.session, ids={p["branch_id"] for p in passed + others})
        found["branch"] = ", ".join(sorted(names.values()))
    return found


async def result_done(ctx: Context, answers: Answers) -> list[Reply]:
    if _batch(answers):
        return await batch_done(ctx, answers)
    party_class = await ctx.session.get(PartyClass, answers["class"]["id"])
    candidate = await ctx.session.get(Candidate, answers["candidate"]["id"])
    enrollment = await find_enrollment(session=ctx.session, class_id=party_class.id, candidate_id=candidate.id)
    status = EnrollmentStatus(answers["result"])
    reason = answers.get("move_back") if _may_move_back(answers) else None
    moved = bool(reason) and candidate.stage == Stage.awareness_class
    if moved:
        refusal = await change_stage(
            session=ctx.session, candidate=candidate, to_stage=Stage.sympathizer,
            on=answers.get("moved_on") or ctx.today,
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
        "moved_on": answers.get("moved_on") if moved else None,
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
        Ask("others", "classes/ask_batch_others", ChoiceField("batch_others", values=("failed", "absent", "later")),
            when=_batch_with_others, label="classes/label_batch_others"),
        Ask("result", "classes/ask_result",
            ChoiceField("enrollment_status", values=("passed", "failed", "absent")), label="classes/label_result",
            when=lambda answers: not _batch(answers)),
        Ask("certificate_number", "classes/ask_certificate_number", TextField(max_len=40), when=_passed,
            label="classes/label_certificate_number"),
        Ask("certificate_on", "classes/ask_certificate_on", CertificateDateField(), validate=after_class_end,
            when=lambda answers: _passed(answers) or _batch(answers), label="classes/label_certificate_on"),
        Ask("move_back", "classes/ask_move_back", MoveBackField(), when=_may_move_back,
            label="classes/label_move_back"),
        Ask("moved_on", "classes/ask_moved_on", ResultDateField(), validate=after_class_start, when=_moves_back,
            label="classes/label_moved_on"),
        Ask("certificate_numbers", "classes/ask_certificate_numbers", CertificateNumbersField(),
            validate=certificates_of_passed, when=_batch, label="classes/label_certificate_numbers"),
    ),
    confirm="classes/confirm_result",
    facts=result_facts,
    check=result_check,
    done=result_done,
)

routes = [result_flow]
