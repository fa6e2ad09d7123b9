"""The facts of an admission as the branch records them, each checked against the rules.

The branch's vote (6-KNĐ), the committee's decision (9-KNĐ) or its refusal, the ceremony,
the new member's personal history, the recognition vote (13-KNĐ), the recognition decision
(16-KNĐ) or striking off, and a transfer. Each fact is a small value; `verify` says which rule
forbids it (pure), `record` writes it with its stage change (models.candidate.change_stage),
never committing.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import citations
from models import deadlines as d
from models.candidate import Candidate, change_stage, list_candidates
from models.dossier import AdmissionRecord, DossierEntry
from models.dossier_items import CURRENT_VERSION, Phase, check_items
from models.dossier_queries import file_dates
from models.eligibility import Introduction, check_age, check_certificate, vote_blockers
from models.introducers import introductions
from models.party_class import ClassKind
from models.pipeline import STAGE_CHANGERS, TRANSITIONS, check_transition, check_vote, check_vote_counts, vote_passes
from models.progress import certificate_on
from models import roster
from models.roster import MemberStatus, Standing, official_count
from models.rules import Refusal
from models.stage import Role, Stage
from models.workdays import DEFAULT_CALENDAR, WorkCalendar

# Where each command applies.
ADMISSION_STAGES: tuple[Stage, ...] = (Stage.dossier, Stage.proposed, Stage.admitted, Stage.probationary)
RECOGNITION_STAGES: tuple[Stage, ...] = (Stage.probationary,)
TRANSFER_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if Stage.transferred in TRANSITIONS[s])
# The StageChange.reason column holds at most this many characters ("where: note").
REASON_MAX = 500
TRANSFER_SEPARATOR = ": "


# ---- A candidate with the dates recorded for them ---------------------------------------

_DATE_FIELDS = frozenset({
    "stage_since", "birth_date", "certificate_on", "new_member_certificate_on", "resolution_on",
    "decision_on", "decision_received_on", "ceremony_on", "personal_history_on",
    "recognition_resolution_on", "decision_extended_on", "recognition_extended_on",
})


@dataclass(frozen=True)
class Subject:
    """One candidate and their admission record, as known when a conversation starts."""

    id: int
    number: int
    full_name: str
    branch_id: int
    stage: Stage
    stage_since: date
    birth_date: date
    youth_union: bool = False
    trade_union_route: bool = False  # the Trade Union committee introduces (AdmissionRecord)
    certificate_on: date | None = None  # CN-NTVĐ
    new_member_certificate_on: date | None = None
    resolution_on: date | None = None  # 6-KNĐ
    votes_for: int | None = None
    official_members: int | None = None
    decision_on: date | None = None  # 9-KNĐ
    decision_number: str | None = None
    decision_received_on: date | None = None
    decision_extended_on: date | None = None  # the committee gave itself 30 more working days
    ceremony_on: date | None = None
    personal_history_on: date | None = None
    recognition_resolution_on: date | None = None  # 13-KNĐ
    recognition_votes_for: int | None = None
    recognition_members: int | None = None
    recognition_extended_on: date | None = None
    # The admission file as the vote reads it (models.dossier_queries.file_dates) ...
    file: Mapping[str, date] = field(default_factory=dict)
    file_applies: tuple[str, ...] = ()
    version: str = CURRENT_VERSION
    # ... and the branch's roster (models/roster.py): empty when the branch keeps none.
    roster: tuple[Standing, ...] = ()
    # ... and who wrote the 3-KNĐ letters (models/introducers.py), with their standing.
    introducers: tuple[Introduction, ...] = ()

    @property
    def probation_start(self) -> date | None:
        """The ceremony; for a probationary member without one recorded, the day they became one."""
        if self.ceremony_on is not None:
            return self.ceremony_on
        return self.stage_since if self.stage == Stage.probationary else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Stage):
                value = value.value
            out[f.name] = value
        out["file"] = {code: dated.isoformat() for code, dated in self.file.items()}
        out["file_applies"] = list(self.file_applies)
        out["roster"] = [_standing_json(m) for m in self.roster]
        out["introducers"] = [[i.member_id, i.name, *_standing_json(i.standing), i.together_since.isoformat()]
                              for i in self.introducers]
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Subject":
        values = {k: (date.fromisoformat(v) if k in _DATE_FIELDS and v is not None else v)
                  for k, v in raw.items()}
        values["stage"] = Stage(values["stage"])
        values["file"] = {code: date.fromisoformat(v) for code, v in (raw.get("file") or {}).items()}
        values["file_applies"] = tuple(raw.get("file_applies") or ())
        values["roster"] = tuple(_standing_load(*m) for m in raw.get("roster") or ())
        values["introducers"] = tuple(
            Introduction(member_id, name, _standing_load(st, since, left), date.fromisoformat(together))
            for member_id, name, st, since, left, together in raw.get("introducers") or ())
        return cls(**values)

    @property
    def has_roster(self) -> bool:
        return bool(self.roster)

    def official_members_on(self, on: date) -> int | None:
        """The vote's denominator from the roster; None when the branch keeps no roster."""
        return official_count(self.roster, on) if self.roster else None


