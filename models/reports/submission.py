"""A branch's report sent up to the committee above: who sent it, when, for which period, the
files written and a snapshot of its figures. A branch may send again (a corrected report):
every sending is kept, the latest counts."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.reports.periods import ReportPeriod, month_of
from models.rules import REPORT_DAY, add_months


class ReportSubmission(SQLModel, table=True):
    __tablename__ = "reportsubmission"
    __table_args__ = (sa.Index("ix_reportsubmission_period_org", "period", "org_id"),)
    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id")  # the branch that sent it
    period: str = Field(max_length=16)  # ReportPeriod.label: "2026-03", "2026-Q1", "2026-H1", "2026"
    kind: str = Field(max_length=16)  # bot/reports/make.py ReportKind
    person_id: int = Field(foreign_key="person.id")  # who sent it
    at: datetime
    files: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # the files' names
    figures: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)  # the summary, as sent


def submit(*, session: AsyncSession, org_id: int, period: str, kind: str, person_id: int, at: datetime,
           files: list[str], figures: dict[str, Any]) -> ReportSubmission:
    row = ReportSubmission(org_id=org_id, period=period, kind=kind, person_id=person_id, at=at, files=files,
                           figures=figures)
    session.add(row)
    return row


def sent_for(period: str) -> sa.Select:
    """The branches that have sent a report for the period (their ids), as a subquery's rows."""
    return sa.select(ReportSubmission.org_id).where(ReportSubmission.period == period).distinct()


async def sent_among(*, session: AsyncSession, period: str, branch_ids: list[int] | None = None) -> set[int]:
    """Of the branches given (all when None), those that have sent their report for the period."""
    stmt = sent_for(period)
    if branch_ids is not None:
        stmt = stmt.where(ReportSubmission.org_id.in_(branch_ids))
    return set((await session.exec(stmt)).scalars())


async def latest(*, session: AsyncSession, org_id: int, period: str) -> ReportSubmission | None:
    return (await session.exec(select(ReportSubmission).where(
        ReportSubmission.org_id == org_id, ReportSubmission.period == period)
        .order_by(ReportSubmission.at.desc(), ReportSubmission.id.desc()).limit(1))).first()


def due_month(today: date) -> ReportPeriod:
    """The month whose report a branch owes now: this month from rules.REPORT_DAY (when the
    reminder goes out), else the month before (a report sent in the first days is last month's)."""
    return month_of(today) if today.day >= REPORT_DAY else month_of(add_months(today.replace(day=1), -1))
