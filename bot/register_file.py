"""A branch's register as a file, between bot/spreadsheet.py (the file) and models/register_*.py
(the rules): the words from messages/vi/import/words.j2, the template and export books, and an
import from a file to its report. Used by the CLI (bot/cli_import.py); a chat channel that
receives files can use it the same way.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.render import environment, labels, text_of
from bot.spreadsheet import BadFile, Book, Sheet, read_sheets
from models.candidate import Candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.people import Person
from models.roster import MemberStatus, branch_roster
from models.register_import import (
    COLUMNS, DOSSIER_KEYS, FLAG_KEYS, MEMBER_COLUMNS, Layout, MemberRow, RowError, Vocabulary, missing_columns,
    read_layout, read_member_layout, read_member_rows, read_rows,
)
from models.register_write import CERTIFICATE, ITEMS, Plan, load_existing, plan_rows, write_plan
from models.stage import Category, Gender, IntroducedBy, Stage

SHOWN_ERRORS = 50  # error lines printed; the count says how many more
SHOWN_ROWS = 30  # created or updated rows named in a report


@lru_cache(maxsize=1)
def _words():
    return environment().get_template("import/words.j2").module


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The register's words; the labels chibo shows (common/labels.j2) are understood too."""
    w = _words()

    def with_labels(group: str, values: dict[str, list[str]]) -> dict[str, list[str]]:
        return {k: [*v, labels(group)[k]] for k, v in values.items()}

    yes_no = labels("yes_no")
    return Vocabulary.of(
        headers=w.headers, ignored=w.ignored,
        choices={"gender": with_labels("gender", w.gender), "category": with_labels("category", w.category),
                 "stage": with_labels("stage", w.stage),
                 "introduced_by": with_labels("introduced_by", w.introduced_by),
                 "flag": {"yes": [*w.yes, yes_no["yes"]], "no": [*w.no, yes_no["no"]]}})


def choice_words() -> dict[str, str]:
    """The buttons under an import's dry run in chat: "go" and "cancel"."""
    return dict(_words().choice)


def header_names() -> dict[str, str]:
    """The header chibo writes for each column: the first of its names."""
    return {key: names[0] for key, names in _words().headers.items()}


def _choices() -> dict[int, list[str]]:
    lists = {"gender": list(labels("gender").values()), "category": list(labels("category").values()),
             "stage": [labels("stage")[s] for s in Stage],
             "introduced_by": list(labels("introduced_by").values())}
    flags = [labels("yes_no")["yes"], labels("yes_no")["no"]]
    return {i: lists.get(key, flags) for i, key in enumerate(COLUMNS) if key in lists or key in FLAG_KEYS}


def book(rows: list[list[Any]], members: list[list[Any]] | None = None) -> Book:
    """The register's book; with `members`, a second sheet of the branch's party members
    (MEMBER_COLUMNS), which an import reads back onto the roster."""
    w = _words()
    headers = header_names()
    extra = (((w.sheet["members"], [headers[k] for k in MEMBER_COLUMNS], members),) if members is not None else ())
    return Book(title=w.sheet["title"], sheet_name=w.sheet["register"], headers=[headers[k] for k in COLUMNS],
                rows=rows, choices=_choices(), help_name=w.sheet["help"],
                help_headers=[w.sheet["column"], w.sheet["meaning"]],
                help_rows=[*([headers[k], w.explain[k]] for k in COLUMNS), [w.sheet["members"], w.explain["members"]]],
                extra=extra)


async def export_members(*, session: AsyncSession, branch_id: int) -> list[list[Any]]:
    """The branch's party members on its roster who are no candidate's row (those admitted through
    chibo are in the register already), official first then by name: MEMBER_COLUMNS."""
    stage = labels("stage")
    out = []
    for m in await branch_roster(session=session, org_id=branch_id):
        if m.candidate_id is not None:
            continue
        official = MemberStatus(m.status) == MemberStatus.official
        values = {"full_name": m.full_name, "stage": stage[Stage.official if official else Stage.probationary],
                  "admitted_on": None if official else m.since, "official_on": m.since if official else None}
        out.append([values[k] for k in MEMBER_COLUMNS])
    return out


def example_row(today: date) -> list[Any]:
    """The template's one example row (a source with a certificate, whose dossier has begun)."""
    yes, no = labels("yes_no")["yes"], labels("yes_no")["no"]
    values = {**_words().example, "birth": date(today.year - 25, 9, 5), "gender": labels("gender")["female"],
              "category": labels("category")["teacher"], "youth_union": yes,
              "ethnic_minority": no, "religious": no, "private_firm": no, "stage": labels("stage")["dossier"],
              "introduced_by": labels("introduced_by")["youth_union"],
              "certificate_on": date(today.year - 1, 5, 20), "1-KNĐ": date(today.year, 1, 10)}
    return [values.get(k) for k in COLUMNS]


