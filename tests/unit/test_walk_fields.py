"""The fields that read a walk's answers (bot/engine/walk.py): each answer is a value or why not."""

from datetime import date

from bot.engine.fields import Invalid
from bot.engine.walk import CONFIRM, RESELECT, ConfirmField, OptionField, ReasonWordsField, choice
from bot.events import Choice
from handlers.survey import WORDS, AssessmentField

TODAY = date(2026, 3, 2)
OFFERED = (Choice("Giữ nguyên", "keep"), Choice("Đưa ra khỏi danh sách", "remove"), choice("skip"))


def test_a_decision_is_its_value_its_words_or_a_part_of_them():
    field = OptionField(OFFERED)
    assert field.parse("keep", TODAY) == "keep"  # a number, translated by the engine
    assert field.parse("giu nguyen", TODAY) == "keep"
    assert field.parse("đưa ra", TODAY) == "remove"
    assert field.parse("", TODAY) == Invalid("empty")
    assert field.parse("thăng chức", TODAY) == Invalid("choice_unknown", {"text": "thăng chức"})


def test_yes_confirms_a_removal():
    offered = (choice(CONFIRM), choice(RESELECT))
    assert ConfirmField(offered).parse("có", TODAY) == CONFIRM
    assert ConfirmField(offered).parse("không biết", TODAY).reason == "choice_unknown"


def test_another_reason_is_words_of_at_most_500_characters():
    field = ReasonWordsField()
    assert field.parse("  Chuyển   vùng ", TODAY) == "Chuyển vùng"
    assert field.parse(RESELECT, TODAY) == RESELECT
    assert field.parse("7", TODAY) == Invalid("walk_reason_words")
    assert field.parse("", TODAY) == Invalid("empty")
    assert field.parse("x" * 501, TODAY) == Invalid("too_long", {"max_len": 500, "length": 501})
    assert field.parse("x" * 500, TODAY) == "x" * 500


def test_an_assessment_in_the_branch_s_words_is_kept_up_to_40_characters():
    field = AssessmentField((Choice("Tốt", "good"),))
    assert field.parse("tot", TODAY) == "good"
    assert field.parse("Rất chăm chỉ", TODAY) == WORDS + "Rất chăm chỉ"
    assert field.parse("y" * 40, TODAY) == WORDS + "y" * 40
    assert field.parse("y" * 41, TODAY) == Invalid("too_long", {"length": 41, "max_len": 40})
    assert field.parse("9", TODAY) == Invalid("choice_unknown", {"text": "9"})
