"""Search folds Vietnamese names to plain lowercase ASCII: both forms of đ, every tone and
vowel mark, upper case and runs of spaces (mutation testing found fold unguarded by unit tests)."""

from models.text import clean, fold, number_list, page_number


def test_both_forms_of_d_with_stroke_become_d():
    assert fold("Đặng Đình Đức") == "dang dinh duc"
    assert fold("đặng đình đức") == "dang dinh duc"


def test_marks_case_and_spaces_are_dropped():
    assert fold("  NGUYỄN   Thị\tHương ") == "nguyen thi huong"
    assert fold("Trần Văn Ánh") == "tran van anh"
    assert fold("") == ""


def test_clean_drops_control_characters_escapes_and_hidden_marks_but_keeps_lines_and_tabs():
    assert clean("a\x00b\tc\nd\x1b[31me\u202ef\u200bg\x07") == "ab\tc\ndefg"
    assert clean("Lê Thị Lan") == "Lê Thị Lan"


def test_a_page_number_is_the_number_asked_and_the_first_page_otherwise():
    assert page_number("3") == 3
    assert [page_number(t) for t in ("", "x", "0", "-2")] == [1, 1, 1, 1]


def test_a_number_list_names_at_most_50_numbers_and_no_backward_range():
    assert number_list("1-50") == list(range(1, 51))
    assert number_list("1-51") is None
    assert number_list("30-31") == [30, 31]
    assert number_list("1, 2, 7-3") is None
    assert number_list("1 2 3", most=3) == [1, 2, 3]
    assert number_list("1 2 3 4", most=3) is None
