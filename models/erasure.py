"""Erasing a person (Law 91/2025, the right to erasure): their name, birth date, notes,
sensitive flags, chat accounts, messages, half-typed answers and temporary uploads go; what the
reports count stays (the candidate's row with its stage history, category, gender, birth year,
classes and votes), under a placeholder name.

A "subject" is one human as chibo holds them: a Person (a chat user), the candidates linked to
that person, and their rows on a branch's roster. Erasing works from ids, then looks for the
names in the free text kept anywhere else (someone's note, a conversation, a message waiting
to go) and takes them out too. No chat words here: the caller passes the placeholder name.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.audit import AuditLog, audit
from models.candidate import Candidate, StageChange, ref_parts
from models.candidate_edit import CandidateEdit
from models.checkin import Checkin
from models.conversation import Conversation
from models.dossier import AdmissionRecord, DossierEntry
from models.reception import CandidateReception
from models.org import Organisation
from models.outbox import Outbox, OutboxStatus
from models.party_class import Enrollment
from models.people import ChatLink, CodeAttempt, Invite, Person, RoleGrant
from models.consent import Consent, DataRequest
from models.pipeline import ACTIVE_STAGES
from models.register_upload import RegisterUpload
from models.review import MonthlyReview, SourceSurvey
from models.roster import PartyMember
from models.stage import Stage
from models.text import fold
from models.undo import UndoableAction

# What the audit log says of an erasure: the subject's number and the reason, nothing else.
ERASE_ACTION = "person.erase"
# The audit action of an erasure made by the retention rule (models/retention.py).
RETENTION_ACTION = "person.expire"

# Free text anywhere that may mention someone by name: an occurrence is replaced by the placeholder.
FREE_TEXT = (
    Candidate.note, Candidate.unit, StageChange.reason, CandidateEdit.old_value, CandidateEdit.new_value,
    Checkin.note, Checkin.assessment, MonthlyReview.reason, SourceSurvey.note, SourceSurvey.assessment,
    DossierEntry.holder, AdmissionRecord.refused_reason, AdmissionRecord.struck_off_reason,
    Invite.full_name, AuditLog.detail, DataRequest.detail, DataRequest.outcome,
    PartyMember.left_note, PartyMember.received_note,  # an expulsion's decision, a received member's decisions
    CandidateReception.came_from,  # a received candidate's former place (/nhanve)
)


@dataclass
class Subject:
    """One human as chibo holds them: their person (if they ever had a chat role), their
    candidate records, and the names to look for elsewhere."""

    person_ids: list[int] = field(default_factory=list)
    candidate_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.person_ids or self.candidate_ids)

    @property
    def subject(self) -> str:
        """The audit subject: "person:12", or "candidate:7" for a candidate with no person."""
        return f"person:{self.person_ids[0]}" if self.person_ids else f"candidate:{self.candidate_ids[0]}"


async def subject_of(*, session: AsyncSession, person_id: int | None = None,
                     candidate_id: int | None = None) -> Subject:
    """The person and every candidate record linked to them, from either end (empty if none)."""
    subject = Subject()
    if candidate_id is not None:
        candidate = await session.get(Candidate, candidate_id)
        if candidate is None:
            return subject
        if candidate.person_id is None:
            subject.candidate_ids.append(candidate.id)
        person_id = candidate.person_id
    if person_id is not None:
        person = await session.get(Person, person_id)
        if person is None:
            return subject
        subject.person_ids.append(person.id)
        subject.candidate_ids += list(await session.exec(
            select(Candidate.id).where(Candidate.person_id == person.id).order_by(Candidate.id)))
    names = list(await session.exec(select(Person.full_name).where(Person.id.in_(subject.person_ids))))
    names += list(await session.exec(select(Candidate.full_name).where(Candidate.id.in_(subject.candidate_ids))))
    names += list(await session.exec(select(PartyMember.full_name).where(_roster_rows(subject))))
    subject.names = sorted({n for n in names if n and n.strip()}, key=len, reverse=True)
    return subject


async def find_subject(*, session: AsyncSession, ref: str) -> Subject:
    """The subject an operator names: a person's number ("12", as `chibo person list` shows
    it) or a candidate's reference, the branch's code and the register number ("TP-7")."""
    ref = ref.strip()
    if ref.isdigit():
        return await subject_of(session=session, person_id=int(ref))
    for code, register_number in ref_parts(ref):
        found = (await session.exec(select(Candidate.id).join(Organisation, Organisation.id == Candidate.branch_id)
                                    .where(Organisation.code == code, Candidate.number == register_number))).first()
        if found is not None:
            return await subject_of(session=session, candidate_id=found)
    return Subject()


def _roster_rows(subject: Subject) -> sa.ColumnElement[bool]:
    return sa.or_(PartyMember.person_id.in_(subject.person_ids),
                  PartyMember.candidate_id.in_(subject.candidate_ids))


async def active_candidacies(*, session: AsyncSession, subject: Subject) -> list[Candidate]:
    """The subject's candidate records still moving along the pipeline (erasure ends them)."""
    return list(await session.exec(select(Candidate).where(
        Candidate.id.in_(subject.candidate_ids), Candidate.stage.in_([s.value for s in ACTIVE_STAGES]))
        .order_by(Candidate.id)))


