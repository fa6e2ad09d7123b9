"""Corrections to a candidate's record (/sua): which fields may be corrected, how a value is
kept as text, the duplicate rule after a change of name or birth date, and the record of every
change (who, when, old and new value); with the stage changes, the candidate's history."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate, StageChange
from models.people import Person
from models.stage import Category, Gender
from models.text import fold
from models.undo import UndoableAction

# What is written in the audit log for a correction (models/audit.py).
EDIT_ACTION = "candidate.edit"

# The fields a secretary may correct, in the order they are offered.
EDITABLE_FIELDS: tuple[str, ...] = (
    "full_name", "birth_date", "gender", "unit", "category", "youth_union",
    "ethnic_minority", "religious", "private_firm", "note",
)
# A change to one of these may make the candidate a twin of another (same name and birth date).
IDENTITY_FIELDS = frozenset({"full_name", "birth_date"})
DATE_FIELDS = frozenset({"birth_date"})
FLAG_FIELDS = frozenset({"youth_union", "ethnic_minority", "religious", "private_firm"})
ENUM_FIELDS: dict[str, type] = {"gender": Gender, "category": Category}
# Free text that may be left empty (None).
OPTIONAL_FIELDS = frozenset({"unit", "note"})

# How many lines of history the card shows.
HISTORY_LINES = 5


class CandidateEdit(SQLModel, table=True):
    """One correction of one field of a candidate: the value before and after, as text."""

    __tablename__ = "candidateedit"
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    field: str = Field(max_length=40)
    old_value: str | None = Field(default=None, max_length=500)
    new_value: str | None = Field(default=None, max_length=500)
    on: date  # the day in Vietnam
    by_person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime


def check_field(field: str) -> str:
    if field not in EDITABLE_FIELDS:
        raise ValueError(f"not an editable field: {field}")
    return field


def value_text(field: str, value: Any) -> str | None:
    """A field's value as it is kept in the record of changes: a date as 2008-11-02, a yes/no as
    "yes" or "no", a choice as its code ("female"), text as typed; nothing as None."""
    check_field(field)
    if value is None:
        return None
    if field in DATE_FIELDS:
        return value.isoformat()
    if field in FLAG_FIELDS:
        return "yes" if value else "no"
    if field in ENUM_FIELDS:
        return ENUM_FIELDS[field](value).value
    return str(value)


def value_from_text(field: str, text: str | None) -> Any:
    """The value back from its text (value_text's inverse)."""
    check_field(field)
    if text is None:
        return None
    if field in DATE_FIELDS:
        return date.fromisoformat(text)
    if field in FLAG_FIELDS:
        if text not in ("yes", "no"):
            raise ValueError(f"not a yes/no: {text!r}")
        return text == "yes"
    if field in ENUM_FIELDS:
        return ENUM_FIELDS[field](text)
    return text


def current_values(candidate: Candidate) -> dict[str, str | None]:
    """Every editable field of the candidate, as text."""
    return {f: value_text(f, getattr(candidate, f)) for f in EDITABLE_FIELDS}


def identity_after(candidate: Candidate, field: str, value: Any) -> tuple[str, date]:
    """The name and birth date the candidate would have after the change."""
    check_field(field)
    full_name = value if field == "full_name" else candidate.full_name
    birth_date = value if field == "birth_date" else candidate.birth_date
    return full_name, birth_date


async def twin_after_edit(*, session: AsyncSession, candidate: Candidate, field: str, value: Any) -> Candidate | None:
    """Another candidate of the branch with the name and birth date this change would give (the
    duplicate rule of models/candidate.find_duplicate, the candidate itself left out)."""
    if field not in IDENTITY_FIELDS:
        return None
    full_name, birth_date = identity_after(candidate, field, value)
    rows = await session.exec(select(Candidate).where(
        Candidate.branch_id == candidate.branch_id,
        Candidate.name_folded == fold(full_name),
        Candidate.birth_date == birth_date,
        Candidate.id != candidate.id,
    ).order_by(Candidate.number))
    return rows.first()


async def edit_candidate(
    *, session: AsyncSession, candidate: Candidate, field: str, value: Any,
    by_person_id: int | None, now: datetime, today: date,
) -> CandidateEdit | None:
    """Correct one field and record the change; None (and nothing written) when the value is
    the one already held. The duplicate rule is the caller's to check first (twin_after_edit)."""
    old, new = value_text(field, getattr(candidate, field)), value_text(field, value)
    year_only = field == "birth_date" and candidate.birth_year_only  # an imported "Năm sinh" gets its day
    if old == new and not year_only:
        return None
    setattr(candidate, field, value_from_text(field, new))
    if field == "full_name":
        candidate.name_folded = fold(value)
    if field == "birth_date":
        candidate.birth_year_only = False
    session.add(candidate)
    edit = CandidateEdit(candidate_id=candidate.id, field=field, old_value=old, new_value=new,
                         on=today, by_person_id=by_person_id, at=now)
    session.add(edit)
    await session.flush()
    return edit


@dataclass(frozen=True)
class HistoryLine:
    """One line of a candidate's history: a stage change (kind "stage"), a correction ("edit") or
    an undo ("undo": `field` is what was undone, models/undo.py UndoKind; the stage it left and
    the one it put back)."""

    kind: str
    on: date
    at: datetime
    by: str | None  # who did it (a member's name), if known
    seq: int  # the row's id: the order of lines recorded at the same moment
    from_stage: str | None = None
    to_stage: str | None = None
    reason: str | None = None
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None


def newest_first(lines: list[HistoryLine], limit: int = HISTORY_LINES) -> list[HistoryLine]:
    """The latest `limit` lines, newest first (by day, then by the moment it was recorded, then
    by the order it was recorded in)."""
    return sorted(lines, key=lambda h: (h.on, _utc(h.at), h.seq), reverse=True)[:limit]


def _utc(moment: datetime) -> datetime:
    """A naive UTC datetime (SQLite gives back naive ones, PostgreSQL aware ones; all are UTC)."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


async def candidate_history(*, session: AsyncSession, candidate_id: int,
                            limit: int = HISTORY_LINES) -> list[HistoryLine]:
    """Stage changes (not the first entry into the list), corrections and undos, newest first."""
    who = aliased(Person)
    stages = (await session.exec(
        select(StageChange, who.full_name).join(who, who.id == StageChange.by_person_id, isouter=True)
        .where(StageChange.candidate_id == candidate_id, StageChange.from_stage.is_not(None))
        .order_by(StageChange.on.desc(), StageChange.at.desc(), StageChange.id.desc()).limit(limit))).all()
    edits = (await session.exec(
        select(CandidateEdit, who.full_name).join(who, who.id == CandidateEdit.by_person_id, isouter=True)
        .where(CandidateEdit.candidate_id == candidate_id)
        .order_by(CandidateEdit.on.desc(), CandidateEdit.at.desc(), CandidateEdit.id.desc()).limit(limit))).all()
    lines = [HistoryLine(kind="stage", on=s.on, at=s.at, by=name, seq=s.id, from_stage=str(s.from_stage),
                         to_stage=str(s.to_stage), reason=s.reason) for s, name in stages]
    lines += [HistoryLine(kind="edit", on=e.on, at=e.at, by=name, seq=e.id, field=e.field,
                          old_value=e.old_value, new_value=e.new_value) for e, name in edits]
    undos = (await session.exec(
        select(UndoableAction, who.full_name).join(who, who.id == UndoableAction.undone_by, isouter=True)
        .where(UndoableAction.candidate_id == candidate_id, UndoableAction.undone_at.is_not(None))
        .order_by(UndoableAction.undone_on.desc(), UndoableAction.undone_at.desc(), UndoableAction.id.desc())
        .limit(limit))).all()
    lines += [HistoryLine(kind="undo", on=u.undone_on, at=u.undone_at, by=name, seq=u.id, field=str(u.kind),
                          from_stage=str(u.to_stage) if u.to_stage else None,
                          to_stage=str(u.from_stage) if u.from_stage else None) for u, name in undos]
    return newest_first(lines, limit)