def template(today: date) -> Book:
    """The template a branch fills in: the register with one example row, the members' sheet
    with one example member, the sheet explaining each column, the lists to choose from."""
    return book([example_row(today)], members=[example_member(today)])


def example_member(today: date) -> list[Any]:
    """The template's one example party member (official for some years), on the members' sheet."""
    values = {**_words().example_member, "stage": labels("stage")[Stage.official],
              "official_on": date(today.year - 6, 3, 3)}
    return [values.get(k) for k in MEMBER_COLUMNS]


async def export_rows(*, session: AsyncSession, branch_id: int) -> list[list[Any]]:
    """The branch's register in the import's layout (COLUMNS), in register order."""
    candidates = list(await session.exec(select(Candidate).where(Candidate.branch_id == branch_id)
                                         .order_by(Candidate.number)))
    ids = [c.id for c in candidates]
    entries: dict[int, dict[str, DossierEntry]] = {}
    records: dict[int, AdmissionRecord] = {}
    sponsors: dict[int, str] = {}
    if ids:
        for e in await session.exec(select(DossierEntry).join(Candidate, Candidate.id == DossierEntry.candidate_id)
                                    .where(Candidate.branch_id == branch_id, DossierEntry.item.in_(ITEMS))):
            entries.setdefault(e.candidate_id, {})[e.item] = e
        records = {r.candidate_id: r for r in await session.exec(
            select(AdmissionRecord).join(Candidate, Candidate.id == AdmissionRecord.candidate_id)
            .where(Candidate.branch_id == branch_id))}
        sponsor_ids = {c.sponsor_id for c in candidates if c.sponsor_id}
        if sponsor_ids:
            sponsors = dict((await session.exec(select(Person.id, Person.full_name)
                                                .where(Person.id.in_(sponsor_ids)))).all())
    yes, no = labels("yes_no")["yes"], labels("yes_no")["no"]
    out = []
    for c in candidates:
        held = entries.get(c.id, {})
        record = records.get(c.id)
        certificate = held.get(CERTIFICATE)
        values = {
            "full_name": c.full_name, "birth": None if c.birth_year_only else c.birth_date,
            "birth_year": c.birth_date.year if c.birth_year_only else None,
            "gender": labels("gender")[Gender(c.gender)], "unit": c.unit,
            "category": labels("category")[Category(c.category)],
            **{k: yes if getattr(c, k) else no for k in FLAG_KEYS},
            "stage": labels("stage")[Stage(c.stage)],
            "introduced_by": labels("introduced_by")[IntroducedBy(c.introduced_by)],
            "sponsor": sponsors.get(c.sponsor_id) if c.sponsor_id else None,
            "certificate_number": certificate.number if certificate else None,
            "certificate_on": certificate.dated if certificate else None,
            **{k: held[k].dated if k in held else None for k in DOSSIER_KEYS},
            "admitted_on": record.decision_on if record else None,
            "official_on": record.recognition_decision_on if record else None,
            "note": c.note,
        }
        out.append([values[k] for k in COLUMNS])
    return out


@dataclass
class Reading:
    """A file read and its rows checked (before the database is asked anything): the register's
    rows, and the party members of a members' sheet (or a file of members alone)."""

    layout: Layout
    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    member_layout: Layout | None = None
    member_sheet: str | None = None  # its name, when the file also has a register sheet

    def sheet_of(self, member: bool) -> str | None:
        """The sheet named before a row number: the members' sheet's, in a file of two sheets."""
        return self.member_sheet if member else None


def read_register(path: Path, today: date) -> Reading:
    """The file's first sheet with a register's header row, and its first members' sheet, read
    and checked; BadFile (with a reason) when it has neither."""
    vocab = vocabulary()
    sheets: list[Sheet] = read_sheets(path)
    reading: Reading | None = None
    members: tuple[Layout, list[MemberRow], list[RowError]] | None = None
    member_sheet = None
    for sheet in sheets:
        if reading is None and (layout := read_layout(sheet.rows, vocab)) is not None:
            if missing := missing_columns(layout):
                raise BadFileWith("missing_columns", columns=[header_names()[k] for k in missing])
            if layout.doubled:
                raise BadFileWith("doubled_columns", columns=list(layout.doubled))
            rows, errors = read_rows(sheet.rows, layout, vocab, today)
            reading = Reading(layout=layout, rows=rows, errors=errors)
        elif members is None and (layout := read_member_layout(sheet.rows, vocab)) is not None:
            if layout.doubled:
                raise BadFileWith("doubled_columns", columns=list(layout.doubled))
            members = (layout, *read_member_rows(sheet.rows, layout, vocab, today))
            member_sheet = sheet.name
    if reading is None and members is None:
        raise BadFile("no_header")
    if reading is None:
        reading, member_sheet = Reading(layout=members[0]), None
    if members is not None:
        reading.member_sheet = member_sheet
        reading.member_layout, reading.members = members[0], members[1]
        reading.errors = reading.errors + members[2]
    return reading


