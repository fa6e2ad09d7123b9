"""Candidates (quần chúng) of a branch and the history of their stages."""

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import enum_field
from models.org import Organisation
from models.pipeline import check_transition
from models.statements import Statements, insert_of
from models.rules import Refusal
from models.stage import PIPELINE_ORDER, Category, Gender, IntroducedBy, Role, Stage
from models.text import fold, number


class Candidate(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("branch_id", "number"),
        sa.Index("ix_candidate_branch_stage", "branch_id", "stage"),
    )
    id: int | None = Field(default=None, primary_key=True)
    branch_id: int = Field(foreign_key="organisation.id")
    # The number a secretary types (/xem 7): small, and stable within the branch.
    number: int
    full_name: str = Field(max_length=120)
    name_folded: str = Field(max_length=120, index=True)
    birth_date: date = Field(index=True)  # who turns 18 this month
    # Only the year is known (an imported register's "Năm sinh"): birth_date is 1 January of it,
    # a placeholder never to be shown as a day (chibo does not invent the day and month).
    birth_year_only: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    gender: Gender = enum_field()
    category: Category = enum_field()
    youth_union: bool
    introduced_by: IntroducedBy = enum_field()
    note: str | None = Field(default=None, max_length=500)
    # The department, faculty or teaching group (tổ, khoa, phòng): where to look for sources.
    unit: str | None = Field(default=None, max_length=120)
    ethnic_minority: bool = False
    religious: bool = False
    private_firm: bool = False  # works in a firm without state capital
    stage: Stage = enum_field(default=Stage.source)
    stage_since: date
    sponsor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")
    # When the person was erased (models/erasure.py): the row stays for the counts, anonymised.
    erased_at: datetime | None = None


class StageChange(SQLModel, table=True):
    """Who moved a candidate from one stage to another, on which day, and why."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    from_stage: Stage | None = enum_field(default=None, nullable=True)
    to_stage: Stage = enum_field()
    on: date = Field(index=True)  # the reports read the few changes after a day (migration 0035)
    reason: str | None = Field(default=None, max_length=500)
    by_person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime


@dataclass(frozen=True)
class NewCandidate:
    full_name: str
    birth_date: date
    gender: Gender
    category: Category
    youth_union: bool
    introduced_by: IntroducedBy
    note: str | None
    unit: str | None = None  # tổ, khoa, phòng or class
    private_firm: bool = False  # works in a firm without state capital (models/categories.py)


@dataclass(frozen=True)
class Twin:
    """The candidate a new one would duplicate exactly (find_duplicate)."""

    number: int
    full_name: str


# The statements of every /them, built once with bound parameters (nor built nor compiled
# again for each message; the lookup's: bot/prepared.py).
_C, _O = Candidate.__table__.c, Organisation.__table__.c
_DUPLICATE = sa.select(_C.number, _C.full_name).where(
    _C.branch_id == sa.bindparam("branch_id"),
    _C.name_folded == sa.bindparam("name_folded"),
    _C.birth_date == sa.bindparam("birth_date"),
)
# Two statements, not one: the last number must be read after the lock is held (PostgreSQL reads
# a statement's subqueries as of its start, before it waited for the lock: a duplicate number).
_LOCK_BRANCH = sa.select(_O.id).where(_O.id == sa.bindparam("branch_id")).with_for_update()
_LAST_NUMBER = sa.select(sa.func.max(_C.number)).where(_C.branch_id == sa.bindparam("branch_id"))
_INSERT_CANDIDATE = insert_of(Candidate.__table__, (
    "branch_id", "number", "full_name", "name_folded", "birth_date", "gender", "category", "youth_union",
    "introduced_by", "note", "unit", "private_firm", "stage", "stage_since", "created_at", "created_by",
)).returning(_C.id)
_INSERT_STAGE_CHANGE = insert_of(StageChange.__table__,
                                 ("candidate_id", "from_stage", "to_stage", "on", "by_person_id", "at"))


async def find_duplicate(
    *, db: Statements, branch_id: int, full_name: str, birth_date: date
) -> Twin | None:
    rows = await db.rows(_DUPLICATE, {"branch_id": branch_id, "name_folded": fold(full_name),
                                      "birth_date": birth_date})
    return Twin(*rows[0]) if rows else None


@dataclass(frozen=True)
class Registered:
    """A candidate just added to a branch's register (register_candidate)."""

    id: int
    branch_id: int
    number: int


async def register_candidate(
    *, db: Statements, branch_id: int, new: NewCandidate, by_person_id: int | None,
    now: datetime, today: date, stage: Stage = Stage.source,
) -> Registered:
    """Add a candidate to a branch as a source and record that first stage.

    The branch's row is locked first (PostgreSQL; SQLite has one writer): two saves in one branch
    at once, from two chats or two processes, took the same next number and one failed."""
    await db.rows(_LOCK_BRANCH, {"branch_id": branch_id})
    [(last,)] = await db.rows(_LAST_NUMBER, {"branch_id": branch_id})
    number = (last or 0) + 1
    [(candidate_id,)] = await db.rows(_INSERT_CANDIDATE, {
        "branch_id": branch_id, "number": number, "full_name": new.full_name,
        "name_folded": fold(new.full_name), "birth_date": new.birth_date, "gender": new.gender,
        "category": new.category, "youth_union": new.youth_union, "introduced_by": new.introduced_by,
        "note": new.note, "unit": new.unit, "private_firm": new.private_firm,
        "stage": stage, "stage_since": today, "created_at": now, "created_by": by_person_id,
    })
    await db.run(_INSERT_STAGE_CHANGE, {"candidate_id": candidate_id, "from_stage": None, "to_stage": stage,
                                        "on": today, "by_person_id": by_person_id, "at": now})
    return Registered(id=candidate_id, branch_id=branch_id, number=number)


