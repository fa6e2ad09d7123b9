"""The outbox as records, asked directly on the demo (models/outbox.py): what enqueueing keeps and
leaves out, dropping a withdrawn candidate's reminders, the days already enqueued, a channel's
monthly count, and the wait between tries. Mutation testing of models/outbox.py found these
reached only by the dispatcher's and the reminders' slow tests. In the demo, Nguyễn Thị Thu
(bithu), Trần Văn Bình (giupdo) and Lê Văn Cường (captren) have a chat; Phan Văn Hùng has none."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from models.consent import Consent
from models.outbox import (
    Due, Outbox, OutboxStatus, ReminderRun, SentCount, add_sent, backoff, drop_pending, enqueue, enqueue_from,
    flag_spent, last_run_day, month_usage, record_run,
)
from models.sql import json_object, value
from models.statements import SessionStatements
from tests.unit.demo_rows import candidate, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
MONTH = date(2026, 3, 1)


def utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def each(items):
    for item in items:
        yield item


async def rows(db) -> dict[str, Outbox]:
    db.expunge_all()
    return {r.key: r for r in (await db.exec(sa.select(Outbox))).scalars()}


async def test_enqueued_items_are_kept_once_with_their_values_as_json(db):
    thu, binh = await person(db, "Nguyễn Thị Thu"), await person(db, "Trần Văn Bình")
    items = [Due("a", thu, "digest_week", "reminders/digest_week",
                 {"on": date(2026, 3, 9), "days": [date(2026, 3, 1), 3], "n": 2, "names": ("x", "y")}, branch_id=7),
             Due("b", binh, "review_due", "reminders/review_due")]
    assert await enqueue(session=db, items=each(items), now=NOW) == 2
    kept = await rows(db)
    a = kept["a"]
    assert (a.person_id, a.kind, a.template, a.branch_id, a.status, a.attempts) == (
        thu, "digest_week", "reminders/digest_week", 7, OutboxStatus.pending, 0)
    assert a.values == {"on": "2026-03-09", "days": ["2026-03-01", 3], "n": 2, "names": ["x", "y"]}
    assert (utc(a.created_at), utc(a.due_at), a.lease_until, a.sent_at, a.error) == (NOW, NOW, None, None, None)
    assert (kept["b"].values, kept["b"].branch_id) == ({}, None)
    # Again, and with one more: only the new one is counted.
    later = NOW + timedelta(hours=1)
    assert await enqueue(session=db, items=each(items + [Due("c", binh, "k", "t")]), now=later) == 1
    assert utc((await rows(db))["a"].created_at) == NOW


@pytest.mark.parametrize("batch", [1, 2, 3, 500])
async def test_enqueueing_in_batches_keeps_every_item_but_those_nobody_could_reach(db, batch):
    thu, hung = await person(db, "Nguyễn Thị Thu"), await person(db, "Phan Văn Hùng")
    items = [Due(f"k{i}", hung if i % 3 == 1 else thu, "k", "t") for i in range(7)]
    assert await enqueue(session=db, items=each(items), now=NOW, batch=batch) == 5
    assert set(await rows(db)) == {"k0", "k2", "k3", "k5", "k6"}


async def test_nothing_to_enqueue_is_nothing_new(db):
    hung = await person(db, "Phan Văn Hùng")
    assert await enqueue(session=db, items=each([]), now=NOW) == 0
    assert await enqueue(session=db, items=each([Due("x", hung, "k", "t")]), now=NOW) == 0
    assert await rows(db) == {}


def selected(db, *rows_):
    """A query selecting (key, person_id, kind, template, values, branch_id) rows, as the reminders build them."""
    selects = [sa.select(value(k).label("key"), value(p).label("person_id"), value(kind).label("kind"),
                         value(t).label("template"), json_object(db.bind.dialect.name, **v).label("values"),
                         sa.cast(value(b), sa.Integer).label("branch_id")) for k, p, kind, t, v, b in rows_]
    return sa.union_all(*selects) if len(selects) > 1 else selects[0]


async def test_enqueueing_a_query_keeps_the_new_rows_of_people_reachable_and_consenting(db):
    thu, hung = await person(db, "Nguyễn Thị Thu"), await person(db, "Phan Văn Hùng")
    minh = (await candidate(db, "Lê Hoàng Minh")).person_id  # quanchung, who has consented
    query = selected(db, ("q1", thu, "review_due", "reminders/review_due", {"n": 1}, 5),
                     ("q2", hung, "review_due", "reminders/review_due", {}, None),
                     ("q3", minh, "review_due", "reminders/review_due", {}, None))
    assert await enqueue_from(session=db, query=query, now=NOW) == 2
    kept = await rows(db)
    assert set(kept) == {"q1", "q3"}
    q1 = kept["q1"]
    assert (q1.person_id, q1.kind, q1.template, q1.values, q1.branch_id, q1.status, q1.attempts) == (
        thu, "review_due", "reminders/review_due", {"n": 1}, 5, OutboxStatus.pending, 0)
    assert (utc(q1.created_at), utc(q1.due_at)) == (NOW, NOW)
    assert await enqueue_from(session=db, query=query, now=NOW) == 0
    # Once Minh withdraws his consent, nothing more goes to him.
    await db.exec(sa.update(Consent).values(withdrawn_at=NOW))
    again = selected(db, ("q4", minh, "k", "t", {}, None), ("q5", thu, "k", "t", {}, None))
    assert await enqueue_from(session=db, query=again, now=NOW) == 1
    assert set(await rows(db)) == {"q1", "q3", "q5"}


async def test_a_withdrawal_drops_the_pending_reminders_but_not_the_answers_nor_what_went(db):
    thu, binh = await person(db, "Nguyễn Thị Thu"), await person(db, "Trần Văn Bình")
    for key, who, kind, status in [("p", thu, "review_due", OutboxStatus.pending),
                                   ("answer", thu, "data_request_answer", OutboxStatus.pending),
                                   ("sent", thu, "review_due", OutboxStatus.sent),
                                   ("flying", thu, "review_due", OutboxStatus.in_flight),
                                   ("other", binh, "review_due", OutboxStatus.pending)]:
        db.add(Outbox(key=key, person_id=who, kind=kind, template="t", created_at=NOW, due_at=NOW, status=status))
    await db.flush()
    assert await drop_pending(session=db, person_id=thu) == 1
    assert set(await rows(db)) == {"answer", "sent", "flying", "other"}
    assert await drop_pending(session=db, person_id=thu) == 0


async def test_a_day_enqueued_is_kept_with_its_first_time(db):
    assert await last_run_day(db) is None
    await record_run(session=db, day=date(2026, 3, 1), now=NOW)
    await record_run(session=db, day=date(2026, 3, 1), now=NOW + timedelta(hours=1))
    await record_run(session=db, day=date(2026, 2, 27), now=NOW)
    assert await last_run_day(db) == date(2026, 3, 1)
    db.expunge_all()
    run = await db.get(ReminderRun, date(2026, 3, 1))
    assert utc(run.at) == NOW


async def test_a_channel_counts_what_it_sends_month_by_month(db):
    assert await month_usage(db=SessionStatements(db), channel="zalo", month=MONTH) == (0, False)
    assert await add_sent(db=SessionStatements(db), channel="zalo", month=MONTH) == 1
    assert await add_sent(db=SessionStatements(db), channel="zalo", month=MONTH, n=3) == 4
    assert await add_sent(db=SessionStatements(db), channel="telegram", month=MONTH, n=2) == 2
    assert await add_sent(db=SessionStatements(db), channel="zalo", month=date(2026, 4, 1)) == 1
    db.expunge_all()
    assert await month_usage(db=SessionStatements(db), channel="zalo", month=MONTH) == (4, False)
    assert (await db.get(SentCount, ("zalo", MONTH))).spent is False


async def test_a_spent_quota_is_noted_once_and_keeps_the_count(db):
    assert await flag_spent(db=SessionStatements(db), channel="zalo", month=MONTH) is True
    assert await flag_spent(db=SessionStatements(db), channel="zalo", month=MONTH) is False
    db.expunge_all()
    assert await month_usage(db=SessionStatements(db), channel="zalo", month=MONTH) == (0, True)
    assert await add_sent(db=SessionStatements(db), channel="telegram", month=MONTH, n=5) == 5
    assert await flag_spent(db=SessionStatements(db), channel="telegram", month=MONTH) is True
    db.expunge_all()
    assert await month_usage(db=SessionStatements(db), channel="telegram", month=MONTH) == (5, True)
    assert await add_sent(db=SessionStatements(db), channel="telegram", month=MONTH) == 6
    db.expunge_all()
    assert await month_usage(db=SessionStatements(db), channel="telegram", month=MONTH) == (6, True)


def test_the_wait_between_tries_doubles_up_to_six_hours():
    assert [backoff(a) for a in (0, 1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 1, 2, 4, 8)]
    assert backoff(9) == timedelta(minutes=256)
    assert backoff(10) == backoff(30) == timedelta(hours=6)
