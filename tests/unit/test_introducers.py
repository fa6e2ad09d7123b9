"""The introducers' rule (models.eligibility.introduction_refusals) at its edges: two official
members, or one beside the Youth Union's resolution; 12 months together; official on the day;
on the roster that day; never the same member twice."""

from datetime import date

from models.eligibility import (
    IntroducerKind, Introduction, introducers_only, introduction_refusals, members_required, union_route,
)
from models.roster import MemberStatus, Standing

ON = date(2026, 3, 2)
OFFICIAL = Standing(MemberStatus.official, date(2010, 1, 1))
A = Introduction(1, "Trần Văn Bình", OFFICIAL, date(2020, 1, 1))
B = Introduction(2, "Đỗ Thị Mai", OFFICIAL, date(2021, 5, 5))


def codes(intros, on=ON, youth=False, trade=False):
    return [(r.code, r.values.get("who"))
            for r in introduction_refusals(intros, on, youth_union_member=youth, trade_union=trade)]


def test_two_official_members_or_one_beside_the_youth_union():
    assert members_required(youth_union_member=False) == 2 and members_required(youth_union_member=True) == 1
    assert codes([A, B]) == [] and codes([A], youth=True) == []
    assert codes([A]) == [("introducers_missing", None)]
    assert codes([], youth=True) == [("introducers_missing", None)]


def test_twelve_months_together_on_the_day_exactly_and_not_a_day_less():
    assert codes([A, Introduction(2, "Đỗ Thị Mai", OFFICIAL, date(2025, 3, 2))]) == []
    refusals = introduction_refusals([A, Introduction(2, "Đỗ Thị Mai", OFFICIAL, date(2025, 3, 3))], ON,
                                     youth_union_member=False)
    assert [(r.code, r.values) for r in refusals] == [("introducer_too_recent", {
        "who": "Đỗ Thị Mai", "months_together": 11, "qualifies_on": date(2026, 3, 3)})]


def test_official_on_the_vote_s_day_not_probationary_not_gone_not_yet_joined():
    probationary = Introduction(2, "Hoàng Mai Anh", Standing(MemberStatus.probationary, date(2025, 8, 1)),
                                date(2020, 1, 1))
    assert codes([A, probationary]) == [("introducer_probationary", "Hoàng Mai Anh")]
    gone = Introduction(2, "Đỗ Thị Mai", Standing(MemberStatus.official, date(2010, 1, 1), left_on=ON),
                        date(2020, 1, 1))
    assert codes([A, gone]) == [("introducer_off_roster", "Đỗ Thị Mai")]
    assert codes([A, gone], on=date(2026, 3, 1)) == []  # the day before they left
    recognised_later = Introduction(2, "Đỗ Thị Mai", Standing(MemberStatus.official, date(2026, 3, 3)),
                                    date(2020, 1, 1))
    assert codes([A, recognised_later]) == [("introducer_off_roster", "Đỗ Thị Mai")]


def test_the_same_member_named_twice_counts_once():
    assert codes([A, A]) == [("introducer_twice", "Trần Văn Bình")]
    assert codes([A, A], youth=True) == [("introducer_twice", "Trần Văn Bình")]


def test_the_trade_union_committee_stands_in_only_beside_one_member_of_a_non_youth_union_member():
    assert union_route(youth_union_member=True) == IntroducerKind.youth_union
    assert union_route(youth_union_member=True, trade_union=True) == IntroducerKind.youth_union
    assert union_route(youth_union_member=False, trade_union=True) == IntroducerKind.trade_union
    assert union_route(youth_union_member=False) is None
    assert members_required(youth_union_member=False, trade_union=True) == 1
    assert codes([A], trade=True) == [] and codes([], trade=True) == [("introducers_missing", None)]
    assert introduction_refusals([], ON, youth_union_member=False, trade_union=True)[0].values == {
        "required": 1, "recorded": 0, "youth_union_member": False, "union": "trade_union"}
    gone = Introduction(1, "Đỗ Thị Mai", Standing(MemberStatus.official, date(2010, 1, 1), left_on=ON),
                        A.together_since)
    assert codes([gone], trade=True) == [("introducer_off_roster", "Đỗ Thị Mai")]


def test_the_introducers_alone_only_to_dated_letters_of_a_branch_with_a_roster():
    assert introducers_only(letters_on=date(2026, 1, 26), has_roster=True)
    assert not introducers_only(letters_on=None, has_roster=True)
    assert not introducers_only(letters_on=date(2026, 1, 26), has_roster=False)
