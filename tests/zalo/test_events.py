"""Reading Zalo events: every shape the docs and public code show, and garbage."""

from datetime import UTC, datetime

import pytest

from bot.channels.zalo_events import IMAGE, OTHER, STICKER, TEXT, UNSUPPORTED, parse_events

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def now() -> datetime:
    return NOW


def event(name: str | None = "message.text.received", **message) -> dict:
    body = {"message": {"message_id": "16f6366b3f02645a3d15", "date": 1766619597466,
                        "chat": {"id": "e4ea2cd5189df1c3a88c", "chat_type": "PRIVATE"},
                        "from": {"id": "e4ea2cd5189df1c3a88c", "display_name": "Nguyễn Văn A",
                                 "is_bot": False},
                        "text": "Xin chào", **message}}
    if name is not None:
        body["event_name"] = name
    return body


def test_the_official_sample_in_its_envelope():
    [e] = parse_events({"ok": True, "result": event()}, now)
    m = e.incoming
    assert e.kind == TEXT
    assert (m.channel, m.chat_id, m.sender_id, m.text, m.message_id, m.sender_name, m.is_group) == (
        "zalo", "e4ea2cd5189df1c3a88c", "e4ea2cd5189df1c3a88c", "Xin chào", "16f6366b3f02645a3d15",
        "Nguyễn Văn A", False)
    assert m.received_at == datetime(2025, 12, 24, 23, 39, 57, 466000, tzinfo=UTC)


def test_a_bare_event_and_a_list_result():
    assert [e.kind for e in parse_events(event(), now)] == [TEXT]
    two = {"ok": True, "result": [event(), event(message_id="other")]}
    assert [e.incoming.message_id for e in parse_events(two, now)] == ["16f6366b3f02645a3d15", "other"]


def test_first_name_numbers_as_ids_and_no_event_name():
    # the getUpdates sample of the docs: no event_name, first_name, and here numeric ids
    e = event(None, chat={"id": 42, "chat_type": "PRIVATE"}, message_id=7,
              **{"from": {"id": 42, "first_name": "Trần Thị B"}})
    [parsed] = parse_events({"ok": True, "result": e}, now)
    m = parsed.incoming
    assert parsed.kind == TEXT
    assert (m.chat_id, m.sender_id, m.message_id, m.sender_name) == ("42", "42", "7", "Trần Thị B")


def test_the_name_as_live_bots_send_it():
    e = event(**{"from": {"id": "e4ea2cd5189df1c3a88c", "name": "Lê Thị C", "is_bot": False}})
    [parsed] = parse_events(e, now)
    assert parsed.incoming.sender_name == "Lê Thị C" and not parsed.from_bot


@pytest.mark.parametrize("field", ["photo_url", "photo"])
def test_an_image_url_as_photo_url_or_photo(field):
    [e] = parse_events(event("message.image.received", text=None, **{field: "https://zalo.example/a.jpg"}), now)
    assert e.kind == IMAGE and e.photo_url == "https://zalo.example/a.jpg"


def test_a_sender_that_is_a_bot_is_marked():
    [e] = parse_events(event(**{"from": {"id": "b1", "display_name": "Bot chibo", "is_bot": True}}), now)
    assert e.from_bot


@pytest.mark.parametrize("name, kind", [
    ("message.image.received", IMAGE), ("message.sticker.received", STICKER),
    ("message.unsupported.received", UNSUPPORTED), ("message.video.received", OTHER),
])
def test_other_kinds_are_recognised_and_carry_no_text(name, kind):
    [e] = parse_events(event(name, text=None, photo="https://x/y.jpg"), now)
    assert e.kind == kind and e.incoming.text == ""


def test_a_group_chat_and_a_missing_date():
    body = event(chat={"id": "g1", "chat_type": "GROUP"}, date=None)
    [e] = parse_events(body, now)
    assert e.incoming.is_group and e.incoming.received_at == NOW


@pytest.mark.parametrize("body", [
    None, [], "text", 42, {"ok": False, "error_code": 408}, {"ok": True, "result": None},
    {"ok": True, "result": [1, "x", None]}, {"event_name": "message.text.received"},
    event(chat={}), event(message_id=""), event(text=None), event(text=5), event("bot.added"),
])
def test_unreadable_bodies_give_no_event_and_no_crash(body):
    assert parse_events(body, now) == []


def test_odd_fields_fall_back():
    [e] = parse_events(event(date=10**20, **{"from": "nobody"}), now)
    assert e.incoming.received_at == NOW
    assert e.incoming.sender_id == e.incoming.chat_id and e.incoming.sender_name is None


def test_unreadable_events_are_logged_without_their_content(caplog):
    parse_events({"ok": True, "result": [{"secret": "Nguyễn Văn A"}, event()]}, now)
    assert "could not be read" in caplog.text and "Nguyễn" not in caplog.text
