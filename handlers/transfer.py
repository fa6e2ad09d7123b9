"""/chuyen: the branch records that a candidate or probationary member moved or graduated:
where to, since when, and a short hand-over note for the new place."""

from dataclasses import dataclass
from typing import ClassVar

from bot.events import Reply
from bot.engine.fields import Invalid, TextField
from bot.engine.flow import Answers, Ask, Context, Flow
from handlers.shared.admission_steps import (
    FactDateField, SubjectField, fresh_check, on_date, save_fact, subject_ok, subject_start,
)
from handlers.shared.branches import candidate_branch
from bot.engine.pickers import CandidatePicker
from models import citations
from models.admission import (
    TRANSFER_STAGES, Subject, Transfer, key_dates, transfer_date_refusal, transfer_note_room, transfer_refusal,
)
from models.deadlines import member_transfer_due
from models.policy import Action
from models.stage import Stage

CHUYEN = "/chuyen"
AREA = "transfer"


@dataclass(frozen=True)
class TransferSubjectField(SubjectField):
    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + ("transfer_rule", "transfer_changed")


@dataclass(frozen=True)
class MovedOnField(FactDateField):
    today_choice: bool = False  # a move is rarely today: no default offered
    reasons: ClassVar[tuple[str, ...]] = FactDateField.reasons + ("transfer_rule",)


@dataclass(frozen=True)
class NoteField(TextField):
    """The hand-over note: it shares the stage change's 500 characters with the destination."""

    reasons: ClassVar[tuple[str, ...]] = TextField.reasons + ("transfer_too_long",)


FIELD = TransferSubjectField(action=Action.transfer, stages=TRANSFER_STAGES)


def phase(s: Subject) -> str:
    return "transfer"


def note_fits(value: str | None, answers: Answers, ctx: Context) -> Invalid | None:
    room = transfer_note_room(answers.get("destination") or "")
    if value and len(value) > room:
        return Invalid("too_long", {"max_len": room, "length": len(value)})
    return None


async def summary(ctx: Context, s: Subject) -> list[Reply]:
    return [Reply("transfer/summary", {"s": s, "k": key_dates(s, ctx.today),
                                         "sources": citations.MEMBER_TRANSFER})]


def build(a: Answers) -> Transfer:
    return Transfer(on=a["moved_on"], destination=a["destination"], note=a.get("note"))


async def done(ctx: Context, answers: Answers) -> list[Reply]:
    fact = build(answers)
    outcome = await save_fact(ctx, answers, fact, action=Action.transfer, area=AREA)
    if isinstance(outcome, Reply):
        return [outcome]
    before, after = outcome
    member = before.stage == Stage.probationary
    return [Reply("transfer/saved", {"s": after, "f": fact, "from_stage": before.stage, "member": member,
                                     "due": member_transfer_due(fact.on) if member else None})]


flow = Flow(
    name="transfer",
    commands=(CHUYEN,),
    action=Action.transfer,
    help="help/chuyen",
    steps=(
        Ask("candidate", "transfer/ask_candidate", FIELD, label="transfer/label_candidate",
            validate=subject_ok(transfer_refusal, phase, CHUYEN, AREA), then=summary),
        Ask("destination", "transfer/ask_destination", TextField(max_len=200), label="transfer/label_destination"),
        Ask("moved_on", "transfer/ask_moved_on", MovedOnField(), label="transfer/label_moved_on",
            validate=on_date(lambda s, on, a: transfer_date_refusal(s, on), AREA)),
        Ask("note", "transfer/ask_note", NoteField(max_len=500, optional=True), label="transfer/label_note",
            validate=note_fits),
    ),
    confirm="transfer/confirm",
    check=fresh_check(action=Action.transfer, phase=phase, build=build, area=AREA),
    facts=candidate_branch(Action.transfer),
    start=subject_start(command=CHUYEN, field=FIELD, allowed=transfer_refusal, summary=summary, area=AREA),
    done=done,
)

routes = [flow]
