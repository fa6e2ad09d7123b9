"""Reading a register, value by value (models/register_import.py), on what test_register_import.py
leaves unchecked: the words compared, the header row among many (merged cells, ignored and unknown
headers, a column named twice), each cell checked into a value or an error naming its row, header,
value and problem, the dates out of order, the rows skipped or doubled, and the members' sheet.
No database: the module works on plain cell values."""

from datetime import date, datetime

import pytest

from bot.register_file import vocabulary
from models.register_import import (
    Column, Layout, MemberRow, RegisterRow, RowError, Vocabulary, _key, _layout_at, _match, _shown, _text, history,
    inferred_stage, missing_columns, parse_day, parse_row, read_layout, read_member_layout, read_member_rows,
    read_rows,
)
from models.stage import Category, Gender, IntroducedBy, Stage

TODAY = date(2026, 3, 2)
V = vocabulary()


# ---- words ----------------------------------------------------------------------------------------

def test_a_vocabulary_maps_each_folded_word_to_its_key():
    v = Vocabulary.of(headers={"full_name": ["Họ và tên", "Tên (có dấu)"], "birth": ["Ngày-sinh"]},
                      ignored=["STT", "Số CCCD"],
                      choices={"gender": {"male": ["Nam", "M"], "female": ["Nữ"]}, "flag": {"yes": ["Có"]}})
    assert v.headers == {"ho va ten": "full_name", "ten": "full_name", "ngay sinh": "birth"}
    assert v.ignored == frozenset({"stt", "so cccd"})
    assert v.choices == {"gender": {"nam": "male", "m": "male", "nu": "female"}, "flag": {"co": "yes"}}


@pytest.mark.parametrize("text, key", [
    ("Ngày sinh (dd/mm/yyyy)", "ngay sinh"),
    ("Họ-và-tên [bắt buộc]", "ho va ten"),
    ("Nam/Nữ", "nam/nu"),
    ("Ghi chú khác:", "ghi chu khac"),
    ("A(b)c[d]e", "a c e"),
    ("  Số   GCN 12 ", "so gcn 12"),
    ("ĐOÀN VIÊN", "doan vien"),
])
def test_a_header_is_compared_without_accents_case_brackets_or_punctuation(text, key):
    assert _key(text) == key


@pytest.mark.parametrize("value, text", [
    (None, ""), (1987.0, "1987"), (1.5, "1.5"), (12, "12"), ("  Lê   Văn  Tâm ", "Lê Văn Tâm"), (True, "True"),
    (0.0, "0"),
])
def test_a_cell_as_text(value, text):
    assert _text(value) == text


def test_a_header_matches_its_key_or_none():
    assert _match(V, "Họ tên") == "full_name"
    assert _match(V, "NĂM SINH") == "birth_year"
    assert _match(V, "Quê quán") is None
    assert _match(V, "") is None
    # an empty cell names no column, even where a word of the vocabulary folds to nothing
    bracketed = Vocabulary.of(headers={"note": ["(ghi chú)"]}, ignored=[], choices={})
    assert bracketed.headers == {"": "note"}
    assert _match(bracketed, "") is None and _match(bracketed, None) is None


def test_a_layout_finds_a_column_by_key():
    layout = Layout(header_row=1, columns=(Column(0, "full_name", "Tên"), Column(3, "birth", "Ngày sinh")),
                    unknown=())
    assert layout.index("birth") == Column(3, "birth", "Ngày sinh")
    assert layout.index("full_name") == Column(0, "full_name", "Tên")
    assert layout.index("gender") is None
    assert layout.doubled == ()


# ---- the header row -------------------------------------------------------------------------------

def _columns(layout: Layout) -> list[tuple[int, str, str]]:
    return [(c.index, c.key, c.header) for c in layout.columns]


def test_a_header_row_names_known_unknown_ignored_and_doubled_columns():
    rows = [("STT", "Họ và tên", "Ngày sinh", "Quê quán", "Họ tên", "Giới tính", None, "Số CMND", "Sở thích")]
    layout = _layout_at(rows, 0, V)
    assert layout == Layout(header_row=1, columns=(Column(1, "full_name", "Họ và tên"),
                                                   Column(2, "birth", "Ngày sinh"), Column(5, "gender", "Giới tính")),
                            unknown=("Quê quán", "Sở thích"), doubled=("Họ tên",))


def test_a_header_merged_across_rows_or_columns_is_read_from_the_row_above():
    rows = [
        ("Họ và tên", "Năm sinh", "Giấy chứng nhận lớp bồi dưỡng", None, "Quê", "TT", "Giới tính", "Khen thưởng"),
        (None, None, "Số", "Ngày cấp", "Xã", None, None, "Năm"),
    ]
    layout = _layout_at(rows, 1, V)
    assert layout.header_row == 2
    assert _columns(layout) == [
        (0, "full_name", "Họ và tên"), (1, "birth_year", "Năm sinh"),
        (2, "certificate_number", "Giấy chứng nhận lớp bồi dưỡng Số"),
        (3, "certificate_on", "Giấy chứng nhận lớp bồi dưỡng Ngày cấp"), (6, "gender", "Giới tính")]
    # an unknown header below an unknown one is listed as written, not joined to it
    assert layout.unknown == ("Xã", "Năm")
    assert layout.doubled == ()


