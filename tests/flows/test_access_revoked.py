"""Access taken back (issue 16): invite codes stored as keyed hashes, used once even when two
people redeem one at the same instant, revoked invites, roles ended and chat accounts unlinked;
a person whose access was taken back is a stranger from their next message."""

import asyncio
import hashlib
import os

import pytest
import sqlalchemy as sa
from sqlmodel import select

import models.linking
from bot.demo import BRANCH
from bot.render import text_of
from models.access import holders, list_invites, revoke_invite, revoke_role, unlink_accounts
from models.audit import AuditLog
from models.candidate import Candidate
from models.org import Organisation
from models.outbox import Outbox, OutboxStatus
from models.people import ChatLink, Invite, RoleGrant, hash_code
from models.stage import Role
from tests.flows.test_candidates import demo_numbers
from tests.flows.test_start import invite
from tests.support import INVITE_KEY
from tests.texts import NOT_LINKED, NOT_UNDERSTOOD_STRANGER, SECRETARY_HELP_1, sponsor_meeting_start

PG_URL = os.environ.get("TEST_DATABASE_URL")


async def branch_id(chibo) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(Organisation.id).where(Organisation.name == BRANCH))).one()


async def person_of(chibo, account: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == account))).one()


async def audit_entries(chibo) -> list[tuple[int | None, str, str]]:
    async with chibo.sessions() as session:
        rows = await session.exec(sa.select(AuditLog.person_id, AuditLog.action, AuditLog.subject)
                                  .order_by(AuditLog.id))
        return [tuple(r) for r in rows.all()]


# ---- codes stored as keyed hashes ----------------------------------------------------------

async def test_a_code_is_stored_as_a_keyed_hash_that_a_copied_database_does_not_reveal(demo):
    code = await invite(demo)
    async with demo.sessions() as session:
        stored = (await session.exec(select(Invite.code_hash))).one()
    assert stored == hash_code(code, INVITE_KEY)
    assert code not in stored and stored != hashlib.sha256(code.encode()).hexdigest()
    assert stored != hash_code(code, b"another-secret-of-16+")  # without the key, no way to test a code


async def test_a_code_made_under_another_secret_is_not_recognised(talk, demo):
    code = await invite(demo)
    demo.settings.secret = "a-different-secret-0123"
    assert await talk("nguoila").say(f"/start {code}") == (
        "Mã mời này không đúng. Xin kiểm tra lại từng ký tự (còn 4 lần thử).")


async def test_without_the_secret_a_code_is_neither_checked_nor_counted_as_wrong(talk, demo):
    code = await invite(demo)
    demo.settings.secret = None
    stranger = talk("nguoila")
    assert await stranger.say(f"/start {code}") == text_of("start/code_unavailable")
    demo.settings.secret = INVITE_KEY.decode()
    assert await stranger.say(f"/start {code}") == (  # greeted by the chat's name: the invite named nobody
        "Đã liên kết tài khoản. Vai trò: bí thư — Chi bộ Trường THPT Trần Phú (demo).\n\n"
        + SECRETARY_HELP_1.replace("Nguyễn Thị Thu", "nguoila"))


# ---- used once, even at the same instant ---------------------------------------------------

async def test_two_people_redeeming_one_code_at_the_same_instant_one_is_linked(talk, demo, monkeypatch):
    """Both read the invite before either marks it used (a barrier holds them there); only the
    conditional UPDATE decides. On SQLite, one writer at a time serialises them anyway."""
    code = await invite(demo, role=Role.sponsor)
    if PG_URL:
        both_read = asyncio.Barrier(2)
        original = models.linking.find_invite

        async def find_then_wait(**kw):
            found = await original(**kw)
            await both_read.wait()
            return found

        monkeypatch.setattr(models.linking, "find_invite", find_then_wait)
    first, second = talk("racer1"), talk("racer2")
    replies = await asyncio.gather(first.say(f"/start {code}"), second.say(f"/start {code}"))
    linked = [r for r in replies if "Đã liên kết tài khoản" in r]
    refused = [r for r in replies if r.startswith("Mã mời này đã được dùng.")]
    assert (len(linked), len(refused)) == (1, 1), replies
    async with demo.sessions() as session:
        links = (await session.exec(select(ChatLink).where(ChatLink.account_id.in_(["racer1", "racer2"])))).all()
        used = (await session.exec(select(Invite))).one()
    assert len(links) == 1 and used.person_id == links[0].person_id and used.used_at is not None


# ---- invites taken back ----------------------------------------------------------------------

async def test_a_revoked_invite_cannot_be_redeemed_and_is_listed_as_revoked(talk, demo):
    code = await invite(demo, role=Role.deputy)
    now = demo.clock.now()
    async with demo.sessions() as session, session.begin():
        [row] = await list_invites(session=session, now=now)
        assert (row.status, row.role, row.org_name) == ("pending", Role.deputy, BRANCH)
        assert await revoke_invite(session=session, invite_id=row.id, now=now) == "revoked"
        assert await revoke_invite(session=session, invite_id=row.id, now=now) == "already_revoked"
        assert await revoke_invite(session=session, invite_id=row.id + 1, now=now) == "missing"
    async with demo.sessions() as session:
        assert await list_invites(session=session, now=now) == []
        assert [r.status for r in await list_invites(session=session, now=now, every=True)] == ["revoked"]
    reply = await talk("nguoila").say(f"/start {code}")
    assert reply == text_of("start/code_revoked", until=None)
    assert (None, "invite.revoke", f"invite:{row.id}") in await audit_entries(demo)


