"""Invites made in chat and a branch handed to a new secretary, asked directly on the demo
(models/inviting.py): who may be invited, a roster member given a person, the secretaries, which
branches one may hand over, the invite written with its audit, earlier hand-overs taken back, and
what a redeemed hand-over does to the old secretary. Mutation testing found these reached by flow
tests only. The demo branch's roster: 11 official members today (Cao Thị Huyền recognised 30 days
ago) and Hoàng Mai Anh, probationary; its secretary is Nguyễn Thị Thu; the second branch has none."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, SECOND_BRANCH
from models import inviting
from models.audit import AuditLog
from models.outbox import Outbox
from models.people import Invite, Person, RoleGrant, grant_role
from models.policy import load_actor
from models.roster import PartyMember
from models.stage import Role
from models.statements import SessionStatements
from tests.unit.demo_rows import member, org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
KEY = b"test key"
THU, BINH, HUNG = "Nguyễn Thị Thu", "Trần Văn Bình", "Phan Văn Hùng"


async def audits(db, action) -> list[tuple]:
    return [(a if a.tzinfo else a.replace(tzinfo=UTC), p, s, d) for a, p, s, d in (await db.exec(
        sa.select(AuditLog.at, AuditLog.person_id, AuditLog.subject, AuditLog.detail)
        .where(AuditLog.action == action).order_by(AuditLog.id))).all()]


async def test_the_official_members_on_a_day_without_those_left_out(db):
    branch, thu = await org(db, BRANCH), await person(db, THU)
    today = await inviting.official_members(session=db, org_id=branch, on=TODAY)
    names = [m.full_name for m in today]
    assert len(names) == 11 and "Cao Thị Huyền" in names and "Hoàng Mai Anh" not in names and THU in names
    earlier = [m.full_name for m in await inviting.official_members(session=db, org_id=branch,
                                                                    on=TODAY - timedelta(days=31))]
    assert earlier == [n for n in names if n != "Cao Thị Huyền"]
    besides = [m.full_name for m in await inviting.official_members(session=db, org_id=branch, on=TODAY,
                                                                    besides=(thu,))]
    assert besides == [n for n in names if n != THU]  # those with no person are never left out
    assert await inviting.official_members(session=db, org_id=await org(db, SECOND_BRANCH), on=TODAY) == []


async def test_a_roster_member_keeps_their_person_or_is_given_one(db):
    hung = await member(db, HUNG)
    people = (await db.exec(sa.select(sa.func.count()).select_from(Person))).scalar_one()
    assert await inviting.person_for_member(session=db, member=hung, now=NOW) == await person(db, HUNG)
    other = (await db.exec(sa.select(PartyMember).where(PartyMember.person_id.is_(None)).limit(1))).scalar_one()
    made = await inviting.person_for_member(session=db, member=other, now=NOW)
    assert (await db.exec(sa.select(sa.func.count()).select_from(Person))).scalar_one() == people + 1
    new = await db.get(Person, made)
    assert (new.full_name, new.created_at.replace(tzinfo=UTC)) == (other.full_name, NOW)
    assert (await db.exec(sa.select(PartyMember.person_id).where(PartyMember.id == other.id))).scalar_one() == made


async def test_the_secretaries_of_a_branch_by_person(db):
    branch, thu, binh = await org(db, BRANCH), await person(db, THU), await person(db, BINH)
    assert await inviting.secretaries(session=db, org_id=branch) == [thu]
    await grant_role(session=db, person_id=binh, org_id=branch, role=Role.secretary)
    assert await inviting.secretaries(session=db, org_id=branch) == [thu, binh]
    assert await inviting.secretaries(session=db, org_id=await org(db, SECOND_BRANCH)) == []


async def test_which_branches_one_may_hand_over(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)

    async def names(account):
        actor = await load_actor(db=SessionStatements(db), channel="console", account_id=account)
        return [o.name for o in await inviting.hand_over_branches(session=db, actor=actor)]

    assert await names("bithu") == [BRANCH]  # her own
    assert await names("captren") == [SECOND_BRANCH]  # below the committee, with no secretary
    assert await names("giupdo") == []
    binh = await person(db, BINH)
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.deputy)
    assert await names("giupdo") == []  # a deputy does not hand over
    await grant_role(session=db, person_id=await person(db, "Lê Văn Cường"), org_id=branch, role=Role.secretary)
    assert await names("captren") == [SECOND_BRANCH, BRANCH]  # by name; his own branch too
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.secretary)
    assert await names("captren") == [BRANCH]


async def test_an_invite_is_bound_and_audited(db):
    branch, thu, hung = await org(db, BRANCH), await person(db, THU), await person(db, HUNG)
    code, made = await inviting.invite(session=db, role=Role.sponsor, org_id=branch, key=KEY, now=NOW, days=3,
                                       by_person_id=thu, person_id=hung, full_name=HUNG)
    stored = (await db.exec(sa.select(Invite).where(Invite.id == made.id)
                            .execution_options(populate_existing=True))).scalar_one()
    assert (stored.role, stored.org_id, stored.person_id, stored.full_name, stored.candidate_id,
            stored.expires_at.replace(tzinfo=UTC), stored.replaces_person_id, stored.replaced_becomes) == (
        Role.sponsor, branch, hung, HUNG, None, NOW + timedelta(days=3), None, None)
    assert len(code) == 10
    assert await audits(db, "invite.create") == [(NOW, thu, f"invite:{made.id}", None)]
    assert await audits(db, inviting.HAND_OVER) == []


async def test_a_hand_over_invite_names_the_secretary_it_replaces(db):
    branch, thu, hung = await org(db, BRANCH), await person(db, THU), await person(db, HUNG)
    _, kept = await inviting.invite(session=db, role=Role.secretary, org_id=branch, key=KEY, now=NOW, days=3,
                                    by_person_id=thu, person_id=hung, replaces_person_id=thu,
                                    replaced_becomes="deputy")
    _, none = await inviting.invite(session=db, role=Role.secretary, org_id=branch, key=KEY, now=NOW, days=3,
                                    by_person_id=None, replaces_person_id=thu, replaced_becomes="none")
    _, unsaid = await inviting.invite(session=db, role=Role.secretary, org_id=branch, key=KEY, now=NOW, days=3,
                                      by_person_id=None)
    await db.flush()
    assert [(i.replaces_person_id, i.replaced_becomes) for i in (kept, none, unsaid)] == [
        (thu, "deputy"), (thu, None), (None, None)]
    assert await audits(db, inviting.HAND_OVER) == [
        (NOW, thu, f"invite:{kept.id}", f"org={branch}; from={thu}; keeps=deputy"),
        (NOW, None, f"invite:{none.id}", f"org={branch}; from={thu}; keeps=none"),
        (NOW, None, f"invite:{unsaid.id}", f"org={branch}; from=None; keeps=none")]


async def test_a_new_hand_over_takes_back_the_earlier_ones_still_open(db):
    branch, second, thu = await org(db, BRANCH), await org(db, SECOND_BRANCH), await person(db, THU)

    async def made(role=Role.secretary, org_id=branch, days=3, name="A"):
        return (await inviting.invite(session=db, role=role, org_id=org_id, key=KEY, now=NOW, days=days,
                                      by_person_id=thu, full_name=name))[1]

    first, second_one = await made(name="An"), await made(name=None)
    used, revoked = await made(name="Used"), await made(name="Revoked")
    used.used_at, revoked.revoked_at = NOW, NOW
    expired = await made(days=0, name="Expired")
    sponsor = await made(role=Role.sponsor, name="Sponsor")
    elsewhere = await made(org_id=second, name="Elsewhere")
    await db.flush()
    assert await inviting.revoke_pending_hand_overs(session=db, org_id=branch, now=NOW, by_person_id=thu) == ["An", ""]
    revoked_now = set((await db.exec(sa.select(Invite.id).where(Invite.revoked_at.is_not(None)))).scalars())
    assert revoked_now == {first.id, second_one.id, revoked.id}
    assert {expired.id, sponsor.id, elsewhere.id, used.id}.isdisjoint(revoked_now)
    assert [(p, s, d) for _, p, s, d in await audits(db, "invite.revoke")] == [
        (thu, f"invite:{first.id}", "replaced by a new hand-over"),
        (thu, f"invite:{second_one.id}", "replaced by a new hand-over")]


async def revoke_after_a_stale_select(db, branch: int, invite_id: int) -> list[str]:
    """revoke_pending_hand_overs, its SELECT of pending hand-overs answered as the invite was a
    moment ago (still open): what another process changed in between is seen only by the UPDATE."""
    query = select(Invite).where(Invite.id == invite_id)
    real_exec = db.exec
    calls = []

    async def stale_first(statement, *args, **kw):
        calls.append(statement)
        if len(calls) == 1:
            return await real_exec(query, *args, **kw)
        return await real_exec(statement, *args, **kw)

    db.exec = stale_first
    try:
        return await inviting.revoke_pending_hand_overs(session=db, org_id=branch, now=NOW, by_person_id=None)
    finally:
        del db.exec


async def test_a_hand_over_redeemed_meanwhile_is_not_taken_back(db):
    branch = await org(db, BRANCH)
    _, earlier = await inviting.invite(session=db, role=Role.secretary, org_id=branch, key=KEY, now=NOW, days=3,
                                       by_person_id=None, full_name="An")
    # Selected as open, then redeemed before the UPDATE: the row is found but no longer changed.
    await db.exec(sa.update(Invite).where(Invite.id == earlier.id).values(used_at=NOW)
                  .execution_options(synchronize_session=False))
    names = await revoke_after_a_stale_select(db, branch, earlier.id)
    assert names == []
    assert await audits(db, "invite.revoke") == []
    assert (await db.exec(sa.select(Invite.revoked_at).where(Invite.id == earlier.id))).scalar_one() is None


async def hand_over(db, *, by, keeps=None, role=Role.secretary, replaces="thu"):
    branch = await org(db, BRANCH)
    old = await person(db, THU) if replaces == "thu" else replaces
    _, made = await inviting.invite(session=db, role=role, org_id=branch, key=KEY, now=NOW, days=3,
                                    by_person_id=old, person_id=by, replaces_person_id=old, replaced_becomes=keeps)
    return await inviting.complete_hand_over(session=db, invite=made, person_id=by, now=NOW), made


async def test_a_redeemed_hand_over_ends_the_old_secretary_who_keeps_what_was_chosen(db):
    branch, thu, hung = await org(db, BRANCH), await person(db, THU), await person(db, HUNG)
    told, made = await hand_over(db, by=hung, keeps="sponsor")
    assert told == {"branch": BRANCH, "new_name": HUNG, "old_name": THU, "keeps": "sponsor"}
    assert set((await db.exec(sa.select(RoleGrant.role).where(RoleGrant.person_id == thu,
                                                              RoleGrant.org_id == branch))).scalars()) == {"sponsor"}
    assert [(p, s) for _, p, s, _ in await audits(db, "role.revoke")] == [
        (hung, f"person:{thu}@org:{branch}:secretary")]
    assert (await audits(db, inviting.HAND_OVER))[-1] == (
        NOW, hung, f"org:{branch}", f"invite={made.id}; from={thu}; to={hung}; keeps=sponsor")
    notice = (await db.exec(sa.select(Outbox))).scalars().all()
    assert [(o.key, o.person_id, o.kind, o.template, o.values, o.branch_id) for o in notice] == [
        (f"hand_over:i{made.id}:p{thu}", thu, "hand_over", "handover/notice_old", told, branch)]


async def test_an_old_secretary_who_keeps_nothing_has_no_role_left(db):
    branch, thu, hung = await org(db, BRANCH), await person(db, THU), await person(db, HUNG)
    told, made = await hand_over(db, by=hung, keeps="none")
    assert told["keeps"] is None
    assert (await db.exec(sa.select(sa.func.count()).where(RoleGrant.person_id == thu))).scalar_one() == 0
    assert (await audits(db, inviting.HAND_OVER))[-1][3] == f"invite={made.id}; from={thu}; to={hung}; keeps=none"
    assert await inviting.secretaries(session=db, org_id=branch) == []


async def test_no_hand_over_without_someone_else_to_replace(db):
    thu, hung = await person(db, THU), await person(db, HUNG)
    assert (await hand_over(db, by=hung, role=Role.deputy))[0] is None
    assert (await hand_over(db, by=thu))[0] is None  # she redeemed it herself
    assert (await hand_over(db, by=hung, replaces=None))[0] is None
    assert await inviting.secretaries(session=db, org_id=await org(db, BRANCH)) == [thu]
    assert (await db.exec(sa.select(sa.func.count()).select_from(Outbox))).scalar_one() == 0


async def test_a_committee_hands_over_only_the_branches_below_it(db):
    """Found by mutation testing: a branch with no secretary outside the committee's part of the
    tree is not offered."""
    from models.org import Organisation
    from models.stage import OrgKind
    outside = Organisation(name="Chi bộ Ngoài", kind=OrgKind.branch, path="/999999/", created_at=NOW)
    db.add(outside)
    await db.flush()
    actor = await load_actor(db=SessionStatements(db), channel="console", account_id="captren")
    assert [o.name for o in await inviting.hand_over_branches(session=db, actor=actor)] == [SECOND_BRANCH]


async def test_a_hand_over_revoked_meanwhile_keeps_its_first_revocation(db):
    """As a redemption meanwhile (above): an invite taken back by someone else between the SELECT
    and the UPDATE keeps the moment it was taken back, and is not audited twice."""
    branch = await org(db, BRANCH)
    _, earlier = await inviting.invite(session=db, role=Role.secretary, org_id=branch, key=KEY, now=NOW, days=3,
                                       by_person_id=None, full_name="An")
    before = NOW - timedelta(minutes=5)
    await db.exec(sa.update(Invite).where(Invite.id == earlier.id).values(revoked_at=before)
                  .execution_options(synchronize_session=False))
    names = await revoke_after_a_stale_select(db, branch, earlier.id)
    assert names == []
    assert await audits(db, "invite.revoke") == []
    revoked_at = (await db.exec(sa.select(Invite.revoked_at).where(Invite.id == earlier.id))).scalar_one()
    assert revoked_at.replace(tzinfo=UTC) == before


async def test_the_secretaries_come_by_person_whoever_was_made_one_first(db):
    branch, thu, binh = await org(db, BRANCH), await person(db, THU), await person(db, BINH)
    await db.exec(sa.delete(RoleGrant).where(RoleGrant.person_id == thu, RoleGrant.role == Role.secretary))
    await grant_role(session=db, person_id=binh, org_id=branch, role=Role.secretary)
    await grant_role(session=db, person_id=thu, org_id=branch, role=Role.secretary)  # made one again, after
    assert thu < binh and await inviting.secretaries(session=db, org_id=branch) == [thu, binh]


async def test_an_invite_for_a_candidate_is_bound_to_them(db):
    from tests.unit.demo_rows import candidate
    branch, thu = await org(db, BRANCH), await person(db, THU)
    cand = await candidate(db, "Trần Thị Bích Ngọc")
    _, made = await inviting.invite(session=db, role=Role.candidate, org_id=branch, key=KEY, now=NOW, days=3,
                                    by_person_id=thu, candidate_id=cand.id, full_name=cand.full_name)
    stored = (await db.exec(sa.select(Invite.candidate_id).where(Invite.id == made.id))).scalar_one()
    assert stored == cand.id