def test_a_row_longer_or_shorter_than_the_row_above_is_read_to_its_end():
    rows = [("Họ và tên",), ("Tên", "Ngày sinh", "Giới tính")]
    assert _columns(_layout_at(rows, 1, V)) == [(0, "full_name", "Tên"), (1, "birth", "Ngày sinh"),
                                                (2, "gender", "Giới tính")]
    rows = [("Họ và tên", "Ngày sinh", "Giới tính", "Ghi chú"), ("Tên",)]
    assert _columns(_layout_at(rows, 1, V)) == [(0, "full_name", "Tên"), (1, "birth", "Ngày sinh"),
                                                (2, "gender", "Giới tính"), (3, "note", "Ghi chú")]


def test_a_known_header_under_a_merged_title_is_read_alone():
    rows = [("Thông tin cá nhân", None, None), ("Họ và tên", "Ngày sinh", "Dân tộc")]
    layout = _layout_at(rows, 1, V)
    assert _columns(layout) == [(0, "full_name", "Họ và tên"), (1, "birth", "Ngày sinh")]
    assert layout.unknown == ("Dân tộc",)
    # the title row itself: one unknown header, nothing under the merged cells it spans
    assert _layout_at(rows, 0, V) == Layout(header_row=1, columns=(), unknown=("Thông tin cá nhân",))


def test_an_ignored_header_under_a_title_is_not_listed():
    rows = [("Giấy tờ", None), ("CCCD", "Điện thoại")]
    assert _layout_at(rows, 1, V) == Layout(header_row=2, columns=(), unknown=())
    # an unknown header under an ignored one is listed all the same
    rows = [("STT", "TT", "Họ và tên"), ("Quê", None, None)]
    assert _layout_at(rows, 1, V) == Layout(header_row=2, columns=(Column(2, "full_name", "Họ và tên"),),
                                            unknown=("Quê",))


def test_the_header_row_is_the_one_naming_most_columns_among_the_first_thirty():
    title = ("Danh sách",)
    short = ("Họ và tên", "Ngày sinh")
    full = ("Họ và tên", "Ngày sinh", "Giới tính")
    layout = read_layout([title, short, full], V)
    assert layout.header_row == 3 and len(layout.columns) == 3
    # a later row naming as many does not replace the first
    layout = read_layout([title, full, ("Tên", "Sinh ngày", "Phái")], V)
    assert layout.header_row == 2 and _columns(layout)[0] == (0, "full_name", "Họ và tên")
    # a birth year does for a birth date; a name alone or a birth alone does not
    assert read_layout([("Họ tên", "Năm sinh")], V).header_row == 1
    assert read_layout([("Ngày sinh", "Năm sinh", "Giới tính")], V) is None
    assert read_layout([("Họ tên", "Giới tính", "Ngày kết nạp")], V) is None
    # only the first 30 rows are looked at
    assert read_layout([title] * 29 + [short], V).header_row == 30
    assert read_layout([title] * 30 + [short], V) is None
    assert read_layout([], V) is None


def test_the_required_columns_a_layout_lacks():
    def layout(*keys: str) -> Layout:
        return Layout(1, tuple(Column(i, k, k) for i, k in enumerate(keys)), ())

    assert missing_columns(layout()) == ["full_name", "birth", "gender"]
    assert missing_columns(layout("full_name")) == ["birth", "gender"]
    assert missing_columns(layout("birth_year", "note")) == ["full_name", "gender"]
    assert missing_columns(layout("full_name", "birth", "gender")) == []
    assert missing_columns(layout("gender", "birth_year", "full_name")) == []


# ---- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, year_only, expected", [
    (datetime(2001, 2, 14, 8, 30), True, (date(2001, 2, 14), False)),
    (date(2001, 2, 14), True, (date(2001, 2, 14), False)),
    ("1900", True, (date(1900, 1, 1), True)),
    ("2099", True, (date(2099, 1, 1), True)),
    ("1899", True, "year_not_date"),
    ("2100", True, "year_not_date"),
    (1899, True, "year_not_date"),
    (1987.0, False, "year_not_date"),
    (1987.0, True, (date(1987, 1, 1), True)),
    (36936.0, False, (date(2001, 2, 14), False)),
    (36936.75, False, (date(2001, 2, 14), False)),
    (1, False, (date(1899, 12, 31), False)),
    (2958465, False, (date(9999, 12, 31), False)),
    (2958466, False, "not_a_date"),
    (0, False, "not_a_date"),
    (-5, False, "not_a_date"),
    (True, False, "not_a_date"),
    (123, False, (date(1900, 5, 2), False)),
    ("2001-02-14 00:00:00", False, (date(2001, 2, 14), False)),
    ("2001-2-3T08:30", False, (date(2001, 2, 3), False)),
    ("2001-02-30", False, "date_not_real"),
    ("2001-02-14x", False, "not_a_date"),
    ("14.02.2001", False, (date(2001, 2, 14), False)),
    ("14 / 2 - 2001", False, (date(2001, 2, 14), False)),
    ("4/2/26", False, (date(2026, 2, 4), False)),  # this year: still this century
    ("4/2/27", False, (date(1927, 2, 4), False)),  # next year: last century
    ("4/2/00", False, (date(2000, 2, 4), False)),
    ("14/02/201", False, "not_a_date"),
    ("114/02/2001", False, "not_a_date"),
    ("", False, "not_a_date"),
    (None, True, "not_a_date"),
])
def test_more_dates_as_registers_write_them(value, year_only, expected):
    assert parse_day(value, TODAY, year_only=year_only) == expected


