"""The committees' digests: weekly (Monday) and monthly (the 1st), of the branches below them.

Few rows (one per committee member), each composed in Python from the branch overviews.
Overviews are computed for many committees' branches at once (a few grouped queries per
batch of a thousand branches, not per committee), so a province's run stays short
and its memory bounded by the batch.
"""

from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import Organisation
from models.outbox import Due
from models.overview import BranchOverview, branch_overviews
from models.people import RoleGrant
from models.stage import OrgKind, Role

DIGEST_BRANCHES = 20  # branches named in a digest; the rest are counted
NOT_FOLLOWED = ("official", "removed", "transferred")
BATCH_BRANCHES = 1000  # branch overviews held at once (memory grows with their candidates)


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
    members: dict[int, list[int]] = defaultdict(list)
    committees: dict[int, tuple[str, str]] = {}
    for person_id, org_id, name, path in (await session.exec(
            sa.select(RoleGrant.person_id, Organisation.id, Organisation.name, Organisation.path)
            .join(Organisation, Organisation.id == RoleGrant.org_id)
            .where(RoleGrant.role == Role.committee).order_by(Organisation.path, RoleGrant.person_id))).all():
        members[org_id].append(person_id)
        committees[org_id] = (name, path)
    below = await _branches_by_ancestor(session)
    for batch in _batches(committees, lambda org: len(below.get(committees[org][1], ()))):
        branches = {b.id: b for org in batch for b in below.get(committees[org][1], ())}
        overviews = {o.org_id: o for o in await branch_overviews(
            session=session, branches=list(branches.values()), today=today)}
        for org in batch:
            name, path = committees[org]
            values = _digest(name, [overviews[b.id] for b in below.get(path, ())])
            for person_id in members[org]:
                for period, label in periods:
                    yield Due(f"digest_{period}:o{org}:{label}:p{person_id}", person_id, f"digest_{period}",
                              f"reminders/digest_{period}", values)


def _batches(orgs, size_of):
    """Committees in groups whose branches add up to about BATCH_BRANCHES."""
    batch, size = [], 0
    for org in orgs:
        batch.append(org)
        size += size_of(org)
        if size >= BATCH_BRANCHES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


async def _branches_by_ancestor(session: AsyncSession) -> dict[str, list[Organisation]]:
    """Every branch under each of its ancestors' paths (and its own), by name."""
    below: dict[str, list[Organisation]] = defaultdict(list)
    for branch in await session.exec(select(Organisation).where(Organisation.kind == OrgKind.branch)
                                     .order_by(Organisation.name, Organisation.id)):
        parts = branch.path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            below["/" + "/".join(parts[:depth]) + "/"].append(branch)
    return below


def _digest(org_name: str, overviews: list[BranchOverview]) -> dict[str, Any]:
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
