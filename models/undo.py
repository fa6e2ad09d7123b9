"""Taking back a removal, a review decision or an enrolment made by mistake (/hoantac).

Each such action is remembered when it is made, with what undoing it needs (the stage and the
day the candidate was at before, the review or survey period, the class); undoing restores that
and is itself kept (who, when) for the card's history.

The rule: the person who made the action may take it back on the same day (Vietnam's day);
the branch's secretary at any time. Only a candidate's latest action is taken back, and never
one a later step depends on (a later stage change, a class result, a newer review decision).
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import enum_field
from models.candidate import Candidate, StageChange
from models.party_class import Enrollment, EnrollmentStatus, PartyClass
from models.people import Person
from models.review import MonthlyReview, ReviewDecision, SourceSurvey
from models.stage import Role, Stage

# What is written in the audit log for an undo (models/audit.py).
UNDO_ACTION = "candidate.undo"
# How many actions /hoantac offers at most (the latest first).
UNDO_LIST_MAX = 10


class UndoKind(StrEnum):
    removal = "removal"  # taken off the list at the monthly review or the quarterly survey
    review = "review"  # moved up a step at the monthly review
    enrolment = "enrolment"  # enrolled in a class (an awareness class also moves a sympathizer on)


class UndoableAction(SQLModel, table=True):
    """An action that may be taken back, with what was there before it; undone_* once it is."""

    __tablename__ = "undoableaction"
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: UndoKind = enum_field()
    on: date  # the day in Vietnam
    at: datetime
    by_person_id: int | None = Field(default=None, foreign_key="person.id")
    # The stage change the action made, if any: the stage and its first day before it.
    stage_change_id: int | None = Field(default=None, foreign_key="stagechange.id")
    from_stage: Stage | None = enum_field(default=None, nullable=True)
    to_stage: Stage | None = enum_field(default=None, nullable=True)
    since_before: date | None = None
    # Where the decision was kept: the month of a review, the quarter of a survey, the class.
    review_period: str | None = Field(default=None, max_length=7)
    survey_period: str | None = Field(default=None, max_length=7)
    class_id: int | None = Field(default=None, foreign_key="partyclass.id")
    undone_on: date | None = None
    undone_at: datetime | None = None
    undone_by: int | None = Field(default=None, foreign_key="person.id")


# ---- The rule ------------------------------------------------------------------------------

def who_may_undo(*, done_by: int | None, done_on: date, actor_id: int | None,
                 actor_roles: frozenset[Role], today: date) -> str | None:
    """None if this person may take the action back today; else why not: "too_late" (the
    author, on a later day: the secretary may) or "not_author" (someone else's action)."""
    if Role.secretary in actor_roles:
        return None
    if actor_id is None or done_by != actor_id:
        return "not_author"
    if today != done_on:
        return "too_late"
    return None


@dataclass(frozen=True)
class Blocker:
    """Why an action can no longer be taken back (a template under messages/vi/undo/blocked/)."""

    code: str


async def blocker(*, session: AsyncSession, action: UndoableAction) -> Blocker | None:
    """What stands in the way of undoing: already undone, a later action of the same candidate,
    a later stage change, a class result, a newer review decision; None when nothing does."""
    if action.undone_at is not None:
        return Blocker("undone")
    later = (await session.exec(select(UndoableAction.id).where(
        UndoableAction.candidate_id == action.candidate_id, UndoableAction.id > action.id,
        UndoableAction.undone_at.is_(None)).limit(1))).first()
    if later is not None:
        return Blocker("later_action")
    candidate = await session.get(Candidate, action.candidate_id)
    if action.stage_change_id is not None:
        undone_changes = select(UndoableAction.stage_change_id).where(
            UndoableAction.candidate_id == action.candidate_id, UndoableAction.undone_at.is_not(None),
            UndoableAction.stage_change_id.is_not(None))
        moved = (await session.exec(select(StageChange.id).where(
            StageChange.candidate_id == action.candidate_id, StageChange.id > action.stage_change_id,
            StageChange.id.not_in(undone_changes)).limit(1))).first()
        if moved is not None or candidate.stage != action.to_stage:
            return Blocker("stage_moved")
    if action.review_period is not None:
        review = await _period_row(session, MonthlyReview, action.candidate_id, action.review_period)
        wanted = ReviewDecision.remove if action.kind == UndoKind.removal else ReviewDecision.move_up
        if review is None or review.decision != wanted:
            return Blocker("reviewed_again")
    if action.class_id is not None:
        enrollment = await _enrollment(session, action)
        if enrollment is None:
            return Blocker("not_enrolled")
        if enrollment.status != EnrollmentStatus.enrolled:
            return Blocker("result_recorded")
    return None


# ---- Remembering an action, and taking it back ---------------------------------------------

async def remember(
    *, session: AsyncSession, candidate: Candidate, kind: UndoKind, stage_before: Stage, since_before: date,
    by_person_id: int | None, now: datetime, today: date, review_period: str | None = None,
    survey_period: str | None = None, class_id: int | None = None,
) -> UndoableAction:
    """Keep what undoing an action just made needs. `stage_before` and `since_before` are the
    candidate's stage and its first day before the action; a changed stage is found in the
    candidate's latest stage change."""
    action = UndoableAction(candidate_id=candidate.id, kind=kind, on=today, at=now, by_person_id=by_person_id,
                            review_period=review_period, survey_period=survey_period, class_id=class_id)
    if candidate.stage != stage_before:
        action.stage_change_id = (await session.exec(
            select(StageChange.id).where(StageChange.candidate_id == candidate.id)
            .order_by(StageChange.id.desc()).limit(1))).first()
        action.from_stage, action.to_stage, action.since_before = stage_before, candidate.stage, since_before
    session.add(action)
    await session.flush()
    return action


async def undo(*, session: AsyncSession, action: UndoableAction, by_person_id: int | None,
               now: datetime, today: date) -> None:
    """Put things back as they were before the action (the caller checked `blocker` and the
    rule): the stage and its first day, no review or survey decision for that period (the
    branch decides again), no enrolment in the class; and keep who undid it, when."""
    candidate = await session.get(Candidate, action.candidate_id)
    if action.stage_change_id is not None:
        candidate.stage, candidate.stage_since = action.from_stage, action.since_before
        session.add(candidate)
    if action.review_period is not None:
        await _delete(session, await _period_row(session, MonthlyReview, candidate.id, action.review_period))
    if action.survey_period is not None:
        await _delete(session, await _period_row(session, SourceSurvey, candidate.id, action.survey_period))
    if action.class_id is not None:
        await _delete(session, await _enrollment(session, action))
    action.undone_on, action.undone_at, action.undone_by = today, now, by_person_id
    session.add(action)
    await session.flush()


# ---- What /hoantac lists ---------------------------------------------------------------------

@dataclass(frozen=True)
class Undoable:
    """One action offered for undoing, with what the list and the confirmation show."""

    action: UndoableAction
    candidate: Candidate
    by: str | None  # who made it
    reason: str | None  # a removal's reason
    class_title: str | None


async def latest_actions(*, session: AsyncSession, where: sa.ColumnElement[bool],
                         limit: int = UNDO_LIST_MAX) -> list[Undoable]:
    """Each candidate's latest action not yet undone, among the candidates matching `where`,
    the latest first."""
    newest = (select(sa.func.max(UndoableAction.id)).where(UndoableAction.undone_at.is_(None))
              .group_by(UndoableAction.candidate_id))
    rows = (await session.exec(
        select(UndoableAction, Candidate, Person.full_name)
        .join(Candidate, Candidate.id == UndoableAction.candidate_id)
        .join(Person, Person.id == UndoableAction.by_person_id, isouter=True)
        .where(where, UndoableAction.id.in_(newest))
        .order_by(UndoableAction.id.desc()).limit(limit))).all()
    found = []
    for action, candidate, by in rows:
        reason = None
        if action.stage_change_id is not None and action.kind == UndoKind.removal:
            reason = (await session.get(StageChange, action.stage_change_id)).reason
        title = (await session.get(PartyClass, action.class_id)).title if action.class_id else None
        found.append(Undoable(action=action, candidate=candidate, by=by, reason=reason, class_title=title))
    return found


async def undone_actions(*, session: AsyncSession, candidate_id: int, limit: int) -> list[UndoableAction]:
    """The candidate's undone actions, the latest undo first (for the card's history)."""
    return list(await session.exec(
        select(UndoableAction).where(UndoableAction.candidate_id == candidate_id,
                                     UndoableAction.undone_at.is_not(None))
        .order_by(UndoableAction.undone_at.desc(), UndoableAction.id.desc()).limit(limit)))


async def _period_row(session: AsyncSession, table, candidate_id: int, period: str):
    return (await session.exec(
        select(table).where(table.candidate_id == candidate_id, table.period == period))).first()


async def _enrollment(session: AsyncSession, action: UndoableAction) -> Enrollment | None:
    return (await session.exec(select(Enrollment).where(
        Enrollment.class_id == action.class_id, Enrollment.candidate_id == action.candidate_id))).first()


async def _delete(session: AsyncSession, row) -> None:
    if row is not None:
        await session.delete(row)
