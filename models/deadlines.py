"""The dates the rules set, from the branch's resolution to recognition (DOMAIN.md "Rules and numbers")."""

# Every "within N working days of X" is due on add_working_days(X, N), overdue the day after.

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from models import rules as r
from models.dossier_items import CURRENT_VERSION, redo_if_stale
from models.rules import Notice, add_months, age_in_months
from models.workdays import DEFAULT_CALENDAR, WorkCalendar, add_working_days

Cal = WorkCalendar


def admission_decision_due(resolution_on: date, cal: Cal = DEFAULT_CALENDAR, *,
                           extended: bool = False) -> date:
    """The committee decides within 60 working days of the branch's resolution (+30 if extended)."""
    n = r.ADMISSION_DECISION_WORKING_DAYS + (r.ADMISSION_DECISION_EXTENSION_WORKING_DAYS if extended else 0)
    return add_working_days(resolution_on, n, cal)


def ceremony_due(decision_received_on: date, cal: Cal = DEFAULT_CALENDAR) -> date:
    """The admission ceremony within 30 working days of receiving the decision."""
    return add_working_days(decision_received_on, r.CEREMONY_WORKING_DAYS, cal)


def personal_history_due(ceremony_on: date, cal: Cal = DEFAULT_CALENDAR) -> date:
    """The new member's lý lịch đảng viên within 30 working days of the ceremony."""
    return add_working_days(ceremony_on, r.PERSONAL_HISTORY_WORKING_DAYS, cal)


def probation_end(ceremony_on: date) -> date:
    """The day the 12 months are complete: the same date a year on (29 Feb → 28 Feb).

    It is the first day the member may be recognised, and the day official membership
    counts from even if recognition comes late.
    """
    return add_months(ceremony_on, r.PROBATION_MONTHS)


def new_member_enrol_reminder_on(ceremony_on: date) -> date:
    """Remind the secretary to enrol the new member in a new-member class (once)."""
    return ceremony_on + timedelta(days=r.NEW_MEMBER_ENROL_REMINDER_DAYS)


def new_member_certificate_due(ceremony_on: date) -> date:
    """From this day of probation a missing new-member class certificate is reminded weekly."""
    return r.add_months(ceremony_on, r.NEW_MEMBER_CERTIFICATE_MONTHS)


def probation_reminder_on(ceremony_on: date) -> date:
    """Remind the secretary 30 calendar days before the probation ends."""
    return probation_end(ceremony_on) - timedelta(days=r.PROBATION_END_REMINDER_DAYS)


def recognition_branch_due(ceremony_on: date, cal: Cal = DEFAULT_CALENDAR) -> date:
    """The branch considers recognition within 30 working days after the probation ends."""
    return add_working_days(probation_end(ceremony_on), r.RECOGNITION_BRANCH_WORKING_DAYS, cal)


def recognition_decision_due(branch_resolution_on: date, cal: Cal = DEFAULT_CALENDAR, *,
                             extended: bool = False) -> date:
    """The committee recognises within 30 working days of the branch's resolution (+30)."""
    n = r.RECOGNITION_DECISION_WORKING_DAYS + (
        r.RECOGNITION_DECISION_EXTENSION_WORKING_DAYS if extended else 0)
    return add_working_days(branch_resolution_on, n, cal)


@dataclass(frozen=True)
class PartyAge:
    years: int
    months: int


def party_age(decision_on: date, on: date) -> PartyAge:
    """Party age on a day, counted in whole months from the date in the admission decision."""
    if on < decision_on:
        raise ValueError("party age before the admission decision")
    return PartyAge(*divmod(age_in_months(decision_on, on), 12))


def certificate_expires_on(issued: date) -> date:
    """The first day the awareness certificate (CN-NTVĐ) is no longer valid: 60 months on."""
    return add_months(issued, r.CERTIFICATE_VALID_MONTHS)


def certificate_warn_on(issued: date) -> date:
    """From this day on, warn that the certificate expires soon (3 months before)."""
    return add_months(issued, r.CERTIFICATE_VALID_MONTHS - r.CERTIFICATE_WARN_MONTHS_BEFORE)


def certificate_notice(issued: date, today: date) -> Notice | None:
    """certificate_expiring in the last 3 months of validity (after that, a refusal)."""
    expires = certificate_expires_on(issued)
    if certificate_warn_on(issued) <= today < expires:
        return Notice("certificate_expiring", {"issued_on": issued, "expires_on": expires})
    return None


def dossier_stale_after(prepared_on: date) -> date:
    """The last day the branch may vote without redoing 3-, 4- and 5-KNĐ."""
    return add_months(prepared_on, r.DOSSIER_MAX_AGE_MONTHS)


def dossier_to_redo(prepared_on: date, vote_on: date, version: str = CURRENT_VERSION) -> tuple[str, ...]:
    """More than 12 months between preparing and the branch's vote: the items to redo."""
    return redo_if_stale(version) if vote_on > dossier_stale_after(prepared_on) else ()


def dossier_age_notice(prepared_on: date, today: date, version: str = CURRENT_VERSION) -> Notice | None:
    """dossier_ageing from 11 months; dossier_stale once past 12 months."""
    last_day = dossier_stale_after(prepared_on)
    if today > last_day:
        return Notice("dossier_stale", {"prepared_on": prepared_on, "last_day": last_day,
                                        "redo": redo_if_stale(version)})
    if today >= add_months(prepared_on, r.DOSSIER_WARN_AGE_MONTHS):
        return Notice("dossier_ageing", {"prepared_on": prepared_on, "last_day": last_day})
    return None


def member_transfer_due(moved_on: date, cal: Cal = DEFAULT_CALENDAR) -> date:
    """A member transfers within 60 working days of the move (294-QĐ/TW 6.3)."""
    return add_working_days(moved_on, r.MEMBER_TRANSFER_WORKING_DAYS, cal)


def graduate_may_stay_until(graduated_on: date) -> date:
    """A graduate may stay with the school's committee up to 12 months (01-HD/TW 2012)."""
    return add_months(graduated_on, r.GRADUATE_STAY_MONTHS)


def sponsor_nudge_on(last_check_in: date, days: int = r.SPONSOR_CHECK_IN_NUDGE_DAYS) -> date:
    """Nudge the sponsor after the branch's days without a check-in (a habit: 30 unless set)."""
    return last_check_in + timedelta(days=days)


def earliest(rule: Callable[[date], date], target: date, *, span_days: int = 7 * 366) -> date:
    """The earliest subject date whose rule date falls on or after `target`.

    Every rule here is non-decreasing and never earlier than its subject, so a binary search
    over the few years before `target` finds it; "rule(x) < target" is then "x < earliest".
    """
    low, high = target - timedelta(days=span_days), target
    while low < high:
        middle = low + (high - low) // 2
        if rule(middle) >= target:
            high = middle
        else:
            low = middle + timedelta(days=1)
    return low
