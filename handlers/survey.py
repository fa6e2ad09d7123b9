"""/quy: the quarterly survey of the source pool — an assessment per source, the inactive dropped."""

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import Field, Invalid
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.render import labels, text_of
from bot.engine.walk import REMOVAL_REASONS, SKIP, OptionField, Walk, summary_groups
from models.audit import audit
from models.policy import Action, branch_grants, candidate_scope
from models.review import (
    Assessment, Sheet, SourceSurvey, record_survey, reviewed_count, sheet, survey_period, walk_ids,
)
from models.stage import Stage

DROP = "drop"
INACTIVE = "inactive"  # the usual reason for dropping a source
WORDS = "words:"  # an assessment in the branch's own words, kept as typed
WORDS_MAX_LEN = 40  # SourceSurvey.assessment


@dataclass(frozen=True)
class AssessmentField(OptionField):
    """A level from the list, or the branch's own words (up to 40 characters, kept as typed)."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "choice_unknown", "too_long")

    def unknown(self, word: str) -> Any:
        if not any(ch.isalpha() for ch in word):  # "9": no choice, and no words either
            return super().unknown(word)
        if len(word) > WORDS_MAX_LEN:
            return Invalid("too_long", {"length": len(word), "max_len": WORDS_MAX_LEN})
        return WORDS + word


class SurveyWalk(Walk):
    area = "survey"
    stages = (Stage.source,)
    removal_reasons = (INACTIVE, *REMOVAL_REASONS)

    def period(self, ctx: Context) -> str:
        return survey_period(ctx.today)

    async def fetch(self, ctx: Context, candidate_id: int) -> Sheet | None:
        return await sheet(session=ctx.session, candidate_id=candidate_id, where=self.scope(ctx),
                           survey_period=self.period(ctx))

    def options(self, s: Sheet) -> list[Choice]:
        names = labels("assessment")
        return [Choice(names[a], a.value) for a in Assessment] + [
            Choice(text_of("survey/choice", name=DROP), DROP)]

    def decision_field(self, offered: tuple[Choice, ...]) -> Field:
        return AssessmentField(offered)

    def removes(self, value: str) -> bool:
        return value == DROP

    def reason_text(self, key: str) -> str:
        return text_of("survey/reason_inactive") if key == INACTIVE else super().reason_text(key)

    async def decide(self, ctx: Context, state: dict, s: Sheet, value: str) -> None:
        assessment = value[len(WORDS):] if value.startswith(WORDS) else value
        earlier = await self._record(ctx, s, assessment, None)
        audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
              action=self.action, subject=f"candidate:{s.candidate.id}")
        return self.next(ctx, state, s, value, self.note(s, "assessed", assessment=assessment, earlier=earlier))

    async def record_removal(self, ctx: Context, s: Sheet, why: str) -> Any:
        return await self._record(ctx, s, Assessment.poor.value, why)

    def kept_in(self, ctx: Context) -> dict[str, str]:
        return {"survey_period": self.period(ctx)}

    async def _record(self, ctx: Context, s: Sheet, assessment: str, note: str | None) -> str | None:
        return await record_survey(session=ctx.session, candidate_id=s.candidate.id, period=self.period(ctx),
                                   assessment=assessment, note=note, by_person_id=ctx.actor.person_id,
                                   now=ctx.now)


async def begin(ctx: Context, args: str) -> Start:
    scope = candidate_scope(ctx.actor, Action.review)
    ids = await walk_ids(session=ctx.session, where=scope, stages=SurveyWalk.stages)
    branches = [g.org_name for g in branch_grants(ctx.actor, Action.review)]
    if not ids:
        return Start(replies=(Reply("survey/empty", {"branches": branches}),), proceed=False)
    surveyed = await reviewed_count(session=ctx.session, ids=ids, period=survey_period(ctx.today),
                                    table=SourceSurvey)
    return Start(replies=(Reply("survey/intro", {
        "branches": branches, "total": len(ids), "surveyed": surveyed, "period": survey_period(ctx.today),
        "max_len": WORDS_MAX_LEN}),))


async def sum_up(ctx: Context, answers: Answers) -> list[Reply]:
    order = ("remove", *(a.value for a in Assessment))
    values = await summary_groups(ctx, answers["walk"], order)
    groups = [g for g in values["groups"] if g[0] != SKIP] + [g for g in values["groups"] if g[0] == SKIP]
    return [Reply("survey/summary", {**values, "groups": groups, "words": WORDS,
                                     "period": survey_period(ctx.today)})]


flow = Flow(
    name="survey",
    commands=("/quy", "/khaosat"),
    action=Action.review,
    help="help/quy",
    cancelled="survey/cancelled",
    steps=(Ask("walk", "survey/screen", SurveyWalk()),),
    start=begin,
    done=sum_up,
)

routes = [flow]
