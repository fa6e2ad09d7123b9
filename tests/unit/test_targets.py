"""Target periods (calendar year, school year, term) and progress with composition."""

from datetime import date

import pytest

from models.stage import Category
from models.targets import (
    Admission, PeriodKind, Target, calendar_year, progress, school_year, school_year_containing,
    student_branch_counts, term,
)


def test_school_year_edges():
    before = school_year_containing(date(2026, 8, 31))
    assert (before.start, before.end) == (date(2025, 9, 1), date(2026, 8, 31))
    on = school_year_containing(date(2026, 9, 1))
    assert (on.start, on.end, on.kind) == (date(2026, 9, 1), date(2027, 8, 31), PeriodKind.school_year)
    assert school_year_containing(date(2027, 1, 15)) == on
    assert school_year(2027).end == date(2028, 8, 31)
    assert date(2028, 2, 29) in school_year(2027)


def test_calendar_year_and_term():
    year = calendar_year(2026)
    assert date(2025, 12, 31) not in year and date(2026, 1, 1) in year
    assert date(2026, 12, 31) in year and date(2027, 1, 1) not in year
    assert date(2025, 12, 31) in term(date(2020, 10, 1), date(2025, 12, 31))
    with pytest.raises(ValueError):
        term(date(2025, 1, 1), date(2024, 12, 31))


def test_school_target_two_admissions_one_teacher():
    target = Target(school_year(2026), admissions=2, composition={"teacher": 1})
    admissions = [
        Admission(date(2026, 8, 31), Category.teacher),  # last school year
        Admission(date(2026, 9, 1), Category.student, frozenset({"youth_union"})),
    ]
    p = progress(target, admissions)
    assert (p.counted, p.missing) == (1, 1)
    assert (p.composition, p.composition_missing) == ({"teacher": 0}, {"teacher": 1})
    assert not p.met
    p = progress(target, admissions + [Admission(date(2027, 8, 31), Category.teacher)])
    assert (p.counted, p.missing, p.composition_missing, p.met) == (2, 0, {}, True)


def test_enough_admissions_but_wrong_composition():
    target = Target(calendar_year(2026), admissions=2, composition={"youth_union": 2, "teacher": 1})
    admissions = [Admission(date(2026, 3, 26), Category.student, frozenset({"youth_union"})),
                  Admission(date(2026, 5, 19), Category.teacher)]
    p = progress(target, admissions)
    assert p.missing == 0 and p.composition == {"youth_union": 1, "teacher": 1}
    assert p.composition_missing == {"youth_union": 1} and not p.met


def test_branch_with_no_source_is_exempt():
    target = Target(school_year(2026), admissions=2, composition={"teacher": 1},
                    exempt_without_source=True)
    assert progress(target, [], has_source=False).met
    assert not progress(target, [], has_source=True).met
    assert not progress(Target(school_year(2026), admissions=2), [], has_source=False).met


def test_student_branch_older_than_12_months():
    founded = date(2025, 9, 15)
    assert not student_branch_counts(founded, date(2026, 9, 15))
    assert student_branch_counts(founded, date(2026, 9, 16))


def test_setting_a_target_again_keeps_what_is_not_named():
    from models.targets import merge_composition
    kept = {"teacher": 1, "youth_union": 2}
    assert merge_composition(kept, {}, 4) == kept
    assert merge_composition(kept, {"woman": 1}, 4) == {"teacher": 1, "youth_union": 2, "woman": 1}
    assert merge_composition(kept, {"youth_union": 0, "teacher": 3}, 4) == {"teacher": 3}
    assert merge_composition(kept, {"woman": 1}, 0) == {}  # a target of 0 asks for none


def test_composition_changes_list_the_earlier_groups_first():
    from models.targets import composition_changes
    assert composition_changes({"teacher": 1, "youth_union": 2}, {"teacher": 2, "woman": 1}) == [
        ("teacher", 1, 2), ("youth_union", 2, None), ("woman", None, 1)]
