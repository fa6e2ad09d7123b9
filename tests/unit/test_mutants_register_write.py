"""Planning and writing a checked register (models/register_write.py), on the points mutation
testing found unchecked by test_register_write_records.py (whose helpers build the rows and the
register in memory): the errors' empty header when the file names none, the rows a plan goes on
with, a sponsor or a named stage on an existing candidate, a name holding another (not near it:
the rule's two scorers, not rapidfuzz's default), and on the demo branch the register as
loaded (papers of the checklist only, members still on the roster, the sponsors' ids, consents
naming ethnicity and religion, an empty branch) and the roster rows a write adds."""

from datetime import date

import sqlalchemy as sa

from bot.demo import SECOND_BRANCH
from models import register_write as rw
from models.candidate import Candidate, StageChange
from models.consent import NOTICE_VERSION, PURPOSES, Consent, GivenBy, Method
from models.dossier import DossierEntry
from models.org import Organisation, add_org
from models.register_import import MemberRow, RowError
from models.roster import MemberStatus, PartyMember
from models.stage import Gender, OrgKind, Stage
from models.text import fold
from tests.unit.demo_rows import member as roster_member
from tests.unit.demo_rows import org, person
from tests.unit.test_register_write_records import BRANCH, NOW, TODAY, existing, member, plan, row
from tests.unit.test_register_write_records import person as held


def test_an_error_names_no_header_when_the_file_gives_none():
    p = plan([row(sponsor="Ai Đó", n=2)], existing())
    assert p.errors == [RowError(2, "", "Ai Đó", "sponsor_unknown")]
    ex = existing(roster={"le thi ha": [member("Lê Thị Hà"), member("Lê Thị Hà", mid=2)]})
    p = plan([], ex, members=[MemberRow(4, "Lê Thị Hà", "official", date(2015, 1, 2))])
    assert p.errors == [RowError(4, "", "Lê Thị Hà", "member_ambiguous", member=True)]


def test_a_members_row_is_kept_in_the_plan_new_or_changed():
    held_member = member("Đào Văn Lực", MemberStatus.probationary)
    ex = existing(roster={"dao van luc": [held_member]})
    changed, new = MemberRow(3, "Đào Văn Lực", "official", date(2015, 1, 2)), MemberRow(4, "Hà Văn Mới", "official",
                                                                                         date(2016, 1, 2))
    p = plan([], ex, members=[changed, new])
    assert [x.row for x in p.update] == [changed] and [x.row for x in p.create] == [new]


def test_a_plan_goes_on_after_a_near_name():
    ex = existing(held(stage=Stage.dossier))
    near, other = row("Nguyễn Thị Mại", date(1999, 1, 2)), row("Lê Văn Tâm", date(2001, 2, 14), n=3)
    p = plan([near, other], ex)
    assert [n.row for n in p.near] == [near] and [x.row for x in p.create] == [other]


def test_an_existing_candidate_is_given_the_sponsor_and_the_stage_the_file_names():
    ex = existing(held(stage=Stage.sympathizer), sponsors={"tran van binh": [3]})
    p = plan([row(sponsor="Trần Văn Bình", stage=Stage.proposed)], ex)
    assert [(x.candidate_id, x.fields, x.steps) for x in p.update] == [
        (7, {"sponsor_id": 3, "stage": "proposed", "stage_since": TODAY}, [(Stage.proposed, TODAY)])]


def test_a_roster_member_already_a_person_is_no_sponsor_the_file_brings():
    ex = existing(roster={"vo van c": [member("Võ Văn C", person_id=12)]})
    p = plan([row("Người 9", date(2000, 2, 2), sponsor="Võ Văn C")], ex,
             members=[MemberRow(9, "Võ Văn C", "official", date(2010, 1, 1))])
    assert [e.problem for e in p.errors] == ["sponsor_unknown"]


async def test_the_register_loaded_holds_the_checklist_papers_members_still_there_and_sponsors_ids(db):
    branch = await org(db, BRANCH)
    before = await rw.load_existing(session=db, branch_id=branch)
    lan = next(c for c in before.by_identity.values() if c.full_name == "Đặng Ngọc Lan")
    db.add(DossierEntry(candidate_id=lan.id, item="other", dated=TODAY, at=NOW))
    (await roster_member(db, "Nguyễn Hữu Phước")).left_on = TODAY
    await db.exec(sa.delete(Consent).where(Consent.candidate_id == lan.id))
    db.add(Consent(candidate_id=lan.id, person_id=lan.person_id, notice_version=NOTICE_VERSION, purposes=PURPOSES,
                   categories="basic,ethnicity,religion", given_by=GivenBy.self, method=Method.paper,
                   given_on=TODAY, at=NOW))
    await db.flush()
    ex = await rw.load_existing(session=db, branch_id=branch)
    assert sorted(ex.entries[lan.id]) == ["1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ", "CN-NTVĐ"]
    assert "nguyen huu phuoc" not in ex.roster and "tran van binh" in ex.roster
    assert ex.sponsors["tran van binh"] == [await person(db, "Trần Văn Bình")]
    assert ex.sensitive_ok == {lan.id}


