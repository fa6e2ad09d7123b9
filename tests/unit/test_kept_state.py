"""What became of a kept answer when the chat's next message comes (models/replies.py)."""

from datetime import UTC, datetime, timedelta

from models.replies import SEND_GRACE, Kept, kept_state

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ANSWER = [{"text": "Đã lưu.", "choices": [], "file": None}]


def test_nothing_kept_is_nothing():
    assert kept_state(None, None, NOW) is Kept.nothing
    assert kept_state([], NOW, NOW) is Kept.nothing


def test_an_answer_younger_than_the_grace_may_still_be_on_its_way():
    assert kept_state(ANSWER, NOW, NOW) is Kept.on_its_way
    assert kept_state(ANSWER, NOW - SEND_GRACE + timedelta(microseconds=1), NOW) is Kept.on_its_way


def test_an_answer_as_old_as_the_grace_is_lost():
    assert kept_state(ANSWER, NOW - SEND_GRACE, NOW) is Kept.lost
    assert kept_state(ANSWER, NOW - timedelta(days=3), NOW) is Kept.lost
