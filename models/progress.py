"""Where a candidate stands: the dates recorded for them, their next step and when."""

from calendar import monthrange
from datetime import date

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.next_step import CandidateDates, NextStep, next_step
from models.org import Organisation
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.stage import Stage


def next_meeting(meeting_day: int, today: date) -> date:
    """The branch's next monthly meeting on or after today (the day clipped to the month's end)."""
    this_month = _clip(today.year, today.month, meeting_day)
    if this_month >= today:
        return this_month
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return _clip(year, month, meeting_day)


def _clip(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, monthrange(year, month)[1]))


# The dossier item that is a class's certificate, typed with the dossier when the class was held
# before chibo (or elsewhere): it counts as the class's result does.
CERTIFICATE_ITEMS = {ClassKind.awareness: "CN-NTVĐ", ClassKind.new_member: "CN-ĐVM"}


async def certificate_on(*, session: AsyncSession, candidate_id: int, kind: ClassKind) -> date | None:
    """The date of the latest certificate of this kind of class, if any: from a class recorded in
    chibo, or typed in with the dossier (the later of the two)."""
    rows = await session.exec(
        select(Enrollment.certificate_on).join(PartyClass, PartyClass.id == Enrollment.class_id)
        .where(Enrollment.candidate_id == candidate_id, PartyClass.kind == kind,
               Enrollment.status == EnrollmentStatus.passed, Enrollment.certificate_on.is_not(None))
        .order_by(Enrollment.certificate_on.desc()).limit(1))
    from_class = rows.first()
    typed = (await session.exec(select(DossierEntry.dated).where(
        DossierEntry.candidate_id == candidate_id, DossierEntry.item == CERTIFICATE_ITEMS[kind]))).first()
    return max((d for d in (from_class, typed) if d is not None), default=None)


async def candidate_dates(*, session: AsyncSession, candidate: Candidate) -> CandidateDates:
    record = await session.get(AdmissionRecord, candidate.id)
    awareness = await certificate_on(session=session, candidate_id=candidate.id, kind=ClassKind.awareness)
    new_member = await certificate_on(session=session, candidate_id=candidate.id, kind=ClassKind.new_member)
    return dates_of(record, awareness, new_member)


def dates_of(record: AdmissionRecord | None, awareness: date | None, new_member: date | None) -> CandidateDates:
    """A candidate's dates from their admission record (if any) and their latest certificates."""
    if record is None:
        return CandidateDates(certificate_issued=awareness, new_member_class=new_member)
    return CandidateDates(
        certificate_issued=awareness,
        dossier_prepared=record.dossier_started_on,
        branch_resolution=record.resolution_on,
        decision_extended=record.decision_extended_on is not None,
        decision_received=record.decision_received_on,
        ceremony=record.ceremony_on,
        personal_history_declared=record.personal_history_on,
        new_member_class=new_member,
        recognition_resolution=record.recognition_resolution_on,
        recognition_extended=record.recognition_extended_on is not None,
    )


async def candidate_next_step(*, session: AsyncSession, candidate: Candidate, today: date) -> NextStep | None:
    branch = await session.get(Organisation, candidate.branch_id)
    dates = await candidate_dates(session=session, candidate=candidate)
    return next_step(Stage(candidate.stage), dates, today=today,
                     next_meeting=next_meeting(branch.meeting_day if branch else 5, today))
