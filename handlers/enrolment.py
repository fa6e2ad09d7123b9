"""/ghidanh: a branch's secretary or deputy enrols the branch's candidates in a class."""

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import Invalid
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from handlers.shared.branches import candidate_branch
from bot.engine.pickers import CandidatePicker
from handlers.shared.classes import (
    ClassField,
    back_to,
    class_text,
    pick_class,
    writable_candidate,
)
from models.audit import audit
from models.candidate import Candidate, change_stage
from models.party_class import (
    ENROLLABLE_STAGES,
    ClassKind,
    PartyClass,
    class_open,
    count_enrolled,
    enrol,
    find_enrollment,
    get_class,
    may_enrol,
)
from models.candidate import find_candidates
from models.policy import class_branch_ids, classes_writable_by, Action, candidate_scope, roles_in
from models.text import number_list, tidy
from models.stage import Stage
from models.undo import UndoKind, remember


async def enrol_start(ctx: Context, args: str) -> Start:
    found = await pick_class(ctx, args, command="/ghidanh", want="enrol")
    if isinstance(found, Start):
        return found
    row = await get_class(session=ctx.session, where=classes_writable_by(ctx.actor), class_id=found["id"])
    closed = class_open(row.party_class, enrolled=row.enrolled, today=ctx.today)
    if closed:
        return Start(replies=(Reply("classes/enrol_closed", {"c": found, "why": closed}, choices=back_to(found)),),
                     proceed=False)
    people = await may_enrol(session=ctx.session, party_class=row.party_class, branch_ids=class_branch_ids(ctx.actor))
    if not people:
        return Start(replies=(Reply("classes/nobody_to_enrol", {"c": found}, choices=back_to(found)),),
                     proceed=False)
    return Start(answers={"class": found}, replies=(Reply("classes/enrol_list", {
        "c": found, "people": [{"number": p.number, "full_name": p.full_name, "stage": str(p.stage)}
                               for p in people]}),))


@dataclass(frozen=True)
class EnrolPeopleField(CandidatePicker):
    """Whom to enrol: one person (by number or name), or several numbers at once ("3, 4, 7",
    "3-7"). The value is always a list of picked candidates."""

    not_found: str = "classes_person_not_found"  # the list is on screen: no "xem /ds"
    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + (
        "classes_person_not_found", "classes_wrong_stage", "classes_already_enrolled", "classes_numbers_unknown",
        "classes_batch_refused")

    async def resolve(self, text: str, ctx: Context) -> Any:
        numbers = number_list(tidy(text))
        if numbers is None:
            one = await super().resolve(text, ctx)
            return one if isinstance(one, Invalid) else [one]
        scope = candidate_scope(ctx.actor, self.action)
        people, unknown, twice = [], [], []
        for n in numbers:
            found = await find_candidates(session=ctx.session, where=scope, query=str(n), limit=2)
            if len(found) == 1:
                people.append(await self.picked(ctx, found[0]))
            else:  # nobody, or the number in two of this person's branches
                (twice if found else unknown).append(n)
        if unknown or twice:
            return Invalid("classes_numbers_unknown", {"numbers": unknown, "twice": twice})
        return people

    def show(self, value: Any) -> str:
        return "; ".join(f"{v['number']}. {v['full_name']}" for v in value)


def _refusal(person: dict[str, Any], c: dict[str, Any]) -> Invalid | None:
    if Stage(person["stage"]) not in ENROLLABLE_STAGES[ClassKind(c["kind"])]:
        return Invalid("classes_wrong_stage", {"full_name": person["full_name"], "stage": person["stage"],
                                               "kind": c["kind"]})
    if person["id"] in c["mine"]:
        return Invalid("classes_already_enrolled", {"full_name": person["full_name"], "title": c["title"]})
    return None


