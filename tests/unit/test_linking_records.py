"""Redeeming an invite code, asked directly on the demo (models/linking.py): which person the chat
becomes (the one it already is, the one the invite is bound to, the candidate's, or a new one
named by the invite, the candidate, the chat or "?"), the role given, and the wrong codes counted
per chat account until it must wait. Mutation testing found these reached by flow tests only."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models.audit import AuditLog
from models.candidate import Candidate
from models.linking import redeem_invite
from models.people import ChatLink, CodeAttempt, Invite, Person, RoleGrant, create_invite, find_invite, link_chat
from models.stage import Role
from tests.unit.demo_rows import org

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
KEY = b"test key"
LOCKOUT = timedelta(minutes=15)

# Looking a row up by a missing key (session.get(Candidate, None)) only warns today; SQLAlchemy says
# it "may raise an error in a future release". An invite without a candidate must not ask for one.
pytestmark = pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")


def at(value):
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


async def make(db, *, role=Role.sponsor, branch=BRANCH, days=3, **kw) -> tuple[str, Invite]:
    code = await create_invite(session=db, role=role, org_id=await org(db, branch),
                               expires_at=NOW + timedelta(days=days), now=NOW, key=KEY, **kw)
    return code, await find_invite(session=db, code=code, key=KEY)


async def redeem(db, code, account="t-1", *, name="Chat Name", now=NOW, max_failures=3):
    return await redeem_invite(session=db, code=code, key=KEY, channel="telegram", account_id=account,
                               display_name=name, now=now, max_failures=max_failures, lockout=LOCKOUT)


async def linked(db, account="t-1") -> Person:
    return (await db.exec(sa.select(Person).join(ChatLink, ChatLink.person_id == Person.id).where(
        ChatLink.channel == "telegram", ChatLink.account_id == account))).scalar_one()


async def roles(db, person_id) -> set[tuple[int, Role]]:
    return {tuple(r) for r in (await db.exec(sa.select(RoleGrant.org_id, RoleGrant.role)
                                             .where(RoleGrant.person_id == person_id))).all()}


async def attempt(db, account="t-1") -> CodeAttempt | None:
    return (await db.exec(sa.select(CodeAttempt).where(CodeAttempt.account_id == account)
                          .execution_options(populate_existing=True))).scalar_one_or_none()


async def test_a_new_person_named_by_the_invite_gets_the_role(db):
    code, invite = await make(db, full_name="Vũ Thị Hà")
    before = (await db.exec(sa.select(sa.func.max(Person.id)))).scalar_one()
    outcome = await redeem(db, code)
    assert (outcome.result, outcome.values) == ("linked", {"role": Role.sponsor, "org_name": BRANCH,
                                                            "handed_over": None})
    person = await linked(db)
    assert person.id > before and person.full_name == "Vũ Thị Hà" and at(person.created_at) == NOW
    assert await roles(db, person.id) == {(await org(db, BRANCH), Role.sponsor)}
    assert (at(invite.used_at), invite.person_id) == (NOW, person.id)
    assert [(at(a), p, s) for a, p, s in (await db.exec(sa.select(AuditLog.at, AuditLog.person_id, AuditLog.subject)
                                                        .where(AuditLog.action == "invite.redeem"))).all()] == [
        (NOW, person.id, f"invite:{invite.id}")]
    assert await attempt(db) is None


async def test_a_new_person_is_named_by_the_candidate_else_the_chat_else_a_question_mark(db):
    cand = (await db.exec(sa.select(Candidate).where(Candidate.branch_id == await org(db, SECOND_BRANCH),
                                                     Candidate.person_id.is_(None)).limit(1))).scalar_one()
    code, _ = await make(db, role=Role.candidate, branch=SECOND_BRANCH, candidate_id=cand.id, full_name="Other")
    assert (await redeem(db, code, "t-1")).result == "linked"
    person = await linked(db, "t-1")
    assert person.full_name == cand.full_name
    assert (await db.get(Candidate, cand.id)).person_id == person.id
    assert await roles(db, person.id) == {(await org(db, SECOND_BRANCH), Role.candidate)}
    code, _ = await make(db)
    assert (await redeem(db, code, "t-2", name="Chat Name")).result == "linked"
    assert (await linked(db, "t-2")).full_name == "Chat Name"
    code, _ = await make(db)
    assert (await redeem(db, code, "t-3", name=None)).result == "linked"
    assert (await linked(db, "t-3")).full_name == "?"


async def test_a_chat_already_linked_stays_its_person(db):
    code, _ = await make(db, full_name="Someone Else")
    assert (await redeem(db, code, "t-1")).result == "linked"
    first = await linked(db, "t-1")
    cand = (await db.exec(sa.select(Candidate).where(Candidate.person_id.is_not(None)).limit(1))).scalar_one()
    code, _ = await make(db, role=Role.deputy, branch=SECOND_BRANCH, candidate_id=cand.id)
    assert (await redeem(db, code, "t-1")).values["org_name"] == SECOND_BRANCH
    assert (await linked(db, "t-1")).id == first.id
    assert await roles(db, first.id) == {(await org(db, BRANCH), Role.sponsor),
                                         (await org(db, SECOND_BRANCH), Role.deputy)}
    assert (await db.get(Candidate, cand.id)).person_id == first.id


async def test_an_invite_bound_to_a_person_or_to_a_candidate_with_one_links_that_person(db):
    hung = (await db.exec(sa.select(Person).where(Person.full_name == "Phan Văn Hùng"))).scalar_one()
    code, invite = await make(db, role=Role.sponsor, full_name="Ignored")
    invite.person_id = hung.id
    await db.flush()
    assert (await redeem(db, code, "t-1")).result == "linked"
    assert (await linked(db, "t-1")).id == hung.id
    assert (at(invite.used_at), invite.person_id) == (NOW, hung.id)
    cand = (await db.exec(sa.select(Candidate).where(Candidate.person_id.is_not(None)).limit(1))).scalar_one()
    theirs = cand.person_id
    code, _ = await make(db, role=Role.candidate, candidate_id=cand.id, full_name="Ignored")
    assert (await redeem(db, code, "t-2")).result == "linked"
    assert (await linked(db, "t-2")).id == theirs


async def test_the_same_account_id_on_another_channel_is_someone_else(db):
    hung = (await db.exec(sa.select(Person).where(Person.full_name == "Phan Văn Hùng"))).scalar_one()
    await link_chat(session=db, channel="zalo", account_id="t-1", person_id=hung.id, now=NOW)
    code, _ = await make(db, full_name="Vũ Thị Hà")
    assert (await redeem(db, code, "t-1")).result == "linked"
    assert (await linked(db, "t-1")).full_name == "Vũ Thị Hà"


async def test_wrong_codes_are_counted_and_lock_the_chat_out(db):
    outcome = await redeem(db, "NOPE", max_failures=3)
    assert (outcome.result, outcome.values) == ("unknown", {"tries_left": 2, "until": None})
    assert (await attempt(db)).failures == 1
    assert (await redeem(db, "NOPE", max_failures=3)).values == {"tries_left": 1, "until": None}
    assert (await redeem(db, "NOPE", "t-other", max_failures=3)).values["tries_left"] == 2  # per chat account
    outcome = await redeem(db, "NOPE", max_failures=3)
    assert (outcome.result, outcome.values) == ("unknown", {"tries_left": 0, "until": NOW + LOCKOUT})
    code, _ = await make(db)
    outcome = await redeem(db, code, now=NOW + LOCKOUT - timedelta(seconds=1))
    assert (outcome.result, outcome.values) == ("locked", {"until": NOW + LOCKOUT})
    assert (await db.exec(sa.select(sa.func.count()).select_from(ChatLink).where(
        ChatLink.account_id == "t-1"))).scalar_one() == 0
    assert (await redeem(db, code, now=NOW + LOCKOUT)).result == "linked"  # the wait is over
    assert await attempt(db) is None


async def test_a_wait_over_starts_the_count_again(db):
    for _ in range(2):
        await redeem(db, "NOPE", max_failures=2)
    assert at((await attempt(db)).locked_until) == NOW + LOCKOUT
    outcome = await redeem(db, "NOPE", now=NOW + LOCKOUT, max_failures=2)
    assert (outcome.result, outcome.values) == ("unknown", {"tries_left": 1, "until": None})
    assert ((await attempt(db)).failures, (await attempt(db)).locked_until) == (1, None)
    outcome = await redeem(db, "NOPE", now=NOW + LOCKOUT, max_failures=1)
    assert outcome.values == {"tries_left": 0, "until": NOW + 2 * LOCKOUT}  # past the last try: locked
    assert (await redeem(db, "NOPE", now=NOW + LOCKOUT, max_failures=1)).result == "locked"


async def test_revoked_used_and_expired_codes_are_refused_and_counted(db):
    revoked, r = await make(db)
    r.revoked_at = NOW
    used, u = await make(db)
    u.used_at = NOW
    expired, _ = await make(db, days=0)
    both, b = await make(db)
    b.revoked_at, b.used_at = NOW, NOW
    await db.flush()
    results = [await redeem(db, c, max_failures=10) for c in (revoked, used, expired, both)]
    assert [(o.result, o.values["tries_left"]) for o in results] == [
        ("revoked", 9), ("used", 8), ("expired", 7), ("revoked", 6)]
    almost, _ = await make(db, days=1)
    assert (await redeem(db, almost, now=NOW + timedelta(days=1) - timedelta(seconds=1))).result == "linked"


async def test_a_code_redeemed_by_someone_else_a_moment_ago_is_used(db):
    code, invite = await make(db)  # this session still sees it unused
    await db.exec(sa.update(Invite).where(Invite.id == invite.id).values(used_at=NOW)
                  .execution_options(synchronize_session=False))
    outcome = await redeem(db, code)
    assert (outcome.result, outcome.values) == ("used", {"tries_left": 2, "until": None})
    assert (await attempt(db)).failures == 1


async def test_a_hand_over_redeemed_ends_the_old_secretary(db):
    thu = (await db.exec(sa.select(Person.id).where(Person.full_name == "Nguyễn Thị Thu"))).scalar_one()
    code, invite = await make(db, role=Role.secretary, full_name="Vũ Thị Hà")
    invite.replaces_person_id, invite.replaced_becomes = thu, "deputy"
    await db.flush()
    outcome = await redeem(db, code)
    assert outcome.values["handed_over"] == {"branch": BRANCH, "new_name": "Vũ Thị Hà", "old_name": "Nguyễn Thị Thu",
                                             "keeps": "deputy"}
    assert await roles(db, thu) == {(await org(db, BRANCH), Role.deputy)}