def test_a_shown_value_is_a_date_as_written_or_the_text_cut_short():
    assert _shown(datetime(2001, 2, 4, 9, 5)) == "04/02/2001"
    assert _shown(None) == ""
    assert _shown(1987.0) == "1987"
    assert _shown("x" * 61) == "x" * 60
    assert _shown(" a  b ") == "a b"


# ---- one row --------------------------------------------------------------------------------------

HEADERS = {
    "full_name": "Họ và tên", "birth": "Ngày sinh", "birth_year": "Năm sinh", "gender": "Giới tính",
    "unit": "Đơn vị", "category": "Thành phần", "youth_union": "Đoàn viên", "ethnic_minority": "Dân tộc thiểu số",
    "religious": "Có đạo", "private_firm": "Doanh nghiệp ngoài nhà nước", "stage": "Giai đoạn",
    "introduced_by": "Nguồn giới thiệu", "sponsor": "Người giúp đỡ", "certificate_number": "Số GCN",
    "certificate_on": "Ngày cấp GCN", "1-KNĐ": "Đơn xin vào Đảng", "2-KNĐ": "Lý lịch", "3-KNĐ": "Giấy giới thiệu",
    "4-KNĐ": "Nghị quyết của Đoàn", "5-KNĐ": "Tổng hợp ý kiến", "admitted_on": "Ngày kết nạp",
    "official_on": "Ngày chính thức", "note": "Ghi chú",
}


def cells(**values) -> dict[str, tuple[str, object]]:
    """A row's cells by key: the name, birth and gender given unless set (None drops a column)."""
    given = {"full_name": "Lê Văn Tâm", "birth": "14/02/2001", "gender": "Nam"}
    given.update({k.replace("_KND", "-KNĐ").lstrip("d"): v for k, v in values.items()})
    return {k: (HEADERS[k], v) for k, v in given.items() if v is not None}


def test_a_full_row_is_checked_into_its_values():
    c = cells(unit="  Tổ   Toán ", category="Giáo viên", youth_union="Có", ethnic_minority="x", religious="Không",
              private_firm=None, stage="Đảng viên dự bị", introduced_by="Công đoàn", sponsor="Trần Thị Hà",
              certificate_number="125/GCN", certificate_on="01/06/2020", d1_KND=datetime(2021, 1, 5),
              d2_KND="2021-02-06", d3_KND=date(2021, 3, 7), d4_KND="8/4/21", d5_KND="09.05.2021",
              admitted_on="10/06/2021", official_on="", note="Chuyển từ chi bộ khác")
    assert parse_row(7, c, V, TODAY) == RegisterRow(
        row=7, full_name="Lê Văn Tâm", birth_date=date(2001, 2, 14), birth_year_only=False, gender=Gender.male,
        present=frozenset(c), category=Category.teacher, unit="Tổ Toán", youth_union=True, ethnic_minority=True,
        religious=False, private_firm=False, stage=Stage.probationary, introduced_by=IntroducedBy.trade_union,
        sponsor="Trần Thị Hà", certificate_number="125/GCN", certificate_on=date(2020, 6, 1),
        dossier={"1-KNĐ": date(2021, 1, 5), "2-KNĐ": date(2021, 2, 6), "3-KNĐ": date(2021, 3, 7),
                 "4-KNĐ": date(2021, 4, 8), "5-KNĐ": date(2021, 5, 9)},
        admitted_on=date(2021, 6, 10), official_on=None, note="Chuyển từ chi bộ khác")


def test_a_bare_row_keeps_blank_columns_as_nothing():
    c = cells(birth=None, birth_year=1987, gender="Nữ", unit="", category="", stage="", introduced_by="",
              youth_union="", ethnic_minority=None, religious="Có", private_firm="Không", sponsor=" ",
              official_on="21/3/2020", admitted_on="20/3/2019")
    parsed = parse_row(2, c, V, TODAY)
    assert parsed == RegisterRow(
        row=2, full_name="Lê Văn Tâm", birth_date=date(1987, 1, 1), birth_year_only=True, gender=Gender.female,
        present=frozenset(c), category=None, unit=None, youth_union=False, ethnic_minority=False, religious=True,
        private_firm=False, stage=None, introduced_by=None, sponsor=None, certificate_number=None,
        certificate_on=None, dossier={}, admitted_on=date(2019, 3, 20), official_on=date(2020, 3, 21), note=None)
    assert parsed.identity == ("le van tam", date(1987, 1, 1), True)
    assert parsed.youth_union is False and parsed.private_firm is False


