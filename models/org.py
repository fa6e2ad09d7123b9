"""Organisations: the tree from the committee above down to the branch (chi bộ)."""

import re
from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import rules
from models.base import enum_field
from models.stage import OrgKind
from models.text import fold, number


PERSONAL_DATA_CHANNELS = "telegram,zalo"  # both, unless the branch chooses otherwise (/chibo)


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # A short code unique across chibo ("TP" for Trần Phú): with a register number it names a
    # candidate anywhere ("TP-7"), for those who see several branches.
    code: str | None = Field(default=None, max_length=12, unique=True, index=True)
    kind: OrgKind = enum_field()
    parent_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    # Materialised path "/1/4/9/": a subtree is a prefix, on SQLite and PostgreSQL alike.
    path: str = Field(default="/", max_length=400, index=True)
    is_student: bool = False
    # The day of the month the branch meets (sinh hoạt chi bộ), a branch habit.
    meeting_day: int = 5
    founded_on: date | None = None
    created_at: datetime
    # Branch settings (models/branch_settings.py, /chibo): days without a check-in before a
    # sponsor is nudged (a habit; rules.SPONSOR_CHECK_IN_NUDGE_DAYS by default); "no source
    # left" (the branch has no one left to recruit from: no admission target applies);
    # which committee decides admissions and who issues class certificates (since 1 July 2025
    # they differ by locality).
    sponsor_nudge_days: int = Field(default=rules.SPONSOR_CHECK_IN_NUDGE_DAYS,
                                    sa_column_kwargs={"server_default": str(rules.SPONSOR_CHECK_IN_NUDGE_DAYS)})
    no_source_left: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    admission_decided_by: str | None = Field(default=None, max_length=200)
    # The chat channels that may carry this branch's personal data (names, birth dates): Telegram's
    # servers are abroad, Zalo's in Vietnam; the console is on the branch's own machine. On the
    # others, replies show initials and the next step (models/privacy.py).
    personal_data_channels: str = Field(default=PERSONAL_DATA_CHANNELS, max_length=40,
                                        sa_column_kwargs={"server_default": PERSONAL_DATA_CHANNELS})
    certificates_issued_by: str | None = Field(default=None, max_length=200)


async def add_org(
    *,
    session: AsyncSession,
    name: str,
    kind: OrgKind,
    parent: Organisation | None,
    is_student: bool = False,
    now: datetime,
) -> Organisation:
    taken = set(await session.exec(select(Organisation.code).where(Organisation.code.is_not(None))))
    org = Organisation(
        name=name, code=org_code(name, taken), kind=kind, parent_id=parent.id if parent else None,
        is_student=is_student, created_at=now,
    )
    session.add(org)
    await session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    await session.flush()
    return org


# Words that name the kind of an organisation, not which one: left out of its code.
_GENERIC = frozenset("chi bo dang uy khoi truong thpt thcs th dh cd khoa cong ty benh vien so demo".split())


def org_code(name: str, taken: Iterable[str]) -> str:
    """The initials of the words that tell the organisation apart ("Chi bộ Trường THPT Trần
    Phú" gives "TP"), at most four; a digit is added when the code is taken ("TP2")."""
    words = re.findall(r"[a-z]+|[0-9]+", fold(re.sub(r"\(.*?\)", " ", name)))
    initials = "".join(w if w.isdigit() else w[0] for w in words if w not in _GENERIC)[-4:].upper()
    if not initials[:1].isalpha():  # "Chi bộ 3": a code starts with a letter
        initials = f"CB{initials}"
    taken = {t.upper() for t in taken}
    code, n = initials, 1
    while code in taken:
        n += 1
        code = f"{initials}{n}"
    return code


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


async def org_codes(*, session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.exec(sa.select(Organisation.id, Organisation.code).where(Organisation.id.in_(ids)))
    return dict(rows.all())
