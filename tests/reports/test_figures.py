"""Each report's figures against a count made again in Python from the register as it was built."""

from collections import Counter
from datetime import date

import pytest

from models.org import Organisation
from models.reminders import FOLLOWED
from models.reports.elite import LISTED, elite_list
from models.reports.monthly import monthly_report
from models.reports.periods import PeriodUnit, _make
from models.reports.quarterly import quarterly_survey
from models.reports.rollup import COUNTED, HELD, rollup
from models.reports.statistics import AGE_BANDS, ROWS, statistics
from models.roster import LeftReason, MemberStatus, PartyMember
from models.stage import Category, Gender, Stage
from tests.reports.register import BRANCHES, NOW, TODAY, build

FEBRUARY = _make(PeriodUnit.month, 2026, 2)
YEAR_2025 = _make(PeriodUnit.year, 2025)
SCHOOL_YEAR = _make(PeriodUnit.school_year, 2025)


@pytest.fixture
async def register(chibo):
    async with chibo.sessions() as session, session.begin():
        built = await build(session)
    return built


async def org(chibo, org_id) -> Organisation:
    async with chibo.sessions() as session:
        return await session.get(Organisation, org_id)


def within(day, period) -> bool:
    return period.start <= day <= period.end


def age(born: date, day: date) -> int:
    years = day.year - born.year
    return years - 1 if (day.month, day.day) < (born.month, born.day) else years


async def test_the_monthly_report_counts_what_happened_in_the_month(chibo, register):
    name = BRANCHES[0]
    people = [p for p in register.people if p.branch == name]
    async with chibo.sessions() as session:
        branch = await session.get(Organisation, register.branches[name])
        report = await monthly_report(session=session, branch=branch, period=FEBRUARY, today=TODAY)
    moves = [(p.number, frm, to, on) for p in people for frm, to, on in p.history if within(on, FEBRUARY)]
    assert sorted((m.who.number, m.from_stage, m.to_stage, m.on) for m in report.movements) == sorted(
        (n, frm and frm.value, to.value, on) for n, frm, to, on in moves)
    assert report.added == sum(frm is None for _, frm, _, _ in moves)
    assert report.to_sympathizer == sum(to == Stage.sympathizer for _, _, to, _ in moves)
    assert report.removed == sum(to == Stage.removed for _, _, to, _ in moves)
    assert all(m.reason for m in report.movements if m.to_stage == "removed")
    stages = Counter(p.stage.value for p in people)
    assert report.by_stage == {s: stages.get(s, 0) for s in report.by_stage}
    assert sum(report.by_stage.values()) == sum(p.stage not in (Stage.official, Stage.removed) for p in people)
    assert report.review_counts == {d: sum(p.review == d for p in people) for d in ("keep", "move_up", "remove")}
    met = {p.number: sum(within(d, FEBRUARY) for d in p.checkins) for p in people}
    assert {line.who.number: line.met for line in report.checkins_done} == {n: m for n, m in met.items() if m}
    assert sorted(w.number for w in report.checkins_missing) == sorted(
        p.number for p in people if p.stage in FOLLOWED and p.sponsor_id and not met[p.number])
    assert sorted(w.number for w in report.proposed_for_class) == sorted(
        n for n, _, to, _ in moves if to == Stage.awareness_class)
    assert sorted(line.who.number for line in report.dossiers) == sorted(
        p.number for p in people if p.stage == Stage.dossier)
    assert all(line.missing for line in report.dossiers)  # nothing of their file was recorded
    # What falls due and what is overdue: counted again, person by person, in test_due_figures.py.


async def test_an_empty_branch_gives_a_report_of_zeros(chibo, register):
    async with chibo.sessions() as session:
        branch = await session.get(Organisation, register.branches[BRANCHES[2]])
        report = await monthly_report(session=session, branch=branch, period=FEBRUARY, today=TODAY)
        stats = await statistics(session=session, org=branch, period=YEAR_2025)
    assert (report.movements, report.reviews, report.checkins_done, report.dossiers, report.overdue) == (
        [], [], [], [], [])
    assert set(report.by_stage.values()) == {0} and set(report.review_counts.values()) == {0}
    assert {c.this for c in stats.admissions.values()} == {0} and stats.average_age.this == 0
    assert all(c.percent is None for c in stats.admissions.values())


