"""A report as PDF for people who only read (fpdf2): the same heading, tables and signature as
the Word document, in DejaVu Serif, a Unicode TrueType font that matplotlib ships (never a font
that may be missing on the machine), so that Vietnamese extracts as text."""

from pathlib import Path

import matplotlib
from fpdf import FPDF

from bot.reports.document import Document, Table, shown, word
from bot.reports.layout import LAYOUT, Layout
from bot.reports.pdf_grid import CENTER, LEFT, Grid, Measure
from bot.reports.xlsx import widths

FONT = "ReportSerif"
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf",
              "BI": "DejaVuSerif-BoldItalic.ttf"}
WIDE_TABLE = 10  # columns from which a table's type is made smaller to fit the page
LINE_MM = 6
SMALLEST_PT = 6  # the type of a table is not made smaller than this to fit its words
CELL_SLACK_MM = 1  # room beside a cell's text, over fpdf2's cell margins (its rounding, a border)


def font_folder() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class _Numbered(FPDF):
    """Pages numbered from the second, centred in the top margin (Hướng dẫn 36-HD/VPTW)."""

    page_number_pt: float = LAYOUT.page_number_pt

    def header(self) -> None:
        if self.page_no() < 2:
            return
        self.set_font(FONT, "", self.page_number_pt)
        number = str(self.page_no())
        self.text(self.l_margin + (self.epw - self.get_string_width(number)) / 2, self.t_margin / 2, number)


def _new(report: Document, layout: Layout) -> FPDF:
    pdf = _Numbered(orientation="L" if report.landscape else "P", unit="mm", format="A4")
    pdf.page_number_pt = layout.page_number_pt
    pdf.set_margins(layout.margin_left_mm, layout.margin_top_mm, layout.margin_right_mm)
    pdf.set_auto_page_break(True, margin=layout.margin_bottom_mm)
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, str(font_folder() / name))
    pdf.set_title(report.title)
    pdf.add_page()
    return pdf


def _lines(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float]]) -> float:
    for text, style, size in lines:
        pdf.set_x(x)
        pdf.set_font(FONT, style, size)  # "U" underlines
        pdf.multi_cell(width, LINE_MM, text, align="C", new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


def _fit(pdf: FPDF, table: Table, texts: list[list[str]], size: float) -> list[float] | None:
    """Column widths in mm at a type size, so that no word is cut: each column at least as wide
    as its longest word (header or cell), the rest of the line shared out by how much more each
    column's whole texts want. None when the longest words alone do not fit across the page."""
    pad = 2 * pdf.c_margin + CELL_SLACK_MM
    bold = Measure(pdf, FONT, "B", size)
    body = bold if table.total else Measure(pdf, FONT, "", size)  # a bold total row is the widest
    shortest, wanted = [], []
    for i, column in enumerate(table.columns):
        cells = {row[i] for row in texts}  # each text measured once
        head = [bold.width(w) for w in column.label.split()] or [0.0]
        whole = [body.width(c) for c in cells] or [0.0]
        words = [body.width(w) for w in {w for c in cells for w in c.split()}] or [0.0]
        shortest.append(max(*head, *words) + pad)
        wanted.append(max(max(whole) + pad, shortest[-1]))
    room = pdf.epw - sum(shortest)
    if room < 0:
        return None
    more = [w - s for w, s in zip(wanted, shortest, strict=True)]
    if sum(more) <= room:  # everything on one line: the space left goes by what each wants
        return [w * pdf.epw / sum(wanted) for w in wanted]
    return [s + room * m / sum(more) for s, m in zip(shortest, more, strict=True)]


def _table(pdf: FPDF, table: Table, layout: Layout) -> None:
    pdf.set_font(FONT, "B", layout.body_pt)
    pdf.multi_cell(0, LINE_MM, table.caption, new_x="LMARGIN", new_y="NEXT")
    size = layout.table_pt if len(table.columns) < WIDE_TABLE else layout.table_pt - 3
    texts = [[shown(v, c.kind) for v, c in zip(values, table.columns, strict=True)] for values in table.rows]
    found = _fit(pdf, table, texts, size)
    while found is None and size > SMALLEST_PT:  # type a little smaller rather than cut a word
        size -= 0.5
        found = _fit(pdf, table, texts, size)
    if found is None:  # the words cannot all fit whole: the spreadsheet's widths, shared across the page
        chars = widths(table, layout)
        found = [w * pdf.epw / sum(chars) for w in chars]
    grid = Grid(pdf, FONT, size, found)
    header = grid.row([c.label for c in table.columns], [CENTER] * len(table.columns), "B")
    aligns = [LEFT if c.kind == "text" else CENTER for c in table.columns]
    last = len(table.rows) - 1

    def rows():  # laid out one at a time as they are drawn
        for n, row in enumerate(texts):
            yield grid.row(row, aligns, "B" if table.total and n == last else "")

    grid.draw(header, rows())
    pdf.ln(LINE_MM)


def write_pdf(report: Document, path: Path, layout: Layout = LAYOUT) -> Path:
    pdf = _new(report, layout)
    half, top = pdf.epw / 2, pdf.get_y()
    left = ([(report.above.upper(), "", layout.header_pt)] if report.above else []) + [
        (report.org.upper(), "B", layout.header_pt), ("*", "", layout.header_pt),
        (word("report_number"), "", layout.number_pt)]
    bottom = _lines(pdf, pdf.l_margin, half, left)
    pdf.set_y(top)
    right = [(word("party"), "BU", layout.header_pt), ("", "", layout.header_pt),
             (report.place_date, "I", layout.place_date_pt)]
    pdf.set_y(max(bottom, _lines(pdf, pdf.l_margin + half, half, right)) + LINE_MM)
    title = [(report.title, "B", layout.title_pt), (report.subtitle, "B", layout.subtitle_pt)]
    if report.period:
        title.append((report.period, "B", layout.subtitle_pt))
    _lines(pdf, pdf.l_margin, pdf.epw, title)
    pdf.ln(LINE_MM)
    for table in report.tables:
        _table(pdf, table, layout)
    pdf.set_font(FONT, "", layout.body_pt)
    for note in report.notes:
        pdf.multi_cell(0, LINE_MM, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(LINE_MM)
    top = pdf.get_y()
    receivers = [(word("recipients_title"), "BI", layout.recipients_pt)] + [
        (line, "", layout.recipients_pt) for line in word("recipients", report.level)]
    for text, style, size in receivers:
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(half, LINE_MM, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top)
    _lines(pdf, pdf.l_margin + half, half, [(word("signer", report.level), "B", layout.body_pt),
                                            (word("signer_role", report.level), "B", layout.body_pt)])
    pdf.output(str(path))
    return path
