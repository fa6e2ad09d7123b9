"""Words: Jinja2 templates from messages/vi/, rendered for a channel's capabilities."""

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from bot.events import Capabilities, Choice, Outgoing, Reply
from bot.formatting import FILTERS
from models.text import fold

MESSAGES = Path(__file__).resolve().parent.parent / "messages" / "vi"


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Every template compiled is kept (there are some 900, beyond jinja's default of 400, which
    # made a long run compile them again and again), and never looked at on disk again: the
    # words do not change while chibo runs (a check is a stat() per rendering).
    env = Environment(
        loader=FileSystemLoader(MESSAGES), undefined=StrictUndefined, autoescape=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
        cache_size=-1, auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


def template_exists(key: str) -> bool:
    return (MESSAGES / f"{key}.j2").is_file()


def text_of(key: str, **values) -> str:
    return _template(key).render(**values).strip()


@lru_cache(maxsize=None)
def _template(key: str) -> Template:
    """The compiled template of a key, found once (jinja's own lookup costs a lock and a
    loader call per rendering)."""
    return environment().get_template(f"{key}.j2")


def render(replies: list[Reply], caps: Capabilities) -> list[Outgoing]:
    """Replies as the channel will show them: numbered choices where there are no buttons,
    text split on line boundaries under the channel's limit."""
    out: list[Outgoing] = []
    for reply in replies:
        text = text_of(reply.key, **{"bot_username": caps.bot_username, **reply.values})
        if reply.choices and not caps.buttons:
            text = f"{text}\n\n{numbered(reply.choices)}"
        chunks = split_text(text, caps.max_text)
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            out.append(Outgoing(
                text=chunk,
                choices=reply.choices if last and caps.buttons else (),
                file=reply.file if last else None,
            ))
    return out


def numbered(choices: tuple[Choice, ...]) -> str:
    """The choices as a numbered list."""
    return _numbered(tuple(choices))


@lru_cache(maxsize=512)
def _numbered(choices: tuple[Choice, ...]) -> str:
    # The same lists come back message after message (a field's labels, the confirmation's
    # "Sửa ..." lines), and the template costs some 50 µs a list: the last few hundred are
    # kept, in this process's memory only.
    return text_of("common/choices", choices=choices)


def units(text: str) -> int:
    """Length as Telegram (and JavaScript) count it: UTF-16 code units, so an emoji counts 2."""
    # Two bytes a unit in UTF-16 (a lone surrogate, kept as it is, counts one): counted in C,
    # not a character at a time in Python, for every reply sent.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _cut(line: str, limit: int) -> int:
    """How many characters of `line` fit in `limit` units (never half an emoji)."""
    used = 0
    for i, c in enumerate(line):
        used += 2 if ord(c) > 0xFFFF else 1
        if used > limit:
            return i
    return len(line)


def split_text(text: str, limit: int) -> list[str]:
    """Cut so that no piece is longer than the limit (in UTF-16 units): between paragraphs where
    they fit (a class's lines or a list of choices stay in one message), else on line boundaries."""
    if units(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if units(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        parts = _split_lines(paragraph, limit)
        pieces.extend(parts[:-1])
        current = parts[-1] if parts else ""
    if current:
        pieces.append(current)
    return pieces


def _split_lines(text: str, limit: int) -> list[str]:
    """Cut on line boundaries so that no piece is longer than the limit (in UTF-16 units)."""
    if units(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while units(line) > limit:  # a single line longer than the limit: cut it hard
            if current:
                pieces.append(current)
                current = ""
            cut = _cut(line, limit)
            pieces.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if units(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


@lru_cache(maxsize=None)
def words(group: str) -> frozenset[str]:
    """Words people type that chibo understands (messages/vi/common/words.j2), without accents."""
    module = environment().get_template("common/words.j2").module
    return frozenset(fold(w) for w in getattr(module, group))


@lru_cache(maxsize=None)
def word_commands() -> dict[str, str]:
    """Plain words typed outside a conversation and the command each means ("danh sách": /ds)."""
    module = environment().get_template("common/words.j2").module
    return {fold(w): command for w, command in module.commands.items()}


def labels(group: str) -> dict[str, str]:
    """Vietnamese labels of an enum's values, from messages/vi/common/labels.j2."""
    return dict(_labels(group))


@lru_cache(maxsize=None)
def _labels(group: str) -> dict[str, str]:  # the words do not change while chibo runs (environment())
    module = environment().get_template("common/labels.j2").module
    return dict(getattr(module, group))