@dataclass(frozen=True)
class Erased:
    candidates: int  # candidate records anonymised
    ended: int  # of them, candidacies that were still in the pipeline
    people: int
    chats: int  # chat accounts unlinked


async def erase(*, session: AsyncSession, subject: Subject, placeholder: str, now: datetime, today: date,
                reason: str | None, by_person_id: int | None = None) -> Erased:
    """Anonymise the subject everywhere (never committing). `reason` goes to the audit entry of
    the erasure (None: the retention rule did it, and the audit says so by its action)."""
    ended = await _candidates(session, subject, placeholder, now, today)
    chats = await _people(session, subject, placeholder, now)
    await _roster(session, subject, placeholder)
    await _free_text(session, subject.names, placeholder)
    await _json_rows(session, subject, placeholder)
    await session.exec(sa.update(AuditLog).where(AuditLog.subject.in_(_audit_subjects(subject)))
                       .values(detail=None).execution_options(synchronize_session=False))
    audit(session=session, at=now, person_id=by_person_id, action=ERASE_ACTION if reason is not None
          else RETENTION_ACTION, subject=subject.subject, detail=reason)
    await session.flush()
    return Erased(candidates=len(subject.candidate_ids), ended=ended, people=len(subject.person_ids), chats=chats)


def _audit_subjects(subject: Subject) -> list[str]:
    return [f"candidate:{c}" for c in subject.candidate_ids] + [f"person:{p}" for p in subject.person_ids]


async def _candidates(session: AsyncSession, subject: Subject, placeholder: str, now: datetime,
                      today: date) -> int:
    ids = subject.candidate_ids
    if not ids:
        return 0
    ended = 0
    for candidate in list(await session.exec(select(Candidate).where(Candidate.id.in_(ids)))):
        if Stage(candidate.stage) in ACTIVE_STAGES:
            # The candidacy ends in chibo: out of every list and reminder (no reason kept).
            session.add(StageChange(candidate_id=candidate.id, from_stage=candidate.stage, to_stage=Stage.removed,
                                    on=today, reason=None, by_person_id=None, at=now))
            candidate.stage, candidate.stage_since = Stage.removed, today
            ended += 1
        candidate.full_name, candidate.name_folded = placeholder, fold(placeholder)
        # The year stays (the statistics' age bands), as an imported year-only birth date is kept.
        candidate.birth_date, candidate.birth_year_only = date(candidate.birth_date.year, 1, 1), True
        candidate.note = candidate.unit = None
        candidate.ethnic_minority = candidate.religious = False  # sensitive (Decree 356/2025)
        candidate.sponsor_id = None
        candidate.erased_at = now
        session.add(candidate)
    updates = [
        (StageChange, StageChange.candidate_id, {"reason": None}),
        (CandidateEdit, CandidateEdit.candidate_id, {"old_value": None, "new_value": None}),
        (Checkin, Checkin.candidate_id, {"note": None}),
        (MonthlyReview, MonthlyReview.candidate_id, {"reason": None}),
        (SourceSurvey, SourceSurvey.candidate_id, {"note": None}),
        (DossierEntry, DossierEntry.candidate_id, {"holder": None, "number": None}),
        (Enrollment, Enrollment.candidate_id, {"certificate_number": None}),
        (AdmissionRecord, AdmissionRecord.candidate_id, {
            "decision_number": None, "refused_reason": None, "recognition_number": None,
            "struck_off_reason": None}),
        (Invite, Invite.candidate_id, {"full_name": None}),
        # A child's consent keeps that it was a guardian's and when, not who (a name of the family).
        (Consent, Consent.candidate_id, {"guardian_name": None, "guardian_relation": None}),
    ]
    for table, column, values in updates:
        await session.exec(sa.update(table).where(column.in_(ids)).values(**values)
                           .execution_options(synchronize_session=False))
    # Nothing may bring an erased record back (/hoantac), and a file sent for import may list them.
    await session.exec(sa.delete(UndoableAction).where(UndoableAction.candidate_id.in_(ids)))
    # Where a received candidate came from points to them: the history brought stays as stages and dates.
    await session.exec(sa.delete(CandidateReception).where(CandidateReception.candidate_id.in_(ids)))
    branches = select(Candidate.branch_id).where(Candidate.id.in_(ids))
    await session.exec(sa.delete(RegisterUpload).where(RegisterUpload.org_id.in_(branches)))
    await session.flush()
    return ended


