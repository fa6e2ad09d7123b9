"""Answering a request about one's data (models/consent.py `answer`, `overdue`): acknowledging
keeps it due until its day to act; done ends it, with what was done."""

from datetime import date, datetime, timezone

from models.consent import Answer, DataRequest, RequestKind, answer, request_due


def _request() -> DataRequest:
    acknowledge_by, act_by = request_due(date(2026, 3, 2))
    return DataRequest(candidate_id=1, person_id=2, kind=RequestKind.erase, made_on=date(2026, 3, 2),
                       acknowledge_by=acknowledge_by, act_by=act_by, at=datetime(2026, 3, 2, tzinfo=timezone.utc))


def test_acknowledging_keeps_the_request_open():
    r = _request()
    answer(r, Answer.acknowledged, today=date(2026, 3, 3), by=7, outcome="ignored")
    assert (r.acknowledged_on, r.done_on, r.outcome, r.answered_by) == (date(2026, 3, 3), None, None, 7)


def test_done_acknowledges_too_and_keeps_what_was_done():
    r = _request()
    answer(r, Answer.done, today=date(2026, 3, 10), by=7, outcome="Đã xoá")
    assert (r.acknowledged_on, r.done_on, r.outcome) == (date(2026, 3, 10), date(2026, 3, 10), "Đã xoá")


def test_done_after_acknowledging_keeps_the_first_acknowledgement():
    r = _request()
    answer(r, Answer.acknowledged, today=date(2026, 3, 3), by=7)
    answer(r, Answer.done, today=date(2026, 3, 12), by=8, outcome="Đã sửa ngày sinh")
    assert (r.acknowledged_on, r.done_on, r.answered_by) == (date(2026, 3, 3), date(2026, 3, 12), 8)
