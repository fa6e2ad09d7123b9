"""Awareness and new-member classes, and who is enrolled with what result."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import enum_field
from models.candidate import Candidate
from models.org import Organisation
from models.stage import Stage


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


# ---- Who may take which class (DOMAIN.md "The pipeline"; 06-HD/TW 4.1, 5.4).

# Sympathizers (and those already proposed for it) take the awareness class; probationary
# members take the new-member class.
ENROLLABLE_STAGES: dict[ClassKind, frozenset[Stage]] = {
    ClassKind.awareness: frozenset({Stage.sympathizer, Stage.awareness_class}),
    ClassKind.new_member: frozenset({Stage.probationary}),
}
CLASS_MIN_CAPACITY = 1
CLASS_MAX_CAPACITY = 500


def ancestor_paths(path: str) -> list[str]:
    """"/1/4/9/" -> ["/1/", "/1/4/", "/1/4/9/"]: an organisation and every one above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def visible_from(*, at: Collection[str], below: Collection[str] = ()) -> sa.ColumnElement[bool]:
    """A WHERE clause on PartyClass: the classes seen from the organisations at paths `at`
    (a class of the organisation itself or of one above it), and every class inside the
    subtrees `below` (a committee sees what its branches organise)."""
    ups = sorted({a for path in at for a in ancestor_paths(path)})
    orgs = sa.select(Organisation.id).where(sa.or_(
        Organisation.path.in_(ups), *(Organisation.path.startswith(p) for p in below)))
    return PartyClass.org_id.in_(orgs) if ups or below else sa.false()


def class_open(party_class: PartyClass, *, enrolled: int, today: date) -> str | None:
    """None if the class still takes people; else why not ("deadline_passed" or "full")."""
    if today > party_class.enrol_by:
        return "deadline_passed"
    if enrolled >= party_class.capacity:
        return "full"
    return None


def certificate_too_early(issued_on: date, *, class_ends_on: date) -> bool:
    """A class's certificate is issued once the class is over: on its last day at the earliest."""
    return issued_on < class_ends_on


def result_too_early(day: date, *, class_starts_on: date) -> bool:
    """A class's result (a failure, an absence) is known once the class has begun: the day a person
    goes back to sympathizer for it is on or after the class's first day."""
    return day < class_starts_on


def class_state(party_class: PartyClass, enrolled: int, today: date) -> str:
    """"over", "ongoing", or before it starts: "open", "deadline_passed", "full"."""
    if today > party_class.ends_on:
        return "over"
    if today >= party_class.starts_on:
        return "ongoing"
    return class_open(party_class, enrolled=enrolled, today=today) or "open"


@dataclass(frozen=True)
class ClassRow:
    party_class: PartyClass
    org_name: str
    enrolled: int  # everyone enrolled, from every branch (the capacity is shared)
    mine: int  # enrolled from the branches named in the query


async def list_classes(
    *, session: AsyncSession, where: sa.ColumnElement[bool], today: date, branch_ids: Collection[int] = (),
) -> list[ClassRow]:
    """The classes matching `where`: the ones not over yet first (soonest first), then past ones
    (latest first); with how many are enrolled in all and from `branch_ids`."""
    rows = (await session.exec(
        sa.select(PartyClass, Organisation.name).join(Organisation, Organisation.id == PartyClass.org_id)
        .where(where))).all()
    counts = await _counts(session, [c.id for c, _ in rows], branch_ids)
    found = [ClassRow(c, name, *counts.get(c.id, (0, 0))) for c, name in rows]
    upcoming = sorted((r for r in found if r.party_class.ends_on >= today),
                      key=lambda r: (r.party_class.starts_on, r.party_class.id))
    past = sorted((r for r in found if r.party_class.ends_on < today),
                  key=lambda r: (r.party_class.starts_on, r.party_class.id), reverse=True)
    return upcoming + past


async def get_class(
    *, session: AsyncSession, where: sa.ColumnElement[bool], class_id: int, branch_ids: Collection[int] = (),
) -> ClassRow | None:
    """One class, if it matches `where` (what the person may see)."""
    row = (await session.exec(
        sa.select(PartyClass, Organisation.name).join(Organisation, Organisation.id == PartyClass.org_id)
        .where(where, PartyClass.id == class_id))).first()
    if row is None:
        return None
    counts = await _counts(session, [class_id], branch_ids)
    return ClassRow(row[0], row[1], *counts.get(class_id, (0, 0)))


