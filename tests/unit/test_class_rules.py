"""A class's certificate: issued once the class is over, on its last day at the earliest."""

from datetime import date

from models.party_class import certificate_too_early

ENDS = date(2026, 4, 5)


def test_a_certificate_before_the_last_day_is_too_early():
    assert certificate_too_early(date(2026, 4, 4), class_ends_on=ENDS)
    assert certificate_too_early(date(2026, 3, 31), class_ends_on=ENDS)


def test_a_certificate_on_or_after_the_last_day_is_in_time():
    assert not certificate_too_early(ENDS, class_ends_on=ENDS)
    assert not certificate_too_early(date(2026, 5, 1), class_ends_on=ENDS)
