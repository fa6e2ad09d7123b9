"""Demo data: two branches under a committee, four console accounts, candidates at several stages.

Console accounts: bithu (secretary), giupdo (sponsor), quanchung (a candidate), captren
(the committee above). Dates are set relative to today so the demo always looks current.
"""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.channels.console import CONSOLE
from models.candidate import Candidate, NewCandidate, register_candidate
from models.consent import GivenBy, Method
from models.consent import record as record_consent
from models.org import Organisation, add_org
from models.checkin import Checkin, CheckinHow
from models.dossier import AdmissionRecord, DossierEntry
from models.introducers import IntroducerRecord
from models.org_target import OrgTarget
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.review import MonthlyReview, ReviewDecision
from models.roster import MemberStatus, add_member
from models.targets import PeriodKind, school_year_containing
from models.people import Person, grant_role, link_chat
from models.stage import Category, Gender, IntroducedBy, OrgKind, Role, Stage
from models.statements import SessionStatements

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
    ("Trịnh Công Sơn", date(2008, 12, 24), Gender.male, Category.student, True, IntroducedBy.youth_union, Stage.source, 90, False),
    ("Vũ Thị Thanh Xuân", date(1999, 5, 5), Gender.female, Category.teacher, True, IntroducedBy.youth_union, Stage.source, 35, False),
    ("Đinh Văn Khoa", date(1988, 10, 10), Gender.male, Category.staff, False, IntroducedBy.trade_union, Stage.sympathizer, 150, True),
    ("Lương Thị Mỹ", date(2001, 3, 8), Gender.female, Category.teacher, True, IntroducedBy.member, Stage.awareness_class, 50, False),
    ("Tạ Minh Đức", date(1994, 7, 27), Gender.male, Category.teacher, False, IntroducedBy.member, Stage.admitted, 15, True),
    ("Cao Thị Huyền", date(1992, 1, 15), Gender.female, Category.teacher, True, IntroducedBy.youth_union, Stage.official, 30, True),
    ("Mạc Văn Tài", date(1991, 4, 4), Gender.male, Category.worker, False, IntroducedBy.branch, Stage.removed, 100, False),
]
# The demo branch's other official members (not on chibo): name, years since recognised.
OTHER_MEMBERS = [
    ("Nguyễn Hữu Phước", 22), ("Lê Thị Kim Oanh", 15), ("Trương Văn Dũng", 11),
    ("Hồ Thị Ngọc Hân", 8), ("Phùng Quang Vinh", 5), ("Đoàn Thị Thảo", 3),
]

SECOND = [
    ("Ngô Đức Thắng", date(2004, 3, 3), Gender.male, Category.student, True, IntroducedBy.youth_union, Stage.sympathizer, 40, False),
    ("Lý Thị Hồng", date(2005, 7, 19), Gender.female, Category.student, True, IntroducedBy.youth_union, Stage.source, 10, False),
]


async def create_demo(*, session: AsyncSession, now: datetime, today: date) -> None:
    """Create the demo data (call it only where demo_exists is false); nothing else is touched."""
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
    # ...who has read the notice on personal data and agreed, in chat (models/consent.py).
    record_consent(session=session, candidate_id=candidate.id, given_by=GivenBy.self, method=Method.chat,
                   given_on=today, sensitive=False, now=now)
    # Two more official members of the branch, not on any chat yet: a deputy and a sponsor.
    for name, role in [("Phan Văn Hùng", Role.deputy), ("Đỗ Thị Mai", Role.sponsor)]:
        member = Person(full_name=name, created_at=now)
        session.add(member)
        await session.flush()
        await grant_role(session=session, person_id=member.id, org_id=branch.id, role=role)
        people[name] = member
    await _records(session, committee, branch, second, people["giupdo"], now, today)
    await _roster(session, branch, people, now, today)
    await session.flush()