def _standing_json(m: Standing) -> list[str | None]:
    return [str(m.status), m.since.isoformat(), m.left_on.isoformat() if m.left_on else None]


def _standing_load(status: str, since: str, left: str | None) -> Standing:
    return Standing(MemberStatus(status), date.fromisoformat(since), date.fromisoformat(left) if left else None)


async def load_subject(
    *, session: AsyncSession, candidate_id: int, where: sa.ColumnElement[bool] | None = None,
) -> Subject | None:
    """The candidate (within `where`, when given) with every date recorded for them."""
    query = select(Candidate).where(Candidate.id == candidate_id)
    if where is not None:
        query = query.where(where)
    candidate = (await session.exec(query)).first()
    if candidate is None:
        return None
    record = await session.get(AdmissionRecord, candidate.id)
    awareness = await certificate_on(session=session, candidate_id=candidate.id, kind=ClassKind.awareness)
    new_member = await certificate_on(session=session, candidate_id=candidate.id, kind=ClassKind.new_member)
    known: dict[str, Any] = {}
    if record is not None:
        known = {name: getattr(record, name) for name in (
            "resolution_on", "votes_for", "official_members", "decision_on", "decision_number",
            "decision_received_on", "ceremony_on", "personal_history_on", "recognition_resolution_on",
            "recognition_votes_for", "recognition_members", "decision_extended_on", "recognition_extended_on")}
    file = await file_dates(session=session, candidate=candidate)
    return Subject(
        id=candidate.id, number=candidate.number, full_name=candidate.full_name,
        branch_id=candidate.branch_id, stage=Stage(candidate.stage), stage_since=candidate.stage_since,
        birth_date=candidate.birth_date, youth_union=candidate.youth_union, trade_union_route=file.trade_union,
        certificate_on=awareness, new_member_certificate_on=new_member, **known,
        file=file.present, file_applies=tuple(sorted(file.applies)), version=file.version,
        roster=await roster.standings(session, org_id=candidate.branch_id),
        introducers=await introductions(session, candidate_id=candidate.id),
    )


async def candidates_at(
    *, session: AsyncSession, where: sa.ColumnElement[bool], stages: tuple[Stage, ...],
    offset: int, limit: int,
) -> tuple[list[Candidate], int]:
    """One page of the candidates (within `where`) at these stages, and how many in all."""
    return await list_candidates(session=session, where=sa.and_(where, Candidate.stage.in_(stages)),
                                 offset=offset, limit=limit)


async def dossier_gaps(*, session: AsyncSession, subject: Subject, on: date) -> list[Refusal]:
    """What the checklist in chibo still lacks for a branch vote on `on` (a warning here)."""
    rows = await session.exec(select(DossierEntry).where(DossierEntry.candidate_id == subject.id))
    present = {e.item: e.dated for e in rows}
    if subject.certificate_on is not None:
        present.setdefault("CN-NTVĐ", subject.certificate_on)
    applicable = ("4-KNĐ",) if subject.youth_union or subject.trade_union_route else ()
    return [r for r in check_items(present, on=on, applicable=applicable) if r.code != "item_unknown"]


# ---- The deadlines that matter for a subject ---------------------------------------------

