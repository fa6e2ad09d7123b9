"""Eligibility on the day the branch meets: age, awareness certificate, introducers, education."""

from datetime import date

from models.eligibility import (
    Education, Introducer, IntroducerKind, check_age, check_certificate, check_eligibility,
    check_introducers, education_notice, month_turns_18, turns_18_on,
)

K = IntroducerKind
MEETING = date(2026, 6, 1)
OLD_FRIEND = Introducer(K.member, who=1, together_since=date(2020, 1, 1))
OTHER_FRIEND = Introducer(K.member, who=2, together_since=date(2019, 9, 5))
YOUTH_UNION = Introducer(K.youth_union)
TRADE_UNION = Introducer(K.trade_union)


def codes(refusals):
    return [r.code for r in refusals]


def test_full_18_on_the_birthday():
    birth = date(2008, 5, 15)
    refusal = check_age(birth, date(2026, 5, 14))
    assert refusal.code == "under_age"
    assert refusal.values == {"age_months": 215, "eligible_from": date(2026, 5, 15)}
    assert check_age(birth, date(2026, 5, 15)) is None
    assert check_age(birth, date(2026, 5, 16)) is None


def test_born_29_february_turns_18_on_28_february():
    birth = date(2008, 2, 29)
    assert turns_18_on(birth) == date(2026, 2, 28)
    assert check_age(birth, date(2026, 2, 27)).code == "under_age"
    assert check_age(birth, date(2026, 2, 28)) is None
    assert check_age(date(2006, 2, 28), date(2024, 2, 28)) is None  # leap target year


def test_month_a_pupil_turns_18():
    assert month_turns_18(date(2008, 12, 31)) == (2026, 12)
    assert month_turns_18(date(2008, 2, 29)) == (2026, 2)


def test_full_60_counted_in_months():
    birth = date(1966, 3, 10)
    assert check_age(birth, date(2026, 3, 10)) is None  # full 60
    assert check_age(birth, date(2026, 4, 9)) is None  # still 720 months
    refusal = check_age(birth, date(2026, 4, 10))
    assert refusal.code == "over_age"
    assert refusal.values == {"age_months": 721, "over_since": date(2026, 4, 10)}
    assert check_age(birth, date(2026, 4, 10), over_age_consent=True) is None


def test_certificate_younger_than_60_months():
    issued = date(2021, 6, 1)
    assert check_certificate(issued, date(2026, 5, 31)) is None
    refusal = check_certificate(issued, date(2026, 6, 1))
    assert refusal.code == "certificate_expired"
    assert refusal.values == {"issued_on": issued, "expired_on": date(2026, 6, 1)}
    assert check_certificate(issued, date(2026, 6, 2)).code == "certificate_expired"


def test_certificate_of_29_february():
    issued = date(2024, 2, 29)
    assert check_certificate(issued, date(2029, 2, 27)) is None
    assert check_certificate(issued, date(2029, 2, 28)).code == "certificate_expired"


def test_certificate_missing_or_from_the_future():
    assert check_certificate(None, MEETING).code == "no_certificate"
    assert check_certificate(date(2026, 6, 2), MEETING).code == "certificate_after_meeting"
    assert check_certificate(MEETING, MEETING) is None


def test_two_official_members():
    assert check_introducers([OLD_FRIEND, OTHER_FRIEND], MEETING, youth_union_member=False) == []


def test_introducer_needs_12_months_together():
    recent = Introducer(K.member, who=3, together_since=date(2025, 6, 2))
    refusals = check_introducers([OLD_FRIEND, recent], MEETING, youth_union_member=False)
    assert codes(refusals) == ["introducer_too_recent", "not_enough_introducers"]
    assert refusals[0].values == {"who": 3, "months_together": 11, "qualifies_on": date(2026, 6, 2)}
    assert refusals[1].values == {"valid_members": 1, "required_members": 2, "union": None}
    assert check_introducers([OLD_FRIEND, recent], date(2026, 6, 2), youth_union_member=False) == []


def test_probationary_member_may_not_introduce():
    probationary = Introducer(K.member, who=4, official=False, together_since=date(2015, 1, 1))
    refusals = check_introducers([OLD_FRIEND, probationary], MEETING, youth_union_member=False)
    assert codes(refusals) == ["introducer_probationary", "not_enough_introducers"]
    assert refusals[0].values == {"who": 4}


def test_youth_union_committee_plus_one_member():
    assert check_introducers([YOUTH_UNION, OLD_FRIEND], MEETING, youth_union_member=True) == []
    alone = check_introducers([YOUTH_UNION], MEETING, youth_union_member=True)
    assert codes(alone) == ["not_enough_introducers"]
    assert alone[0].values == {"valid_members": 0, "required_members": 1, "union": K.youth_union}


def test_youth_union_only_for_its_members():
    refusals = check_introducers([YOUTH_UNION, OLD_FRIEND], MEETING, youth_union_member=False)
    assert codes(refusals) == ["union_may_not_introduce", "not_enough_introducers"]


def test_trade_union_where_there_is_no_youth_union():
    assert check_introducers([TRADE_UNION, OLD_FRIEND], MEETING, youth_union_member=False,
                             unit_has_youth_union=False) == []
    refusals = check_introducers([TRADE_UNION, OLD_FRIEND], MEETING, youth_union_member=True)
    assert codes(refusals) == ["union_may_not_introduce", "not_enough_introducers"]


def test_eligibility_returns_every_refusal():
    refusals = check_eligibility(
        birth=date(2008, 9, 1), meeting_on=MEETING, certificate_issued=None,
        introducers=[OLD_FRIEND], youth_union_member=True)
    assert codes(refusals) == ["under_age", "no_certificate", "not_enough_introducers"]


def test_eligible_youth_union_member():
    assert check_eligibility(
        birth=date(2007, 6, 1), meeting_on=MEETING, certificate_issued=date(2025, 11, 20),
        introducers=[YOUTH_UNION, OLD_FRIEND], youth_union_member=True) == []


def test_education_is_a_warning():
    assert education_notice(Education.lower_secondary) is None
    notice = education_notice(Education.primary)
    assert notice.code == "education_below_minimum"
    assert notice.values == {"level": "primary", "minimum": "lower_secondary"}
    assert education_notice(Education.primary, hardship_area=True) is None
    assert education_notice(Education.none, hardship_area=True).code == "education_below_minimum"
