"""The monthly review of sources and sympathizers, and the quarterly survey of the source pool."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import enum_field
from models.candidate import Candidate
from models.checkin import Checkin
from models.people import Person
from models.stage import PIPELINE_ORDER, Stage


class ReviewDecision(StrEnum):
    keep = "keep"
    move_up = "move_up"  # source → sympathizer → proposed for a class
    remove = "remove"


class Assessment(StrEnum):
    good = "good"  # tốt
    fair = "fair"  # khá
    average = "average"  # trung bình
    poor = "poor"  # chưa đạt


class MonthlyReview(SQLModel, table=True):
    """What the branch meeting decided for one candidate in one month (redoing it updates it)."""

    __table_args__ = (sa.UniqueConstraint("candidate_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    period: str = Field(max_length=7)  # YYYY-MM
    decision: ReviewDecision = enum_field()
    reason: str | None = Field(default=None, max_length=500)
    by_person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime
    # The day of the meeting that decided (None: recorded before chibo asked it; then `at`'s day).
    held_on: date | None = None


class SourceSurvey(SQLModel, table=True):
    """The quarterly assessment of a source (quần chúng ưu tú)."""

    __table_args__ = (sa.UniqueConstraint("candidate_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    period: str = Field(max_length=7)  # YYYY-Qn
    assessment: str = Field(max_length=40)  # an Assessment value or the branch's own words
    note: str | None = Field(default=None, max_length=500)
    by_person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime


# ---- Queries and writes (keyword-only, never committing: the engine commits).



def review_period(day: date) -> str:
    """The month of a monthly review: "2026-03"."""
    return f"{day.year:04d}-{day.month:02d}"


def survey_period(day: date) -> str:
    """The quarter of a source survey: "2026-Q1"."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def review_day_problem(day: date, *, last_review_on: date | None) -> str | None:
    """Why a monthly review cannot be recorded for this meeting day, or None: a review follows the
    branch's previous one, never before it (issue 13 item 6; a day in the future is refused by
    the date question itself). The same day again is a review resumed."""
    if last_review_on is not None and day < last_review_on:
        return "before_last"
    return None


async def last_review_on(*, session: AsyncSession, where: sa.ColumnElement[bool]) -> date | None:
    """The day of the latest monthly review of the candidates within `where`. A review recorded
    before the meeting's day was asked counts from the first day of its month (its day unknown)."""
    held = (await session.exec(
        select(sa.func.max(MonthlyReview.held_on)).join(Candidate, Candidate.id == MonthlyReview.candidate_id)
        .where(where))).first()
    month = (await session.exec(
        select(sa.func.max(MonthlyReview.period)).join(Candidate, Candidate.id == MonthlyReview.candidate_id)
        .where(where, MonthlyReview.held_on.is_(None)))).first()
    days = [d for d in (held, date(int(month[:4]), int(month[5:7]), 1) if month else None) if d is not None]
    return max(days) if days else None


@dataclass(frozen=True)
class Sheet:
    """What a review or survey screen shows about one candidate."""

    candidate: Candidate
    sponsor: str | None
    checkin: Checkin | None
    review: MonthlyReview | None
    survey: SourceSurvey | None


async def walk_ids(
    *, session: AsyncSession, where: sa.ColumnElement[bool], stages: Collection[Stage]
) -> list[int]:
    """The candidates a review walks through, ordered by stage (pipeline order) then number."""
    order = sa.case({s.value: i for i, s in enumerate(PIPELINE_ORDER)}, value=Candidate.stage)
    rows = await session.exec(
        select(Candidate.id).where(where, Candidate.stage.in_([Stage(s).value for s in stages]))
        .order_by(order, Candidate.branch_id, Candidate.number))
    return list(rows)


async def sheet(
    *, session: AsyncSession, candidate_id: int, where: sa.ColumnElement[bool],
    review_period: str | None = None, survey_period: str | None = None,
) -> Sheet | None:
    """One candidate within `where` with their sponsor, last check-in and this period's records."""
    candidate = (await session.exec(
        select(Candidate).where(where, Candidate.id == candidate_id))).first()
    if candidate is None:
        return None
    sponsor = await session.get(Person, candidate.sponsor_id) if candidate.sponsor_id else None
    checkin = (await session.exec(
        select(Checkin).where(Checkin.candidate_id == candidate_id)
        .order_by(Checkin.met_on.desc(), Checkin.id.desc()).limit(1))).first()
    review = await _one(session, MonthlyReview, candidate_id, review_period) if review_period else None
    survey = await _one(session, SourceSurvey, candidate_id, survey_period) if survey_period else None
    return Sheet(candidate=candidate, sponsor=sponsor.full_name if sponsor else None,
                 checkin=checkin, review=review, survey=survey)


async def _one(session: AsyncSession, table, candidate_id: int, period: str):
    return (await session.exec(
        select(table).where(table.candidate_id == candidate_id, table.period == period))).first()


async def record_review(
    *, session: AsyncSession, candidate_id: int, period: str, decision: ReviewDecision,
    reason: str | None, by_person_id: int | None, now: datetime, held_on: date | None = None,
) -> ReviewDecision | None:
    """Keep the month's decision for a candidate (one per month: a second one replaces it).

    Returns the decision it replaced, if any."""
    row = await _one(session, MonthlyReview, candidate_id, period)
    earlier = ReviewDecision(row.decision) if row else None
    if row is None:
        row = MonthlyReview(candidate_id=candidate_id, period=period, decision=decision, at=now)
    row.decision, row.reason, row.by_person_id, row.at = decision, reason, by_person_id, now
    row.held_on = held_on
    session.add(row)
    await session.flush()
    return earlier


async def record_survey(
    *, session: AsyncSession, candidate_id: int, period: str, assessment: str, note: str | None,
    by_person_id: int | None, now: datetime,
) -> str | None:
    """Keep the quarter's assessment of a source (one per quarter: a second one replaces it).

    Returns the assessment it replaced, if any."""
    row = await _one(session, SourceSurvey, candidate_id, period)
    earlier = row.assessment if row else None
    if row is None:
        row = SourceSurvey(candidate_id=candidate_id, period=period, assessment=assessment, at=now)
    row.assessment, row.note, row.by_person_id, row.at = assessment, note, by_person_id, now
    session.add(row)
    await session.flush()
    return earlier


async def candidates_by_id(*, session: AsyncSession, ids: Collection[int]) -> dict[int, Candidate]:
    if not ids:
        return {}
    rows = await session.exec(select(Candidate).where(Candidate.id.in_(list(ids))))
    return {c.id: c for c in rows}


async def reviewed_count(*, session: AsyncSession, ids: Collection[int], period: str, table=MonthlyReview) -> int:
    """How many of these candidates already have a record for the period."""
    if not ids:
        return 0
    return (await session.exec(select(sa.func.count()).select_from(table).where(
        table.candidate_id.in_(list(ids)), table.period == period))).one()