@dataclass(frozen=True)
class KeyDates:
    """The rule's dates for a subject and whether today is past them (None: not known yet)."""

    today: date
    certificate_expires: date | None = None
    decision_due: date | None = None
    ceremony_due: date | None = None
    probation_end: date | None = None
    history_due: date | None = None
    recognition_due: date | None = None
    recognition_decision_due: date | None = None
    party_age: d.PartyAge | None = None

    def overdue(self, name: str) -> bool:
        due = getattr(self, name)
        return due is not None and self.today > due

    @property
    def decision_overdue(self) -> bool:
        return self.overdue("decision_due")

    @property
    def ceremony_overdue(self) -> bool:
        return self.overdue("ceremony_due")

    @property
    def history_overdue(self) -> bool:
        return self.overdue("history_due")

    @property
    def recognition_overdue(self) -> bool:
        return self.overdue("recognition_due")

    @property
    def recognition_decision_overdue(self) -> bool:
        return self.overdue("recognition_decision_due")

    @property
    def probation_over(self) -> bool:
        return self.probation_end is not None and self.today >= self.probation_end


def key_dates(s: Subject, today: date, cal: WorkCalendar = DEFAULT_CALENDAR) -> KeyDates:
    start = s.probation_start
    return KeyDates(
        today=today,
        certificate_expires=s.certificate_on and d.certificate_expires_on(s.certificate_on),
        decision_due=s.resolution_on and d.admission_decision_due(
            s.resolution_on, cal, extended=s.decision_extended_on is not None),
        ceremony_due=s.decision_received_on and d.ceremony_due(s.decision_received_on, cal),
        probation_end=start and d.probation_end(start),
        history_due=start and d.personal_history_due(start, cal),
        recognition_due=start and d.recognition_branch_due(start, cal),
        recognition_decision_due=s.recognition_resolution_on and d.recognition_decision_due(
            s.recognition_resolution_on, cal, extended=s.recognition_extended_on is not None),
        party_age=d.party_age(s.decision_on, today) if s.decision_on and s.decision_on <= today else None,
    )


# ---- A branch vote that did not reach 2/3 ---------------------------------------------------

class FailedVote(SQLModel, table=True):
    """A branch vote that fell short of 2/3 of the official members: on proposing admission
    (kind "admission") or on proposing recognition as an official member ("recognition").

    Kept with its date and counts; the person stays where they are (dossier, or probationary),
    and the branch may vote again later (each vote its own row)."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: str = Field(default="admission", max_length=20)
    on: date
    votes_for: int
    official_members: int
    # True: typed and confirmed by the secretary (no roster); False: counted from the roster;
    # None: recorded before the roster existed (or, for a recognition vote, before migration 0033).
    official_members_typed: bool | None = None
    by_person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime


async def failed_votes(*, session: AsyncSession, candidate_id: int) -> list[FailedVote]:
    """The failed branch votes on this candidate, newest first."""
    rows = await session.exec(select(FailedVote).where(FailedVote.candidate_id == candidate_id)
                              .order_by(FailedVote.on.desc(), FailedVote.id.desc()))
    return list(rows)


# ---- The facts ----------------------------------------------------------------------------

@dataclass(frozen=True)
class BranchVote:
    """The branch's resolution proposing admission (6-KNĐ): dossier → proposed. `typed`: the
    official members were typed and confirmed by the secretary (the branch keeps no roster),
    not counted from the roster."""

    on: date
    votes_for: int
    official_members: int
    typed: bool = False


@dataclass(frozen=True)
class BranchVoteFailed:
    """The branch voted on proposing admission and fewer than 2/3 of its official members agreed:
    kept as such (FailedVote); the candidate stays in dossier."""

    on: date
    votes_for: int
    official_members: int
    typed: bool = False


def branch_vote(on: date, votes_for: int, official_members: int,
                typed: bool = False) -> "BranchVote | BranchVoteFailed":
    """The fact a branch vote makes: a resolution proposing admission, or a failed vote."""
    if check_vote_counts(votes_for, official_members) is None and not vote_passes(votes_for, official_members):
        return BranchVoteFailed(on=on, votes_for=votes_for, official_members=official_members, typed=typed)
    return BranchVote(on=on, votes_for=votes_for, official_members=official_members, typed=typed)


def members_refusal(s: Subject, on: date, official_members: int, typed: bool) -> Refusal | None:
    """The vote's denominator is the roster's official members on the vote's day; typed by the
    secretary only where the branch keeps no roster (models/roster.py, citations.BRANCH_VOTE)."""
    counted = s.official_members_on(on)
    if counted is None and not typed:
        return Refusal("members_unconfirmed", {"sources": citations.BRANCH_VOTE})
    if counted is not None and (typed or official_members != counted):
        return Refusal("members_not_roster", {"on": on, "counted": counted, "official_members": official_members,
                                              "sources": citations.BRANCH_VOTE})
    return None


@dataclass(frozen=True)
class Decision:
    """The committee admits (9-KNĐ), and the day the branch received it: proposed → admitted."""

    on: date
    number: str
    received_on: date


@dataclass(frozen=True)
class DecisionRefused:
    """The committee does not admit: back to dossier, with its reason."""

    on: date
    reason: str


@dataclass(frozen=True)
class Ceremony:
    """The admission ceremony: admitted → probationary. `consent` and `consent_on`: the committee
    above's agreement to a late ceremony (who gave it, its paper; and when), as the secretary wrote it."""

    on: date
    consent: str | None = None
    consent_on: date | None = None


