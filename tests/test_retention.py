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
from models.people import Person, RoleGrant
from models.retention import LEFT_PIPELINE_YEARS
from models.stage import Role, Stage
from tests.test_erasure import PLACEHOLDER, everywhere, mention_everywhere

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


async def test_an_old_conversation_holding_nothing_stays_and_any_one_thing_held_makes_it_go(demo):
    now = demo.clock.now()
    old = now - timedelta(days=8)
    held = {"nothing": {}, "flow": {"flow": "register"}, "data": {"data": {"name": "X"}},
            "choices": {"choices": [["1", "X"]]}, "pending": {"pending": [{"text": "X"}], "pending_id": "m"}}
    async with demo.sessions() as session, session.begin():
        for chat, values in held.items():
            session.add(Conversation(channel="memory", chat_id=chat, updated_at=old, **values))
    assert (await purge(demo.sessions, now, years=LEFT_PIPELINE_YEARS)).conversations == 4
    async with demo.sessions() as session:
        assert (await session.exec(select(Conversation.chat_id).where(Conversation.channel == "memory"))).all() == [
            "nothing"]


async def link_to_a_person(demo, name: str = TAI, *, role: Role | None = None) -> tuple[int, int]:
    """The removed candidate's record linked to a person of their own (with another role in the
    branch when asked); returns (candidate id, person id)."""
    async with demo.sessions() as session, session.begin():
        tai = (await session.exec(select(Candidate).where(Candidate.full_name == name))).one()
        person = Person(full_name=name, created_at=demo.clock.now())
        session.add(person)
        await session.flush()
        tai.person_id = person.id
        session.add(tai)
        session.add(RoleGrant(person_id=person.id, org_id=tai.branch_id, role=Role.candidate))
        if role is not None:
            session.add(RoleGrant(person_id=person.id, org_id=tai.branch_id, role=role))
        return tai.id, person.id


async def five_years_after_leaving(demo) -> None:
    left = (await removed_on(demo)).stage_since
    demo.clock.advance(days=(left.replace(year=left.year + 5) - demo.clock.today()).days + 1)


async def erased(demo, candidate_id: int, person_id: int) -> tuple[bool, bool]:
    async with demo.sessions() as session:
        return ((await session.get(Candidate, candidate_id)).erased_at is not None,
                (await session.get(Person, person_id)).erased_at is not None)


async def test_the_person_of_a_record_due_goes_with_it_when_nothing_else_of_theirs_is_kept(demo):
    ids = await link_to_a_person(demo)
    await five_years_after_leaving(demo)
    assert (await purge(demo.sessions, demo.clock.now(), years=5)).people == 1
    assert await erased(demo, *ids) == (True, True)
    assert await everywhere(demo, TAI) == []


async def test_a_person_with_another_role_keeps_their_name_when_their_old_record_goes(demo):
    ids = await link_to_a_person(demo, role=Role.sponsor)
    await five_years_after_leaving(demo)
    assert (await purge(demo.sessions, demo.clock.now(), years=5)).people == 1
    assert await erased(demo, *ids) == (True, False)


async def test_a_person_transferred_keeps_their_name_while_their_new_record_is_kept(demo):
    candidate_id, person_id = await link_to_a_person(demo)
    await five_years_after_leaving(demo)
    async with demo.sessions() as session, session.begin():
        old = await session.get(Candidate, candidate_id)
        old.stage = Stage.transferred  # moved to another branch, where the new record goes on
        session.add(old)
        session.add(Candidate(**{**old.model_dump(exclude={"id", "stage", "stage_since", "number"}, warnings=False),
                                 "stage": Stage.source, "stage_since": demo.clock.today(), "number": 9999}))
    assert (await purge(demo.sessions, demo.clock.now(), years=5)).people == 1
    assert await erased(demo, candidate_id, person_id) == (True, False)
    async with demo.sessions() as session:
        kept = (await session.exec(select(Candidate).where(Candidate.person_id == person_id,
                                                           Candidate.erased_at.is_(None)))).all()
    assert [(c.full_name, c.stage) for c in kept] == [(TAI, Stage.source)]


async def test_what_is_exactly_at_its_limit_stays_until_the_next_moment(demo):
    now = demo.clock.now()
    thirty, seven = now - timedelta(days=30), now - timedelta(days=7)
    async with demo.sessions() as session, session.begin():
        session.add(ProcessedMessage(channel="telegram", message_id="edge", at=thirty))
        session.add(Outbox(key="sent:edge", person_id=1, kind="k", template="t", values={"name": "X"},
                           created_at=thirty, due_at=thirty, status=OutboxStatus.sent, sent_at=thirty))
        session.add(Outbox(key="failed:edge", person_id=1, kind="k", template="t", values={"name": "X"},
                           created_at=thirty, due_at=thirty, status=OutboxStatus.failed))
        session.add(Conversation(channel="console", chat_id="edge", flow="register", data={"name": "X"},
                                 updated_at=seven))
    done = await purge(demo.sessions, now, years=LEFT_PIPELINE_YEARS)
    assert (done.message_ids, done.message_bodies, done.conversations) == (0, 0, 0)
    done = await purge(demo.sessions, now + timedelta(microseconds=1), years=LEFT_PIPELINE_YEARS)
    assert (done.message_ids, done.message_bodies, done.conversations) == (1, 2, 1)


async def test_the_name_of_a_record_due_goes_from_the_free_text_that_mentions_it(demo):
    tai = await removed_on(demo)
    await mention_everywhere(demo, TAI, tai.id)
    await five_years_after_leaving(demo)
    assert (await purge(demo.sessions, demo.clock.now(), years=5)).people == 1
    assert await everywhere(demo, TAI) == []


async def test_a_record_of_theirs_erased_before_keeps_nothing_of_the_person(demo):
    candidate_id, person_id = await link_to_a_person(demo)
    async with demo.sessions() as session, session.begin():
        old = await session.get(Candidate, candidate_id)
        session.add(Candidate(**{**old.model_dump(exclude={"id", "stage", "stage_since", "number"}, warnings=False),
                                 "full_name": PLACEHOLDER, "stage": Stage.removed, "stage_since": old.stage_since,
                                 "number": 9998, "erased_at": demo.clock.now()}))  # anonymised by an earlier purge
    await five_years_after_leaving(demo)
    assert (await purge(demo.sessions, demo.clock.now(), years=5)).people == 1
    assert await erased(demo, candidate_id, person_id) == (True, True)
