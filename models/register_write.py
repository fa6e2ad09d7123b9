"""Writing a checked register (models/register_import.py) into a branch: what each row would
create, update or leave alone (the plan, which a dry run shows), then the plan written set by
set (a few statements for the whole file, never one transaction per row).

A row is the person already there when the name without accents and the birth date are the
same (the rule of models/duplicates.py); then only what differs is written, so importing the
same file twice changes nothing. A similar name born the same year is reported, never merged.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.audit import audit
from models.candidate import Candidate, StageChange
from models.consent import standings_of, unconsented_flags
from models.dossier import AdmissionRecord, DossierEntry
from models.people import Person, RoleGrant
from models.duplicates import SIMILAR_NAME_MIN
from models.progress import CERTIFICATE_ITEMS
from models.party_class import ClassKind
from models.register_import import (DOSSIER_KEYS, MemberRow, RegisterRow, RowError, history, inferred_stage,
                                    official_since)
from models.roster import MemberStatus, PartyMember
from models.sponsors import branch_members
from models.stage import Category, IntroducedBy, Role, Stage
from models.text import fold

CERTIFICATE = CERTIFICATE_ITEMS[ClassKind.awareness]
ITEMS = (CERTIFICATE, *DOSSIER_KEYS)
# A candidate's columns a register sets, when the file has the column and the cell is filled (a
# blank cell, like a missing column, leaves what chibo has; Có/Không columns: blank is Không).
OPTIONAL = {"category": "category", "unit": "unit", "youth_union": "youth_union",
            "ethnic_minority": "ethnic_minority", "religious": "religious", "private_firm": "private_firm",
            "note": "note"}


@dataclass
class Planned:
    """What one row does: the candidate's fields to set, dossier papers and admission dates to write."""

    row: RegisterRow
    candidate_id: int | None = None  # None: a new candidate
    fields: dict[str, Any] = field(default_factory=dict)
    entries: dict[str, tuple[date, str | None]] = field(default_factory=dict)
    record: dict[str, date] = field(default_factory=dict)
    steps: list[tuple[Stage, date]] = field(default_factory=list)  # stages entered, in order
    new: bool = False
    member: PartyMember | None = None  # a party member's row: the roster's (fields: status, since)
    is_member: bool = False

    @property
    def changes(self) -> bool:
        return bool(self.fields or self.entries or self.record or self.steps)


@dataclass(frozen=True)
class Near:
    row: RegisterRow
    number: int  # the register number of the candidate it resembles
    full_name: str
    birth_date: date


