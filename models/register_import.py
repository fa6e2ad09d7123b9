"""Reading a branch's register (issue 14, "Import"): which column is which, and each row checked
into plain values, as plain functions over cell values (bot/spreadsheet.py reads the files).

The words a register uses (its headers, "Nam"/"Nữ", "Có"/"Không", the stages) are given by the
caller as a `Vocabulary` (from messages/vi/import/words.j2); this module knows only their keys.
Errors are `RowError`s: the row number as the spreadsheet shows it, the column's header as the
file writes it, the value, and a problem key (messages/vi/import/problem.j2 words it).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any

from models.deadlines import probation_end, recognition_branch_due
from models.stage import Category, Gender, IntroducedBy, Stage
from models.text import fold, tidy

# The dossier items a register may date (the admission papers before the branch's vote).
DOSSIER_KEYS = ("1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ")
DATE_KEYS = ("birth", "birth_year", "certificate_on", *DOSSIER_KEYS, "admitted_on", "official_on")
FLAG_KEYS = ("youth_union", "ethnic_minority", "religious", "private_firm")
# The columns in the order chibo writes them (template, export).
COLUMNS = ("full_name", "birth", "birth_year", "gender", "unit", "category", *FLAG_KEYS, "stage", "introduced_by",
           "sponsor",
           "certificate_number", "certificate_on", *DOSSIER_KEYS, "admitted_on", "official_on", "note")
HEADER_SCAN_ROWS = 30  # a header row is looked for among the first rows (title rows above it)
MAX_TEXT = {"full_name": 120, "unit": 120, "note": 500, "sponsor": 120, "certificate_number": 40}
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Vocabulary:
    """Folded words → keys: headers, ignored headers, and the values of each choice column."""

    headers: Mapping[str, str]  # "ho va ten" → "full_name"
    ignored: frozenset[str]
    choices: Mapping[str, Mapping[str, str]]  # "gender" → {"nam": "male", …}; also "flag" → yes/no

    @classmethod
    def of(cls, headers: Mapping[str, Sequence[str]], ignored: Sequence[str],
           choices: Mapping[str, Mapping[str, Sequence[str]]]) -> "Vocabulary":
        return cls(headers={_key(name): key for key, names in headers.items() for name in names},
                   ignored=frozenset(_key(name) for name in ignored),
                   choices={column: {_key(word): value for value, words in values.items() for word in words}
                            for column, values in choices.items()})


@lru_cache(maxsize=4096)  # a register repeats its few choices ("Nam", "x", a stage) thousands of times
def _key(text: str) -> str:
    """A header or a value as compared: no accents, case, bracketed words or punctuation."""
    text = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", fold(text))
    return " ".join(re.sub(r"[^a-z0-9/ ]", " ", text.replace("-", " ")).split())


@dataclass(frozen=True)
class Column:
    index: int
    key: str
    header: str  # as the file writes it


@dataclass(frozen=True)
class Layout:
    header_row: int  # 1-based, as the spreadsheet numbers rows
    columns: tuple[Column, ...]
    unknown: tuple[str, ...]  # headers chibo does not know: listed, ignored
    doubled: tuple[str, ...] = ()  # a key named by two columns (an error)

    def index(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return tidy(str(value))


def _match(vocab: Vocabulary, text: str) -> str | None:
    return vocab.headers.get(_key(text)) if text else None


def read_layout(rows: Sequence[Sequence[Any]], vocab: Vocabulary) -> Layout | None:
    """The header row among the first rows: the one naming the most known columns, with a full
    name and a birth date among them. A header cell left empty under a cell merged across
    rows takes the header above it; a header under a cell merged across columns ("Giấy chứng
    nhận" over "Số" and "Ngày cấp") is read with it. None when no row names both."""
    best: Layout | None = None
    for r in range(min(len(rows), HEADER_SCAN_ROWS)):
        layout = _layout_at(rows, r, vocab)
        keys = {c.key for c in layout.columns}
        if "full_name" in keys and keys & {"birth", "birth_year"}:
            if best is None or len(layout.columns) > len(best.columns):
                best = layout
    return best


def _layout_at(rows: Sequence[Sequence[Any]], r: int, vocab: Vocabulary) -> Layout:
    here = [_text(v) for v in rows[r]]
    above = [_text(v) for v in rows[r - 1]] if r > 0 else []
    spanning = ""  # the last header above, carried right over the cells merged with it
    columns: list[Column] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    doubled: list[str] = []
    for i in range(max(len(here), len(above))):
        child = here[i] if i < len(here) else ""
        parent = above[i] if i < len(above) else ""
        spanning = parent or spanning
        if child and not _match(vocab, child) and _key(child) not in vocab.ignored:
            joined = f"{spanning} {child}".strip()
            header, key = (joined, _match(vocab, joined)) if _match(vocab, joined) else (child, None)
        elif child:
            header, key = child, _match(vocab, child)
        else:
            header, key = parent, _match(vocab, parent)
        if not header:
            continue
        if key is None:
            if _key(header) not in vocab.ignored and _key(child or parent) not in vocab.ignored:
                unknown.append(header)
            continue
        if key in seen:
            doubled.append(header)
            continue
        seen[key] = header
        columns.append(Column(index=i, key=key, header=header))
    return Layout(header_row=r + 1, columns=tuple(columns), unknown=tuple(unknown), doubled=tuple(doubled))


@dataclass(frozen=True)
class RowError:
    row: int
    header: str
    value: str
    problem: str  # a key of messages/vi/import/problem.j2
    detail: Mapping[str, Any] = field(default_factory=dict)
    member: bool = False  # a row of the members' sheet (its own row numbers)


@dataclass(frozen=True)
class RegisterRow:
    """One person of the register, checked: what chibo keeps of them."""

    row: int
    full_name: str
    birth_date: date
    birth_year_only: bool
    gender: Gender
    present: frozenset[str]  # the columns the file has (those it lacks are left as they are)
    category: Category | None = None  # None: blank (other for someone new)
    unit: str | None = None
    youth_union: bool = False
    ethnic_minority: bool = False
    religious: bool = False
    private_firm: bool = False
    stage: Stage | None = None  # None: from the dates
    introduced_by: IntroducedBy | None = None
    sponsor: str | None = None
    certificate_number: str | None = None
    certificate_on: date | None = None
    dossier: Mapping[str, date] = field(default_factory=dict)
    admitted_on: date | None = None
    official_on: date | None = None
    note: str | None = None

    @cached_property  # folding a name is the costly part of comparing rows
    def identity(self) -> tuple[str, date, bool]:
        return fold(self.full_name), self.birth_date, self.birth_year_only


def parse_day(value: Any, today: date, *, year_only: bool) -> tuple[date, bool] | str:
    """A cell as a date: an Excel date, "dd/mm/yyyy", "d/m/yy", "yyyy-mm-dd", an Excel day
    number; a bare year only where `year_only` (then 1 January of it, and True). Or a problem key."""
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    text = _text(value)
    if year_only and re.fullmatch(r"(19|20)[0-9]{2}", text):
        return date(int(text), 1, 1), True
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        if re.fullmatch(r"[0-9]{4}", text):
            return "year_not_date"
        return EXCEL_EPOCH + timedelta(days=int(value)), False
    if re.fullmatch(r"[0-9]{4}", text):
        return "year_not_date"
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9:.]+)?", text)
    dmy = re.fullmatch(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{2}|[0-9]{4})", text)
    if iso:
        year, month, day = int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
    elif dmy:
        day, month, year = int(dmy.group(1)), int(dmy.group(2)), int(dmy.group(3))
        if len(dmy.group(3)) == 2:  # this century unless that would be in the future
            year += 2000 if 2000 + year <= today.year else 1900
    else:
        return "not_a_date"
    try:
        return date(year, month, day), False
    except ValueError:
        return "date_not_real"


