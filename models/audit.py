"""Who read or changed what: ids and action names only, never personal data."""

from datetime import datetime

from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from models.statements import Statements, insert_of


class AuditLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=40)
    subject: str | None = Field(default=None, max_length=40)  # e.g. "candidate:12"
    detail: str | None = Field(default=None, max_length=200)  # e.g. an import's file name and counts


def audit(*, session: AsyncSession, at: datetime, person_id: int | None, action: str,
          subject: str | None = None, detail: str | None = None) -> None:
    session.add(AuditLog(at=at, person_id=person_id, action=action, subject=subject, detail=detail))


_INSERT = insert_of(AuditLog.__table__, ("at", "person_id", "action", "subject", "detail"))


async def audit_now(*, db: Statements, at: datetime, person_id: int | None, action: str,
                    subject: str | None = None, detail: str | None = None) -> None:
    """The line `audit` adds, written at once through Statements (by a handler with no session)."""
    await db.run(_INSERT, {"at": at, "person_id": person_id, "action": action, "subject": subject,
                           "detail": detail})
