"""Typed answers: each field parses what a person typed into a value, or says why not.

A parser is a pure function; the reason it returns names a retry template under
messages/vi/invalid/, so the question and its retry message travel together.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, timedelta
from typing import Any, ClassVar

from bot.events import Choice
from bot.render import labels, text_of, words
from models.policy import Action, branch_grants
from models.text import fold, number, tidy


@dataclass(frozen=True)
class Invalid:
    reason: str
    values: Mapping[str, Any] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    # A miss towards a field's attempt limit; a list to choose from (several found) is not.
    counts: bool = True


class Field:
    """A question's answer type. Subclasses list every reason their parser may give."""

    reasons: ClassVar[tuple[str, ...]] = ()
    # After this many misses in a row the flow stops and says how to start again (None: never).
    attempts: ClassVar[int | None] = None

    def parse(self, text: str, today: date) -> Any:
        raise NotImplementedError

    async def resolve(self, text: str, ctx: Any) -> Any:
        """Parse with access to the context (a field that looks things up overrides this)."""
        return self.parse(text, ctx.today)

    def choices(self) -> tuple[Choice, ...]:
        return ()

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        """The choices shown with the question (a field whose choices depend on the person overrides this)."""
        return self.choices()

    async def preset(self, ctx: Any) -> Any:
        """The answer when there is nothing to ask (e.g. the only branch); None asks the question.
        A preset answer is shown on the confirmation screen but is not offered for editing."""
        return None

    async def back(self, ctx: Any) -> Any:
        """"quay lại" while this step is asked: a field with questions of its own (a walk,
        bot/engine/walk.py) answers True when it went one of them back (the engine asks it), or
        an Invalid when there is none before (said, then the same question); None leaves it to
        the engine (the step before)."""
        return None

    def dump(self, value: Any) -> Any:
        return value

    def load(self, raw: Any) -> Any:
        return raw

    def show(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class TextField(Field):
    max_len: int = 200
    optional: bool = False
    reasons: ClassVar[tuple[str, ...]] = ("empty", "too_long")

    def parse(self, text: str, today: date) -> Any:
        text = tidy(text)
        if self.optional and fold(text) in words("skip"):
            return None
        if not text:
            return Invalid("empty")
        if len(text) > self.max_len:
            return Invalid("too_long", {"max_len": self.max_len, "length": len(text)})
        return text

    def choices(self) -> tuple[Choice, ...]:
        if self.optional:
            return (Choice(labels("yes_no")["skip"], "-"),)
        return ()

    def show(self, value: Any) -> str:
        return value or ""


_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")


@dataclass(frozen=True)
class NameField(Field):
    """A person's full name: letters (any script's), at least two words."""

    max_len: int = 100
    reasons: ClassVar[tuple[str, ...]] = ("empty", "too_long", "name_bad_chars", "name_one_word")

    def parse(self, text: str, today: date) -> Any:
        name = tidy(text)
        if not name:
            return Invalid("empty")
        if len(name) > self.max_len:
            return Invalid("too_long", {"max_len": self.max_len, "length": len(name)})
        if not _NAME_CHARS.match(name):
            return Invalid("name_bad_chars")
        if len(name.split()) < 2:
            return Invalid("name_one_word")
        return " ".join(w[:1].upper() + w[1:] for w in name.split())


_DATE = re.compile(r"^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})(?:\s*[/.\-]\s*([0-9]{2}|[0-9]{4}))?$")


def parse_date(text: str, today: date, *, allow_today_word: bool = True, past: bool = True) -> date | Invalid:
    """dd/mm/yyyy or d/m/yy (also with - or .); "hôm nay" and "hôm qua"; or dd/mm without the
    year: this year, or the nearest year that fits the question (`past`: last year when this
    year's would be in the future; else next year when this year's is more than half a year ago)."""
    cleaned = tidy(text)
    if not cleaned:
        return Invalid("empty")
    if allow_today_word and fold(cleaned) in words("today"):
        return today
    if allow_today_word and fold(cleaned) in words("yesterday"):
        return today - timedelta(days=1)
    match = _DATE.match(cleaned)
    if not match:
        return Invalid("date_bad_format", {"birth": not allow_today_word, "today": today})
    day, month = int(match.group(1)), int(match.group(2))
    written = match.group(3)
    if written is None and not allow_today_word:  # a birth date needs its year
        return Invalid("date_bad_format", {"birth": not allow_today_word, "today": today})
    try:
        if written is None:
            value = date(today.year, month, day)
            if past and value > today:
                value = date(today.year - 1, month, day)
            elif not past and (today - value).days > 183:
                value = date(today.year + 1, month, day)
            return value
        year = int(written)
        if len(written) == 2:
            # Two digits: this century unless that would be in the future.
            year += 2000 if 2000 + year <= today.year else 1900
        return date(year, month, day)
    except ValueError:
        return Invalid("date_not_real", {"text": cleaned})


@dataclass(frozen=True)
class DateField(Field):
    """A day: dd/mm/yyyy, d/m/yy, dd/mm, "hôm nay" or "hôm qua". With `today_choice`, the day
    something took place, today unless typed: "Hôm nay (dd/mm/yyyy)" is offered as a choice."""

    past_only: bool = True
    allow_today_word: bool = True
    today_choice: bool = False
    reasons: ClassVar[tuple[str, ...]] = ("empty", "date_bad_format", "date_not_real",
                                          "date_in_future", "date_too_old")

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return today_choices(ctx.today) if self.today_choice else self.choices()

    def parse(self, text: str, today: date) -> Any:
        value = parse_date(text, today, allow_today_word=self.allow_today_word, past=self.past_only)
        if isinstance(value, Invalid):
            return value
        if self.past_only and value > today:
            return Invalid("date_in_future", {"date": value, "today": today})
        if value.year < 1900:
            return Invalid("date_too_old", {"date": value})
        return value

    def dump(self, value: Any) -> Any:
        return value.isoformat()

    def load(self, raw: Any) -> Any:
        return date.fromisoformat(raw)

    def show(self, value: Any) -> str:
        return f"{value.day:02d}/{value.month:02d}/{value.year}"  # as strftime("%d/%m/%Y"), without its cost


def today_choices(today: date) -> tuple[Choice, ...]:
    """Today as the default answer to "on which day?" (its value is the word the parser reads)."""
    return (Choice(text_of("common/today_choice", today=today), sorted(words("today"))[0]),)


# The choices' labels and values, folded: the same lists come back message after message (a
# field's labels, a picker's names), some 15 µs a fold; the last few thousand are kept.
_folded = lru_cache(maxsize=4096)(fold)


def match_choice(text: str, choices: tuple[Choice, ...]) -> str | None:
    """The value a person meant: the label, a part of it, its value, or a unique prefix."""
    wanted = fold(text)
    if not wanted:
        return None
    for choice in choices:
        parts = [_folded(choice.label), _folded(choice.value)]
        parts += [_folded(p) for p in choice.label.split(",")]
        if wanted in parts:
            return choice.value
    starts = [c.value for c in choices if _folded(c.label).startswith(wanted)]
    if len(starts) == 1 and len(wanted) >= 2:
        return starts[0]
    # Words of the label in any order, each typed whole or as its start ("truc tiep" for
    # "Gặp trực tiếp", "vien giao" for "Giáo viên"): only when one choice fits.
    typed = wanted.split()
    fits = [c.value for c in choices
            if all(any(w.startswith(t) for w in _folded(c.label).replace(",", " ").split()) for t in typed)]
    return fits[0] if len(fits) == 1 and len(wanted) >= 2 else None


def parse_choice(text: str, choices: tuple[Choice, ...]) -> Any:
    """One of the choices, by its words; or why not, with the choices offered again."""
    if not tidy(text):
        return Invalid("empty", choices=choices)
    value = match_choice(text, choices)
    if value is None:
        return Invalid("choice_unknown", {"text": tidy(text)[:50]}, choices=choices)
    return value


@lru_cache(maxsize=None)
def _label_choices(group: str, values: tuple[str, ...] | None) -> tuple[Choice, ...]:
    """An enum's values as choices with their labels (the words do not change while chibo runs)."""
    names = labels(group)
    return tuple(Choice(names[k], k) for k in values or tuple(names))


@dataclass(frozen=True)
class ChoiceField(Field):
    """One of an enum's values, shown with its labels from messages/vi/common/labels.j2."""

    group: str
    values: tuple[str, ...] | None = None
    reasons: ClassVar[tuple[str, ...]] = ("empty", "choice_unknown")

    def choices(self) -> tuple[Choice, ...]:
        return _label_choices(self.group, self.values)

    def parse(self, text: str, today: date) -> Any:
        return parse_choice(text, self.choices())

    def show(self, value: Any) -> str:
        return labels(self.group)[value]


@dataclass(frozen=True)
class YesNoField(Field):
    reasons: ClassVar[tuple[str, ...]] = ("empty", "yes_no_unknown")

    def choices(self) -> tuple[Choice, ...]:
        names = labels("yes_no")
        return (Choice(names["yes"], "yes"), Choice(names["no"], "no"))

    def parse(self, text: str, today: date) -> Any:
        word = fold(text)
        if not word:
            return Invalid("empty", choices=self.choices())
        if word in words("yes"):
            return True
        if word in words("no"):
            return False
        return Invalid("yes_no_unknown", {"text": tidy(text)[:50]}, choices=self.choices())

    def show(self, value: Any) -> str:
        return labels("yes_no")["yes" if value else "no"]


@dataclass(frozen=True)
class NumberField(Field):
    minimum: int = 0
    maximum: int = 1_000_000
    reasons: ClassVar[tuple[str, ...]] = ("empty", "number_bad", "number_out_of_range")

    def parse(self, text: str, today: date) -> Any:
        cleaned = tidy(text)
        if not cleaned:
            return Invalid("empty")
        if number(cleaned) is None:
            return Invalid("number_bad", {"text": cleaned[:50]})
        value = number(cleaned)
        if not self.minimum <= value <= self.maximum:
            return Invalid("number_out_of_range", {"minimum": self.minimum, "maximum": self.maximum})
        return value


@dataclass(frozen=True)
class BranchField(Field):
    """The branch a write is for: one of those where the person may do `action` as secretary or
    deputy. Asked only when there are several (by number, or by words of the branch's name);
    with one branch it is that one, unasked. The value is {"id", "name"}. With `remember`, the
    chosen branch's id is also kept in ctx.state under that key, for the questions that follow.
    A flow with its own list of branches overrides `listed`, and `refuse` to turn one away."""

    action: Action = Action.register_candidate
    remember: str | None = None
    reasons: ClassVar[tuple[str, ...]] = ("empty", "branch_unknown", "branch_ambiguous")

    async def listed(self, ctx: Any) -> list[dict[str, Any]]:
        seen: dict[int, dict[str, Any]] = {}
        for g in branch_grants(ctx.actor, self.action):
            seen.setdefault(g.org_id, {"id": g.org_id, "name": g.org_name})
        return list(seen.values())

    async def refuse(self, ctx: Any, branch: dict[str, Any]) -> Invalid | None:
        """Why this branch cannot be chosen (an Invalid), or None."""
        return None

    @staticmethod
    def _as_choices(branches: list[dict[str, Any]]) -> tuple[Choice, ...]:
        return tuple(Choice(b["name"], f"branch:{b['id']}") for b in branches)

    def _chosen(self, ctx: Any, branch: dict[str, Any]) -> dict[str, Any]:
        if self.remember:
            ctx.state[self.remember] = branch["id"]
        return branch

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return self._as_choices(await self.listed(ctx))

    async def preset(self, ctx: Any) -> Any:
        branches = await self.listed(ctx)
        return self._chosen(ctx, branches[0]) if len(branches) == 1 else None

    async def resolve(self, text: str, ctx: Any) -> Any:
        branches = await self.listed(ctx)
        every = self._as_choices(branches)
        query = tidy(text)
        if not query:
            return Invalid("empty", choices=every)
        if query.startswith("branch:"):
            found = [b for b in branches if f"branch:{b['id']}" == query]
        elif (picked := number(query)) is not None:
            found = [branches[picked - 1]] if 1 <= picked <= len(branches) else []
        else:
            words = fold(query).split()
            found = [b for b in branches if all(w in fold(b["name"]) for w in words)]
        if not found:
            return Invalid("branch_unknown", {"text": query[:50]}, choices=every)
        if len(found) > 1:
            return Invalid("branch_ambiguous", {"count": len(found)}, choices=self._as_choices(found))
        refused = await self.refuse(ctx, found[0])
        if refused is not None:
            return Invalid(refused.reason, refused.values, choices=every)
        return self._chosen(ctx, found[0])

    def show(self, value: Any) -> str:
        return value["name"]


def still_held(branch: Mapping[str, Any], ctx: Any, action: Action) -> bool:
    """The branch chosen earlier in the flow is still one where the person may do `action`."""
    return branch["id"] in {g.org_id for g in branch_grants(ctx.actor, action)}