class Extended(StrEnum):
    """Which of the committee's decisions it gave itself 30 more working days for."""

    decision = "decision"  # the admission decision (294-QĐ/TW 4.3)
    recognition = "recognition"  # the recognition decision (294-QĐ/TW 4.2)


@dataclass(frozen=True)
class Extension:
    """The committee extends its time to decide by 30 working days, on a day, by its paper.

    Recorded by the branch's secretary or deputy from the committee's paper, as they record the
    committee's decisions themselves (9-KNĐ, 16-KNĐ): no stage changes."""

    kind: Extended
    on: date
    by: str


@dataclass(frozen=True)
class PersonalHistory:
    """The new member declared their personal history (lý lịch đảng viên)."""

    on: date


@dataclass(frozen=True)
class RecognitionVote:
    """The branch's resolution proposing recognition (13-KNĐ); the member stays probationary.
    `typed`: as BranchVote's, the official members typed and confirmed (no roster)."""

    on: date
    votes_for: int
    official_members: int
    typed: bool = False


@dataclass(frozen=True)
class RecognitionVoteFailed:
    """The branch voted on proposing recognition and fewer than 2/3 of its official members
    agreed: kept as such (FailedVote, kind "recognition"); the member stays probationary."""

    on: date
    votes_for: int
    official_members: int
    typed: bool = False


def recognition_vote(on: date, votes_for: int, official_members: int,
                     typed: bool = False) -> "RecognitionVote | RecognitionVoteFailed":
    """The fact a recognition vote makes: a resolution proposing recognition, or a failed vote."""
    if check_vote_counts(votes_for, official_members) is None and not vote_passes(votes_for, official_members):
        return RecognitionVoteFailed(on=on, votes_for=votes_for, official_members=official_members, typed=typed)
    return RecognitionVote(on=on, votes_for=votes_for, official_members=official_members, typed=typed)


@dataclass(frozen=True)
class Recognition:
    """The committee recognises the member (16-KNĐ): probationary → official."""

    on: date
    number: str


@dataclass(frozen=True)
class StrikeOff:
    """A probationary member who does not qualify is struck off (xóa tên): → removed."""

    on: date
    reason: str


@dataclass(frozen=True)
class Transfer:
    """Moved or graduated: → transferred, the reason holding "where: note"."""

    on: date
    destination: str
    note: str | None = None

    @property
    def reason(self) -> str:
        return f"{self.destination}{TRANSFER_SEPARATOR}{self.note}" if self.note else self.destination


Fact = (BranchVote | BranchVoteFailed | Decision | DecisionRefused | Ceremony | PersonalHistory | RecognitionVote
        | RecognitionVoteFailed | Recognition | StrikeOff | Transfer | Extension)

# Where a fact may be recorded.
APPLIES_AT: dict[type, tuple[Stage, ...]] = {
    BranchVote: (Stage.dossier,),
    BranchVoteFailed: (Stage.dossier,),
    Decision: (Stage.proposed,),
    DecisionRefused: (Stage.proposed,),
    Ceremony: (Stage.admitted,),
    PersonalHistory: (Stage.probationary,),
    RecognitionVote: (Stage.probationary,),
    RecognitionVoteFailed: (Stage.probationary,),
    Recognition: (Stage.probationary,),
    StrikeOff: (Stage.probationary,),
    Transfer: TRANSFER_STAGES,
    Extension: (Stage.proposed, Stage.probationary),
}


