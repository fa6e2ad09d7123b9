"""The committee's decisions that move a deadline (issue 13, item 5), at their edges: a ceremony
later than 30 working days needs the committee above's consent given between the decision's
arrival and the ceremony; each decision may be extended once by 30 working days, on a day not
before the branch's resolution; an extended decision is due 30 working days later."""

from dataclasses import replace
from datetime import date, timedelta

from models import citations
from models import deadlines as d
from models.admission import (
    APPLIES_AT, Ceremony, DecisionRefused, Extended, Extension, Subject, ceremony_date_refusal, consent_refusal,
    extension_refusal, key_dates, verify,
)
from models.rules import Refusal
from models.stage import Role, Stage

SECRETARY = frozenset({Role.secretary})
RECEIVED = date(2026, 2, 15)
DUE = d.ceremony_due(RECEIVED)  # 03/04/2026, a Friday
DUC = Subject(id=1, number=13, full_name="Tạ Minh Đức", branch_id=1, stage=Stage.admitted, stage_since=RECEIVED,
              birth_date=date(1990, 1, 1), decision_on=date(2026, 2, 10), decision_received_on=RECEIVED)
RESOLUTION = date(2026, 2, 5)
HUY = Subject(id=2, number=7, full_name="Bùi Quốc Huy", branch_id=1, stage=Stage.proposed, stage_since=RESOLUTION,
              birth_date=date(1990, 1, 1), resolution_on=RESOLUTION)
ANH = Subject(id=3, number=8, full_name="Hoàng Mai Anh", branch_id=1, stage=Stage.probationary,
              stage_since=date(2025, 8, 14), birth_date=date(1990, 1, 1), ceremony_on=date(2025, 8, 14),
              recognition_resolution_on=date(2026, 8, 24))


def test_the_ceremony_due_day_is_the_30th_working_day_after_the_decision_arrived():
    assert DUE == date(2026, 4, 3)


def test_a_ceremony_on_its_last_day_needs_no_consent():
    assert consent_refusal(DUC, DUE, None, None) is None


def test_a_ceremony_the_day_after_needs_who_and_when():
    late = DUE + timedelta(days=1)
    refused = consent_refusal(DUC, late, None, None)
    assert (refused.code, refused.values["on"], refused.values["due"]) == ("ceremony_consent_missing", late, DUE)
    assert consent_refusal(DUC, late, "  ", DUE).code == "ceremony_consent_missing"  # who, not blank
    assert consent_refusal(DUC, late, "Công văn 15-CV/ĐU", None).code == "ceremony_consent_missing"  # and when


def test_the_consent_falls_between_the_decision_s_arrival_and_the_ceremony():
    late = DUE + timedelta(days=1)
    assert consent_refusal(DUC, late, "CV", late) is None  # the ceremony's own day
    assert consent_refusal(DUC, late, "CV", RECEIVED) is None  # the day the decision arrived
    assert consent_refusal(DUC, late, "CV", late + timedelta(days=1)).code == "consent_after_ceremony"
    assert consent_refusal(DUC, late, "CV", RECEIVED - timedelta(days=1)).code == "admission_date_before"


def test_verify_refuses_a_late_ceremony_without_consent_and_takes_it_with_one():
    late, today = DUE + timedelta(days=1), DUE + timedelta(days=5)
    assert verify(DUC, Ceremony(on=late), today=today, actor_roles=SECRETARY).code == "ceremony_consent_missing"
    assert verify(DUC, Ceremony(on=late, consent="CV", consent_on=DUE), today=today, actor_roles=SECRETARY) is None


def test_an_extension_is_given_once():
    assert extension_refusal(HUY, Extended.decision, RESOLUTION) is None  # the resolution's own day
    again = extension_refusal(replace(HUY, decision_extended_on=date(2026, 3, 1)), Extended.decision, date(2026, 3, 2))
    assert (again.code, again.values["on"]) == ("extension_already", date(2026, 3, 1))


def test_an_extension_is_not_dated_before_the_resolution_it_answers():
    assert extension_refusal(HUY, Extended.decision, RESOLUTION - timedelta(days=1)).code == "admission_date_before"
    assert extension_refusal(ANH, Extended.recognition, date(2026, 8, 23)).code == "admission_date_before"
    assert extension_refusal(ANH, Extended.recognition, date(2026, 8, 24)) is None


def test_a_recognition_extension_needs_the_branch_s_resolution_first():
    no_vote = replace(ANH, recognition_resolution_on=None)
    assert extension_refusal(no_vote, Extended.recognition, date(2026, 8, 24)).code == "admission_no_recognition_vote"


