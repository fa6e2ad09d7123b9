"""The committee's roll-up: one row per branch below it and a total, in grouped queries (a
committee may have thousands of branches), plus the branches that admitted no one and those
with no change for rules.QUIET_BRANCH_DAYS, and which branches have sent their report for the
period (models/reports/submission.py) and which have not."""

from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord
from models.org import Organisation
from models.org_target import OrgTarget
from models import rules
from models.overview import branches_below
from models.reports.common import stages_held
from models.reports.periods import ReportPeriod
from models.reports.submission import sent_among
from models.stage import OrgKind, Stage

HELD = (Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier, Stage.proposed, Stage.probationary)
COUNTED = ("admitted", "admitted_before", "source", "sympathizer", "awareness_class", "dossier", "proposed",
           "probationary", "target")


@dataclass(frozen=True)
class RollupRow:
    branch_id: int | None  # None on the total row
    name: str
    admitted: int = 0  # ceremonies held in the period
    admitted_before: int = 0  # in the same period a year earlier
    source: int = 0  # the stages held at the period's end
    sympathizer: int = 0
    awareness_class: int = 0
    dossier: int = 0
    proposed: int = 0
    probationary: int = 0
    target: int = 0  # admissions asked by the targets overlapping the period
    quiet: bool = False
    sent: bool = False  # its report for the period has been sent up


@dataclass(frozen=True)
class Rollup:
    org_id: int
    org: str
    period: ReportPeriod
    rows: list[RollupRow]
    total: RollupRow
    admitting_share: float | None  # percent of branches with at least one admission (None: no branch)
    no_admission: list[str]
    quiet: list[str]
    sent: int = 0  # branches that have sent their report for the period
    not_sent: list[str] = field(default_factory=list)


def _branches_in(org: Organisation) -> sa.Select:
    """The subtree's branches as a subquery: one pass over a table for 20,000 branches, where a
    list of their ids made the database read it again for every chunk of the list."""
    return sa.select(Organisation.id).where(Organisation.kind == OrgKind.branch,
                                            Organisation.path.startswith(org.path))


async def _admissions(session: AsyncSession, branches: sa.Select, period: ReportPeriod,
                      before: ReportPeriod) -> tuple[dict[int, int], dict[int, int]]:
    """Ceremonies held in the period and in the one a year before, per branch, in one pass."""
    held = AdmissionRecord.ceremony_on
    now, then = (sa.func.sum(sa.case((sa.and_(held >= p.start, held <= p.end), 1), else_=0)) for p in (period, before))
    rows = (await session.exec(
        sa.select(Candidate.branch_id, now, then).join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id)
        .where(Candidate.branch_id.in_(branches), held >= min(period.start, before.start),
               held <= max(period.end, before.end))
        .group_by(Candidate.branch_id))).all()
    return {b: int(n) for b, n, _ in rows}, {b: int(n) for b, _, n in rows}


async def _changed_since(session: AsyncSession, branches: sa.Select, day: date) -> set[int]:
    """The branches with a stage change on or after `day`: the recent changes only (indexed),
    not every branch's newest change out of the whole history."""
    return set((await session.exec(
        sa.select(Candidate.branch_id).distinct().join(StageChange, StageChange.candidate_id == Candidate.id)
        .where(Candidate.branch_id.in_(branches), StageChange.on >= day))).scalars())


async def _stages_by_branch(session: AsyncSession, branches: sa.Select, day: date) -> dict[tuple[int, str], int]:
    """One row per branch with a count per stage held: a few thousand groups, where grouping by
    branch and stage made PostgreSQL expect a million and spill to disk."""
    held = stages_held(branches, day)
    rows = (await session.exec(sa.select(held.c.branch_id, *(sa.func.count().filter(held.c.stage == s) for s in HELD))
                               .group_by(held.c.branch_id))).all()
    return {(b, s.value): n for b, *counts in rows for s, n in zip(HELD, counts, strict=True)}


async def rollup(*, session: AsyncSession, org: Organisation, period: ReportPeriod, today: date) -> Rollup:
    branches = await branches_below(session=session, paths=[org.path])
    ids = [b.id for b in branches]
    before = period.year_before()
    rows: list[RollupRow] = []
    if ids:
        scope = _branches_in(org)
        held, held_before = await _admissions(session, scope, period, before)
        stages = await _stages_by_branch(session, scope, min(period.end, today))
        active = await _changed_since(session, scope, today - timedelta(days=rules.QUIET_BRANCH_DAYS))
        targets = dict((await session.exec(
            select(OrgTarget.org_id, sa.func.sum(OrgTarget.admissions))
            .where(OrgTarget.org_id.in_(scope), OrgTarget.starts_on <= period.end, OrgTarget.ends_on >= period.start)
            .group_by(OrgTarget.org_id))).all())
        sent = await sent_among(session=session, period=period.label)  # few rows a period: no id list
        for b in branches:
            rows.append(RollupRow(
                branch_id=b.id, name=b.name, admitted=held.get(b.id, 0), admitted_before=held_before.get(b.id, 0),
                **{s.value: stages.get((b.id, s.value), 0) for s in HELD},
                target=int(targets.get(b.id) or 0), quiet=b.id not in active,
                sent=b.id in sent))
    total = RollupRow(branch_id=None, name=org.name)
    total = replace(total, **{f.name: sum(getattr(r, f.name) for r in rows) for f in fields(RollupRow)
                              if f.name in COUNTED})
    admitting = sum(r.admitted > 0 for r in rows)
    return Rollup(
        org_id=org.id, org=org.name, period=period, rows=rows, total=total,
        admitting_share=round(admitting * 100 / len(rows), 1) if rows else None,
        no_admission=[r.name for r in rows if r.admitted == 0], quiet=[r.name for r in rows if r.quiet],
        sent=sum(r.sent for r in rows), not_sent=[r.name for r in rows if not r.sent])
