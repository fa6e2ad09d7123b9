"""Zalo events (a webhook POST body, or what getUpdates returns) as neutral `Incoming`s.

Accepted shapes: the `{"ok": true, "result": …}` envelope or a bare event (what webhooks most
often carry); a `result` that is one event or a list; the sender's name as `display_name`,
`first_name` or `name`; an image's URL as `photo_url` or `photo`; ids as strings (numbers are
turned into strings); `date` in milliseconds. An event without `event_name`
but with a text (the getUpdates sample in Zalo's docs) is a text message. Anything that
cannot be read is skipped and logged without its content.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.events import ZALO  # noqa: F401 (here too: the channel's name)
from bot.channels.port import Incoming

log = logging.getLogger(__name__)

TEXT, IMAGE, STICKER, UNSUPPORTED, OTHER = "text", "image", "sticker", "unsupported", "other"
KINDS = {
    "message.text.received": TEXT,
    "message.image.received": IMAGE,
    "message.sticker.received": STICKER,
    "message.unsupported.received": UNSUPPORTED,
}


@dataclass(frozen=True)
class ZaloEvent:
    """One message; only `TEXT` goes to the engine, the channel answers the others itself.
    `from_bot`: the sender says it is a bot (`from.is_bot`), as the bot's own messages may.
    `photo_url`: an image's address (never logged)."""

    kind: str
    incoming: Incoming
    from_bot: bool = False
    photo_url: str | None = None


def parse_events(body: Any, now: Callable[[], datetime]) -> list[ZaloEvent]:
    if isinstance(body, dict) and "ok" in body and "message" not in body:
        if body.get("ok") is not True:
            return []
        body = body.get("result")
    if body is None or body == {}:
        return []
    items = body if isinstance(body, list) else [body]
    events = []
    for item in items:
        event = parse_event(item, now)
        if event is None:
            log.warning("skipped a Zalo event that could not be read (%s)", _shape(item))
        else:
            events.append(event)
    return events


def parse_event(item: Any, now: Callable[[], datetime]) -> ZaloEvent | None:
    if not isinstance(item, dict) or not isinstance(item.get("message"), dict):
        return None
    message = item["message"]
    name = item.get("event_name")
    if name is None:
        kind = TEXT if isinstance(message.get("text"), str) else OTHER
    elif isinstance(name, str) and name.startswith("message."):
        kind = KINDS.get(name, OTHER)
    else:
        return None
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    chat_id, message_id = _id(chat.get("id")), _id(message.get("message_id"))
    sender_id = _id(sender.get("id")) or chat_id
    if not chat_id or not message_id:
        return None
    text = message.get("text") if kind == TEXT else message.get("caption")
    if kind == TEXT and not isinstance(text, str):
        return None
    chat_type = chat.get("chat_type")
    return ZaloEvent(kind, Incoming(
        channel=ZALO,
        chat_id=chat_id,
        sender_id=sender_id,
        text=text if isinstance(text, str) else "",
        message_id=message_id,
        received_at=_moment(message.get("date")) or now(),
        sender_name=_name(sender),
        is_group=isinstance(chat_type, str) and chat_type.upper() != "PRIVATE",
    ), from_bot=sender.get("is_bot") is True, photo_url=_photo(message) if kind == IMAGE else None)


def _id(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _photo(message: dict[str, Any]) -> str | None:
    for key in ("photo_url", "photo"):
        value = message.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _name(sender: dict[str, Any]) -> str | None:
    for key in ("display_name", "first_name", "name"):
        value = sender.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _moment(millis: Any) -> datetime | None:
    if isinstance(millis, str) and millis.strip().isdigit():
        millis = int(millis)
    if isinstance(millis, bool) or not isinstance(millis, int | float):
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _shape(item: Any) -> str:
    """What an unreadable event looked like, without any of its values."""
    if isinstance(item, dict):
        return "keys: " + ",".join(sorted(str(k) for k in item)[:10])
    return type(item).__name__
