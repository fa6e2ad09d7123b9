"""/gap and /cuatoi: a sponsor logs a meeting with a candidate they help, and sees whom to meet."""

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa

from bot.events import Choice, Reply
from bot.engine.fields import ChoiceField, DateField, Invalid, TextField
from bot.engine.flow import Answers, Ask, Command, Context, Flow, Start
from bot.engine.pickers import CandidatePicker
from bot.render import labels, text_of
from models.audit import audit
from models.candidate import Candidate, candidate_within
from models.checkin import add_checkin, oldest_checkin_day, sponsored
from models.deadlines import sponsor_nudge_on
from models.org import Organisation
from models.pipeline import ACTIVE_STAGES
from models.stage import Stage
from models.policy import Action, candidate_scope
from models.text import page_number

# The sponsor picks among their own candidates still in the pipeline.
ACTIVE = [s.value for s in ACTIVE_STAGES]


def _mine(ctx: Context, action: Action = Action.checkin) -> sa.ColumnElement[bool]:
    return sa.and_(candidate_scope(ctx.actor, action), Candidate.stage.in_(ACTIVE))


@dataclass(frozen=True)
class MyCandidateField(CandidatePicker):
    """One of my candidates still in the pipeline, by number or by part of the name."""

    action: Action = Action.checkin
    stages: tuple[Stage, ...] = tuple(ACTIVE_STAGES)
    only_stages: bool = True
    not_found: str = "checkin_not_mine"
    ambiguous: str = "checkin_ambiguous"
    reasons: ClassVar[tuple[str, ...]] = ("empty", "checkin_not_mine", "checkin_ambiguous", "candidate_page")


@dataclass(frozen=True)
class CheckinDateField(DateField):
    """The day of the meeting: not in the future, not longer ago than models/checkin.py allows."""

    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("checkin_date_too_old",)

    def parse(self, text: str, today: date) -> Any:
        value = super().parse(text, today)
        if isinstance(value, Invalid):
            return value
        oldest = oldest_checkin_day(today)
        if value < oldest:
            return Invalid("checkin_date_too_old", {"date": value, "oldest": oldest})
        return value

    def choices(self) -> tuple[Choice, ...]:
        return (Choice(text_of("checkin/choice_today"), "hom nay"),)


async def start_checkin(ctx: Context, args: str) -> Start:
    mine = await sponsored(session=ctx.session, where=_mine(ctx), today=ctx.today)
    if not mine:
        return Start(proceed=False, replies=(Reply("checkin/none_assigned"),))
    rows = sorted(mine, key=lambda s: s.number)
    return Start(replies=(Reply("checkin/pick_list", {"rows": [] if args else rows}),))


async def still_mine(ctx: Context, answers: Answers) -> Invalid | None:
    """The candidate may have been handed to another sponsor while the form was open."""
    candidate = answers.get("candidate")
    if candidate is None:
        return None
    if await candidate_within(session=ctx.session, where=_mine(ctx), candidate_id=candidate["id"]) is None:
        return Invalid("checkin_not_mine", {"text": candidate["full_name"]})
    return None


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = answers["candidate"]
    checkin = await add_checkin(
        session=ctx.session, candidate_id=candidate["id"], sponsor_id=ctx.actor.person_id,
        met_on=answers["met_on"], how=answers["how"], assessment=answers["assessment"],
        note=answers.get("note"), now=ctx.now)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.checkin,
          subject=f"candidate:{candidate['id']}")
    branch = await ctx.session.get(Organisation, candidate["branch_id"])
    return [Reply("checkin/saved", {
        "full_name": candidate["full_name"], "number": candidate["number"], "met_on": checkin.met_on,
        "next_by": sponsor_nudge_on(checkin.met_on, branch.sponsor_nudge_days)})]


async def show_mine(ctx: Context, args: str) -> list[Reply]:
    page = page_number(args)
    rows = await sponsored(session=ctx.session, where=_mine(ctx, Action.my_candidates), today=ctx.today)
    size = ctx.settings.page_size
    pages = max(1, math.ceil(len(rows) / size))
    if page > pages:
        return [Reply("checkin/no_such_page", {"page": page, "pages": pages})]
    shown = rows[(page - 1) * size:page * size]
    choices = [Choice(labels("more")["next"], f"/cuatoi {page + 1}")] if page < pages else []
    if rows:
        choices.insert(0, Choice(text_of("checkin/choice_log"), "/gap"))
    return [Reply("checkin/mine", {
        "due": [r for r in shown if r.nudge], "fine": [r for r in shown if not r.nudge],
        "total": len(rows), "page": page, "pages": pages}, choices=tuple(choices))]


flow = Flow(
    name="checkin",
    commands=("/gap",),
    action=Action.checkin,
    help="help/gap",
    steps=(
        Ask("candidate", "checkin/ask_candidate", MyCandidateField(), label="checkin/label_candidate"),
        Ask("met_on", "checkin/ask_met_on", CheckinDateField(), label="checkin/label_met_on"),
        Ask("how", "checkin/ask_how", ChoiceField("checkin_how"), label="checkin/label_how"),
        Ask("assessment", "checkin/ask_assessment", ChoiceField("assessment"),
            label="checkin/label_assessment"),
        Ask("note", "checkin/ask_note", TextField(max_len=500, optional=True), label="checkin/label_note"),
    ),
    confirm="checkin/confirm",
    check=still_mine,
    start=start_checkin,
    done=save,
)

mine_command = Command(name="my_candidates", commands=("/cuatoi",), action=Action.my_candidates,
                       help="help/cuatoi", run=show_mine)

routes = [flow, mine_command]
