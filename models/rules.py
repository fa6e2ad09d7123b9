"""Every number of the admission rules, in one place (DOMAIN.md "Rules and numbers").

A new regulation changes a line here, and the unit tests say what it moved.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# Age, counted in whole months on the day that matters (Charter art. 1; 294-QĐ/TW 1.1).
ADMISSION_MIN_AGE_MONTHS = 18 * 12
ADMISSION_MAX_AGE_MONTHS = 60 * 12
# A source may be noticed before 18 (pupils of grades 10–12, seed 002 "Đảng viên tuổi 18");
# younger than this is not a candidate yet.
REGISTER_MIN_AGE_MONTHS = 15 * 12
REGISTER_MAX_AGE_MONTHS = ADMISSION_MAX_AGE_MONTHS
# A person younger than this is a child under the personal data law (consent of a parent).
CHILD_AGE_MONTHS = 16 * 12


def age_in_months(birth: date, on: date) -> int:
    """Whole months of age on a day; a birthday on the 29th–31st counts at month end."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if on.day < birth.day and not _is_last_day_of_month(on):
        months -= 1
    return months


def _is_last_day_of_month(day: date) -> bool:
    return (day + timedelta(days=1)).month != day.month


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); past a short month's end, its last day.

    It is the first day on which `age_in_months(day, ·)` reaches `months`:
    29 Feb 2024 + 12 → 28 Feb 2025; 31 Jan + 1 → 28 (or 29) Feb.
    """
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (first_of_next - timedelta(days=1)).day))


# ---- What a rule answers: a reason code (a template's name) and the values its words need.

@dataclass(frozen=True)
class Refusal:
    """A rule says no. `values` holds dates and counts, never words (not hashable)."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """A rule warns but does not block (same shape as a Refusal)."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)


# ---- The numbers. Working days skip weekends and holidays (models/workdays.py).

# Awareness class certificate CN-NTVĐ (06-HD/TW 5.4): valid while younger than this.
CERTIFICATE_VALID_MONTHS = 60
CERTIFICATE_WARN_MONTHS_BEFORE = 3

# Introducers (Charter art. 4; 294-QĐ/TW 3.2).
INTRODUCERS_REQUIRED = 2  # official members, without a union's committee
INTRODUCERS_BESIDE_UNION = 1  # official members beside the Youth (or Trade) Union's committee
INTRODUCER_MIN_MONTHS_TOGETHER = 12

# Branch vote (Charter art. 4; 06-HD/TW 3.6): for ≥ NUMERATOR/DENOMINATOR of official members.
VOTE_NUMERATOR = 2
VOTE_DENOMINATOR = 3

# Dossier age (01-HD/TW as quoted): more than this between preparing and the branch vote.
DOSSIER_MAX_AGE_MONTHS = 12
DOSSIER_WARN_AGE_MONTHS = 11

# Admission (294-QĐ/TW 4.3, 4.1; 12-HD/BTCTW 2.2), in working days.
ADMISSION_DECISION_WORKING_DAYS = 60
ADMISSION_DECISION_EXTENSION_WORKING_DAYS = 30
CEREMONY_WORKING_DAYS = 30
PERSONAL_HISTORY_WORKING_DAYS = 30

# Probation and recognition (Charter art. 5; 294-QĐ/TW 4.2).
PROBATION_MONTHS = 12
PROBATION_END_REMINDER_DAYS = 30  # calendar days before the end
# The new-member class (06-HD/TW 4.1: during probation; its certificate is part of the
# recognition file). Branch habits (issue 13 item 4): remind the secretary to enrol the member
# this many days after the ceremony (once, if not enrolled in a new-member class), and every week
# from this many months into probation while the certificate is missing, until probation ends.
NEW_MEMBER_ENROL_REMINDER_DAYS = 30
NEW_MEMBER_CERTIFICATE_MONTHS = 9
RECOGNITION_BRANCH_WORKING_DAYS = 30
RECOGNITION_DECISION_WORKING_DAYS = 30
RECOGNITION_DECISION_EXTENSION_WORKING_DAYS = 30

# Transfers (294-QĐ/TW 6.3; 01-HD/TW 2012).
MEMBER_TRANSFER_WORKING_DAYS = 60
GRADUATE_STAY_MONTHS = 12
# Our choice, not a rule: no Party text and no seed fixes this notice (01-HD/TW 10.2.1 sets only
# the 12 months). The secretary is reminded this many calendar days before a graduate's 12
# months with the school's committee end, like PROBATION_END_REMINDER_DAYS; change it freely.
GRADUATE_STAY_NOTICE_DAYS = 30

# Branch habit (002, 004): nudge a sponsor after this many days without a check-in; the
# default of a branch setting (/chibo), which may be set within these bounds.
SPONSOR_CHECK_IN_NUDGE_DAYS = 30
SPONSOR_NUDGE_DAYS_RANGE = (7, 90)
CHECKIN_OLDEST_MONTHS = 12  # a check-in may be recorded up to this many months after it took place

# What a committee sees (/tonghop, digests): a branch with no stage change for this many
# days is shown as having no movement.
QUIET_BRANCH_DAYS = 90

# Targets (001): the school year starts on this day; student branches count when older.
SCHOOL_YEAR_START_MONTH = 9
SCHOOL_YEAR_START_DAY = 1
STUDENT_BRANCH_MIN_AGE_MONTHS = 12

# Reminders (issue: reminders and digests). Branch habits, each a default.
REVIEW_NOTICE_DAYS = 3  # the monthly review is announced this many days before the meeting
SURVEY_WINDOW_DAYS = 7  # the quarterly survey is due in the first week of each quarter
ENROL_NOTICE_DAYS = 7  # warn of a class's enrolment deadline this many days before
CERTIFICATE_NOTICE_DAYS = 90  # a certificate expiring within this many days is announced
DEADLINE_NOTICE_DAYS = 7  # ceremony and personal history: reminded this many days before
REPORT_DAY = 25  # the monthly report to the committee above is due on this day
BIRTHDAY_18_MONTHS = ADMISSION_MIN_AGE_MONTHS