def test_a_row_with_only_a_name_birth_and_gender():
    parsed = parse_row(3, cells(), V, TODAY)
    assert parsed == RegisterRow(row=3, full_name="Lê Văn Tâm", birth_date=date(2001, 2, 14), birth_year_only=False,
                                 gender=Gender.male, present=frozenset({"full_name", "birth", "gender"}))
    assert (parsed.youth_union, parsed.ethnic_minority, parsed.religious, parsed.private_firm) == (
        False, False, False, False)


def test_every_bad_cell_of_a_row_is_an_error_naming_its_header_and_value():
    c = cells(birth="31/02/2001", gender="Không rõ", category="Bộ đội", youth_union="có lẽ", stage="Sắp vào",
              introduced_by="Hàng xóm", unit="u" * 121, note="n" * 501, sponsor="s" * 121,
              certificate_number="c" * 41, admitted_on="tháng 5", official_on="2027", certificate_on=2024)
    assert parse_row(5, c, V, TODAY) == [
        RowError(5, "Ngày sinh", "31/02/2001", "date_not_real"),
        RowError(5, "Giới tính", "Không rõ", "bad_gender"),
        RowError(5, "Thành phần", "Bộ đội", "bad_category"),
        RowError(5, "Đoàn viên", "có lẽ", "not_yes_no"),
        RowError(5, "Giai đoạn", "Sắp vào", "bad_stage"),
        RowError(5, "Nguồn giới thiệu", "Hàng xóm", "bad_introduced_by"),
        RowError(5, "Đơn vị", "u" * 60, "too_long", {"most": 120}),
        RowError(5, "Ghi chú", "n" * 60, "too_long", {"most": 500}),
        RowError(5, "Người giúp đỡ", "s" * 60, "too_long", {"most": 120}),
        RowError(5, "Số GCN", "c" * 41, "too_long", {"most": 40}),
        RowError(5, "Ngày kết nạp", "tháng 5", "not_a_date"),
        RowError(5, "Ngày chính thức", "2027", "year_not_date"),
        RowError(5, "Ngày cấp GCN", "2024", "year_not_date"),
    ]


def test_text_at_its_longest_is_kept():
    parsed = parse_row(2, cells(full_name="a" * 120, unit="u" * 120, note="n" * 500, sponsor="s" * 120,
                                certificate_number="c" * 40, certificate_on="1/1/2020"), V, TODAY)
    assert (parsed.full_name, parsed.unit, parsed.note, parsed.sponsor, parsed.certificate_number) == (
        "a" * 120, "u" * 120, "n" * 500, "s" * 120, "c" * 40)


def test_a_name_too_long_is_not_also_missing():
    assert parse_row(2, cells(full_name="a" * 121), V, TODAY) == [
        RowError(2, "Họ và tên", "a" * 60, "too_long", {"most": 120})]


def test_a_missing_name_is_said_beside_another_columns_text_too_long():
    # (a fixed bug: any too long text hid the missing name, so a second upload failed on it)
    assert parse_row(2, cells(full_name="", note="n" * 501), V, TODAY) == [
        RowError(2, "Ghi chú", "n" * 60, "too_long", {"most": 500}), RowError(2, "Họ và tên", "", "missing")]


def test_a_date_after_today_or_before_1900_is_an_error():
    c = cells(birth="03/03/2026", admitted_on="31/12/1899", official_on=datetime(2026, 3, 3))
    assert parse_row(4, c, V, TODAY) == [
        RowError(4, "Ngày sinh", "03/03/2026", "date_in_future"),
        RowError(4, "Ngày kết nạp", "31/12/1899", "date_too_old"),
        RowError(4, "Ngày chính thức", "03/03/2026", "date_in_future"),
    ]
    # today itself and 1 January 1900 are real
    parsed = parse_row(4, cells(birth="01/01/1900", certificate_on="02/03/2026"), V, TODAY)
    assert (parsed.birth_date, parsed.certificate_on) == (date(1900, 1, 1), TODAY)


def test_a_missing_name_birth_or_gender_is_an_error_on_its_column():
    c = cells(full_name="  ", birth="", gender="", birth_year="")
    assert parse_row(6, c, V, TODAY) == [
        RowError(6, "Họ và tên", "", "missing"), RowError(6, "Ngày sinh", "", "missing"),
        RowError(6, "Giới tính", "", "missing")]
    c = cells(birth=None, birth_year=None, gender=None) | {"birth_year": ("Năm sinh", None), "gender": ("Phái", None)}
    assert parse_row(6, c, V, TODAY) == [RowError(6, "Năm sinh", "", "missing"), RowError(6, "Phái", "", "missing")]


