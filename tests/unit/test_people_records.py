"""People, roles, chat accounts and invite codes (models/people.py), asked directly: codes typed on a
phone keyboard, their keyed hash, an invite claimed once, a chat account moved to another person,
a role given once. Mutation testing found these reached by flow tests only."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH
from models import people
from models.org import Organisation
from models.people import ChatLink, Invite, Person, RoleGrant
from models.stage import Role

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
KEY = b"test key"


def test_a_code_has_ten_symbols_without_look_alikes():
    codes = {people.new_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 10 and set(c) <= set(people.CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(people.CODE_ALPHABET)
    assert len(set("".join(codes))) > 20  # drawn from the whole alphabet


def test_a_typed_code_is_read_in_capitals_without_spaces_or_dashes():
    assert people.normalise_code(" ab2c-d3e f ") == "AB2CD3EF"


def test_the_stored_hash_is_keyed_over_the_codes_sha256():
    digest = hashlib.sha256(b"AB2CD3EF").hexdigest()
    expected = hmac.new(KEY, digest.encode(), hashlib.sha256).hexdigest()
    assert people.hash_code("ab2c-d3ef", KEY) == expected == people.rekey(digest, KEY)
    assert people.hash_code("AB2CD3EF", b"other key") != expected


async def branch(db) -> int:
    return (await db.exec(sa.select(Organisation.id).where(Organisation.name == BRANCH))).scalar_one()


async def test_an_invite_is_stored_by_hash_and_found_by_its_code_as_typed(db):
    org = await branch(db)
    code = await people.create_invite(session=db, role=Role.deputy, org_id=org, expires_at=NOW + timedelta(days=2),
                                      now=NOW, key=KEY, full_name="Hà")
    stored = (await db.exec(sa.select(Invite))).scalars().one()
    assert stored.code_hash == people.hash_code(code, KEY) and code not in stored.code_hash
    assert (stored.role, stored.org_id, stored.full_name, stored.candidate_id, stored.used_at) == (
        Role.deputy, org, "Hà", None, None)
    assert (stored.expires_at.replace(tzinfo=UTC), stored.created_at.replace(tzinfo=UTC)) == (
        NOW + timedelta(days=2), NOW)
    found = await people.find_invite(session=db, code=f" {code[:5].lower()}-{code[5:]} ", key=KEY)
    assert found is not None and found.id == stored.id
    assert await people.find_invite(session=db, code=code, key=b"other key") is None


async def test_an_invite_is_claimed_once_and_only_while_open(db):
    org = await branch(db)

    async def made(**kw):
        values = dict(code_hash=f"h{len(kw)}{sorted(kw)}", role=Role.sponsor, org_id=org,
                      expires_at=NOW + timedelta(hours=1), created_at=NOW)
        invite = Invite(**(values | kw))
        db.add(invite)
        await db.flush()
        return invite.id

    open_one = await made()
    assert await people.claim_invite(session=db, invite_id=open_one, now=NOW) is True
    assert (await db.exec(sa.select(Invite.used_at).where(Invite.id == open_one))).scalar_one().replace(
        tzinfo=UTC) == NOW
    assert await people.claim_invite(session=db, invite_id=open_one, now=NOW) is False
    assert await people.claim_invite(session=db, invite_id=await made(revoked_at=NOW), now=NOW) is False
    ends = await made(expires_at=NOW)
    assert await people.claim_invite(session=db, invite_id=ends, now=NOW) is False
    assert await people.claim_invite(session=db, invite_id=ends, now=NOW - timedelta(seconds=1)) is True


async def test_a_chat_account_moves_to_another_person(db):
    one, two = Person(full_name="A", created_at=NOW), Person(full_name="B", created_at=NOW)
    db.add_all([one, two])
    await db.flush()
    await people.link_chat(session=db, channel="zalo", account_id="z1", person_id=one.id, now=NOW)
    await people.link_chat(session=db, channel="telegram", account_id="z1", person_id=one.id, now=NOW)
    later = NOW + timedelta(days=1)
    await people.link_chat(session=db, channel="zalo", account_id="z1", person_id=two.id, now=later)
    rows = (await db.exec(sa.select(ChatLink.channel, ChatLink.person_id, ChatLink.linked_at)
                          .where(ChatLink.account_id == "z1").order_by(ChatLink.channel))).all()
    assert [(c, p, t.replace(tzinfo=UTC)) for c, p, t in rows] == [("telegram", one.id, NOW), ("zalo", two.id, later)]


async def test_a_role_is_given_once(db):
    org = await branch(db)
    one = Person(full_name="A", created_at=NOW)
    db.add(one)
    await db.flush()
    for role in (Role.sponsor, Role.sponsor, Role.deputy):
        await people.grant_role(session=db, person_id=one.id, org_id=org, role=role)
    assert sorted((await db.exec(sa.select(RoleGrant.role).where(RoleGrant.person_id == one.id))).scalars()) == [
        "deputy", "sponsor"]
