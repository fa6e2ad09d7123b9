"""The half-yearly and yearly statistics (models/reports/statistics.py), asked directly on a
committee made beside the demo (branches A and B below it, C outside): admissions by row with
ceremonies on the half's first and last days and a day outside, ages on each band's edges, the
lists at the half's end, the movements within it (certificates from a class and typed in, counted
once), month by month, and the targets that touch the half by one day; each beside the same
half a year before."""

from datetime import UTC, date, datetime
from itertools import count

import pytest
from sqlmodel import select

from models.candidate import Candidate
from models.dossier import DossierEntry
from models.org import add_org
from models.org_target import OrgTarget
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.reports.periods import PeriodUnit, _make
from models.reports.statistics import (AGE_BANDS, FLOWS, ROWS, STOCKS, Compared, admission_tags, age_on, move_of,
                                       statistics)
from models.roster import LeftReason, MemberStatus, PartyMember
from models.stage import Category, Gender, IntroducedBy, OrgKind, Stage
from models.target_queries import target_status
from models.targets import PeriodKind
from tests.unit import demo_rows

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
H1 = _make(PeriodUnit.half, 2026, 1)  # 1 January to 30 June 2026; a year before: the same in 2025
S = Stage
numbers = count(1)


def born(age: int, on: date) -> date:
    """Born so as to be exactly `age` on `on` (a birthday that day)."""
    return on.replace(year=on.year - age)


def candidate(branch: int, stage: Stage = S.official, **fields) -> Candidate:
    values = dict(birth_date=date(2000, 1, 1), gender=Gender.male, category=Category.staff, youth_union=False) | fields
    n = next(numbers)
    return Candidate(branch_id=branch, number=n, full_name=f"Người {n}", name_folded=f"nguoi {n}",
                     introduced_by=IntroducedBy.branch, stage=stage, stage_since=date(2020, 1, 1), created_at=NOW,
                     **values)


async def add(db, branch: int, stage: Stage = S.official, *, ceremony: date | None = None,
              moves: tuple[tuple[Stage | None, Stage, date], ...] = (), **fields) -> Candidate:
    return await demo_rows.with_history(db, candidate(branch, stage, **fields), ceremony=ceremony, moves=moves)


@pytest.fixture
async def orgs(db):
    top = await add_org(session=db, name="Đảng ủy thử", kind=OrgKind.committee, parent=None, now=NOW)
    a, b = [(await add_org(session=db, name=n, kind=OrgKind.branch, parent=top, now=NOW)).id
            for n in ("Chi bộ A", "Chi bộ B")]
    c = (await add_org(session=db, name="Chi bộ C", kind=OrgKind.branch, parent=None, now=NOW)).id
    return top, a, b, c


def zeros(**nonzero: tuple[int, int]) -> dict[str, Compared]:
    return {k: Compared(*nonzero.get(k, (0, 0))) for k in ROWS}


# ---- the rules without the database -------------------------------------------------------------

def test_the_age_on_a_day_counts_the_birthday_itself():
    assert [age_on(date(2000, 3, 2), day) for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3))] == [
        25, 26, 26]
    assert age_on(date(2000, 2, 28), date(2026, 3, 1)) == 26  # a later month, an earlier day
    assert age_on(date(2000, 4, 1), date(2026, 3, 31)) == 25  # an earlier month, a later day
    assert age_on(date(2000, 1, 1), date(2000, 12, 31)) == 0


def test_an_admission_counts_in_its_flags_category_and_age_band():
    on = date(2026, 3, 2)
    everything = candidate(1, birth_date=born(30, on), gender=Gender.female, category=Category.teacher,
                           youth_union=True, ethnic_minority=True, religious=True, private_firm=True)
    assert admission_tags(everything, on) == {"total", "teacher", "youth_union", "woman", "ethnic_minority",
                                              "religious", "private_firm", "age_18_30"}
    assert admission_tags(candidate(1, birth_date=born(31, on)), on) == {"total", "staff", "age_31_35"}
    for key, low, high in AGE_BANDS:
        assert admission_tags(candidate(1, birth_date=born(low, on)), on) == {"total", "staff", key}
        if high is not None:
            assert admission_tags(candidate(1, birth_date=born(high, on)), on) == {"total", "staff", key}
    assert admission_tags(candidate(1, birth_date=born(17, on), category=Category.student), on) == {
        "total", "student"}  # no band below 18
    assert admission_tags(candidate(1, birth_date=born(95, on)), on) == {"total", "staff", "age_over_60"}


