"""The committees' digests: weekly (Monday) and monthly (the 1st), of the branches below them.

Few rows (one per committee member), each composed in Python from a few figures per branch.
The figures come from one grouped query per measure over the whole register (not one per
committee or per batch of branches: each such query would join the same large tables again),
so a run costs a handful of table scans and its memory grows with the branches, not with
the candidates.
"""

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from models.consent import overdue_requests_by_branch
from models.org import Organisation
from models.outbox import Due
from models.overview import (
    active_counts,
    admissions_by_branch,
    is_quiet,
    last_changes,
    overdue_counts,
    with_current_targets,
)
from models.people import RoleGrant
from models.reports.submission import due_month, sent_among
from models.stage import OrgKind, Role
from models.target_queries import TargetStatus, targets_of
from models.targets import school_year_containing

DIGEST_BRANCHES = 20  # branches named in a digest; the rest are counted


@dataclass(frozen=True)
class BranchFigures:
    """One branch's line in a digest."""

    name: str
    active: int  # candidates still followed
    admitted: int  # against the current target, else this school year
    target: int | None
    overdue: int
    quiet: bool  # no stage change in rules.QUIET_BRANCH_DAYS
    sent: bool = False  # has sent up the monthly report due (submission.due_month)
    data_overdue: int = 0  # people's requests about their data past due (models/consent.py)


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
    if not committees:
        return
    below = await _branches_by_ancestor(session)
    figures = await branch_figures(session, [b for path in {p for _, p in committees.values()}
                                             for b in below.get(path, ())], today)
    month = due_month(today)
    sent = await sent_among(session=session, period=month.label)
    operator_late = await _operator_overdue(session, today)
    for org, (name, path) in committees.items():
        values = _digest(name, [replace(figures[branch_id], sent=branch_id in sent)
                                for branch_id, _ in below.get(path, ())])
        values["operator_overdue"] = [{"name": n, "count": c} for p, n, c in operator_late if p.startswith(path)]
        values["report_month"] = f"{month.number}/{month.start.year}"
        values["targets"] = [target_figures(t) for t in await targets_of(
            session=session, org=await session.get(Organisation, org), today=today, current_only=True)]
        for person_id in members[org]:
            for period, label in periods:
                yield Due(f"digest_{period}:o{org}:{label}:p{person_id}", person_id, f"digest_{period}",
                          f"reminders/digest_{period}", values)


async def branch_figures(session: AsyncSession, branches: list[tuple[int, str]],
                         today: date) -> dict[int, BranchFigures]:
    """Each branch's digest line, from one grouped pass per measure over every branch."""
    active = await active_counts(session=session)
    overdue = await overdue_counts(session=session, today=today)
    data_overdue = await overdue_requests_by_branch(session, today)
    changes = await last_changes(session=session)
    year = school_year_containing(today)
    held = await admissions_by_branch(session=session, start=year.start, end=year.end)
    with_targets = await with_current_targets(session=session, today=today)
    figures = {}
    for branch_id, name in branches:
        if branch_id in figures:
            continue
        targets = (await targets_of(session=session, org=await session.get(Organisation, branch_id), today=today,
                                    current_only=True) if branch_id in with_targets else [])
        figures[branch_id] = BranchFigures(
            name=name,
            active=active.get(branch_id, 0),
            admitted=targets[0].progress.counted if targets else held.get(branch_id, 0),
            target=targets[0].admissions if targets else None,
            overdue=overdue.get(branch_id, 0), quiet=is_quiet(changes.get(branch_id), today),
            data_overdue=data_overdue.get(branch_id, 0))
    return figures


async def _operator_overdue(session: AsyncSession, today: date) -> list[tuple[str, str, int]]:
    """The committees whose members' own requests about their data are overdue (chibo's operator
    answers those: models/data_requests.py), as (path, name, how many): each is counted in the
    digest of that committee and of every committee above it."""
    late = await overdue_requests_by_branch(session, today)
    if not late:
        return []
    rows = await session.exec(sa.select(Organisation.id, Organisation.path, Organisation.name)
                              .where(Organisation.kind != OrgKind.branch, Organisation.id.in_(list(late)))
                              .order_by(Organisation.path))
    return [(path, name, late[org_id]) for org_id, path, name in rows.all()]


async def _branches_by_ancestor(session: AsyncSession) -> dict[str, list[tuple[int, str]]]:
    """Every branch (id, name) under each of its ancestors' paths (and its own), by name."""
    below: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for branch_id, name, path in await session.exec(
            sa.select(Organisation.id, Organisation.name, Organisation.path)
            .where(Organisation.kind == OrgKind.branch).order_by(Organisation.name, Organisation.id)):
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            below["/" + "/".join(parts[:depth]) + "/"].append((branch_id, name))
    return below


def target_figures(status: TargetStatus) -> dict[str, Any]:
    """A committee's own running target in its digest (rolled up from the branches below it):
    plain figures, kept as JSON in the outbox until sent."""
    p = status.progress
    return {"label": status.label, "counted": p.counted, "admissions": status.admissions, "missing": p.missing,
            "met": p.met, "exempt": p.exempt,
            "shares": [{"measure": s.share.measure, "percent": s.share.percent, "strict": s.share.strict,
                        "part": s.part, "whole": s.whole, "met": s.met} for s in p.shares]}


def _digest(org_name: str, branches: list[BranchFigures]) -> dict[str, Any]:
    rows = [{"name": b.name, "active": b.active, "admitted": b.admitted, "target": b.target,
             "overdue": b.overdue, "quiet": b.quiet, "data_overdue": b.data_overdue} for b in branches]
    rows.sort(key=lambda r: (-r["overdue"], not r["quiet"], r["name"]))
    not_sent = [b.name for b in branches if not b.sent]
    return {"org_name": org_name, "branches": rows[:DIGEST_BRANCHES],
            "more": max(len(rows) - DIGEST_BRANCHES, 0), "sent": len(branches) - len(not_sent),
            "count": len(branches), "not_sent": not_sent[:DIGEST_BRANCHES],
            "not_sent_more": max(len(not_sent) - DIGEST_BRANCHES, 0),
            "overdue": sum(r["overdue"] for r in rows), "quiet": sum(r["quiet"] for r in rows)}