def test_verify_keeps_each_extension_to_its_stage_and_never_in_the_future():
    today = date(2026, 3, 2)
    fact = Extension(kind=Extended.decision, on=today, by="CV")
    assert verify(HUY, fact, today=today, actor_roles=SECRETARY) is None
    assert verify(HUY, replace(fact, on=today + timedelta(days=1)), today=today,
                  actor_roles=SECRETARY).code == "date_in_future"
    assert verify(HUY, replace(fact, kind=Extended.recognition), today=today,
                  actor_roles=SECRETARY).code == "admission_wrong_stage"
    assert verify(DUC, fact, today=today, actor_roles=SECRETARY).code == "admission_wrong_stage"
    assert verify(HUY, fact, today=today, actor_roles=frozenset({Role.sponsor})).code == "not_secretary_or_deputy"


def test_an_extended_decision_is_due_30_working_days_later():
    plain, extended = key_dates(HUY, date(2026, 3, 2)), key_dates(replace(HUY, decision_extended_on=RESOLUTION),
                                                                  date(2026, 3, 2))
    assert (plain.decision_due, extended.decision_due) == (date(2026, 5, 12), date(2026, 6, 23))
    on_new_day = key_dates(replace(HUY, decision_extended_on=RESOLUTION), date(2026, 6, 23))
    assert not on_new_day.decision_overdue
    assert key_dates(replace(HUY, decision_extended_on=RESOLUTION), date(2026, 6, 24)).decision_overdue
    anh = key_dates(replace(ANH, recognition_extended_on=date(2026, 9, 1)), date(2026, 9, 1))
    assert anh.recognition_decision_due == d.recognition_decision_due(date(2026, 8, 24), extended=True)


def test_key_dates_reads_each_deadline_from_its_own_step_and_the_calendar_in_force():
    """Every date of a full record lands in its own place (a mixed-up source shows the secretary a
    wrong deadline); a day off the settings add moves the working-day deadlines, not the others."""
    from models.workdays import WorkCalendar
    full = Subject(id=4, number=9, full_name="Đỗ Văn Khoa", branch_id=1, stage=Stage.probationary,
                   stage_since=date(2025, 3, 1), birth_date=date(1990, 1, 1), certificate_on=date(2024, 5, 6),
                   resolution_on=date(2025, 1, 6), decision_on=date(2025, 2, 3), decision_received_on=date(2025, 2, 10),
                   decision_extended_on=date(2025, 1, 20), ceremony_on=date(2025, 3, 3),
                   recognition_resolution_on=date(2026, 3, 9), recognition_extended_on=date(2026, 3, 16))
    today = date(2026, 4, 1)
    for cal in (WorkCalendar(), WorkCalendar(extra_days_off=frozenset({date(2025, 2, 11), date(2025, 3, 4),
                                                                        date(2026, 3, 10), date(2025, 1, 7)}))):
        found = key_dates(full, today, cal)
        assert (found.today, found.certificate_expires, found.decision_due, found.ceremony_due, found.probation_end,
                found.history_due, found.recognition_due, found.recognition_decision_due, found.party_age) == (
            today, d.certificate_expires_on(date(2024, 5, 6)),
            d.admission_decision_due(date(2025, 1, 6), cal, extended=True),
            d.ceremony_due(date(2025, 2, 10), cal), d.probation_end(date(2025, 3, 3)),
            d.personal_history_due(date(2025, 3, 3), cal), d.recognition_branch_due(date(2025, 3, 3), cal),
            d.recognition_decision_due(date(2026, 3, 9), cal, extended=True), d.PartyAge(1, 1)), cal
    plain = key_dates(replace(full, decision_extended_on=None, recognition_extended_on=None), today)
    assert (plain.decision_due, plain.recognition_decision_due) == (
        d.admission_decision_due(date(2025, 1, 6)), d.recognition_decision_due(date(2026, 3, 9)))
    moved = key_dates(full, today, WorkCalendar(extra_days_off=frozenset({date(2025, 2, 11)})))
    assert moved.ceremony_due == key_dates(full, today).ceremony_due + timedelta(days=1)
    # before the decision's day there is no party age; on it, none yet counted
    assert key_dates(full, date(2025, 2, 2)).party_age is None
    assert key_dates(full, date(2025, 2, 3)).party_age == d.PartyAge(0, 0)
    empty = key_dates(Subject(id=5, number=10, full_name="Lê Thị Mơ", branch_id=1, stage=Stage.source,
                              stage_since=today, birth_date=date(2000, 1, 1)), today)
    assert empty == type(empty)(today=today)


def test_verify_says_who_what_and_when_in_each_refusal():
    """The values the secretary's refusal message is written from: the person and the stages the
    step applies at, the roles of one who may not, the day in the future and today."""
    today = date(2026, 3, 2)
    wrong = verify(DUC, Extension(kind=Extended.decision, on=today, by="CV"), today=today, actor_roles=SECRETARY)
    assert (wrong.code, wrong.values) == ("admission_wrong_stage", {
        "stage": Stage.admitted, "allowed": APPLIES_AT[Extension], "who": "13. Tạ Minh Đức"})
    sponsor = verify(HUY, DecisionRefused(on=today, reason="Chưa đủ"), today=today,
                     actor_roles=frozenset({Role.sponsor}))
    assert (sponsor.code, sponsor.values) == ("not_secretary_or_deputy", {"roles": (Role.sponsor,)})
    tomorrow = today + timedelta(days=1)
    future = verify(HUY, Extension(kind=Extended.decision, on=tomorrow, by="CV"), today=today, actor_roles=SECRETARY)
    assert (future.code, future.values) == ("date_in_future", {"on": tomorrow, "today": today})


