"""The report files, opened again with their own libraries: cells, types, merged header, print
setup; the Word document's page, fonts, heading of a Party document, tables and signature."""

from datetime import date, datetime

import docx
import openpyxl
import pypdf
import pytest
from PIL import Image

from bot.reports.layout import LAYOUT
from bot.reports.make import ReportKind, make_report
from models.org import Organisation
from models.reports.periods import PeriodUnit, _make
from tests.reports.register import BRANCHES, TODAY, build

FEBRUARY = _make(PeriodUnit.month, 2026, 2)
SCHOOL_YEAR = _make(PeriodUnit.school_year, 2025)


@pytest.fixture
async def register(chibo):
    async with chibo.sessions() as session, session.begin():
        built = await build(session)
    return built


async def made(chibo, kind, org_id, period, out):
    async with chibo.sessions() as session:
        org = await session.get(Organisation, org_id)
        return await make_report(session=session, kind=kind, org=org, period=period, today=TODAY,
                                 formats=["xlsx", "docx"], out=out)


async def test_the_list_as_a_spreadsheet(chibo, register, tmp_path):
    result = await made(chibo, ReportKind.list, register.committee_id, None, tmp_path)
    xlsx = next(p for p in result.files if p.suffix == ".xlsx")
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    assert sheet["A1"].value == "DANH SÁCH QUẦN CHÚNG ƯU TÚ" and sheet["A1"].font.b
    assert sheet["A2"].value == "Đảng ủy Thử"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:Q1", "A2:Q2", "J5:K5", "M5:N5", "P5:Q5", "A5:A6", "D5:D6"} <= merged
    assert (sheet["J5"].value, sheet["J6"].value, sheet["K6"].value) == ("Giai đoạn", "Giai đoạn", "Từ ngày")
    assert (sheet["A5"].value, sheet["D5"].value, sheet["E5"].value) == ("STT", "Họ và tên", "Ngày sinh")
    assert sheet["A5"].font.b and sheet["J5"].font.b
    assert sheet.freeze_panes == "A7"
    assert sheet.print_title_rows == "$5:$6"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert sheet.column_dimensions["D"].width >= len("Người Alpha 10")
    first = [c.value for c in sheet[7]]
    listed = [p for p in register.people if p.stage.value in ("source", "sympathizer", "awareness_class",
                                                               "dossier", "proposed")]
    assert sheet.max_row == 6 + len(listed)
    assert first[0] == 1 and isinstance(first[2], int) and isinstance(first[4], datetime)
    person = next(p for p in listed if p.branch == first[1] and p.number == first[2])
    assert (first[3], first[4].date(), first[5]) == (person.name, person.born, "Nam" if person.gender == "male"
                                                     else "Nữ")
    assert sheet.cell(7, 5).number_format == "DD/MM/YYYY"
    # Each look's cell is written again with the next value (bot/reports/xlsx.py): the styles stay
    # each cell's own: the headers and the body boxed, the body plain, every cell in the layout's font.
    header, body, last = sheet["D5"], sheet["D7"], sheet.cell(sheet.max_row, 4)
    assert all(c.border.left.style == c.border.bottom.style == "thin" for c in (header, body, last, sheet["K6"]))
    assert header.font.b and not body.font.b and not last.font.b and sheet["A1"].font.sz == LAYOUT.sheet_title_pt
    assert {c.font.name for row in sheet.iter_rows(min_row=1, max_row=9) for c in row if c.value is not None} == {
        LAYOUT.font}
    assert (body.alignment.horizontal, sheet["E7"].alignment.horizontal) == ("left", None)
    assert sheet["A3"].border.left.style is None  # the caption is not boxed
    document = docx.Document(next(p for p in result.files if p.suffix == ".docx"))
    assert round(document.sections[0].page_width.mm) == 297  # the wide list is landscape
    head, under = document.tables[1].rows[0].cells, document.tables[1].rows[1].cells
    assert (head[9].text, head[10].text, under[9].text, under[10].text) == (
        "Giai đoạn", "Giai đoạn", "Giai đoạn", "Từ ngày")  # one cell over two columns, then each
    assert head[3]._tc is under[3]._tc and head[3].text == "Họ và tên"  # one cell over both rows
    assert len(document.tables[1].rows) == 2 + len(listed)


