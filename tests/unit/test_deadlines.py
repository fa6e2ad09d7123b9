"""Deadlines from the branch's resolution to recognition, party age, certificate and dossier age."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.deadlines import (
    PartyAge, admission_decision_due, ceremony_due, certificate_expires_on, certificate_notice,
    certificate_warn_on, dossier_age_notice, dossier_stale_after, dossier_to_redo,
    graduate_may_stay_until, member_transfer_due, party_age, personal_history_due,
    probation_end, probation_reminder_on, recognition_branch_due, recognition_decision_due,
    sponsor_nudge_on,
)
from models.rules import add_months, age_in_months
from models.workdays import WorkCalendar, add_working_days


def test_admission_decision_across_tet_2026():
    # Mon 5 Jan 2026 + 60 working days, Tết 16–20 Feb off: Mon 6 Apr (30 Mar without Tết).
    assert admission_decision_due(date(2026, 1, 5)) == date(2026, 4, 6)
    # +30 more, skipping 27 Apr (Hùng Kings observed), 30 Apr and 1 May.
    assert admission_decision_due(date(2026, 1, 5), extended=True) == date(2026, 5, 21)


def test_ceremony_across_30_april_2025_and_the_swapped_saturday():
    assert ceremony_due(date(2025, 4, 25)) == date(2025, 6, 10)


def test_extra_day_off_moves_a_deadline():
    cal = WorkCalendar(extra_days_off=frozenset({date(2025, 5, 5)}))
    assert ceremony_due(date(2025, 4, 25), cal) == date(2025, 6, 11)


def test_personal_history_within_30_working_days():
    ceremony = date(2026, 3, 2)
    assert personal_history_due(ceremony) == add_working_days(ceremony, 30)
    assert personal_history_due(ceremony) == date(2026, 4, 13)


def test_probation_end_same_day_a_year_later():
    assert probation_end(date(2025, 3, 15)) == date(2026, 3, 15)
    assert probation_end(date(2024, 2, 29)) == date(2025, 2, 28)
    assert probation_end(date(2028, 2, 29)) == date(2029, 2, 28)
    assert probation_end(date(2025, 2, 28)) == date(2026, 2, 28)


def test_probation_reminder_30_days_before():
    assert probation_reminder_on(date(2025, 3, 15)) == date(2026, 2, 13)
    assert probation_reminder_on(date(2024, 2, 29)) == date(2025, 1, 29)


def test_recognition_by_the_branch_after_probation_across_tet_2027():
    # Ceremony 5 Feb 2026: probation ends Fri 5 Feb 2027, itself in Tết.
    assert recognition_branch_due(date(2026, 2, 5)) == date(2027, 3, 24)


def test_recognition_decision_and_extension():
    resolution = date(2026, 8, 20)
    due = recognition_decision_due(resolution)
    assert due == add_working_days(resolution, 30)
    assert due == date(2026, 10, 5)  # Sat 22 Aug worked; 31 Aug, 1–2 Sep off
    assert recognition_decision_due(resolution, extended=True) == add_working_days(due, 30)


def test_party_age_counts_from_the_decision():
    decision = date(2024, 2, 29)
    assert party_age(decision, decision) == PartyAge(0, 0)
    assert party_age(decision, date(2025, 2, 27)) == PartyAge(0, 11)
    assert party_age(decision, date(2025, 2, 28)) == PartyAge(1, 0)
    assert party_age(decision, date(2026, 3, 28)) == PartyAge(2, 0)
    assert party_age(decision, date(2026, 3, 29)) == PartyAge(2, 1)
    with pytest.raises(ValueError):
        party_age(decision, date(2024, 2, 28))


def test_certificate_expiry_and_warning():
    issued = date(2021, 6, 1)
    assert certificate_expires_on(issued) == date(2026, 6, 1)
    assert certificate_warn_on(issued) == date(2026, 3, 1)
    assert certificate_notice(issued, date(2026, 2, 28)) is None
    notice = certificate_notice(issued, date(2026, 3, 1))
    assert notice.code == "certificate_expiring"
    assert notice.values == {"issued_on": issued, "expires_on": date(2026, 6, 1)}
    assert certificate_notice(issued, date(2026, 5, 31)) is not None
    assert certificate_notice(issued, date(2026, 6, 1)) is None  # expired: a refusal now


def test_dossier_more_than_12_months_old():
    prepared = date(2025, 3, 10)
    assert dossier_stale_after(prepared) == date(2026, 3, 10)
    assert dossier_to_redo(prepared, date(2026, 3, 10)) == ()
    assert dossier_to_redo(prepared, date(2026, 3, 11)) == ("3-KNĐ", "4-KNĐ", "5-KNĐ")


def test_dossier_age_warnings():
    prepared = date(2025, 3, 10)
    assert dossier_age_notice(prepared, date(2026, 2, 9)) is None
    ageing = dossier_age_notice(prepared, date(2026, 2, 10))
    assert ageing.code == "dossier_ageing" and ageing.values["last_day"] == date(2026, 3, 10)
    assert dossier_age_notice(prepared, date(2026, 3, 10)).code == "dossier_ageing"
    stale = dossier_age_notice(prepared, date(2026, 3, 11))
    assert stale.code == "dossier_stale"
    assert stale.values["redo"] == ("3-KNĐ", "4-KNĐ", "5-KNĐ")


def test_transfers_and_sponsor_nudge():
    assert member_transfer_due(date(2026, 1, 5)) == admission_decision_due(date(2026, 1, 5))
    assert graduate_may_stay_until(date(2024, 2, 29)) == date(2025, 2, 28)
    assert sponsor_nudge_on(date(2026, 1, 31)) == date(2026, 3, 2)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 800))
def test_add_months_is_the_first_day_of_full_months(day, months):
    end = add_months(day, months)
    assert age_in_months(day, end) == months
    assert age_in_months(day, end - timedelta(days=1)) == months - 1
