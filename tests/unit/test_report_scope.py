"""Who may report on what (models/reports/scope.py), asked directly on the demo: the committee's
member reaches the committee and both branches, the secretary and the deputy their own branch
only, a sponsor nothing; an organisation outside the committee's subtree is never reached."""

from datetime import UTC, datetime

import pytest

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.org import Organisation, add_org
from models.people import Person, grant_role
from models.policy import Actor, Grant
from models.reports.scope import may_report_on, orgs_in_scope, scope_clause
from models.stage import OrgKind, Role
from tests.unit import demo_rows

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CUONG, THU, HUNG, BINH = "Lê Văn Cường", "Nguyễn Thị Thu", "Phan Văn Hùng", "Trần Văn Bình"


@pytest.fixture
async def outside(db) -> Organisation:
    """Another committee with a branch of its own, whose path begins like the demo committee's."""
    other = await add_org(session=db, name="Đảng ủy khác", kind=OrgKind.committee, parent=None, now=NOW)
    await add_org(session=db, name="Chi bộ khác", kind=OrgKind.branch, parent=other, now=NOW)
    return other


async def org(db, name) -> Organisation:
    return await db.get(Organisation, await demo_rows.org(db, name))


def actor(*grants: tuple[Role, Organisation]) -> Actor:
    return Actor(person_id=1, grants=tuple(Grant(role, o.id, o.path, o.name) for role, o in grants))


async def names(db, who: Actor) -> list[str]:
    return [o.name for o in await orgs_in_scope(session=db, actor=who)]


async def test_a_committee_sees_itself_first_then_its_branches_by_name(db, outside):
    committee = await org(db, COMMITTEE)
    assert await names(db, actor((Role.committee, committee))) == [COMMITTEE, SECOND_BRANCH, BRANCH]
    assert await names(db, actor((Role.admin, committee))) == [COMMITTEE, SECOND_BRANCH, BRANCH]


async def test_a_committee_of_a_branch_sees_that_branch_only(db, outside):
    assert await names(db, actor((Role.committee, await org(db, BRANCH)))) == [BRANCH]


async def test_a_secretary_or_a_deputy_sees_their_own_branch_and_no_branch_below_it(db, outside):
    branch = await org(db, BRANCH)
    below = await add_org(session=db, name="Tổ dưới", kind=OrgKind.branch, parent=branch, now=NOW)
    assert below.path.startswith(branch.path)
    assert await names(db, actor((Role.secretary, branch))) == [BRANCH]
    assert await names(db, actor((Role.deputy, branch))) == [BRANCH]
    assert await names(db, actor((Role.deputy, branch), (Role.secretary, await org(db, SECOND_BRANCH)))) == [
        SECOND_BRANCH, BRANCH]


async def test_a_sponsor_or_a_candidate_sees_nothing(db):
    branch = await org(db, BRANCH)
    assert await names(db, actor((Role.sponsor, branch), (Role.candidate, branch))) == []
    assert await names(db, Actor(person_id=None)) == []


async def test_no_grant_reaches_no_organisation(db):
    assert (await db.exec(Organisation.__table__.select().where(scope_clause([])))).all() == []


async def test_each_person_may_report_on_what_their_roles_reach_now(db, outside):
    orgs = {n: (await org(db, n)).id for n in (COMMITTEE, BRANCH, SECOND_BRANCH)}
    people = {n: await demo_rows.person(db, n) for n in (CUONG, THU, HUNG, BINH)}
    reach = {who: [] for who in people}
    for who, p in people.items():
        for n, o in orgs.items():
            if await may_report_on(session=db, person_id=p, org_id=o):
                reach[who].append(n)
    assert reach == {CUONG: [COMMITTEE, BRANCH, SECOND_BRANCH], THU: [BRANCH], HUNG: [BRANCH], BINH: []}
    assert not await may_report_on(session=db, person_id=people[CUONG], org_id=outside.id)


async def test_a_person_without_a_role_may_report_on_nothing(db):
    nobody = Person(full_name="Người lạ", created_at=NOW)
    db.add(nobody)
    await db.flush()
    assert not await may_report_on(session=db, person_id=nobody.id, org_id=await demo_rows.org(db, BRANCH))
    await grant_role(session=db, person_id=nobody.id, org_id=await demo_rows.org(db, SECOND_BRANCH),
                     role=Role.secretary)
    assert not await may_report_on(session=db, person_id=nobody.id, org_id=await demo_rows.org(db, BRANCH))
    assert await may_report_on(session=db, person_id=nobody.id, org_id=await demo_rows.org(db, SECOND_BRANCH))
