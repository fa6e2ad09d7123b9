"""A candidate's admission dossier as a checklist: what is recorded, what is missing or too old.

The items and their rules are models/dossier_items.py; this module reads and writes the
DossierEntry rows and the start of the dossier (AdmissionRecord.dossier_started_on).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.deadlines import dossier_age_notice, probation_end
from models.dossier import AdmissionRecord, DossierEntry
from models.dossier_items import CURRENT_VERSION, Phase, check_items, item_notices, items
from models.eligibility import Introduction, vote_blockers
from models.introducers import introductions
from models.roster import has_roster
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.rules import Notice, Refusal
from models.stage import Stage

# After the branch's vote the admission file is closed: missing entries are only unrecorded.
AFTER_VOTE = frozenset({Stage.proposed, Stage.admitted, Stage.probationary, Stage.official})
CERTIFICATE = "CN-NTVĐ"
UNION_RESOLUTION = "4-KNĐ"
# Recorded with the branch's vote and the committee's decision (/ketnap), not as entries.
FROM_RECORD: dict[str, str] = {"6-KNĐ": "resolution_on", "9-KNĐ": "decision_on"}
# The recognition file's: with the recognition vote and decision (/chinhthuc).
RECOGNITION_FROM_RECORD: dict[str, str] = {"13-KNĐ": "recognition_resolution_on", "16-KNĐ": "recognition_decision_on"}
NEW_MEMBER_CERTIFICATE = "CN-ĐVM"


@dataclass(frozen=True)
class ItemState:
    code: str
    before_vote: bool
    conditional: bool
    applies: bool  # a conditional item that applies to this person (or any other item)
    dated: date | None = None
    holder: str | None = None
    source: str | None = None  # "entry", "class" (the certificate of a class), "record"
    certificate_number: str | None = None
    class_title: str | None = None
    # "ok", "missing", "expired", "too_old", "not_applicable", "not_yet" (after the vote)
    status: str = "ok"
    notice: Notice | None = None


@dataclass(frozen=True)
class Dossier:
    candidate: Candidate
    version: str
    started_on: date | None
    items: tuple[ItemState, ...]
    refusals: tuple[Refusal, ...]  # what blocks a branch vote today (check_items)
    notices: tuple[Notice, ...] = field(default=())
    certificate_on: date | None = None
    voted: bool = False  # the branch has voted (AFTER_VOTE): nothing is due any more
    file: "FileDates | None" = None
    introducers: tuple[Introduction, ...] = ()  # who wrote the 3-KNĐ letters (models/introducers.py)
    has_roster: bool = False  # the branch keeps a roster: the introducers are read against it
    phase: Phase = Phase.admission
    # The recognition file only: the admission's dates that close the admission file (6-KNĐ,
    # 9-KNĐ, the ceremony) and the end of the 12 months of probation.
    admitted: dict[str, date | None] = field(default_factory=dict)


async def _certificate(session: AsyncSession, candidate_id: int,
                       kind: ClassKind = ClassKind.awareness) -> tuple[date, str | None, str] | None:
    """The latest certificate of a class of this kind recorded with the class: date, number, class title."""
    row = (await session.exec(
        sa.select(Enrollment.certificate_on, Enrollment.certificate_number, PartyClass.title)
        .join(PartyClass, PartyClass.id == Enrollment.class_id)
        .where(Enrollment.candidate_id == candidate_id, PartyClass.kind == kind,
               Enrollment.status == EnrollmentStatus.passed, Enrollment.certificate_on.is_not(None))
        .order_by(Enrollment.certificate_on.desc()).limit(1))).first()
    return (row[0], row[1], row[2]) if row else None


async def entries(*, session: AsyncSession, candidate_id: int) -> dict[str, DossierEntry]:
    rows = await session.exec(sa.select(DossierEntry).where(DossierEntry.candidate_id == candidate_id))
    return {e.item: e for e in rows.scalars()}


def applicable_items(candidate: Candidate, present: dict[str, date], version: str,
                     trade_union: bool = False) -> set[str]:
    """Conditional items that apply: the union's resolution for a Youth Union member (or on the
    Trade Union route), and any conditional item already recorded."""
    conditional = {i.code for i in items(version) if i.conditional}
    applies = {c for c in conditional if c in present}
    if (candidate.youth_union or trade_union) and UNION_RESOLUTION in conditional:
        applies.add(UNION_RESOLUTION)
    return applies


def _present(found: dict[str, DossierEntry], record: AdmissionRecord | None,
             certificate: tuple[date, str | None, str] | None) -> tuple[dict[str, date], bool]:
    """Each item's date as the file holds it (entries, the vote and decision from the record, the
    latest class certificate), and whether the certificate is a class's."""
    present = {code: e.dated for code, e in found.items()}
    for code, column in FROM_RECORD.items():
        if record is not None and getattr(record, column) is not None:
            present[code] = getattr(record, column)
    from_class = certificate is not None and (CERTIFICATE not in present or certificate[0] >= present[CERTIFICATE])
    if from_class:
        present[CERTIFICATE] = certificate[0]
    return present, from_class


