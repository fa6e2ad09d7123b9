"""The sponsor list (mutation testing found these unguarded): a member who holds several roles in
a branch is shown once, under the highest of them, whichever role was granted first; only the
branches asked for; each member with the number of active candidates they help."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bot.db import make_engine, make_sessions
from models.candidate import Candidate
from models.org import add_org
from models.people import Person, RoleGrant
from models.roster import MemberStatus, PartyMember
from models.sponsors import Member, branch_members, off_roster, set_sponsor
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
    return (await session.exec(select(Candidate).where(Candidate.branch_id == branch.id,
                                                       Candidate.number == number))).one()


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


async def test_each_member_is_listed_with_their_branch_and_none_helped_is_zero(session):
    toan = await add_org(session=session, name="Chi bộ Toán", kind=OrgKind.branch, parent=None, now=NOW)
    van = await add_org(session=session, name="Chi bộ Văn", kind=OrgKind.branch, parent=None, now=NOW)
    lan = await grant(session, "Lê Thị Lan", toan, Role.sponsor)
    ha = await grant(session, "Phạm Thu Hà", van, Role.deputy)
    await grant(session, "Ngô Văn Nam", toan, Role.committee, Role.candidate)  # may not sponsor
    members = await branch_members(session=session, branch_ids=[van.id, toan.id])
    assert members == [Member(person_id=lan.id, full_name="Lê Thị Lan", branch_id=toan.id, role=Role.sponsor,
                              sponsoring=0),
                       Member(person_id=ha.id, full_name="Phạm Thu Hà", branch_id=van.id, role=Role.deputy,
                              sponsoring=0)]
    assert members[1].as_dict() == {"id": ha.id, "name": "Phạm Thu Hà", "branch_id": van.id, "role": "deputy",
                                    "sponsoring": 0}


async def test_set_sponsor_replaces_the_sponsor_and_gives_the_previous_one(session):
    branch = await add_org(session=session, name="Chi bộ Toán", kind=OrgKind.branch, parent=None, now=NOW)
    lan = await grant(session, "Lê Thị Lan", branch, Role.secretary)
    minh = await grant(session, "Trần Văn Minh", branch, Role.sponsor)
    helped = await candidate(session, branch, 1, lan, Stage.dossier)
    assert await set_sponsor(session=session, candidate=helped, person_id=minh.id) == lan.id
    stored = (await session.exec(select(Candidate.sponsor_id).where(Candidate.id == helped.id))).one()
    assert (helped.sponsor_id, stored) == (minh.id, minh.id)


async def test_off_roster_are_those_not_official_on_their_branchs_roster_that_day(session):
    toan = await add_org(session=session, name="Chi bộ Toán", kind=OrgKind.branch, parent=None, now=NOW)
    van = await add_org(session=session, name="Chi bộ Văn", kind=OrgKind.branch, parent=None, now=NOW)
    on = date(2026, 3, 10)

    def member(person_id, name, branch):
        return Member(person_id=person_id, full_name=name, branch_id=branch.id, role=Role.sponsor, sponsoring=0)

    lan = await grant(session, "Lê Thị Lan", toan, Role.sponsor)
    other = await grant(session, "Lê Thị Lan", toan, Role.sponsor)  # the same name, someone else
    session.add_all([
        PartyMember(org_id=toan.id, full_name="Lê Thị Lan", status=MemberStatus.official, since=date(2020, 5, 1),
                    person_id=lan.id, at=NOW),
        PartyMember(org_id=toan.id, full_name="TRẦN VĂN MINH", status=MemberStatus.official,
                    since=date(2021, 5, 1), at=NOW),  # not linked: matched by name
        PartyMember(org_id=toan.id, full_name="Phạm Thu Hà", status=MemberStatus.probationary,
                    since=date(2025, 5, 1), at=NOW),
        PartyMember(org_id=toan.id, full_name="Võ Văn Hùng", status=MemberStatus.official, since=date(2015, 5, 1),
                    left_on=date(2026, 3, 1), at=NOW),
        PartyMember(org_id=toan.id, full_name="Đỗ Thị Mai", status=MemberStatus.official, since=date(2026, 3, 11),
                    at=NOW),  # official only from tomorrow
    ])
    await session.flush()
    members = [member(lan.id, "Lê Thị Lan", toan), member(other.id, "Lê Thị Lan", toan),
               member(90_001, "Trần Văn Minh", toan), member(90_002, "Phạm Thu Hà", toan),
               member(90_003, "Võ Văn Hùng", toan), member(90_004, "Đỗ Thị Mai", toan),
               member(90_005, "Bùi Văn An", toan),
               member(90_006, "Lý Thị Hoa", van)]  # Văn keeps no roster: not checked
    assert await off_roster(session=session, members=members, on=on) == {
        (toan.id, other.id), (toan.id, 90_002), (toan.id, 90_003), (toan.id, 90_004), (toan.id, 90_005)}
    assert await off_roster(session=session, members=[member(lan.id, "Lê Thị Lan", van)], on=on) == set()
    assert await off_roster(session=session, members=[], on=on) == set()
