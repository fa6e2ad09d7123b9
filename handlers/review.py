"""/xet: the monthly review at the branch meeting — each source and sympathizer, one screen each."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import DateField, Invalid, today_choices
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.engine.walk import SKIP, Walk, choice, refused, summary_groups
from bot.render import text_of
from models.audit import audit
from models.candidate import Candidate, change_stage
from models.policy import Action, branch_grants, candidate_scope, roles_in
from models.review import (
    ReviewDecision, Sheet, candidates_by_id, last_review_on, record_review, review_day_problem, review_period,
    sheet, walk_ids,
)
from models.stage import Stage
from models.undo import UndoKind, remember

KEEP_REST = "keep_rest"  # keep everyone not yet decided, in one answer
UP = "up:"  # "up:sympathizer": move up to that stage (stale if the person moved meanwhile)

# Move up at a monthly review: a source joins the sympathizer list; a sympathizer is proposed for a class.
MOVE_UP: dict[Stage, Stage] = {Stage.source: Stage.sympathizer, Stage.sympathizer: Stage.awareness_class}


class ReviewWalk(Walk):
    area = "review"
    stages = (Stage.source, Stage.sympathizer)

    def period(self, ctx: Context) -> str:
        return review_period(self.on(ctx))

    def on(self, ctx: Context) -> date:
        return meeting_day(ctx)

    async def fetch(self, ctx: Context, candidate_id: int) -> Sheet | None:
        return await sheet(session=ctx.session, candidate_id=candidate_id, where=self.scope(ctx),
                           review_period=self.period(ctx))

    def options(self, s: Sheet) -> list[Choice]:
        stage = Stage(s.candidate.stage)
        return [choice(ReviewDecision.keep.value),
                Choice(text_of("review/choice", name=ReviewDecision.move_up, stage=stage), UP + MOVE_UP[stage]),
                choice(ReviewDecision.remove.value)]

    def removes(self, value: str) -> bool:
        return value == ReviewDecision.remove

    def batch(self, state: dict) -> list[Choice]:
        # At a meeting most people stay as they are: one answer keeps everyone not yet decided.
        if len(state["ids"]) - state["pos"] < 2:
            return []
        return [choice(KEEP_REST)]

    async def decide(self, ctx: Context, state: dict, s: Sheet, value: str) -> Invalid | None:
        c = s.candidate
        if value == KEEP_REST:
            return await self._keep_rest(ctx, state)
        if value.startswith(UP):
            before, since = Stage(c.stage), c.stage_since
            refusal = await change_stage(
                session=ctx.session, candidate=c, to_stage=MOVE_UP[before], on=self.on(ctx), today=ctx.today,
                reason=None, actor_roles=roles_in(ctx.actor, c.branch_id),
                by_person_id=ctx.actor.person_id, now=ctx.now)
            if refusal:
                return refused(refusal)
            decision = ReviewDecision.move_up
        else:
            decision = ReviewDecision.keep
        earlier = await self._record(ctx, c, decision, None)
        if decision == ReviewDecision.move_up:
            await remember(session=ctx.session, candidate=c, kind=UndoKind.review, stage_before=before,
                           since_before=since, by_person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today,
                           **self.kept_in(ctx))
        return self.next(ctx, state, s, decision.value, self.note(s, decision.value, earlier=earlier))

    async def _keep_rest(self, ctx: Context, state: dict) -> None:
        """Keep the person on the screen and everyone after them not yet decided in this walk."""
        decided = dict(state["decided"])
        kept = 0
        for cid in state["ids"][state["pos"]:]:
            s = await self.fetch(ctx, cid)
            if s is None or s.candidate.stage not in self.stages or str(cid) in decided:
                continue
            await self._record(ctx, s.candidate, ReviewDecision.keep, None)
            decided[str(cid)] = ReviewDecision.keep.value
            kept += 1
        ctx.state["walk"] = {**state, "pos": len(state["ids"]), "decided": decided, "over": True,
                             "note": {"kind": KEEP_REST, "count": kept}}

    async def record_removal(self, ctx: Context, s: Sheet, why: str) -> Any:
        return await self._record(ctx, s.candidate, ReviewDecision.remove, why)

    def kept_in(self, ctx: Context) -> dict[str, str]:
        return {"review_period": self.period(ctx)}

    async def _record(self, ctx: Context, c: Candidate, decision: ReviewDecision, why: str | None) -> str | None:
        earlier = await record_review(session=ctx.session, candidate_id=c.id, period=self.period(ctx),
                                      decision=decision, reason=why, by_person_id=ctx.actor.person_id,
                                      now=ctx.now, held_on=self.on(ctx))
        if decision != ReviewDecision.remove:  # a removal is audited with its stage change
            audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
                  action=self.action, subject=f"candidate:{c.id}")
        return earlier.value if earlier else None


MEETING_ON = "meeting_on"  # the meeting's day, once answered (the walk reads it: ctx.state)


def meeting_day(ctx: Context) -> date:
    held = ctx.state.get(MEETING_ON)
    return date.fromisoformat(held) if held else ctx.today


@dataclass(frozen=True)
class MeetingDayField(DateField):
    """The day of the branch meeting that reviews: today unless typed, never in the future, never
    before the branch's previous review (models/review.py `review_day_problem`)."""

    today_choice: bool = True
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("review_before_last",)

    async def resolve(self, text: str, ctx: Any) -> Any:
        value = self.parse(text, ctx.today)
        if isinstance(value, Invalid):
            return value
        last = await last_review_on(session=ctx.session, where=candidate_scope(ctx.actor, Action.review))
        if review_day_problem(value, last_review_on=last):
            return Invalid("review_before_last", {"date": value, "last": last}, choices=today_choices(ctx.today))
        ctx.state[MEETING_ON] = value.isoformat()
        return value


async def begin(ctx: Context, args: str) -> Start:
    scope = candidate_scope(ctx.actor, Action.review)
    ids = await walk_ids(session=ctx.session, where=scope, stages=ReviewWalk.stages)
    branches = [g.org_name for g in branch_grants(ctx.actor, Action.review)]
    if not ids:
        return Start(replies=(Reply("review/empty", {"branches": branches}),), proceed=False)
    people = await candidates_by_id(session=ctx.session, ids=ids)
    counts = {stage: sum(1 for c in people.values() if c.stage == stage) for stage in ReviewWalk.stages}
    return Start(replies=(Reply("review/intro", {
        "branches": branches, "total": len(ids), "sources": counts[Stage.source],
        "sympathizers": counts[Stage.sympathizer]}),))


async def sum_up(ctx: Context, answers: Answers) -> list[Reply]:
    values = await summary_groups(ctx, answers["walk"], ("move_up", "remove", "keep", SKIP))
    return [Reply("review/summary", {**values, "period": review_period(answers["on"])})]


flow = Flow(
    name="review",
    commands=("/xet", "/xetduyet"),
    action=Action.review,
    help="help/xet",
    cancelled="review/cancelled",
    steps=(Ask("on", "review/ask_on", MeetingDayField()),
           Ask("walk", "review/screen", ReviewWalk())),
    start=begin,
    done=sum_up,
)

routes = [flow]