async def test_the_monthly_report_as_a_party_document(chibo, register, tmp_path):
    result = await made(chibo, ReportKind.monthly, register.branches[BRANCHES[0]], FEBRUARY, tmp_path)
    assert [p.name for p in result.files] == [f"monthly-A-2026-02.{x}" for x in ("xlsx", "docx")]
    document = docx.Document(next(p for p in result.files if p.suffix == ".docx"))
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)
    assert [round(x.mm) for x in sizes] == [210, 297, 20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    top = document.tables[0].rows[0].cells
    assert [p.text for p in top[0].paragraphs] == ["ĐẢNG ỦY THỬ", "CHI BỘ ALPHA", "*", "Số      -BC/CB"]
    assert top[0].paragraphs[1].runs[0].bold
    assert top[1].paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM" and top[1].paragraphs[0].runs[0].underline
    assert top[1].paragraphs[2].text == "……, ngày 02 tháng 03 năm 2026" and top[1].paragraphs[2].runs[0].italic
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO THÁNG" in texts and "Tháng 2/2026" in texts
    runs = [r for p in document.paragraphs for r in p.runs] + [
        r for t in document.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO THÁNG")
    assert title.runs[0].font.size.pt == LAYOUT.title_pt and title.runs[0].bold
    moved = document.tables[2]  # after the heading and the summary: the movements
    assert [c.text for c in moved.rows[0].cells] == ["STT", "Số", "Họ và tên", "Từ", "Sang", "Ngày", "Lý do"]
    people = {p.number: p for p in register.people if p.branch == BRANCHES[0]}
    changes = [(n, on) for n, p in people.items() for _, _, on in p.history if FEBRUARY.start <= on <= FEBRUARY.end]
    assert len(moved.rows) == 1 + len(changes)
    number, on = int(moved.rows[1].cells[1].text), moved.rows[1].cells[5].text
    assert (number, datetime.strptime(on, "%d/%m/%Y").date()) in changes
    assert moved.rows[0]._tr.xml.count("w:tblHeader") == 1
    sign = document.tables[-1].rows[0].cells
    assert [p.text for p in sign[1].paragraphs] == ["T/M CHI BỘ", "BÍ THƯ"]
    assert sign[0].paragraphs[0].text == "Nơi nhận:"


async def test_the_committee_gets_statistics_and_its_roll_up(chibo, register, tmp_path):
    result = await made(chibo, ReportKind.yearly, register.committee_id, SCHOOL_YEAR, tmp_path)
    assert [d.kind for d in result.documents] == ["statistics", "rollup"] and len(result.files) == 4
    stats = openpyxl.load_workbook(next(p for p in result.files if p.name.startswith("statistics") and
                                        p.suffix == ".xlsx"))
    admissions = stats["Kết nạp"]
    assert [c.value for c in admissions[5]] == ["STT", "Nội dung", "Kỳ này", "Cùng kỳ năm trước", "So sánh (%)"]
    held = sum(bool(p.ceremony_on and SCHOOL_YEAR.start <= p.ceremony_on <= SCHOOL_YEAR.end)
               for p in register.people)
    assert admissions["B6"].value == "Tổng số đảng viên kết nạp" and admissions["C6"].value == held
    assert isinstance(admissions["C6"].value, int)
    roll = openpyxl.load_workbook(next(p for p in result.files if p.name.startswith("rollup") and p.suffix == ".xlsx"))
    sheet = roll.worksheets[0]
    rows = list(sheet.iter_rows(min_row=7, values_only=True))
    assert [r[1] for r in rows] == [*sorted(BRANCHES), "Tổng cộng"]
    assert rows[-1][2] == held == sum(r[2] for r in rows[:-1])
    assert sheet.cell(7 + len(rows) - 1, 2).font.b and not sheet.cell(7, 2).font.b  # the total alone in bold
    document = docx.Document(next(p for p in result.files if p.name.startswith("rollup") and p.suffix == ".docx"))
    assert round(document.sections[0].page_width.mm) == 297  # landscape for the wide table
    assert [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs] == ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    table = document.tables[1]
    assert table.rows[-1].cells[1].text == "Tổng cộng" and table.rows[-1].cells[2].text == str(held)
    assert any("Chi bộ Trống" in p.text for p in document.paragraphs)  # no admission, no change


async def test_an_empty_branch_writes_zeros(chibo, register, tmp_path):
    result = await made(chibo, ReportKind.half_year, register.branches[BRANCHES[2]], _make(PeriodUnit.half, 2025, 2),
                        tmp_path)
    sheet = openpyxl.load_workbook(next(p for p in result.files if p.suffix == ".xlsx"))["Kết nạp"]
    assert [sheet.cell(r, 3).value for r in range(6, sheet.max_row + 1)] == [0] * (sheet.max_row - 5)
    assert sheet.cell(6, 5).value is None  # no percentage of nothing
    assert date(2026, 3, 2) == TODAY


async def test_the_pdf_and_the_chart(chibo, register, tmp_path):
    async with chibo.sessions() as session:
        committee = await session.get(Organisation, register.committee_id)
        result = await make_report(session=session, kind=ReportKind.yearly, org=committee, period=SCHOOL_YEAR,
                                   today=TODAY, formats=["pdf", "png"], out=tmp_path)
    assert [p.name for p in result.files] == ["statistics-T-2025-2026.pdf", "statistics-T-2025-2026.png",
                                              "rollup-T-2025-2026.pdf", "rollup-T-2025-2026.png"]
    statistics_pdf = pypdf.PdfReader(result.files[0])
    text = " ".join(" ".join(page.extract_text() for page in statistics_pdf.pages).split())  # lines wrap
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY THỬ", "BÁO CÁO THỐNG KÊ CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN",
                  "Năm học 2025-2026", "Tổng số đảng viên kết nạp", "Dân tộc thiểu số", "T/M ĐẢNG ỦY", "Nơi nhận:"):
        assert words in text
    page = statistics_pdf.pages[0].mediabox
    assert (round(float(page.width) * 25.4 / 72), round(float(page.height) * 25.4 / 72)) == (210, 297)
    fonts = {f["/BaseFont"] for p in statistics_pdf.pages for f in p["/Resources"]["/Font"].values()}
    assert all("DejaVuSerif" in f for f in fonts)
    rollup_pdf = pypdf.PdfReader(result.files[2])
    assert round(float(rollup_pdf.pages[0].mediabox.width) * 25.4 / 72) == 297  # landscape
    assert "Chi bộ Trống" in rollup_pdf.pages[0].extract_text()
    with Image.open(result.files[1]) as png:
        assert (png.format, png.size) == ("PNG", (1000, 560))
        assert len(png.convert("L").getcolors(maxcolors=256 * 256) or ()) > 10  # something is drawn


async def test_the_quarterly_survey_as_a_spreadsheet_and_a_document(chibo, register, tmp_path):
    result = await made(chibo, ReportKind.quarterly, register.branches[BRANCHES[0]],
                        _make(PeriodUnit.quarter, 2026, 1), tmp_path)
    sheet = openpyxl.load_workbook(result.files[0]).worksheets[0]
    assert (sheet["D5"].value, sheet["H5"].value) == ("Số người trong danh sách", "Khảo sát nguồn trong quý")
    assert {"D5:G5", "H5:M5", "C5:C6"} <= {str(r) for r in sheet.merged_cells.ranges}
    rows = list(sheet.iter_rows(min_row=7, values_only=True))
    followed = [p for p in register.people if p.branch == BRANCHES[0] and p.stage.value in (
        "source", "sympathizer", "awareness_class", "dossier")]
    assert sum(r[6] for r in rows) == len(followed) and all(r[6] == sum(r[3:6]) for r in rows)
    document = docx.Document(result.files[1])
    assert "BÁO CÁO KHẢO SÁT NGUỒN PHÁT TRIỂN ĐẢNG VIÊN" in [p.text for p in document.paragraphs]
    assert "Đơn vị chưa có ai trong danh sách nguồn: Tổ Sử." in [p.text for p in document.paragraphs]