def test_a_bad_birth_is_not_also_missing():
    assert parse_row(6, cells(birth="ngày 5"), V, TODAY) == [RowError(6, "Ngày sinh", "ngày 5", "not_a_date")]
    assert parse_row(6, cells(birth="", birth_year="năm 87"), V, TODAY) == [
        RowError(6, "Năm sinh", "năm 87", "not_a_date")]
    # a birth year where the date is blank is enough
    assert parse_row(6, cells(birth="", birth_year="1987"), V, TODAY).birth_date == date(1987, 1, 1)
    # a birth date before a birth year
    parsed = parse_row(6, cells(birth="5/6/1988", birth_year="1987"), V, TODAY)
    assert (parsed.birth_date, parsed.birth_year_only) == (date(1988, 6, 5), False)


def test_dates_out_of_order_are_errors():
    c = cells(birth="14/02/2001", certificate_on="14/02/2001", d1_KND="13/02/2001", d3_KND="15/02/2001",
              admitted_on="01/01/2001", official_on="01/01/2000")
    assert parse_row(8, c, V, TODAY) == [
        RowError(8, "Ngày cấp GCN", "14/02/2001", "before_birth"),
        RowError(8, "Đơn xin vào Đảng", "13/02/2001", "before_birth"),
        RowError(8, "Ngày kết nạp", "01/01/2001", "before_birth"),
        RowError(8, "Ngày chính thức", "01/01/2000", "before_birth"),
        RowError(8, "Ngày kết nạp", "01/01/2001", "before_certificate"),
        RowError(8, "Ngày chính thức", "01/01/2000", "before_admission"),
    ]


def test_each_date_after_the_birth_year_is_in_order():
    c = cells(birth=None, birth_year="2001", d2_KND="01/01/2001", d4_KND="02/01/2001", d5_KND="2001-01-01")
    assert parse_row(8, c, V, TODAY) == [
        RowError(8, "Lý lịch", "01/01/2001", "before_birth"), RowError(8, "Tổng hợp ý kiến", "2001-01-01",
                                                                          "before_birth")]


def test_an_admission_on_the_certificates_day_and_recognition_on_the_admissions():
    assert parse_row(2, cells(certificate_on="01/06/2020", admitted_on="01/06/2020"), V, TODAY).admitted_on == date(
        2020, 6, 1)
    assert parse_row(2, cells(admitted_on="01/06/2020", official_on="01/06/2020"), V, TODAY) == [
        RowError(2, "Ngày chính thức", "01/06/2020", "before_admission")]
    assert parse_row(2, cells(admitted_on="01/06/2020", official_on="02/06/2020"), V, TODAY).official_on == date(
        2020, 6, 2)


def test_recognition_without_admission_and_a_certificate_without_its_date():
    assert parse_row(2, cells(official_on="01/06/2020", certificate_number="12"), V, TODAY) == [
        RowError(2, "Ngày chính thức", "01/06/2020", "official_not_admitted"),
        RowError(2, "Số GCN", "12", "certificate_needs_date")]
    assert parse_row(2, cells(official_on="01/06/2020", admitted_on=""), V, TODAY) == [
        RowError(2, "Ngày chính thức", "01/06/2020", "official_not_admitted")]


def test_a_stage_the_dates_contradict():
    assert parse_row(2, cells(stage="Đảng viên chính thức", admitted_on=""), V, TODAY) == [
        RowError(2, "Ngày kết nạp", "", "member_needs_admission")]
    assert parse_row(2, cells(stage="Dự bị", admitted_on=" "), V, TODAY) == [
        RowError(2, "Ngày kết nạp", "", "member_needs_admission")]
    # without the column, the stage stands alone
    assert parse_row(2, cells(stage="Dự bị"), V, TODAY).stage == Stage.probationary
    assert parse_row(2, cells(stage="Nguồn", admitted_on="1/1/2020"), V, TODAY) == [
        RowError(2, "Giai đoạn", "Nguồn", "stage_before_dates")]
    assert parse_row(2, cells(stage="Cảm tình", admitted_on="1/1/2020"), V, TODAY) == [
        RowError(2, "Giai đoạn", "Cảm tình", "stage_before_dates")]
    assert parse_row(2, cells(stage="Làm hồ sơ", admitted_on="1/1/2020"), V, TODAY).stage == Stage.dossier
    assert parse_row(2, cells(stage="Nguồn", admitted_on=""), V, TODAY).stage == Stage.source
    assert parse_row(2, cells(stage="Làm hồ sơ", admitted_on=""), V, TODAY).admitted_on is None


# ---- the rows -------------------------------------------------------------------------------------