async def test_an_empty_branch_numbers_from_one(db):
    top = await db.get(Organisation, await org(db, SECOND_BRANCH))
    empty = await add_org(session=db, name="Chi bộ Mới (demo)", kind=OrgKind.branch, parent=top, now=NOW)
    ex = await rw.load_existing(session=db, branch_id=empty.id)
    assert (ex.last_number, ex.by_identity) == (0, {})
    p = plan([row("Lê Văn Tâm", date(2001, 2, 14), gender=Gender.male)], ex)
    await rw.write_plan(session=db, branch_id=empty.id, plan=p, existing=ex, now=NOW, by_person_id=None,
                        file_name="f")
    assert [(c.number, c.full_name) for c in (await db.exec(
        sa.select(Candidate).where(Candidate.branch_id == empty.id))).scalars()] == [(1, "Lê Văn Tâm")]


async def test_new_candidates_are_told_from_another_branch_s_of_the_same_number(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    ex = await rw.load_existing(session=db, branch_id=branch)
    first = ex.last_number + 1
    # A candidate of another branch with the number the new one gets, and a later id.
    db.add(Candidate(id=100000, branch_id=second, number=first, full_name="Ai Khác", name_folded="ai khac",
                     birth_date=date(2000, 1, 1), birth_year_only=False, gender=Gender.male, category="other",
                     youth_union=False, introduced_by="branch", stage=Stage.source, stage_since=TODAY,
                     created_at=NOW))
    await db.flush()
    p = plan([row("Lê Văn Tâm", date(2001, 2, 14), certificate_on=date(2025, 5, 1), gender=Gender.male)], ex)
    await rw.write_plan(session=db, branch_id=branch, plan=p, existing=ex, now=NOW, by_person_id=None,
                        file_name="f")
    tam = (await db.exec(sa.select(Candidate).where(Candidate.full_name == "Lê Văn Tâm"))).scalar_one()
    assert (tam.branch_id, tam.number, p.create[0].candidate_id) == (branch, first, tam.id)
    assert [s.candidate_id for s in (await db.exec(sa.select(StageChange).where(
        StageChange.on == date(2025, 5, 1)))).scalars()] == [tam.id]


async def test_only_a_probationary_newcomer_not_yet_on_the_roster_is_put_there(db):
    branch = await org(db, BRANCH)
    ex = await rw.load_existing(session=db, branch_id=branch)
    rows = [row("Nguyễn Hữu Phước", date(1990, 1, 1), stage=Stage.probationary, admitted_on=date(2025, 6, 1),
                gender=Gender.male),  # on the roster already, by name
            row("Lê Văn Tâm", date(2001, 2, 14), stage=Stage.admitted, admitted_on=date(2026, 2, 1), n=3,
                gender=Gender.male),  # admitted, not yet sworn in
            row("Võ Thị Hoa", date(2002, 3, 3), stage=Stage.probationary, admitted_on=date(2025, 7, 1), n=4)]
    p = plan(rows, ex)
    assert [x.fields["stage"] for x in p.create] == ["probationary", "admitted", "probationary"]
    await rw.write_plan(session=db, branch_id=branch, plan=p, existing=ex, now=NOW, by_person_id=None,
                        file_name="f")
    on_roster = (await db.exec(sa.select(PartyMember.full_name, PartyMember.since).where(
        PartyMember.full_name.in_([r.full_name for r in rows])).order_by(PartyMember.full_name))).all()
    assert [tuple(r) for r in on_roster] == [("Nguyễn Hữu Phước", (await roster_member(
        db, "Nguyễn Hữu Phước")).since), ("Võ Thị Hoa", date(2025, 7, 1))]
    assert fold("Võ Thị Hoa") not in ex.roster


def test_a_name_that_only_holds_another_is_not_near_it():
    ex = existing(held("Nguyễn Thị Mai", date(1999, 1, 1)))
    assert rw._near(row("Nguyễn Thị Mai Anh", date(1999, 9, 5)), ex) is None
