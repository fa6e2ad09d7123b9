"""A report as a spreadsheet (openpyxl, write-only: a list of 20,000 rows streams to disk).

One sheet per table: the title and the organisation on top, a merged bold header, the header
frozen and repeated on every printed page, A4 landscape, real dates and numbers in the cells."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from bot.reports.document import Document, Table, word
from bot.reports.layout import LAYOUT, Layout

FORMATS = {"date": "DD/MM/YYYY", "int": "0", "float": "0.0", "percent": "0.0"}
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_ROWS = 4  # title, organisation, period, a blank row


def _width(value) -> int:
    if value is None:
        return 0
    if hasattr(value, "strftime"):
        return 11  # dd/mm/yyyy and a little room
    return max((len(line) for line in str(value).split("\n")), default=0)


def _widest(values, kind: str) -> int:
    if kind == "date":
        return 11 if any(v is not None for v in values) else 0
    if kind != "text":  # numbers: no lines to split
        return max((len(str(v)) for v in values if v is not None), default=0)
    return max((_width(v) for v in values), default=0)


def widths(table: Table, layout: Layout) -> list[int]:
    found = []
    for i, column in enumerate(table.columns):
        longest = max(_width(column.label), _widest([row[i] for row in table.rows], column.kind))
        found.append(min(max(longest + 2, layout.min_column_chars), layout.max_column_chars))
    return found


def _sheet_name(text: str, taken: set[str]) -> str:
    name = "".join(c for c in text if c not in "[]:*?/\\")[:31]
    while name in taken:
        name = f"{name[:28]}{len(taken)}"
    taken.add(name)
    return name


def write_xlsx(doc: Document, path: Path, layout: Layout = LAYOUT) -> Path:
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in doc.tables:
        _sheet(book, doc, table, _sheet_name(word("sheet", table.key), taken), layout)
    book.save(path)
    return path


def _sheet(book: Workbook, doc: Document, table: Table, name: str, layout: Layout) -> None:
    sheet = book.create_sheet(name)
    n = len(table.columns)
    last = get_column_letter(n)
    header_rows = 2 if table.groups else 1
    first_header = TOP_ROWS + 1
    last_header = TOP_ROWS + header_rows
    for i, width in enumerate(widths(table, layout), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"A{last_header + 1}"
    sheet.print_title_rows = f"{first_header}:{last_header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    looks: dict[tuple, _Look] = {}  # one cell per look, written again with each value
    sheet._values_to_row = _looked_cells  # noqa: SLF001  (rows of (value, look) pairs, see below)

    def cell(value, *, bold=False, size=None, align=None, box=False, kind="text"):
        number_format = FORMATS.get(kind) if value is not None else None
        look = (bold, size or layout.sheet_body_pt, align, box, number_format)
        if look not in looks:
            c = looks[look] = _Look(sheet)
            c.font = Font(name=layout.font, bold=bold, size=look[1])
            if align:
                c.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
            if box:
                c.border = BOX
            if number_format:
                c.number_format = number_format
        return value, looks[look]

    for r, (text, bold, size) in enumerate([
        (f"{doc.title} {doc.period}".strip(), True, layout.sheet_title_pt), (doc.org, True, None),
        (table.caption, False, None)], start=1):
        sheet.append([cell(text, bold=bold, size=size, align="center")])
        sheet.merged_cells.add(f"A{r}:{last}{r}")
    sheet.append([])
    if table.groups:
        row, start = [], 1
        for label, span in table.groups:
            if label:
                row += [cell(label, bold=True, align="center", box=True)] + [
                    cell(None, box=True) for _ in range(span - 1)]
                if span > 1:
                    sheet.merged_cells.add(f"{get_column_letter(start)}{first_header}:"
                                           f"{get_column_letter(start + span - 1)}{first_header}")
            else:  # no group: the column's own label spans both header rows (kept in the top cell)
                for c in range(start, start + span):
                    row.append(cell(table.columns[c - 1].label, bold=True, align="center", box=True))
                    letter = get_column_letter(c)
                    sheet.merged_cells.add(f"{letter}{first_header}:{letter}{last_header}")
            start += span
        sheet.append(row)
    labels = [None if _merged_down(table, i) else c.label for i, c in enumerate(table.columns)]
    sheet.append([cell(label, bold=True, align="center", box=True) for label in labels])
    body = len(table.rows)
    for i, values in enumerate(table.rows):
        bold = table.total and i == body - 1
        sheet.append([cell(v, bold=bold, box=True, kind=c.kind, align="left" if c.kind == "text" else None)
                      for v, c in zip(values, table.columns, strict=True)])


class _Look(Cell):
    """A look's one cell: its style is set once, before it is first written, so its id in the
    workbook's styles is looked up once (openpyxl hashes the style again for every cell)."""

    __slots__ = ("_id",)

    def __init__(self, sheet):
        super().__init__(sheet)
        self._id = None

    @property
    def style_id(self) -> int:
        if self._id is None:
            self._id = super().style_id
        return self._id

    @property
    def has_style(self) -> bool:
        return True  # every look has at least its font


def _looked_cells(row, row_idx: int):
    """openpyxl's write-only sheet turns each appended row into cells here, one at a time, each
    written before the next is made. A styled cell handed to it failed a conversion first (an
    exception and its message per cell) and each was a new cell with its style copied: 20,000
    rows took 2.5 times openpyxl's plain rows. Here a row is (value, look) pairs and each
    look's one cell is given the value, as openpyxl itself reuses one cell for unstyled values."""
    for col_idx, (value, looked) in enumerate(row, 1):
        looked.value = value
        looked.column, looked.row = col_idx, row_idx
        yield looked


def _merged_down(table: Table, index: int) -> bool:
    """The column's label stands in the group row (merged over both header rows)."""
    start = 0
    for label, span in table.groups:
        if start <= index < start + span:
            return not label
        start += span
    return False
