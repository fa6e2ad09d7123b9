"""The monthly review of sources and sympathizers, and the quarterly survey of the source pool."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import enum_field


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
