"""Consent to the processing of personal data (Law 91/2025/QH15, Decree 356/2025), and the
requests a person makes about their own data (/dulieu).

A consent names the notice's version and purposes, the categories of data it covers (the
sensitive ones by name: ethnicity, religion), who gave it (the person, or a parent or guardian
for a child), how (in chat by the person themselves, or on paper with the day it was signed
and who recorded it), when, and its withdrawal. There is no consent by default.

Rules (plain functions): a person under 16 on the day of registration needs a parent's or
guardian's consent, and their own as well from 7 (`consent_needed`); a request is acknowledged
within 2 working days and acted on within 15 (`request_due`).
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import enum_field
from models.candidate import Candidate
from models.people import Person, RoleGrant
from models.stage import Role
from models.workdays import add_working_days

NOTICE_VERSION = "2026-12"
PURPOSES = "admission"  # following a candidate through admission to the Party
OFFICER_PURPOSES = "branch_work"  # an officer's, sponsor's or member's work for the branch in chibo
BASIC = "basic"  # name, birth date, gender, category, stage, sponsor, notes, dates of each step
SENSITIVE = ("ethnicity", "religion")  # Decree 356/2025: named one by one, never implied
SENSITIVE_FLAGS = ("ethnic_minority", "religious")  # the candidate's columns that hold them
CHILD_AGE = 16  # under it, a parent's or guardian's consent
OWN_CONSENT_AGE = 7  # from it, a child's own consent as well
ACKNOWLEDGE_WORKING_DAYS = 2
ACT_WORKING_DAYS = 15


class GivenBy(StrEnum):
    self = "self"
    guardian = "guardian"  # a parent or guardian, for a child


class Method(StrEnum):
    chat = "chat"  # typed by the person themselves in their own linked chat
    paper = "paper"  # signed on paper; recorded by a secretary or deputy


class RequestKind(StrEnum):
    correct = "correct"
    withdraw = "withdraw"
    erase = "erase"


class Consent(SQLModel, table=True):
    """A candidate's consent (candidate_id), or an officer's, sponsor's or member's without a
    candidate record (person_id), given in chat with /dulieu."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    notice_version: str = Field(max_length=20)
    purposes: str = Field(max_length=80)
    categories: str = Field(max_length=80)  # "basic" or "basic,ethnicity,religion"
    given_by: GivenBy = enum_field()
    method: Method = enum_field()
    given_on: date  # the day typed or signed
    guardian_name: str | None = Field(default=None, max_length=120)
    guardian_relation: str | None = Field(default=None, max_length=40)
    recorded_by: int | None = Field(default=None, foreign_key="person.id")  # None: the person in chat
    at: datetime
    withdrawn_at: datetime | None = None