class BadFileWith(BadFile):
    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.values = values


def bad_file_line(error: BadFile, name: str) -> str:
    return text_of("import/bad_file", reason=error.reason, name=name, **getattr(error, "values", {}))


def error_lines(errors: list[RowError], member_sheet: str | None = None) -> list[str]:
    """One line per error, the register's rows first then the members' sheet's, each by row."""
    ordered = sorted(errors, key=lambda e: (e.member, e.row))
    return [text_of("import/problem", row=e.row, header=e.header, value=e.value, problem=e.problem,
                    detail=e.detail, sheet=member_sheet if e.member else None) for e in ordered]


async def import_register(*, session: AsyncSession, reading: Reading, branch_id: int, branch_name: str,
                          today: date, now: datetime, dry_run: bool, accept_near: bool, file_name: str,
                          by_person_id: int | None = None, shown_errors: int = SHOWN_ERRORS,
                          cli: bool = True) -> tuple[int, str]:
    """Plan the checked rows against the branch and write them unless errors or a dry run:
    (exit status, report). Nothing is written when any row is wrong."""
    existing = await load_existing(session=session, branch_id=branch_id)
    headers = {c.key: c.header for c in reading.layout.columns}
    member_headers = {c.key: c.header for c in reading.member_layout.columns} if reading.member_layout else {}
    plan = plan_rows(reading.rows, existing, today=today, headers=headers, accept_near=accept_near,
                     members=reading.members, member_headers=member_headers)
    errors = reading.errors + plan.errors
    if not errors and not dry_run:
        await write_plan(session=session, branch_id=branch_id, plan=plan, existing=existing, now=now,
                         by_person_id=by_person_id, file_name=file_name)
    return (1 if errors else 0), report(plan, errors, reading.layout, branch_name, dry_run, shown_errors, cli,
                                        member_sheet=reading.member_sheet)


def report(plan: Plan, errors: list[RowError], layout: Layout, org: str, dry_run: bool,
           shown_errors: int = SHOWN_ERRORS, cli: bool = True, member_sheet: str | None = None) -> str:
    stage_label = labels("stage")

    def sheet(p) -> str | None:
        return member_sheet if isinstance(p.row, MemberRow) else None

    shown = [{"row": p.row.row, "sheet": sheet(p), "name": p.row.full_name, "stage": stage_label[
                 p.fields.get("stage") or (Stage.probationary if p.fields.get("status") == "probationary"
                                           else Stage.official)]}
             for p in sorted(plan.create, key=lambda p: (isinstance(p.row, MemberRow), p.row.row))[:SHOWN_ROWS]]
    changed = [{"row": p.row.row, "sheet": sheet(p), "name": p.row.full_name}
               for p in plan.update[:SHOWN_ROWS - len(shown)]]
    near = [{"row": n.row.row, "name": n.row.full_name, "birth": _birth(n.row.birth_date, n.row.birth_year_only),
             "number": n.number, "other": n.full_name, "other_birth": n.birth_date.strftime("%d/%m/%Y")}
            for n in plan.near]
    behind = [{"row": row.row, "name": row.full_name, "file": stage_label[row.stage],
               "chibo": stage_label[stage]} for row, stage in plan.behind]
    unconsented = [{"row": row.row, "name": row.full_name, "flags": flags} for row, flags in plan.unconsented]
    counts = plan.counts()
    return text_of("import/report", behind=behind, unconsented=unconsented, unknown=list(layout.unknown),
                   errors=error_lines(errors, member_sheet)[:shown_errors], error_count=len(errors), near=near,
                   shown=shown, changed=changed,
                   more=len(plan.create) + len(plan.update) - len(shown) - len(changed),
                   dry_run=dry_run, cli=cli, org=org, created=counts["created"], updated=counts["updated"],
                   unchanged=counts["unchanged"])


def _birth(on: date, year_only: bool) -> str:
    return str(on.year) if year_only else on.strftime("%d/%m/%Y")
