"""The committee's roll-up at its edges (models/reports/rollup.py), on a committee made beside
the demo: ceremonies on the first and last day of the month and of the same month a year
before, the stage held on the month's last day, a change exactly rules.QUIET_BRANCH_DAYS ago,
targets that touch the month by one day, and which branches have sent the month's report."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from models import rules
from models.candidate import Candidate
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.overview import branches_below
from models.reports.periods import PeriodUnit, _make
from models.reports.rollup import rollup
from models.reports.submission import submit
from models.stage import Category, Gender, IntroducedBy, OrgKind, Stage
from models.targets import PeriodKind
from tests.unit import demo_rows

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
FEBRUARY = _make(PeriodUnit.month, 2026, 2)
QUIET = TODAY - timedelta(days=rules.QUIET_BRANCH_DAYS)
numbers = count(1)


async def add(db, branch: int, stage: Stage, *, ceremony: date | None = None,
              moves: tuple[tuple[Stage | None, Stage, date], ...] = ()) -> Candidate:
    n = next(numbers)
    c = Candidate(branch_id=branch, number=n, full_name=f"Người {n}", name_folded=f"nguoi {n}",
                  birth_date=date(2000, 1, 1), gender=Gender.female, category=Category.teacher, youth_union=False,
                  introduced_by=IntroducedBy.branch, stage=stage, stage_since=date(2020, 1, 1), created_at=NOW)
    return await demo_rows.with_history(db, c, ceremony=ceremony, moves=moves)


def target(org: int, label: str, starts: date, ends: date, admissions: int) -> OrgTarget:
    return OrgTarget(org_id=org, label=label, period_kind=PeriodKind.term, starts_on=starts, ends_on=ends,
                     admissions=admissions, at=NOW)


@pytest.fixture
async def committee(db) -> Organisation:
    top = await add_org(session=db, name="Đảng ủy thử", kind=OrgKind.committee, parent=None, now=NOW)
    a, b, _ = [(await add_org(session=db, name=name, kind=OrgKind.branch, parent=top, now=NOW)).id
               for name in ("Chi bộ A", "Chi bộ B", "Chi bộ C")]
    P = Stage.probationary
    for day in (date(2026, 2, 1), date(2026, 2, 28), date(2025, 2, 28)):
        await add(db, a, P, ceremony=day)
    for day in (date(2026, 3, 1), date(2025, 1, 31), date(2025, 3, 1)):  # outside both months
        await add(db, a, P, ceremony=day)
    await add(db, a, Stage.source, moves=((None, Stage.source, QUIET),))
    await add(db, a, Stage.source, moves=((None, Stage.source, date(2026, 3, 1)),))  # not yet on the lists
    await add(db, a, Stage.dossier, moves=((Stage.awareness_class, Stage.dossier, date(2026, 2, 28)),))
    await add(db, a, Stage.proposed, moves=((Stage.dossier, Stage.proposed, date(2026, 3, 1)),))
    await add(db, b, P, ceremony=date(2025, 2, 1), moves=((Stage.admitted, P, QUIET - timedelta(days=1)),))
    db.add_all([target(a, "t1", date(2026, 2, 28), date(2026, 8, 31), 2),
                target(a, "t2", date(2026, 3, 1), date(2026, 8, 31), 5),
                target(a, "t3", date(2025, 9, 1), date(2026, 2, 1), 4),
                target(b, "t1", date(2025, 9, 1), date(2026, 1, 31), 7)])
    secretary = await demo_rows.secretary(db)
    for org, period in [(a, "2026-02"), (b, "2026-01")]:
        submit(session=db, org_id=org, period=period, kind="monthly", person_id=secretary, at=NOW, files=[],
               figures={})
    await db.flush()
    return top


def figures(row) -> tuple:
    return (row.name, row.admitted, row.admitted_before, row.source, row.sympathizer, row.awareness_class,
            row.dossier, row.proposed, row.probationary, row.target, row.quiet, row.sent)


async def test_each_branch_s_row_at_the_month_s_edges(db, committee):
    report = await rollup(session=db, org=committee, period=FEBRUARY, today=TODAY)
    assert [figures(r) for r in report.rows] == [
        ("Chi bộ A", 2, 1, 1, 0, 0, 2, 0, 6, 6, False, True),
        ("Chi bộ B", 0, 1, 0, 0, 0, 0, 0, 1, 0, True, False),
        ("Chi bộ C", 0, 0, 0, 0, 0, 0, 0, 0, 0, True, False),
    ]
    assert figures(report.total) == ("Đảng ủy thử", 2, 2, 1, 0, 0, 2, 0, 7, 6, False, False)
    assert (report.org_id, report.org, report.period) == (committee.id, "Đảng ủy thử", FEBRUARY)
    assert (report.admitting_share, report.no_admission, report.quiet) == (33.3, ["Chi bộ B", "Chi bộ C"],
                                                                         ["Chi bộ B", "Chi bộ C"])
    assert (report.sent, report.not_sent) == (1, ["Chi bộ B", "Chi bộ C"])


async def test_a_month_still_running_counts_the_stages_held_today(db, committee):
    march = _make(PeriodUnit.month, 2026, 3)
    report = await rollup(session=db, org=committee, period=march, today=TODAY)
    seen = [(r.admitted, r.admitted_before, r.source, r.dossier, r.proposed, r.target, r.sent) for r in report.rows]
    assert seen == [(1, 1, 2, 1, 1, 7, False), (0, 0, 0, 0, 0, 0, False), (0, 0, 0, 0, 0, 0, False)]


async def test_a_committee_without_branches_rolls_up_to_nothing(db):
    alone = await add_org(session=db, name="Đảng ủy trống", kind=OrgKind.committee, parent=None, now=NOW)
    report = await rollup(session=db, org=alone, period=FEBRUARY, today=TODAY)
    assert (report.rows, report.admitting_share, report.no_admission, report.quiet, report.sent,
            report.not_sent) == ([], None, [], [], 0, [])
    assert figures(report.total) == ("Đảng ủy trống", 0, 0, 0, 0, 0, 0, 0, 0, 0, False, False)


async def test_a_change_exactly_the_quiet_days_ago_keeps_a_branch_active(db, committee):
    d = (await add_org(session=db, name="Chi bộ D", kind=OrgKind.branch, parent=committee, now=NOW)).id
    await add(db, d, Stage.source, moves=((None, Stage.source, QUIET),))
    report = await rollup(session=db, org=committee, period=FEBRUARY, today=TODAY)
    assert [(r.name, r.quiet) for r in report.rows] == [
        ("Chi bộ A", False), ("Chi bộ B", True), ("Chi bộ C", True), ("Chi bộ D", False)]
    assert report.quiet == ["Chi bộ B", "Chi bộ C"]


async def test_a_branch_with_one_admission_and_its_own_target_has_its_own_row(db, committee):
    d = (await add_org(session=db, name="Chi bộ D", kind=OrgKind.branch, parent=committee, now=NOW)).id
    await add(db, d, Stage.probationary, ceremony=date(2026, 2, 10))
    db.add(target(d, "t1", date(2026, 2, 1), date(2026, 2, 28), 3))
    await db.flush()
    report = await rollup(session=db, org=committee, period=FEBRUARY, today=TODAY)
    ids = {o.name: o.id for o in await branches_below(session=db, paths=[committee.path])}
    assert [(r.branch_id, r.name, r.admitted, r.target) for r in report.rows] == [
        (ids["Chi bộ A"], "Chi bộ A", 2, 6), (ids["Chi bộ B"], "Chi bộ B", 0, 0), (ids["Chi bộ C"], "Chi bộ C", 0, 0),
        (d, "Chi bộ D", 1, 3)]
    assert (report.total.admitted, report.total.target, report.admitting_share) == (3, 9, 50.0)
