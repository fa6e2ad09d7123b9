"""Retention (issue 16): message ids after 30 days, sent messages' bodies after 30 days,
unfinished conversations' answers after 7, and people who left the pipeline anonymised after
the configured years; each rule exactly at its limit, as of the injected clock."""

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from bot.leader import LEAD_EVERY
from bot.scheduler import purge
from models.audit import AuditLog
from models.candidate import Candidate
from models.conversation import Conversation, ProcessedMessage
from models.erasure import RETENTION_ACTION
from models.outbox import Outbox, OutboxStatus
from models.retention import LEFT_PIPELINE_YEARS
from models.stage import Stage
from tests.test_erasure import PLACEHOLDER, everywhere

TAI = "Mạc Văn Tài"  # the demo's removed candidate, 100 days ago


async def test_ids_bodies_and_answers_go_after_their_days_and_not_before(demo):
    now = demo.clock.now()
    day = timedelta(days=1)
    async with demo.sessions() as session, session.begin():
        for key, age in [("old", 30 * day + timedelta(seconds=1)), ("young", 30 * day - timedelta(seconds=1))]:
            session.add(ProcessedMessage(channel="telegram", message_id=key, at=now - age))
            session.add(Outbox(key=f"sent:{key}", person_id=1, kind="k", template="t", values={"name": "X"},
                               created_at=now - age, due_at=now - age, status=OutboxStatus.sent, sent_at=now - age))
            session.add(Outbox(key=f"failed:{key}", person_id=1, kind="k", template="t", values={"name": "X"},
                               created_at=now - age, due_at=now - age, status=OutboxStatus.failed))
        session.add(Outbox(key="pending:old", person_id=1, kind="k", template="t", values={"name": "X"},
                           created_at=now - 40 * day, due_at=now - 40 * day))
        for chat, age in [("old", 7 * day + timedelta(seconds=1)), ("young", 7 * day - timedelta(seconds=1))]:
            session.add(Conversation(channel="console", chat_id=chat, flow="register", data={"name": "X"},
                                     updated_at=now - age))
    done = await purge(demo.sessions, now, years=LEFT_PIPELINE_YEARS)
    assert (done.message_ids, done.message_bodies, done.conversations, done.people) == (1, 2, 1, 0)
    async with demo.sessions() as session:
        assert (await session.exec(select(ProcessedMessage.message_id))).all() == ["young"]
        bodies = dict((await session.exec(select(Outbox.key, Outbox.values))).all())
        assert bodies == {"sent:old": {}, "failed:old": {}, "sent:young": {"name": "X"},
                          "failed:young": {"name": "X"}, "pending:old": {"name": "X"}}
        assert (await session.exec(select(Conversation.chat_id))).all() == ["young"]
    again = await purge(demo.sessions, now, years=LEFT_PIPELINE_YEARS)
    assert (again.message_ids, again.message_bodies, again.conversations, again.people) == (0, 0, 0, 0)


async def removed_on(demo) -> Candidate:
    async with demo.sessions() as session:
        return (await session.exec(select(Candidate).where(Candidate.full_name == TAI))).one()


async def test_who_left_the_pipeline_is_anonymised_after_the_configured_years(demo):
    tai = await removed_on(demo)
    assert tai.stage == Stage.removed
    # The day before the five years are over, nothing; on the day after, the record is anonymised.
    left = tai.stage_since
    demo.clock.advance(days=(left.replace(year=left.year + 5) - demo.clock.today()).days)
    assert (await purge(demo.sessions, demo.clock.now(), years=5)).people == 0
    demo.clock.advance(days=1)
    done = await purge(demo.sessions, demo.clock.now(), years=5)
    assert done.people == 1
    assert await everywhere(demo, TAI) == []
    async with demo.sessions() as session:
        row = await session.get(Candidate, tai.id)
        assert (row.full_name, row.stage, row.birth_date.year) == (PLACEHOLDER, Stage.removed, 1991)
        entry = (await session.exec(select(AuditLog).order_by(AuditLog.id.desc()))).first()
        assert (entry.action, entry.subject, entry.detail) == (RETENTION_ACTION, f"candidate:{tai.id}", None)
        active = (await session.exec(select(sa.func.count()).select_from(Candidate)
                                     .where(Candidate.erased_at.is_not(None)))).one()
    assert active == 1  # nobody still in the pipeline, and no official member, is touched
    assert (await purge(demo.sessions, demo.clock.now(), years=5)).people == 0  # done once


async def test_a_shorter_setting_applies_sooner(demo):
    left = (await removed_on(demo)).stage_since
    demo.clock.advance(days=(left.replace(year=left.year + 1) - demo.clock.today()).days)
    assert (await purge(demo.sessions, demo.clock.now(), years=1)).people == 0
    demo.clock.advance(days=1)
    assert (await purge(demo.sessions, demo.clock.now(), years=1)).people == 1


async def test_the_scheduler_purges_daily_in_the_leading_process_only(demo, monkeypatch):
    from bot import scheduler

    runs = []

    async def fake_purge(sessions, at, *, years):
        runs.append((at, years))

    class Follower:
        leading = False
        every = LEAD_EVERY

        async def try_lead(self) -> bool:
            return False

    monkeypatch.setattr(scheduler, "purge", fake_purge)
    jobs = scheduler.Jobs(demo.sessions, None, demo.clock, retention_years=3)
    job = jobs.scheduler.get_job("purge")
    assert str(job.trigger) == "cron[hour='3', minute='15']"
    await job.func()
    assert runs == [(demo.clock.now(), 3)]
    follower = scheduler.Jobs(demo.sessions, None, demo.clock, Follower(), retention_years=3)
    await follower.scheduler.get_job("purge").func()
    assert len(runs) == 1


async def test_an_answer_kept_and_never_sent_goes_with_the_abandoned_answers(demo):
    now = demo.clock.now()
    kept = [{"text": "Nguyễn Văn An (1998)", "choices": [], "file": None}]
    async with demo.sessions() as session, session.begin():
        for chat, age in [("old", timedelta(days=7, seconds=1)), ("young", timedelta(days=7, seconds=-1))]:
            session.add(Conversation(channel="zalo", chat_id=chat, pending=kept, pending_id=f"m-{chat}",
                                     pending_since=now - age, updated_at=now - age))
    done = await purge(demo.sessions, now, years=LEFT_PIPELINE_YEARS)
    assert done.conversations == 1
    async with demo.sessions() as session:
        assert (await session.exec(select(Conversation.chat_id).where(Conversation.channel == "zalo"))).all() == [
            "young"]
