"""Organisations kept in the database (models/org.py), asked directly on the demo: the path an
organisation is given, finding one by id or name, the tree in order, and names and codes by id.
The demo: the committee above (COMMITTEE) with two branches, BRANCH and SECOND_BRANCH."""

from datetime import UTC, datetime

import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models import org as orgs
from models.org import Organisation
from models.stage import OrgKind

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def by_name(db, name) -> Organisation:
    return (await db.exec(sa.select(Organisation).where(Organisation.name == name))).scalar_one()


async def test_a_new_organisation_is_placed_under_its_parent_with_a_free_code(db):
    committee = await by_name(db, COMMITTEE)
    made = await orgs.add_org(session=db, name="Chi bộ Trường THPT Trần Phú 2", kind=OrgKind.branch,
                              parent=committee, is_student=True, now=NOW)
    assert (made.kind, made.parent_id, made.path, made.is_student, made.created_at) == (
        OrgKind.branch, committee.id, f"{committee.path}{made.id}/", True, NOW)
    taken = set((await db.exec(sa.select(Organisation.code).where(Organisation.id != made.id))).scalars())
    assert made.code not in taken and made.code.startswith("TP")
    top = await orgs.add_org(session=db, name="Đảng ủy Khối Mới", kind=OrgKind.committee, parent=None, now=NOW)
    assert (top.parent_id, top.path, top.is_student) == (None, f"/{top.id}/", False)
    assert orgs.depth(top) == 0 and orgs.depth(made) == 1
    assert orgs.depth(await by_name(db, BRANCH)) == 1


async def test_an_organisation_is_found_by_id_by_its_whole_name_or_by_a_part(db):
    branch, second = await by_name(db, BRANCH), await by_name(db, SECOND_BRANCH)
    assert await orgs.find_org(session=db, ref=str(branch.id)) == [branch]
    assert await orgs.find_org(session=db, ref="9999") == []
    assert await orgs.find_org(session=db, ref=BRANCH.lower()) == [branch]
    both = await orgs.find_org(session=db, ref="Chi bộ")
    assert {o.id for o in both} == {branch.id, second.id}
    assert await orgs.find_org(session=db, ref="no such branch") == []
    # A whole name that is also part of another's: the whole one alone.
    short = await orgs.add_org(session=db, name="Chi bộ", kind=OrgKind.branch, parent=None, now=NOW)
    assert await orgs.find_org(session=db, ref="chi bộ") == [short]


async def test_the_tree_lists_parents_before_children_and_siblings_by_name(db):
    committee, branch, second = [await by_name(db, n) for n in (COMMITTEE, BRANCH, SECOND_BRANCH)]
    other = await orgs.add_org(session=db, name="A first committee", kind=OrgKind.committee, parent=None, now=NOW)
    below = await orgs.add_org(session=db, name="Z branch", kind=OrgKind.branch, parent=other, now=NOW)
    expected_branches = sorted([branch, second], key=lambda o: o.name)
    assert [o.id for o in await orgs.org_tree(session=db)] == [
        other.id, below.id, committee.id, *[o.id for o in expected_branches]]


async def test_names_and_codes_by_id(db):
    branch, second = await by_name(db, BRANCH), await by_name(db, SECOND_BRANCH)
    assert await orgs.org_names(session=db, ids={branch.id, second.id, 9999}) == {
        branch.id: BRANCH, second.id: SECOND_BRANCH}
    assert await orgs.org_codes(session=db, ids={branch.id}) == {branch.id: branch.code}
    assert branch.code
    assert await orgs.org_names(session=db, ids=set()) == {}
    assert await orgs.org_codes(session=db, ids=set()) == {}
