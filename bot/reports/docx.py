"""A report as a Word document laid out as a Party document (Hướng dẫn 36-HD/VPTW): A4, Times
New Roman, the committee and the branch top left with the number under them, "ĐẢNG CỘNG SẢN
VIỆT NAM" and the place and date top right, the title, the tables, the signature and "Nơi nhận".
Sizes: bot/reports/layout.py."""

from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from bot.reports.document import Document, Table, shown, word
from bot.reports.layout import LAYOUT, Layout

CENTER = WD_ALIGN_PARAGRAPH.CENTER


def _font(run, layout: Layout, size: float, *, bold=False, italic=False, underline=False) -> None:
    run.font.name = layout.font
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), layout.font)  # noqa: SLF001


def _line(container, text: str, layout: Layout, size: float, *, align=CENTER, first=False, **style):
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(text), layout, size, **style)
    return paragraph


def _page(doc, layout: Layout, landscape: bool) -> None:
    section = doc.sections[0]
    width, height = Mm(layout.page_width_mm), Mm(layout.page_height_mm)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = Mm(layout.margin_top_mm), Mm(layout.margin_bottom_mm)
    section.left_margin, section.right_margin = Mm(layout.margin_left_mm), Mm(layout.margin_right_mm)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = layout.font, Pt(layout.body_pt)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), layout.font)


def _repeat_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)  # noqa: SLF001


def _table(doc, table: Table, layout: Layout) -> None:
    _line(doc, table.caption, layout, layout.body_pt, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True)
    header_rows = 2 if table.groups else 1
    grid = doc.add_table(rows=header_rows, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r in range(header_rows):
        _repeat_header(grid.rows[r])
    for i, column in enumerate(table.columns):
        _line(grid.cell(header_rows - 1, i), column.label, layout, layout.table_pt, first=True, bold=True)
    start = 0
    for label, span in table.groups:
        if label:
            merged = grid.cell(0, start).merge(grid.cell(0, start + span - 1)) if span > 1 else grid.cell(0, start)
            _line(merged, label, layout, layout.table_pt, first=True, bold=True)
        else:
            for i in range(start, start + span):
                top = grid.cell(0, i)
                label_cell = grid.cell(1, i)
                text = label_cell.text
                label_cell.paragraphs[0].clear()
                _line(top.merge(label_cell), text, layout, layout.table_pt, first=True, bold=True)
        start += span
    _body(grid, table, layout)
    doc.add_paragraph()


def _body(grid, table: Table, layout: Layout) -> None:
    """The table's rows, written as XML directly: python-docx's add_row().cells walks the whole
    table for every row (a 20,000-row roll-up took hours); the cells are the same as _line makes."""
    widths = [col.w for col in grid._tbl.tblGrid.gridCol_lst]  # noqa: SLF001
    font = escape(layout.font, {'"': "&quot;"})
    size = round(layout.table_pt * 2)

    def cell(width, align: str, bold: bool, text: str) -> str:
        b = "<w:b/>" if bold else ""  # not bold, italic nor underlined: the defaults, left unsaid
        lines = '</w:t><w:br/><w:t xml:space="preserve">'.join(escape(line) for line in text.split("\n"))
        return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width.twips if width else 0}"/></w:tcPr>'
                f'<w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="{align}"/></w:pPr><w:r><w:rPr>'
                f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
                f'{b}<w:sz w:val="{size}"/>'
                f'</w:rPr><w:t xml:space="preserve">{lines}</w:t></w:r></w:p></w:tc>')

    aligns = ["left" if c.kind == "text" else "center" for c in table.columns]
    last = len(table.rows) - 1
    rows = "".join("<w:tr>" + "".join(cell(w, a, table.total and n == last, shown(v, c.kind))
                                      for w, a, v, c in zip(widths, aligns, values, table.columns, strict=True))
                   + "</w:tr>" for n, values in enumerate(table.rows))
    grid._tbl.extend(list(parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>")))  # noqa: SLF001  one parse


def write_docx(report: Document, path: Path, layout: Layout = LAYOUT) -> Path:
    doc = new_document()
    _page(doc, layout, report.landscape)
    top = doc.add_table(rows=1, cols=2)
    left, right = top.rows[0].cells
    first = True
    if report.above:
        _line(left, report.above.upper(), layout, layout.header_pt, first=True)
        first = False
    _line(left, report.org.upper(), layout, layout.header_pt, first=first, bold=True)
    _line(left, "*", layout, layout.header_pt)
    _line(left, word("report_number"), layout, layout.number_pt)
    _line(right, word("party"), layout, layout.header_pt, first=True, bold=True, underline=True)
    _line(right, "", layout, layout.header_pt)
    _line(right, report.place_date, layout, layout.place_date_pt, italic=True)
    doc.add_paragraph()
    _line(doc, report.title, layout, layout.title_pt, bold=True)
    _line(doc, report.subtitle, layout, layout.subtitle_pt, bold=True)
    if report.period:
        _line(doc, report.period, layout, layout.subtitle_pt, bold=True)
    _line(doc, "-----", layout, layout.subtitle_pt)
    doc.add_paragraph()
    for table in report.tables:
        _table(doc, table, layout)
    for note in report.notes:
        _line(doc, note, layout, layout.body_pt, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    doc.add_paragraph()
    sign = doc.add_table(rows=1, cols=2)
    receivers, signer = sign.rows[0].cells
    _line(receivers, word("recipients_title"), layout, layout.recipients_pt, align=WD_ALIGN_PARAGRAPH.LEFT,
          first=True, bold=True, italic=True)
    for line in word("recipients", report.level):
        _line(receivers, line, layout, layout.recipients_pt, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(signer, word("signer", report.level), layout, layout.body_pt, first=True, bold=True)
    _line(signer, word("signer_role", report.level), layout, layout.body_pt, bold=True)
    doc.save(path)
    return path
