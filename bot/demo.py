"""Demo data: two branches under a committee, four console accounts, candidates at several stages.

Console accounts: bithu (secretary), giupdo (sponsor), quanchung (a candidate), captren
(the committee above). Dates are set relative to today so the demo always looks current.
"""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.channels.console import CONSOLE
from models.audit import AuditLog
from models.candidate import Candidate, NewCandidate, StageChange, register_candidate
from models.org import Organisation, add_org
from models.conversation import Conversation
from models.people import ChatLink, Invite, Person, RoleGrant, grant_role, link_chat
from models.stage import Category, Gender, IntroducedBy, OrgKind, Role, Stage

COMMITTEE = "Đảng ủy Khối Giáo dục (demo)"
BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"
SECOND_BRANCH = "Chi bộ Khoa Toán, ĐH Sư phạm (demo)"
DEMO_ACCOUNTS = ("bithu", "giupdo", "quanchung", "captren")

# name, birth date, gender, category, youth union, introduced by, stage, days in stage, sponsored
CANDIDATES = [
    ("Nguyễn Văn An", date(1998, 4, 12), Gender.male, Category.teacher, True, IntroducedBy.youth_union, Stage.source, 20, False),
    ("Trần Thị Bích Ngọc", date(2008, 11, 2), Gender.female, Category.student, True, IntroducedBy.youth_union, Stage.source, 45, False),
    ("Lê Hoàng Minh", date(1995, 1, 30), Gender.male, Category.teacher, False, IntroducedBy.member, Stage.sympathizer, 70, True),
    ("Phạm Thu Hà", date(2000, 6, 15), Gender.female, Category.teacher, True, IntroducedBy.youth_union, Stage.sympathizer, 120, True),
    ("Võ Thanh Tùng", date(1990, 9, 9), Gender.male, Category.staff, False, IntroducedBy.trade_union, Stage.awareness_class, 30, True),
    ("Đặng Ngọc Lan", date(1997, 2, 28), Gender.female, Category.teacher, True, IntroducedBy.youth_union, Stage.dossier, 60, True),
    ("Bùi Quốc Huy", date(1993, 12, 1), Gender.male, Category.manager, False, IntroducedBy.branch, Stage.proposed, 25, True),
    ("Hoàng Mai Anh", date(1996, 8, 20), Gender.female, Category.teacher, True, IntroducedBy.youth_union, Stage.probationary, 200, True),
]
SECOND = [
    ("Ngô Đức Thắng", date(2004, 3, 3), Gender.male, Category.student, True, IntroducedBy.youth_union, Stage.sympathizer, 40, False),
    ("Lý Thị Hồng", date(2005, 7, 19), Gender.female, Category.student, True, IntroducedBy.youth_union, Stage.source, 10, False),
]


async def create_demo(*, session: AsyncSession, now: datetime, today: date) -> None:
    """(Re)create the demo data; everything else in the database is left alone."""
    await remove_demo(session=session)
    committee = await add_org(session=session, name=COMMITTEE, kind=OrgKind.committee, parent=None, now=now)
    branch = await add_org(session=session, name=BRANCH, kind=OrgKind.branch, parent=committee, now=now)
    second = await add_org(session=session, name=SECOND_BRANCH, kind=OrgKind.branch, parent=committee,
                           is_student=True, now=now)
    people = {}
    for account, name, role, org in [
        ("bithu", "Nguyễn Thị Thu", Role.secretary, branch),
        ("giupdo", "Trần Văn Bình", Role.sponsor, branch),
        ("captren", "Lê Văn Cường", Role.committee, committee),
    ]:
        person = Person(full_name=name, created_at=now)
        session.add(person)
        await session.flush()
        await grant_role(session=session, person_id=person.id, org_id=org.id, role=role)
        await link_chat(session=session, channel=CONSOLE, account_id=account, person_id=person.id, now=now)
        people[account] = person
    await _candidates(session, branch, CANDIDATES, people["giupdo"], people["bithu"], now, today)
    await _candidates(session, second, SECOND, None, None, now, today)
    # quanchung is the first sympathizer of the demo branch.
    candidate = (await session.exec(sa.select(Candidate).where(
        Candidate.branch_id == branch.id, Candidate.stage == Stage.sympathizer)
        .order_by(Candidate.number).limit(1))).scalar_one()
    person = Person(full_name=candidate.full_name, created_at=now)
    session.add(person)
    await session.flush()
    candidate.person_id = person.id
    await grant_role(session=session, person_id=person.id, org_id=branch.id, role=Role.candidate)
    await link_chat(session=session, channel=CONSOLE, account_id="quanchung", person_id=person.id, now=now)
    await session.flush()


async def _candidates(session, branch, rows, sponsor, secretary, now, today) -> None:
    for name, born, gender, category, youth, introduced, stage, days, sponsored in rows:
        since = today - timedelta(days=days)
        candidate = await register_candidate(
            session=session, branch_id=branch.id, now=now, today=since, stage=stage,
            by_person_id=secretary.id if secretary else None,
            new=NewCandidate(full_name=name, birth_date=born, gender=gender, category=category,
                             youth_union=youth, introduced_by=introduced, note=None))
        if sponsored and sponsor:
            candidate.sponsor_id = sponsor.id
    await session.flush()


async def remove_demo(*, session: AsyncSession) -> None:
    """Delete the demo organisations and everything that hangs from them."""
    root = (await session.exec(sa.select(Organisation).where(Organisation.name == COMMITTEE))).scalar_one_or_none()
    if root is None:
        return
    org_ids = sa.select(Organisation.id).where(Organisation.path.startswith(root.path))
    person_ids = sa.select(RoleGrant.person_id).where(RoleGrant.org_id.in_(org_ids))
    candidate_ids = sa.select(Candidate.id).where(Candidate.branch_id.in_(org_ids))
    people = list((await session.exec(person_ids)).scalars())
    await session.exec(sa.delete(StageChange).where(StageChange.candidate_id.in_(candidate_ids)))
    await session.exec(sa.delete(Invite).where(Invite.org_id.in_(org_ids)))
    await session.exec(sa.delete(Candidate).where(Candidate.branch_id.in_(org_ids)))
    await session.exec(sa.delete(RoleGrant).where(RoleGrant.person_id.in_(people)))
    await session.exec(sa.delete(ChatLink).where(ChatLink.person_id.in_(people)))
    await session.exec(sa.delete(AuditLog).where(AuditLog.person_id.in_(people)))
    await session.exec(sa.delete(Person).where(Person.id.in_(people)))
    await session.exec(sa.delete(Conversation).where(
        Conversation.channel == CONSOLE, Conversation.chat_id.in_(DEMO_ACCOUNTS)))
    orgs = list((await session.exec(sa.select(Organisation).where(Organisation.path.startswith(root.path))
                                    .order_by(sa.func.length(Organisation.path).desc()))).scalars())
    for org in orgs:
        await session.delete(org)
    await session.flush()


async def has_any_org(session: AsyncSession) -> bool:
    return (await session.exec(sa.select(sa.func.count()).select_from(Organisation))).scalar_one() > 0