def stage_rank(stage: str) -> int:
    return PIPELINE_ORDER.index(Stage(stage))


async def list_candidates(
    *, session: AsyncSession, where: sa.ColumnElement[bool], offset: int, limit: int
) -> tuple[list[Candidate], int]:
    """One page of candidates ordered by stage then number, and how many there are in all."""
    order = sa.case({s.value: i for i, s in enumerate(PIPELINE_ORDER)}, value=Candidate.stage)
    total = (await session.exec(select(sa.func.count()).select_from(Candidate).where(where))).one()
    rows = await session.exec(
        select(Candidate).where(where)
        .order_by(order, Candidate.branch_id, Candidate.number).offset(offset).limit(limit))
    return list(rows), total


async def search_candidates(
    *, session: AsyncSession, where: sa.ColumnElement[bool], query: str, limit: int = 10, offset: int = 0
) -> list[Candidate]:
    """Candidates whose name contains the query, with or without diacritics; those in whose
    name every word typed is a whole word come first ("an" finds An before Lan and Anh)."""
    words = fold(query).split()
    if not words:  # nothing typed: everyone in `where`, in register order
        rows = await session.exec(select(Candidate).where(where)
                                  .order_by(Candidate.branch_id, Candidate.number).offset(offset).limit(limit))
        return list(rows)
    clause = sa.and_(*(Candidate.name_folded.contains(w, autoescape=True) for w in words))
    padded = sa.literal(" ") + Candidate.name_folded + sa.literal(" ")
    whole = sa.and_(*(padded.contains(f" {w} ", autoescape=True) for w in words))
    rows = await session.exec(
        select(Candidate).where(where, clause)
        .order_by(sa.case((whole, 0), else_=1), Candidate.branch_id, Candidate.number)
        .offset(offset).limit(limit))
    return list(rows)


_REF = re.compile(r"[a-z]+[a-z0-9]*[0-9]")


def ref_parts(text: str) -> list[tuple[str, int]]:
    """The ways a typed reference splits into a branch code and a register number: "TP-7" and
    "tp 7" give [("TP", 7)]; "tp27" gives [("TP2", 7), ("TP", 27)]. Nothing for a name."""
    key = "".join(c for c in fold(text) if c not in " -.#")
    if len(key) > 22 or not _REF.fullmatch(key):
        return []
    splits = []
    for cut in range(len(key) - 1, 0, -1):
        code, digits = key[:cut], key[cut:]
        if not digits.isdigit() or len(digits) > 9:
            break
        if re.search(r"[a-z]0", code):
            continue  # a code's own digits never start with 0 ("TP2", never "TP0")
        splits.append((code.upper(), int(digits)))
    return splits


def candidate_ref(code: str | None, register_number: int) -> str:
    """How a candidate is named where several branches are shown: "TP-7"."""
    return f"{code}-{register_number}" if code else str(register_number)


async def change_stage(
    *, session: AsyncSession, candidate: Candidate, to_stage: Stage, on: date, today: date,
    reason: str | None, actor_roles: frozenset[Role], by_person_id: int | None, now: datetime,
) -> Refusal | None:
    """Move a candidate along the pipeline, or say which rule forbids it (models/pipeline.py).

    Every change is kept with who, when and why."""
    refusal = check_transition(candidate.stage, to_stage, actor_roles=actor_roles, on=on,
                               today=today, last_change_on=candidate.stage_since, reason=reason)
    if refusal:
        return refusal
    session.add(StageChange(candidate_id=candidate.id, from_stage=candidate.stage, to_stage=to_stage,
                            on=on, reason=reason, by_person_id=by_person_id, at=now))
    candidate.stage, candidate.stage_since = to_stage, on
    session.add(candidate)
    await session.flush()
    return None


async def find_candidates(
    *, session: AsyncSession, where: sa.ColumnElement[bool], query: str, limit: int = 10, offset: int = 0
) -> list[Candidate]:
    """What a person typed to name a candidate: "id:17" (a choice), "7" or "#7" (the register
    number in the branch), "TP-7" (a branch's code and the number), or part of the name with
    or without diacritics; only within `where`."""
    if query.startswith("id:"):
        wanted = number(query[3:])
        clause = Candidate.id == (-1 if wanted is None else wanted)
    elif (register_number := number(query.lstrip("#"))) is not None:
        clause = Candidate.number == register_number
    elif refs := ref_parts(query):
        codes = {code for code, _ in refs}
        branch_of = dict((await session.exec(
            select(Organisation.code, Organisation.id).where(Organisation.code.in_(codes)))).all())
        clause = sa.or_(sa.false(), *(sa.and_(Candidate.branch_id == branch_of[code], Candidate.number == n)
                                      for code, n in refs if code in branch_of))
    else:
        return await search_candidates(session=session, where=where, query=query[:100], limit=limit, offset=offset)
    return list(await session.exec(select(Candidate).where(where, clause)
                                   .order_by(Candidate.branch_id, Candidate.number).offset(offset).limit(limit)))


async def candidate_within(*, session: AsyncSession, where: sa.ColumnElement[bool],
                           candidate_id: int) -> Candidate | None:
    """The candidate, if it is still one the person may reach (checked again before saving)."""
    return (await session.exec(select(Candidate).where(where, Candidate.id == candidate_id))).first()
