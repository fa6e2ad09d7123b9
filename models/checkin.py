"""A sponsor's meeting with a candidate they help."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import enum_field


class CheckinHow(StrEnum):
    in_person = "in_person"
    phone = "phone"
    online = "online"


class Checkin(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_checkin_candidate_met", "candidate_id", "met_on"),)
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id")
    sponsor_id: int = Field(foreign_key="person.id", index=True)
    met_on: date
    how: CheckinHow = enum_field()
    assessment: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=500)
    at: datetime
