"""The PDF of a committee's list of candidates, read back as text: every row of the register's
list is there whole and in order, the header at the top of every page, the pages numbered from
the second (the table is drawn by bot/reports/pdf_grid.py, not fpdf2's table())."""

import pypdf
import pytest

from bot.reports.document import shown
from bot.reports.make import ReportKind, make_report
from models.org import Organisation
from tests.reports.register import TODAY, build


@pytest.fixture
async def register(chibo):
    async with chibo.sessions() as session, session.begin():
        built = await build(session, per_branch=60)
    return built


def flat(text: str) -> str:
    return " ".join(text.split())  # a cell's lines read back one after the other


async def test_every_row_of_the_list_reads_back_in_order(chibo, register, tmp_path):
    async with chibo.sessions() as session:
        committee = await session.get(Organisation, register.committee_id)
        made = await make_report(session=session, kind=ReportKind.list, org=committee, period=None, today=TODAY,
                                 formats=["pdf"], out=tmp_path)
    [table] = made.documents[0].tables
    listed = [p for p in register.people if p.stage.value in ("source", "sympathizer", "awareness_class",
                                                               "dossier", "proposed")]
    assert len(table.rows) == len(listed) > 40
    pages = [flat(page.extract_text()) for page in pypdf.PdfReader(made.files[0]).pages]
    assert len(pages) > 2
    text = " ".join(pages)
    assert text.startswith("ĐẢNG ỦY THỬ * Số -BC/CB ĐẢNG CỘNG SẢN VIỆT NAM")
    assert "DANH SÁCH QUẦN CHÚNG ƯU TÚ" in pages[0]
    at = 0
    for row in table.rows:  # each row's cells, left to right, after the row before
        whole = flat(" ".join(shown(v, c.kind) for v, c in zip(row, table.columns, strict=True)))
        at = text.index(whole, at) + len(whole)
    header = "STT Chi bộ Số Họ và tên Ngày sinh Giới tính Đơn vị Đối tượng Đoàn viên Giai đoạn Từ ngày"
    for number, page in enumerate(pages, start=1):
        if number > 1:
            assert page.startswith(f"{number} {header}")  # its number on top, then the header again
    assert pages[-1].endswith("T/M ĐẢNG ỦY BÍ THƯ")


def test_a_cell_wraps_at_spaces_and_cuts_only_a_word_wider_than_its_column():
    from fpdf import FPDF

    from bot.reports.pdf import FONT, FONT_FILES, font_folder
    from bot.reports.pdf_grid import Measure, wrap

    pdf = FPDF(unit="mm")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, str(font_folder() / name))
    measure = Measure(pdf, FONT, "", 10)
    room = max(measure.width("Nguyễn Thị"), measure.width("Hồng Nhung")) + 0.01
    assert [line for line, _ in wrap("Nguyễn Thị Hồng Nhung", room, measure)] == ["Nguyễn Thị", "Hồng Nhung"]
    assert wrap("", room, measure) == [("", 0.0)]
    cut = [line for line, _ in wrap("Nghiêngngoằngngoằngngoằng", room, measure)]
    assert "".join(cut) == "Nghiêngngoằngngoằngngoằng" and len(cut) > 1
    assert all(measure.width(line) <= room for line in cut)
    pdf.set_font(FONT, "", 10)
    assert measure.width("Đảng viên") == pytest.approx(pdf.get_string_width("Đảng viên"))