@dataclass(frozen=True)
class FileDates:
    """What the branch's vote reads of a candidate's file: each item's date, the conditional
    items that apply, the checklist's version."""

    present: dict[str, date]
    applies: frozenset[str]
    version: str = CURRENT_VERSION
    trade_union: bool = False  # introduced on the Trade Union route (AdmissionRecord.trade_union_route)


async def file_dates(*, session: AsyncSession, candidate: Candidate) -> FileDates:
    record = await session.get(AdmissionRecord, candidate.id)
    version = record.version if record else CURRENT_VERSION
    found = await entries(session=session, candidate_id=candidate.id)
    present, _ = _present(found, record, await _certificate(session, candidate.id))
    trade_union = bool(record and record.trade_union_route)
    return FileDates(present=present, applies=frozenset(applicable_items(candidate, present, version, trade_union)),
                     version=version, trade_union=trade_union)


async def dossier(*, session: AsyncSession, candidate: Candidate, today: date) -> Dossier:
    """The admission checklist of one candidate on `today`, in the file's order."""
    record = await session.get(AdmissionRecord, candidate.id)
    version = record.version if record else CURRENT_VERSION
    found = await entries(session=session, candidate_id=candidate.id)
    certificate = await _certificate(session, candidate.id)
    present, from_class = _present(found, record, certificate)
    trade_union = bool(record and record.trade_union_route)
    applies = applicable_items(candidate, present, version, trade_union)
    refusals = check_items(present, on=today, version=version, phase=Phase.admission, applicable=applies)
    problems = {r.values.get("item"): r for r in refusals}
    voted = Stage(candidate.stage) in AFTER_VOTE
    notices = {} if voted else {n.values["item"]: n for n in item_notices(present, today=today, version=version)}
    states = []
    for item in items(version, Phase.admission):
        entry = found.get(item.code)
        applies_here = not item.conditional or item.code in applies
        problem = problems.get(item.code)
        if problem is not None:
            status = {"item_expired": "expired", "item_too_old": "too_old"}.get(problem.code, "missing")
        elif item.code not in present:
            status = "not_yet" if not item.before_vote else "not_applicable"
        else:
            status = "ok"
        source, holder = _source(item.code, entry, present, from_class=from_class and item.code == CERTIFICATE,
                                 from_record=FROM_RECORD)
        states.append(ItemState(
            code=item.code, before_vote=item.before_vote, conditional=item.conditional, applies=applies_here,
            dated=present.get(item.code), holder=holder, source=source,
            certificate_number=certificate[1] if source == "class" else None,
            class_title=certificate[2] if source == "class" else None,
            status=status, notice=notices.get(item.code)))
    age = (dossier_age_notice(record.dossier_started_on, today, version)
           if record and record.dossier_started_on and not voted else None)
    return Dossier(candidate=candidate, version=version,
                   started_on=record.dossier_started_on if record else None,
                   items=tuple(states), refusals=tuple(refusals), notices=(age,) if age else (),
                   certificate_on=present.get(CERTIFICATE), voted=voted,
                   file=FileDates(present=present, applies=frozenset(applies), version=version,
                                  trade_union=trade_union),
                   introducers=await introductions(session, candidate_id=candidate.id),
                   has_roster=await has_roster(session=session, org_id=candidate.branch_id))


def _source(code: str, entry, present: dict, *, from_class: bool, from_record) -> tuple[str | None, str | None]:
    """Where an item's date comes from, and who holds the paper: a class's result, a column of the
    admission record (a step recorded elsewhere), or the secretary's own entry."""
    if from_class:
        return "class", None
    if code in from_record and entry is None and code in present:
        return "record", None
    return ("entry", entry.holder) if entry else (None, None)


