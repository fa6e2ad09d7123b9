"""Branch codes and candidate references: how a committee names one person among all branches."""

import pytest

from models.candidate import candidate_ref, ref_parts
from models.org import org_code
from models.text import number_list


@pytest.mark.parametrize("name, code", [
    ("Chi bộ Trường THPT Trần Phú (demo)", "TP"),
    ("Chi bộ Khoa Toán, ĐH Sư phạm", "TSP"),
    ("Đảng ủy Khối Giáo dục", "GD"),
    ("Chi bộ 3", "CB3"),  # a code starts with a letter
    ("Chi bộ", "CB"),
    ("Chi bộ Phòng Kế hoạch Tài chính Đối ngoại Tổng hợp", "DNTH"),  # at most four: the last ones
])
def test_a_code_is_made_of_the_initials_that_tell_the_organisation_apart(name, code):
    assert org_code(name, taken=()) == code


def test_a_taken_code_gets_the_next_digit():
    assert org_code("Chi bộ Trần Phú", taken={"TP"}) == "TP2"
    assert org_code("Chi bộ Tân Phong", taken={"TP", "tp2"}) == "TP3"  # taken codes in any case


@pytest.mark.parametrize("typed, parts", [
    ("TP-7", [("TP", 7)]), ("tp 7", [("TP", 7)]), ("tp.7", [("TP", 7)]), ("#TP7", [("TP", 7)]),
    ("Tp-07", [("TP", 7)]),
    ("tp27", [("TP2", 7), ("TP", 27)]),  # both readings; only codes that exist will match
    ("t7", [("T", 7)]), ("a12", [("A1", 2), ("A", 12)]),  # a one-letter code
    ("7", []), ("tp", []), ("tp-", []), ("ngoc", []), ("", []), ("-7", []),
])
def test_a_typed_reference_splits_into_code_and_number(typed, parts):
    assert ref_parts(typed) == parts


@pytest.mark.parametrize("typed", ["77", "1tp7", "tp/7", "tp_7", "tp 7a"])
def test_what_is_not_letters_then_a_number_is_no_reference(typed):
    assert ref_parts(typed) == []


def test_a_reference_has_at_most_22_letters_and_digits():
    assert ref_parts("a" * 21 + "1") == [("A" * 21, 1)]
    assert ref_parts("a" * 22 + "1") == []


def test_a_register_number_has_at_most_nine_digits():
    parts = ref_parts("tp" + "1" * 10)
    assert ("TP1", 111111111) in parts and all(n <= 999_999_999 for _, n in parts)


def test_a_reference_is_code_dash_number_or_the_number_alone():
    assert candidate_ref("TSP", 12) == "TSP-12"
    assert candidate_ref(None, 12) == "12"


@pytest.mark.parametrize("typed, numbers", [
    ("3, 4, 7", [3, 4, 7]), ("3 4 7", [3, 4, 7]), ("3-7", [3, 4, 5, 6, 7]), ("3 - 5, 9", [3, 4, 5, 9]),
    ("3 đến 5", [3, 4, 5]), ("2 den 4", [2, 3, 4]), ("7, 3", [7, 3]), ("3,3,4", [3, 4]),
    ("7", None),  # one number is a number, not a list
    ("7-3", None), ("1-100", None), ("a, b", None), ("", None), ("-3", None), ("3-", None), ("3, ngoc", None),
])
def test_several_register_numbers_as_people_type_them(typed, numbers):
    assert number_list(typed) == numbers
