"""The PDF's tables on A4: in narrow columns a long Vietnamese word is never cut in two (the
columns are as wide as their longest words, the type smaller when a wide table needs it), as
the text read back from the file shows."""

from datetime import date

import pypdf

from bot.reports.document import Column, Document, Table
from bot.reports.pdf import write_pdf

WIDE = ["STT", "Chi bộ", "Kỳ này", "Cùng kỳ năm trước", "Chỉ tiêu", "Quần chúng ưu tú (nguồn)", "Cảm tình Đảng",
        "Học lớp nhận thức về Đảng", "Đang làm hồ sơ", "Đã đề nghị kết nạp", "Đảng viên dự bị",
        "Không thay đổi 90 ngày", "Đã gửi báo cáo kỳ này"]
NAMES = ["Chi bộ Trường THPT Nguyễn Khuyến", "Chi bộ Khoa Giáo dục Thể chất, Trường Đại học Sư phạm",
         "Chi bộ Phòng Quản trị Thiết bị", "Chi bộ Nghiêng Ngoằng Chuyển Khuếch Nghiệp"]


def document(tables: list[Table], landscape: bool) -> Document:
    return Document(kind="rollup", level="committee", title="BÁO CÁO TỔNG HỢP", subtitle="Theo từng chi bộ",
                    period="Năm 2026", above="Đảng bộ Tỉnh", org="Đảng ủy Khối Giáo dục", day=date(2026, 3, 2),
                    tables=tables, landscape=landscape)


def tokens(path) -> set[str]:
    return {t for page in pypdf.PdfReader(path).pages for t in page.extract_text().split()}


def words_of(table: Table) -> set[str]:
    found = {w for c in table.columns for w in c.label.split()}
    return found | {w for row in table.rows for v in row if isinstance(v, str) for w in v.split()}


async def test_a_wide_table_keeps_every_word_whole(tmp_path):
    columns = [Column(WIDE[0], "int"), Column(WIDE[1])] + [Column(x, "int") for x in WIDE[2:11]] + [
        Column(WIDE[11]), Column(WIDE[12])]
    rows = [[i, name, 1, 2, 3, 10, 20, 3, 1, 0, 2, "Có" if i % 2 else "", "Có"] for i, name in enumerate(NAMES, 1)]
    table = Table("rollup", "Số liệu theo chi bộ", columns, rows, total=True)
    path = write_pdf(document([table], landscape=True), tmp_path / "wide.pdf")
    missing = words_of(table) - tokens(path)
    assert not missing  # a word cut across two lines reads back as two pieces
    page = pypdf.PdfReader(path).pages[0].mediabox
    assert (round(float(page.width) * 25.4 / 72), round(float(page.height) * 25.4 / 72)) == (297, 210)


async def test_the_statistics_table_on_a_portrait_page(tmp_path):
    compared = [Column("STT", "int"), Column("Nội dung"), Column("Kỳ này", "int"),
                Column("Cùng kỳ năm trước", "int"), Column("So sánh (%)", "percent")]
    rows = [[1, "Tổng số đảng viên kết nạp", 12, 8, 150.0],
            [2, "Đoàn viên thanh niên Cộng sản Hồ Chí Minh", 9, 6, 150.0],
            [3, "Người dân tộc thiểu số", 1, 0, None], [4, "Trong doanh nghiệp ngoài khu vực nhà nước", 0, 1, 0.0],
            [5, "Học sinh, sinh viên", 3, 2, 150.0], [6, "Tuổi bình quân", 27.5, 29.1, 94.5]]
    table = Table("admissions", "I. Kết nạp đảng viên theo đối tượng", compared, rows)
    path = write_pdf(document([table], landscape=False), tmp_path / "statistics.pdf")
    assert not words_of(table) - tokens(path)
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages).split())
    assert "Đoàn viên thanh niên Cộng sản Hồ Chí Minh" in text  # a row's name on one line where it fits
    assert "150,0" in text
