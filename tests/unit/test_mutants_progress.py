"""The branch's next monthly meeting, where a source or sympathizer is next reviewed: the
meeting day itself, the next month once it is past, a short month's end, and New Year."""

from datetime import date

from models.progress import next_meeting


def test_the_meeting_day_itself_and_the_days_before_it():
    assert next_meeting(5, date(2026, 3, 4)) == date(2026, 3, 5)
    assert next_meeting(5, date(2026, 3, 5)) == date(2026, 3, 5)


def test_once_past_the_meeting_is_next_month():
    assert next_meeting(5, date(2026, 3, 6)) == date(2026, 4, 5)
    assert next_meeting(30, date(2026, 1, 31)) == date(2026, 2, 28)  # clipped to February's end


def test_a_day_past_the_months_end_is_its_last_day():
    assert next_meeting(31, date(2026, 2, 10)) == date(2026, 2, 28)
    assert next_meeting(31, date(2026, 2, 28)) == date(2026, 2, 28)
    assert next_meeting(31, date(2028, 2, 10)) == date(2028, 2, 29)
    assert next_meeting(31, date(2026, 4, 30)) == date(2026, 4, 30)


def test_after_decembers_meeting_comes_januarys():
    assert next_meeting(5, date(2026, 12, 6)) == date(2027, 1, 5)
    assert next_meeting(31, date(2026, 12, 31)) == date(2026, 12, 31)
    assert next_meeting(15, date(2026, 11, 16)) == date(2026, 12, 15)
