"""Next-step edges that mutation testing found unguarded: the rule each step cites, the
settings' calendar in the probation deadlines, and an extended recognition decision."""

from datetime import date

from models import citations as cite
from models.next_step import CandidateDates, NextStep, next_step
from models.stage import Stage
from models.workdays import WorkCalendar

TODAY = date(2026, 3, 10)
CEREMONY = date(2026, 2, 5)
DECLARED, CLASS = date(2026, 3, 1), date(2026, 5, 1)


def step(stage, today=TODAY, cal=None, **dates):
    extra = {"cal": cal} if cal else {}
    return next_step(stage, CandidateDates(**dates), today=today, next_meeting=date(2026, 4, 3), **extra)


def test_each_dossier_step_cites_its_rule():
    assert step(Stage.dossier).source == cite.AWARENESS_CLASS
    stale = step(Stage.dossier, certificate_issued=date(2025, 1, 1), dossier_prepared=date(2025, 3, 9))
    assert (stale.code, stale.source) == ("redo_dossier_items", cite.DOSSIER_AGE)


def test_each_probation_step_cites_its_rule():
    assert step(Stage.probationary).source == cite.PROBATION
    assert step(Stage.probationary, ceremony=CEREMONY).source == cite.PERSONAL_HISTORY
    s = step(Stage.probationary, ceremony=CEREMONY, personal_history_declared=DECLARED)
    assert s.source == cite.NEW_MEMBER_CLASS
    s = step(Stage.probationary, ceremony=CEREMONY, personal_history_declared=DECLARED, new_member_class=CLASS)
    assert (s.source, s.values) == (cite.RECOGNITION_VOTE, {"probation_end": date(2027, 2, 5)})
    s = step(Stage.probationary, ceremony=CEREMONY, personal_history_declared=DECLARED, new_member_class=CLASS,
             recognition_resolution=date(2027, 3, 2))
    assert s.source == cite.RECOGNITION_DECISION


def test_probation_deadlines_follow_the_settings_calendar():
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 2), date(2027, 3, 1), date(2027, 3, 3)}))
    assert step(Stage.probationary, ceremony=CEREMONY).due == date(2026, 3, 26)
    assert step(Stage.probationary, cal=cal, ceremony=CEREMONY).due == date(2026, 3, 27)
    s = step(Stage.probationary, cal=cal, ceremony=CEREMONY, personal_history_declared=DECLARED,
             new_member_class=CLASS)
    assert s.due == date(2027, 3, 26)  # 24 March without 1 and 3 March off
    s = step(Stage.probationary, cal=cal, ceremony=CEREMONY, personal_history_declared=DECLARED,
             new_member_class=CLASS, recognition_resolution=date(2027, 3, 2))
    assert s.due == date(2027, 4, 14)  # 13 April without 3 March off


def test_an_extended_recognition_decision_is_due_30_working_days_later():
    dates = dict(ceremony=CEREMONY, personal_history_declared=DECLARED, new_member_class=CLASS,
                 recognition_resolution=date(2027, 3, 2))
    assert step(Stage.probationary, **dates).due == date(2027, 4, 13)
    assert step(Stage.probationary, recognition_extended=True, **dates).due == date(2027, 5, 28)


def test_the_awareness_class_step_cites_its_rule():
    assert step(Stage.awareness_class).source == cite.AWARENESS_CLASS


def test_committee_decision_and_ceremony_follow_the_settings_calendar():
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 1, 6)}))
    assert step(Stage.proposed, cal=cal, branch_resolution=date(2026, 1, 5)).due == date(2026, 4, 7)
    cal = WorkCalendar(extra_days_off=frozenset({date(2025, 5, 5)}))
    assert step(Stage.admitted, cal=cal, decision_received=date(2025, 4, 25)).due == date(2025, 6, 11)


def test_the_list_and_class_steps_give_the_branch_s_meeting_and_cite_their_rule():
    assert step(Stage.source) == NextStep("add_to_sympathizer_list", date(2026, 4, 3), cite.SYMPATHIZER_LIST)
    assert step(Stage.sympathizer) == NextStep("propose_for_awareness_class", date(2026, 4, 3), cite.AWARENESS_CLASS)
    assert step(Stage.awareness_class, certificate_issued=date(2020, 1, 1)) == NextStep(
        "retake_awareness_class", None, cite.AWARENESS_CLASS, {"expired_on": date(2025, 1, 1)})
    assert step(Stage.awareness_class, certificate_issued=date(2025, 1, 1)) == NextStep(
        "start_dossier", date(2029, 12, 31), cite.AWARENESS_CLASS)
    assert step(Stage.dossier, certificate_issued=date(2025, 1, 1)) == NextStep(
        "branch_vote", date(2029, 12, 31), cite.BRANCH_VOTE)
