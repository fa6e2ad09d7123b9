"""A candidate's fields as conversations ask and show them (/them, /sua, the card's history),
and the checks of their answers that more than one conversation makes."""

from datetime import date

from bot.engine.fields import ChoiceField, DateField, Field, Invalid, NameField, TextField, YesNoField
from bot.engine.flow import Answers, Context
from bot.render import labels
from models import citations
from models.candidate_edit import value_from_text
from models.privacy import initials
from models.rules import REGISTER_MAX_AGE_MONTHS, REGISTER_MIN_AGE_MONTHS, age_in_months


def age_allowed(birth: date, answers: Answers, ctx: Context) -> Invalid | None:
    """Old enough to be registered as a source, and not past the age the Charter allows."""
    months = age_in_months(birth, ctx.today)
    if months < REGISTER_MIN_AGE_MONTHS:
        return Invalid("age_too_young", {"years": months // 12, "min_years": REGISTER_MIN_AGE_MONTHS // 12})
    if months > REGISTER_MAX_AGE_MONTHS:
        return Invalid("age_too_old", {"years": months // 12, "max_years": REGISTER_MAX_AGE_MONTHS // 12,
                                       "sources": citations.AGE})
    return None


# Each editable field's question type: the parser of its new value and how a value is shown.
FIELDS: dict[str, Field] = {
    "full_name": NameField(),
    "birth_date": DateField(past_only=True, allow_today_word=False),
    "gender": ChoiceField("gender"),
    "unit": TextField(max_len=120, optional=True),
    "category": ChoiceField("category"),
    "youth_union": YesNoField(),
    "ethnic_minority": YesNoField(),
    "religious": YesNoField(),
    "private_firm": YesNoField(),
    "note": TextField(max_len=500, optional=True),
}
VALIDATORS = {"birth_date": age_allowed}


def shown(field: str, text: str | None) -> str | None:
    """A value kept as text (models/candidate_edit.value_text), as a secretary reads it; None when empty."""
    if text is None:
        return None
    return FIELDS[field].show(value_from_text(field, text)) or None


# On a channel the branch does not allow for personal data (models/privacy.py): a name as
# initials; a birth date, and a note (free text that may name people), not shown at all.
HIDDEN_FIELDS = frozenset({"birth_date", "note"})


def shown_here(field: str, text: str | None, names_shown: bool) -> str | None:
    """`shown`, as a channel that may (or may not) carry the branch's personal data shows it."""
    value = shown(field, text)
    if names_shown or value is None:
        return value
    if field == "full_name":
        return initials(value)
    return labels("privacy")["hidden"] if field in HIDDEN_FIELDS else value