def enrollable(value: list[dict[str, Any]], answers: Answers, ctx: Context) -> Invalid | None:
    """Each person may go to this class; for several, every one who may not is named."""
    c = answers["class"]
    problems = [(p, _refusal(p, c)) for p in value]
    problems = [(p, r) for p, r in problems if r is not None]
    if len(value) == 1 or not problems:
        return problems[0][1] if problems else None
    return Invalid("classes_batch_refused", {"people": [
        {"number": p["number"], **r.values, "reason": r.reason} for p, r in problems], "kind": c["kind"]})


async def enrol_check(ctx: Context, answers: Answers) -> Invalid | None:
    party_class = None
    for person in answers["candidate"]:
        found = await writable_candidate(ctx, answers["class"], person["id"])
        if isinstance(found, Invalid):
            return found
        party_class, candidate = found
        if Stage(candidate.stage) not in ENROLLABLE_STAGES[ClassKind(party_class.kind)]:
            return Invalid("classes_wrong_stage", {"full_name": candidate.full_name, "stage": str(candidate.stage),
                                                   "kind": str(party_class.kind)})
        if await find_enrollment(session=ctx.session, class_id=party_class.id, candidate_id=candidate.id):
            return Invalid("classes_already_enrolled", {"full_name": candidate.full_name, "title": party_class.title})
    enrolled = await count_enrolled(session=ctx.session, class_id=party_class.id)
    closed = class_open(party_class, enrolled=enrolled, today=ctx.today)
    if closed == "deadline_passed":
        return Invalid("classes_deadline_passed", {"enrol_by": party_class.enrol_by, "today": ctx.today})
    if closed == "full" or enrolled + len(answers["candidate"]) > party_class.capacity:
        return Invalid("classes_full", {"capacity": party_class.capacity, "left": party_class.capacity - enrolled,
                                        "asked": len(answers["candidate"])})
    return None


async def enrol_done(ctx: Context, answers: Answers) -> list[Reply]:
    party_class = await ctx.session.get(PartyClass, answers["class"]["id"])
    done = []
    for person in answers["candidate"]:
        candidate = await ctx.session.get(Candidate, person["id"])
        before, since = Stage(candidate.stage), candidate.stage_since
        moved = candidate.stage == Stage.sympathizer and party_class.kind == ClassKind.awareness
        if moved:
            refusal = await change_stage(
                session=ctx.session, candidate=candidate, to_stage=Stage.awareness_class, on=ctx.today,
                today=ctx.today, reason=None, actor_roles=roles_in(ctx.actor, candidate.branch_id),
                by_person_id=ctx.actor.person_id, now=ctx.now)
            if refusal:
                return [Reply(f"refusal/{refusal.code}", refusal.values)]
        await enrol(session=ctx.session, class_id=party_class.id, candidate_id=candidate.id, now=ctx.now)
        await remember(session=ctx.session, candidate=candidate, kind=UndoKind.enrolment, stage_before=before,
                       since_before=since, by_person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today,
                       class_id=party_class.id)
        audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.enrol_in_class,
              subject=f"candidate:{candidate.id}")
        done.append({"number": candidate.number, "full_name": candidate.full_name, "moved": moved})
    enrolled = await count_enrolled(session=ctx.session, class_id=party_class.id)
    choices = []
    if enrolled < party_class.capacity:
        choices.append(Choice(class_text("choice_enrol_more"), f"/ghidanh {party_class.id}"))
    return [Reply("classes/enrolled", {
        "people": done, "title": party_class.title, "enrolled": enrolled, "capacity": party_class.capacity,
    }, choices=tuple(choices) + back_to({"id": party_class.id}))]


enrol_flow = Flow(
    name="class_enrol",
    commands=("/ghidanh",),
    action=Action.enrol_in_class,
    help="help/ghidanh",
    start=enrol_start,
    steps=(
        Ask("class", "classes/ask_class", ClassField(), label="classes/label_class"),
        Ask("candidate", "classes/ask_enrol_candidate", EnrolPeopleField(action=Action.enrol_in_class),
            validate=enrollable, label="classes/label_candidate"),
    ),
    confirm="classes/confirm_enrol",
    facts=candidate_branch(Action.enrol_in_class),
    check=enrol_check,
    done=enrol_done,
)

routes = [enrol_flow]
