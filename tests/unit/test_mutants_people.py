"""Invites (models/people.py) on the points mutation testing found unchecked by
test_people_records.py: an invite made for a candidate keeps the candidate, claiming one
invite leaves every other open invite open, and a chat account is found by channel and account."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH
from models import people
from models.people import ChatLink, Invite, Person
from models.stage import Role
from tests.unit.demo_rows import candidate, org

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
KEY = b"test key"


async def test_an_invite_for_a_candidate_keeps_the_candidate(db):
    branch, minh = await org(db, BRANCH), await candidate(db, "Lê Hoàng Minh")
    code = await people.create_invite(session=db, role=Role.candidate, org_id=branch,
                                      expires_at=NOW + timedelta(days=1), now=NOW, key=KEY, candidate_id=minh.id)
    found = await people.find_invite(session=db, code=code, key=KEY)
    assert (found.role, found.org_id, found.candidate_id, found.full_name) == (Role.candidate, branch, minh.id, None)


async def test_claiming_an_invite_leaves_the_others_open(db):
    branch = await org(db, BRANCH)
    one, two = [Invite(code_hash=h, role=Role.sponsor, org_id=branch, expires_at=NOW + timedelta(hours=1),
                       created_at=NOW) for h in ("one", "two")]
    db.add_all([one, two])
    await db.flush()
    assert await people.claim_invite(session=db, invite_id=two.id, now=NOW) is True
    used = dict((await db.exec(sa.select(Invite.id, Invite.used_at).where(Invite.id.in_([one.id, two.id])))).all())
    assert used[one.id] is None and used[two.id].replace(tzinfo=UTC) == NOW
    assert await people.claim_invite(session=db, invite_id=one.id, now=NOW) is True


async def test_a_second_account_on_the_same_channel_is_a_link_of_its_own(db):
    one, two = Person(full_name="A", created_at=NOW), Person(full_name="B", created_at=NOW)
    db.add_all([one, two])
    await db.flush()
    await people.link_chat(session=db, channel="zalo", account_id="z1", person_id=one.id, now=NOW)
    await people.link_chat(session=db, channel="zalo", account_id="z2", person_id=two.id, now=NOW)
    rows = (await db.exec(sa.select(ChatLink.account_id, ChatLink.person_id)
                          .where(ChatLink.account_id.in_(["z1", "z2"])).order_by(ChatLink.account_id))).all()
    assert [tuple(r) for r in rows] == [("z1", one.id), ("z2", two.id)]
