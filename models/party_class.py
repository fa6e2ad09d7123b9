"""Awareness and new-member classes, and who is enrolled with what result."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import enum_field


class ClassKind(StrEnum):
    awareness = "awareness"  # lớp bồi dưỡng nhận thức về Đảng
    new_member = "new_member"  # lớp bồi dưỡng đảng viên mới


class EnrollmentStatus(StrEnum):
    enrolled = "enrolled"
    passed = "passed"  # attended, certificate issued
    failed = "failed"
    absent = "absent"


class PartyClass(SQLModel, table=True):
    """A class, usually organised by the committee above and visible to the branches below."""

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    kind: ClassKind = enum_field()
    title: str = Field(max_length=200)
    place: str = Field(max_length=200)
    starts_on: date
    ends_on: date
    enrol_by: date
    capacity: int
    created_at: datetime


class Enrollment(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("class_id", "candidate_id"),)
    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="partyclass.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    status: EnrollmentStatus = enum_field(default=EnrollmentStatus.enrolled)
    certificate_number: str | None = Field(default=None, max_length=40)
    certificate_on: date | None = None
    at: datetime
