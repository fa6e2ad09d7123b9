"""Register numbers each with its own words in one message (models/text.py number_pairs): the
certificate numbers of a whole class at /ketqualop."""

from models.text import number_pairs


def test_pairs_after_a_colon_an_equals_sign_or_a_space_split_by_semicolons_commas_or_lines():
    assert number_pairs("5: CN-0301; 12: CN-0302") == [(5, "CN-0301"), (12, "CN-0302")]
    assert number_pairs("5 CN-0301, 12=CN-0302\n7 :  AB  12") == [(5, "CN-0301"), (12, "CN-0302"), (7, "AB 12")]


def test_anything_but_pairs_is_none():
    for typed in ("", "5", "5:", "CN-0301", "5: CN-1; x", ";", "²: CN-1", "1234567890: CN"):
        assert number_pairs(typed) is None, typed
