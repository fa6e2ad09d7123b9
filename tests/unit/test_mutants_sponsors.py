"""The sponsor list (mutation testing found these unguarded): a member who holds several roles in
a branch is shown once, under the highest of them, whichever role was granted first; only the
branches asked for; each member with the number of active candidates they help."""

from datetime import UTC, date, datetime

import pytest

from bot.db import make_engine, make_sessions
from models.candidate import Candidate
from models.org import add_org
from models.people import Person, RoleGrant
from models.sponsors import branch_members
from models.stage import Category, Gender, IntroducedBy, OrgKind, Role, Stage

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
async def session(database_url):
    engine = make_engine(database_url)
    async with make_sessions(engine)() as session, session.begin():
        yield session
    await engine.dispose()


async def grant(session, name, org, *roles):
    person = Person(full_name=name, created_at=NOW)
    session.add(person)
    await session.flush()
    for role in roles:
        session.add(RoleGrant(person_id=person.id, org_id=org.id, role=role))
        await session.flush()
    return person


async def test_a_member_with_several_roles_is_listed_once_under_the_highest(session):
    branch = await add_org(session=session, name="Chi bộ Toán", kind=OrgKind.branch, parent=None, now=NOW)
    lan = await grant(session, "Lê Thị Lan", branch, Role.sponsor, Role.secretary)
    minh = await grant(session, "Trần Văn Minh", branch, Role.deputy, Role.sponsor)
    members = await branch_members(session=session, branch_ids=[branch.id])
    assert [(m.person_id, m.full_name, m.role) for m in members] == [
        (lan.id, "Lê Thị Lan", Role.secretary), (minh.id, "Trần Văn Minh", Role.deputy)]


async def candidate(session, branch, number, sponsor, stage):
    session.add(Candidate(
        branch_id=branch.id, number=number, full_name=f"Người {number}", name_folded=f"nguoi {number}",
        birth_date=date(2000, 1, 1), gender=Gender.female, category=Category.teacher, youth_union=True,
        introduced_by=IntroducedBy.youth_union, stage=stage, stage_since=date(2026, 1, 5),
        sponsor_id=sponsor.id, created_at=NOW))
    await session.flush()


async def test_each_member_counts_only_the_active_candidates_they_help_in_the_branches_asked(session):
    toan = await add_org(session=session, name="Chi bộ Toán", kind=OrgKind.branch, parent=None, now=NOW)
    van = await add_org(session=session, name="Chi bộ Văn", kind=OrgKind.branch, parent=None, now=NOW)
    lan = await grant(session, "Lê Thị Lan", toan, Role.secretary)
    minh = await grant(session, "Trần Văn Minh", toan, Role.sponsor)
    await grant(session, "Phạm Thu Hà", van, Role.secretary)
    await candidate(session, toan, 1, lan, Stage.dossier)
    await candidate(session, toan, 2, lan, Stage.sympathizer)
    await candidate(session, toan, 3, minh, Stage.probationary)
    await candidate(session, toan, 4, minh, Stage.official)  # no longer helped
    members = await branch_members(session=session, branch_ids=[toan.id])
    assert [(m.full_name, m.sponsoring) for m in members] == [("Lê Thị Lan", 2), ("Trần Văn Minh", 1)]
