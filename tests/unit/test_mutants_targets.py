"""Target edges that mutation testing found unguarded: a term is a term, and a branch counts as
having sources unless the caller says otherwise."""

from datetime import date

from models.targets import (
    BRANCHES, STUDENT_BRANCHES, Admission, BranchCount, PeriodKind, Share, ShareProgress, Target, admissions_short,
    branches_short, calendar_year, merge_composition, progress, school_year, share_met, term,
)


def test_a_term_is_a_period_of_kind_term():
    period = term(date(2020, 10, 1), date(2025, 9, 30))
    assert (period.kind, period.start, period.end) == (PeriodKind.term, date(2020, 10, 1), date(2025, 9, 30))


def test_a_branch_is_not_exempt_unless_it_is_said_to_have_no_source():
    target = Target(school_year(2026), admissions=2, exempt_without_source=True)
    p = progress(target, [])
    assert (p.exempt, p.met, p.counted, p.required, p.missing) == (False, False, 0, 2, 2)


def test_a_period_may_be_a_single_day():
    day = date(2026, 3, 26)
    assert day in term(day, day)


def test_a_calendar_year_is_a_period_of_kind_calendar_year():
    period = calendar_year(2026)
    assert (period.kind, period.start, period.end) == (PeriodKind.calendar_year, date(2026, 1, 1), date(2026, 12, 31))


def test_a_share_may_be_0_or_100_percent():
    assert (Share("teacher", 0, strict=True).percent, Share("teacher", 100).percent) == (0, 100)


def test_a_share_of_one_admission_or_one_percent_is_measured_exactly():
    assert share_met(1, 1, Share("woman", 2)) is True
    assert share_met(1, 101, Share("woman", 1)) is False  # 0.99 %
    assert share_met(2, 101, Share("woman", 1)) is True


def test_how_many_more_admissions_at_the_edges_of_the_arithmetic():
    more_than_60 = Share("youth_union", 60, strict=True)
    assert admissions_short(0, 1, more_than_60) == 2  # 2 of 3 is more than 60 %; 1 of 2 is not
    assert admissions_short(20, 35, Share("youth_union", 60)) == 3  # 23 of 38 is 60.5 %; 22 of 37 is 59.5 %
    assert admissions_short(0, 1, Share("woman", 99)) == 99  # 99 of 100
    assert admissions_short(0, 0, Share("student", 100)) == 0  # nothing admitted: none spoils 100 %


def test_how_many_more_branches_at_the_edges_of_the_arithmetic():
    assert branches_short(0, 1, Share(BRANCHES, 1)) == 1
    assert branches_short(1, 1, Share(BRANCHES, 1)) == 0
    assert branches_short(0, 101, Share(BRANCHES, 1)) == 2  # 1 of 101 is 0.99 %
    assert branches_short(0, 2, Share(BRANCHES, 50, strict=True)) == 2  # 1 of 2 is not more than 50 %


def test_each_share_is_reported_with_its_counts_and_a_branch_share_without_counts_measures_nothing():
    youth, student = Share("youth_union", 50), Share(STUDENT_BRANCHES, 100)
    target = Target(school_year(2026), admissions=1, shares=(youth, student))
    held = [Admission(date(2026, 10, 1), "student", frozenset({"youth_union"})),
            Admission(date(2026, 11, 1), "teacher")]
    assert progress(target, held).shares == (ShareProgress(youth, 1, 2, True, 0),
                                             ShareProgress(student, 0, 0, None, None))
    assert progress(target, held, branches={STUDENT_BRANCHES: BranchCount(1, 2)}).shares[1] == ShareProgress(
        student, 1, 2, False, 1)


def test_a_target_set_again_for_one_admission_keeps_its_composition():
    assert merge_composition({"teacher": 1, "woman": 2}, {"woman": 0}, 1) == {"teacher": 1}
    assert merge_composition({"teacher": 1}, {}, 0) == {}
