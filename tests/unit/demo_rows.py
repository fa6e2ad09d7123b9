"""Rows of the demo looked up by name, for the database-backed unit tests (`db` is their session)."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord
from models.org import Organisation
from models.people import Person, RoleGrant
from models.roster import PartyMember
from models.stage import Stage


async def org(db, name) -> int:
    return (await db.exec(sa.select(Organisation.id).where(Organisation.name == name))).scalar_one()


async def person(db, name) -> int:
    """The person holding a role under that name (the first, by id)."""
    return (await db.exec(sa.select(RoleGrant.person_id).join(Person, Person.id == RoleGrant.person_id)
                          .where(Person.full_name == name).order_by(RoleGrant.person_id).limit(1))).scalar_one()


async def member(db, name) -> PartyMember:
    return (await db.exec(sa.select(PartyMember).where(PartyMember.full_name == name))).scalar_one()


async def candidate(db, name) -> Candidate:
    return (await db.exec(sa.select(Candidate).where(Candidate.full_name == name))).scalar_one()


async def secretary(db) -> int:
    """The demo branch's secretary (the console's "bithu")."""
    return (await db.exec(sa.select(Person.id).where(Person.full_name == "Nguyễn Thị Thu")
                          .order_by(Person.id).limit(1))).scalar_one()


async def with_history(db, c: Candidate, *, ceremony: date | None = None,
                       moves: tuple[tuple[Stage | None, Stage, date], ...] = ()) -> Candidate:
    """A candidate made by the test, written with its admission ceremony and stage changes."""
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    db.add(c)
    await db.flush()
    if ceremony:
        db.add(AdmissionRecord(candidate_id=c.id, ceremony_on=ceremony, updated_at=at))
    for frm, to, on in moves:
        db.add(StageChange(candidate_id=c.id, from_stage=frm, to_stage=to, on=on, at=at))
        await db.flush()
    return c
