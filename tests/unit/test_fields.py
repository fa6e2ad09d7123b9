"""Parsers of typed answers: what people type on phones, and anything at all (hypothesis)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.port import Choice
from bot.engine.fields import (
    ChoiceField, DateField, Invalid, NameField, NumberField, TextField, YesNoField, match_choice, parse_date,
)
from bot.render import template_exists
from models.text import fold

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize("typed, expected", [
    ("05/09/2004", date(2004, 9, 5)),
    ("5/9/2004", date(2004, 9, 5)),
    ("5/9/04", date(2004, 9, 5)),
    ("5-9-04", date(2004, 9, 5)),
    ("05.09.1998", date(1998, 9, 5)),
    (" 5 / 9 / 98 ", date(1998, 9, 5)),
    ("29/02/2024", date(2024, 2, 29)),
    ("1/1/26", date(2026, 1, 1)),
    ("1/1/27", date(1927, 1, 1)),
    ("hôm nay", TODAY),
    ("Hom Nay", TODAY),
    ("hôm qua", date(2026, 3, 1)),
    ("28/2", date(2026, 2, 28)),  # no year: this year...
    ("5/9", date(2025, 9, 5)),  # ...or last year, when this year's would be in the future
])
def test_dates_people_type_are_read(typed, expected):
    assert parse_date(typed, TODAY) == expected


def test_a_date_without_year_for_a_future_question_is_the_nearest_one_ahead():
    december = date(2026, 12, 1)
    assert parse_date("5/1", december, past=False) == date(2027, 1, 5)  # next January, not last
    assert parse_date("20/11", december, past=False) == date(2026, 11, 20)  # just gone: this year
    assert parse_date("24/12", december, past=False) == date(2026, 12, 24)
    assert parse_date("5/1", december, past=True) == date(2026, 1, 5)


def test_a_birth_date_needs_its_year_and_its_example_is_a_birth_date():
    refused = DateField(allow_today_word=False).parse("5/9", TODAY)
    assert refused.reason == "date_bad_format" and refused.values["birth"] is True
    assert DateField(allow_today_word=False).parse("hôm qua", TODAY).reason == "date_bad_format"


@pytest.mark.parametrize("typed, reason", [
    ("29/02/2023", "date_not_real"),
    ("31/04/2020", "date_not_real"),
    ("0/1/2000", "date_not_real"),
    ("12/13/2000", "date_not_real"),
    ("2004-09-05", "date_bad_format"),
    ("5/9/", "date_bad_format"),
    ("31/2", "date_not_real"),
    ("mai", "date_bad_format"),
    ("", "empty"),
])
def test_dates_that_cannot_be_are_refused_with_a_reason(typed, reason):
    result = parse_date(typed, TODAY)
    assert isinstance(result, Invalid) and result.reason == reason


def test_past_only_dates_refuse_tomorrow_and_accept_today():
    field = DateField(past_only=True)
    assert field.parse("03/03/2026", TODAY).reason == "date_in_future"
    assert field.parse("02/03/2026", TODAY) == TODAY
    assert field.parse("01/01/1899", TODAY).reason == "date_too_old"


def test_birth_dates_do_not_take_today_as_a_word():
    assert DateField(allow_today_word=False).parse("hôm nay", TODAY).reason == "date_bad_format"


@pytest.mark.parametrize("typed, expected", [
    ("nguyễn văn an", "Nguyễn Văn An"),
    ("  Trần   Thị  Bích   Ngọc ", "Trần Thị Bích Ngọc"),
    ("H'Hen Niê", "H'Hen Niê"),
    ("Nguyễn Thị Thu-Hà", "Nguyễn Thị Thu-Hà"),
])
def test_names_are_tidied(typed, expected):
    assert NameField().parse(typed, TODAY) == expected


@pytest.mark.parametrize("typed, reason", [
    ("An", "name_one_word"),
    ("Nguyễn Văn 2", "name_bad_chars"),
    ("Nguyễn @ An", "name_bad_chars"),
    ("", "empty"),
    ("A " * 60, "too_long"),
])
def test_bad_names_are_refused_with_a_reason(typed, reason):
    assert NameField().parse(typed, TODAY).reason == reason


@given(st.text(max_size=300))
@settings(max_examples=400)
def test_no_typed_text_breaks_the_date_parser(text):
    result = DateField().parse(text, TODAY)
    assert isinstance(result, (date, Invalid))
    if isinstance(result, Invalid):
        assert template_exists(f"invalid/{result.reason}")


@given(st.text(max_size=300))
@settings(max_examples=400)
def test_no_typed_text_breaks_the_name_parser(text):
    result = NameField().parse(text, TODAY)
    assert isinstance(result, (str, Invalid))
    if isinstance(result, str):
        assert 2 <= len(result.split()) and len(result) <= 100
    else:
        assert template_exists(f"invalid/{result.reason}")


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_any_past_date_written_dd_mm_yyyy_reads_back(day):
    assert DateField().parse(day.strftime("%d/%m/%Y"), TODAY) == day


@given(st.text(max_size=100))
def test_no_typed_text_breaks_choices_yes_no_numbers(text):
    for field in (ChoiceField("gender"), YesNoField(), NumberField(0, 100), TextField(max_len=20, optional=True)):
        result = field.parse(text, TODAY)
        if isinstance(result, Invalid):
            assert template_exists(f"invalid/{result.reason}")


def test_choices_match_by_words_parts_and_unique_prefix():
    choices = (Choice("Giáo viên, giảng viên", "teacher"), Choice("Học sinh, sinh viên", "student"))
    assert match_choice("giảng viên", choices) == "teacher"
    assert match_choice("SINH VIEN", choices) == "student"
    assert match_choice("hoc", choices) == "student"
    assert match_choice("g", choices) is None
    assert match_choice("bác sĩ", choices) is None
    assert match_choice("vien giao", choices) == "teacher"  # words in any order
    assert match_choice("vien", choices) is None  # a word of both: which one is not known
    met = (Choice("Gặp trực tiếp", "in_person"), Choice("Gọi điện, nhắn tin", "remote"))
    assert match_choice("truc tiep", met) == "in_person" and match_choice("nhan tin", met) == "remote"
    assert match_choice("tiep truc", met) == "in_person"


def test_yes_no_words():
    field = YesNoField()
    assert field.parse("Có", TODAY) is True and field.parse("ko", TODAY) is False
    assert field.parse("có lẽ", TODAY).reason == "yes_no_unknown"


def test_numbers_in_range():
    field = NumberField(1, 10)
    assert field.parse("7", TODAY) == 7
    assert field.parse("11", TODAY).reason == "number_out_of_range"
    assert field.parse("bảy", TODAY).reason == "number_bad"


def test_fold_removes_diacritics_and_d_stroke():
    assert fold("  Đặng   Ngọc LAN ") == "dang ngoc lan"
    assert fold("Nguyễn Thị Ánh") == "nguyen thi anh"
