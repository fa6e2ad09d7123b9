"""A target (chỉ tiêu) set for an organisation over a period: admissions and composition."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import enum_field
from models.targets import PeriodKind


class OrgTarget(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("org_id", "label"),)
    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    label: str = Field(max_length=20)  # "2026-2027" (school year), "2026" (calendar), a term
    period_kind: PeriodKind = enum_field()
    starts_on: date
    ends_on: date
    admissions: int
    composition: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)  # {"teacher": 1}
    # Shares (models/targets.py Share): {"youth_union": {"percent": 60, "strict": true}}
    shares: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON,
                                   sa_column_kwargs={"server_default": "{}"})
    set_by: int | None = Field(default=None, foreign_key="person.id")
    at: datetime
