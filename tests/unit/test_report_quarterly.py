"""The quarterly source survey (models/reports/quarterly.py), asked directly on branches made
beside the demo: each unit's people on the lists and how the quarter's survey assessed its
sources (the Assessment words, the branch's own words, last quarter's survey not counted), the
units named on a record with nobody on the lists, those with one or two (FEW) and not three, and
the graduates to transfer: moved away in the quarter (on its last day too) or still at the school."""

from datetime import UTC, date, datetime
from itertools import count

import pytest

from models.candidate import Candidate
from models.org import add_org
from models.reports.periods import PeriodUnit, _make
from models.reports.quarterly import GraduateRow, Quarterly, UnitRow, quarterly_survey
from models.review import SourceSurvey
from models.roster import LeftReason, MemberStatus, PartyMember
from models.stage import Category, Gender, IntroducedBy, OrgKind, Stage

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
Q1 = _make(PeriodUnit.quarter, 2026, 1)
S = Stage
numbers = count(1)


async def add(db, branch: int, unit: str | None, stage: Stage, *surveys: tuple[str, str]) -> Candidate:
    c = Candidate(branch_id=branch, number=next(numbers), full_name="Người thử", name_folded="nguoi thu",
                  birth_date=date(2000, 1, 1), gender=Gender.male, category=Category.student, youth_union=True,
                  introduced_by=IntroducedBy.youth_union, unit=unit, stage=stage, stage_since=date(2025, 1, 1),
                  created_at=NOW)
    db.add(c)
    await db.flush()
    for period, assessment in surveys:
        db.add(SourceSurvey(candidate_id=c.id, period=period, assessment=assessment, at=NOW))
    await db.flush()
    return c


@pytest.fixture
async def branches(db):
    a, b, c = [(await add_org(session=db, name=n, kind=OrgKind.branch, parent=None, now=NOW)).id
               for n in ("Chi bộ A", "Chi bộ B", "Chi bộ C")]
    for branch, unit, stage, surveys in [
            (a, "Tổ Toán", S.source, [("2026-Q1", "good")]),
            (a, "Tổ Toán", S.source, [("2026-Q1", "Tiến bộ nhanh"), ("2025-Q4", "good")]),
            (a, "Tổ Toán", S.source, [("2025-Q4", "fair"), ("2026-Q2", "fair")]),  # not this quarter's
            (a, "Tổ Toán", S.sympathizer, [("2026-Q1", "good")]),  # only sources' surveys count
            (a, "Tổ Toán", S.awareness_class, []),
            (a, "Tổ Toán", S.dossier, []),
            (a, "Tổ Toán", S.proposed, []),  # past the lists the survey follows
            (a, None, S.source, []),
            (a, "Tổ Văn", S.source, [("2026-Q1", "fair")]),
            (a, "Tổ Hóa", S.source, [("2026-Q1", "poor")]),
            (a, "Tổ Hóa", S.source, [("2026-Q1", "poor")]),
            (a, "Tổ Lý", S.source, [("2026-Q1", "average")]),
            (a, "Tổ Lý", S.sympathizer, []),
            (a, "Tổ Lý", S.dossier, []),
            (a, "Tổ Sử", S.probationary, []),  # a unit with nobody on the lists
            (a, "Tổ Địa", S.removed, []),
            (b, "Tổ Toán", S.sympathizer, []),
            (b, "", S.official, []),  # a unit left empty is never named
            (c, "Tổ Anh", S.source, []),  # a branch not asked
            (c, "Tổ Nhạc", S.official, [])]:
        await add(db, branch, unit, stage, *surveys)
    return a, b, c


async def test_each_unit_s_people_and_the_quarter_s_survey(db, branches):
    a, b, _ = branches
    report = await quarterly_survey(session=db, branch_ids=[b, a], org="Đảng ủy thử", period=Q1, today=TODAY)
    assert (report.org, report.period, report.today) == ("Đảng ủy thử", Q1, TODAY)
    assert report.rows == [
        UnitRow("Chi bộ A", "", 1, 0, 0, {}, 1),
        UnitRow("Chi bộ A", "Tổ Hóa", 2, 0, 0, {"poor": 2}, 0),
        UnitRow("Chi bộ A", "Tổ Lý", 1, 1, 1, {"average": 1}, 0),
        UnitRow("Chi bộ A", "Tổ Toán", 3, 1, 2, {"good": 1, "other": 1}, 1),
        UnitRow("Chi bộ A", "Tổ Văn", 1, 0, 0, {"fair": 1}, 0),
        UnitRow("Chi bộ B", "Tổ Toán", 0, 1, 0, {}, 0),
    ]
    assert [r.total for r in report.rows] == [1, 2, 3, 6, 1, 1]
    assert report.empty_units == [("Chi bộ A", "Tổ Sử"), ("Chi bộ A", "Tổ Địa")]
    assert report.few_units == [("Chi bộ A", "Tổ Hóa"), ("Chi bộ A", "Tổ Văn"), ("Chi bộ B", "Tổ Toán")]
    assert report.graduates == []


