"""Deadline edges that mutation testing found unguarded: the settings' calendar in the
recognition and transfer deadlines, and the dates a dossier-age notice shows the secretary."""

from datetime import date

from models.deadlines import (
    dossier_age_notice, member_transfer_due, new_member_certificate_due, new_member_enrol_reminder_on,
    recognition_branch_due, recognition_decision_due,
)
from models.workdays import WorkCalendar

PREPARED = date(2025, 3, 10)


def test_member_transfer_due_skips_the_settings_extra_day_off():
    assert member_transfer_due(date(2026, 1, 5)) == date(2026, 4, 6)
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 1, 6)}))
    assert member_transfer_due(date(2026, 1, 5), cal) == date(2026, 4, 7)


def test_recognition_by_the_branch_skips_the_settings_extra_day_off():
    # Ceremony 5 Feb 2026: probation ends 5 Feb 2027, due 24 March 2027 on the plain calendar.
    cal = WorkCalendar(extra_days_off=frozenset({date(2027, 3, 1)}))
    assert recognition_branch_due(date(2026, 2, 5), cal) == date(2027, 3, 25)


def test_recognition_decision_due_skips_the_settings_extra_day_off():
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 8, 21)}))
    assert recognition_decision_due(date(2026, 8, 20), cal) == date(2026, 10, 6)
    assert recognition_decision_due(date(2026, 8, 20), cal, extended=True) == date(2026, 11, 17)


def test_an_ageing_dossier_shows_when_it_was_prepared_and_the_last_day():
    notice = dossier_age_notice(PREPARED, date(2026, 2, 10))
    assert notice.code == "dossier_ageing"
    assert notice.values == {"prepared_on": PREPARED, "last_day": date(2026, 3, 10)}


def test_a_stale_dossier_shows_when_it_was_prepared_the_last_day_and_what_to_redo():
    notice = dossier_age_notice(PREPARED, date(2026, 3, 11))
    assert notice.code == "dossier_stale"
    assert notice.values == {"prepared_on": PREPARED, "last_day": date(2026, 3, 10),
                             "redo": ("3-KNĐ", "4-KNĐ", "5-KNĐ")}


def test_a_new_member_is_enrolled_30_days_after_the_ceremony_and_certified_within_9_months():
    assert new_member_enrol_reminder_on(date(2026, 1, 10)) == date(2026, 2, 9)
    assert new_member_certificate_due(date(2026, 1, 10)) == date(2026, 10, 10)
    assert new_member_certificate_due(date(2026, 5, 31)) == date(2027, 2, 28)  # February's last day