def moves_to(fact: Fact) -> tuple[Stage, date, str | None] | None:
    """The stage change a fact makes: (to, on, reason), or None."""
    match fact:
        case BranchVote():
            return Stage.proposed, fact.on, None
        case Decision():
            return Stage.admitted, fact.received_on, None
        case DecisionRefused():
            return Stage.dossier, fact.on, fact.reason
        case Ceremony():
            return Stage.probationary, fact.on, fact.consent
        case Recognition():
            return Stage.official, fact.on, None
        case StrikeOff():
            return Stage.removed, fact.on, fact.reason
        case Transfer():
            return Stage.transferred, fact.on, fact.reason
    return None


# ---- The checks, one date at a time (a conversation asks again at once) and whole -----------

def _not_before(on: date, earliest: date | None, what: str) -> Refusal | None:
    if earliest is not None and on < earliest:
        return Refusal("admission_date_before", {"on": on, "earliest": earliest, "what": what})
    return None


def _after_last_change(s: Subject, on: date) -> Refusal | None:
    if on < s.stage_since:
        return Refusal("before_last_change", {"on": on, "last_change_on": s.stage_since})
    return None


def file_problems(s: Subject, on: date | None) -> list[Refusal]:
    """What of the admission file stops a vote on `on` (eligibility.vote_blockers, the one list
    /denghiketnap shows; age and the certificate's validity are refused on their own); with no
    day, only what is missing whatever the day (the certificate too). The introducers are read
    against the roster: where the branch keeps none, they cannot be (nor recorded, /ghihoso)."""
    found = vote_blockers(birth=s.birth_date, on=on or date.max, present=s.file, applicable=s.file_applies,
                          version=s.version, introductions=s.introducers if s.has_roster else None,
                          youth_union_member=s.youth_union, trade_union=s.trade_union_route)
    if on is None:
        return [r for r in found if r.code in ("item_missing", "no_certificate", "introducers_missing",
                                               "introducer_twice")]
    return [r for r in found if r.code.startswith(("item_", "introducer"))]


def file_refusal(s: Subject, on: date | None = None) -> Refusal | None:
    """One refusal naming every missing or stale item of the file and how to record it."""
    problems = file_problems(s, on)
    if not problems:
        return None
    sources = citations.ADMISSION_FILE + (
        citations.DOSSIER_AGE if any(r.code == "item_too_old" for r in problems) else ())
    return Refusal("vote_file_incomplete", {
        "problems": [{"code": r.code, "v": dict(r.values)} for r in problems], "number": s.number,
        "on": on, "sources": sources})


def vote_date_refusal(s: Subject, on: date) -> Refusal | None:
    """Eligible on the day the branch meets: age (18–60, in months), a valid certificate, a
    complete file whose 3/4/5-KNĐ are at most 12 months old."""
    return (check_age(s.birth_date, on) or check_certificate(s.certificate_on, on) or _after_last_change(s, on)
            or file_refusal(s, on))


def decision_date_refusal(s: Subject, on: date) -> Refusal | None:
    return _not_before(on, s.resolution_on, "resolution")


def received_date_refusal(s: Subject, decision_on: date | None, on: date) -> Refusal | None:
    return (_not_before(on, decision_on, "decision") or _not_before(on, s.resolution_on, "resolution")
            or _after_last_change(s, on))


def refused_date_refusal(s: Subject, on: date) -> Refusal | None:
    return _not_before(on, s.resolution_on, "resolution") or _after_last_change(s, on)


def ceremony_date_refusal(s: Subject, on: date) -> Refusal | None:
    return (_not_before(on, s.decision_received_on, "received") or _not_before(on, s.decision_on, "decision")
            or _after_last_change(s, on))


def ceremony_is_late(s: Subject, on: date, cal: WorkCalendar = DEFAULT_CALENDAR) -> bool:
    """Later than 30 working days after receiving the decision: needs the committee above's consent."""
    return s.decision_received_on is not None and on > d.ceremony_due(s.decision_received_on, cal)