def test_every_row_below_the_header_checked_skipped_or_doubled():
    rows = [
        ("Danh sách", None, None, None),
        ("TT", "Họ tên", "Ngày sinh", "Giới tính", "Ghi chú"),
        (1, "Lê Văn Tâm", "14/02/2001", "Nam", "a"),
        (2, None, None, "Nữ"),  # no name, no birth: skipped
        (3, "Lê  Văn Tâm", "14/02/2001", "Nam"),  # the same person again
        (4, "", "01/01/1990", "Nữ"),  # a birth without a name: an error
        (5, "Trần Thị Hà"),  # a short row: the rest blank
        (6, "Trần Thị Hà", "1/1/1990", "Nữ"),
        (7, "le van tam", "15/02/2001", "Nam"),  # another birth: another person
        (8, "Lê Văn Tâm", "14/02/2001", "Nam"),
    ]
    layout = read_layout(rows, V)
    checked, errors = read_rows(rows, layout, V, TODAY)
    assert [(r.row, r.full_name, r.birth_date, r.note) for r in checked] == [
        (3, "Lê Văn Tâm", date(2001, 2, 14), "a"), (8, "Trần Thị Hà", date(1990, 1, 1), None),
        (9, "le van tam", date(2001, 2, 15), None)]
    assert errors == [
        RowError(5, "Họ tên", "Lê Văn Tâm", "duplicate_row", {"first": 3}),
        RowError(6, "Họ tên", "", "missing"),
        RowError(7, "Ngày sinh", "", "missing"), RowError(7, "Giới tính", "", "missing"),
        RowError(10, "Họ tên", "Lê Văn Tâm", "duplicate_row", {"first": 3}),
    ]


def test_a_row_with_a_birth_year_only_is_read():
    rows = [("Họ tên", "Ngày sinh", "Năm sinh", "Giới tính"), (None, None, "1987", "Nam"),
            ("An", None, "1987", "Nam")]
    checked, errors = read_rows(rows, read_layout(rows, V), V, TODAY)
    assert [(r.row, r.full_name, r.birth_date, r.birth_year_only) for r in checked] == [
        (3, "An", date(1987, 1, 1), True)]
    assert errors == [RowError(2, "Họ tên", "", "missing")]


# ---- stage and history ----------------------------------------------------------------------------

def _row(**dates) -> RegisterRow:
    return RegisterRow(row=2, full_name="A", birth_date=date(1990, 1, 1), birth_year_only=False, gender=Gender.male,
                       present=frozenset(), **dates)


