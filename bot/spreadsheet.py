"""A register's file: .xlsx (openpyxl, read-only: rows streamed, never the whole file in memory)
or .csv (UTF-8 with or without BOM, comma or semicolon), read into rows of cell values; and an
.xlsx written with a title, headers, validation lists and an explanatory sheet.

A file chibo cannot read raises BadFile with a reason key (messages/vi/import/bad_file.j2).
"""

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx, or an old .xls


class BadFile(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[tuple[Any, ...]]


def read_sheets(path: Path) -> list[Sheet]:
    """The sheets of a register with their rows (trailing empty rows dropped); BadFile else."""
    if not path.is_file():
        raise BadFile("missing")
    size = path.stat().st_size
    if size == 0:
        raise BadFile("empty")
    if size > MAX_BYTES:
        raise BadFile("too_big")
    suffix = path.suffix.lower()
    with path.open("rb") as f:
        head = f.read(8)
    if head == OLE_MAGIC:
        raise BadFile("password" if suffix in (".xlsx", ".xlsm") else "old_excel")
    if suffix in (".xlsx", ".xlsm"):
        sheets = _xlsx(path)
    elif suffix == ".csv":
        sheets = [Sheet(path.stem, _csv(path.read_bytes()))]
    else:
        raise BadFile("not_register")
    sheets = [s for s in sheets if s.rows]
    if not sheets:
        raise BadFile("empty")
    return sheets


def _xlsx(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(path):
        raise BadFile("not_register")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file: all mean "cannot read it"
        raise BadFile("damaged") from None
    try:
        sheets = [Sheet(ws.title, _rows(ws.iter_rows(values_only=True))) for ws in book.worksheets]
    except BadFile:
        raise
    except Exception:
        raise BadFile("damaged") from None
    finally:
        book.close()
    if not any(s.rows for s in sheets) and _has_formulas(path):
        raise BadFile("formulas_only")
    return sheets


def _has_formulas(path: Path) -> bool:
    """Formulas whose values were never computed (a file written by a program, not saved by Excel)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        return any(isinstance(v, str) and v.startswith("=") for ws in book.worksheets
                   for row in ws.iter_rows(values_only=True, max_row=MAX_ROWS) for v in row)
    finally:
        book.close()


def _rows(source) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    last = 0
    for row in source:
        if len(rows) >= MAX_ROWS:
            raise BadFile("too_many_rows")
        values = tuple(None if isinstance(v, str) and not v.strip() else v for v in row[:MAX_COLUMNS])
        rows.append(values)
        if any(v is not None for v in values):
            last = len(rows)
    return rows[:last]


def _csv(raw: bytes) -> list[tuple[Any, ...]]:
    if b"\x00" in raw:
        raise BadFile("not_register")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile("not_utf8") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return _rows(tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise BadFile("damaged") from None


@dataclass(frozen=True)
class Book:
    """What an .xlsx register holds: a title above the table, the headers, the rows, for some
    columns a list to choose from, and a second sheet explaining each column."""

    title: str
    sheet_name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    choices: Mapping[int, Sequence[str]]  # column index → allowed values
    help_name: str
    help_headers: Sequence[str]
    help_rows: Sequence[Sequence[str]]
    lists_name: str = "Danh muc"
    # More sheets after the first: (name, headers, rows), a header row then the rows.
    extra: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]] = ()


def write_book(path: Path | BinaryIO, book: Book) -> None:
    """The book as an .xlsx, to a path or an open binary file."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = book.sheet_name
    width = len(book.headers)
    ws.cell(row=1, column=1, value=book.title).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    header_row = 3
    for i, header in enumerate(book.headers, start=1):
        cell = ws.cell(row=header_row, column=i, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(30, len(header) + 4))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for r, values in enumerate(book.rows, start=header_row + 1):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    for name, headers, rows in book.extra:
        sheet = wb.create_sheet(name)
        sheet.append(list(headers))
        for c in range(1, len(headers) + 1):
            sheet.cell(row=1, column=c).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(c)].width = 24
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    cell = sheet.cell(row=r, column=c, value=value)
                    if isinstance(value, date):
                        cell.number_format = "DD/MM/YYYY"
    help_ws = wb.create_sheet(book.help_name)
    help_ws.append(list(book.help_headers))
    for line in book.help_rows:
        help_ws.append(list(line))
    help_ws.column_dimensions["A"].width = 32
    help_ws.column_dimensions["B"].width = 100
    if book.choices:
        lists = wb.create_sheet(book.lists_name)
        lists.sheet_state = "hidden"
        last_row = max(header_row + 1 + len(book.rows) + 1000, 2000)
        for n, (column, values) in enumerate(sorted(book.choices.items()), start=1):
            letter = get_column_letter(n)
            for r, value in enumerate(values, start=1):
                lists.cell(row=r, column=n, value=value)
            validation = DataValidation(type="list", allow_blank=True,
                                        formula1=f"'{book.lists_name}'!${letter}$1:${letter}${len(values)}")
            target = get_column_letter(column + 1)
            validation.add(f"{target}{header_row + 1}:{target}{last_row}")
            ws.add_data_validation(validation)
    wb.save(path)
