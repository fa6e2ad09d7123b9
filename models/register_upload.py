"""A register file sent in chat (Telegram), kept between its dry run and "Nhập" or "Huỷ".

Only the person who sent it may import or cancel it; it is dropped when used, cancelled, or
older than KEEP_HOURS (when the next file comes)."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

KEEP_HOURS = 24


class RegisterUpload(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    org_id: int = Field(foreign_key="organisation.id")
    name: str = Field(max_length=200)
    data: bytes = Field(sa_type=sa.LargeBinary())
    at: datetime


async def keep_upload(*, session: AsyncSession, person_id: int, org_id: int, name: str, data: bytes,
                      now: datetime) -> RegisterUpload:
    await session.exec(delete(RegisterUpload).where(RegisterUpload.at < now - timedelta(hours=KEEP_HOURS)))
    upload = RegisterUpload(person_id=person_id, org_id=org_id, name=name[:200], data=data, at=now)
    session.add(upload)
    await session.flush()
    return upload


async def upload_of(*, session: AsyncSession, upload_id: int, person_id: int, now: datetime) -> RegisterUpload | None:
    """The person's own upload, if still kept."""
    return (await session.exec(select(RegisterUpload).where(
        RegisterUpload.id == upload_id, RegisterUpload.person_id == person_id,
        RegisterUpload.at >= now - timedelta(hours=KEEP_HOURS)))).first()


async def drop_upload(*, session: AsyncSession, upload: RegisterUpload) -> None:
    await session.delete(upload)
    await session.flush()