async def recognition_dossier(*, session: AsyncSession, candidate: Candidate, today: date) -> Dossier:
    """A probationary member's recognition file on `today` (issue 13 item 4): the new-member
    class certificate (typed in, or a class's result, the later) and 10-KNĐ..12-KNĐ before the
    branch's recognition vote, then 13-KNĐ..16-KNĐ; the admission file is closed (its dates in
    `admitted`). The same rules as the vote (check_items, phase recognition)."""
    record = await session.get(AdmissionRecord, candidate.id)
    version = record.version if record else CURRENT_VERSION
    found = await entries(session=session, candidate_id=candidate.id)
    certificate = await _certificate(session, candidate.id, ClassKind.new_member)
    present = {code: e.dated for code, e in found.items()}
    for code, column in RECOGNITION_FROM_RECORD.items():
        if record is not None and getattr(record, column) is not None:
            present[code] = getattr(record, column)
    typed = present.get(NEW_MEMBER_CERTIFICATE)
    from_class = certificate is not None and (typed is None or certificate[0] >= typed)
    if from_class:
        present[NEW_MEMBER_CERTIFICATE] = certificate[0]
    voted = record is not None and record.recognition_resolution_on is not None
    refusals = [] if voted else [r for r in check_items(present, on=today, version=version, phase=Phase.recognition)
                                 if r.code != "item_unknown"]
    problems = {r.values.get("item"): r for r in refusals}
    states = []
    for item in items(version, Phase.recognition):
        entry = found.get(item.code)
        if item.code in problems:
            status = "missing"
        elif item.code not in present:
            status = "not_yet" if not item.before_vote or voted else "missing"
        else:
            status = "ok"
        source, holder = _source(item.code, entry, present,
                                 from_class=from_class and item.code == NEW_MEMBER_CERTIFICATE,
                                 from_record=RECOGNITION_FROM_RECORD)
        states.append(ItemState(
            code=item.code, before_vote=item.before_vote, conditional=item.conditional, applies=True,
            dated=present.get(item.code), holder=holder, source=source,
            certificate_number=certificate[1] if source == "class" else None,
            class_title=certificate[2] if source == "class" else None, status=status))
    admitted = {"resolution_on": record.resolution_on if record else None,
                "decision_on": record.decision_on if record else None,
                "ceremony_on": record.ceremony_on if record else None}
    admitted["probation_end"] = probation_end(admitted["ceremony_on"]) if admitted["ceremony_on"] else None
    return Dossier(candidate=candidate, version=version, started_on=None, items=tuple(states),
                   refusals=tuple(refusals), voted=voted, phase=Phase.recognition, admitted=admitted)


def ready_refusals(state: Dossier, *, on: date) -> list[Refusal]:
    """Everything that stops the branch from considering admission on `on`: the one list the
    vote (/ketnap) refuses with (models.eligibility.vote_blockers)."""
    f = state.file
    return vote_blockers(birth=state.candidate.birth_date, on=on, present=f.present, applicable=f.applies,
                         version=f.version, introductions=state.introducers if state.has_roster else None,
                         youth_union_member=state.candidate.youth_union, trade_union=f.trade_union)


async def record_item(
    *, session: AsyncSession, candidate_id: int, item: str, dated: date, holder: str | None, now: datetime,
) -> DossierEntry | None:
    """Create or update one checklist entry; returns the entry as it was before (None if new)."""
    entry = (await entries(session=session, candidate_id=candidate_id)).get(item)
    before = DossierEntry(**entry.model_dump()) if entry else None
    if entry is None:
        entry = DossierEntry(candidate_id=candidate_id, item=item, dated=dated, holder=holder, at=now)
    else:
        entry.dated, entry.holder, entry.at = dated, holder, now
    session.add(entry)
    await session.flush()
    return before


async def set_trade_union_route(*, session: AsyncSession, candidate_id: int, trade_union: bool,
                                now: datetime) -> bool:
    """Record whether the Trade Union committee introduces (with one official member); returns
    what was recorded before (the admission record is created if missing)."""
    record = await session.get(AdmissionRecord, candidate_id)
    before = bool(record and record.trade_union_route)
    if record is None:
        record = AdmissionRecord(candidate_id=candidate_id, version=CURRENT_VERSION, updated_at=now)
    record.trade_union_route = trade_union
    record.updated_at = now
    session.add(record)
    await session.flush()
    return before


async def start_dossier(*, session: AsyncSession, candidate_id: int, on: date, now: datetime) -> date | None:
    """Record the day the dossier was started (the admission record is created if missing);
    returns the day recorded before, if any."""
    record = await session.get(AdmissionRecord, candidate_id)
    before = record.dossier_started_on if record else None
    if record is None:
        record = AdmissionRecord(candidate_id=candidate_id, version=CURRENT_VERSION, updated_at=now)
    record.dossier_started_on = on
    record.updated_at = now
    session.add(record)
    await session.flush()
    return before