async def test_the_list_of_candidates_names_everyone_not_yet_decided(chibo, register):
    ids = list(register.branches.values())
    async with chibo.sessions() as session:
        rows = await elite_list(session=session, branch_ids=ids, today=TODAY)
    expected = [p for p in register.people if p.stage in LISTED]
    assert sorted((r.branch, r.number, r.stage) for r in rows) == sorted(
        (p.branch, p.number, p.stage.value) for p in expected)
    by_key = {(p.branch, p.number): p for p in expected}
    for row in rows:
        made = by_key[(row.branch, row.number)]
        assert (row.birth_date, row.gender, row.category, row.youth_union) == (
            made.born, made.gender.value, made.category.value, made.youth_union)
        assert row.sponsor == ("Người Giúp Đỡ" if made.sponsor_id else None)
        assert row.next_step is not None and (row.missing != []) == (made.stage == Stage.dossier)


@pytest.mark.parametrize("period", [YEAR_2025, _make(PeriodUnit.half, 2025, 2), SCHOOL_YEAR])
async def test_statistics_by_category_beside_the_year_before(chibo, register, period):
    async with chibo.sessions() as session:
        committee = await session.get(Organisation, register.committee_id)
        stats = await statistics(session=session, org=committee, period=period)
    before = period.year_before()

    def counted(span) -> Counter:
        tags: Counter = Counter()
        for p in register.people:
            if p.ceremony_on and within(p.ceremony_on, span):
                years = age(p.born, p.ceremony_on)
                tags.update(["total", p.category.value]
                            + [f for f, on in (("youth_union", p.youth_union), ("woman", p.gender == Gender.female),
                                              ("ethnic_minority", p.ethnic_minority), ("religious", p.religious),
                                              ("private_firm", p.private_firm)) if on]
                            + [k for k, low, high in AGE_BANDS if low <= years <= (high or 200)])
        return tags

    now, then = counted(period), counted(before)
    assert list(stats.admissions) == list(ROWS)
    assert {k: (c.this, c.before) for k, c in stats.admissions.items()} == {k: (now[k], then[k]) for k in ROWS}
    assert now["total"] == sum(now[c.value] for c in Category)  # the categories add up to the total
    for key, c in stats.admissions.items():
        assert c.percent == (round(now[key] * 100 / then[key], 1) if then[key] else None)
    held = [p for p in register.people if p.ceremony_on and within(p.ceremony_on, period)]
    assert stats.average_age.this == (round(sum(age(p.born, p.ceremony_on) for p in held) / len(held), 1)
                                      if held else 0)
    for stage, c in stats.stocks.items():
        assert (c.this, c.before) == tuple(sum(p.stage_on(span.end) == stage for p in register.people)
                                           for span in (period, before))
    moved = {k: sum(any(within(on, period) and test(frm, to) for frm, to, on in p.history) for p in register.people)
             for k, test in (("recognised", lambda f, t: t == Stage.official),
                             ("struck_off", lambda f, t: t == Stage.removed and f == Stage.probationary))}
    moved["certificates"] = sum(bool(p.certificate_on and within(p.certificate_on, period)) for p in register.people)
    assert {k: stats.flows[k].this for k in moved} == moved
    assert now["total"] and then["total"] and moved["certificates"]  # the register has something to count
    assert [t.admissions for t in stats.targets] == []  # the committee set none of its own
    months = Counter((on.year, on.month, "added" if frm is None else "taken_off" if to == Stage.removed else
                      "moved_on") for p in register.people for frm, to, on in p.history if within(on, period))
    firsts = [m for m, _ in stats.by_month]  # every month of the period, in order, once
    assert (firsts[0], firsts[-1]) == (period.start, period.end.replace(day=1)) and firsts == sorted(set(firsts))
    assert len(firsts) == (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    assert {(m.year, m.month, k): n for m, moves in stats.by_month for k, n in moves.items() if n} == dict(months)
    assert sum(months.values())  # the period has movements to count


@pytest.mark.parametrize("period", [SCHOOL_YEAR, YEAR_2025, FEBRUARY])
async def test_the_committee_roll_up_has_a_row_per_branch_and_their_total(chibo, register, period):
    async with chibo.sessions() as session:
        committee = await session.get(Organisation, register.committee_id)
        report = await rollup(session=session, org=committee, period=period, today=TODAY)
    assert [r.name for r in report.rows] == sorted(BRANCHES)
    held_on = min(period.end, TODAY)  # a past period: the stages held at its end, from the history
    for row in report.rows:
        people = [p for p in register.people if p.branch == row.name]
        assert row.admitted == sum(bool(p.ceremony_on and within(p.ceremony_on, period)) for p in people)
        before = period.year_before()
        assert row.admitted_before == sum(bool(p.ceremony_on and within(p.ceremony_on, before)) for p in people)
        for stage in HELD:
            assert getattr(row, stage.value) == sum(p.stage_on(held_on) == stage for p in people)
        assert row.target == register.targets.get(row.name, 0)
        recent = [on for p in people for _, _, on in p.history if (TODAY - on).days <= 90]
        assert row.quiet == (not recent)
    assert not all(r.quiet for r in report.rows)  # the quiet branches are not all of them
    for field in COUNTED:
        assert getattr(report.total, field) == sum(getattr(r, field) for r in report.rows)
    assert sum(getattr(report.total, s.value) for s in HELD) == sum(
        p.stage_on(held_on) in HELD for p in register.people)  # the total, counted without the rows
    empty = next(r for r in report.rows if r.name == BRANCHES[2])
    assert (empty.admitted, empty.source, empty.quiet) == (0, 0, True)
    admitting = [r for r in report.rows if r.admitted]
    assert report.admitting_share == round(len(admitting) * 100 / 3, 1)
    assert report.no_admission == [r.name for r in report.rows if not r.admitted]
    assert BRANCHES[2] in report.quiet


async def test_the_quarterly_survey_counts_each_unit(chibo, register):
    quarter = _make(PeriodUnit.quarter, 2026, 1)
    async with chibo.sessions() as session:
        report = await quarterly_survey(session=session, branch_ids=list(register.branches.values()), org="x",
                                        period=quarter, today=TODAY)
    followed = [p for p in register.people if p.stage in FOLLOWED]
    expected = {}
    for p in followed:
        row = expected.setdefault((p.branch, p.unit or ""), Counter())
        row["source" if p.stage == Stage.source else "sympathizer" if p.stage == Stage.sympathizer
            else "further"] += 1
        if p.stage == Stage.source:
            row[p.survey if p.survey in ("good", "fair", "poor") else "other" if p.survey else "not_assessed"] += 1
    got = {(r.branch, r.unit): Counter({"source": r.source, "sympathizer": r.sympathizer, "further": r.further,
                                        "not_assessed": r.not_assessed, **r.assessed}) for r in report.rows}
    assert got == {k: +v for k, v in expected.items()} and got  # (+ drops the zero counts)
    assert sum(r.total for r in report.rows) == len(followed)
    assert report.empty_units == [(branch, "Tổ Sử") for branch in BRANCHES[:2]]
    assert report.few_units == [(r.branch, r.unit) for r in report.rows if r.unit and r.total <= 2]


async def test_the_quarterly_survey_names_the_graduates_to_transfer(chibo, register):
    """Student branches: the graduates still at the school on the quarter's last day (with the
    day they must move by) and those who moved away in the quarter, where to; not those who
    left before it, nor those who graduate after it."""
    quarter = _make(PeriodUnit.quarter, 2026, 1)
    branch = register.branches[BRANCHES[0]]
    members = [  # (name, graduated, left, where): the first two are listed
        ("Sinh Viên Ở Lại", date(2025, 6, 30), None, None),
        ("Sinh Viên Đã Chuyển", date(2025, 6, 30), date(2026, 2, 10), "Đảng bộ phường Bến Nghé"),
        ("Sinh Viên Chuyển Trước", date(2025, 6, 30), date(2025, 12, 1), "Đảng bộ xã An Phú"),
        ("Sinh Viên Chưa Tốt Nghiệp", date(2026, 6, 30), None, None),
    ]
    async with chibo.sessions() as session, session.begin():
        for name, graduated, left, where in members:
            session.add(PartyMember(org_id=branch, full_name=name, status=MemberStatus.official,
                                    since=date(2024, 1, 5), graduated_on=graduated, left_on=left,
                                    left_reason=LeftReason.moved if left else None, moved_to=where, at=NOW))
    async with chibo.sessions() as session:
        report = await quarterly_survey(session=session, branch_ids=list(register.branches.values()), org="x",
                                        period=quarter, today=TODAY)
    assert [(g.branch, g.name, g.graduated_on, g.until, g.moved_on, g.moved_to) for g in report.graduates] == [
        (BRANCHES[0], "Sinh Viên Đã Chuyển", date(2025, 6, 30), date(2026, 6, 30), date(2026, 2, 10),
         "Đảng bộ phường Bến Nghé"),
        (BRANCHES[0], "Sinh Viên Ở Lại", date(2025, 6, 30), date(2026, 6, 30), None, None)]