async def _counts(session: AsyncSession, class_ids: list[int],
                  branch_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    if not class_ids:
        return {}
    mine = sa.func.sum(sa.case((Candidate.branch_id.in_(list(branch_ids) or [-1]), 1), else_=0))
    rows = (await session.exec(
        sa.select(Enrollment.class_id, sa.func.count(), mine)
        .join(Candidate, Candidate.id == Enrollment.candidate_id)
        .where(Enrollment.class_id.in_(class_ids)).group_by(Enrollment.class_id))).all()
    return {class_id: (total, int(own or 0)) for class_id, total, own in rows}


async def enrolled_by_branch(*, session: AsyncSession, class_id: int,
                             branches: sa.ColumnElement[bool]) -> list[tuple[str, int]]:
    """How many of each branch (matching `branches`, a clause on Organisation) are enrolled."""
    rows = await session.exec(
        sa.select(Organisation.name, sa.func.count())
        .select_from(Enrollment).join(Candidate, Candidate.id == Enrollment.candidate_id)
        .join(Organisation, Organisation.id == Candidate.branch_id)
        .where(Enrollment.class_id == class_id, branches)
        .group_by(Organisation.name).order_by(Organisation.name))
    return [(name, count) for name, count in rows.all()]


async def class_members(*, session: AsyncSession, class_id: int,
                        branch_ids: Collection[int]) -> list[tuple[Enrollment, Candidate]]:
    """The enrolments of a class from the given branches, by branch and number."""
    if not branch_ids:
        return []
    rows = await session.exec(
        sa.select(Enrollment, Candidate).join(Candidate, Candidate.id == Enrollment.candidate_id)
        .where(Enrollment.class_id == class_id, Candidate.branch_id.in_(list(branch_ids)))
        .order_by(Candidate.branch_id, Candidate.number))
    return [(e, c) for e, c in rows.all()]


async def may_enrol(*, session: AsyncSession, party_class: PartyClass,
                    branch_ids: Collection[int]) -> list[Candidate]:
    """Candidates of the given branches at a stage for this kind of class, not yet enrolled in it."""
    if not branch_ids:
        return []
    enrolled = sa.select(Enrollment.candidate_id).where(Enrollment.class_id == party_class.id)
    rows = await session.exec(
        sa.select(Candidate).where(
            Candidate.branch_id.in_(list(branch_ids)),
            Candidate.stage.in_([s.value for s in ENROLLABLE_STAGES[ClassKind(party_class.kind)]]),
            Candidate.id.not_in(enrolled))
        .order_by(Candidate.branch_id, Candidate.number))
    return list(rows.scalars())


async def find_enrollment(*, session: AsyncSession, class_id: int, candidate_id: int) -> Enrollment | None:
    rows = await session.exec(sa.select(Enrollment).where(
        Enrollment.class_id == class_id, Enrollment.candidate_id == candidate_id))
    return rows.scalars().first()


async def count_enrolled(*, session: AsyncSession, class_id: int) -> int:
    return (await session.exec(
        sa.select(sa.func.count()).select_from(Enrollment).where(Enrollment.class_id == class_id))).scalar_one()


@dataclass(frozen=True)
class NewClass:
    org_id: int
    kind: ClassKind
    title: str
    place: str
    starts_on: date
    ends_on: date
    enrol_by: date
    capacity: int


async def create_class(*, session: AsyncSession, new: NewClass, now: datetime) -> PartyClass:
    party_class = PartyClass(org_id=new.org_id, kind=new.kind, title=new.title, place=new.place,
                             starts_on=new.starts_on, ends_on=new.ends_on, enrol_by=new.enrol_by,
                             capacity=new.capacity, created_at=now)
    session.add(party_class)
    await session.flush()
    return party_class


async def enrol(*, session: AsyncSession, class_id: int, candidate_id: int, now: datetime) -> Enrollment:
    enrollment = Enrollment(class_id=class_id, candidate_id=candidate_id, at=now)
    session.add(enrollment)
    await session.flush()
    return enrollment


async def record_result(
    *, session: AsyncSession, enrollment: Enrollment, status: EnrollmentStatus,
    certificate_number: str | None = None, certificate_on: date | None = None,
) -> None:
    """Passed with its certificate, or failed / absent (any earlier certificate is cleared)."""
    passed = status == EnrollmentStatus.passed
    enrollment.status = status
    enrollment.certificate_number = certificate_number if passed else None
    enrollment.certificate_on = certificate_on if passed else None
    session.add(enrollment)
    await session.flush()
