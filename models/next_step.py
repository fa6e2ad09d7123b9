"""What the branch does next for a candidate, by when, and under which rule."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from models import deadlines as d
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
    source: str  # the rule, as cited in DOMAIN.md
    values: dict[str, Any] = field(default_factory=dict)


def next_step(stage: Stage, dates: CandidateDates, *, today: date,
              cal: WorkCalendar = DEFAULT_CALENDAR, next_meeting: date | None = None) -> NextStep | None:
    """The next step; None for official, removed and transferred (nothing left to do).

    `next_meeting` is the branch's next monthly meeting, where the list is reviewed.
    """
    stage = Stage(stage)
    if stage == Stage.source:
        return NextStep("add_to_sympathizer_list", next_meeting, "003; 12-HD/BTCTW")
    if stage == Stage.sympathizer:
        return NextStep("propose_for_awareness_class", next_meeting, "003; 004; 06-HD/TW 5.4")
    if stage == Stage.awareness_class:
        return NextStep("obtain_certificate", None, "06-HD/TW 5.4")
    if stage == Stage.dossier:
        return _dossier_step(dates, today)
    if stage == Stage.proposed:
        due = dates.branch_resolution and d.admission_decision_due(
            dates.branch_resolution, cal, extended=dates.decision_extended)
        return NextStep("committee_decision", due, "294-QĐ/TW 4.3")
    if stage == Stage.admitted:
        due = dates.decision_received and d.ceremony_due(dates.decision_received, cal)
        return NextStep("admission_ceremony", due, "294-QĐ/TW 4.1")
    if stage == Stage.probationary:
        return _probation_step(dates, cal)
    return None


def _dossier_step(dates: CandidateDates, today: date) -> NextStep:
    """The vote must come before the certificate expires and before the dossier goes stale."""
    cert = dates.certificate_issued
    if cert is None or today >= d.certificate_expires_on(cert):
        return NextStep("retake_awareness_class", None, "06-HD/TW 5.4",
                        {"expired_on": cert and d.certificate_expires_on(cert)})
    limits = [d.certificate_expires_on(cert) - timedelta(days=1)]
    if dates.dossier_prepared is not None:
        redo = d.dossier_to_redo(dates.dossier_prepared, today)
        if redo:
            return NextStep("redo_dossier_items", None, "01-HD/TW", {"items": redo})
        limits.append(d.dossier_stale_after(dates.dossier_prepared))
    return NextStep("branch_vote", min(limits), "Charter art. 4; 06-HD/TW 3.6")


def _probation_step(dates: CandidateDates, cal: WorkCalendar) -> NextStep:
    if dates.ceremony is None:  # every other date hangs on it
        return NextStep("record_ceremony_date", None, "Charter art. 5")
    if dates.personal_history_declared is None:
        return NextStep("declare_personal_history", d.personal_history_due(dates.ceremony, cal),
                        "12-HD/BTCTW 2.2")
    if dates.new_member_class is None:
        return NextStep("attend_new_member_class", d.probation_end(dates.ceremony), "06-HD/TW 4.1")
    if dates.recognition_resolution is None:
        return NextStep("branch_recognition_vote", d.recognition_branch_due(dates.ceremony, cal),
                        "Charter art. 5; 294-QĐ/TW 4.2",
                        {"probation_end": d.probation_end(dates.ceremony)})
    return NextStep("committee_recognition", d.recognition_decision_due(
        dates.recognition_resolution, cal, extended=dates.recognition_extended), "294-QĐ/TW 4.2")
