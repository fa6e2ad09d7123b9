"""The audit log (models/audit.py): an entry keeps who did what to which subject, and when,
whether added to the session (audit) or written at once (audit_now, by a handler with none)."""

from datetime import UTC, datetime

import sqlalchemy as sa

from models.audit import AuditLog, audit, audit_now
from models.statements import SessionStatements
from tests.unit.demo_rows import secretary

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def test_an_entry_keeps_who_what_which_and_when(db):
    by = await secretary(db)
    audit(session=db, at=NOW, person_id=by, action="register.import", subject="org:3", detail="a.xlsx: 4")
    audit(session=db, at=NOW, person_id=None, action="person.expire")
    await db.flush()
    entries = (await db.exec(sa.select(AuditLog).order_by(AuditLog.id))).scalars().all()
    assert [(utc(e.at), e.person_id, e.action, e.subject, e.detail) for e in entries[-2:]] == [
        (NOW, by, "register.import", "org:3", "a.xlsx: 4"), (NOW, None, "person.expire", None, None)]


async def test_an_entry_written_at_once_keeps_the_same(db):
    by = await secretary(db)
    on = SessionStatements(db)
    await audit_now(db=on, at=NOW, person_id=by, action="candidate.register", subject="candidate:7", detail="x")
    await audit_now(db=on, at=NOW, person_id=None, action="person.expire")
    entries = (await db.exec(sa.select(AuditLog).order_by(AuditLog.id))).scalars().all()
    assert [(utc(e.at), e.person_id, e.action, e.subject, e.detail) for e in entries[-2:]] == [
        (NOW, by, "candidate.register", "candidate:7", "x"), (NOW, None, "person.expire", None, None)]
