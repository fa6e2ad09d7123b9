"""The admission's facts as they are written, asked directly on the demo (models/admission.py:
`record`, `load_subject` and its queries): each fact's columns of the admission record, the stage
change with its history line, a failed vote's row, the roster rows that follow a ceremony, a
recognition, a striking off and a move, and nothing at all when a rule refuses (mutation testing
of models/admission.py found these reached only by the slow flow tests).

On the demo (today 02/03/2026) Đặng Ngọc Lan is in dossier since 01/01/2026 with a complete file,
Bùi Quốc Huy proposed (the branch's resolution 05/02), Tạ Minh Đức admitted (decision 10/02,
received 15/02), Hoàng Mai Anh probationary since her ceremony on 14/08/2025; the demo branch's
roster holds 11 official members and Hoàng Mai Anh."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, SECOND_BRANCH
from models import admission as adm
from models.admission import (
    BranchVote, BranchVoteFailed, Ceremony, Decision, DecisionRefused, Extended, Extension, FailedVote,
    PersonalHistory, Recognition, RecognitionVote, RecognitionVoteFailed, StrikeOff, Subject, Transfer,
)
from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord, DossierEntry
from models.dossier_items import CURRENT_VERSION
from models.eligibility import Introduction
from models.org import Organisation
from models.people import Person
from models.roster import LeftReason, MemberStatus, PartyMember, Standing
from models.rules import Refusal
from models.stage import Role, Stage

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the demo was made at this moment
NOW = START + timedelta(hours=3)  # and the facts are recorded at this one
TODAY = date(2026, 3, 2)
SECRETARY = frozenset({Role.secretary})
LAN, HUY, DUC, ANH, HUYEN = "Đặng Ngọc Lan", "Bùi Quốc Huy", "Tạ Minh Đức", "Hoàng Mai Anh", "Cao Thị Huyền"
# Hoàng Mai Anh's probation ends on 14/08/2026: her recognition vote is a day of late August.
AUGUST = date(2026, 8, 24)


async def cid(db, name) -> int:
    return (await db.exec(sa.select(Candidate.id).where(Candidate.full_name == name))).scalar_one()


async def get(db, model, **by):
    return (await db.exec(select(model).filter_by(**by))).one()


async def branch(db, name) -> int:
    return (await db.exec(sa.select(Organisation.id).where(Organisation.name == name))).scalar_one()


async def person(db, name) -> int:
    return (await db.exec(sa.select(Person.id).where(Person.full_name == name)
                          .order_by(Person.id).limit(1))).scalar_one()


def utc(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def plain(row) -> dict:
    return {col.key: utc(getattr(row, col.key)) for col in type(row).__table__.columns}


async def world(db, candidate_id: int) -> dict:
    """Everything `record` may touch, read back from the database."""
    db.expunge_all()
    c = await get(db, Candidate, id=candidate_id)
    record = (await db.exec(select(AdmissionRecord).where(AdmissionRecord.candidate_id == candidate_id))).first()
    changes = (await db.exec(select(StageChange).where(StageChange.candidate_id == candidate_id)
                             .order_by(StageChange.id))).all()
    failed = (await db.exec(select(FailedVote).order_by(FailedVote.id))).all()
    members = (await db.exec(select(PartyMember).order_by(PartyMember.id))).all()
    return {"candidate": plain(c), "record": plain(record) if record else None,
            "changes": [plain(x) for x in changes], "failed": [plain(x) for x in failed],
            "roster": [plain(m) for m in members]}


def change(candidate_id, from_stage, to_stage, on, reason, by) -> dict:
    """The history line a stage change adds (its id aside)."""
    return {"candidate_id": candidate_id, "from_stage": from_stage, "to_stage": to_stage, "on": on,
            "reason": reason, "by_person_id": by, "at": NOW}


def new_lines(before: dict, after: dict) -> list[dict]:
    assert after["changes"][:len(before["changes"])] == before["changes"]
    return [{k: v for k, v in line.items() if k != "id"} for line in after["changes"][len(before["changes"]):]]


def moved(before: dict, to_stage: Stage, on: date) -> dict:
    return before["candidate"] | {"stage": to_stage, "stage_since": on}


def written(before: dict, **columns) -> dict:
    return before["record"] | columns | {"updated_at": NOW}


async def save(db, c, fact, *, by=None, today=TODAY, roles=SECRETARY):
    return await adm.record(session=db, candidate_id=c, fact=fact, actor_roles=roles, by_person_id=by,
                            now=NOW, today=today)


async def set_record(db, candidate_id, **columns) -> None:
    row = await get(db, AdmissionRecord, candidate_id=candidate_id)
    for k, v in columns.items():
        setattr(row, k, v)
    db.add(row)
    await db.flush()


async def recognition_file(db, candidate_id, dated=date(2026, 8, 10)) -> None:
    db.add_all([DossierEntry(candidate_id=candidate_id, item=item, dated=dated, at=NOW)
                for item in ("CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")])
    await db.flush()


# ---- The branch's vote --------------------------------------------------------------------------

async def test_a_branch_vote_proposes_admission_and_clears_what_an_earlier_decision_left(db):
    lan, bithu = await cid(db, LAN), await person(db, "Nguyễn Thị Thu")
    # what a committee's earlier answer left on the record: the new proposal starts afresh
    await set_record(db, lan, refused_reason="Chưa đủ tiêu chuẩn", decision_on=date(2025, 12, 1),
                     decision_number="99-QĐ/ĐU", decision_received_on=date(2025, 12, 3))
    before = await world(db, lan)
    assert await save(db, lan, BranchVote(on=TODAY, votes_for=10, official_members=11), by=bithu) is None
    after = await world(db, lan)
    assert after["candidate"] == moved(before, Stage.proposed, TODAY)
    assert new_lines(before, after) == [change(lan, Stage.dossier, Stage.proposed, TODAY, None, bithu)]
    assert after["record"] == written(
        before, resolution_on=TODAY, votes_for=10, official_members=11, official_members_typed=False,
        refused_reason=None, decision_on=None, decision_number=None, decision_received_on=None)
    assert after["failed"] == before["failed"] and after["roster"] == before["roster"]


async def test_a_vote_typed_where_the_branch_keeps_no_roster_is_kept_as_typed(db):
    lan = await cid(db, LAN)
    c = await get(db, Candidate, id=lan)
    c.branch_id, c.number = await branch(db, SECOND_BRANCH), 99  # a branch without a roster
    db.add(c)
    await db.flush()
    before = await world(db, lan)
    assert await save(db, lan, BranchVote(on=TODAY, votes_for=2, official_members=3, typed=True)) is None
    after = await world(db, lan)
    assert after["record"] == written(before, resolution_on=TODAY, votes_for=2, official_members=3,
                                      official_members_typed=True)
    assert new_lines(before, after) == [change(lan, Stage.dossier, Stage.proposed, TODAY, None, None)]


async def test_a_failed_vote_is_kept_as_a_row_and_moves_nobody(db):
    lan, bithu = await cid(db, LAN), await person(db, "Nguyễn Thị Thu")
    before = await world(db, lan)
    assert await save(db, lan, BranchVoteFailed(on=TODAY, votes_for=5, official_members=11), by=bithu) is None
    after = await world(db, lan)
    assert [{k: v for k, v in f.items() if k != "id"} for f in after["failed"]] == [
        {"candidate_id": lan, "kind": "admission", "on": TODAY, "votes_for": 5, "official_members": 11,
         "official_members_typed": False, "by_person_id": bithu, "at": NOW}]
    assert after["failed"][0]["id"] is not None
    assert (after["candidate"], after["record"], after["changes"], after["roster"]) == (
        before["candidate"], before["record"], before["changes"], before["roster"])


async def test_a_failed_vote_typed_without_a_roster_says_so(db):
    lan = await cid(db, LAN)
    c = await get(db, Candidate, id=lan)
    c.branch_id, c.number = await branch(db, SECOND_BRANCH), 99
    db.add(c)
    await db.flush()
    assert await save(db, lan, BranchVoteFailed(on=TODAY, votes_for=1, official_members=3, typed=True)) is None
    (row,) = (await world(db, lan))["failed"]
    assert (row["kind"], row["votes_for"], row["official_members"], row["official_members_typed"],
            row["by_person_id"]) == ("admission", 1, 3, True, None)


# ---- The committee's answer -------------------------------------------------------------------------

async def test_a_decision_admits_from_the_day_it_arrived_and_clears_a_refusal(db):
    huy, hung = await cid(db, HUY), await person(db, "Phan Văn Hùng")
    await set_record(db, huy, refused_reason="an earlier round")
    before = await world(db, huy)
    fact = Decision(on=date(2026, 2, 20), number="130-QĐ/ĐU", received_on=date(2026, 2, 25))
    assert await save(db, huy, fact, by=hung, roles=frozenset({Role.deputy})) is None
    after = await world(db, huy)
    assert after["candidate"] == moved(before, Stage.admitted, date(2026, 2, 25))
    assert new_lines(before, after) == [change(huy, Stage.proposed, Stage.admitted, date(2026, 2, 25), None, hung)]
    assert after["record"] == written(before, decision_on=date(2026, 2, 20), decision_number="130-QĐ/ĐU",
                                      decision_received_on=date(2026, 2, 25), refused_reason=None)
    assert after["roster"] == before["roster"]


async def test_a_refusal_sends_back_to_dossier_with_its_reason(db):
    huy = await cid(db, HUY)
    before = await world(db, huy)
    assert await save(db, huy, DecisionRefused(on=date(2026, 2, 20), reason="Chưa đủ tiêu chuẩn")) is None
    after = await world(db, huy)
    assert after["candidate"] == moved(before, Stage.dossier, date(2026, 2, 20))
    assert new_lines(before, after) == [
        change(huy, Stage.proposed, Stage.dossier, date(2026, 2, 20), "Chưa đủ tiêu chuẩn", None)]
    assert after["record"] == written(before, refused_reason="Chưa đủ tiêu chuẩn")


async def test_an_extension_of_the_admission_decision_keeps_its_day_and_paper_and_moves_nobody(db):
    huy = await cid(db, HUY)
    before = await world(db, huy)
    fact = Extension(kind=Extended.decision, on=date(2026, 2, 27), by="Công văn 12-CV/ĐU")
    assert await save(db, huy, fact) is None
    after = await world(db, huy)
    assert after["record"] == written(before, decision_extended_on=date(2026, 2, 27),
                                      decision_extended_by="Công văn 12-CV/ĐU")
    assert (after["candidate"], after["changes"]) == (before["candidate"], before["changes"])


# ---- The ceremony and the probation ----------------------------------------------------------------

async def test_a_ceremony_puts_the_new_member_on_the_roster_as_probationary(db):
    duc = await cid(db, DUC)
    db.add(Person(full_name=DUC, created_at=START))
    await db.flush()
    duc_person = await person(db, DUC)
    c = await get(db, Candidate, id=duc)
    c.person_id = duc_person
    db.add(c)
    await db.flush()
    tp = await branch(db, BRANCH)
    before = await world(db, duc)
    assert await save(db, duc, Ceremony(on=date(2026, 3, 1))) is None
    after = await world(db, duc)
    assert after["candidate"] == moved(before, Stage.probationary, date(2026, 3, 1))
    assert new_lines(before, after) == [change(duc, Stage.admitted, Stage.probationary, date(2026, 3, 1), None, None)]
    assert after["record"] == written(before, ceremony_on=date(2026, 3, 1), ceremony_consent_on=None,
                                      ceremony_consent_by=None)
    assert after["roster"][:-1] == before["roster"]
    added = after["roster"][-1]
    assert {k: v for k, v in added.items() if v is not None} == {
        "id": added["id"], "org_id": tp, "full_name": DUC, "status": MemberStatus.probationary,
        "since": date(2026, 3, 1), "person_id": duc_person, "candidate_id": duc, "at": NOW}


async def test_a_late_ceremony_keeps_the_consent_with_the_record_and_as_the_change_s_reason(db):
    duc = await cid(db, DUC)
    before = await world(db, duc)
    # due by 03/04/2026 (30 working days after 15/02): the 10th of April needs the consent
    fact = Ceremony(on=date(2026, 4, 10), consent="Công văn 20-CV/ĐU", consent_on=date(2026, 4, 6))
    assert await save(db, duc, fact, today=date(2026, 4, 15)) is None
    after = await world(db, duc)
    assert after["record"] == written(before, ceremony_on=date(2026, 4, 10), ceremony_consent_on=date(2026, 4, 6),
                                      ceremony_consent_by="Công văn 20-CV/ĐU")
    assert new_lines(before, after) == [
        change(duc, Stage.admitted, Stage.probationary, date(2026, 4, 10), "Công văn 20-CV/ĐU", None)]
    assert (after["roster"][-1]["full_name"], after["roster"][-1]["person_id"]) == (DUC, None)


async def test_a_personal_history_keeps_its_day(db):
    anh = await cid(db, ANH)
    before = await world(db, anh)
    assert await save(db, anh, PersonalHistory(on=date(2026, 3, 1))) is None
    after = await world(db, anh)
    assert after["record"] == written(before, personal_history_on=date(2026, 3, 1))
    assert (after["candidate"], after["changes"], after["roster"]) == (
        before["candidate"], before["changes"], before["roster"])


# ---- Recognition ---------------------------------------------------------------------------------

async def test_a_recognition_vote_keeps_its_counts_and_the_member_stays_probationary(db):
    anh = await cid(db, ANH)
    await recognition_file(db, anh)
    before = await world(db, anh)
    fact = RecognitionVote(on=date(2026, 8, 17), votes_for=9, official_members=11)
    assert await save(db, anh, fact, today=AUGUST) is None
    after = await world(db, anh)
    assert after["record"] == written(before, recognition_resolution_on=date(2026, 8, 17), recognition_votes_for=9,
                                      recognition_members=11, recognition_members_typed=False)
    assert (after["candidate"], after["changes"], after["roster"], after["failed"]) == (
        before["candidate"], before["changes"], before["roster"], before["failed"])


async def test_a_failed_recognition_vote_is_kept_as_a_row_of_its_kind(db):
    anh, bithu = await cid(db, ANH), await person(db, "Nguyễn Thị Thu")
    await recognition_file(db, anh)
    before = await world(db, anh)
    fact = RecognitionVoteFailed(on=date(2026, 8, 17), votes_for=7, official_members=11)
    assert await save(db, anh, fact, by=bithu, today=AUGUST) is None
    after = await world(db, anh)
    assert [{k: v for k, v in f.items() if k != "id"} for f in after["failed"]] == [
        {"candidate_id": anh, "kind": "recognition", "on": date(2026, 8, 17), "votes_for": 7, "official_members": 11,
         "official_members_typed": False, "by_person_id": bithu, "at": NOW}]
    assert (after["candidate"], after["record"], after["changes"], after["roster"]) == (
        before["candidate"], before["record"], before["changes"], before["roster"])


async def test_a_recognition_makes_the_member_official_on_the_roster_from_its_day(db):
    anh, bithu = await cid(db, ANH), await person(db, "Nguyễn Thị Thu")
    await recognition_file(db, anh)
    assert await save(db, anh, RecognitionVote(on=date(2026, 8, 17), votes_for=9, official_members=11),
                      today=AUGUST) is None
    extension = Extension(kind=Extended.recognition, on=date(2026, 8, 20), by="Công văn 30-CV/ĐU")
    before = await world(db, anh)
    assert await save(db, anh, extension, today=AUGUST) is None
    after = await world(db, anh)
    assert after["record"] == written(before, recognition_extended_on=date(2026, 8, 20),
                                      recognition_extended_by="Công văn 30-CV/ĐU")
    assert after["changes"] == before["changes"]
    before = after
    assert await save(db, anh, Recognition(on=date(2026, 8, 21), number="41-QĐ/ĐU"), by=bithu, today=AUGUST) is None
    after = await world(db, anh)
    assert after["candidate"] == moved(before, Stage.official, date(2026, 8, 21))
    assert new_lines(before, after) == [change(anh, Stage.probationary, Stage.official, date(2026, 8, 21), None, bithu)]
    assert after["record"] == written(before, recognition_decision_on=date(2026, 8, 21), recognition_number="41-QĐ/ĐU")
    ours = next(i for i, m in enumerate(before["roster"]) if m["candidate_id"] == anh)
    assert after["roster"] == [m if i != ours else m | {"status": MemberStatus.official, "since": date(2026, 8, 21),
                                                        "at": NOW}
                               for i, m in enumerate(before["roster"])]


async def test_a_member_struck_off_leaves_the_roster_with_that_reason(db):
    anh = await cid(db, ANH)
    before = await world(db, anh)
    assert await save(db, anh, StrikeOff(on=date(2026, 3, 1), reason="Không đủ tư cách")) is None
    after = await world(db, anh)
    assert after["candidate"] == moved(before, Stage.removed, date(2026, 3, 1))
    assert new_lines(before, after) == [
        change(anh, Stage.probationary, Stage.removed, date(2026, 3, 1), "Không đủ tư cách", None)]
    assert after["record"] == written(before, struck_off_reason="Không đủ tư cách")
    ours = next(i for i, m in enumerate(before["roster"]) if m["candidate_id"] == anh)
    assert after["roster"] == [
        m if i != ours else m | {"left_on": date(2026, 3, 1), "left_reason": LeftReason.struck_off, "moved_to": None,
                                 "at": NOW}
        for i, m in enumerate(before["roster"])]


# ---- Moving away ---------------------------------------------------------------------------------

async def test_a_member_who_moves_leaves_the_roster_for_where_they_go_and_the_record_stays(db):
    anh = await cid(db, ANH)
    before = await world(db, anh)
    fact = Transfer(on=date(2026, 3, 1), destination="Chi bộ Trường THPT Nguyễn Du", note="chuyển công tác")
    assert await save(db, anh, fact) is None
    after = await world(db, anh)
    assert after["candidate"] == moved(before, Stage.transferred, date(2026, 3, 1))
    assert new_lines(before, after) == [change(anh, Stage.probationary, Stage.transferred, date(2026, 3, 1),
                                               "Chi bộ Trường THPT Nguyễn Du: chuyển công tác", None)]
    assert after["record"] == before["record"]  # not even its time of update
    ours = next(i for i, m in enumerate(before["roster"]) if m["candidate_id"] == anh)
    assert after["roster"] == [
        m if i != ours else m | {"left_on": date(2026, 3, 1), "left_reason": LeftReason.moved,
                                 "moved_to": "Chi bộ Trường THPT Nguyễn Du", "at": NOW}
        for i, m in enumerate(before["roster"])]


async def test_a_candidate_who_moves_before_admission_touches_no_record_and_no_roster(db):
    an = await cid(db, "Nguyễn Văn An")  # a source: no admission record, not on the roster
    before = await world(db, an)
    assert before["record"] is None
    assert await save(db, an, Transfer(on=TODAY, destination="Trường THPT Nguyễn Du")) is None
    after = await world(db, an)
    assert after["candidate"] == moved(before, Stage.transferred, TODAY)
    assert new_lines(before, after) == [change(an, Stage.source, Stage.transferred, TODAY, "Trường THPT Nguyễn Du",
                                               None)]
    assert (after["record"], after["roster"]) == (None, before["roster"])


# ---- A record made by the first fact written --------------------------------------------------------

async def test_the_first_fact_written_makes_the_admission_record(db):
    lan = await cid(db, LAN)
    await db.exec(sa.delete(AdmissionRecord).where(AdmissionRecord.candidate_id == lan))
    assert (await world(db, lan))["record"] is None
    assert await save(db, lan, BranchVote(on=TODAY, votes_for=11, official_members=11)) is None
    assert (await world(db, lan))["record"] == plain(AdmissionRecord(
        candidate_id=lan, resolution_on=TODAY, votes_for=11, official_members=11, official_members_typed=False,
        updated_at=NOW))


# ---- Refused: nothing written ----------------------------------------------------------------------

@pytest.mark.parametrize("name, fact, roles, code", [
    (HUY, BranchVote(on=TODAY, votes_for=10, official_members=11), SECRETARY, "admission_wrong_stage"),
    (LAN, BranchVote(on=TODAY, votes_for=10, official_members=10), SECRETARY, "members_not_roster"),
    (LAN, BranchVoteFailed(on=TODAY, votes_for=5, official_members=11), frozenset({Role.sponsor}),
     "not_secretary_or_deputy"),
    (DUC, Ceremony(on=date(2026, 3, 3)), SECRETARY, "date_in_future"),
    (ANH, RecognitionVote(on=date(2026, 3, 1), votes_for=9, official_members=11), SECRETARY,
     "admission_probation_not_over"),
    (ANH, Transfer(on=date(2026, 3, 1), destination="x" * 501), SECRETARY, "transfer_too_long"),
    (ANH, StrikeOff(on=date(2025, 8, 1), reason="x"), SECRETARY, "before_last_change"),
])
async def test_a_fact_a_rule_refuses_is_returned_and_nothing_is_written(db, name, fact, roles, code):
    c = await cid(db, name)
    before = await world(db, c)
    refusal = await save(db, c, fact, roles=roles)
    assert isinstance(refusal, Refusal) and refusal.code == code
    assert await world(db, c) == before


async def test_an_unknown_candidate_is_a_lookup_error(db):
    missing = (await db.exec(sa.select(sa.func.max(Candidate.id)))).scalar_one() + 1
    with pytest.raises(LookupError) as raised:
        await save(db, missing, PersonalHistory(on=TODAY))
    assert raised.value.args == (missing,)


# ---- What a conversation starts from -----------------------------------------------------------------

async def test_a_subject_holds_the_candidate_the_file_the_roster_and_the_introducers(db):
    lan, tp = await cid(db, LAN), await branch(db, BRANCH)
    c = await get(db, Candidate, id=lan)
    s = await adm.load_subject(session=db, candidate_id=lan)
    bình = await get(db, PartyMember, full_name="Trần Văn Bình")
    roster = tuple(Standing(MemberStatus(m.status), m.since, m.left_on, m.received_on) for m in (await db.exec(
        select(PartyMember).where(PartyMember.org_id == tp).order_by(PartyMember.id))).all())
    assert len(roster) == 12 and s.official_members_on(TODAY) == 11
    assert s == Subject(
        id=lan, number=c.number, full_name=LAN, branch_id=tp, stage=Stage.dossier, stage_since=date(2026, 1, 1),
        birth_date=date(1997, 2, 28), youth_union=True, trade_union_route=False, certificate_on=date(2025, 10, 28),
        file={"CN-NTVĐ": date(2025, 10, 28), "1-KNĐ": date(2026, 1, 3), "2-KNĐ": date(2026, 1, 21),
              "3-KNĐ": date(2026, 1, 26), "4-KNĐ": date(2026, 1, 23), "5-KNĐ": date(2026, 1, 31)},
        file_applies=("4-KNĐ",), version=CURRENT_VERSION, roster=roster,
        introducers=(Introduction(bình.id, "Trần Văn Bình", Standing(MemberStatus.official, date(2017, 3, 4)),
                                  date(2023, 3, 3)),))


async def test_a_subject_holds_every_date_and_count_of_the_admission_record(db):
    huyen = await cid(db, HUYEN)
    await set_record(db, huyen, votes_for=10, official_members=11, decision_extended_on=date(2024, 10, 30),
                     recognition_extended_on=date(2026, 1, 5), trade_union_route=True, version=CURRENT_VERSION)
    db.add_all([DossierEntry(candidate_id=huyen, item=item, dated=dated, at=NOW) for item, dated in [
        ("CN-NTVĐ", date(2024, 6, 1)), ("CN-ĐVM", date(2025, 3, 1)),
        # the partial committees' appraisals: conditional items that apply once recorded
        ("7-KNĐ", date(2024, 10, 10)), ("14-KNĐ", date(2026, 1, 2))]])
    await db.flush()
    s = await adm.load_subject(session=db, candidate_id=huyen)
    assert (s.stage, s.stage_since, s.birth_date, s.youth_union, s.trade_union_route) == (
        Stage.official, date(2026, 1, 31), date(1992, 1, 15), True, True)
    assert (s.certificate_on, s.new_member_certificate_on) == (date(2024, 6, 1), date(2025, 3, 1))
    assert {k: getattr(s, k) for k in (
        "resolution_on", "votes_for", "official_members", "decision_on", "decision_number", "decision_received_on",
        "decision_extended_on", "ceremony_on", "personal_history_on", "recognition_resolution_on",
        "recognition_votes_for", "recognition_members", "recognition_extended_on")} == {
        "resolution_on": date(2024, 9, 28), "votes_for": 10, "official_members": 11,
        "decision_on": date(2024, 11, 27), "decision_number": "31-QĐ/ĐU", "decision_received_on": date(2024, 12, 2),
        "decision_extended_on": date(2024, 10, 30), "ceremony_on": date(2024, 12, 12),
        "personal_history_on": date(2024, 12, 27), "recognition_resolution_on": date(2025, 12, 22),
        "recognition_votes_for": 10, "recognition_members": 11, "recognition_extended_on": date(2026, 1, 5)}
    assert s.file == {"CN-NTVĐ": date(2024, 6, 1), "CN-ĐVM": date(2025, 3, 1), "7-KNĐ": date(2024, 10, 10),
                      "14-KNĐ": date(2026, 1, 2), "6-KNĐ": date(2024, 9, 28), "9-KNĐ": date(2024, 11, 27)}
    assert s.file_applies == ("14-KNĐ", "4-KNĐ", "7-KNĐ") and s.introducers == ()  # in one order, kept as JSON


async def test_a_candidate_without_a_record_is_a_subject_with_no_dates(db):
    an, tp = await cid(db, "Nguyễn Văn An"), await branch(db, BRANCH)
    c = await get(db, Candidate, id=an)
    s = await adm.load_subject(session=db, candidate_id=an)
    assert replace(s, roster=()) == Subject(
        id=an, number=c.number, full_name="Nguyễn Văn An", branch_id=tp, stage=Stage.source,
        stage_since=date(2026, 2, 10), birth_date=date(1998, 4, 12), youth_union=True, file_applies=("4-KNĐ",))
    assert len(s.roster) == 12


async def test_a_subject_is_found_only_within_the_scope_asked(db):
    lan, tp, second = await cid(db, LAN), await branch(db, BRANCH), await branch(db, SECOND_BRANCH)
    assert (await adm.load_subject(session=db, candidate_id=lan, where=Candidate.branch_id == tp)).id == lan
    assert await adm.load_subject(session=db, candidate_id=lan, where=Candidate.branch_id == second) is None
    missing = (await db.exec(sa.select(sa.func.max(Candidate.id)))).scalar_one() + 1
    assert await adm.load_subject(session=db, candidate_id=missing) is None
    thang = await adm.load_subject(session=db, candidate_id=await cid(db, "Ngô Đức Thắng"))
    assert (thang.branch_id, thang.roster, thang.has_roster, thang.official_members_on(TODAY)) == (
        second, (), False, None)


async def test_the_candidates_at_some_stages_come_a_page_at_a_time_in_pipeline_order(db):
    tp, second = await branch(db, BRANCH), await branch(db, SECOND_BRANCH)
    stages = (Stage.admitted, Stage.dossier, Stage.proposed)

    async def page(where, offset=0, limit=10):
        found, total = await adm.candidates_at(session=db, where=where, stages=stages, offset=offset, limit=limit)
        return [c.full_name for c in found], total

    assert await page(Candidate.branch_id == tp) == ([LAN, HUY, DUC], 3)
    assert await page(Candidate.branch_id == tp, offset=1, limit=1) == ([HUY], 3)
    assert await page(Candidate.branch_id == second) == ([], 0)
    assert await page(sa.true()) == ([LAN, HUY, DUC], 3)


# ---- What the checklist still lacks for a vote -------------------------------------------------------

async def test_the_dossier_s_gaps_are_read_from_its_entries_on_the_vote_s_day(db):
    lan = await cid(db, LAN)
    s = await adm.load_subject(session=db, candidate_id=lan)
    assert await adm.dossier_gaps(session=db, subject=s, on=TODAY) == []
    # a paper dated after the meeting, and an entry chibo does not know (never named)
    db.add(DossierEntry(candidate_id=lan, item="X-KNĐ", dated=date(2026, 1, 1), at=NOW))
    await db.flush()
    assert await adm.dossier_gaps(session=db, subject=s, on=date(2026, 1, 30)) == [
        Refusal("item_after_meeting", {"item": "5-KNĐ", "dated": date(2026, 1, 31), "on": date(2026, 1, 30)})]
    await db.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == lan,
                                                DossierEntry.item.in_(["4-KNĐ", "CN-NTVĐ"])))
    # the union's resolution, for a Youth Union member or on the Trade Union route
    assert await adm.dossier_gaps(session=db, subject=s, on=TODAY) == [Refusal("item_missing", {"item": "4-KNĐ"})]
    neither = replace(s, youth_union=False)
    assert await adm.dossier_gaps(session=db, subject=neither, on=TODAY) == []
    assert await adm.dossier_gaps(session=db, subject=replace(neither, trade_union_route=True), on=TODAY) == [
        Refusal("item_missing", {"item": "4-KNĐ"})]
    # the certificate of a class counts where no entry holds it
    assert await adm.dossier_gaps(session=db, subject=replace(neither, certificate_on=None), on=TODAY) == [
        Refusal("item_missing", {"item": "CN-NTVĐ"})]


async def test_the_dossier_s_gaps_are_this_candidate_s_own(db):
    huy = await adm.load_subject(session=db, candidate_id=await cid(db, HUY))
    assert [r.values["item"] for r in await adm.dossier_gaps(session=db, subject=huy, on=TODAY)] == [
        "1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ"]


# ---- Failed votes --------------------------------------------------------------------------------

async def test_failed_votes_are_the_candidate_s_own_newest_first(db):
    lan, huy = await cid(db, LAN), await cid(db, HUY)

    def vote(c, on, votes, kind="admission"):
        return FailedVote(candidate_id=c, kind=kind, on=on, votes_for=votes, official_members=11, at=NOW)

    db.add_all([vote(lan, date(2026, 1, 10), 1), vote(lan, date(2026, 2, 10), 2), vote(huy, date(2026, 2, 20), 3),
                vote(lan, date(2026, 1, 10), 4, "recognition")])
    await db.flush()
    found = await adm.failed_votes(session=db, candidate_id=lan)
    assert [(f.on, f.votes_for, f.kind) for f in found] == [
        (date(2026, 2, 10), 2, "admission"), (date(2026, 1, 10), 4, "recognition"), (date(2026, 1, 10), 1, "admission")]
    assert await adm.failed_votes(session=db, candidate_id=await cid(db, DUC)) == []


# ---- A subject kept between the steps of a conversation (JSON) -----------------------------------

FULL = Subject(
    id=3, number=8, full_name="Hoàng Mai Anh", branch_id=2, stage=Stage.probationary, stage_since=date(2025, 8, 14),
    birth_date=date(1996, 8, 20), youth_union=True, trade_union_route=True, certificate_on=date(2024, 1, 2),
    new_member_certificate_on=date(2025, 10, 1), resolution_on=date(2025, 5, 21), votes_for=11, official_members=11,
    decision_on=date(2025, 7, 5), decision_number="88-QĐ/ĐU", decision_received_on=date(2025, 7, 10),
    decision_extended_on=date(2025, 6, 1), ceremony_on=date(2025, 8, 14), personal_history_on=date(2025, 9, 3),
    recognition_resolution_on=date(2026, 8, 17), recognition_votes_for=9, recognition_members=11,
    recognition_extended_on=date(2026, 8, 20), file={"10-KNĐ": date(2026, 8, 10)}, file_applies=("4-KNĐ",),
    version=CURRENT_VERSION,
    roster=(Standing(MemberStatus.official, date(2010, 1, 1)),
            Standing(MemberStatus.probationary, date(2025, 8, 14), date(2026, 3, 1))),
    introducers=(
        Introduction(7, "Trần Văn Bình", Standing(MemberStatus.official, date(2017, 3, 4)), date(2023, 3, 3)),
        # an introducer who has left the branch since
        Introduction(9, "Lê Thị Kim Oanh", Standing(MemberStatus.official, date(2011, 3, 6), date(2026, 1, 10)),
                     date(2020, 2, 2))))


def test_a_subject_is_kept_as_plain_json_and_read_back_the_same():
    kept = FULL.to_json()
    assert kept == {
        "id": 3, "number": 8, "full_name": "Hoàng Mai Anh", "branch_id": 2, "stage": "probationary",
        "stage_since": "2025-08-14", "birth_date": "1996-08-20", "youth_union": True, "trade_union_route": True,
        "certificate_on": "2024-01-02", "new_member_certificate_on": "2025-10-01", "resolution_on": "2025-05-21",
        "votes_for": 11, "official_members": 11, "decision_on": "2025-07-05", "decision_number": "88-QĐ/ĐU",
        "decision_received_on": "2025-07-10", "decision_extended_on": "2025-06-01", "ceremony_on": "2025-08-14",
        "personal_history_on": "2025-09-03", "recognition_resolution_on": "2026-08-17", "recognition_votes_for": 9,
        "recognition_members": 11, "recognition_extended_on": "2026-08-20", "file": {"10-KNĐ": "2026-08-10"},
        "file_applies": ["4-KNĐ"], "version": CURRENT_VERSION,
        "roster": [["official", "2010-01-01", None], ["probationary", "2025-08-14", "2026-03-01"]],
        "introducers": [[7, "Trần Văn Bình", "official", "2017-03-04", None, "2023-03-03"],
                        [9, "Lê Thị Kim Oanh", "official", "2011-03-06", "2026-01-10", "2020-02-02"]]}
    assert type(kept["stage"]) is str
    assert Subject.from_json(kept) == FULL
    bare = Subject(id=1, number=1, full_name="Nguyễn Văn An", branch_id=2, stage=Stage.source,
                   stage_since=date(2026, 2, 10), birth_date=date(1998, 4, 12))
    assert Subject.from_json(bare.to_json()) == bare


def test_a_subject_kept_before_the_file_roster_and_introducers_were_kept_reads_them_empty():
    old = {k: v for k, v in FULL.to_json().items() if k not in ("file", "file_applies", "roster", "introducers")}
    assert Subject.from_json(old) == replace(FULL, file={}, file_applies=(), roster=(), introducers=())


def test_probation_starts_at_the_ceremony_or_for_a_member_without_one_on_becoming_probationary():
    assert FULL.probation_start == date(2025, 8, 14)
    assert replace(FULL, ceremony_on=date(2025, 8, 20)).probation_start == date(2025, 8, 20)
    assert replace(FULL, ceremony_on=None, stage_since=date(2025, 9, 1)).probation_start == date(2025, 9, 1)
    assert replace(FULL, ceremony_on=None, stage=Stage.admitted).probation_start is None


def test_the_vote_s_denominator_is_the_roster_s_official_members_on_the_day():
    assert FULL.has_roster is True
    assert FULL.official_members_on(date(2026, 3, 1)) == 1
    assert replace(FULL, roster=(Standing(MemberStatus.probationary, date(2025, 8, 14)),)).official_members_on(
        date(2026, 3, 1)) == 0
    assert replace(FULL, roster=()).has_roster is False
