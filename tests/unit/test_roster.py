"""The roster's rules at their edges: who is an official member on a day, the vote's denominator."""

from datetime import date

from models.roster import MemberStatus, Standing, official_count, official_on, on_roster

DAY = date(2026, 3, 2)
OFFICIAL = MemberStatus.official
PROBATIONARY = MemberStatus.probationary


def test_official_from_the_day_of_recognition_not_the_day_before():
    m = Standing(OFFICIAL, since=DAY)
    assert official_on(m, DAY) and not official_on(m, date(2026, 3, 1))


def test_not_official_from_the_day_they_left():
    m = Standing(OFFICIAL, since=date(2020, 1, 1), left_on=DAY)
    assert official_on(m, date(2026, 3, 1)) and not official_on(m, DAY)
    assert on_roster(m, date(2026, 3, 1)) and not on_roster(m, DAY)


def test_a_probationary_member_is_never_counted_official():
    m = Standing(PROBATIONARY, since=date(2020, 1, 1))
    assert on_roster(m, DAY) and not official_on(m, DAY)


def test_the_denominator_counts_the_official_members_of_the_day():
    members = [Standing(OFFICIAL, date(2010, 1, 1)), Standing(OFFICIAL, DAY), Standing(PROBATIONARY, date(2025, 1, 1)),
               Standing(OFFICIAL, date(2010, 1, 1), left_on=DAY), Standing("official", date(2026, 3, 3))]
    assert official_count(members, DAY) == 2
    assert official_count(members, date(2026, 3, 1)) == 2
    assert official_count([], DAY) == 0
