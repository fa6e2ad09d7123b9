"""A date rule turned into the subject dates for which it fires: `earliest` must be exact,
or a ceremony or a recognition would be reminded a day early, a day late, or never."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from models import deadlines as dl
from models import rules
from models.deadlines import earliest
from models.reminders import describe

RULES = [dl.ceremony_due, dl.personal_history_due, dl.probation_end, dl.probation_reminder_on,
         dl.recognition_branch_due, dl.certificate_expires_on,
         lambda d: rules.add_months(d, rules.DOSSIER_WARN_AGE_MONTHS)]


@given(st.sampled_from(RULES), st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_earliest_is_the_first_subject_date_whose_rule_date_is_on_or_after(rule, target):
    first = earliest(rule, target)
    assert rule(first) >= target
    assert rule(first - timedelta(days=1)) < target


def test_over_tet_the_ceremony_window_moves_with_the_holidays():
    # Decisions received in mid-January 2026: 30 working days later runs past Tết (17 Feb),
    # so the deadline is later than six calendar weeks.
    first = earliest(dl.ceremony_due, date(2026, 3, 2))
    assert dl.ceremony_due(first) >= date(2026, 3, 2) > dl.ceremony_due(first - timedelta(days=1))
    assert (date(2026, 3, 2) - first).days > 42


def test_a_message_shows_the_deadline_worked_out_from_its_subject_date():
    shown = describe("ceremony_overdue", {"name": "A", "number": 1, "received": "2026-02-15"})
    assert shown["due"] == dl.ceremony_due(date(2026, 2, 15))
    assert describe("turns_18", {"born": "2008-02-29"})["on"] == date(2026, 2, 28)
    assert describe("review_due", {"count": 3}) == {"count": 3}


def test_a_row_queued_by_an_earlier_version_still_renders_its_own_date():
    queued = {"name": "A", "number": 1, "expires": "2026-05-01"}
    assert describe("certificate_expiring", queued) == queued