def test_a_stage_change_is_an_addition_a_step_on_or_a_removal():
    assert move_of(None, "source") == "added"
    assert move_of(None, "removed") == "added"
    assert move_of("source", "removed") == "taken_off"
    assert move_of("removed", "source") == "moved_on"
    assert move_of("probationary", "official") == "moved_on"


def test_a_figure_as_a_percentage_of_the_year_before():
    assert [Compared(3, 2).percent, Compared(1, 3).percent, Compared(0, 2).percent, Compared(2, 0).percent] == [
        150.0, 33.3, 0.0, None]
    assert Compared(2, 3).percent == 66.7


# ---- on the database ----------------------------------------------------------------------------

async def test_admissions_by_row_and_the_average_age_beside_the_year_before(db, orgs):
    top, a, b, c = orgs
    first, last = date(2026, 1, 1), date(2026, 6, 30)
    await add(db, a, ceremony=first, birth_date=born(30, first), gender=Gender.female, category=Category.teacher,
              youth_union=True, ethnic_minority=True)
    await add(db, b, ceremony=last, birth_date=born(31, last), category=Category.worker, religious=True,
              private_firm=True)
    await add(db, a, ceremony=date(2026, 3, 15), birth_date=date(1960, 3, 16))  # 65
    await add(db, a, ceremony=date(2025, 12, 31), category=Category.health)  # outside both halves
    await add(db, a, ceremony=date(2026, 7, 1), category=Category.health)
    await add(db, c, ceremony=date(2026, 2, 1), category=Category.health)  # a branch outside
    await add(db, b, ceremony=date(2025, 1, 1), birth_date=born(18, date(2025, 1, 1)), category=Category.student,
              gender=Gender.female)
    await add(db, b, ceremony=date(2025, 6, 30), birth_date=born(41, date(2025, 6, 30)), category=Category.student)
    await add(db, b, ceremony=date(2025, 7, 1), category=Category.health)
    stats = await statistics(session=db, org=top, period=H1)
    assert (stats.org_id, stats.org, stats.period) == (top.id, "Đảng ủy thử", H1)
    assert list(stats.admissions) == list(ROWS)
    assert stats.admissions == zeros(
        total=(3, 2), youth_union=(1, 0), woman=(1, 1), ethnic_minority=(1, 0), religious=(1, 0),
        private_firm=(1, 0), teacher=(1, 0), student=(0, 2), worker=(1, 0), staff=(1, 0), age_18_30=(1, 1),
        age_31_35=(1, 0), age_41_45=(0, 1), age_over_60=(1, 0))
    assert stats.average_age == Compared(42.0, 29.5)
    assert stats.average_age.percent == 142.4


async def test_an_average_age_rounded_to_one_place_and_zero_without_admissions(db, orgs):
    top, a, _, _ = orgs
    on = date(2026, 2, 2)
    for age in (30, 31, 31):
        await add(db, a, ceremony=on, birth_date=born(age, on))
    stats = await statistics(session=db, org=top, period=H1)
    assert stats.average_age == Compared(30.7, 0.0)
    assert stats.admissions["total"] == Compared(3, 0)


async def test_the_lists_at_each_half_s_end(db, orgs):
    top, a, b, c = orgs
    await add(db, a, S.source)
    await add(db, a, S.dossier, moves=((S.sympathizer, S.awareness_class, date(2025, 7, 1)),
                                       (S.awareness_class, S.dossier, date(2026, 7, 1))))
    await add(db, b, S.source, moves=((None, S.source, date(2026, 7, 2)),))  # not yet on the lists
    await add(db, b, S.probationary, moves=((S.proposed, S.admitted, date(2026, 5, 1)),
                                            (S.admitted, S.probationary, date(2026, 6, 30))))
    await add(db, b, S.proposed)
    await add(db, b, S.proposed)
    await add(db, c, S.source)
    stats = await statistics(session=db, org=top, period=H1)
    assert list(stats.stocks) == [s.value for s in STOCKS]
    assert stats.stocks == {"source": Compared(1, 1), "sympathizer": Compared(0, 1),
                            "awareness_class": Compared(1, 0), "dossier": Compared(0, 0),
                            "proposed": Compared(2, 3), "probationary": Compared(1, 0)}