async def test_a_used_invite_cannot_be_revoked(talk, demo):
    code = await invite(demo, role=Role.sponsor)
    await talk("nguoila").say(f"/start {code}")
    async with demo.sessions() as session, session.begin():
        [row] = await list_invites(session=session, now=demo.clock.now(), every=True)
        assert row.status == "used"
        assert await revoke_invite(session=session, invite_id=row.id, now=demo.clock.now()) == "used"
    assert (await person_of(demo, "nguoila"), "invite.redeem", f"invite:{row.id}") in await audit_entries(demo)


# ---- roles ended, accounts unlinked --------------------------------------------------------

async def test_a_sponsor_whose_role_ends_is_a_stranger_and_no_longer_sponsors(talk, demo):
    giupdo = talk("giupdo")
    assert await giupdo.say("/gap") == sponsor_meeting_start(await demo_numbers(demo))  # mid-conversation when it ends
    branch, sponsor = await branch_id(demo), await person_of(demo, "giupdo")
    async with demo.sessions() as session, session.begin():
        unsponsored = await revoke_role(session=session, person_id=sponsor, org_id=branch, role=Role.sponsor,
                                        now=demo.clock.now(), by_person_id=None)
        assert await revoke_role(session=session, person_id=sponsor, org_id=branch, role=Role.sponsor,
                                 now=demo.clock.now(), by_person_id=None) is None  # no longer held
    assert unsponsored == 9
    assert await giupdo.say("pham thu ha") == NOT_UNDERSTOOD_STRANGER  # the open /gap is gone with the role
    assert await giupdo.say("/cuatoi") == NOT_LINKED
    async with demo.sessions() as session:
        assert (await session.exec(select(sa.func.count()).select_from(Candidate)
                                   .where(Candidate.sponsor_id == sponsor))).one() == 0
        assert sponsor not in [h.person_id for h in await holders(session=session, org_id=branch)]
    assert (None, "role.revoke", f"person:{sponsor}@org:{branch}:sponsor") in await audit_entries(demo)


async def test_a_deputy_who_is_also_a_sponsor_keeps_sponsoring(demo):
    branch = await branch_id(demo)
    async with demo.sessions() as session, session.begin():
        bithu = await person_of(demo, "bithu")
        session.add(RoleGrant(person_id=bithu, org_id=branch, role=Role.deputy))
        await session.flush()
        assert await revoke_role(session=session, person_id=bithu, org_id=branch, role=Role.deputy,
                                 now=demo.clock.now(), by_person_id=None) == 0


async def test_an_unlinked_account_is_a_stranger_and_its_half_typed_answers_are_gone(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/them")
    await bithu.say("Nguyễn Thị Zêta")
    person = await person_of(demo, "bithu")
    async with demo.sessions() as session, session.begin():
        assert await unlink_accounts(session=session, person_id=person, now=demo.clock.now()) == 1
        assert await unlink_accounts(session=session, person_id=person, now=demo.clock.now()) == 0
    assert await bithu.say("05/09/2004") == NOT_UNDERSTOOD_STRANGER
    assert await bithu.say("/ds") == NOT_LINKED
    async with demo.sessions() as session:
        held = [h for h in await holders(session=session, org_id=await branch_id(demo)) if h.person_id == person]
    assert held[0].roles == (Role.secretary,) and held[0].channels == ()  # the role stays, the chat goes
    assert (None, "account.unlink", f"person:{person}@console") in await audit_entries(demo)


@pytest.mark.parametrize("channel", ["zalo", "console"])
async def test_unlinking_one_channel_leaves_the_others(demo, channel):
    person = await person_of(demo, "bithu")
    async with demo.sessions() as session, session.begin():
        session.add(ChatLink(channel="zalo", account_id="z-bithu", person_id=person, linked_at=demo.clock.now()))
        await session.flush()
        assert await unlink_accounts(session=session, person_id=person, now=demo.clock.now(), channel=channel) == 1
        remaining = (await session.exec(select(ChatLink.channel).where(ChatLink.person_id == person))).all()
    assert len(remaining) == 1 and remaining[0] != channel


async def test_invites_expire_after_their_days(talk, demo):
    code = await invite(demo, days=1)
    demo.clock.advance(days=1, minutes=1)
    assert await talk("nguoila").say(f"/start {code}") == "Mã mời này đã hết hạn. Xin bí thư chi bộ cấp mã mới."


async def test_reminders_waiting_for_a_person_whose_role_ends_are_not_sent(demo):
    branch, sponsor, secretary = await branch_id(demo), await person_of(demo, "giupdo"), await person_of(demo, "bithu")
    now = demo.clock.now()

    async def due(key: str, person: int, org: int | None) -> Outbox:
        return Outbox(key=key, person_id=person, kind="checkin_list", template="reminders/checkin_list",
                      branch_id=org, created_at=now, due_at=now)

    async with demo.sessions() as session, session.begin():
        session.add_all([await due("a", sponsor, branch), await due("b", sponsor, None),
                         await due("c", secretary, branch)])
        sent = await due("d", sponsor, branch)
        sent.status = OutboxStatus.sent
        session.add(sent)
        await session.flush()
        await revoke_role(session=session, person_id=sponsor, org_id=branch, role=Role.sponsor, now=now,
                          by_person_id=None)
    async with demo.sessions() as session:
        left = (await session.exec(select(Outbox.key).order_by(Outbox.key))).all()
    assert left == ["c", "d"]  # the sponsor had no role left: nothing waits for them; the sent one stays
