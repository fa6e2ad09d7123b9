"""Access taken back, asked directly on the demo (models/access.py): who holds which role in a
branch and on which chats, what ending a role drops (the reminders waiting for them, what they
had half-typed, the candidates they sponsor), the roles a secretary may end, unlinking chat
accounts, and invites listed and taken back. Mutation testing found these reached by flow tests
only. In the demo branch: Nguyễn Thị Thu (secretary, console "bithu"), Trần Văn Bình (sponsor,
"giupdo"), Lê Hoàng Minh (candidate, "quanchung"), Phan Văn Hùng (deputy) and Đỗ Thị Mai
(sponsor), the last two on no chat; Lê Văn Cường is the committee above ("captren")."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models import access
from models.audit import AuditLog
from models.candidate import Candidate
from models.conversation import Conversation
from models.org import Organisation, add_org
from models.outbox import Outbox, OutboxStatus
from models.people import ChatLink, Invite, Person, RoleGrant, grant_role, link_chat
from models.policy import load_actor
from models.stage import OrgKind, Role
from models.statements import SessionStatements
from tests.unit.demo_rows import org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
THU, BINH, MINH, HUNG, MAI, CUONG = ("Nguyễn Thị Thu", "Trần Văn Bình", "Lê Hoàng Minh", "Phan Văn Hùng",
                                     "Đỗ Thị Mai", "Lê Văn Cường")


async def audits(db, action) -> list[tuple]:
    return [tuple(r) for r in (await db.exec(sa.select(AuditLog.at, AuditLog.person_id, AuditLog.subject)
                                             .where(AuditLog.action == action).order_by(AuditLog.id))).all()]


def at(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def waiting(db_person, branch_id, key, status=OutboxStatus.pending) -> Outbox:
    return Outbox(key=key, person_id=db_person, kind="reminder", template="x", branch_id=branch_id,
                  created_at=NOW, due_at=NOW, status=status)


async def outbox_keys(db) -> set[str]:
    return set((await db.exec(sa.select(Outbox.key))).scalars())


async def conversations(db) -> set[tuple[str, str]]:
    return {tuple(r) for r in (await db.exec(sa.select(Conversation.channel, Conversation.chat_id))).all()}


def chat(channel, chat_id) -> Conversation:
    return Conversation(channel=channel, chat_id=chat_id, flow="moi", data={"step": 1}, updated_at=NOW)


async def test_holders_of_a_branch_with_their_roles_in_rank_order_and_their_chats(db):
    branch = await org(db, BRANCH)
    thu, binh, minh = await person(db, THU), await person(db, BINH), await person(db, MINH)
    await grant_role(session=db, person_id=thu, org_id=branch, role=Role.deputy)
    await grant_role(session=db, person_id=thu, org_id=branch, role=Role.sponsor)
    await link_chat(session=db, channel="zalo", account_id="z-thu", person_id=thu, now=NOW)
    await link_chat(session=db, channel="telegram", account_id="t-thu", person_id=thu, now=NOW)
    found = await access.holders(session=db, org_id=branch)
    assert [(h.full_name, h.roles, h.channels) for h in found] == [
        (THU, (Role.secretary, Role.deputy, Role.sponsor), ("console", "telegram", "zalo")),
        (BINH, (Role.sponsor,), ("console",)),
        (MINH, (Role.candidate,), ("console",)),
        (HUNG, (Role.deputy,), ()),
        (MAI, (Role.sponsor,), ()),
    ]
    assert [h.person_id for h in found[:3]] == [thu, binh, minh]
    assert [(h.full_name, h.roles, h.channels) for h in await access.holders(session=db, org_id=await org(
        db, COMMITTEE))] == [(CUONG, (Role.committee,), ("console",))]
    assert await access.holders(session=db, org_id=await org(db, SECOND_BRANCH)) == []


def test_a_grant_is_audited_by_ids_and_role_name():
    assert access.grant_subject(12, 3, Role.sponsor) == "person:12@org:3:sponsor"


async def test_ending_a_role_nobody_holds_changes_nothing(db):
    branch, binh = await org(db, BRANCH), await person(db, BINH)
    assert await access.revoke_role(session=db, person_id=binh, org_id=branch, role=Role.deputy, now=NOW,
                                    by_person_id=None) is None
    assert await access.revoke_role(session=db, person_id=binh, org_id=await org(db, SECOND_BRANCH),
                                    role=Role.sponsor, now=NOW, by_person_id=None) is None
    assert await audits(db, "role.revoke") == []


async def test_a_sponsor_with_no_member_role_left_stops_sponsoring_the_branch_candidates(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    binh, thu = await person(db, BINH), await person(db, THU)
    sponsored = set((await db.exec(sa.select(Candidate.id).where(Candidate.sponsor_id == binh))).scalars())
    assert len(sponsored) > 1
    elsewhere = (await db.exec(sa.select(Candidate).where(Candidate.branch_id == second).limit(1))).scalar_one()
    elsewhere.sponsor_id = binh  # a candidate of another branch: not this role's
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.sponsor)
    await db.flush()
    ended = await access.revoke_role(session=db, person_id=binh, org_id=branch, role=Role.sponsor,
                                     now=NOW, by_person_id=thu)
    assert ended == len(sponsored)
    still = set((await db.exec(sa.select(Candidate.id).where(Candidate.sponsor_id == binh)
                               .execution_options(populate_existing=True))).scalars())
    assert still == {elsewhere.id}
    assert [r.role for r in (await db.exec(sa.select(RoleGrant).where(RoleGrant.person_id == binh))).scalars()] \
        == [Role.sponsor]  # the other branch's only
    assert [(at(a), p, s) for a, p, s in await audits(db, "role.revoke")] == [
        (NOW, thu, f"person:{binh}@org:{branch}:sponsor")]


async def test_a_sponsor_who_stays_deputy_keeps_sponsoring(db):
    branch, binh = await org(db, BRANCH), await person(db, BINH)
    await grant_role(session=db, person_id=binh, org_id=branch, role=Role.deputy)
    sponsored = set((await db.exec(sa.select(Candidate.id).where(Candidate.sponsor_id == binh))).scalars())
    assert await access.revoke_role(session=db, person_id=binh, org_id=branch, role=Role.sponsor, now=NOW,
                                    by_person_id=None) == 0
    assert set((await db.exec(sa.select(Candidate.id).where(Candidate.sponsor_id == binh)
                              .execution_options(populate_existing=True))).scalars()) == sponsored


async def test_a_sponsor_left_only_a_candidate_role_stops_sponsoring(db):
    branch, binh = await org(db, BRANCH), await person(db, BINH)
    await grant_role(session=db, person_id=binh, org_id=branch, role=Role.candidate)
    assert await access.revoke_role(session=db, person_id=binh, org_id=branch, role=Role.sponsor, now=NOW,
                                    by_person_id=None) > 0
    assert (await db.exec(sa.select(sa.func.count()).where(Candidate.sponsor_id == binh))).scalar_one() == 0


async def test_ending_a_role_that_sponsors_no_one_frees_no_candidate(db):
    branch, binh, minh = await org(db, BRANCH), await person(db, BINH), await person(db, MINH)
    ours = (await db.exec(sa.select(Candidate).where(Candidate.person_id == minh))).scalar_one()
    ours.sponsor_id = minh  # not a sponsor's role: ending the candidate's role frees nobody
    await db.flush()
    assert await access.revoke_role(session=db, person_id=minh, org_id=branch, role=Role.candidate, now=NOW,
                                    by_person_id=binh) == 0
    assert (await db.exec(sa.select(Candidate.sponsor_id).where(Candidate.id == ours.id))).scalar_one() == minh


async def test_ending_a_role_drops_the_reminders_waiting_about_that_branch_only(db):
    branch, second, binh = await org(db, BRANCH), await org(db, SECOND_BRANCH), await person(db, BINH)
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.sponsor)
    thu = await person(db, THU)
    db.add_all([waiting(binh, branch, "here"), waiting(binh, second, "there"), waiting(binh, None, "nowhere"),
                waiting(binh, branch, "sent", OutboxStatus.sent), waiting(thu, branch, "thu's")])
    await link_chat(session=db, channel="telegram", account_id="t-binh", person_id=binh, now=NOW)
    db.add_all([chat("console", "giupdo"), chat("telegram", "t-binh")])
    await db.flush()
    await access.revoke_role(session=db, person_id=binh, org_id=branch, role=Role.sponsor, now=NOW,
                             by_person_id=None)
    assert await outbox_keys(db) == {"there", "nowhere", "sent", "thu's"}
    assert await conversations(db) == {("console", "giupdo"), ("telegram", "t-binh")}  # still someone


async def test_with_no_role_left_every_reminder_and_half_typed_answer_goes(db):
    branch, binh, thu = await org(db, BRANCH), await person(db, BINH), await person(db, THU)
    db.add_all([waiting(binh, branch, "here"), waiting(binh, None, "nowhere"),
                waiting(binh, branch, "sent", OutboxStatus.sent), waiting(thu, None, "thu's")])
    await link_chat(session=db, channel="telegram", account_id="t-binh", person_id=binh, now=NOW)
    db.add_all([chat("console", "giupdo"), chat("telegram", "t-binh"), chat("console", "bithu"),
                chat("telegram", "giupdo")])  # the same account id on another channel: someone else's
    await db.flush()
    await access.revoke_role(session=db, person_id=binh, org_id=branch, role=Role.sponsor, now=NOW,
                             by_person_id=None)
    assert await outbox_keys(db) == {"sent", "thu's"}
    assert await conversations(db) == {("console", "bithu"), ("telegram", "giupdo")}


async def test_a_secretary_may_end_the_deputies_and_sponsors_of_her_branch(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    thu, binh, hung, mai = [await person(db, n) for n in (THU, BINH, HUNG, MAI)]
    await grant_role(session=db, person_id=thu, org_id=branch, role=Role.deputy)  # her own: not offered
    await grant_role(session=db, person_id=hung, org_id=second, role=Role.sponsor)  # another branch's
    an = Person(full_name="Trần Văn An", created_at=NOW)  # made after Bình: by name, before him
    db.add(an)
    await db.flush()
    await grant_role(session=db, person_id=an.id, org_id=branch, role=Role.sponsor)
    actor = await load_actor(db=SessionStatements(db), channel="console", account_id="bithu")
    found = await access.roles_ended_by(session=db, actor=actor)
    assert {(r.full_name, r.role, r.org_id, r.org_name, r.person_id) for r in found} == {
        (HUNG, Role.deputy, branch, BRANCH, hung), (MAI, Role.sponsor, branch, BRANCH, mai),
        (BINH, Role.sponsor, branch, BRANCH, binh), ("Trần Văn An", Role.sponsor, branch, BRANCH, an.id)}
    # by role ("deputy" before "sponsor"), then by name (Đỗ sorts apart by collation: left out here)
    assert [r.full_name for r in found if r.full_name != MAI] == [HUNG, "Trần Văn An", BINH]
    assert found[0].key == f"grant:{hung}:{branch}:deputy"
    assert next(r for r in found if r.full_name == MAI).as_dict() == {
        "person_id": mai, "full_name": MAI, "role": "sponsor", "org_id": branch, "org_name": BRANCH}
    committee = await load_actor(db=SessionStatements(db), channel="console", account_id="captren")
    assert [(r.full_name, r.role) for r in await access.roles_ended_by(session=db, actor=committee)] == [
        (THU, Role.secretary)]
    sponsor = await load_actor(db=SessionStatements(db), channel="console", account_id="giupdo")
    assert await access.roles_ended_by(session=db, actor=sponsor) == []


async def test_unlinking_one_channel_keeps_the_others(db):
    binh, thu = await person(db, BINH), await person(db, THU)
    await link_chat(session=db, channel="telegram", account_id="t-binh", person_id=binh, now=NOW)
    db.add_all([chat("console", "giupdo"), chat("telegram", "t-binh"), chat("console", "bithu"),
                chat("zalo", "t-binh")])  # the same account id on another channel: someone else's
    await db.flush()
    assert await access.unlink_accounts(session=db, person_id=binh, now=NOW, channel="telegram") == 1
    assert await conversations(db) == {("console", "giupdo"), ("console", "bithu"), ("zalo", "t-binh")}
    assert set((await db.exec(sa.select(ChatLink.channel).where(ChatLink.person_id == binh))).scalars()) \
        == {"console"}
    assert await access.unlink_accounts(session=db, person_id=binh, now=NOW, channel="zalo") == 0
    assert [(at(a), p, s) for a, p, s in await audits(db, "account.unlink")] == [
        (NOW, None, f"person:{binh}@telegram")]
    assert await access.unlink_accounts(session=db, person_id=thu, now=NOW + timedelta(hours=1)) == 1


async def test_unlinking_every_channel(db):
    binh = await person(db, BINH)
    await link_chat(session=db, channel="telegram", account_id="t-binh", person_id=binh, now=NOW)
    db.add_all([chat("console", "giupdo"), chat("telegram", "t-binh"), chat("console", "bithu")])
    await db.flush()
    assert await access.unlink_accounts(session=db, person_id=binh, now=NOW) == 2
    assert await conversations(db) == {("console", "bithu")}
    assert (await db.exec(sa.select(sa.func.count()).where(ChatLink.person_id == binh))).scalar_one() == 0
    assert sorted(s for _, _, s in await audits(db, "account.unlink")) == [
        f"person:{binh}@console", f"person:{binh}@telegram"]
    assert await access.unlink_accounts(session=db, person_id=binh, now=NOW) == 0


def an_invite(**kw) -> Invite:
    values = dict(code_hash="h", role=Role.sponsor, org_id=1, expires_at=NOW + timedelta(days=1), created_at=NOW)
    return Invite(**(values | kw))


def test_an_invite_is_revoked_before_used_before_expired():
    later = NOW + timedelta(hours=1)
    assert access.invite_status(an_invite(), NOW) == "pending"
    assert access.invite_status(an_invite(expires_at=later), later - timedelta(seconds=1)) == "pending"
    assert access.invite_status(an_invite(expires_at=later), later) == "expired"
    assert access.invite_status(an_invite(used_at=NOW, expires_at=NOW), later) == "used"
    assert access.invite_status(an_invite(used_at=NOW, revoked_at=NOW, expires_at=NOW), later) == "revoked"
    assert access.invite_status(an_invite(revoked_at=NOW), NOW) == "revoked"


async def invites(db) -> dict[str, Invite]:
    """Five invites, made in this order: pending and expired in the demo branch, used and revoked
    in the second branch, and a pending one of the second branch for a candidate."""
    branch, second, binh = await org(db, BRANCH), await org(db, SECOND_BRANCH), await person(db, BINH)
    cand = (await db.exec(sa.select(Candidate.id).where(Candidate.branch_id == second).limit(1))).scalar_one()
    made = {
        "pending": an_invite(code_hash="a", org_id=branch, full_name="Hà", created_at=NOW - timedelta(days=1)),
        "expired": an_invite(code_hash="b", org_id=branch, role=Role.deputy, expires_at=NOW),
        "used": an_invite(code_hash="c", org_id=second, used_at=NOW, person_id=binh),
        "revoked": an_invite(code_hash="d", org_id=second, revoked_at=NOW),
        "candidate": an_invite(code_hash="e", org_id=second, role=Role.candidate, candidate_id=cand),
    }
    for invite in made.values():
        db.add(invite)
        await db.flush()
    return made


async def test_invites_listed_newest_first_pending_only_unless_every(db):
    made = await invites(db)
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    pending = await access.list_invites(session=db, now=NOW)
    assert [r.id for r in pending] == [made["candidate"].id, made["pending"].id]
    first = pending[1]
    assert (first.role, first.org_name, first.full_name, first.candidate_id, at(first.created_at),
            at(first.expires_at), first.status, first.person_id) == (
        Role.sponsor, BRANCH, "Hà", None, NOW - timedelta(days=1), NOW + timedelta(days=1), "pending", None)
    assert (pending[0].role, pending[0].org_name, pending[0].candidate_id) == (
        Role.candidate, SECOND_BRANCH, made["candidate"].candidate_id)
    every = await access.list_invites(session=db, now=NOW, every=True)
    assert [(r.id, r.status) for r in every] == [(made[k].id, k if k != "candidate" else "pending")
                                                 for k in ("candidate", "revoked", "used", "expired", "pending")]
    assert every[2].person_id == made["used"].person_id
    assert [r.id for r in await access.list_invites(session=db, now=NOW, org_id=branch, every=True)] == [
        made["expired"].id, made["pending"].id]
    assert [r.id for r in await access.list_invites(session=db, now=NOW, org_id=second)] == [made["candidate"].id]


async def test_taking_back_an_invite(db):
    made = await invites(db)
    assert await access.revoke_invite(session=db, invite_id=made["pending"].id, now=NOW) == "revoked"
    assert at((await db.exec(sa.select(Invite.revoked_at).where(Invite.id == made["pending"].id))).scalar_one()) \
        == NOW
    assert [(at(a), p, s) for a, p, s in await audits(db, "invite.revoke")] == [
        (NOW, None, f"invite:{made['pending'].id}")]
    assert await access.revoke_invite(session=db, invite_id=made["used"].id, now=NOW) == "used"
    assert await access.revoke_invite(session=db, invite_id=made["revoked"].id, now=NOW) == "already_revoked"
    assert await access.revoke_invite(session=db, invite_id=made["expired"].id, now=NOW) == "expired"
    assert await access.revoke_invite(session=db, invite_id=made["candidate"].id + 100, now=NOW) == "missing"
    assert len(await audits(db, "invite.revoke")) == 1
    assert (await db.exec(sa.select(sa.func.count()).where(Invite.revoked_at.is_not(None)))).scalar_one() == 2


async def test_an_invite_redeemed_meanwhile_is_not_taken_back(db):
    made = await invites(db)
    target = made["candidate"]  # loaded here as pending; redeemed by someone else just now
    await db.exec(sa.update(Invite).where(Invite.id == target.id).values(used_at=NOW)
                  .execution_options(synchronize_session=False))
    assert await access.revoke_invite(session=db, invite_id=target.id, now=NOW) == "used"
    assert await audits(db, "invite.revoke") == []
    assert (await db.exec(sa.select(Invite.revoked_at).where(Invite.id == target.id))).scalar_one() is None


async def test_an_invite_revoked_meanwhile_keeps_its_first_revocation(db):
    made = await invites(db)
    target = made["candidate"]  # loaded here as pending; taken back elsewhere an hour ago
    earlier = NOW - timedelta(hours=1)
    await db.exec(sa.update(Invite).where(Invite.id == target.id).values(revoked_at=earlier)
                  .execution_options(synchronize_session=False))
    assert await access.revoke_invite(session=db, invite_id=target.id, now=NOW) != "revoked"
    assert await audits(db, "invite.revoke") == []
    assert at((await db.exec(sa.select(Invite.revoked_at).where(Invite.id == target.id))).scalar_one()) == earlier


async def test_the_roles_a_committee_may_end_by_branch_name_then_id_role_name_and_person(db):
    committee = (await db.exec(sa.select(Organisation).where(Organisation.name == COMMITTEE))).scalar_one()
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    # A third branch named as the second, made after it; people made in one order, given roles in another.
    twin = await add_org(session=db, name=SECOND_BRANCH, kind=OrgKind.branch, parent=committee, now=NOW)
    made = {}
    for name in ("Lê A", "Lê A ", "Vũ B"):
        made[name] = Person(full_name=name.strip(), created_at=NOW)
        db.add(made[name])
        await db.flush()
    for name, org_id in (("Vũ B", twin.id), ("Lê A ", second), ("Lê A", second), ("Vũ B", second)):
        await grant_role(session=db, person_id=made[name].id, org_id=org_id, role=Role.secretary)
    captren = await load_actor(db=SessionStatements(db), channel="console", account_id="captren")
    found = await access.roles_ended_by(session=db, actor=captren)
    assert [(r.org_id, r.person_id) for r in found] == [
        (second, made["Lê A"].id), (second, made["Lê A "].id), (second, made["Vũ B"].id), (twin.id, made["Vũ B"].id),
        (branch, await person(db, THU))]


async def test_in_one_branch_the_deputies_come_before_the_sponsors(db):
    branch = await org(db, BRANCH)
    xuan = Person(full_name="Trần Văn Xuân", created_at=NOW)
    db.add(xuan)
    await db.flush()
    await grant_role(session=db, person_id=xuan.id, org_id=branch, role=Role.deputy)
    thu = await load_actor(db=SessionStatements(db), channel="console", account_id="bithu")
    found = [(r.full_name, r.role) for r in await access.roles_ended_by(session=db, actor=thu) if r.full_name != MAI]
    assert found == [(HUNG, Role.deputy), ("Trần Văn Xuân", Role.deputy), (BINH, Role.sponsor)]
