"""Eligibility edges that mutation testing found unguarded: what a refusal tells the secretary
about an introducer or a union, and the options check_eligibility passes on to each rule."""

from datetime import date

from models.eligibility import (
    Introducer, IntroducerKind, Introduction, check_certificate, check_eligibility, check_introducers,
    introduction_refusals, vote_blockers,
)
from models.roster import MemberStatus, Standing
from models.rules import Refusal

K = IntroducerKind
MEETING = date(2026, 6, 1)
OLD_FRIEND = Introducer(K.member, who=1, together_since=date(2020, 1, 1))
CERTIFICATE = date(2025, 11, 20)


def codes(refusals):
    return [r.code for r in refusals]


def test_introducer_without_a_known_start_is_named():
    unknown = Introducer(K.member, who=7)
    refusals = check_introducers([OLD_FRIEND, unknown], MEETING, youth_union_member=False)
    assert codes(refusals) == ["introducer_time_unknown", "not_enough_introducers"]
    assert refusals[0].values == {"who": 7}


def test_introducer_together_from_a_later_day_has_zero_months():
    later = Introducer(K.member, who=8, together_since=date(2026, 7, 1))
    refusals = check_introducers([OLD_FRIEND, later], MEETING, youth_union_member=False)
    assert refusals[0].code == "introducer_too_recent"
    assert refusals[0].values == {"who": 8, "months_together": 0, "qualifies_on": date(2027, 7, 1)}


def test_union_refusal_says_which_union_and_why():
    youth = check_introducers([Introducer(K.youth_union), OLD_FRIEND], MEETING, youth_union_member=False)
    assert youth[0].values == {"union": K.youth_union, "youth_union_member": False,
                               "unit_has_youth_union": True}
    trade = check_introducers([Introducer(K.trade_union), OLD_FRIEND], MEETING, youth_union_member=True)
    assert trade[0].values == {"union": K.trade_union, "youth_union_member": True,
                               "unit_has_youth_union": True}


def test_eligibility_passes_the_over_age_consent_on():
    over_60 = dict(birth=date(1960, 1, 1), meeting_on=MEETING, certificate_issued=CERTIFICATE,
                   introducers=[OLD_FRIEND, Introducer(K.member, who=2, together_since=date(2019, 1, 1))],
                   youth_union_member=False)
    assert codes(check_eligibility(**over_60)) == ["over_age"]
    assert check_eligibility(**over_60, over_age_consent=True) == []


def test_eligibility_passes_the_units_lack_of_a_youth_union_on():
    with_trade_union = dict(birth=date(1990, 1, 1), meeting_on=MEETING, certificate_issued=CERTIFICATE,
                            introducers=[Introducer(K.trade_union), OLD_FRIEND], youth_union_member=False)
    assert codes(check_eligibility(**with_trade_union)) == [
        "union_may_not_introduce", "not_enough_introducers"]
    assert check_eligibility(**with_trade_union, unit_has_youth_union=False) == []


def test_certificate_after_the_meeting_names_both_dates():
    refusal = check_certificate(date(2026, 6, 2), MEETING)
    assert (refusal.code, refusal.values) == ("certificate_after_meeting",
                                              {"issued_on": date(2026, 6, 2), "on": MEETING})


def test_the_same_member_named_twice_is_refused_and_counts_once_but_unnamed_members_count_each():
    refusals = check_introducers([OLD_FRIEND, OLD_FRIEND], MEETING, youth_union_member=False)
    assert refusals == [Refusal("introducer_twice", {"who": 1}), Refusal("not_enough_introducers", {
        "valid_members": 1, "required_members": 2, "union": None})]
    unnamed = Introducer(K.member, together_since=date(2020, 1, 1))
    assert check_introducers([unnamed, unnamed], MEETING, youth_union_member=False) == []


OFFICIAL = Standing(MemberStatus.official, date(2010, 1, 1))
BINH = Introduction(1, "Trần Văn Bình", OFFICIAL, date(2020, 1, 1))
GONE = Introduction(2, "Đỗ Thị Mai", Standing(MemberStatus.official, date(2010, 1, 1), left_on=date(2026, 1, 1)),
                    date(2020, 1, 1))


def test_recorded_introducers_are_two_members_unless_the_trade_union_route_is_said():
    assert introduction_refusals([BINH], MEETING, youth_union_member=False) == [Refusal("introducers_missing", {
        "required": 2, "recorded": 1, "youth_union_member": False, "union": None})]


def test_an_introducer_off_the_roster_is_named_with_the_day_and_again_as_named_twice():
    assert introduction_refusals([GONE, GONE], MEETING, youth_union_member=True) == [
        Refusal("introducer_off_roster", {"who": "Đỗ Thị Mai", "on": MEETING}),
        Refusal("introducer_twice", {"who": "Đỗ Thị Mai"})]


FILE = {"CN-NTVĐ": date(2025, 6, 1), "1-KNĐ": date(2026, 1, 5), "2-KNĐ": date(2026, 1, 10),
        "3-KNĐ": date(2026, 1, 15), "5-KNĐ": date(2026, 1, 20)}


def test_the_vote_is_blocked_by_one_introducer_unless_a_union_route_is_said():
    blockers = vote_blockers(birth=date(1997, 2, 28), on=MEETING, present=FILE, introductions=[BINH])
    assert blockers == [Refusal("introducers_missing", {
        "required": 2, "recorded": 1, "youth_union_member": False, "union": None})]


def test_an_unknown_paper_in_the_file_does_not_block_the_vote():
    assert vote_blockers(birth=date(1997, 2, 28), on=MEETING, present={**FILE, "9-XYZ": date(2026, 1, 1)}) == []
