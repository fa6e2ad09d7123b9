"""The rules of consent and of a person's requests about their data (models/consent.py)."""

from datetime import date, datetime

from models.consent import (Consent, GivenBy, Method, Needed, Standing, age_on, birthday_at, consent_needed,
                            request_due, standing)


def test_age_counts_whole_years_and_the_birthday_itself():
    assert age_on(date(2010, 3, 2), date(2026, 3, 1)) == 15
    assert age_on(date(2010, 3, 2), date(2026, 3, 2)) == 16
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_the_sixteenth_birthday_of_one_born_on_29_february_is_1_march():
    assert birthday_at(date(2012, 2, 29), 16) == date(2028, 2, 29)
    assert birthday_at(date(2011, 2, 28), 16) == date(2027, 2, 28)
    assert birthday_at(date(2008, 2, 29), 17) == date(2025, 3, 1)


def test_under_16_on_the_registration_day_needs_a_guardian_and_their_own_from_7():
    registered = date(2026, 3, 2)
    assert consent_needed(date(2010, 3, 2), registered) == consent_needed(date(1990, 1, 1), registered)
    assert not consent_needed(date(2010, 3, 2), registered).guardian  # 16 that very day
    fifteen = consent_needed(date(2010, 3, 3), registered)
    assert fifteen.guardian and fifteen.own
    seven = consent_needed(date(2019, 3, 2), registered)
    assert seven.guardian and seven.own
    six = consent_needed(date(2019, 3, 3), registered)
    assert six.guardian and not six.own


def test_a_request_is_acknowledged_within_2_working_days_and_acted_on_within_15():
    # Monday 2 March 2026: Wednesday 4, and Monday 23 March (three weekends between).
    assert request_due(date(2026, 3, 2)) == (date(2026, 3, 4), date(2026, 3, 23))
    # Friday 17 April: Tuesday 21 April; the 15 working days skip Hùng Kings' day (observed on
    # Monday 27 April 2026) and 30 April - 1 May: Wednesday 13 May.
    ack, act = request_due(date(2026, 4, 17))
    assert ack == date(2026, 4, 21)
    assert act == date(2026, 5, 13)


def _consent(given_by: GivenBy, categories: str = "basic", withdrawn: bool = False) -> Consent:
    at = datetime(2026, 3, 2, 2, 0)
    return Consent(candidate_id=1, notice_version="v", purposes="p", categories=categories, given_by=given_by,
                   method=Method.paper, given_on=date(2026, 3, 2), at=at, withdrawn_at=at if withdrawn else None)


def test_standing_no_consent_by_default_and_a_withdrawal_ends_it():
    adult, registered = date(2000, 1, 1), date(2026, 3, 2)
    assert standing([], adult, registered).state == "missing"
    assert standing([_consent(GivenBy.self, withdrawn=True)], adult, registered).state == "withdrawn"
    assert standing([_consent(GivenBy.self)], adult, registered).state == "ok"


def test_standing_of_a_child_needs_both_consents():
    child, registered = date(2012, 5, 1), date(2026, 3, 2)
    assert standing([_consent(GivenBy.self)], child, registered).state == "guardian_missing"
    assert standing([_consent(GivenBy.guardian)], child, registered).state == "own_missing"
    assert standing([_consent(GivenBy.guardian), _consent(GivenBy.self)], child, registered).state == "ok"


def test_sensitive_data_only_with_every_consent_in_force_naming_ethnicity_and_religion():
    adult, registered = date(2000, 1, 1), date(2026, 3, 2)
    assert not standing([_consent(GivenBy.self)], adult, registered).sensitive
    assert standing([_consent(GivenBy.self, "basic,ethnicity,religion")], adult, registered).sensitive
    assert not standing([_consent(GivenBy.self, "basic,ethnicity")], adult, registered).sensitive
    assert not standing([_consent(GivenBy.self, "basic,ethnicity,religion", withdrawn=True)], adult,
                        registered).sensitive


def test_a_sensitive_flag_set_without_a_consent_naming_it_is_left_out():
    from models.consent import unconsented_flags
    wanted = {"ethnic_minority": True, "religious": False, "youth_union": True}
    assert unconsented_flags(wanted, allowed=False) == ["ethnic_minority"]  # clearing one is always allowed
    assert unconsented_flags({"religious": True, "ethnic_minority": True}, allowed=False) == [
        "ethnic_minority", "religious"]
    assert unconsented_flags(wanted, allowed=True) == []
    assert unconsented_flags({"note": "x"}, allowed=False) == []


def test_masked_values_name_by_initials_and_hold_no_birth_date():
    from models.privacy import masked
    values = {"name": "Trần Thị Bích Ngọc", "number": 2, "born": "2010-03-10",
              "rows": [{"full_name": "Đinh Văn Khoa", "birth_date": "2008-01-01", "since": "2026-01-28"}]}
    assert masked(values) == {"name": "T.T.B.N.", "number": 2,
                              "rows": [{"full_name": "Đ.V.K.", "since": "2026-01-28"}]}


def test_a_guardian_cannot_consent_for_an_adult_and_a_partial_consent_never_covers_sensitive_data():
    adult, child, registered = date(2000, 1, 1), date(2012, 5, 1), date(2026, 3, 2)
    assert consent_needed(adult, registered) == Needed(guardian=False, own=True)
    assert standing([_consent(GivenBy.guardian)], adult, registered) == Standing("own_missing", False)
    sensitive = "basic,ethnicity,religion"
    assert standing([_consent(GivenBy.self, sensitive)], child, registered) == Standing("guardian_missing", False)
    assert standing([_consent(GivenBy.guardian, sensitive)], child, registered) == Standing("own_missing", False)
    assert standing([_consent(GivenBy.guardian, sensitive), _consent(GivenBy.self, sensitive)], child,
                    registered) == Standing("ok", True)