async def _people(session: AsyncSession, subject: Subject, placeholder: str, now: datetime) -> int:
    ids = subject.person_ids
    if not ids:
        return 0
    links = list(await session.exec(select(ChatLink).where(ChatLink.person_id.in_(ids))))
    for link in links:
        await session.exec(sa.delete(Conversation).where(Conversation.channel == link.channel,
                                                         Conversation.chat_id == link.account_id))
        await session.exec(sa.delete(CodeAttempt).where(CodeAttempt.channel == link.channel,
                                                        CodeAttempt.account_id == link.account_id))
        await session.delete(link)
    await session.exec(sa.delete(RoleGrant).where(RoleGrant.person_id.in_(ids)))
    await session.exec(sa.update(Candidate).where(Candidate.sponsor_id.in_(ids)).values(sponsor_id=None)
                       .execution_options(synchronize_session=False))
    await session.exec(sa.update(Invite).where(Invite.person_id.in_(ids)).values(full_name=None)
                       .execution_options(synchronize_session=False))
    await session.exec(sa.delete(RegisterUpload).where(RegisterUpload.person_id.in_(ids)))
    await session.exec(sa.update(Person).where(Person.id.in_(ids))
                       .values(full_name=placeholder, erased_at=now).execution_options(synchronize_session=False))
    await session.flush()
    return len(links)


async def _roster(session: AsyncSession, subject: Subject, placeholder: str) -> None:
    """The roster keeps the member (the branch's counts of official members), not the name."""
    await session.exec(sa.update(PartyMember).where(_roster_rows(subject)).values(full_name=placeholder)
                       .execution_options(synchronize_session=False))
    folded = {fold(n) for n in subject.names}
    branches = list(await session.exec(select(Candidate.branch_id).where(Candidate.id.in_(subject.candidate_ids))))
    if not folded or not branches:
        return
    for member in list(await session.exec(select(PartyMember).where(
            PartyMember.org_id.in_(branches), PartyMember.person_id.is_(None),
            PartyMember.candidate_id.is_(None)))):
        if fold(member.full_name) in folded:  # an unlinked row with their name (models/roster.matches_person)
            member.full_name = placeholder
            session.add(member)
    await session.flush()


async def _free_text(session: AsyncSession, names: list[str], placeholder: str) -> None:
    for name in names:
        for column in FREE_TEXT:
            await session.exec(
                sa.update(column.class_).where(column.contains(name, autoescape=True))
                .values({column.key: sa.func.replace(column, name, placeholder)})
                .execution_options(synchronize_session=False))
    await session.flush()


def mentions(value, names: list[str], ids: list[str]) -> bool:
    """Whether a JSON value (a conversation's answers, a message's values) holds one of the names
    or names one of the candidates by their choice id ("id:17")."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return any(n in text for n in names) or any(i in text for i in ids)


async def _json_rows(session: AsyncSession, subject: Subject, placeholder: str) -> None:
    """Conversations that mention the subject start afresh; messages to or about them lose
    their body (those not yet sent are not sent)."""
    ids = [f'"id:{c}"' for c in subject.candidate_ids]
    for conversation in list(await session.exec(select(Conversation))):
        if mentions([conversation.data, conversation.choices], subject.names, ids):
            await session.delete(conversation)
    with_body = sa.cast(Outbox.values, sa.Text) != "{}"
    for row in list(await session.exec(select(Outbox).where(with_body))):
        if row.person_id in subject.person_ids or mentions(row.values, subject.names, ids) or \
                row.values.get("candidate_id") in subject.candidate_ids:
            if row.status in (OutboxStatus.pending, OutboxStatus.in_flight):
                await session.delete(row)
            else:
                row.values = {}
                session.add(row)
    await session.flush()
