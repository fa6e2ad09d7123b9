"""The committees' digests: weekly (Monday) and monthly (the 1st), of the branches below them.

Few rows (one per committee member), each composed in Python from the branch overviews.
"""

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import Organisation
from models.outbox import Due
from models.overview import branch_overviews, branches_below
from models.people import RoleGrant
from models.stage import Role

DIGEST_BRANCHES = 20  # branches named in a digest; the rest are counted
NOT_FOLLOWED = ("official", "removed", "transferred")


def periods_of(today: date) -> list[tuple[str, str]]:
    """The digests due on a day: the week's on Mondays, the month's on the 1st."""
    periods = []
    if today.weekday() == 0:
        week = today.isocalendar()
        periods.append(("week", f"{week.year}W{week.week:02d}"))
    if today.day == 1:
        periods.append(("month", f"{today:%Y-%m}"))
    return periods


async def committee_digests(session: AsyncSession, today: date) -> AsyncIterator[Due]:
    """One message per committee member and period, about the branches below their committee."""
    periods = periods_of(today)
    if not periods:
        return
    grants = (await session.exec(
        sa.select(RoleGrant.person_id, Organisation.id, Organisation.name, Organisation.path)
        .join(Organisation, Organisation.id == RoleGrant.org_id)
        .where(RoleGrant.role == Role.committee))).all()
    composed: dict[int, dict[str, Any]] = {}  # one digest per committee, however many members it has
    for person_id, org_id, org_name, path in grants:
        if org_id not in composed:
            composed[org_id] = await _digest(session, org_name, path, today)
        values = composed[org_id]
        for period, label in periods:
            yield Due(f"digest_{period}:o{org_id}:{label}:p{person_id}", person_id, f"digest_{period}",
                      f"reminders/digest_{period}", values)


async def _digest(session: AsyncSession, org_name: str, path: str, today: date) -> dict[str, Any]:
    branches = await branches_below(session=session, paths=[path])
    overviews = await branch_overviews(session=session, branches=branches, today=today)
    rows = [{
        "name": o.name,
        "active": sum(n for stage, n in o.by_stage.items() if stage not in NOT_FOLLOWED),
        "admitted": o.targets[0].progress.counted if o.targets else o.admissions_this_school_year,
        "target": o.targets[0].admissions if o.targets else None,
        "overdue": len(o.overdue),
        "quiet": o.quiet,
    } for o in overviews]
    rows.sort(key=lambda r: (-r["overdue"], not r["quiet"], r["name"]))
    return {"org_name": org_name, "branches": rows[:DIGEST_BRANCHES],
            "more": max(len(rows) - DIGEST_BRANCHES, 0),
            "overdue": sum(r["overdue"] for r in rows), "quiet": sum(r["quiet"] for r in rows)}
