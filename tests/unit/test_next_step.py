"""The next step for a candidate at each stage, with its due date and rule."""

from datetime import date

from models.citations import ADMISSION_DECISION, CEREMONY
from models.next_step import CandidateDates, next_step
from models.stage import Stage
from models.workdays import add_working_days

TODAY = date(2026, 3, 10)


def step(stage, today=TODAY, **dates):
    return next_step(stage, CandidateDates(**dates), today=today, next_meeting=date(2026, 4, 3))


def test_source_and_sympathizer_wait_for_the_monthly_meeting():
    assert (step(Stage.source).code, step(Stage.source).due) == ("add_to_sympathizer_list", date(2026, 4, 3))
    assert step(Stage.sympathizer).code == "propose_for_awareness_class"
    assert step(Stage.awareness_class).code == "obtain_certificate"


def test_a_certificate_at_the_class_stage_opens_the_dossier_while_it_is_valid():
    """Issue 13 item 3: a certificate (a class's result or typed in) counts for the next step."""
    s = step(Stage.awareness_class, certificate_issued=date(2021, 3, 11))
    assert (s.code, s.due) == ("start_dossier", date(2026, 3, 10))  # its last valid day is today
    s = step(Stage.awareness_class, certificate_issued=date(2021, 3, 10))
    assert (s.code, s.values["expired_on"]) == ("retake_awareness_class", date(2026, 3, 10))


def test_dossier_vote_due_before_certificate_or_dossier_runs_out():
    s = step(Stage.dossier, certificate_issued=date(2021, 6, 1))
    assert (s.code, s.due) == ("branch_vote", date(2026, 5, 31))
    s = step(Stage.dossier, certificate_issued=date(2025, 1, 1), dossier_prepared=date(2025, 4, 1))
    assert s.due == date(2026, 4, 1)


def test_dossier_with_expired_certificate_or_stale_items():
    s = step(Stage.dossier, today=date(2026, 6, 1), certificate_issued=date(2021, 6, 1))
    assert s.code == "retake_awareness_class" and s.values["expired_on"] == date(2026, 6, 1)
    assert step(Stage.dossier).code == "retake_awareness_class"
    s = step(Stage.dossier, certificate_issued=date(2025, 1, 1), dossier_prepared=date(2025, 3, 9))
    assert s.code == "redo_dossier_items" and s.values["items"] == ("3-KNĐ", "4-KNĐ", "5-KNĐ")


def test_proposed_waits_for_the_committee():
    s = step(Stage.proposed, branch_resolution=date(2026, 1, 5))
    assert (s.code, s.due, s.source) == ("committee_decision", date(2026, 4, 6), ADMISSION_DECISION)
    extended = step(Stage.proposed, branch_resolution=date(2026, 1, 5), decision_extended=True)
    assert extended.due == date(2026, 5, 21)
    assert step(Stage.proposed).due is None


def test_admitted_holds_the_ceremony():
    s = step(Stage.admitted, decision_received=date(2025, 4, 25))
    assert (s.code, s.due, s.source) == ("admission_ceremony", date(2025, 6, 10), CEREMONY)


def test_probation_steps_in_order():
    ceremony = date(2026, 2, 5)
    s = step(Stage.probationary, ceremony=ceremony)
    assert (s.code, s.due) == ("declare_personal_history", add_working_days(ceremony, 30))
    s = step(Stage.probationary, ceremony=ceremony, personal_history_declared=date(2026, 3, 1))
    assert (s.code, s.due) == ("attend_new_member_class", date(2027, 2, 5))
    s = step(Stage.probationary, ceremony=ceremony, personal_history_declared=date(2026, 3, 1),
             new_member_class=date(2026, 5, 1))
    assert (s.code, s.due) == ("branch_recognition_vote", date(2027, 3, 24))
    s = step(Stage.probationary, ceremony=ceremony, personal_history_declared=date(2026, 3, 1),
             new_member_class=date(2026, 5, 1), recognition_resolution=date(2027, 3, 1))
    assert (s.code, s.due) == ("committee_recognition", add_working_days(date(2027, 3, 1), 30))
    assert step(Stage.probationary).code == "record_ceremony_date"


def test_nothing_left_to_do():
    for stage in (Stage.official, Stage.removed, Stage.transferred):
        assert step(stage) is None
