"""Target edges that mutation testing found unguarded: a term is a term, and a branch counts as
having sources unless the caller says otherwise."""

from datetime import date

from models.targets import PeriodKind, Target, progress, school_year, term


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
