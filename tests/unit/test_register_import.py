"""Reading a register without a database (models/register_import.py): the header row found
among title rows and merged cells, dates as registers write them, and the history a row's
dates give."""

from datetime import date, datetime

import pytest

from bot.register_file import vocabulary
from models.register_import import (
    RegisterRow, history, inferred_stage, missing_columns, parse_day, read_layout, read_rows,
)
from models.stage import Gender, Stage

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize("value, year_only, expected", [
    (datetime(2001, 2, 14, 0, 0), False, (date(2001, 2, 14), False)),  # an Excel date cell
    (date(2001, 2, 14), False, (date(2001, 2, 14), False)),
    ("14/02/2001", False, (date(2001, 2, 14), False)),
    ("4/2/01", False, (date(2001, 2, 4), False)),
    ("4/2/98", False, (date(1998, 2, 4), False)),  # two digits: last century when this one's is ahead
    ("4-2-2026", False, (date(2026, 2, 4), False)),
    ("2001-02-14", False, (date(2001, 2, 14), False)),  # as a CSV written by a program
    (36936, False, (date(2001, 2, 14), False)),  # an Excel day number left unformatted
    ("1987", True, (date(1987, 1, 1), True)),  # a bare year, only under "Năm sinh"
    (1987, True, (date(1987, 1, 1), True)),
    ("1987", False, "year_not_date"),
    (1987, False, "year_not_date"),
    ("31/02/2001", False, "date_not_real"),
    ("14/13/2001", False, "date_not_real"),
    ("tháng 2", False, "not_a_date"),
    ("14/02", False, "not_a_date"),  # a birth date needs its year
])
def test_dates_as_registers_write_them(value, year_only, expected):
    assert parse_day(value, TODAY, year_only=year_only) == expected


def test_the_header_row_is_found_below_title_rows_with_merged_cells():
    rows = [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None, None, None, None, None),
        ("Danh sách quần chúng", None, None, None, None, None),
        (None,) * 6,
        ("TT", "Họ và tên (có dấu)", "NGÀY SINH", "Giấy chứng nhận lớp bồi dưỡng", None, "Ghi chú khác:"),
        (None, None, None, "Số", "Ngày cấp", None),
        (1, "Lê Văn Tâm", "14/02/2001", "12", "01/06/2024", None),
    ]
    layout = read_layout(rows, vocabulary())
    assert layout.header_row == 5
    assert [(c.index, c.key, c.header) for c in layout.columns] == [
        (1, "full_name", "Họ và tên (có dấu)"), (2, "birth", "NGÀY SINH"),
        (3, "certificate_number", "Giấy chứng nhận lớp bồi dưỡng Số"),
        (4, "certificate_on", "Giấy chứng nhận lớp bồi dưỡng Ngày cấp"), (5, "note", "Ghi chú khác:")]
    assert layout.unknown == ()
    assert missing_columns(layout) == ["gender"]


def test_no_header_row_when_no_row_names_a_name_and_a_birth():
    assert read_layout([("Họ và tên", "Giới tính"), ("An", "Nam")], vocabulary()) is None


def test_rows_below_the_table_without_a_name_or_birth_are_skipped():
    rows = [("Họ tên", "Năm sinh", "Giới tính"), ("Đào Văn Lực", 1987, "Nam"), (None, None, None),
            (None, None, "Người lập biểu")]
    layout = read_layout(rows, vocabulary())
    checked, errors = read_rows(rows, layout, vocabulary(), TODAY)
    assert errors == [] and [(r.row, r.full_name, r.birth_date, r.birth_year_only) for r in checked] == [
        (2, "Đào Văn Lực", date(1987, 1, 1), True)]


def _row(**dates) -> RegisterRow:
    return RegisterRow(row=2, full_name="A", birth_date=date(1990, 1, 1), birth_year_only=False, gender=Gender.male,
                       present=frozenset(), **dates)


def test_a_rows_dates_give_its_stage_and_history():
    row = _row(certificate_on=date(2023, 5, 1), dossier={"1-KNĐ": date(2024, 2, 1), "2-KNĐ": date(2024, 1, 10)},
               admitted_on=date(2025, 6, 5))
    assert inferred_stage(row, TODAY) == Stage.probationary
    assert history(row, Stage.probationary, TODAY) == [
        (Stage.awareness_class, date(2023, 5, 1)), (Stage.dossier, date(2024, 1, 10)),
        (Stage.probationary, date(2025, 6, 5))]
    # a stage named beyond the dates begins on the import day; dates beyond the stage are not steps
    assert history(row, Stage.dossier, TODAY) == [
        (Stage.awareness_class, date(2023, 5, 1)), (Stage.dossier, date(2024, 1, 10))]
    assert history(_row(), Stage.sympathizer, TODAY) == [(Stage.sympathizer, TODAY)]
    assert inferred_stage(_row(), TODAY) == Stage.source
