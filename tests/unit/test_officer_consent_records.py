"""The people a branch holds without a candidate record and their consent on paper
(models/officer_consent.py), asked directly on the demo. The demo branch: Nguyễn Thị Thu
(secretary), Trần Văn Bình and Đỗ Thị Mai (sponsors) and Phan Văn Hùng (deputy), all four on its
roster; six more roster members with no person in chibo; Cao Thị Huyền and Hoàng Mai Anh were
admitted through chibo (their consent is their candidate record's); Lê Hoàng Minh is a candidate."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models import officer_consent as oc
from models.consent import Consent, GivenBy, Method
from models.people import Person, grant_role
from models.roster import MemberStatus, PartyMember
from models.stage import Role
from models.text import fold
from tests.unit.demo_rows import member, org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
THU, BINH, MAI, HUNG = "Nguyễn Thị Thu", "Trần Văn Bình", "Đỗ Thị Mai", "Phan Văn Hùng"
OTHERS = ["Nguyễn Hữu Phước", "Lê Thị Kim Oanh", "Trương Văn Dũng", "Hồ Thị Ngọc Hân", "Phùng Quang Vinh",
          "Đoàn Thị Thảo"]


async def test_the_branch_people_one_row_each_roles_in_rank_then_member_by_name(db):
    branch = await org(db, BRANCH)
    thu, binh, mai, hung = [await person(db, n) for n in (THU, BINH, MAI, HUNG)]
    await grant_role(session=db, person_id=thu, org_id=branch, role=Role.sponsor)
    await grant_role(session=db, person_id=thu, org_id=branch, role=Role.deputy)
    found = await oc.branch_people(session=db, org_ids=[branch], today=TODAY)
    assert [h.full_name for h in found] == sorted([THU, BINH, MAI, HUNG, *OTHERS], key=fold)
    rows = {h.full_name: (h.key, h.org_id, h.roles) for h in found}
    assert rows[THU] == (f"p{thu}", branch, ("secretary", "deputy", "sponsor", "member"))
    assert rows[BINH] == (f"p{binh}", branch, ("sponsor", "member"))
    assert rows[HUNG] == (f"p{hung}", branch, ("deputy", "member"))
    assert rows[MAI] == (f"p{mai}", branch, ("sponsor", "member"))
    phuoc = await member(db, "Nguyễn Hữu Phước")
    assert rows["Nguyễn Hữu Phước"] == (f"m{phuoc.id}", branch, ("member",))


async def test_only_those_on_the_roster_today_and_the_roles_a_branch_holds(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    binh, minh = await person(db, BINH), await person(db, "Lê Hoàng Minh")
    (await member(db, "Nguyễn Hữu Phước")).left_on = TODAY  # left today: gone
    (await member(db, "Lê Thị Kim Oanh")).left_on = TODAY + timedelta(days=1)  # leaves tomorrow: still here
    db.add_all([PartyMember(org_id=branch, full_name="Mới Vào", status=MemberStatus.probationary,
                            since=TODAY + timedelta(days=1), at=NOW),
                PartyMember(org_id=branch, full_name="Hôm Nay", status=MemberStatus.probationary,
                            since=TODAY, at=NOW)])
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.sponsor)
    await grant_role(session=db, person_id=minh, org_id=second, role=Role.candidate)
    await db.flush()
    names = [h.full_name for h in await oc.branch_people(session=db, org_ids=[branch], today=TODAY)]
    assert "Nguyễn Hữu Phước" not in names and "Mới Vào" not in names and "Lê Hoàng Minh" not in names
    assert "Lê Thị Kim Oanh" in names and "Hôm Nay" in names
    assert "Cao Thị Huyền" not in names and "Hoàng Mai Anh" not in names  # admitted through chibo
    both = await oc.branch_people(session=db, org_ids=[branch, second], today=TODAY)
    assert [(h.org_id, h.roles) for h in both if h.full_name == BINH] == sorted([
        (branch, ("sponsor", "member")), (second, ("sponsor",))])  # one row per branch, by branch id
    assert [(h.full_name, h.key) for h in await oc.branch_people(session=db, org_ids=[second], today=TODAY)] == [
        (BINH, f"p{binh}")]


async def test_a_consent_on_paper_for_a_person_or_a_roster_member_given_one(db):
    thu, hung = await person(db, THU), await person(db, HUNG)
    consent = await oc.record_paper(session=db, key=f"p{hung}", given_on=TODAY - timedelta(days=1), recorded_by=thu,
                                    now=NOW)
    assert (consent.person_id, consent.candidate_id, consent.notice_version, consent.purposes, consent.categories,
            consent.given_by, consent.method, consent.given_on, consent.recorded_by, consent.at) == (
        hung, None, "2026-12", "branch_work", "basic", GivenBy.self, Method.paper, TODAY - timedelta(days=1), thu,
        NOW)
    phuoc = await member(db, "Nguyễn Hữu Phước")
    people = (await db.exec(sa.select(sa.func.count()).select_from(Person))).scalar_one()
    made = await oc.record_paper(session=db, key=f"m{phuoc.id}", given_on=TODAY, recorded_by=None, now=NOW)
    assert (await db.exec(sa.select(sa.func.count()).select_from(Person))).scalar_one() == people + 1
    assert made.person_id == phuoc.person_id and made.person_id is not None
    assert (await db.get(Person, made.person_id)).full_name == "Nguyễn Hữu Phước"
    stored = (await db.exec(sa.select(Consent.person_id).where(Consent.person_id.in_([hung, made.person_id]))
                            .order_by(Consent.id))).scalars().all()
    assert stored == [hung, made.person_id]