def test_verify_sends_a_step_back_to_dossier_only_with_its_reason():
    today = date(2026, 3, 2)
    assert verify(HUY, DecisionRefused(on=today, reason="Chưa đủ điều kiện"), today=today,
                  actor_roles=SECRETARY) is None
    blank = verify(HUY, DecisionRefused(on=today, reason="  "), today=today, actor_roles=SECRETARY)
    assert (blank.code, blank.values) == ("reason_required", {"from_stage": Stage.proposed, "to_stage": Stage.dossier})


def test_a_ceremony_s_day_refused_says_which_earlier_day_it_comes_before():
    """The whole refusal the secretary's message is written from, for each earlier day."""
    assert ceremony_date_refusal(DUC, RECEIVED) is None  # the day the decision arrived
    early = RECEIVED - timedelta(days=1)
    assert ceremony_date_refusal(DUC, early) == Refusal(
        "admission_date_before", {"on": early, "earliest": RECEIVED, "what": "received"})
    unreceived = replace(DUC, decision_received_on=None, stage_since=date(2026, 2, 1))
    assert ceremony_date_refusal(unreceived, date(2026, 2, 10)) is None
    assert ceremony_date_refusal(unreceived, date(2026, 2, 9)) == Refusal(
        "admission_date_before", {"on": date(2026, 2, 9), "earliest": date(2026, 2, 10), "what": "decision"})
    moved = replace(DUC, stage_since=date(2026, 2, 20))  # the last change came after the arrival
    assert ceremony_date_refusal(moved, date(2026, 2, 20)) is None
    assert ceremony_date_refusal(moved, date(2026, 2, 19)) == Refusal(
        "before_last_change", {"on": date(2026, 2, 19), "last_change_on": date(2026, 2, 20)})


def test_a_late_ceremony_s_consent_refused_says_what_is_missing_or_wrong_and_uses_the_calendar_in_force():
    from models.workdays import WorkCalendar
    late = DUE + timedelta(days=1)
    assert consent_refusal(DUC, late, None, None) == Refusal(
        "ceremony_consent_missing", {"on": late, "due": DUE, "sources": citations.CEREMONY})
    assert consent_refusal(DUC, late, "CV", late + timedelta(days=1)) == Refusal(
        "consent_after_ceremony", {"consent_on": late + timedelta(days=1), "on": late})
    assert consent_refusal(DUC, late, "CV", RECEIVED - timedelta(days=1)) == Refusal(
        "admission_date_before", {"on": RECEIVED - timedelta(days=1), "earliest": RECEIVED, "what": "received"})
    # a day off the settings add gives the ceremony one more day: on time, no consent needed
    off = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 2)}))
    assert consent_refusal(DUC, late, None, None, off) is None
    later = d.ceremony_due(RECEIVED, off) + timedelta(days=1)
    assert consent_refusal(DUC, later, None, None, off) == Refusal(
        "ceremony_consent_missing", {"on": later, "due": d.ceremony_due(RECEIVED, off), "sources": citations.CEREMONY})


def test_an_extension_refused_says_which_one_when_it_was_given_and_which_resolution_comes_first():
    early = RESOLUTION - timedelta(days=1)
    assert extension_refusal(HUY, Extended.decision, early) == Refusal(
        "admission_date_before", {"on": early, "earliest": RESOLUTION, "what": "resolution"})
    assert extension_refusal(ANH, Extended.recognition, date(2026, 8, 23)) == Refusal(
        "admission_date_before", {"on": date(2026, 8, 23), "earliest": date(2026, 8, 24),
                                  "what": "recognition_resolution"})
    assert extension_refusal(replace(ANH, recognition_resolution_on=None), Extended.recognition,
                             date(2026, 8, 24)) == Refusal("admission_no_recognition_vote", {})
    given = date(2026, 3, 1)
    assert extension_refusal(replace(HUY, decision_extended_on=given), Extended.decision, date(2026, 3, 2)) == Refusal(
        "extension_already", {"kind": "decision", "on": given, "sources": citations.ADMISSION_DECISION})
    assert extension_refusal(replace(ANH, recognition_extended_on=date(2026, 9, 1)), Extended.recognition,
                             date(2026, 9, 2)) == Refusal(
        "extension_already", {"kind": "recognition", "on": date(2026, 9, 1), "sources": citations.RECOGNITION_DECISION})
