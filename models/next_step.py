"""What the branch does next for a candidate, by when, and under which rule."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from models import citations as cite
from models import deadlines as d
from models.citations import Sources
from models.stage import Stage
from models.workdays import DEFAULT_CALENDAR, WorkCalendar


@dataclass(frozen=True)
class CandidateDates:
    """The dates known for a candidate; None where not (yet) recorded."""

    certificate_issued: date | None = None  # CN-NTVĐ
    dossier_prepared: date | None = None
    branch_resolution: date | None = None  # 6-KNĐ
    decision_extended: bool = False
    decision_received: date | None = None  # 9-KNĐ reached the branch
    ceremony: date | None = None
    personal_history_declared: date | None = None
    new_member_class: date | None = None
    recognition_resolution: date | None = None  # 13-KNĐ
    recognition_extended: bool = False


@dataclass(frozen=True)
class NextStep:
    code: str
    due: date | None  # last day in time; None when no rule sets one
    source: Sources  # the rule (models/citations.py)
    values: dict[str, Any] = field(default_factory=dict)


def next_step(stage: Stage, dates: CandidateDates, *, today: date,
              cal: WorkCalendar = DEFAULT_CALENDAR, next_meeting: date | None = None) -> NextStep | None:
    """The next step; None for official, removed and transferred (nothing left to do).

    `next_meeting` is the branch's next monthly meeting, where the list is reviewed.
    """
    stage = Stage(stage)
    if stage == Stage.source:
        return NextStep("add_to_sympathizer_list", next_meeting, cite.SYMPATHIZER_LIST)
    if stage == Stage.sympathizer:
        return NextStep("propose_for_awareness_class", next_meeting, cite.AWARENESS_CLASS)
    if stage == Stage.awareness_class:
        return _class_step(dates, today)
    if stage == Stage.dossier:
        return _dossier_step(dates, today)
    if stage == Stage.proposed:
        due = dates.branch_resolution and d.admission_decision_due(
            dates.branch_resolution, cal, extended=dates.decision_extended)
        return NextStep("committee_decision", due, cite.ADMISSION_DECISION)
    if stage == Stage.admitted:
        due = dates.decision_received and d.ceremony_due(dates.decision_received, cal)
        return NextStep("admission_ceremony", due, cite.CEREMONY)
    if stage == Stage.probationary:
        return _probation_step(dates, cal)
    return None


def _class_step(dates: CandidateDates, today: date) -> NextStep:
    """At the class: its certificate (from a class in chibo or typed in, issue 13 item 3) opens the
    dossier, to be voted on while the certificate is valid; without one, the class comes first."""
    cert = dates.certificate_issued
    if cert is None:
        return NextStep("obtain_certificate", None, cite.AWARENESS_CLASS)
    expires = d.certificate_expires_on(cert)
    if today >= expires:
        return NextStep("retake_awareness_class", None, cite.AWARENESS_CLASS, {"expired_on": expires})
    return NextStep("start_dossier", expires - timedelta(days=1), cite.AWARENESS_CLASS)


def _dossier_step(dates: CandidateDates, today: date) -> NextStep:
    """The vote must come before the certificate expires and before the dossier goes stale."""
    cert = dates.certificate_issued
    if cert is None or today >= d.certificate_expires_on(cert):
        return NextStep("retake_awareness_class", None, cite.AWARENESS_CLASS,
                        {"expired_on": cert and d.certificate_expires_on(cert)})
    limits = [d.certificate_expires_on(cert) - timedelta(days=1)]
    if dates.dossier_prepared is not None:
        redo = d.dossier_to_redo(dates.dossier_prepared, today)
        if redo:
            return NextStep("redo_dossier_items", None, cite.DOSSIER_AGE, {"items": redo})
        limits.append(d.dossier_stale_after(dates.dossier_prepared))
    return NextStep("branch_vote", min(limits), cite.BRANCH_VOTE)


def _probation_step(dates: CandidateDates, cal: WorkCalendar) -> NextStep:
    if dates.ceremony is None:  # every other date hangs on it
        return NextStep("record_ceremony_date", None, cite.PROBATION)
    if dates.personal_history_declared is None:
        return NextStep("declare_personal_history", d.personal_history_due(dates.ceremony, cal),
                        cite.PERSONAL_HISTORY)
    if dates.new_member_class is None:
        return NextStep("attend_new_member_class", d.probation_end(dates.ceremony), cite.NEW_MEMBER_CLASS)
    if dates.recognition_resolution is None:
        return NextStep("branch_recognition_vote", d.recognition_branch_due(dates.ceremony, cal),
                        cite.RECOGNITION_VOTE,
                        {"probation_end": d.probation_end(dates.ceremony)})
    return NextStep("committee_recognition", d.recognition_decision_due(
        dates.recognition_resolution, cal, extended=dates.recognition_extended), cite.RECOGNITION_DECISION)