async def test_another_quarter_reads_its_own_survey(db, branches):
    a, _, _ = branches
    report = await quarterly_survey(session=db, branch_ids=[a], org="x", period=_make(PeriodUnit.quarter, 2025, 4),
                                    today=TODAY)
    toan = next(r for r in report.rows if r.unit == "Tổ Toán")
    assert (toan.assessed, toan.not_assessed) == ({"good": 1, "fair": 1}, 1)


async def test_no_branch_asked_lists_nothing(db, branches):
    report = await quarterly_survey(session=db, branch_ids=[], org="x", period=Q1, today=TODAY)
    assert report == Quarterly(org="x", period=Q1, today=TODAY, rows=[], empty_units=[], few_units=[], graduates=[])


async def test_the_graduates_moved_in_the_quarter_or_still_at_the_school(db, branches):
    a, b, c = branches
    for org, name, graduated, left, reason, where in [
            (a, "Ở Lại", date(2025, 6, 30), None, None, None),
            (a, "Chuyển Cuối Quý", date(2025, 6, 30), date(2026, 3, 31), LeftReason.moved, "Đảng bộ X"),
            (b, "Chuyển Giữa Quý", date(2025, 1, 15), date(2026, 2, 10), LeftReason.moved, "Đảng bộ Y"),
            (a, "Chuyển Sau Quý", date(2025, 12, 1), date(2026, 4, 1), LeftReason.moved, "Đảng bộ Z"),
            (a, "Chuyển Trước Quý", date(2025, 6, 30), date(2025, 12, 31), LeftReason.moved, "Đảng bộ W"),
            (c, "Chi Bộ Khác", date(2025, 6, 30), None, None, None)]:
        db.add(PartyMember(org_id=org, full_name=name, status=MemberStatus.official, since=date(2024, 1, 5),
                           graduated_on=graduated, left_on=left, left_reason=reason, moved_to=where, at=NOW))
    await db.flush()
    report = await quarterly_survey(session=db, branch_ids=[a, b], org="x", period=Q1, today=TODAY)
    assert report.graduates == [
        GraduateRow("Chi bộ B", "Chuyển Giữa Quý", date(2025, 1, 15), date(2026, 1, 15), date(2026, 2, 10),
                    "Đảng bộ Y"),
        GraduateRow("Chi bộ A", "Chuyển Cuối Quý", date(2025, 6, 30), date(2026, 6, 30), date(2026, 3, 31),
                    "Đảng bộ X"),
        GraduateRow("Chi bộ A", "Ở Lại", date(2025, 6, 30), date(2026, 6, 30), None, None),
        GraduateRow("Chi bộ A", "Chuyển Sau Quý", date(2025, 12, 1), date(2026, 12, 1), None, None),
    ]


# ---- Found by mutation testing -----------------------------------------------------------------

async def test_two_branches_with_a_unit_of_one_name_are_counted_apart(db, branches):
    """The same unit, stage and (no) survey in two branches: two rows, not one row of two."""
    a, b, _ = branches
    await add(db, b, "Tổ Toán", S.source)
    report = await quarterly_survey(session=db, branch_ids=[a, b], org="x", period=Q1, today=TODAY)
    assert [(r.branch, r.source, r.sympathizer, r.not_assessed) for r in report.rows if r.unit == "Tổ Toán"] == [
        ("Chi bộ A", 3, 1, 1), ("Chi bộ B", 1, 1, 1)]


async def test_a_branch_s_own_words_of_several_kinds_count_together_as_other(db, branches):
    a, _, _ = branches
    for words in ("Có triển vọng", "Cần theo dõi thêm"):
        await add(db, a, "Tổ Toán", S.source, ("2026-Q1", words))
    report = await quarterly_survey(session=db, branch_ids=[a], org="x", period=Q1, today=TODAY)
    toan = next(r for r in report.rows if r.unit == "Tổ Toán")
    assert (toan.source, toan.assessed, toan.not_assessed) == (5, {"good": 1, "other": 3}, 1)