@pytest.fixture
async def flows(db, orgs):
    top, a, b, c = orgs
    P = S.probationary
    for branch, moves in [
            (a, ((P, S.official, date(2026, 1, 1)),)),
            (b, ((P, S.official, date(2026, 6, 30)),)),
            (a, ((P, S.official, date(2026, 7, 1)),)),
            (a, ((P, S.official, date(2025, 3, 1)),)),
            (c, ((P, S.official, date(2026, 3, 1)),)),  # a branch outside
            (a, ((P, S.removed, date(2026, 2, 1)),)),
            (a, ((S.source, S.removed, date(2026, 2, 2)),)),
            (b, ((S.source, S.removed, date(2026, 2, 2)),)),
            (a, ((S.sympathizer, S.removed, date(2026, 3, 3)), (S.removed, S.source, date(2026, 3, 10)),
                 (S.source, S.removed, date(2026, 4, 1)))),  # taken off twice: one person
            (b, ((None, S.removed, date(2026, 5, 5)),)),
            (a, ((S.source, S.removed, date(2025, 1, 1)),)),
            (a, ((S.source, S.removed, date(2025, 12, 31)),))]:
        await add(db, branch, S.official, moves=moves)
    kinds = {}
    for kind in (ClassKind.awareness, ClassKind.new_member):
        kinds[kind] = PartyClass(org_id=top.id, kind=kind, title="Lớp", place="Hội trường", starts_on=date(2025, 1, 1),
                                 ends_on=date(2025, 1, 5), enrol_by=date(2024, 12, 20), capacity=50, created_at=NOW)
        db.add(kinds[kind])
    await db.flush()
    passed, enrolled = EnrollmentStatus.passed, EnrollmentStatus.enrolled
    for branch, kind, status, on, typed in [
            (a, ClassKind.awareness, passed, date(2026, 1, 1), date(2026, 2, 1)),  # both: counted once
            (b, None, None, None, date(2026, 6, 30)),
            (a, ClassKind.awareness, passed, date(2025, 12, 31), date(2026, 7, 1)),
            (a, ClassKind.awareness, enrolled, date(2026, 3, 1), None),
            (a, ClassKind.new_member, passed, date(2026, 3, 1), None),
            (c, ClassKind.awareness, passed, date(2026, 3, 1), None),
            (b, ClassKind.awareness, passed, date(2025, 6, 30), None),
            (a, None, None, None, date(2025, 1, 1))]:
        k = await add(db, branch, S.dossier)
        if kind:
            db.add(Enrollment(class_id=kinds[kind].id, candidate_id=k.id, status=status, certificate_on=on, at=NOW))
        if typed:
            db.add(DossierEntry(candidate_id=k.id, item="CN-NTVĐ", dated=typed, at=NOW))
    k = await add(db, a, S.dossier)
    db.add(DossierEntry(candidate_id=k.id, item="CN-ĐVM", dated=date(2026, 3, 1), at=NOW))
    for org, reason, left in [
            (a, LeftReason.expelled, date(2026, 1, 1)), (b, LeftReason.expelled, date(2026, 6, 30)),
            (a, LeftReason.struck_off, date(2026, 3, 1)), (a, LeftReason.moved, date(2026, 3, 1)),
            (a, LeftReason.expelled, date(2025, 12, 31)), (a, LeftReason.expelled, date(2026, 7, 1)),
            (c, LeftReason.expelled, date(2026, 3, 1)), (top.id, LeftReason.expelled, date(2026, 3, 1)),
            (b, LeftReason.expelled, date(2025, 6, 30))]:
        db.add(PartyMember(org_id=org, full_name="Đảng viên", status=MemberStatus.official, since=date(2020, 1, 1),
                           left_on=left, left_reason=reason, at=NOW))
    await db.flush()
    return top


async def test_the_movements_within_each_half(db, flows):
    stats = await statistics(session=db, org=flows, period=H1)
    assert list(stats.flows) == list(FLOWS)
    assert stats.flows == {"certificates": Compared(2, 2), "recognised": Compared(2, 1),
                           "struck_off": Compared(1, 0), "expelled": Compared(2, 1), "removed": Compared(4, 1)}