@dataclass
class Plan:
    create: list[Planned] = field(default_factory=list)
    update: list[Planned] = field(default_factory=list)
    same: list[RegisterRow] = field(default_factory=list)
    near: list[Near] = field(default_factory=list)
    behind: list[tuple[RegisterRow, Stage]] = field(default_factory=list)  # kept at chibo's later stage
    errors: list[RowError] = field(default_factory=list)
    # Rows whose ethnicity or religion was left out: no consent in force names them (models/consent.py).
    unconsented: list[tuple[RegisterRow, list[str]]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        members = sum(1 for p in self.create + self.update if p.is_member)
        return {"created": len(self.create), "updated": len(self.update), "unchanged": len(self.same),
                "near": len(self.near), "members": members}


@dataclass(frozen=True)
class Existing:
    """The branch's register as it is: candidates by identity, their papers and admission records."""

    by_identity: dict[tuple[str, date, bool], Candidate]
    by_year: dict[int, list[Candidate]]
    entries: dict[int, dict[str, DossierEntry]]
    records: dict[int, AdmissionRecord]
    sponsors: dict[str, list[int]]  # folded name → the official members of that name
    roster: dict[str, list[PartyMember]]  # folded name → the branch's party members of that name
    last_number: int
    sensitive_ok: frozenset[int] = frozenset()  # candidates whose consent in force names ethnicity and religion


async def load_existing(*, session: AsyncSession, branch_id: int) -> Existing:
    candidates = list(await session.exec(select(Candidate).where(Candidate.branch_id == branch_id)))
    entries: dict[int, dict[str, DossierEntry]] = defaultdict(dict)
    for entry in await session.exec(select(DossierEntry).join(Candidate, Candidate.id == DossierEntry.candidate_id)
                                    .where(Candidate.branch_id == branch_id, DossierEntry.item.in_(ITEMS))):
        entries[entry.candidate_id][entry.item] = entry
    records = {r.candidate_id: r for r in await session.exec(
        select(AdmissionRecord).join(Candidate, Candidate.id == AdmissionRecord.candidate_id)
        .where(Candidate.branch_id == branch_id))}
    sponsors: dict[str, list[int]] = defaultdict(list)
    for member in await branch_members(session=session, branch_ids=[branch_id]):
        sponsors[fold(member.full_name)].append(member.person_id)
    roster: dict[str, list[PartyMember]] = defaultdict(list)
    for m in await session.exec(select(PartyMember).where(PartyMember.org_id == branch_id,
                                                          PartyMember.left_on.is_(None))):
        roster[fold(m.full_name)].append(m)
    by_year: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_year[c.birth_date.year].append(c)
    return Existing(by_identity={(c.name_folded, c.birth_date, c.birth_year_only): c for c in candidates},
                    by_year=by_year, entries=entries, records=records, sponsors=sponsors, roster=roster,
                    last_number=max((c.number for c in candidates), default=0),
                    sensitive_ok=frozenset(i for i, st in (await standings_of(session, candidates)).items()
                                           if st.sensitive))


def plan_rows(rows: list[RegisterRow], existing: Existing, *, today: date, headers: Mapping[str, str] = {},
              accept_near: bool = False, members: list[MemberRow] = (),
              member_headers: Mapping[str, str] = {}) -> Plan:
    """What importing these checked rows into the branch would do (nothing is written). `headers`:
    the file's header of each column, for the errors found here. `members`: the rows of a members'
    sheet (official or probationary members of the branch, on its roster)."""
    plan = Plan()
    # Official members who are no person in chibo yet may be named as sponsors: those this file
    # brings (above or below), and those on the roster without a chat (given a person on writing).
    newcomers = {fold(r.full_name) for r in rows
                 if r.identity not in existing.by_identity and _stage_of(r, None, today) == Stage.official}
    newcomers |= {m.identity for m in members if m.status == MemberStatus.official.value
                  and not existing.roster.get(m.identity)}
    for m in members:
        _plan_roster(plan, m, {"status": m.status, "since": m.since}, existing, member_headers)
    newcomers |= {name for name, members in existing.roster.items()
                  if len(members) == 1 and members[0].person_id is None and members[0].status == MemberStatus.official}
    for row in rows:
        sponsor_id, error = _sponsor(row, existing, headers.get("sponsor", ""), newcomers)
        if error:
            plan.errors.append(error)
            continue
        found = existing.by_identity.get(row.identity)
        if found is None:
            if _stage_of(row, None, today) == Stage.official:
                _plan_member(plan, row, existing, headers, today)  # a party member new to chibo: the roster's
                continue
            near = None if accept_near else _near(row, existing)
            if near:
                plan.near.append(near)
                continue
            plan.create.append(_consented(plan, _new(row, sponsor_id, today), allowed=False))
            continue
        if behind(row, Stage(found.stage)):
            plan.behind.append((row, Stage(found.stage)))
        planned = _consented(plan, _update(row, found, sponsor_id, existing, today),
                             allowed=found.id in existing.sensitive_ok)
        (plan.update if planned.changes else plan.same).append(planned if planned.changes else row)
    return plan


def _consented(plan: Plan, planned: Planned, *, allowed: bool) -> Planned:
    """The planned row without the sensitive flags no consent names (a new candidate has none
    yet): they are left unset, and the row is reported."""
    left = unconsented_flags(planned.fields, allowed)
    if left:
        for flag in left:
            if planned.new:
                planned.fields[flag] = False
            else:
                del planned.fields[flag]
        plan.unconsented.append((planned.row, left))
    return planned


def _plan_member(plan: Plan, row: RegisterRow, existing: Existing, headers: Mapping[str, str], today: date) -> None:
    """An official party member of the branch, on its roster: official since the recognition, or
    (without it) since the end of the 12 months of probation after the admission (today, when
    the file calls official someone whose 12 months are still to come)."""
    since = official_since(row, today)
    if since is None:
        plan.errors.append(RowError(row.row, "", "", "member_needs_date"))
        return
    _plan_roster(plan, row, {"status": MemberStatus.official.value, "since": since}, existing, headers)


def _plan_roster(plan: Plan, row: RegisterRow | MemberRow, wanted: dict[str, Any], existing: Existing,
                 headers: Mapping[str, str]) -> None:
    """A member of the branch on its roster: new, changed (status, since) or as it is."""
    found = existing.roster.get(fold(row.full_name), [])
    if len(found) > 1:
        plan.errors.append(RowError(row.row, headers.get("full_name", ""), row.full_name, "member_ambiguous",
                                    member=isinstance(row, MemberRow)))
        return
    if not found:
        plan.create.append(Planned(row=row, fields={"full_name": row.full_name, **wanted}, new=True, is_member=True))
        return
    changed = {k: v for k, v in wanted.items() if getattr(found[0], k) != v}
    if changed:
        plan.update.append(Planned(row=row, fields=changed, member=found[0], is_member=True))
    else:
        plan.same.append(row)


def _sponsor(row: RegisterRow, existing: Existing, header: str, newcomers: set[str]
             ) -> tuple[int | str | None, RowError | None]:
    """The sponsor named: an official member's person id, or the folded name of an official
    member this file brings (the id is known once written)."""
    if not row.sponsor:
        return None, None
    found = existing.sponsors.get(fold(row.sponsor), [])
    if len(found) == 1:
        return found[0], None
    if not found and fold(row.sponsor) in newcomers:
        return fold(row.sponsor), None
    return None, RowError(row.row, header, row.sponsor, "sponsor_unknown" if not found else "sponsor_ambiguous")


def _near(row: RegisterRow, existing: Existing) -> Near | None:
    """A candidate of the branch born the same year whose name is similar (the issue's rule)."""
    same_year = existing.by_year.get(row.birth_date.year, [])
    if not same_year:
        return None
    folded = fold(row.full_name)
    names = [c.name_folded for c in same_year]
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        hit = process.extractOne(folded, names, scorer=scorer, score_cutoff=SIMILAR_NAME_MIN)
        if hit:
            c = same_year[hit[2]]
            return Near(row=row, number=c.number, full_name=c.full_name, birth_date=c.birth_date)
    return None


def _stage_of(row: RegisterRow, current: Stage | None, today: date) -> Stage:
    """The stage the file names, else the one its dates show; never behind the stage chibo has
    (an older register must not undo what was recorded since: `behind` reports it). A
    recognition only time can show is inferred for a person new to chibo, never over chibo's own
    stage."""
    shown = row.stage if row.stage is not None else inferred_stage(row, today if current is None else None)
    if current is None or current in (Stage.removed, Stage.transferred):
        return shown if current is None or row.stage is not None else current
    return shown if _rank(shown) >= _rank(current) else current


def _rank(stage: Stage) -> int:
    return list(Stage).index(stage)


def behind(row: RegisterRow, current: Stage) -> bool:
    """The file names a stage before the one chibo has for this person."""
    return (row.stage is not None and current not in (Stage.removed, Stage.transferred)
            and _rank(row.stage) < _rank(current))


def _record_of(row: RegisterRow, record: AdmissionRecord | None, stage: Stage) -> dict[str, date]:
    wanted: dict[str, date] = {}
    if row.dossier and (record is None or record.dossier_started_on is None):
        wanted["dossier_started_on"] = min(row.dossier.values())
    if row.admitted_on:
        wanted["decision_on"] = row.admitted_on
        if stage in (Stage.probationary, Stage.official) and (record is None or record.ceremony_on is None):
            wanted["ceremony_on"] = row.admitted_on  # the register's one date: probation counts from it
    if row.official_on:
        wanted["recognition_decision_on"] = row.official_on
    return {k: v for k, v in wanted.items() if record is None or getattr(record, k) != v}


def _entries_of(row: RegisterRow, held: dict[str, DossierEntry]) -> dict[str, tuple[date, str | None]]:
    wanted: dict[str, tuple[date, str | None]] = {code: (on, None) for code, on in row.dossier.items()}
    if row.certificate_on:
        wanted[CERTIFICATE] = (row.certificate_on, row.certificate_number)
    changed = {}
    for code, (on, number) in wanted.items():
        entry = held.get(code)
        if entry is None or entry.dated != on or (code == CERTIFICATE and entry.number != number):
            changed[code] = (on, number)
    return changed


def _new(row: RegisterRow, sponsor_id: int | str | None, today: date) -> Planned:
    stage = _stage_of(row, None, today)
    steps = history(row, stage, today)
    introduced = row.introduced_by or (IntroducedBy.youth_union if row.youth_union else IntroducedBy.branch)
    fields = {"full_name": row.full_name, "name_folded": fold(row.full_name), "birth_date": row.birth_date,
              "birth_year_only": row.birth_year_only, "gender": row.gender.value,
              "category": (row.category or Category.other).value,
              "unit": row.unit, "youth_union": row.youth_union, "ethnic_minority": row.ethnic_minority,
              "religious": row.religious, "private_firm": row.private_firm, "note": row.note,
              "introduced_by": introduced.value, "sponsor_id": sponsor_id, "stage": stage.value,
              "stage_since": steps[-1][1]}
    return Planned(row=row, fields=fields, entries=_entries_of(row, {}), record=_record_of(row, None, stage),
                   steps=steps, new=True)


def _update(row: RegisterRow, found: Candidate, sponsor_id: int | str | None, existing: Existing,
            today: date) -> Planned:
    # The name is the same but for accents or case (that is the match): chibo's spelling stays.
    wanted: dict[str, Any] = {"gender": row.gender.value}
    for key, attr in OPTIONAL.items():
        value = getattr(row, key)
        if key in row.present and value is not None:  # a blank cell leaves what chibo has
            wanted[attr] = value.value if hasattr(value, "value") else value
    if row.introduced_by is not None:
        wanted["introduced_by"] = row.introduced_by.value
    if sponsor_id is not None:
        wanted["sponsor_id"] = sponsor_id
    stage = _stage_of(row, Stage(found.stage), today)
    steps: list[tuple[Stage, date]] = []
    if stage != found.stage:
        since = next((on for s, on in history(row, stage, today) if s == stage), today)
        wanted["stage"], wanted["stage_since"] = stage.value, since
        steps = [(stage, since)]
    fields = {k: v for k, v in wanted.items() if getattr(found, k) != v}
    return Planned(row=row, candidate_id=found.id, fields=fields,
                   entries=_entries_of(row, existing.entries.get(found.id, {})),
                   record=_record_of(row, existing.records.get(found.id), stage), steps=steps)


async def write_plan(*, session: AsyncSession, branch_id: int, plan: Plan, existing: Existing, now: datetime,
                     by_person_id: int | None, file_name: str) -> None:
    """The plan written: new candidates in one insert, then their stage history, papers and
    admission dates in one insert each; changed ones updated; party members on the roster
    (with the candidates admitted before chibo); one audit entry with the counts."""
    create = [p for p in plan.create if not p.is_member]
    update = [p for p in plan.update if not p.is_member]
    people = await _write_members(session=session, branch_id=branch_id, plan=plan, now=now)
    for p in create + update:
        if isinstance(name := p.fields.get("sponsor_id"), str):
            if name not in people:  # on the roster without a chat: now a person who may sponsor
                people[name] = await _person_for(session=session, member=existing.roster[name][0],
                                                 branch_id=branch_id, now=now)
            p.fields["sponsor_id"] = people[name]
    if create:
        first = existing.last_number + 1
        await session.exec(sa.insert(Candidate), params=[
            {**p.fields, "branch_id": branch_id, "number": first + i, "created_at": now, "created_by": by_person_id}
            for i, p in enumerate(create)])
        ids = dict((await session.exec(select(Candidate.number, Candidate.id).where(
            Candidate.branch_id == branch_id, Candidate.number >= first))).all())
        for i, p in enumerate(create):
            p.candidate_id = ids[first + i]
    await _write_probationary(session=session, branch_id=branch_id, create=create, existing=existing, now=now)
    changes, entries, records, new_records = [], [], [], []
    for p in create + update:
        before = None if p.new else existing.by_identity[p.row.identity].stage
        for stage, on in p.steps:
            changes.append({"candidate_id": p.candidate_id, "from_stage": before, "to_stage": stage.value,
                            "on": on, "reason": None, "by_person_id": by_person_id, "at": now})
            before = stage.value
        held = existing.entries.get(p.candidate_id, {})
        for code, (on, number) in p.entries.items():
            if code in held:
                entry = held[code]
                entry.dated, entry.number, entry.at = on, number, now
                session.add(entry)
            else:
                entries.append({"candidate_id": p.candidate_id, "item": code, "dated": on, "number": number,
                                "at": now})
        if p.record:
            record = existing.records.get(p.candidate_id)
            if record is None:
                new_records.append({"candidate_id": p.candidate_id, **p.record, "updated_at": now})
            else:
                for k, v in p.record.items():
                    setattr(record, k, v)
                record.updated_at = now
                records.append(record)
    for p in update:
        if p.fields:
            found = existing.by_identity[p.row.identity]
            for k, v in p.fields.items():
                setattr(found, k, v)
            if "full_name" in p.fields:
                found.name_folded = fold(found.full_name)
            session.add(found)
    session.add_all(records)
    for table, rows in ((StageChange, changes), (DossierEntry, entries), (AdmissionRecord, new_records)):
        if rows:
            await session.exec(sa.insert(table), params=rows)
    counts = plan.counts()
    audit(session=session, at=now, person_id=by_person_id, action="import", subject=f"org:{branch_id}",
          detail=f"file={file_name[:80]}; " + "; ".join(f"{k}={v}" for k, v in counts.items()))
    await session.flush()


async def _write_members(*, session: AsyncSession, branch_id: int, plan: Plan, now: datetime) -> dict[str, int]:
    """Official party members in the file on the roster, each a person who may sponsor (as the
    branch's members not yet on any chat are); their person ids by folded name."""
    people: dict[str, int] = {}
    rows = []
    for p in plan.create:
        if p.is_member:
            person_id = None
            if p.fields["status"] == MemberStatus.official.value:  # a probationary member may not sponsor
                person = Person(full_name=p.fields["full_name"], created_at=now)
                session.add(person)
                await session.flush()
                people[fold(person.full_name)] = person_id = person.id
            rows.append({"org_id": branch_id, "full_name": p.fields["full_name"], "status": p.fields["status"],
                         "since": p.fields["since"], "person_id": person_id, "at": now})
    if rows:
        await session.exec(sa.insert(PartyMember), params=rows)
    # Only the official ones sponsor; an insert given no rows would write one row of defaults.
    grants = [{"person_id": r["person_id"], "org_id": branch_id, "role": Role.sponsor.value}
              for r in rows if r["person_id"] is not None]
    if grants:
        await session.exec(sa.insert(RoleGrant), params=grants)
    for p in plan.update:
        if p.is_member:
            for k, v in p.fields.items():
                setattr(p.member, k, v)
            p.member.at = now
            session.add(p.member)
    return people


async def _person_for(*, session: AsyncSession, member: PartyMember, branch_id: int, now: datetime) -> int:
    person = Person(full_name=member.full_name, created_at=now)
    session.add(person)
    await session.flush()
    member.person_id = person.id
    session.add(member)
    session.add(RoleGrant(person_id=person.id, org_id=branch_id, role=Role.sponsor))
    return person.id


async def _write_probationary(*, session: AsyncSession, branch_id: int, create: list[Planned], existing: Existing,
                              now: datetime) -> None:
    """A candidate imported as probationary (admitted before chibo) on the roster, as chibo puts
    one there at the ceremony."""
    rows = [{"org_id": branch_id, "full_name": p.row.full_name, "status": MemberStatus.probationary.value,
             "since": p.row.admitted_on, "candidate_id": p.candidate_id, "at": now}
            for p in create if p.fields["stage"] == Stage.probationary and p.row.admitted_on
            and not existing.roster.get(fold(p.row.full_name))]
    if rows:
        await session.exec(sa.insert(PartyMember), params=rows)
