"""Everything chibo holds about one person (Law 91/2025, the right of access), as plain rows by
section: what bot/person_files.py writes as JSON and as a readable workbook.

The sections follow the tables (models/erasure.py names the same rows): the person and their
roles and chat accounts, each candidate record with its history (stages, corrections,
check-ins, reviews, surveys, dossier, admission, votes, classes, undoable actions), their rows
on a branch's roster, invites made for them, messages sent to them, their consents and requests
about their data, and the audit entries
about them (who read or changed what) or made by them.
"""

from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.admission import FailedVote
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.candidate_edit import CandidateEdit
from models.checkin import Checkin
from models.consent import Consent, DataRequest
from models.dossier import AdmissionRecord, DossierEntry
from models.erasure import Subject
from models.outbox import Outbox
from models.party_class import Enrollment
from models.people import ChatLink, Invite, Person, RoleGrant
from models.review import MonthlyReview, SourceSurvey
from models.roster import PartyMember
from models.undo import UndoableAction

# The sections in the order they are written (their titles: messages/vi/common/labels.j2 `data_section`).
SECTIONS = (
    "person", "roles", "chat_accounts", "candidates", "stage_changes", "edits", "checkins", "reviews",
    "surveys", "dossier", "admission", "failed_votes", "classes", "undo", "roster", "invites", "messages",
    "consents", "requests", "audit",
)


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO text, enums as their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _rows(rows, *, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{c.key: plain(getattr(row, c.key)) for c in row.__table__.columns if c.key not in drop}
            for row in rows]


async def _all(session: AsyncSession, table: type[SQLModel], where, order=None) -> list:
    query = select(table).where(where)
    pk = sa.inspect(table).primary_key[0]
    return list(await session.exec(query.order_by(order if order is not None else pk)))


async def person_data(*, session: AsyncSession, subject: Subject) -> dict[str, list[dict[str, Any]]]:
    people, candidates = subject.person_ids, subject.candidate_ids
    of_candidate = lambda table: table.candidate_id.in_(candidates)  # noqa: E731
    subjects = [f"candidate:{c}" for c in candidates] + [f"person:{p}" for p in people]
    about = sa.or_(sa.false(), AuditLog.subject.in_(subjects), AuditLog.person_id.in_(people),
                   *(AuditLog.subject.startswith(f"person:{p}@") for p in people))
    return {
        "person": _rows(await _all(session, Person, Person.id.in_(people))),
        "roles": _rows(await _all(session, RoleGrant, RoleGrant.person_id.in_(people))),
        "chat_accounts": _rows(await _all(session, ChatLink, ChatLink.person_id.in_(people))),
        "candidates": _rows(await _all(session, Candidate, Candidate.id.in_(candidates))),
        "stage_changes": _rows(await _all(session, StageChange, of_candidate(StageChange))),
        "edits": _rows(await _all(session, CandidateEdit, of_candidate(CandidateEdit))),
        "checkins": _rows(await _all(session, Checkin, of_candidate(Checkin))),
        "reviews": _rows(await _all(session, MonthlyReview, of_candidate(MonthlyReview))),
        "surveys": _rows(await _all(session, SourceSurvey, of_candidate(SourceSurvey))),
        "dossier": _rows(await _all(session, DossierEntry, of_candidate(DossierEntry))),
        "admission": _rows(await _all(session, AdmissionRecord, of_candidate(AdmissionRecord))),
        "failed_votes": _rows(await _all(session, FailedVote, of_candidate(FailedVote))),
        "classes": _rows(await _all(session, Enrollment, of_candidate(Enrollment))),
        "undo": _rows(await _all(session, UndoableAction, of_candidate(UndoableAction))),
        "roster": _rows(await _all(session, PartyMember, sa.or_(
            PartyMember.person_id.in_(people), PartyMember.candidate_id.in_(candidates)))),
        "invites": _rows(await _all(session, Invite, sa.or_(
            Invite.person_id.in_(people), Invite.candidate_id.in_(candidates))), drop=("code_hash",)),
        "messages": _rows(await _all(session, Outbox, Outbox.person_id.in_(people)), drop=("key",)),
        "consents": _rows(await _all(session, Consent, sa.or_(
            Consent.person_id.in_(people), Consent.candidate_id.in_(candidates)))),
        "requests": _rows(await _all(session, DataRequest, sa.or_(
            DataRequest.person_id.in_(people), DataRequest.candidate_id.in_(candidates)))),
        "audit": _rows(await _all(session, AuditLog, about)),
    }
