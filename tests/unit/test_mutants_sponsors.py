"""The sponsor list shows a member who holds several roles in a branch once, under the highest
of them, whichever role was granted first (mutation testing found this unguarded)."""

from datetime import UTC, datetime

import pytest

from bot.db import make_engine, make_sessions
from models.org import add_org
from models.people import Person, RoleGrant
from models.sponsors import branch_members
from models.stage import OrgKind, Role

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
