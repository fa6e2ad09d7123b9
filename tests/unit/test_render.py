"""Rendering replies for a channel: numbered choices, splitting long text on line boundaries."""

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.port import Capabilities, Choice, Reply
from bot.render import render, split_text, units


def test_choices_are_numbered_on_channels_without_buttons():
    [out] = render([Reply("register/ask_gender", choices=(Choice("Nam", "male"), Choice("Nữ", "female")))],
                   Capabilities(buttons=False, max_text=2000))
    assert "1. Nam\n2. Nữ" in out.text and out.choices == ()


def test_choices_stay_buttons_where_the_channel_has_them():
    [out] = render([Reply("register/ask_gender", choices=(Choice("Nam", "male"),))],
                   Capabilities(buttons=True, max_text=4096))
    assert "1. Nam" not in out.text and out.choices == (Choice("Nam", "male"),)


def test_a_long_text_splits_on_lines_in_order():
    lines = [f"dòng {i:04d} " + "x" * 40 for i in range(100)]
    pieces = split_text("\n".join(lines), 2000)
    assert len(pieces) == 3 and all(len(p) <= 2000 for p in pieces)
    assert "\n".join(pieces).split("\n") == lines


@given(st.text(alphabet=st.characters(min_codepoint=10, max_codepoint=0x1EF9), max_size=3000),
       st.integers(min_value=5, max_value=500))
def test_split_never_exceeds_the_limit_and_loses_nothing(text, limit):
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_telegram_limits_count_utf16_units_so_emoji_count_twice():
    text = "🎉" * 3000  # 3,000 characters, 6,000 UTF-16 units
    pieces = split_text(text, 4096)
    assert [len(p) for p in pieces] == [2048, 952]
    assert all(units(p) <= 4096 for p in pieces) and "".join(pieces) == text


def test_a_line_of_emoji_and_letters_is_never_cut_inside_an_emoji():
    assert split_text("ab🎉cd", 3) == ["ab", "🎉c", "d"]


@given(st.text(alphabet=st.characters(min_codepoint=10, max_codepoint=0x1FAFF), max_size=3000),
       st.integers(min_value=5, max_value=500))
def test_split_by_units_never_exceeds_the_limit_and_loses_nothing(text, limit):
    pieces = split_text(text, limit)
    assert all(units(p) <= limit for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
