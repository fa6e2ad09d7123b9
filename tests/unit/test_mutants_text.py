"""Search folds Vietnamese names to plain lowercase ASCII: both forms of đ, every tone and
vowel mark, upper case and runs of spaces (mutation testing found fold unguarded by unit tests)."""

from models.text import fold


def test_both_forms_of_d_with_stroke_become_d():
    assert fold("Đặng Đình Đức") == "dang dinh duc"
    assert fold("đặng đình đức") == "dang dinh duc"


def test_marks_case_and_spaces_are_dropped():
    assert fold("  NGUYỄN   Thị\tHương ") == "nguyen thi huong"
    assert fold("Trần Văn Ánh") == "tran van anh"
    assert fold("") == ""
