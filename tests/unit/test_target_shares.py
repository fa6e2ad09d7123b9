"""Shares in targets (001, 002): of admissions carrying a tag, of branches that admit; terms."""

from datetime import date

import pytest

from models.stage import Category
from models.target_queries import parse_period, parse_share, period_label, shares_json
from models.targets import (
    BRANCHES, STUDENT_BRANCHES, Admission, BranchCount, PeriodKind, Share, Target, admissions_short,
    branch_counts, branches_short, progress, school_year, share_met,
)

MORE_THAN_60 = Share("youth_union", 60, strict=True)
AT_LEAST_2 = Share("private_firm", 2)


def test_more_than_is_strict_and_at_least_is_not():
    assert share_met(3, 5, MORE_THAN_60) is False  # exactly 60 %: not more than 60 %
    assert share_met(4, 6, MORE_THAN_60) is True
    assert share_met(2, 100, AT_LEAST_2) is True  # exactly 2 %
    assert share_met(1, 51, AT_LEAST_2) is False  # 1.96 %: no rounding up
    assert share_met(0, 0, AT_LEAST_2) is None  # nothing admitted: nothing to measure


def test_how_many_more_admissions_carrying_the_tag():
    # 3 of 5 Youth Union members is 60 %: one more makes 4 of 6, more than 60 %.
    assert admissions_short(3, 5, MORE_THAN_60) == 1
    assert admissions_short(4, 6, MORE_THAN_60) == 0
    # 0 of 10: 15 more make 15 of 25 = 60 %, not more; 16 make 16 of 26.
    assert admissions_short(0, 10, MORE_THAN_60) == 16
    # 002: 191 admitted and none from a private firm: 4 more make 4 of 195 ≥ 2 %.
    assert admissions_short(0, 191, AT_LEAST_2) == 4
    assert admissions_short(0, 0, MORE_THAN_60) == 1
    every = Share("student", 100)
    assert admissions_short(2, 2, every) == 0
    assert admissions_short(1, 2, every) is None  # one admission without the tag spoils 100 %


def test_how_many_more_branches_must_admit():
    seventy = Share(BRANCHES, 70, strict=True)
    assert branches_short(7, 10, seventy) == 1  # 70 % is not more than 70 %
    assert branches_short(8, 10, seventy) == 0
    assert branches_short(0, 3, Share(STUDENT_BRANCHES, 100)) == 3
    assert branches_short(0, 0, Share(STUDENT_BRANCHES, 100)) is None
    assert branches_short(3, 3, Share(BRANCHES, 100, strict=True)) is None  # more than 100 %: never


def test_a_share_is_a_percentage():
    with pytest.raises(ValueError):
        Share("woman", 101)
    with pytest.raises(ValueError):
        Share("woman", -1)


def test_progress_with_shares_of_admissions_and_of_branches():
    target = Target(school_year(2026), admissions=3, shares=(MORE_THAN_60, Share(BRANCHES, 70, strict=True)))
    held = [Admission(date(2026, 10, 1), Category.student, frozenset({"youth_union"})),
            Admission(date(2026, 11, 1), Category.student, frozenset({"youth_union"})),
            Admission(date(2026, 12, 1), Category.teacher)]
    p = progress(target, held, branches={BRANCHES: BranchCount(admitted=7, counted=10)})
    youth, branches = p.shares
    assert (youth.part, youth.whole, youth.met, youth.short) == (2, 3, True, 0)
    assert (branches.part, branches.whole, branches.met, branches.short) == (7, 10, False, 1)
    assert p.missing == 0 and not p.met
    p = progress(target, held, branches={BRANCHES: BranchCount(admitted=8, counted=10)})
    assert p.met


def test_no_admissions_yet_measures_no_share():
    p = progress(Target(school_year(2026), admissions=0, shares=(AT_LEAST_2,)), [])
    assert (p.shares[0].met, p.shares[0].short) == (None, None)
    assert p.met  # a share with nothing to measure does not fail the target


def test_which_branch_shares_a_branch_counts_in():
    end = date(2027, 8, 31)
    assert branch_counts(end, is_student=False, founded_on=None, no_source_left=False) == (BRANCHES,)
    # 001: a student branch counts once older than 12 months, on the period's last day.
    assert branch_counts(end, is_student=True, founded_on=date(2026, 8, 30),
                         no_source_left=False) == (BRANCHES, STUDENT_BRANCHES)
    assert branch_counts(end, is_student=True, founded_on=date(2026, 8, 31), no_source_left=False) == (BRANCHES,)
    assert branch_counts(end, is_student=True, founded_on=None, no_source_left=False) == (BRANCHES, STUDENT_BRANCHES)
    assert branch_counts(end, is_student=True, founded_on=None, no_source_left=True) == ()


def test_a_term_is_named_by_its_years():
    label, period = parse_period("2020-2025")
    assert (label, period.kind, period.start, period.end) == (
        "2020-2025", PeriodKind.term, date(2020, 1, 1), date(2025, 12, 31))
    assert period_label(period) == "2020-2025"
    assert parse_period("2026-2027")[1].kind == PeriodKind.school_year
    assert parse_period("2025-2030")[1].end == date(2030, 12, 31)
    assert parse_period("2020-2024") is None and parse_period("2020-2026") is None
    assert parse_period("2025-2020") is None
    assert parse_period("2026-2026") is None


def test_shares_as_typed_on_the_command_line():
    assert parse_share("youth_union>60") == MORE_THAN_60
    assert parse_share("private_firm >= 2%") == AT_LEAST_2
    assert parse_share("private_firm≥2") == AT_LEAST_2
    assert parse_share("student_branches>=100") == Share(STUDENT_BRANCHES, 100)
    assert parse_share("youth_union>101") is None
    assert parse_share("nobody>5") is None
    assert parse_share("youth_union=60") is None
    assert shares_json([MORE_THAN_60]) == {"youth_union": {"percent": 60, "strict": True}}
