"""The duplicate rule of /them (models/duplicates.py), without a bot: exact, near, or someone else."""

from datetime import date

import pytest

from models.duplicates import (
    NEAR_BIRTH_DAYS, SIMILAR_NAME_MIN, Known, close_births, name_score, similar_names, sort_out,
)

NGOC = Known(number=2, full_name="Trần Thị Bích Ngọc", birth_date=date(2008, 11, 2), branch_id=1, ref="2")


def test_the_threshold_is_what_the_module_says():
    assert (SIMILAR_NAME_MIN, NEAR_BIRTH_DAYS) == (90, 7)


@pytest.mark.parametrize("a, b, score", [
    ("abcd efghi", "abcd efghx", 90.0),  # exactly the threshold: similar
    ("Mai Anh Tú", "Mai Anh Tuấn", 90.9),
    ("Lê Văn Tâm", "Lê Văn Lâm", 90.0),  # a typo in a word's first letter: `ratio` sees it, sorting would not
    ("Lê Hoàng Minh", "Lê Hoàng Anh", 88.0),  # just under: other people
    ("Nguyễn Văn An", "Nguyễn Văn Bình", 85.7),
])
def test_scores_at_the_edges_of_the_threshold(a, b, score):
    assert round(name_score(a, b), 1) == score
    assert similar_names(a, b) == (score >= SIMILAR_NAME_MIN)
    assert similar_names(b, a) == similar_names(a, b)


@pytest.mark.parametrize("a, b", [
    ("Trần Thị Bích Ngọc", "tran thi bich ngoc"),  # diacritics and case do not count
    ("Trần Thị Bích Ngọc", "TRẦN THỊ BÍCH NGỌC"),
    ("Nguyễn Thị Hoà", "Nguyễn Thị Hòa"),  # both ways of writing the tone mark
    ("Trần Thị Bích Ngọc", "Trần Thị Ngọc Bích"),  # word order
    ("Ngọc Trần Thị Bích", "Trần Thị Bích Ngọc"),
    ("Phạm Thu Hà", "Phạm Thị Thu Hà"),  # a middle name left out
    ("Phạm Thu Hà", "Phạm Thu Hằng"),  # one letter more
    ("Đỗ Văn Đạt", "Do Van Dat"),  # đ is d
])
def test_names_typed_differently_are_similar(a, b):
    assert similar_names(a, b) and similar_names(b, a)


@pytest.mark.parametrize("a, b", [
    ("Đỗ Thị Mai", "Đỗ Thị Lan"),
    ("Lê Hoàng Minh", "Lê Hoàng Anh"),
    ("Nguyễn Văn An", "Trần Văn An"),  # another family
    ("Nguyễn An", "Trần An"),
    ("Hoa Nguyễn", "Nguyễn"),  # one word is not a name left short
])
def test_other_names_are_not_similar(a, b):
    assert not similar_names(a, b)


@pytest.mark.parametrize("a, b, close", [
    (date(2008, 11, 2), date(2008, 11, 9), True),  # NEAR_BIRTH_DAYS apart
    (date(2008, 11, 2), date(2008, 10, 26), True),
    (date(2008, 11, 2), date(2008, 11, 10), False),  # one day more
    (date(2008, 11, 2), date(2008, 2, 11), True),  # day and month swapped
    (date(2008, 11, 2), date(2007, 2, 11), False),  # swapped, but another year
    (date(2008, 11, 2), date(2009, 11, 2), False),  # another year
    (date(2008, 12, 30), date(2009, 1, 2), True),  # across a new year
])
def test_close_birth_dates(a, b, close):
    assert close_births(a, b) == close and close_births(b, a) == close


def test_the_same_folded_name_and_birth_date_is_exact():
    found = sort_out("tran thi BICH ngoc", date(2008, 11, 2), [NGOC])
    assert found.exact == (NGOC,) and found.near == ()


@pytest.mark.parametrize("name, birth", [
    ("Trần Thị Ngọc Bích", date(2008, 11, 2)),  # similar name, same birth date
    ("Trần Bích Ngọc", date(2008, 11, 2)),  # the middle name left out
    ("Trần Thị Bích Ngọc", date(2008, 11, 5)),  # same name, a few days off
    ("Tran Thi Bich Ngoc", date(2008, 2, 11)),  # same name, day and month swapped
])
def test_a_near_duplicate_is_not_exact(name, birth):
    found = sort_out(name, birth, [NGOC])
    assert found.exact == () and found.near == (NGOC,)


@pytest.mark.parametrize("name, birth", [
    ("Trần Thị Ngọc Bích", date(2008, 11, 3)),  # similar name, another birth date
    ("Trần Thị Bích Ngọc", date(2008, 12, 2)),  # same name, a month off
    ("Trần Thị Mai Lan", date(2008, 11, 2)),  # same birth date, another name
])
def test_someone_else_is_neither(name, birth):
    assert sort_out(name, birth, [NGOC]) == sort_out(name, birth, [])


def test_several_found_are_listed_in_register_order():
    twin = Known(number=9, full_name="Tran Thi Ngoc Bich", birth_date=date(2008, 11, 2), branch_id=1, ref="9")
    exact = Known(number=5, full_name="Trần Thị Bích Ngọc", birth_date=date(2008, 11, 2), branch_id=1, ref="5")
    found = sort_out("Trần Thị Bích Ngọc", date(2008, 11, 2), [twin, NGOC, exact])
    assert found.exact == (NGOC, exact) and found.near == (twin,)


def test_known_travels_as_json_and_back():
    assert Known.from_dict(NGOC.as_dict()) == NGOC
    assert NGOC.as_dict()["birth_date"] == "2008-11-02"


def test_two_words_are_enough_for_a_name_left_short():
    # The score alone says other people (57); all of the shorter name's two words are in the other.
    assert name_score("Thu Hà", "Phạm Thị Thu Hà") < SIMILAR_NAME_MIN
    assert similar_names("Thu Hà", "Phạm Thị Thu Hà") and similar_names("Phạm Thị Thu Hà", "Thu Hà")


def test_the_same_words_once_more_are_not_a_name_left_short():
    # "Lê Lê Na" holds no word that "Lê Na" lacks, but neither leaves a word out of the other.
    assert not similar_names("Lê Lê Na", "Lê Na") and not similar_names("Lê Na", "Lê Lê Na")