def consent_refusal(s: Subject, on: date, consent: str | None, consent_on: date | None,
                    cal: WorkCalendar = DEFAULT_CALENDAR) -> Refusal | None:
    """A ceremony later than 30 working days after the decision reached the branch is recorded
    only with the committee above's consent (294-QĐ/TW 4.1): who gave it and when, a day between
    receiving the decision and the ceremony (a consent is asked for before holding it late)."""
    if not ceremony_is_late(s, on, cal):
        return None
    due = d.ceremony_due(s.decision_received_on, cal)
    if not (consent and consent.strip()) or consent_on is None:
        return Refusal("ceremony_consent_missing", {"on": on, "due": due, "sources": citations.CEREMONY})
    if consent_on > on:
        return Refusal("consent_after_ceremony", {"consent_on": consent_on, "on": on})
    return _not_before(consent_on, s.decision_received_on, "received")


def already_extended(s: Subject, kind: Extended) -> Refusal | None:
    """The committee extends its time once only, by 30 working days (294-QĐ/TW 4.3 for the
    admission decision, 4.2 for recognition; rules.*_EXTENSION_WORKING_DAYS)."""
    if kind == Extended.decision:
        already, sources = s.decision_extended_on, citations.ADMISSION_DECISION
    else:
        already, sources = s.recognition_extended_on, citations.RECOGNITION_DECISION
        if s.recognition_resolution_on is None:
            return Refusal("admission_no_recognition_vote", {})
    if already is not None:
        return Refusal("extension_already", {"kind": str(kind), "on": already, "sources": sources})
    return None


def extension_refusal(s: Subject, kind: Extended, on: date) -> Refusal | None:
    """Extended once, on a day not before the branch's resolution it answers (nor in the future:
    `verify` says so with every fact's date)."""
    if kind == Extended.decision:
        since, what = s.resolution_on, "resolution"
    else:
        since, what = s.recognition_resolution_on, "recognition_resolution"
    return already_extended(s, kind) or _not_before(on, since, what)


def history_date_refusal(s: Subject, on: date) -> Refusal | None:
    return _not_before(on, s.probation_start, "ceremony")


NEW_MEMBER_CERTIFICATE = "CN-ĐVM"


def recognition_file_problems(s: Subject, on: date) -> list[Refusal]:
    """What of the recognition file stops the branch's recognition vote on `on` (dossier_items,
    phase recognition): the new-member class certificate (typed in, or a class's result) and
    10-KNĐ..12-KNĐ, each recorded and dated no later than the vote."""
    present = dict(s.file)
    if s.new_member_certificate_on is not None:
        typed = present.get(NEW_MEMBER_CERTIFICATE)
        present[NEW_MEMBER_CERTIFICATE] = max(s.new_member_certificate_on, typed or s.new_member_certificate_on)
    return [r for r in check_items(present, on=on, version=s.version, phase=Phase.recognition)
            if r.code != "item_unknown"]


def recognition_file_refusal(s: Subject, on: date) -> Refusal | None:
    """One refusal naming every missing item of the recognition file and how to record it."""
    problems = recognition_file_problems(s, on)
    if not problems:
        return None
    return Refusal("recognition_file_incomplete", {
        "problems": [{"code": r.code, "v": dict(r.values)} for r in problems], "number": s.number, "on": on,
        "sources": citations.RECOGNITION_FILE})


def recognition_vote_date_refusal(s: Subject, on: date) -> Refusal | None:
    """The branch considers recognition only once the 12 months of probation are complete, and
    with the recognition file complete on the vote's day."""
    start = s.probation_start
    if start is not None and on < d.probation_end(start):
        return Refusal("admission_probation_not_over", {
            "on": on, "probation_end": d.probation_end(start), "sources": citations.PROBATION})
    return _after_last_change(s, on) or recognition_file_refusal(s, on)


def recognition_vote_is_late(s: Subject, on: date, cal: WorkCalendar = DEFAULT_CALENDAR) -> bool:
    start = s.probation_start
    return start is not None and on > d.recognition_branch_due(start, cal)


def recognition_date_refusal(s: Subject, on: date) -> Refusal | None:
    return _not_before(on, s.recognition_resolution_on, "recognition_resolution") or _after_last_change(s, on)


def strike_date_refusal(s: Subject, on: date) -> Refusal | None:
    return _after_last_change(s, on)


def transfer_date_refusal(s: Subject, on: date) -> Refusal | None:
    return _after_last_change(s, on)


