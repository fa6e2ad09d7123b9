"""The rules behind the walk's defects: the day of a review, a class result's day, who may sponsor."""

from datetime import date

from models.party_class import result_too_early
from models.review import review_day_problem
from models.sponsors import Member, may_sponsor
from models.stage import Role


def test_a_review_day_is_never_before_the_previous_review():
    last = date(2026, 3, 2)
    assert review_day_problem(date(2026, 3, 1), last_review_on=last) == "before_last"
    assert review_day_problem(last, last_review_on=last) is None  # the same meeting, resumed
    assert review_day_problem(date(2026, 3, 3), last_review_on=last) is None
    assert review_day_problem(date(2000, 1, 1), last_review_on=None) is None  # no review yet


def test_a_class_result_is_from_the_class_s_first_day():
    starts = date(2026, 4, 1)
    assert result_too_early(date(2026, 3, 31), class_starts_on=starts)
    assert not result_too_early(starts, class_starts_on=starts)
    assert not result_too_early(date(2026, 4, 6), class_starts_on=starts)


def member(person_id: int, branch_id: int = 1) -> Member:
    return Member(person_id=person_id, full_name=f"P {person_id}", branch_id=branch_id, role=Role.sponsor,
                  sponsoring=0)


def test_only_members_on_the_roster_of_their_branch_may_sponsor():
    a, b, b_elsewhere = member(1), member(2), member(2, branch_id=7)
    assert may_sponsor([a, b, b_elsewhere], off={(1, 2)}) == [a, b_elsewhere]
    assert may_sponsor([a, b], off=set()) == [a, b]
    assert may_sponsor([], off={(1, 1)}) == []