class DataRequest(SQLModel, table=True):
    """A person's request about their data: its day, its dues, and when it was answered. An
    officer's or member's request (no candidate record) names the organisation that answers it."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    org_id: int | None = Field(default=None, foreign_key="organisation.id")
    kind: RequestKind = enum_field()
    detail: str | None = Field(default=None, max_length=500)  # what to correct
    made_on: date
    acknowledge_by: date
    act_by: date
    acknowledged_on: date | None = None
    done_on: date | None = None
    outcome: str | None = Field(default=None, max_length=500)  # what was done, as the person is told
    answered_by: int | None = None  # the officer who marked it (a person's id; no key: see 0029)
    at: datetime


# ---- The rules (pure) ------------------------------------------------------------------------


def age_on(birth: date, day: date) -> int:
    """Whole years on `day` (one born on 29 February has a birthday on 1 March in other years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birthday_at(birth: date, years: int) -> date:
    """The day a person turns `years` (29 February: 1 March in a year without it)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


@dataclass(frozen=True)
class Needed:
    guardian: bool  # a parent's or guardian's consent
    own: bool  # the person's own


def consent_needed(birth: date, registered_on: date) -> Needed:
    """Whose consent: under 16 on the day of registration a guardian's, and the person's own
    from 7; from 16 the person's own only."""
    age = age_on(birth, registered_on)
    if age >= CHILD_AGE:
        return Needed(guardian=False, own=True)
    return Needed(guardian=True, own=age >= OWN_CONSENT_AGE)


def request_due(made_on: date) -> tuple[date, date]:
    """The last day to acknowledge a request, and the last to act on it (working days)."""
    return add_working_days(made_on, ACKNOWLEDGE_WORKING_DAYS), add_working_days(made_on, ACT_WORKING_DAYS)


def categories_of(sensitive: bool) -> str:
    return ",".join((BASIC, *SENSITIVE)) if sensitive else BASIC


@dataclass(frozen=True)
class Standing:
    """What the consents on file say about one candidate."""

    state: str  # "ok" | "missing" | "guardian_missing" | "own_missing" | "withdrawn"
    sensitive: bool  # ethnicity and religion named by a consent in force


def flag(st: Standing, linked: bool, recorded: bool) -> str | None:
    """What the secretary sees beside a person's name: why chibo may not yet use their data.
    Shown for a linked person or one with a consent on file (a register kept before chibo's
    notice shows nothing until then)."""
    if st.state == "ok" or not (linked or recorded):
        return None
    return st.state


def standing(consents: list[Consent], birth: date, registered_on: date) -> Standing:
    live = [c for c in consents if c.withdrawn_at is None]
    needed = consent_needed(birth, registered_on)
    has_guardian = any(c.given_by == GivenBy.guardian for c in live)
    has_own = any(c.given_by == GivenBy.self for c in live)
    sensitive = bool(live) and all(set(SENSITIVE) <= set(c.categories.split(",")) for c in live)
    if not live:
        return Standing("withdrawn" if consents else "missing", False)
    if needed.guardian and not has_guardian:
        return Standing("guardian_missing", False)
    if needed.own and not has_own:
        return Standing("own_missing", False)
    return Standing("ok", sensitive)


# ---- Queries ---------------------------------------------------------------------------------


async def consents_of(session: AsyncSession, candidate_id: int) -> list[Consent]:
    return list(await session.exec(select(Consent).where(Consent.candidate_id == candidate_id)
                                   .order_by(Consent.at, Consent.id)))


async def candidate_standing(session: AsyncSession, candidate: Candidate) -> Standing:
    return standing(await consents_of(session, candidate.id), candidate.birth_date,
                    candidate.created_at.date())


async def standings_of(session: AsyncSession, candidates: list[Candidate]) -> dict[int, Standing]:
    by_id: dict[int, list[Consent]] = {c.id: [] for c in candidates}
    if by_id:
        for row in await session.exec(select(Consent).where(Consent.candidate_id.in_(list(by_id)))):
            by_id[row.candidate_id].append(row)
    return {c.id: standing(by_id[c.id], c.birth_date, c.created_at.date()) for c in candidates}


def unconsented_flags(wanted: dict, allowed: bool) -> list[str]:
    """The sensitive flags a write would set (True) that no consent in force names: they are
    not to be stored (Decree 356/2025). Clearing one (False) is always allowed."""
    return [] if allowed else [f for f in SENSITIVE_FLAGS if wanted.get(f) is True]


async def flags_of(session: AsyncSession, candidates: list[Candidate]) -> dict[int, str | None]:
    """`flag` of each candidate, in one query."""
    recorded = set()
    if candidates:
        recorded = set((await session.exec(select(Consent.candidate_id).where(
            Consent.candidate_id.in_([c.id for c in candidates])))).all())
    standings = await standings_of(session, candidates)
    return {c.id: flag(standings[c.id], c.person_id is not None, c.id in recorded) for c in candidates}


async def waiting_candidate(session: AsyncSession, person_id: int | None) -> Candidate | None:
    """The candidate record of a linked person who is a candidate and has not consented in
    force (their own consent, in chat or on paper): until then chibo shows them only the notice."""
    if person_id is None:
        return None
    candidate = (await session.exec(select(Candidate).join(
        RoleGrant, sa.and_(RoleGrant.person_id == Candidate.person_id, RoleGrant.org_id == Candidate.branch_id,
                           RoleGrant.role == Role.candidate))
        .where(Candidate.person_id == person_id))).first()
    if candidate is None:
        return None
    own = (await session.exec(select(Consent.id).where(
        Consent.candidate_id == candidate.id, Consent.given_by == GivenBy.self,
        Consent.withdrawn_at.is_(None)))).first()
    return None if own else candidate


def waiting_people() -> sa.Select:
    """The people (ids) linked as candidates with no consent of their own in force: nothing but
    the notice goes to them, reminders included."""
    own = sa.select(Consent.candidate_id).where(Consent.candidate_id.is_not(None),  # NOT IN and NULL: no row
                                                Consent.given_by == GivenBy.self, Consent.withdrawn_at.is_(None))
    return (sa.select(Candidate.person_id)
            .where(Candidate.person_id.is_not(None), Candidate.id.not_in(own)))


def record(*, session: AsyncSession, candidate_id: int, given_by: GivenBy, method: Method, given_on: date,
           sensitive: bool, now: datetime, recorded_by: int | None = None, guardian_name: str | None = None,
           guardian_relation: str | None = None) -> Consent:
    consent = Consent(candidate_id=candidate_id, notice_version=NOTICE_VERSION, purposes=PURPOSES,
                      categories=categories_of(sensitive), given_by=given_by, method=method, given_on=given_on,
                      guardian_name=guardian_name, guardian_relation=guardian_relation,
                      recorded_by=recorded_by, at=now)
    session.add(consent)
    return consent


def record_own(*, session: AsyncSession, person_id: int, now: datetime, today: date) -> Consent:
    """An officer's, sponsor's or member's own consent, typed in chat (/dulieu): the basic data
    only (chibo holds no sensitive data about them)."""
    consent = Consent(person_id=person_id, notice_version=NOTICE_VERSION, purposes=OFFICER_PURPOSES,
                      categories=BASIC, given_by=GivenBy.self, method=Method.chat, given_on=today, at=now)
    session.add(consent)
    return consent


async def own_consents(session: AsyncSession, person_id: int) -> list[Consent]:
    """An officer's, sponsor's or member's consents in force (not a candidate's)."""
    return list(await session.exec(select(Consent).where(Consent.person_id == person_id,
                                                         Consent.withdrawn_at.is_(None))
                                   .order_by(Consent.at, Consent.id)))


async def withdraw_own(session: AsyncSession, person_id: int, now: datetime) -> int:
    result = await session.exec(sa.update(Consent).where(Consent.person_id == person_id,
                                                         Consent.withdrawn_at.is_(None))
                                .values(withdrawn_at=now).execution_options(synchronize_session=False))
    return result.rowcount


async def withdraw(session: AsyncSession, candidate_id: int, now: datetime) -> int:
    """End every consent of a candidate in force. Ethnicity and religion go with it: they are
    stored only while a consent in force names them (Decree 356/2025)."""
    result = await session.exec(sa.update(Consent).where(Consent.candidate_id == candidate_id,
                                                         Consent.withdrawn_at.is_(None))
                                .values(withdrawn_at=now).execution_options(synchronize_session=False))
    await session.exec(sa.update(Candidate).where(Candidate.id == candidate_id)
                       .values({flag: False for flag in SENSITIVE_FLAGS})
                       .execution_options(synchronize_session=False))
    return result.rowcount


def new_request(*, session: AsyncSession, candidate_id: int | None, person_id: int, kind: RequestKind,
                detail: str | None, today: date, now: datetime, org_id: int | None = None) -> DataRequest:
    acknowledge_by, act_by = request_due(today)
    request = DataRequest(candidate_id=candidate_id, person_id=person_id, org_id=org_id, kind=kind, detail=detail,
                          made_on=today, acknowledge_by=acknowledge_by, act_by=act_by, at=now)
    session.add(request)
    return request


class Answer(StrEnum):
    acknowledged = "acknowledged"  # received, being handled: the 2 working days are met
    done = "done"  # acted on, with what was done: nothing more is due


def answer(request: DataRequest, kind: Answer, *, today: date, by: int | None, outcome: str | None = None) -> None:
    """Mark a request acknowledged, or done (which acknowledges it too, if it was not)."""
    request.acknowledged_on = request.acknowledged_on or today
    request.answered_by = by
    if kind == Answer.done:
        request.done_on, request.outcome = today, outcome


def answering_org() -> sa.ColumnElement[int]:
    """The organisation that answers a request: the candidate's branch, or the one it names
    (an officer's or member's). Over DataRequest outer-joined with Candidate."""
    return sa.func.coalesce(DataRequest.org_id, Candidate.branch_id)


def with_whom(stmt: sa.Select) -> sa.Select:
    """A query over DataRequest, joined with the candidate (if any) and the person who asked."""
    return (stmt.outerjoin(Candidate, Candidate.id == DataRequest.candidate_id)
            .join(Person, Person.id == DataRequest.person_id))


def open_requests(org_ids: list[int]) -> sa.Select:
    """The requests these organisations answer not yet done, oldest first: (request, register
    number or None, name, the answering organisation)."""
    return (with_whom(sa.select(DataRequest, Candidate.number, sa.func.coalesce(Candidate.full_name, Person.full_name),
                                answering_org())
                      .select_from(DataRequest))
            .where(answering_org().in_(org_ids), DataRequest.done_on.is_(None))
            .order_by(DataRequest.made_on, DataRequest.id))


def overdue(today: date) -> sa.ColumnElement[bool]:
    """A request not done, past its day to act or (unanswered) past its day to acknowledge."""
    return sa.and_(DataRequest.done_on.is_(None),
                   sa.or_(DataRequest.act_by < today,
                          sa.and_(DataRequest.acknowledged_on.is_(None), DataRequest.acknowledge_by < today)))


async def overdue_requests_by_branch(session: AsyncSession, today: date) -> dict[int, int]:
    """How many requests about people's data are overdue, per branch (one grouped pass)."""
    branch = answering_org()
    rows = await session.exec(sa.select(branch, sa.func.count()).select_from(DataRequest)
                              .outerjoin(Candidate, Candidate.id == DataRequest.candidate_id)
                              .where(overdue(today)).group_by(branch))
    return dict(rows.all())