async def _roster(session, branch, people, now, today) -> None:
    """The demo branch's party members: 11 official today (its four on chibo, six others, and
    Cao Thị Huyền recognised 30 days ago), and Hoàng Mai Anh, probationary since her ceremony.
    Đặng Ngọc Lan, a Youth Union member, is introduced by her sponsor (with 4-KNĐ, the Youth
    Union's resolution): they have taught at the school together for three years."""
    on_roster = {}
    for key, years in [("bithu", 12), ("giupdo", 9), ("Phan Văn Hùng", 10), ("Đỗ Thị Mai", 6)]:
        person = people[key]
        on_roster[key] = await add_member(
            session, org_id=branch.id, full_name=person.full_name, status=MemberStatus.official,
            since=today - timedelta(days=365 * years), person_id=person.id, now=now)
    for name, years in OTHER_MEMBERS:
        await add_member(session, org_id=branch.id, full_name=name, status=MemberStatus.official,
                         since=today - timedelta(days=365 * years), now=now)
    by_name = {c.full_name: c for c in (await session.exec(
        sa.select(Candidate).where(Candidate.branch_id == branch.id))).scalars()}
    for name, status, days in [("Cao Thị Huyền", MemberStatus.official, 30),
                               ("Hoàng Mai Anh", MemberStatus.probationary, 200)]:
        c = by_name[name]
        await add_member(session, org_id=branch.id, full_name=name, status=status,
                         since=today - timedelta(days=days), person_id=c.person_id, candidate_id=c.id, now=now)
    session.add(IntroducerRecord(candidate_id=by_name["Đặng Ngọc Lan"].id, member_id=on_roster["giupdo"].id,
                                 together_since=today - timedelta(days=365 * 3), at=now))


