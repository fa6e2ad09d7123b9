"""The one access policy, asked directly on the demo: who chibo takes a chat account for, which
candidates each person sees, whose role each may end, which classes each sees and writes to
(mutation testing of models/policy.py found these unguarded by fast tests)."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from bot.channels.console import CONSOLE
from bot.demo import BRANCH, CANDIDATES, COMMITTEE, SECOND_BRANCH
from models.candidate import Candidate
from models.org import Organisation
from models.party_class import ClassKind, PartyClass
from models.people import Person, RoleGrant, grant_role, link_chat
from models.policy import (Action, Actor, Grant, branch_grants, candidate_scope, class_branch_ids,
                           actor_of, classes_seen_by, classes_writable_by, load_actor, may, revocable_grants,
                           roles_in, sees_several_branches, writes_for_branch)
from models.stage import OrgKind, Role
from models.statements import SessionStatements


async def org(session, name) -> Organisation:
    return (await session.exec(sa.select(Organisation).where(Organisation.name == name))).scalar_one()


async def actor(session, account, channel=CONSOLE) -> Actor:
    return await load_actor(db=SessionStatements(session), channel=channel, account_id=account)


async def person_id(session, name) -> int:
    return (await session.exec(sa.select(Person.id).where(Person.full_name == name))).scalar_one()


def demo_now() -> datetime:
    return datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def grant(role: Role, o: Organisation) -> Grant:
    return Grant(role=role, org_id=o.id, org_path=o.path, org_name=o.name)


async def seen(session, who: Actor, action: Action) -> set[tuple[str, str]]:
    """(branch name, candidate name) of every candidate this person may see for this action."""
    rows = (await session.exec(
        sa.select(Organisation.name, Candidate.full_name).join(Organisation, Organisation.id == Candidate.branch_id)
        .where(candidate_scope(who, action)))).all()
    return {(r[0], r[1]) for r in rows}


async def all_candidates(session, branch_name=None) -> set[tuple[str, str]]:
    rows = (await session.exec(
        sa.select(Organisation.name, Candidate.full_name).join(Organisation, Organisation.id == Candidate.branch_id)
        .where(True if branch_name is None else Organisation.name == branch_name))).all()
    return {(r[0], r[1]) for r in rows}


async def revocable(session, who: Actor) -> set[tuple[str, str, str]]:
    """(person, role, organisation) of every role this person may end."""
    rows = (await session.exec(
        sa.select(Person.full_name, RoleGrant.role, Organisation.name)
        .select_from(RoleGrant).join(Organisation, Organisation.id == RoleGrant.org_id)
        .join(Person, Person.id == RoleGrant.person_id)
        .where(revocable_grants(who)))).all()
    return {(r[0], Role(r[1]).value, r[2]) for r in rows}


# ---- who a chat account is ----------------------------------------------------------------

async def test_a_linked_account_is_its_person_with_each_role_and_where(db):
    tp = await org(db, BRANCH)
    bithu = await actor(db, "bithu")
    assert bithu.linked
    assert bithu.person_id == await person_id(db, "Nguyễn Thị Thu")
    assert bithu.full_name == "Nguyễn Thị Thu"
    assert bithu.grants == (Grant(role=Role.secretary, org_id=tp.id, org_path=tp.path, org_name=BRANCH),)
    captren = await actor(db, "captren")
    committee = await org(db, COMMITTEE)
    assert captren.full_name == "Lê Văn Cường"
    assert captren.grants == (Grant(role=Role.committee, org_id=committee.id, org_path=committee.path,
                                    org_name=COMMITTEE),)


async def test_an_unknown_account_or_another_channels_account_is_a_stranger(db):
    for who in [await actor(db, "nguoila"), await actor(db, "bithu", channel="telegram")]:
        assert who == Actor(person_id=None)
        assert not who.linked
        assert who.full_name is None


async def test_a_linked_person_whose_every_role_was_taken_back_is_a_stranger(db):
    person = Person(full_name="Người Không Vai", created_at=demo_now())
    db.add(person)
    await db.flush()
    await link_chat(session=db, channel=CONSOLE, account_id="khongvai", person_id=person.id, now=demo_now())
    assert await actor(db, "khongvai") == Actor(person_id=None)


async def test_roles_in_several_branches_come_in_the_branches_name_order_then_by_role(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    me = await person_id(db, "Nguyễn Thị Thu")
    await grant_role(session=db, person_id=me, org_id=second.id, role=Role.sponsor)
    await grant_role(session=db, person_id=me, org_id=second.id, role=Role.deputy)
    await grant_role(session=db, person_id=me, org_id=tp.id, role=Role.candidate)
    bithu = await actor(db, "bithu")
    assert SECOND_BRANCH < BRANCH  # "Chi bộ Khoa ..." before "Chi bộ Trường ..."
    assert [(g.org_name, g.role) for g in bithu.grants] == [
        (SECOND_BRANCH, Role.deputy), (SECOND_BRANCH, Role.sponsor),
        (BRANCH, Role.candidate), (BRANCH, Role.secretary)]
    assert bithu.person_id == me and bithu.full_name == "Nguyễn Thị Thu"



def test_an_actor_is_read_from_the_last_six_columns_whatever_comes_before_them():
    """The engine reads the chat's own columns and the actor's in one row (bot/engine/chat_row.py):
    the actor is taken from the end of each row, never from its start."""
    rows = [(True, "state", 7, "Nguyễn Thị Thu", "secretary", 3, "/1/3/", "Chi bộ A"),
            (True, "state", 7, "Nguyễn Thị Thu", "sponsor", 4, "/1/4/", "Chi bộ B")]
    assert actor_of(rows) == Actor(person_id=7, full_name="Nguyễn Thị Thu", grants=(
        Grant(role=Role.secretary, org_id=3, org_path="/1/3/", org_name="Chi bộ A"),
        Grant(role=Role.sponsor, org_id=4, org_path="/1/4/", org_name="Chi bộ B")))
    # one column before them (the engine's "seen"): the same actor
    assert actor_of([r[1:] for r in rows]) == actor_of(rows)
    # a new chat: the chat's own columns are NULL, the person's roles are still theirs
    new_chat = [(False, None, None, None, None, *r[2:]) for r in rows]
    assert actor_of(new_chat) == actor_of(rows)
    # a linked person with no role left (every column of the grant NULL) is a stranger
    assert actor_of([("seen", 7, "Nguyễn Thị Thu", None, None, None, None)]) == Actor(person_id=None)
    assert actor_of([("seen", 7, "Nguyễn Thị Thu", None, None, None, None),
                     ("seen", 7, "Nguyễn Thị Thu", "deputy", 4, "/1/4/", "Chi bộ B")]).grants == (
        Grant(role=Role.deputy, org_id=4, org_path="/1/4/", org_name="Chi bộ B"),)

# ---- who may do what, where ---------------------------------------------------------------

async def test_a_stranger_may_only_ask_for_help_and_link(db):
    stranger = await actor(db, "nguoila")
    assert [a for a in Action if may(stranger, a)] == [Action.help, Action.link]


async def test_what_each_demo_person_may_do(db):
    bithu, giupdo, quanchung, captren = [await actor(db, a) for a in ("bithu", "giupdo", "quanchung", "captren")]
    assert may(bithu, Action.register_candidate) and may(bithu, Action.invite) and may(bithu, Action.help)
    assert not may(bithu, Action.overview) and not may(bithu, Action.checkin)
    assert may(giupdo, Action.checkin) and may(giupdo, Action.my_candidates)
    assert not may(giupdo, Action.register_candidate)
    assert may(quanchung, Action.my_status) and not may(quanchung, Action.list_candidates)
    assert may(captren, Action.overview) and may(captren, Action.set_targets)
    assert not may(captren, Action.review) and not may(captren, Action.record_admission)


async def test_roles_in_one_organisation_and_who_writes_a_branchs_records(db):
    tp, second, committee = await org(db, BRANCH), await org(db, SECOND_BRANCH), await org(db, COMMITTEE)
    bithu, giupdo, captren = [await actor(db, a) for a in ("bithu", "giupdo", "captren")]
    assert roles_in(bithu, tp.id) == {Role.secretary}
    assert roles_in(bithu, second.id) == frozenset()
    assert roles_in(captren, committee.id) == {Role.committee}
    assert roles_in(captren, tp.id) == frozenset()
    assert writes_for_branch(bithu, tp.id)
    assert not writes_for_branch(bithu, second.id)
    assert not writes_for_branch(giupdo, tp.id)
    assert not writes_for_branch(captren, tp.id)  # never from above
    deputy = Actor(person_id=1, grants=(grant(Role.deputy, second),))
    assert writes_for_branch(deputy, second.id) and not writes_for_branch(deputy, tp.id)


async def test_branch_grants_are_only_where_one_is_secretary_or_deputy(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    both = Actor(person_id=1, grants=(grant(Role.sponsor, tp), grant(Role.deputy, second), grant(Role.secretary, tp)))
    assert branch_grants(both, Action.list_candidates) == [grant(Role.deputy, second), grant(Role.secretary, tp)]
    assert branch_grants(both, Action.checkin) == []  # a sponsor's action, not a branch's
    assert class_branch_ids(both) == [second.id, tp.id]
    assert class_branch_ids(await actor(db, "captren")) == []
    assert class_branch_ids(await actor(db, "giupdo")) == []


async def test_who_sees_several_branches_and_so_names_candidates_by_reference(db):
    tp, second, committee = await org(db, BRANCH), await org(db, SECOND_BRANCH), await org(db, COMMITTEE)
    assert not sees_several_branches(await actor(db, "bithu"), Action.list_candidates)
    assert not sees_several_branches(await actor(db, "giupdo"), Action.list_candidates)
    assert sees_several_branches(await actor(db, "captren"), Action.list_candidates)
    admin = Actor(person_id=1, grants=(grant(Role.admin, committee),))
    assert sees_several_branches(admin, Action.list_candidates)
    two = Actor(person_id=1, grants=(grant(Role.secretary, tp), grant(Role.sponsor, second)))
    assert sees_several_branches(two, Action.list_candidates)
    assert not sees_several_branches(two, Action.review)  # reviews only in the one branch
    one = Actor(person_id=1, grants=(grant(Role.secretary, tp), grant(Role.sponsor, tp)))
    assert not sees_several_branches(one, Action.list_candidates)


# ---- which candidates ---------------------------------------------------------------------

async def test_a_secretary_sees_and_changes_her_branchs_candidates_only(db):
    bithu = await actor(db, "bithu")
    tp = await all_candidates(db, BRANCH)
    assert len(tp) == 15
    assert await seen(db, bithu, Action.list_candidates) == tp
    assert await seen(db, bithu, Action.review) == tp
    assert await seen(db, bithu, Action.overview) == set()  # not hers to do


async def test_a_committee_sees_its_whole_subtree_and_changes_nothing(db):
    captren = await actor(db, "captren")
    everyone = await all_candidates(db)
    assert len(everyone) == 17
    assert await seen(db, captren, Action.list_candidates) == everyone
    assert await seen(db, captren, Action.review) == set()
    # a committee elsewhere sees none of them
    other = Organisation(name="Đảng ủy khác", kind=OrgKind.committee, path="/999/", created_at=demo_now())
    db.add(other)
    await db.flush()
    assert await seen(db, Actor(person_id=1, grants=(grant(Role.committee, other),)), Action.list_candidates) == set()


async def test_a_sponsor_sees_only_the_candidates_he_sponsors_in_his_branch(db):
    giupdo = await actor(db, "giupdo")
    mine = await seen(db, giupdo, Action.list_candidates)
    sponsored = {(BRANCH, c[0]) for c in CANDIDATES if c[-1]}  # the demo's "sponsored" column
    assert mine == sponsored and len(mine) == 9
    # one he sponsors in another branch, where he holds no role, stays hidden
    other = (await db.exec(sa.select(Candidate).where(Candidate.full_name == "Ngô Đức Thắng"))).scalar_one()
    other.sponsor_id = giupdo.person_id
    await db.flush()
    assert await seen(db, giupdo, Action.list_candidates) == sponsored
    assert await seen(db, giupdo, Action.review) == set()
    # a sponsor grant without a person behind it sees nobody
    tp = await org(db, BRANCH)
    assert await seen(db, Actor(person_id=None, grants=(grant(Role.sponsor, tp),)), Action.list_candidates) == set()


async def test_a_candidate_sees_only_herself(db):
    quanchung = await actor(db, "quanchung")
    assert await seen(db, quanchung, Action.my_status) == {(BRANCH, "Lê Hoàng Minh")}
    assert await seen(db, quanchung, Action.my_data) == {(BRANCH, "Lê Hoàng Minh")}
    assert await seen(db, quanchung, Action.list_candidates) == set()
    tp = await org(db, BRANCH)
    assert await seen(db, Actor(person_id=None, grants=(grant(Role.candidate, tp),)), Action.my_status) == set()


async def test_a_stranger_sees_no_candidate(db):
    assert await seen(db, await actor(db, "nguoila"), Action.list_candidates) == set()


# ---- whose role may be ended ----------------------------------------------------------------

async def test_a_secretary_may_end_her_branchs_sponsors_and_deputies_roles_only(db):
    assert await revocable(db, await actor(db, "bithu")) == {
        ("Trần Văn Bình", "sponsor", BRANCH), ("Đỗ Thị Mai", "sponsor", BRANCH), ("Phan Văn Hùng", "deputy", BRANCH)}


async def test_a_committee_may_end_the_secretaries_below_it_never_its_own(db):
    committee, second = await org(db, COMMITTEE), await org(db, SECOND_BRANCH)
    me = await person_id(db, "Lê Văn Cường")
    await grant_role(session=db, person_id=me, org_id=second.id, role=Role.secretary)
    someone = await person_id(db, "Phan Văn Hùng")
    await grant_role(session=db, person_id=someone, org_id=committee.id, role=Role.secretary)
    captren = await actor(db, "captren")
    assert await revocable(db, captren) == {("Nguyễn Thị Thu", "secretary", BRANCH)}
    admin = Actor(person_id=await person_id(db, "Trần Văn Bình"), grants=(grant(Role.admin, committee),))
    assert await revocable(db, admin) == {("Nguyễn Thị Thu", "secretary", BRANCH),
                                          ("Lê Văn Cường", "secretary", SECOND_BRANCH)}



async def test_a_committee_elsewhere_may_end_no_secretary_outside_its_subtree(db):
    other = Organisation(name="Đảng ủy khác", kind=OrgKind.committee, path="/999/", created_at=demo_now())
    db.add(other)
    await db.flush()
    for role in (Role.committee, Role.admin):
        elsewhere = Actor(person_id=await person_id(db, "Lê Văn Cường"), grants=(grant(role, other),))
        assert await revocable(db, elsewhere) == set(), role

async def test_a_secretary_who_is_also_a_sponsor_may_not_end_her_own_role(db):
    tp = await org(db, BRANCH)
    me = await person_id(db, "Nguyễn Thị Thu")
    await grant_role(session=db, person_id=me, org_id=tp.id, role=Role.sponsor)
    assert ("Nguyễn Thị Thu", "sponsor", BRANCH) not in await revocable(db, await actor(db, "bithu"))
    assert len(await revocable(db, await actor(db, "bithu"))) == 3


async def test_sponsors_candidates_and_strangers_may_end_no_role(db):
    tp = await org(db, BRANCH)
    for account in ("giupdo", "quanchung", "nguoila"):
        assert await revocable(db, await actor(db, account)) == set()
    assert await revocable(db, Actor(person_id=None, grants=(grant(Role.secretary, tp),))) == set()


# ---- which classes --------------------------------------------------------------------------

async def test_classes_seen_and_written_from_a_branch_and_from_the_committee(db):
    committee, tp, second = await org(db, COMMITTEE), await org(db, BRANCH), await org(db, SECOND_BRANCH)
    for o in (committee, tp, second):
        db.add(PartyClass(org_id=o.id, kind=ClassKind.awareness, title=f"Lớp của {o.name}", place="Hội trường",
                          starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 5), enrol_by=date(2026, 3, 25),
                          capacity=50, created_at=demo_now()))
    await db.flush()

    async def titles(clause):
        return {t for t in (await db.exec(sa.select(PartyClass.title).where(
            clause, PartyClass.title.startswith("Lớp của ")))).scalars()}

    bithu, captren, giupdo = [await actor(db, a) for a in ("bithu", "captren", "giupdo")]
    assert await titles(classes_seen_by(bithu)) == {f"Lớp của {COMMITTEE}", f"Lớp của {BRANCH}"}
    assert await titles(classes_writable_by(bithu)) == {f"Lớp của {COMMITTEE}", f"Lớp của {BRANCH}"}
    assert await titles(classes_seen_by(captren)) == {f"Lớp của {o}" for o in (COMMITTEE, BRANCH, SECOND_BRANCH)}
    assert await titles(classes_writable_by(captren)) == set()
    assert await titles(classes_seen_by(giupdo)) == set()  # a sponsor has no class pages
    assert await titles(classes_writable_by(giupdo)) == set()
