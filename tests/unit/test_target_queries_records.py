"""Targets in the database, asked directly on the demo (models/target_queries.py; mutation testing
found its queries reached by no fast test): periods as typed and named, the ceremonies a target
counts, the branches that admitted, where each target stands, and setting one. In the demo
(today 02/03/2026) every organisation has a 2025-2026 school-year target: the Trần Phú branch
3 admissions (1 teacher, 2 Youth Union), the Khoa Toán branch 2 (2 students), the committee 5
(1 teacher); no ceremony falls in it (Hoàng Mai Anh's was on 14/08/2025, Cao Thị Huyền's in 2024)."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models import target_queries as tq
from models.dossier import AdmissionRecord
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.stage import Category, Gender, OrgKind
from models.targets import (
    BRANCHES, STUDENT_BRANCHES, Admission, BranchCount, Period, PeriodKind, Share, calendar_year, school_year, term,
)
from tests.unit.demo_rows import candidate, secretary

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
YEAR = school_year(2025)
LAN, HUY, DUC, ANH, HUYEN, MINH = (
    "Đặng Ngọc Lan", "Bùi Quốc Huy", "Tạ Minh Đức", "Hoàng Mai Anh", "Cao Thị Huyền", "Lê Hoàng Minh")
THANG = "Ngô Đức Thắng"  # of the Khoa Toán branch


async def org(db, name) -> Organisation:
    return (await db.exec(sa.select(Organisation).where(Organisation.name == name))).scalar_one()


async def ceremony(db, name, on: date) -> None:
    c = await candidate(db, name)
    record = await db.get(AdmissionRecord, c.id)
    if record is None:
        record = AdmissionRecord(candidate_id=c.id, updated_at=NOW)
    record.ceremony_on = on
    db.add(record)
    await db.flush()


async def target(db, org_name, label, period, admissions=1, **kw) -> OrgTarget:
    row, created = await tq.upsert_target(session=db, org_id=(await org(db, org_name)).id, label=label, period=period,
                                          admissions=admissions, composition=kw.pop("composition", {}), set_by=None,
                                          now=NOW, **kw)
    assert created
    return row


# ---- Periods and shares as typed -----------------------------------------------------------------

def test_a_school_year_a_calendar_year_and_a_term_as_typed():
    assert tq.parse_period("2026-2027") == ("2026-2027", school_year(2026))
    assert tq.parse_period(" 2026 / 2027 ") == ("2026-2027", school_year(2026))
    assert tq.parse_period("2026 – 2027") == ("2026-2027", school_year(2026))
    assert tq.parse_period("2026") == ("2026", calendar_year(2026))
    assert tq.parse_period(" 2026 ") == ("2026", calendar_year(2026))
    assert tq.parse_period("2020-2025") == ("2020-2025", term(date(2020, 1, 1), date(2025, 12, 31)))
    assert tq.party_term(2020, 2025) == Period(PeriodKind.term, date(2020, 1, 1), date(2025, 12, 31))


def test_a_year_must_be_a_plausible_one_and_two_years_one_or_five_apart():
    assert tq.parse_period("1901-1902") == ("1901-1902", school_year(1901))
    assert tq.parse_period("2999-3000") == ("2999-3000", school_year(2999))
    assert tq.parse_period("1900-1901") is None and tq.parse_period("3000-3001") is None
    assert tq.parse_period("1901") == ("1901", calendar_year(1901))
    assert tq.parse_period("2999") == ("2999", calendar_year(2999))
    assert tq.parse_period("1900") is None and tq.parse_period("3000") is None
    for text in ("2026-2028", "2026-2026", "2027-2026", "20266", "năm 2026", "2026-27", "", "2026-2027x"):
        assert tq.parse_period(text) is None, text


def test_a_share_as_typed_and_as_kept():
    assert tq.parse_share("Youth_Union > 60 %") == Share("youth_union", 60, strict=True)
    assert tq.parse_share("woman>=100") == Share("woman", 100, strict=False)
    assert tq.parse_share("branches≥70") == Share(BRANCHES, 70, strict=False)
    assert tq.parse_share("teacher>0") == Share("teacher", 0, strict=True)
    assert tq.parse_share("woman>=1000") is None and tq.parse_share("woman<5") is None
    assert tq.parse_share("women>5") is None
    row = OrgTarget(org_id=1, label="2026", period_kind=PeriodKind.calendar_year, starts_on=date(2026, 1, 1),
                    ends_on=date(2026, 12, 31), admissions=2, at=NOW,
                    shares={"youth_union": {"percent": 60, "strict": True}, "branches": {"percent": "70"}})
    assert tq.shares_of(row) == (Share("youth_union", 60, True), Share(BRANCHES, 70, False))
    row.shares = None
    assert tq.shares_of(row) == ()
    assert tq.shares_json([Share("woman", 5), Share(BRANCHES, 70, True)]) == {
        "woman": {"percent": 5, "strict": False}, "branches": {"percent": 70, "strict": True}}


def test_the_tags_a_composition_may_count():
    assert tq.FLAGS == ("youth_union", "woman", "ethnic_minority", "religious", "private_firm")
    assert tq.TAGS == tuple(c.value for c in Category) + tq.FLAGS
    assert tq.MEASURES == tq.TAGS + (BRANCHES, STUDENT_BRANCHES)
    assert (tq.TERM_YEARS, tq.MAX_ADMISSIONS, tq.CLI_MAX_ADMISSIONS) == (5, 1000, 100_000)


def test_a_period_s_label_is_its_years_or_its_days():
    assert tq.period_label(school_year(2026)) == "2026-2027"
    assert tq.period_label(calendar_year(2026)) == "2026"
    assert tq.period_label(term(date(2020, 1, 1), date(2025, 12, 31))) == "2020-2025"
    assert tq.period_label(term(date(2020, 2, 1), date(2025, 12, 31))) == "20200201-20251231"
    assert tq.period_label(term(date(2020, 1, 2), date(2025, 12, 31))) == "20200102-20251231"
    assert tq.period_label(term(date(2020, 1, 1), date(2025, 11, 30))) == "20200101-20251130"
    assert tq.period_label(term(date(2020, 1, 1), date(2025, 12, 30))) == "20200101-20251230"
    assert tq.period_label(Period(PeriodKind.school_year, date(2026, 3, 1), date(2026, 3, 31))) == "2026-2026"


async def test_a_kept_target_reads_as_its_period_composition_and_shares(db):
    row = (await db.exec(sa.select(OrgTarget).where(OrgTarget.org_id == (await org(db, BRANCH)).id))).scalar_one()
    assert tq.period_of(row) == YEAR
    row.composition = {"teacher": "1", "youth_union": 2}
    row.shares = {"woman": {"percent": 50}}
    t = tq.as_target(row)
    assert (t.period, t.admissions, dict(t.composition), t.exempt_without_source, t.shares) == (
        YEAR, 3, {"teacher": 1, "youth_union": 2}, True, (Share("woman", 50),))
    row.composition = None
    assert dict(tq.as_target(row).composition) == {}


async def test_an_admission_carries_its_category_and_flags(db):
    lan = await candidate(db, LAN)  # a woman, a teacher, in the Youth Union
    assert tq.admission_of(lan, date(2026, 1, 5)) == Admission(date(2026, 1, 5), "teacher",
                                                               frozenset({"youth_union", "woman"}))
    minh = await candidate(db, MINH)
    minh.ethnic_minority = minh.religious = minh.private_firm = True
    assert tq.admission_of(minh, date(2026, 1, 5)) == Admission(
        date(2026, 1, 5), "teacher", frozenset({"ethnic_minority", "religious", "private_firm"}))
    minh.gender, minh.category = Gender.male, Category.worker
    minh.ethnic_minority = minh.religious = minh.private_firm = False
    assert tq.admission_of(minh, date(2026, 1, 5)) == Admission(date(2026, 1, 5), "worker", frozenset())


# ---- Ceremonies, branches, progress --------------------------------------------------------------

async def test_the_ceremonies_counted_are_those_of_the_subtree_from_the_first_to_the_last_day(db):
    branch, second, committee = await org(db, BRANCH), await org(db, SECOND_BRANCH), await org(db, COMMITTEE)
    await ceremony(db, LAN, YEAR.start)
    await ceremony(db, HUY, YEAR.end)
    await ceremony(db, DUC, YEAR.end + timedelta(days=1))
    await ceremony(db, THANG, date(2026, 1, 10))

    async def held(o, start=YEAR.start, end=YEAR.end):
        return sorted(a.ceremony_on for a in await tq.admissions_in(session=db, org=o, start=start, end=end))
    assert await held(branch) == [YEAR.start, YEAR.end]
    assert await held(second) == [date(2026, 1, 10)]
    assert await held(committee) == [YEAR.start, date(2026, 1, 10), YEAR.end]
    assert await held(branch, YEAR.start + timedelta(days=1), YEAR.end - timedelta(days=1)) == []
    assert await held(branch, date(2024, 1, 1), YEAR.start - timedelta(days=1)) == [
        TODAY - timedelta(days=445), TODAY - timedelta(days=200)]  # Cao Thị Huyền's, Hoàng Mai Anh's


async def test_the_branches_that_admitted_in_a_period_each_share_counting_the_ones_it_counts(db):
    branch, second, committee = await org(db, BRANCH), await org(db, SECOND_BRANCH), await org(db, COMMITTEE)
    await ceremony(db, LAN, YEAR.start)
    await ceremony(db, HUY, YEAR.end)  # the same branch twice: one branch
    both = await tq.branches_admitting(session=db, org=committee, period=YEAR)
    assert both == {BRANCHES: BranchCount(1, 2), STUDENT_BRANCHES: BranchCount(0, 1)}
    await ceremony(db, THANG, YEAR.end + timedelta(days=1))
    assert await tq.branches_admitting(session=db, org=committee, period=YEAR) == both
    await ceremony(db, THANG, YEAR.start)
    assert await tq.branches_admitting(session=db, org=committee, period=YEAR) == {
        BRANCHES: BranchCount(2, 2), STUDENT_BRANCHES: BranchCount(1, 1)}
    assert await tq.branches_admitting(session=db, org=branch, period=YEAR) == {
        BRANCHES: BranchCount(1, 1), STUDENT_BRANCHES: BranchCount(0, 0)}
    second.no_source_left = True
    assert await tq.branches_admitting(session=db, org=committee, period=YEAR) == {
        BRANCHES: BranchCount(1, 1), STUDENT_BRANCHES: BranchCount(0, 0)}
    second.no_source_left, second.founded_on = False, YEAR.end - timedelta(days=100)  # too young to count
    assert await tq.branches_admitting(session=db, org=committee, period=YEAR) == {
        BRANCHES: BranchCount(2, 2), STUDENT_BRANCHES: BranchCount(0, 0)}
    other = await add_org(session=db, name="Đảng ủy Khối Y tế", kind=OrgKind.committee, parent=None, now=NOW)
    assert await tq.branches_admitting(session=db, org=other, period=YEAR) == {
        BRANCHES: BranchCount(0, 0), STUDENT_BRANCHES: BranchCount(0, 0)}


async def test_a_target_s_status_counts_its_period_its_composition_and_its_shares(db):
    branch = await org(db, BRANCH)
    await ceremony(db, LAN, date(2025, 10, 1))
    await ceremony(db, HUY, date(2026, 9, 1))  # after the school year
    row = (await db.exec(sa.select(OrgTarget).where(OrgTarget.org_id == branch.id))).scalar_one()
    status = await tq.target_status(session=db, org=branch, row=row)
    assert (status.org_id, status.org_name, status.label, status.period, status.admissions, status.composition) == (
        branch.id, BRANCH, "2025-2026", YEAR, 3, {"teacher": 1, "youth_union": 2})
    p = status.progress
    assert (p.counted, p.required, p.missing, p.composition, p.composition_missing, p.exempt, p.shares) == (
        1, 3, 2, {"teacher": 1, "youth_union": 1}, {"youth_union": 1}, False, ())
    row.shares = tq.shares_json([Share(BRANCHES, 100), Share("woman", 50)])
    branch.no_source_left = True
    p = (await tq.target_status(session=db, org=branch, row=row)).progress
    assert p.exempt is True
    assert [(s.share.measure, s.part, s.whole, s.met) for s in p.shares] == [(BRANCHES, 0, 0, None),
                                                                              ("woman", 1, 1, True)]
    branch.no_source_left = False
    p = (await tq.target_status(session=db, org=branch, row=row)).progress
    assert [(s.share.measure, s.part, s.whole, s.met) for s in p.shares] == [(BRANCHES, 1, 1, True),
                                                                              ("woman", 1, 1, True)]


async def test_the_targets_still_running_or_to_come_by_start_and_the_last_one_ended(db):
    committee = await org(db, COMMITTEE)
    await target(db, COMMITTEE, "2026-2027", school_year(2026))
    await target(db, COMMITTEE, "2026", calendar_year(2026))
    await target(db, COMMITTEE, "2025", calendar_year(2025))
    await target(db, COMMITTEE, "2024", calendar_year(2024))
    await target(db, COMMITTEE, "20250101-20250831", term(date(2025, 1, 1), date(2025, 8, 31)))
    await target(db, COMMITTEE, "20260101-20260301", term(date(2026, 1, 1), TODAY - timedelta(days=1)))
    await target(db, COMMITTEE, "20260101-20260302", term(date(2026, 1, 1), TODAY))
    await target(db, BRANCH, "2027", calendar_year(2027))
    labels = [s.label for s in await tq.targets_of(session=db, org=committee, today=TODAY)]
    assert labels == ["2025-2026", "2026", "20260101-20260302", "2026-2027"]
    labels = [s.label for s in await tq.targets_of(session=db, org=committee, today=TODAY, current_only=True)]
    assert labels == ["2025-2026", "2026", "20260101-20260302"]
    assert [s.label for s in await tq.targets_of(session=db, org=committee, today=date(2026, 9, 1),
                                                 current_only=True)] == ["2026", "2026-2027"]
    last = await tq.last_ended_target(session=db, org=committee, today=TODAY)
    assert (last.label, last.org_name) == ("20260101-20260301", COMMITTEE)
    assert (await tq.last_ended_target(session=db, org=committee, today=date(2026, 1, 1))).label == "2025"
    assert (await tq.last_ended_target(session=db, org=committee, today=date(2025, 9, 1))).label == (
        "20250101-20250831")
    assert await tq.last_ended_target(session=db, org=committee, today=date(2025, 1, 1)) is not None
    assert await tq.last_ended_target(session=db, org=committee, today=date(2024, 12, 31)) is None


async def test_two_targets_ending_the_same_day_the_last_ended_is_the_first_by_label(db):
    committee = await org(db, COMMITTEE)
    await target(db, COMMITTEE, "2024", calendar_year(2024))
    await target(db, COMMITTEE, "20230101-20241231", term(date(2023, 1, 1), date(2024, 12, 31)))
    last = await tq.last_ended_target(session=db, org=committee, today=date(2025, 3, 1))
    assert last.label == "20230101-20241231"
    await target(db, COMMITTEE, "2026b", calendar_year(2026))
    await target(db, COMMITTEE, "2026a", calendar_year(2026))
    assert [s.label for s in await tq.targets_of(session=db, org=committee, today=date(2026, 9, 1))] == [
        "2026a", "2026b"]


# ---- Organisations, and setting a target ---------------------------------------------------------

async def test_the_organisations_below_come_by_depth_then_name_and_those_asked_by_name(db):
    branch, second, committee = await org(db, BRANCH), await org(db, SECOND_BRANCH), await org(db, COMMITTEE)
    cell = await add_org(session=db, name="A tổ", kind=OrgKind.branch, parent=branch, now=NOW)
    assert [o.name for o in await tq.orgs_below(session=db, paths=[committee.path])] == [
        SECOND_BRANCH, BRANCH, "A tổ"]
    assert [o.name for o in await tq.orgs_below(session=db, paths=[branch.path])] == ["A tổ"]
    assert [o.name for o in await tq.orgs_below(session=db, paths=[branch.path, second.path])] == ["A tổ"]
    assert await tq.orgs_below(session=db, paths=[]) == []
    assert [o.name for o in await tq.orgs_at(session=db, ids=[branch.id, cell.id, committee.id])] == [
        "A tổ", BRANCH, COMMITTEE]
    assert await tq.orgs_at(session=db, ids=[]) == []
    twin = await add_org(session=db, name="A tổ", kind=OrgKind.branch, parent=branch, now=NOW)
    assert [o.id for o in await tq.orgs_at(session=db, ids=[twin.id, cell.id])] == [cell.id, twin.id]
    assert [o.id for o in await tq.orgs_below(session=db, paths=[branch.path])] == [cell.id, twin.id]


async def test_setting_a_target_creates_it_then_changes_it_keeping_its_shares_unless_given(db):
    branch = await org(db, BRANCH)
    who = await secretary(db)
    assert await tq.target_for(session=db, org_id=branch.id, label="2026-2027") is None
    row, created = await tq.upsert_target(
        session=db, org_id=branch.id, label="2026-2027", period=school_year(2026), admissions=4,
        composition={"teacher": 2, "woman": 0}, set_by=who, now=NOW, shares=(Share("woman", 50, True),))
    assert created is True and row.id is not None
    db.expunge_all()
    kept = await tq.target_for(session=db, org_id=branch.id, label="2026-2027")
    assert (kept.id, PeriodKind(kept.period_kind), kept.starts_on, kept.ends_on, kept.admissions, kept.composition,
            kept.shares, kept.set_by, kept.at.replace(tzinfo=None)) == (
        row.id, PeriodKind.school_year, date(2026, 9, 1), date(2027, 8, 31), 4, {"teacher": 2},
        {"woman": {"percent": 50, "strict": True}}, who, NOW.replace(tzinfo=None))
    later = NOW + timedelta(days=1)
    again, created = await tq.upsert_target(
        session=db, org_id=branch.id, label="2026-2027", period=term(date(2026, 9, 1), date(2027, 6, 30)),
        admissions=5, composition={"youth_union": 1}, set_by=None, now=later)
    assert created is False and again.id == row.id
    db.expunge_all()
    kept = await tq.target_for(session=db, org_id=branch.id, label="2026-2027")
    assert (PeriodKind(kept.period_kind), kept.starts_on, kept.ends_on, kept.admissions, kept.composition,
            kept.shares, kept.set_by, kept.at.replace(tzinfo=None)) == (
        PeriodKind.term, date(2026, 9, 1), date(2027, 6, 30), 5, {"youth_union": 1},
        {"woman": {"percent": 50, "strict": True}}, None, later.replace(tzinfo=None))
    await tq.upsert_target(session=db, org_id=branch.id, label="2026-2027", period=school_year(2026), admissions=5,
                           composition={}, set_by=None, now=later, shares=())
    db.expunge_all()
    assert (await tq.target_for(session=db, org_id=branch.id, label="2026-2027")).shares == {}
    assert (await tq.target_for(session=db, org_id=(await org(db, SECOND_BRANCH)).id, label="2026-2027")) is None


async def test_each_organisation_has_its_own_target_for_a_label(db):
    branch, second, label = await org(db, BRANCH), await org(db, SECOND_BRANCH), "2025-2026"
    assert (await tq.target_for(session=db, org_id=branch.id, label=label)).admissions == 3
    assert (await tq.target_for(session=db, org_id=second.id, label=label)).admissions == 2


async def test_a_branch_admits_in_a_period_only_by_a_ceremony_from_its_first_to_its_last_day(db):
    committee = await org(db, COMMITTEE)
    none = {BRANCHES: BranchCount(0, 2), STUDENT_BRANCHES: BranchCount(0, 1)}
    assert await tq.branches_admitting(session=db, org=committee, period=YEAR) == none  # Anh's was in August 2025
    await ceremony(db, THANG, YEAR.end)
    assert await tq.branches_admitting(session=db, org=committee, period=YEAR) == {
        BRANCHES: BranchCount(1, 2), STUDENT_BRANCHES: BranchCount(1, 1)}


async def test_a_branch_share_alone_is_measured_on_the_branches(db):
    branch = await org(db, BRANCH)
    await ceremony(db, LAN, date(2025, 10, 1))
    row = (await db.exec(sa.select(OrgTarget).where(OrgTarget.org_id == branch.id))).scalar_one()
    row.shares = tq.shares_json([Share(BRANCHES, 100)])
    p = (await tq.target_status(session=db, org=branch, row=row)).progress
    assert [(s.share.measure, s.part, s.whole, s.met) for s in p.shares] == [(BRANCHES, 1, 1, True)]


async def test_the_last_ended_target_is_the_organisation_s_own(db):
    committee = await org(db, COMMITTEE)
    await target(db, COMMITTEE, "20260101-20260301", term(date(2026, 1, 1), TODAY - timedelta(days=1)))
    await target(db, BRANCH, "2026-early", term(date(2026, 1, 1), TODAY - timedelta(days=1)))
    last = await tq.last_ended_target(session=db, org=committee, today=TODAY)
    assert (last.label, last.org_name) == ("20260101-20260301", COMMITTEE)
