"""/xet: the monthly review at the branch meeting — each source and sympathizer, one screen each."""

from typing import Any

from bot.events import Choice, Reply
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.engine.walk import SKIP, Walk, summary_groups
from bot.render import text_of
from models.audit import audit
from models.candidate import Candidate, change_stage
from models.policy import Action, branch_grants, candidate_scope, roles_in
from models.review import (
    MonthlyReview, ReviewDecision, Sheet, candidates_by_id, record_review, review_period,
    reviewed_count, sheet, walk_ids,
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
    reasons = ("review_screen", "review_reason", "removal_other", "removal_confirm")

    def period(self, ctx: Context) -> str:
        return review_period(ctx.today)

    async def fetch(self, ctx: Context, candidate_id: int) -> Sheet | None:
        return await sheet(session=ctx.session, candidate_id=candidate_id, where=self.scope(ctx),
                           review_period=self.period(ctx))

    def options(self, s: Sheet) -> list[Choice]:
        stage = Stage(s.candidate.stage)
        return [
            Choice(text_of("review/choice", name=ReviewDecision.keep), ReviewDecision.keep.value),
            Choice(text_of("review/choice", name=ReviewDecision.move_up, stage=stage), UP + MOVE_UP[stage]),
            Choice(text_of("review/choice", name=ReviewDecision.remove), ReviewDecision.remove.value),
        ]

    def batch(self, state: dict) -> list[Choice]:
        # At a meeting most people stay as they are: one answer keeps everyone not yet decided.
        if len(state["ids"]) - state["pos"] < 2:
            return []
        return [Choice(text_of("review/choice", name=KEEP_REST), KEEP_REST)]

    async def decide(self, ctx: Context, state: dict, s: Sheet, value: str) -> Any:
        c = s.candidate
        if value == KEEP_REST:
            return await self._keep_rest(ctx, state)
        if value == ReviewDecision.remove:
            return await self.ask_reason(ctx, state, s)
        if value.startswith(UP):
            before, since = Stage(c.stage), c.stage_since
            target = MOVE_UP[before]
            if value != UP + target:  # the screen showed another stage: show it again
                return await self.show(ctx, state)
            refusal = await change_stage(
                session=ctx.session, candidate=c, to_stage=target, on=ctx.today, today=ctx.today,
                reason=None, actor_roles=roles_in(ctx.actor, c.branch_id),
                by_person_id=ctx.actor.person_id, now=ctx.now)
            if refusal:
                return await self.show(ctx, state, problem=f"refusal/{refusal.code}", **refusal.values)
            decision = ReviewDecision.move_up
        else:
            decision = ReviewDecision.keep
        earlier = await self._record(ctx, c, decision, None)
        if decision == ReviewDecision.move_up:
            await remember(session=ctx.session, candidate=c, kind=UndoKind.review, stage_before=before,
                           since_before=since, by_person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today,
                           **self.kept_in(ctx))
        return await self.next(ctx, state, s, decision.value, self.note(s, decision.value, earlier=earlier))

    async def _keep_rest(self, ctx: Context, state: dict) -> Any:
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
        return self.outcome({**state, "pos": len(state["ids"]), "decided": decided},
                            {"kind": KEEP_REST, "count": kept})

    async def record_removal(self, ctx: Context, s: Sheet, why: str) -> Any:
        return await self._record(ctx, s.candidate, ReviewDecision.remove, why)

    def kept_in(self, ctx: Context) -> dict[str, str]:
        return {"review_period": self.period(ctx)}

    async def _record(self, ctx: Context, c: Candidate, decision: ReviewDecision, why: str | None) -> str | None:
        earlier = await record_review(session=ctx.session, candidate_id=c.id, period=self.period(ctx),
                                      decision=decision, reason=why, by_person_id=ctx.actor.person_id,
                                      now=ctx.now)
        if decision != ReviewDecision.remove:  # a removal is audited with its stage change
            audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
                  action=self.action, subject=f"candidate:{c.id}")
        return earlier.value if earlier else None


async def begin(ctx: Context, args: str) -> Start:
    scope = candidate_scope(ctx.actor, Action.review)
    ids = await walk_ids(session=ctx.session, where=scope, stages=ReviewWalk.stages)
    branches = [g.org_name for g in branch_grants(ctx.actor, Action.review)]
    if not ids:
        return Start(replies=(Reply("review/empty", {"branches": branches}),), proceed=False)
    people = await candidates_by_id(session=ctx.session, ids=ids)
    counts = {stage: sum(1 for c in people.values() if c.stage == stage) for stage in ReviewWalk.stages}
    reviewed = await reviewed_count(session=ctx.session, ids=ids, period=review_period(ctx.today),
                                    table=MonthlyReview)
    return Start(replies=(Reply("review/intro", {
        "branches": branches, "total": len(ids), "sources": counts[Stage.source],
        "sympathizers": counts[Stage.sympathizer], "reviewed": reviewed,
        "period": review_period(ctx.today)}),))


async def sum_up(ctx: Context, answers: Answers) -> list[Reply]:
    values = await summary_groups(ctx, answers["walk"], ("move_up", "remove", "keep", SKIP))
    return [Reply("review/summary", {**values, "period": review_period(ctx.today)})]


flow = Flow(
    name="review",
    commands=("/xet", "/xetduyet"),
    action=Action.review,
    help="help/xet",
    cancelled="review/cancelled",
    steps=(Ask("walk", "review/ask_walk", ReviewWalk()),),
    start=begin,
    done=sum_up,
)

routes = [flow]