def transfer_refusal(s: Subject) -> Refusal | None:
    """May this candidate be transferred at all (models.pipeline.TRANSITIONS)?"""
    if s.stage == Stage.transferred:
        return Refusal("same_stage", {"stage": s.stage})
    if Stage.transferred not in TRANSITIONS[s.stage]:
        allowed = tuple(x for x in Stage if x in TRANSITIONS[s.stage])
        return Refusal("transition_not_allowed",
                       {"from_stage": s.stage, "to_stage": Stage.transferred, "allowed": allowed})
    return None


def transfer_note_room(destination: str) -> int:
    """How long the hand-over note may be beside the destination in the stage change's reason."""
    return REASON_MAX - len(destination) - len(TRANSFER_SEPARATOR)


def verify(s: Subject, fact: Fact, *, today: date, actor_roles: frozenset[Role]) -> Refusal | None:
    """None if the fact may be recorded for this subject now; else the first rule it breaks."""
    if s.stage not in APPLIES_AT[type(fact)]:
        return Refusal("admission_wrong_stage", {"stage": s.stage, "allowed": APPLIES_AT[type(fact)],
                                                "who": f"{s.number}. {s.full_name}"})
    if not actor_roles & STAGE_CHANGERS:
        return Refusal("not_secretary_or_deputy", {"roles": tuple(sorted(actor_roles))})
    refusal = _fact_refusal(s, fact)
    if refusal:
        return refusal
    move = moves_to(fact)
    if move is not None:
        to_stage, on, reason = move
        return check_transition(s.stage, to_stage, actor_roles=actor_roles, on=on, today=today,
                                last_change_on=s.stage_since, reason=reason)
    if fact.on > today:
        return Refusal("date_in_future", {"on": fact.on, "today": today})
    return None


def _fact_refusal(s: Subject, fact: Fact) -> Refusal | None:
    match fact:
        case BranchVote():
            return (vote_date_refusal(s, fact.on) or members_refusal(s, fact.on, fact.official_members, fact.typed)
                    or check_vote(fact.votes_for, fact.official_members))
        case BranchVoteFailed():
            refusal = (vote_date_refusal(s, fact.on)
                       or members_refusal(s, fact.on, fact.official_members, fact.typed)
                       or check_vote_counts(fact.votes_for, fact.official_members))
            if refusal is None and vote_passes(fact.votes_for, fact.official_members):
                raise ValueError("a vote that reaches 2/3 is a BranchVote")
            return refusal
        case Decision():
            return decision_date_refusal(s, fact.on) or received_date_refusal(s, fact.on, fact.received_on)
        case DecisionRefused():
            return refused_date_refusal(s, fact.on)
        case Ceremony():
            return (ceremony_date_refusal(s, fact.on)
                    or consent_refusal(s, fact.on, fact.consent, fact.consent_on))
        case Extension():
            if (fact.kind == Extended.decision) != (s.stage == Stage.proposed):
                return Refusal("admission_wrong_stage", {"stage": s.stage, "allowed": APPLIES_AT[Extension],
                                                        "who": f"{s.number}. {s.full_name}"})
            return extension_refusal(s, fact.kind, fact.on)
        case PersonalHistory():
            return history_date_refusal(s, fact.on)
        case RecognitionVote():
            if s.recognition_resolution_on is not None:
                return Refusal("admission_already_recorded", {"on": s.recognition_resolution_on})
            return (recognition_vote_date_refusal(s, fact.on)
                    or members_refusal(s, fact.on, fact.official_members, fact.typed)
                    or check_vote(fact.votes_for, fact.official_members))
        case RecognitionVoteFailed():
            if s.recognition_resolution_on is not None:
                return Refusal("admission_already_recorded", {"on": s.recognition_resolution_on})
            refusal = (recognition_vote_date_refusal(s, fact.on)
                       or members_refusal(s, fact.on, fact.official_members, fact.typed)
                       or check_vote_counts(fact.votes_for, fact.official_members))
            if refusal is None and vote_passes(fact.votes_for, fact.official_members):
                raise ValueError("a vote that reaches 2/3 is a RecognitionVote")
            return refusal
        case Recognition():
            if s.recognition_resolution_on is None:
                return Refusal("admission_no_recognition_vote", {})
            return recognition_date_refusal(s, fact.on)
        case StrikeOff():
            return strike_date_refusal(s, fact.on)
        case Transfer():
            if len(fact.reason) > REASON_MAX:
                return Refusal("transfer_too_long", {"max_len": REASON_MAX, "length": len(fact.reason)})
            return transfer_refusal(s) or transfer_date_refusal(s, fact.on)
    raise TypeError(type(fact))