async def test_the_movements_month_by_month(db, flows):
    stats = await statistics(session=db, org=flows, period=H1)
    assert stats.by_month == [
        (date(2026, 1, 1), {"added": 0, "moved_on": 1, "taken_off": 0}),
        (date(2026, 2, 1), {"added": 0, "moved_on": 0, "taken_off": 3}),
        (date(2026, 3, 1), {"added": 0, "moved_on": 1, "taken_off": 1}),
        (date(2026, 4, 1), {"added": 0, "moved_on": 0, "taken_off": 1}),
        (date(2026, 5, 1), {"added": 1, "moved_on": 0, "taken_off": 0}),
        (date(2026, 6, 1), {"added": 0, "moved_on": 1, "taken_off": 0}),
    ]
    year = await statistics(session=db, org=flows, period=_make(PeriodUnit.year, 2025))
    assert [m for m, _ in year.by_month] == [date(2025, m, 1) for m in range(1, 13)]
    assert [(m.month, moves) for m, moves in year.by_month if any(moves.values())] == [
        (1, {"added": 0, "moved_on": 0, "taken_off": 1}), (3, {"added": 0, "moved_on": 1, "taken_off": 0}),
        (12, {"added": 0, "moved_on": 0, "taken_off": 1})]


async def test_the_targets_that_touch_the_half(db, orgs):
    top, a, _, _ = orgs
    for org, label, starts, ends in [
            (top.id, "t-cuối", date(2026, 6, 30), date(2026, 12, 31)),
            (top.id, "t-đầu", date(2025, 7, 1), date(2026, 1, 1)),
            (top.id, "b-đầu", date(2025, 7, 1), date(2026, 3, 1)),
            (top.id, "sau", date(2026, 7, 1), date(2026, 12, 31)),
            (top.id, "trước", date(2025, 1, 1), date(2025, 12, 31)),
            (a, "chi bộ", date(2026, 1, 1), date(2026, 6, 30))]:
        db.add(OrgTarget(org_id=org, label=label, period_kind=PeriodKind.term, starts_on=starts, ends_on=ends,
                         admissions=3, at=NOW))
    await db.flush()
    stats = await statistics(session=db, org=top, period=H1)
    assert [t.label for t in stats.targets] == ["b-đầu", "t-đầu", "t-cuối"]
    rows = {r.label: r for r in (await db.exec(select(OrgTarget))).all()}
    assert stats.targets == [await target_status(session=db, org=top, row=rows[n])
                             for n in ("b-đầu", "t-đầu", "t-cuối")]


# ---- Found by mutation testing -----------------------------------------------------------------

async def test_a_class_s_certificate_on_the_half_s_first_and_last_days_counts(db, orgs):
    top, a, _, _ = orgs
    course = PartyClass(org_id=top.id, kind=ClassKind.awareness, title="Lớp", place="Hội trường",
                        starts_on=date(2025, 12, 1), ends_on=date(2025, 12, 5), enrol_by=date(2025, 11, 20),
                        capacity=50, created_at=NOW)
    db.add(course)
    await db.flush()
    for on in (date(2026, 1, 1), date(2026, 6, 30), date(2025, 12, 31), date(2026, 7, 1)):
        k = await add(db, a, S.dossier)
        db.add(Enrollment(class_id=course.id, candidate_id=k.id, status=EnrollmentStatus.passed, certificate_on=on,
                          at=NOW))
    await db.flush()
    stats = await statistics(session=db, org=top, period=H1)
    assert stats.flows["certificates"] == Compared(2, 0)


async def test_a_step_on_is_no_removal(db, orgs):
    top, a, _, _ = orgs
    await add(db, a, S.sympathizer, moves=((S.source, S.sympathizer, date(2026, 2, 2)),))
    await add(db, a, S.removed, moves=((S.source, S.removed, date(2026, 2, 3)),))
    stats = await statistics(session=db, org=top, period=H1)
    assert (stats.flows["removed"], stats.flows["struck_off"]) == (Compared(1, 0), Compared(0, 0))


async def test_changes_on_one_day_to_one_stage_or_from_one_stage_are_told_apart(db, orgs):
    """Added and taken back onto the source list on one day; moved on and taken off from the
    source list on another: each counted under its own movement."""
    top, a, _, _ = orgs
    for moves in [((None, S.source, date(2026, 1, 15)),), ((S.removed, S.source, date(2026, 1, 15)),),
                  ((S.source, S.sympathizer, date(2026, 3, 9)),), ((S.source, S.removed, date(2026, 3, 9)),)]:
        await add(db, a, S.official, moves=moves)
    stats = await statistics(session=db, org=top, period=H1)
    assert [(m.month, moves) for m, moves in stats.by_month if any(moves.values())] == [
        (1, {"added": 1, "moved_on": 1, "taken_off": 0}), (3, {"added": 0, "moved_on": 1, "taken_off": 1})]
