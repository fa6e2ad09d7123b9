"""The introducers' rule (models.eligibility.introduction_refusals) at its edges: two official
members, or one beside the Youth Union's resolution; 12 months together; official on the day;
on the roster that day; never the same member twice."""

from datetime import date

from models.eligibility import Introduction, introduction_refusals, members_required
from models.roster import MemberStatus, Standing

ON = date(2026, 3, 2)
OFFICIAL = Standing(MemberStatus.official, date(2010, 1, 1))
A = Introduction(1, "Trần Văn Bình", OFFICIAL, date(2020, 1, 1))
B = Introduction(2, "Đỗ Thị Mai", OFFICIAL, date(2021, 5, 5))


def codes(intros, on=ON, youth=False):
    return [(r.code, r.values.get("who")) for r in introduction_refusals(intros, on, youth_union_member=youth)]


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
