"""Every number of the admission rules, in one place (DOMAIN.md "Rules and numbers").

A new regulation changes a line here, and the unit tests say what it moved.
"""

from datetime import date, timedelta

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
