"""/ghidanh: a branch's secretary or deputy enrols the branch's candidates in a class."""

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import Invalid
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from handlers.branches import candidate_branch
from bot.engine.pickers import CandidatePicker
from handlers.classes import (
    ClassField,
    back_to,
    branch_ids,
    class_text,
    pick_class,
    writable_by,
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
from models.policy import Action, roles_in
from models.stage import Stage


async def enrol_start(ctx: Context, args: str) -> Start:
    found = await pick_class(ctx, args, command="/ghidanh", want="enrol")
    if isinstance(found, Start):
        return found
    row = await get_class(session=ctx.session, where=writable_by(ctx.actor), class_id=found["id"])
    closed = class_open(row.party_class, enrolled=row.enrolled, today=ctx.today)
    if closed:
        return Start(replies=(Reply("classes/enrol_closed", {"c": found, "why": closed}, choices=back_to(found)),),
                     proceed=False)
    people = await may_enrol(session=ctx.session, party_class=row.party_class, branch_ids=branch_ids(ctx.actor))
    if not people:
        return Start(replies=(Reply("classes/nobody_to_enrol", {"c": found}, choices=back_to(found)),),
                     proceed=False)
    return Start(answers={"class": found}, replies=(Reply("classes/enrol_list", {
        "c": found, "people": [{"number": p.number, "full_name": p.full_name, "stage": str(p.stage)}
                               for p in people]}),))


@dataclass(frozen=True)
class EnrolCandidateField(CandidatePicker):
    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + (
        "classes_wrong_stage", "classes_already_enrolled")


def enrollable(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    c = answers["class"]
    if Stage(value["stage"]) not in ENROLLABLE_STAGES[ClassKind(c["kind"])]:
        return Invalid("classes_wrong_stage", {"full_name": value["full_name"], "stage": value["stage"],
                                               "kind": c["kind"]})
    if value["id"] in c["mine"]:
        return Invalid("classes_already_enrolled", {"full_name": value["full_name"], "title": c["title"]})
    return None


async def enrol_check(ctx: Context, answers: Answers) -> Invalid | None:
    found = await writable_candidate(ctx, answers["class"], answers["candidate"]["id"])
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
    if closed == "full":
        return Invalid("classes_full", {"capacity": party_class.capacity})
    return None


async def enrol_done(ctx: Context, answers: Answers) -> list[Reply]:
    party_class = await ctx.session.get(PartyClass, answers["class"]["id"])
    candidate = await ctx.session.get(Candidate, answers["candidate"]["id"])
    moved = candidate.stage == Stage.sympathizer and party_class.kind == ClassKind.awareness
    if moved:
        refusal = await change_stage(
            session=ctx.session, candidate=candidate, to_stage=Stage.awareness_class, on=ctx.today,
            today=ctx.today, reason=None, actor_roles=roles_in(ctx.actor, candidate.branch_id),
            by_person_id=ctx.actor.person_id, now=ctx.now)
        if refusal:
            return [Reply(f"refusal/{refusal.code}", refusal.values)]
    await enrol(session=ctx.session, class_id=party_class.id, candidate_id=candidate.id, now=ctx.now)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.enrol_in_class,
          subject=f"candidate:{candidate.id}")
    enrolled = await count_enrolled(session=ctx.session, class_id=party_class.id)
    choices = []
    if enrolled < party_class.capacity:
        choices.append(Choice(class_text("choice_enrol_more"), f"/ghidanh {party_class.id}"))
    return [Reply("classes/enrolled", {
        "number": candidate.number, "full_name": candidate.full_name, "title": party_class.title,
        "moved": moved, "enrolled": enrolled, "capacity": party_class.capacity,
    }, choices=tuple(choices) + back_to({"id": party_class.id}))]


enrol_flow = Flow(
    name="class_enrol",
    commands=("/ghidanh",),
    action=Action.enrol_in_class,
    help="help/ghidanh",
    start=enrol_start,
    steps=(
        Ask("class", "classes/ask_class", ClassField(), label="classes/label_class"),
        Ask("candidate", "classes/ask_enrol_candidate", EnrolCandidateField(action=Action.enrol_in_class),
            validate=enrollable, label="classes/label_candidate"),
    ),
    confirm="classes/confirm_enrol",
    facts=candidate_branch(Action.enrol_in_class),
    check=enrol_check,
    done=enrol_done,
)

routes = [enrol_flow]
