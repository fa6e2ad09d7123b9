"""Organisations: the tree from the committee above down to the branch (chi bộ)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import enum_field
from models.stage import OrgKind
from models.text import number


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: OrgKind = enum_field()
    parent_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    # Materialised path "/1/4/9/": a subtree is a prefix, on SQLite and PostgreSQL alike.
    path: str = Field(default="/", max_length=400, index=True)
    is_student: bool = False
    # The day of the month the branch meets (sinh hoạt chi bộ), a branch habit.
    meeting_day: int = 5
    founded_on: date | None = None
    created_at: datetime


async def add_org(
    *,
    session: AsyncSession,
    name: str,
    kind: OrgKind,
    parent: Organisation | None,
    is_student: bool = False,
    now: datetime,
) -> Organisation:
    org = Organisation(
        name=name, kind=kind, parent_id=parent.id if parent else None,
        is_student=is_student, created_at=now,
    )
    session.add(org)
    await session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    await session.flush()
    return org


async def find_org(*, session: AsyncSession, ref: str) -> list[Organisation]:
    """An organisation by id or by (part of) its name."""
    if (org_id := number(ref)) is not None:
        org = await session.get(Organisation, org_id)
        return [org] if org else []
    rows = await session.exec(select(Organisation).where(sa.func.lower(Organisation.name) == ref.lower()))
    exact = list(rows)
    if exact:
        return exact
    rows = await session.exec(select(Organisation).where(Organisation.name.ilike(f"%{ref}%")))
    return list(rows)


async def org_tree(*, session: AsyncSession) -> list[Organisation]:
    """Every organisation, parents before children, siblings by name."""
    rows = list(await session.exec(select(Organisation)))
    by_parent: dict[int | None, list[Organisation]] = {}
    for org in rows:
        by_parent.setdefault(org.parent_id, []).append(org)
    ordered: list[Organisation] = []

    def walk(parent_id: int | None) -> None:
        for child in sorted(by_parent.get(parent_id, []), key=lambda o: o.name):
            ordered.append(child)
            walk(child.id)

    walk(None)
    return ordered


def depth(org: Organisation) -> int:
    return org.path.count("/") - 2


async def org_names(*, session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.exec(sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))
    return dict(rows.all())
