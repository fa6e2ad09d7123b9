"""A candidate (quần chúng) received from another branch or place keeps their history (issue 13,
item 8; the sending branch introduces a sympathizer to the new place with the file it has:
seed 001, "giới thiệu cảm tình đảng ... đến nơi học tập, làm việc mới").

The secretary adds the person with /them, then /nhanve records where they came from, the
stage they had reached there and since when, their awareness-class certificate and the
admission papers already made. The rules are plain functions; `record_reception` writes them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import enum_field
from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord, DossierEntry
from models.dossier_items import required_before_vote
from models.party_class import ClassKind
from models.progress import CERTIFICATE_ITEMS
from models.rules import Refusal
from models.stage import Stage

# The stages a person may bring from another place. Later ones (proposed, admitted, members)
# are decisions of the other branch and its committee: a member arrives through /dangvien.
RECEIVED_STAGES: tuple[Stage, ...] = (Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier)
# Stages at which a certificate may have been issued (the class is attended, then certified);
# a dossier is made only with one (the same rule as /lamhoso).
CERTIFICATE_STAGES: tuple[Stage, ...] = (Stage.awareness_class, Stage.dossier)
CERTIFICATE = CERTIFICATE_ITEMS[ClassKind.awareness]
# The admission papers made before the vote that may come with the person (1-KNĐ..5-KNĐ).
RECEIVED_ITEMS: tuple[str, ...] = tuple(c for c in required_before_vote(applicable=("4-KNĐ",)) if c != CERTIFICATE)


class CandidateReception(SQLModel, table=True):
    """Where a candidate came from and the stage they had reached there (once per candidate)."""

    candidate_id: int = Field(foreign_key="candidate.id", primary_key=True)
    came_from: str = Field(max_length=200)
    received_on: date
    stage_there: Stage = enum_field()
    since: date  # the day they reached that stage, there
    by_person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime


@dataclass(frozen=True)
class Reception:
    came_from: str
    received_on: date
    stage: Stage
    since: date
    certificate_number: str | None = None
    certificate_on: date | None = None
    items: Mapping[str, date] = field(default_factory=dict)


def receivable_refusal(stage: Stage | str, *, received: bool) -> Refusal | None:
    """Only a candidate just added (still a source in this branch) takes a history from another
    place, and only once."""
    if received:
        return Refusal("reception_already", {})
    if Stage(stage) != Stage.source:
        return Refusal("reception_not_new", {"stage": str(stage)})
    return None


def _date_refusal(on: date, *, today: date, birth: date, received_on: date | None = None) -> Refusal | None:
    if on > today:
        return Refusal("date_in_future", {"on": on, "today": today})
    if on <= birth:
        return Refusal("reception_before_birth", {"on": on, "birth_date": birth})
    if received_on is not None and on > received_on:
        return Refusal("reception_after_received", {"on": on, "received_on": received_on})
    return None


def received_on_refusal(on: date, *, today: date, birth: date) -> Refusal | None:
    """The day the branch received the person: not in the future, after their birth."""
    return _date_refusal(on, today=today, birth=birth)


def stage_refusal(stage: Stage | str) -> Refusal | None:
    """A stage a received person may have (RECEIVED_STAGES)."""
    return None if Stage(stage) in RECEIVED_STAGES else Refusal("reception_stage", {"stage": str(stage)})


def since_refusal(since: date, *, received_on: date, today: date, birth: date) -> Refusal | None:
    """Since when they were at that stage there: not in the future, after their birth, and not
    after the day they were received (it is the other place's history)."""
    return _date_refusal(since, today=today, birth=birth, received_on=received_on)


def certificate_refusal(on: date, *, stage: Stage | str, since: date, received_on: date, today: date,
                        birth: date) -> Refusal | None:
    """The awareness-class certificate's date: not in the future, after the birth, not after the
    reception; for a dossier, not after the dossier began (it is made with the certificate)."""
    refusal = _date_refusal(on, today=today, birth=birth, received_on=received_on)
    if refusal:
        return refusal
    if Stage(stage) == Stage.dossier and on > since:
        return Refusal("reception_certificate_after_dossier", {"on": on, "since": since})
    return None


def certificate_missing(stage: Stage | str, *, certified: bool) -> Refusal | None:
    """A dossier is made only by someone with the awareness-class certificate."""
    if Stage(stage) == Stage.dossier and not certified:
        return Refusal("reception_needs_certificate", {})
    return None


def items_refusal(items: Mapping[str, date], *, since: date, received_on: date, today: date,
                  birth: date) -> Refusal | None:
    """The admission papers already made: known forms, each dated in the dossier's time there
    (not before it began, not after the reception, never in the future)."""
    for code, on in items.items():
        if code not in RECEIVED_ITEMS:
            return Refusal("reception_item_unknown", {"item": code})
        refusal = _date_refusal(on, today=today, birth=birth, received_on=received_on)
        if refusal:
            return Refusal(refusal.code, {**refusal.values, "item": code})
        if on < since:
            return Refusal("reception_item_before_dossier", {"item": code, "on": on, "since": since})
    return None


def reception_refusal(r: Reception, *, today: date, birth: date) -> Refusal | None:
    """Every rule at once (checked again before saving)."""
    cert = None
    if r.certificate_on is not None:
        cert = certificate_refusal(r.certificate_on, stage=r.stage, since=r.since, received_on=r.received_on,
                                   today=today, birth=birth)
    return (received_on_refusal(r.received_on, today=today, birth=birth) or stage_refusal(r.stage)
            or since_refusal(r.since, received_on=r.received_on, today=today, birth=birth)
            or cert or certificate_missing(r.stage, certified=r.certificate_on is not None)
            or items_refusal(r.items if r.stage == Stage.dossier else {}, since=r.since,
                             received_on=r.received_on, today=today, birth=birth))


async def reception_of(session: AsyncSession, candidate_id: int) -> CandidateReception | None:
    return await session.get(CandidateReception, candidate_id)


async def record_reception(*, session: AsyncSession, candidate: Candidate, reception: Reception,
                           by_person_id: int | None, now: datetime) -> None:
    """Write the history brought: where from, the stage reached there since its day (a stage
    change of its own, "received"), the certificate and the papers as dossier entries, and the
    dossier's start for someone making one."""
    r = reception
    session.add(CandidateReception(candidate_id=candidate.id, came_from=r.came_from, received_on=r.received_on,
                                   stage_there=r.stage, since=r.since, by_person_id=by_person_id, at=now))
    if r.stage != candidate.stage:
        session.add(StageChange(candidate_id=candidate.id, from_stage=candidate.stage, to_stage=r.stage,
                                on=r.since, reason=None, by_person_id=by_person_id, at=now))
    candidate.stage, candidate.stage_since = r.stage, r.since
    session.add(candidate)
    papers = dict(r.items) if r.stage == Stage.dossier else {}
    if r.certificate_on is not None and r.stage in CERTIFICATE_STAGES:
        papers[CERTIFICATE] = r.certificate_on
    held = {e.item: e for e in await session.exec(select(DossierEntry).where(
        DossierEntry.candidate_id == candidate.id, DossierEntry.item.in_(list(papers))))}
    for code, on in papers.items():
        entry = held.get(code) or DossierEntry(candidate_id=candidate.id, item=code, dated=on, at=now)
        entry.dated, entry.at = on, now
        if code == CERTIFICATE:
            entry.number = r.certificate_number
        session.add(entry)
    if r.stage == Stage.dossier:
        record = await session.get(AdmissionRecord, candidate.id) or AdmissionRecord(
            candidate_id=candidate.id, updated_at=now)
        record.dossier_started_on, record.updated_at = r.since, now
        session.add(record)
    await session.flush()


@dataclass(frozen=True)
class ReceivedHistory:
    """What the card shows of a received candidate: where from, when, and the history brought."""

    came_from: str
    received_on: date
    stage: Stage
    since: date
    certificate_number: str | None
    certificate_on: date | None
    papers: tuple[tuple[str, date], ...]


async def received_history(session: AsyncSession, candidate_id: int) -> ReceivedHistory | None:
    """The reception of a candidate and the papers they brought (dated on or before the day
    received), or None for someone who began in this branch."""
    found = await reception_of(session, candidate_id)
    if found is None:
        return None
    entries = {e.item: e for e in await session.exec(select(DossierEntry).where(
        DossierEntry.candidate_id == candidate_id, DossierEntry.item.in_([CERTIFICATE, *RECEIVED_ITEMS])))}
    certificate = entries.get(CERTIFICATE)
    brought = certificate is not None and certificate.dated <= found.received_on
    return ReceivedHistory(
        came_from=found.came_from, received_on=found.received_on, stage=Stage(found.stage_there), since=found.since,
        certificate_number=certificate.number if brought else None,
        certificate_on=certificate.dated if brought else None,
        papers=tuple((code, entries[code].dated) for code in RECEIVED_ITEMS
                     if code in entries and entries[code].dated <= found.received_on))