# ---- Recording ------------------------------------------------------------------------------

async def record(
    *, session: AsyncSession, candidate_id: int, fact: Fact, actor_roles: frozenset[Role],
    by_person_id: int | None, now: datetime, today: date,
) -> Refusal | None:
    """Check the fact against the rules, change the stage it moves, keep its dates and counts."""
    subject = await load_subject(session=session, candidate_id=candidate_id)
    candidate = await session.get(Candidate, candidate_id)
    if subject is None or candidate is None:
        raise LookupError(candidate_id)
    refusal = verify(subject, fact, today=today, actor_roles=actor_roles)
    if refusal:
        return refusal
    move = moves_to(fact)
    if move is not None:
        to_stage, on, reason = move
        refusal = await change_stage(session=session, candidate=candidate, to_stage=to_stage, on=on,
                                     today=today, reason=reason, actor_roles=actor_roles,
                                     by_person_id=by_person_id, now=now)
        if refusal:
            return refusal
    await _roster_follows(session, candidate, fact, now)
    if isinstance(fact, Transfer):
        return None
    if isinstance(fact, BranchVoteFailed | RecognitionVoteFailed):
        kind = "admission" if isinstance(fact, BranchVoteFailed) else "recognition"
        session.add(FailedVote(candidate_id=candidate_id, kind=kind, on=fact.on, votes_for=fact.votes_for,
                               official_members=fact.official_members, by_person_id=by_person_id, at=now,
                               official_members_typed=fact.typed))
        await session.flush()
        return None
    row = await session.get(AdmissionRecord, candidate_id) or AdmissionRecord(
        candidate_id=candidate_id, updated_at=now)
    _write(row, fact)
    row.updated_at = now
    session.add(row)
    await session.flush()
    return None


async def _roster_follows(session: AsyncSession, c: Candidate, fact: Fact, now: datetime) -> None:
    """The branch's roster follows what chibo records: admitted at the ceremony (probationary),
    official at the recognition, gone when struck off or moved away."""
    who = {"org_id": c.branch_id, "candidate_id": c.id, "full_name": c.full_name, "person_id": c.person_id,
           "on": fact.on, "now": now}
    match fact:
        case Ceremony():
            await roster.admitted(session, **who)
        case Recognition():
            await roster.promote(session, **who)
        case StrikeOff():
            await roster.leave_by_candidate(session, candidate_id=c.id, on=fact.on, now=now,
                                            reason=roster.LeftReason.struck_off)
        case Transfer():
            await roster.leave_by_candidate(session, candidate_id=c.id, on=fact.on, now=now,
                                            reason=roster.LeftReason.moved, moved_to=fact.destination)


def _write(row: AdmissionRecord, fact: Fact) -> None:
    match fact:
        case BranchVote():
            row.resolution_on, row.votes_for, row.official_members = fact.on, fact.votes_for, fact.official_members
            row.official_members_typed = fact.typed
            # A new proposal after a refusal: the earlier decision's facts no longer stand.
            row.refused_reason = row.decision_on = row.decision_number = row.decision_received_on = None
        case Decision():
            row.decision_on, row.decision_number = fact.on, fact.number
            row.decision_received_on, row.refused_reason = fact.received_on, None
        case DecisionRefused():
            row.refused_reason = fact.reason
        case Ceremony():
            row.ceremony_on = fact.on
            row.ceremony_consent_on, row.ceremony_consent_by = fact.consent_on, fact.consent
        case Extension() if fact.kind == Extended.decision:
            row.decision_extended_on, row.decision_extended_by = fact.on, fact.by
        case Extension():
            row.recognition_extended_on, row.recognition_extended_by = fact.on, fact.by
        case PersonalHistory():
            row.personal_history_on = fact.on
        case RecognitionVote():
            row.recognition_resolution_on = fact.on
            row.recognition_votes_for, row.recognition_members = fact.votes_for, fact.official_members
            row.recognition_members_typed = fact.typed
        case Recognition():
            row.recognition_decision_on, row.recognition_number = fact.on, fact.number
        case StrikeOff():
            row.struck_off_reason = fact.reason