REQUIRED = (("full_name",), ("birth", "birth_year"), ("gender",))


def missing_columns(layout: Layout) -> list[str]:
    """The keys of the required columns the file lacks (the first key of each)."""
    keys = {c.key for c in layout.columns}
    return [names[0] for names in REQUIRED if not keys & set(names)]


def parse_row(row: int, cells: Mapping[str, tuple[str, Any]], vocab: Vocabulary, today: date
              ) -> RegisterRow | list[RowError]:
    """One row's cells by key (header as written, value) checked into a RegisterRow, or every
    problem in it. The required columns (REQUIRED) are there: `missing_columns` checks first."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def fail(key: str, problem: str, **detail: Any) -> None:
        header, raw = cells[key]
        errors.append(RowError(row, header, _shown(raw), problem, detail))

    for key, (_, raw) in cells.items():
        text = _text(raw)
        if key in DATE_KEYS:
            if not text:
                continue
            parsed = parse_day(raw, today, year_only=key == "birth_year")
            if isinstance(parsed, str):
                fail(key, parsed)
            elif parsed[0] > today:
                fail(key, "date_in_future")
            elif parsed[0].year < 1900:
                fail(key, "date_too_old")
            else:
                values[key] = parsed
        elif key in FLAG_KEYS:
            if text and (flag := vocab.choices["flag"].get(_key(text))) is None:
                fail(key, "not_yes_no")
            else:
                values[key] = flag == "yes" if text else False
        elif key in ("gender", "category", "stage", "introduced_by"):
            if text and (choice := vocab.choices[key].get(_key(text))) is None:
                fail(key, f"bad_{key}")
            elif text:
                values[key] = choice
        elif key in MAX_TEXT:
            if len(text) > MAX_TEXT[key]:
                fail(key, "too_long", most=MAX_TEXT[key])
            else:
                values[key] = text or None
    birth = values.get("birth") or values.get("birth_year")
    if not _text(cells["full_name"][1]):  # too long is said of the name itself; another column's says nothing of it
        fail("full_name", "missing")
    birth_keys = [k for k in ("birth", "birth_year") if k in cells]
    if birth is None and not any(_text(cells[k][1]) for k in birth_keys):
        fail(birth_keys[0], "missing")
    if not _text(cells["gender"][1]):
        fail("gender", "missing")
    errors += _check_dates(row, cells, values)
    if errors:
        return errors
    return RegisterRow(
        row=row, full_name=values["full_name"], birth_date=birth[0], birth_year_only=birth[1],
        gender=Gender(values["gender"]), present=frozenset(cells),
        category=Category(values["category"]) if "category" in values else None, unit=values.get("unit"),
        **{k: values.get(k, False) for k in FLAG_KEYS},
        stage=Stage(values["stage"]) if "stage" in values else None,
        introduced_by=IntroducedBy(values["introduced_by"]) if "introduced_by" in values else None,
        sponsor=values.get("sponsor"), certificate_number=values.get("certificate_number"),
        certificate_on=_day(values, "certificate_on"),
        dossier={k: values[k][0] for k in DOSSIER_KEYS if k in values},
        admitted_on=_day(values, "admitted_on"), official_on=_day(values, "official_on"), note=values.get("note"),
    )


def _day(values: Mapping[str, Any], key: str) -> date | None:
    return values[key][0] if key in values else None


def _shown(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.strftime("%d/%m/%Y")
    return _text(raw)[:60]


def _check_dates(row: int, cells: Mapping[str, tuple[str, Any]], values: Mapping[str, Any]) -> list[RowError]:
    """Dates out of order: a step dated before the birth, admission before the certificate, recognition
    before admission; a certificate number without its date; a stage the dates contradict."""
    errors = []

    def bad(key: str, problem: str) -> None:
        errors.append(RowError(row, cells[key][0], _shown(cells[key][1]), problem))

    def day(key: str) -> date | None:
        return values[key][0] if key in values else None

    birth = day("birth") or day("birth_year")
    for key in ("certificate_on", *DOSSIER_KEYS, "admitted_on", "official_on"):
        if birth and key in values and day(key) <= birth:
            bad(key, "before_birth")
    if day("admitted_on") and day("certificate_on") and day("admitted_on") < day("certificate_on"):
        bad("admitted_on", "before_certificate")
    if day("official_on") and not day("admitted_on"):
        bad("official_on", "official_not_admitted")
    elif day("official_on") and day("official_on") <= day("admitted_on"):
        bad("official_on", "before_admission")
    if values.get("certificate_number") and not day("certificate_on"):
        bad("certificate_number", "certificate_needs_date")
    stage = values.get("stage")
    if stage in (Stage.probationary, Stage.official) and not day("admitted_on") and "admitted_on" in cells:
        bad("admitted_on", "member_needs_admission")
    if stage in (Stage.source, Stage.sympathizer) and day("admitted_on"):
        bad("stage", "stage_before_dates")
    return errors


def read_rows(rows: Sequence[Sequence[Any]], layout: Layout, vocab: Vocabulary, today: date
              ) -> tuple[list[RegisterRow], list[RowError]]:
    """Every data row below the header, checked; rows with no name and no birth date are skipped
    (blank lines, totals and signatures under the table); the same person twice is an error."""
    checked: list[RegisterRow] = []
    errors: list[RowError] = []
    first_row: dict[tuple[str, date, bool], int] = {}
    name = layout.index("full_name")
    births = [c for c in layout.columns if c.key in ("birth", "birth_year")]
    for offset, values in enumerate(rows[layout.header_row:]):
        row = layout.header_row + offset + 1
        cells = {c.key: (c.header, values[c.index] if c.index < len(values) else None) for c in layout.columns}
        if not _text(cells[name.key][1]) and not any(_text(cells[b.key][1]) for b in births):
            continue
        parsed = parse_row(row, cells, vocab, today)
        if isinstance(parsed, list):
            errors += parsed
            continue
        if parsed.identity in first_row:
            errors.append(RowError(row, name.header, parsed.full_name, "duplicate_row",
                                   {"first": first_row[parsed.identity]}))
            continue
        first_row[parsed.identity] = row
        checked.append(parsed)
    return checked, errors


def inferred_stage(row: RegisterRow, today: date | None) -> Stage:
    """The stage a row's dates show, when the file does not name it. Admitted with no
    recognition date: official once the branch was due to decide the recognition (30 working
    days after the 12 months) before `today`, as on the members' sheet; probationary until
    then, or always where `today` is None (a person chibo follows already: a blank cell may be a
    late recognition, which chibo keeps reminding of, not one that happened)."""
    if row.official_on:
        return Stage.official
    if row.admitted_on:
        recognised = today is not None and recognition_branch_due(row.admitted_on) < today
        return Stage.official if recognised else Stage.probationary
    if row.dossier:
        return Stage.dossier
    if row.certificate_on:
        return Stage.awareness_class
    return Stage.source


def official_since(row: RegisterRow, today: date) -> date | None:
    """The day an official member's membership counts from: the recognition, or (without it)
    the end of the 12 months after the admission, or today when that end is still to come."""
    if row.official_on or not row.admitted_on:
        return row.official_on
    return min(probation_end(row.admitted_on), today)


def history(row: RegisterRow, stage: Stage, today: date) -> list[tuple[Stage, date]]:
    """The stages a row went through, each with the day it began, as its dates show, ending at
    `stage` (on the day of its date, or today when nothing dates it). An official member with an
    admission date but no recognition date is official since the 12 months ended (the day
    official membership counts from), unless that day is still to come."""
    rank = list(Stage).index
    dossier_start = min(row.dossier.values(), default=None)
    steps = [(Stage.awareness_class, row.certificate_on), (Stage.dossier, dossier_start),
             (Stage.probationary, row.admitted_on),
             (Stage.official, official_since(row, today) if stage == Stage.official else row.official_on)]
    chain: list[tuple[Stage, date]] = []
    for step, on in steps:
        if on is not None and rank(step) <= rank(stage) and (not chain or on >= chain[-1][1]):
            chain.append((step, on))
    if not chain or chain[-1][0] != stage:
        chain.append((stage, max(today, chain[-1][1]) if chain else today))
    return chain


# ---- Party members in a sheet (or file) of their own --------------------------------------------

# The columns of the members' sheet chibo writes (export): name, stage (probationary or
# official), the admission date and the date they became official (those chibo knows).
MEMBER_COLUMNS = ("full_name", "stage", "admitted_on", "official_on")
MEMBER_STAGES = {Stage.probationary: "probationary", Stage.official: "official"}  # → models.roster.MemberStatus


@dataclass(frozen=True)
class MemberRow:
    """A party member of the branch, checked: official or probationary since a day."""

    row: int
    full_name: str
    status: str  # "official" | "probationary"
    since: date
    stage: Stage | None = None  # as a register row's, for the import's report
    present: frozenset[str] = frozenset()

    @cached_property
    def identity(self) -> str:
        return fold(self.full_name)


def read_member_layout(rows: Sequence[Sequence[Any]], vocab: Vocabulary) -> Layout | None:
    """The header row of a members' sheet: a full name and an admission or official date, and no
    birth date (a sheet with a birth date is a register, `read_layout`)."""
    best: Layout | None = None
    for r in range(min(len(rows), HEADER_SCAN_ROWS)):
        layout = _layout_at(rows, r, vocab)
        keys = {c.key for c in layout.columns}
        if "full_name" in keys and keys & {"admitted_on", "official_on"} and not keys & {"birth", "birth_year"}:
            if best is None or len(layout.columns) > len(best.columns):
                best = layout
    return best


def read_member_rows(rows: Sequence[Sequence[Any]], layout: Layout, vocab: Vocabulary, today: date
                     ) -> tuple[list[MemberRow], list[RowError]]:
    """The members below the header, checked: a name, a stage that is a member's (or none: the
    dates say), the dates real and in order; official since the recognition (or a year after the
    admission), probationary since the admission; the same name twice is an error.

    With neither a stage nor a recognition date, a member whose branch was due to decide the
    recognition before today (30 working days after the 12 months) is official since the 12
    months ended: a list of long-standing members often leaves that date out, and a member not
    recognised is struck off, not kept on probation for years. One still within that time is
    probationary. The import's report shows each member's stage before anything is written."""
    checked: list[MemberRow] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    keys = [c.key for c in layout.columns if c.key in ("full_name", *MEMBER_COLUMNS)]
    for offset, values in enumerate(rows[layout.header_row:]):
        row = layout.header_row + offset + 1
        cells = {c.key: (c.header, values[c.index] if c.index < len(values) else None)
                 for c in layout.columns if c.key in keys}
        if not any(_text(v) for _, v in cells.values()):
            continue
        problems: list[RowError] = []

        def fail(key: str, problem: str, **detail: Any) -> None:
            header, raw = cells[key]
            problems.append(RowError(row, header, _shown(raw), problem, detail, member=True))

        name = _text(cells["full_name"][1])
        if not name:
            fail("full_name", "missing")
        elif len(name) > MAX_TEXT["full_name"]:
            fail("full_name", "too_long", most=MAX_TEXT["full_name"])
        days: dict[str, date] = {}
        for key in ("admitted_on", "official_on"):
            if key in cells and _text(cells[key][1]):
                parsed = parse_day(cells[key][1], today, year_only=False)
                if isinstance(parsed, str):
                    fail(key, parsed)
                elif parsed[0] > today:
                    fail(key, "date_in_future")
                elif parsed[0].year < 1900:
                    fail(key, "date_too_old")
                else:
                    days[key] = parsed[0]
        stage = None
        if "stage" in cells and _text(cells["stage"][1]):
            stage = vocab.choices["stage"].get(_key(_text(cells["stage"][1])))
            if stage not in MEMBER_STAGES:
                fail("stage", "member_stage")
        if "admitted_on" in days and "official_on" in days and days["official_on"] <= days["admitted_on"]:
            fail("official_on", "before_admission")
        recognised = "official_on" in days or ("admitted_on" in days
                                              and recognition_branch_due(days["admitted_on"]) < today)
        status = MEMBER_STAGES.get(stage) or ("official" if recognised else "probationary")
        since = (days.get("official_on") or (probation_end(days["admitted_on"]) if "admitted_on" in days else None)
                 if status == "official" else days.get("admitted_on"))
        if since is None and not problems:
            problems.append(RowError(row, "", "", "member_needs_date" if status == "official" else
                                     "member_needs_admission", member=True))
        if problems:
            errors += problems
            continue
        if fold(name) in first_row:
            errors.append(RowError(row, cells["full_name"][0], name, "duplicate_member",
                                   {"first": first_row[fold(name)]}, member=True))
            continue
        first_row[fold(name)] = row
        checked.append(MemberRow(row=row, full_name=name, status=status, since=since,
                                 stage=Stage.official if status == "official" else Stage.probationary,
                                 present=frozenset(cells)))
    return checked, errors