def test_the_stage_a_rows_latest_date_shows():
    everything = dict(certificate_on=date(2020, 1, 1), dossier={"1-KNĐ": date(2020, 2, 1)},
                      admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    assert inferred_stage(_row(**everything), TODAY) == Stage.official
    assert inferred_stage(_row(official_on=date(2021, 3, 1)), TODAY) == Stage.official
    assert inferred_stage(_row(certificate_on=date(2020, 1, 1), admitted_on=date(2025, 6, 1)),
                          TODAY) == Stage.probationary
    assert inferred_stage(_row(certificate_on=date(2020, 1, 1), dossier={"2-KNĐ": date(2020, 2, 1)}),
                          TODAY) == Stage.dossier
    assert inferred_stage(_row(certificate_on=date(2020, 1, 1)), TODAY) == Stage.awareness_class


def test_a_row_admitted_with_no_recognition_is_official_once_the_branch_was_due_to_decide():
    # As on the members' sheet: admitted 11/01/2025, the branch's 30 working days after the 12
    # months (Tết between) ended on 27/02/2026, before today (02/03/2026): official since the 12
    # months ended. Admitted a day later, they end today: still probationary.
    long_ago = _row(certificate_on=date(2024, 5, 1), admitted_on=date(2025, 1, 11))
    assert inferred_stage(long_ago, TODAY) == Stage.official
    assert history(long_ago, Stage.official, TODAY) == [
        (Stage.awareness_class, date(2024, 5, 1)), (Stage.probationary, date(2025, 1, 11)),
        (Stage.official, date(2026, 1, 11))]
    assert inferred_stage(long_ago, None) == Stage.probationary  # no day given: no recognition inferred
    recent = _row(admitted_on=date(2025, 1, 12))
    assert inferred_stage(recent, TODAY) == Stage.probationary
    assert history(recent, Stage.probationary, TODAY) == [(Stage.probationary, date(2025, 1, 12))]
    # a recognition date in the file wins over the 12 months' end
    late = _row(admitted_on=date(2020, 3, 1), official_on=date(2021, 4, 15))
    assert history(late, Stage.official, TODAY) == [
        (Stage.probationary, date(2020, 3, 1)), (Stage.official, date(2021, 4, 15))]


def test_a_row_named_official_before_its_12_months_are_over_is_official_from_today():
    # The file says official though the admission was less than a year ago: the 12 months'
    # end is still to come, so the stage begins on the import day, as any undated stage does.
    row = _row(admitted_on=date(2025, 9, 1))
    assert history(row, Stage.official, TODAY) == [
        (Stage.probationary, date(2025, 9, 1)), (Stage.official, TODAY)]
    # a removed member's history does not invent a recognition
    assert history(_row(admitted_on=date(2020, 3, 1)), Stage.removed, TODAY) == [
        (Stage.probationary, date(2020, 3, 1)), (Stage.removed, TODAY)]


def test_a_history_from_every_date_up_to_the_stage():
    row = _row(certificate_on=date(2020, 1, 1), dossier={"1-KNĐ": date(2020, 2, 1), "3-KNĐ": date(2020, 1, 20)},
               admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    assert history(row, Stage.official, TODAY) == [
        (Stage.awareness_class, date(2020, 1, 1)), (Stage.dossier, date(2020, 1, 20)),
        (Stage.probationary, date(2020, 3, 1)), (Stage.official, date(2021, 3, 1))]
    assert history(row, Stage.awareness_class, TODAY) == [(Stage.awareness_class, date(2020, 1, 1))]
    # a stage between the dates begins today
    assert history(row, Stage.proposed, TODAY) == [
        (Stage.awareness_class, date(2020, 1, 1)), (Stage.dossier, date(2020, 1, 20)), (Stage.proposed, TODAY)]
    assert history(row, Stage.source, TODAY) == [(Stage.source, TODAY)]


def test_a_history_skips_a_date_before_the_step_it_follows():
    row = _row(certificate_on=date(2020, 5, 1), dossier={"1-KNĐ": date(2020, 2, 1)}, admitted_on=date(2020, 5, 1))
    assert history(row, Stage.probationary, TODAY) == [
        (Stage.awareness_class, date(2020, 5, 1)), (Stage.probationary, date(2020, 5, 1))]


def test_a_stage_beyond_a_date_after_today_begins_on_that_date():
    row = _row(certificate_on=date(2026, 4, 1))
    assert history(row, Stage.dossier, TODAY) == [
        (Stage.awareness_class, date(2026, 4, 1)), (Stage.dossier, date(2026, 4, 1))]
    assert history(_row(certificate_on=date(2026, 1, 1)), Stage.dossier, TODAY) == [
        (Stage.awareness_class, date(2026, 1, 1)), (Stage.dossier, TODAY)]


# ---- the members' sheet ---------------------------------------------------------------------------

def test_a_members_sheet_has_a_name_and_an_admission_or_recognition_and_no_birth():
    assert read_member_layout([("Họ và tên", "Ngày kết nạp")], V).header_row == 1
    assert read_member_layout([("Họ và tên", "Ngày chính thức")], V).header_row == 1
    assert read_member_layout([("Họ và tên", "Giai đoạn")], V) is None
    assert read_member_layout([("Ghi chú", "Ngày kết nạp")], V) is None
    assert read_member_layout([("Họ và tên", "Ngày kết nạp", "Ngày sinh")], V) is None
    assert read_member_layout([("Họ và tên", "Ngày kết nạp", "Năm sinh")], V) is None
    assert read_member_layout([], V) is None
    title = ("Đảng viên",)
    few, more = ("Họ và tên", "Ngày kết nạp"), ("Họ và tên", "Ngày kết nạp", "Ngày chính thức")
    layout = read_member_layout([title, few, more, ("Tên", "Ngày vào Đảng", "Ngày công nhận chính thức")], V)
    assert layout.header_row == 3 and _columns(layout) == [
        (0, "full_name", "Họ và tên"), (1, "admitted_on", "Ngày kết nạp"), (2, "official_on", "Ngày chính thức")]
    assert read_member_layout([title] * 29 + [few], V).header_row == 30
    assert read_member_layout([title] * 30 + [few], V) is None


MEMBER_HEADER = ("Họ và tên", "Giai đoạn", "Ngày kết nạp", "Ngày chính thức", "Ghi chú")


def _members(*rows):
    sheet = [("Đảng viên",), MEMBER_HEADER, *rows]
    return read_member_rows(sheet, read_member_layout(sheet, V), V, TODAY)


def test_members_are_read_with_their_status_and_since():
    checked, errors = _members(
        ("Phạm Văn Hùng", "Đảng viên chính thức", "03/02/2010", "03/02/2011", "x"),
        ("Lê Thị Hoa", "Dự bị", "05/06/2025", None),
        (None, None, None, None, "chỉ ghi chú"),  # only a note: nothing the sheet reads, skipped
        (None,),
        ("Trần Văn An", None, "10/10/2015", None),  # no stage, no recognition, admitted long ago: official
        ("Ngô Thị Bích", "", "", "01/01/2016"),  # recognised, no admission date
        ("Đỗ Văn Cường", "Đảng viên", "29/02/2016"),  # official, 29 Feb: a year on is 28 Feb
        ("Vũ Thị Dung", None, "01/12/2025"),  # no stage, admitted: probationary
    )
    assert errors == []
    assert checked == [
        MemberRow(3, "Phạm Văn Hùng", "official", date(2011, 2, 3), Stage.official, frozenset(
            {"full_name", "stage", "admitted_on", "official_on"})),
        MemberRow(4, "Lê Thị Hoa", "probationary", date(2025, 6, 5), Stage.probationary, frozenset(
            {"full_name", "stage", "admitted_on", "official_on"})),
        MemberRow(7, "Trần Văn An", "official", date(2016, 10, 10), Stage.official, frozenset(
            {"full_name", "stage", "admitted_on", "official_on"})),
        MemberRow(8, "Ngô Thị Bích", "official", date(2016, 1, 1), Stage.official, frozenset(
            {"full_name", "stage", "admitted_on", "official_on"})),
        MemberRow(9, "Đỗ Văn Cường", "official", date(2017, 2, 28), Stage.official, frozenset(
            {"full_name", "stage", "admitted_on", "official_on"})),
        MemberRow(10, "Vũ Thị Dung", "probationary", date(2025, 12, 1), Stage.probationary, frozenset(
            {"full_name", "stage", "admitted_on", "official_on"})),
    ]
    assert checked[0].identity == "pham van hung"


def test_a_members_sheet_with_only_names_and_recognition():
    sheet = [("Tên", "Ngày chính thức", "Ngày sinh con"), ("Phạm Văn Hùng", "03/02/2011", "x")]
    checked, errors = read_member_rows(sheet, read_member_layout(sheet, V), V, TODAY)
    assert errors == [] and checked == [
        MemberRow(2, "Phạm Văn Hùng", "official", date(2011, 2, 3), Stage.official,
                  frozenset({"full_name", "official_on"}))]


def test_a_members_problems_are_errors_of_the_members_sheet():
    checked, errors = _members(
        ("", "Dự bị", "05/06/2025"),
        ("a" * 121, "Dự bị", "05/06/2025"),
        ("Lê Thị Hoa", "Nguồn", "05/06/2025"),
        ("Lê Thị Hoa", "Không biết", "05/06/2025"),
        ("Trần Văn An", None, "tháng 5", "2027"),
        ("Ngô Thị Bích", None, "03/03/2026", "31/12/1899"),
        ("Đỗ Văn Cường", None, "01/06/2020", "01/06/2020"),
        ("Vũ Thị Dung", "Đảng viên", None, None),
        ("Vũ Thị Dung", "Dự bị", None, "01/06/2020"),
        ("Vũ Thị Dung", None, None, None, "ghi chú"),
        ("Hà Văn Em", None, "02/03/2026"),
        ("Hà  văn em", "Dự bị", "01/01/2026"),
        ("Lý Văn Giang", None, "01/02/2026"),  # read on after a name given twice
    )
    assert checked == [
        MemberRow(13, "Hà Văn Em", "probationary", TODAY, Stage.probationary, frozenset(
            {"full_name", "stage", "admitted_on", "official_on"})),
        MemberRow(15, "Lý Văn Giang", "probationary", date(2026, 2, 1), Stage.probationary, frozenset(
            {"full_name", "stage", "admitted_on", "official_on"}))]
    assert errors == [
        RowError(3, "Họ và tên", "", "missing", member=True),
        RowError(4, "Họ và tên", "a" * 60, "too_long", {"most": 120}, member=True),
        RowError(5, "Giai đoạn", "Nguồn", "member_stage", member=True),
        RowError(6, "Giai đoạn", "Không biết", "member_stage", member=True),
        RowError(7, "Ngày kết nạp", "tháng 5", "not_a_date", member=True),
        RowError(7, "Ngày chính thức", "2027", "year_not_date", member=True),
        RowError(8, "Ngày kết nạp", "03/03/2026", "date_in_future", member=True),
        RowError(8, "Ngày chính thức", "31/12/1899", "date_too_old", member=True),
        RowError(9, "Ngày chính thức", "01/06/2020", "before_admission", member=True),
        RowError(10, "", "", "member_needs_date", member=True),
        RowError(11, "", "", "member_needs_admission", member=True),
        RowError(12, "", "", "member_needs_admission", member=True),
        RowError(14, "Họ và tên", "Hà văn em", "duplicate_member", {"first": 13}, member=True),
    ]


def test_a_member_named_at_the_longest_and_dated_on_the_first_day():
    checked, errors = _members(("a" * 120, None, "01/01/1900", "02/01/1900"))
    assert errors == [] and checked == [MemberRow(3, "a" * 120, "official", date(1900, 1, 2), Stage.official,
                                                  frozenset({"full_name", "stage", "admitted_on", "official_on"}))]


def test_a_members_date_with_a_two_digit_year_is_of_the_century_today_gives():
    checked, errors = _members(("Phạm Văn Hùng", None, "5/6/15", "5/6/16"), ("Lê Thị Hoa", None, "5/6/27"))
    assert errors == [] and [(m.row, m.status, m.since) for m in checked] == [
        (3, "official", date(2016, 6, 5)), (4, "official", date(1928, 6, 5))]  # admitted 1927: long recognised


def test_a_member_with_no_stage_nor_recognition_is_official_once_the_branch_was_due_to_decide():
    # Admitted 11/01/2025: 12 months on 11/01/2026, and the branch's 30 working days (Tết
    # between) ended on 27/02/2026, before today (02/03/2026). Admitted a day later: they end
    # today, and the recognition may still come.
    checked, errors = _members(("Phạm Văn Hùng", None, "11/01/2025", None),
                               ("Lê Thị Hoa", None, "12/01/2025", None),
                               ("Vũ Thị Dung", "Dự bị", "10/10/2015", None))
    assert errors == []
    assert [(m.full_name, m.status, m.since, m.stage) for m in checked] == [
        ("Phạm Văn Hùng", "official", date(2026, 1, 11), Stage.official),
        ("Lê Thị Hoa", "probationary", date(2025, 1, 12), Stage.probationary),
        ("Vũ Thị Dung", "probationary", date(2015, 10, 10), Stage.probationary),  # the stage written wins
    ]
