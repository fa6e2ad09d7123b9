"""The states the seeds name (issue 13 item 8), at their edges: expulsion for an official member
only (the Charter, no article cited), a graduation in a student branch and where a graduate stands (12 months,
01-HD/TW 10.2.1; the notice 30 days), a member received from another place counted from the day
received, the dates recorded there in order."""

from datetime import date

import pytest

from models import citations, rules
from models.roster import (
    LeftReason, MemberStatus, Standing, expulsion_refusal, graduate_state, graduation_refusal, joined_on, on_roster,
    official_count, reception_refusal,
)


@pytest.mark.parametrize("status, reason, code", [
    (MemberStatus.official, LeftReason.expelled, None),
    ("probationary", "expelled", "expulsion_not_official"),
    (MemberStatus.probationary, LeftReason.struck_off, None),
    (MemberStatus.probationary, LeftReason.moved, None),
    (MemberStatus.official, LeftReason.struck_off, None),
    (MemberStatus.probationary, None, None),
])
def test_only_an_official_member_is_expelled(status, reason, code):
    refusal = expulsion_refusal(status, reason)
    assert (refusal.code if refusal else None) == code


def test_a_graduation_belongs_to_a_student_branch_on_or_after_joining_it():
    joined = date(2022, 9, 5)
    assert graduation_refusal(student_branch=False, joined=joined).code == "graduation_not_student"
    assert graduation_refusal(student_branch=False, joined=joined, graduated_on=date(2025, 6, 30)).code == \
        "graduation_not_student"
    assert graduation_refusal(student_branch=True, joined=joined) is None
    assert graduation_refusal(student_branch=True, joined=joined, graduated_on=joined) is None
    assert graduation_refusal(student_branch=True, joined=joined, graduated_on=date(2022, 9, 4)).code == \
        "graduation_before_joining"
    assert graduation_refusal(student_branch=True, joined=joined, graduated_on=date(2027, 6, 30)) is None  # ahead


def test_a_graduate_stays_12_months_is_warned_30_days_before_and_is_over_the_day_after():
    assert rules.GRADUATE_STAY_MONTHS == 12 and rules.GRADUATE_STAY_NOTICE_DAYS == 30
    graduated = date(2025, 6, 30)  # may stay until 30/06/2026
    assert graduate_state(None, date(2026, 6, 30)) is None
    assert graduate_state(graduated, date(2026, 5, 30)) == "staying"  # 31 days before
    assert graduate_state(graduated, date(2026, 5, 31)) == "soon"  # 30 days before
    assert graduate_state(graduated, date(2026, 6, 30)) == "soon"  # the last day
    assert graduate_state(graduated, date(2026, 7, 1)) == "over"
    assert graduate_state(date(2024, 2, 29), date(2025, 3, 1)) == "over"  # until 28/02/2025


def test_a_received_member_is_counted_from_the_day_received():
    received = Standing(MemberStatus.official, since=date(2020, 2, 1), received_on=date(2026, 2, 15))
    assert joined_on(received) == date(2026, 2, 15)
    assert not on_roster(received, date(2026, 2, 14)) and on_roster(received, date(2026, 2, 15))
    assert official_count([received, Standing(MemberStatus.official, date(2019, 1, 1))], date(2026, 1, 1)) == 1
    plain = Standing(MemberStatus.official, since=date(2020, 2, 1))
    assert joined_on(plain) == date(2020, 2, 1) and on_roster(plain, date(2020, 2, 1))


def test_the_dates_recorded_elsewhere_are_in_order():
    since = date(2020, 2, 1)
    ok = dict(status="official", since=since)
    assert reception_refusal(**ok, received_on=since, admitted_on=date(2019, 2, 1)) is None
    assert reception_refusal(**ok, received_on=since, admitted_on=since) is None
    assert reception_refusal(**ok, received_on=date(2020, 1, 31), admitted_on=None).code == "received_before_since"
    assert reception_refusal(**ok, received_on=since, admitted_on=date(2020, 2, 2)).code == \
        "admitted_after_recognised"
    # a probationary member's admission is `since`: no other admission date is read
    assert reception_refusal(status="probationary", since=since, received_on=since,
                             admitted_on=date(2021, 1, 1)) is None


def test_each_refusal_carries_the_dates_and_sources_its_message_shows():
    since, joined = date(2020, 2, 1), date(2022, 9, 5)
    assert expulsion_refusal("probationary", "expelled").values == {"sources": citations.DISCIPLINE}
    assert graduation_refusal(student_branch=False, joined=joined).values == {"sources": citations.GRADUATE_STAY}
    assert graduation_refusal(student_branch=True, joined=joined, graduated_on=date(2022, 9, 4)).values == {
        "on": date(2022, 9, 4), "since": joined}
    for status in ("official", "probationary"):  # the message names recognition or admission
        assert reception_refusal(status=status, since=since, received_on=date(2020, 1, 31),
                                 admitted_on=None).values == {"on": date(2020, 1, 31), "since": since, "status": status}
    assert reception_refusal(status=MemberStatus.official, since=since, received_on=date(2020, 1, 31),
                             admitted_on=None).values["status"] == "official"
    assert reception_refusal(status="official", since=since, received_on=since,
                             admitted_on=date(2020, 2, 2)).values == {"admitted": date(2020, 2, 2), "since": since}