async def _records(session, committee, branch, second, sponsor, now, today) -> None:
    """Classes, certificates, dossiers, decisions, check-ins, reviews and targets."""
    by_name = {c.full_name: c for c in (await session.exec(
        sa.select(Candidate).where(Candidate.branch_id == branch.id))).scalars()}
    ago = lambda days: today - timedelta(days=days)  # noqa: E731
    past = PartyClass(org_id=committee.id, kind=ClassKind.awareness, title="Lớp nhận thức về Đảng khóa 1",
                      place="Hội trường Đảng ủy Khối", starts_on=ago(130), ends_on=ago(126),
                      enrol_by=ago(140), capacity=80, created_at=now)
    open_ = PartyClass(org_id=committee.id, kind=ClassKind.awareness, title="Lớp nhận thức về Đảng khóa 2",
                       place="Hội trường Đảng ủy Khối", starts_on=ago(-30), ends_on=ago(-34),
                       enrol_by=ago(-14), capacity=80, created_at=now)
    older = PartyClass(org_id=committee.id, kind=ClassKind.awareness, title="Lớp nhận thức về Đảng khóa cũ",
                       place="Trung tâm Chính trị", starts_on=ago(430), ends_on=ago(426),
                       enrol_by=ago(440), capacity=80, created_at=now)
    session.add_all([older, past, open_])
    await session.flush()
    for name, number in [("Đặng Ngọc Lan", "CN-0101"), ("Bùi Quốc Huy", "CN-0102"),
                         ("Tạ Minh Đức", "CN-0087")]:
        session.add(Enrollment(class_id=past.id, candidate_id=by_name[name].id, status=EnrollmentStatus.passed,
                               certificate_number=number, certificate_on=ago(125), at=now))
    session.add(Enrollment(class_id=older.id, candidate_id=by_name["Hoàng Mai Anh"].id,
                           status=EnrollmentStatus.passed, certificate_number="CN-0050", certificate_on=ago(425),
                           at=now))
    for name in ("Võ Thanh Tùng", "Lương Thị Mỹ"):
        session.add(Enrollment(class_id=open_.id, candidate_id=by_name[name].id, at=now))
    lan, huy, duc, anh, huyen = (by_name[n] for n in (
        "Đặng Ngọc Lan", "Bùi Quốc Huy", "Tạ Minh Đức", "Hoàng Mai Anh", "Cao Thị Huyền"))
    for item, days in [("CN-NTVĐ", 125), ("1-KNĐ", 58), ("2-KNĐ", 40), ("3-KNĐ", 35), ("4-KNĐ", 38),
                       ("5-KNĐ", 30)]:
        session.add(DossierEntry(candidate_id=lan.id, item=item, dated=ago(days), at=now))
    session.add_all([
        AdmissionRecord(candidate_id=lan.id, dossier_started_on=ago(60), updated_at=now),
        AdmissionRecord(candidate_id=huy.id, dossier_started_on=ago(100), resolution_on=ago(25),
                        votes_for=9, official_members=11, updated_at=now),
        AdmissionRecord(candidate_id=duc.id, dossier_started_on=ago(120), resolution_on=ago(80),
                        votes_for=10, official_members=11, decision_on=ago(20), decision_number="125-QĐ/ĐU",
                        decision_received_on=ago(15), updated_at=now),
        AdmissionRecord(candidate_id=anh.id, dossier_started_on=ago(330), resolution_on=ago(260),
                        votes_for=11, official_members=11, decision_on=ago(215), decision_number="88-QĐ/ĐU",
                        decision_received_on=ago(210), ceremony_on=ago(200), personal_history_on=ago(180),
                        updated_at=now),
        AdmissionRecord(candidate_id=huyen.id, resolution_on=ago(520), decision_on=ago(460),
                        decision_number="31-QĐ/ĐU", decision_received_on=ago(455), ceremony_on=ago(445),
                        personal_history_on=ago(430), recognition_resolution_on=ago(70),
                        recognition_votes_for=10, recognition_members=11, recognition_decision_on=ago(30),
                        recognition_number="40-QĐ/ĐU", updated_at=now),
    ])
    for name, days, how in [("Lê Hoàng Minh", 12, CheckinHow.in_person), ("Phạm Thu Hà", 41, CheckinHow.phone),
                            ("Võ Thanh Tùng", 8, CheckinHow.in_person), ("Đinh Văn Khoa", 33, CheckinHow.online)]:
        session.add(Checkin(candidate_id=by_name[name].id, sponsor_id=sponsor.id, met_on=ago(days), how=how,
                            assessment="good", note="Tích cực trong công tác chuyên môn", at=now))
    period = f"{ago(30).year:04d}-{ago(30).month:02d}"
    for name in ("Nguyễn Văn An", "Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa"):
        session.add(MonthlyReview(candidate_id=by_name[name].id, period=period, decision=ReviewDecision.keep, at=now))
    year = school_year_containing(today)
    label = f"{year.start.year}-{year.end.year}"
    session.add_all([
        OrgTarget(org_id=branch.id, label=label, period_kind=PeriodKind.school_year, starts_on=year.start,
                  ends_on=year.end, admissions=3, composition={"teacher": 1, "youth_union": 2}, at=now),
        OrgTarget(org_id=second.id, label=label, period_kind=PeriodKind.school_year, starts_on=year.start,
                  ends_on=year.end, admissions=2, composition={"student": 2}, at=now),
        OrgTarget(org_id=committee.id, label=label, period_kind=PeriodKind.school_year, starts_on=year.start,
                  ends_on=year.end, admissions=5, composition={"teacher": 1}, at=now),
    ])


async def _candidates(session, branch, rows, sponsor, secretary, now, today) -> None:
    for name, born, gender, category, youth, introduced, stage, days, sponsored in rows:
        since = today - timedelta(days=days)
        registered = await register_candidate(
            db=SessionStatements(session), branch_id=branch.id, now=now, today=since, stage=stage,
            by_person_id=secretary.id if secretary else None,
            new=NewCandidate(full_name=name, birth_date=born, gender=gender, category=category,
                             youth_union=youth, introduced_by=introduced, note=None))
        if sponsored and sponsor:
            (await session.get(Candidate, registered.id)).sponsor_id = sponsor.id
    await session.flush()


async def demo_exists(session: AsyncSession) -> bool:
    """Whether the demo committee is already in the database."""
    found = await session.exec(sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == COMMITTEE))
    return found.scalar_one() > 0


async def has_any_org(session: AsyncSession) -> bool:
    return (await session.exec(sa.select(sa.func.count()).select_from(Organisation))).scalar_one() > 0

