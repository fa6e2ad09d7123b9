"""Erasing a person (models/erasure.py), asked directly on the demo, field by field: who the
subject is, what of them goes and what stays, and that nobody else's rows are touched
(tests/test_erasure.py checks the whole database for the name, through chat; mutation testing
of models/erasure.py wanted the parts one by one, fast). In the demo Lê Hoàng Minh (quanchung)
is a sympathizer with a person and a console chat, sponsored by Trần Văn Bình; Phạm Thu Hà is
another sympathizer of the branch; Cao Thị Huyền an official member, on the roster."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, SECOND_BRANCH
from models.audit import AuditLog, audit
from models.candidate import Candidate, StageChange
from models.candidate_edit import CandidateEdit
from models.checkin import Checkin
from models.consent import Consent, GivenBy, Method
from models.conversation import Conversation
from models.dossier import AdmissionRecord, DossierEntry
from models.erasure import (
    ERASE_ACTION, RETENTION_ACTION, Subject, active_candidacies, erase, find_subject, mentions, subject_of,
)
from models.org import Organisation
from models.outbox import Outbox, OutboxStatus
from models.party_class import Enrollment
from models.people import ChatLink, CodeAttempt, Invite, Person, RoleGrant
from models.reception import CandidateReception
from models.register_upload import RegisterUpload
from models.review import MonthlyReview, SourceSurvey
from models.roster import MemberStatus, PartyMember, add_member
from models.stage import Role, Stage
from models.undo import UndoableAction, UndoKind
from tests.unit.demo_rows import candidate, org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
GONE = "(đã xoá)"
MINH, HA, HUYEN, BINH = "Lê Hoàng Minh", "Phạm Thu Hà", "Cao Thị Huyền", "Trần Văn Bình"


def utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def code_of(db, name=BRANCH) -> str:
    return (await db.exec(sa.select(Organisation.code).where(Organisation.name == name))).scalar_one()


async def erased(db, subject, reason="Yêu cầu xoá", by=None):
    done = await erase(session=db, subject=subject, placeholder=GONE, now=NOW, today=TODAY, reason=reason,
                       by_person_id=by)
    db.expunge_all()
    return done


# ---- Who the subject is ------------------------------------------------------------------------

def test_a_subject_is_named_by_its_person_else_its_first_candidate():
    assert Subject(person_ids=[12], candidate_ids=[7]).subject == "person:12"
    assert Subject(candidate_ids=[7, 9]).subject == "candidate:7"
    assert Subject(person_ids=[3]) and Subject(candidate_ids=[3]) and not Subject(names=["x"]) and not Subject()


async def test_a_linked_candidate_is_found_from_either_end_with_every_name_longest_first(db):
    minh = await candidate(db, MINH)
    from_candidate = await subject_of(session=db, candidate_id=minh.id)
    from_person = await subject_of(session=db, person_id=minh.person_id)
    assert from_candidate == from_person
    assert (from_person.person_ids, from_person.candidate_ids, from_person.names) == (
        [minh.person_id], [minh.id], [MINH])
    assert from_person.subject == f"person:{minh.person_id}"
    person = await db.get(Person, minh.person_id)
    person.full_name = "Minh"
    db.add(person)
    await db.flush()
    assert (await subject_of(session=db, candidate_id=minh.id)).names == [MINH, "Minh"]


async def test_a_candidate_with_no_person_is_a_subject_with_their_roster_name(db):
    huyen = await candidate(db, HUYEN)
    subject = await subject_of(session=db, candidate_id=huyen.id)
    assert (subject.person_ids, subject.candidate_ids, subject.subject) == ([], [huyen.id], f"candidate:{huyen.id}")
    roster = (await db.exec(select(PartyMember).where(PartyMember.candidate_id == huyen.id))).one()
    roster.full_name = "Cao Huyền"
    db.add(roster)
    await db.flush()
    assert (await subject_of(session=db, candidate_id=huyen.id)).names == [HUYEN, "Cao Huyền"]


async def test_a_person_with_no_candidate_and_blank_names_left_out(db):
    binh = await person(db, BINH)
    subject = await subject_of(session=db, person_id=binh)
    assert (subject.person_ids, subject.candidate_ids, subject.names) == ([binh], [], [BINH])
    blank = Person(full_name="  ", created_at=NOW)
    db.add(blank)
    await db.flush()
    assert (await subject_of(session=db, person_id=blank.id)).names == []


async def test_nobody_there_is_an_empty_subject(db):
    assert await subject_of(session=db, candidate_id=10**6) == Subject()
    assert await subject_of(session=db, person_id=10**6) == Subject()
    assert await subject_of(session=db) == Subject()


async def test_an_operator_names_a_subject_by_person_number_or_reference(db):
    minh = await candidate(db, MINH)
    code = await code_of(db)
    assert (await find_subject(session=db, ref=f" {minh.person_id} ")).person_ids == [minh.person_id]
    by_ref = await find_subject(session=db, ref=f"{code}-{minh.number}")
    assert (by_ref.person_ids, by_ref.candidate_ids) == ([minh.person_id], [minh.id])
    huyen = await candidate(db, HUYEN)
    assert (await find_subject(session=db, ref=f"{code.lower()} {huyen.number}")).candidate_ids == [huyen.id]
    assert await find_subject(session=db, ref=MINH) == Subject()
    assert await find_subject(session=db, ref=f"{code}-999") == Subject()


async def test_a_reference_read_two_ways_finds_the_one_that_exists(db):
    huyen = await candidate(db, HUYEN)  # number 14: "TP14" is TP1-4 (no such branch) or TP-14
    code = await code_of(db)
    assert (await find_subject(session=db, ref=f"{code}{huyen.number}")).candidate_ids == [huyen.id]


async def test_only_the_candidacies_still_moving_are_active(db):
    minh, huyen = await candidate(db, MINH), await candidate(db, HUYEN)
    both = Subject(candidate_ids=[minh.id, huyen.id])
    assert [c.full_name for c in await active_candidacies(session=db, subject=both)] == [MINH]
    assert await active_candidacies(session=db, subject=Subject(candidate_ids=[huyen.id])) == []


def test_a_json_value_mentions_a_name_or_a_choice_id():
    assert mentions({"a": ["x", {"b": "Lê Hoàng Minh"}]}, [MINH], [])
    assert mentions([{"choice": "id:17"}], ["nobody"], ['"id:17"'])
    assert not mentions([{"choice": "id:170"}], ["nobody"], ['"id:17"'])
    assert mentions({"on": date(2026, 3, 2), "n": "Hà"}, ["Hà"], [])
    assert not mentions({"n": "Ha"}, ["Hà"], ['"id:1"'])


# ---- What goes and what stays ------------------------------------------------------------------

async def test_the_candidate_row_keeps_what_the_reports_count_under_the_placeholder(db):
    minh, ha = await candidate(db, MINH), await candidate(db, HA)
    minh.note, minh.unit, minh.ethnic_minority, minh.religious = "Ghi chú", "Tổ Toán", True, True
    db.add(minh)
    await db.flush()
    subject = await subject_of(session=db, candidate_id=minh.id)
    done = await erased(db, subject)
    assert (done.candidates, done.ended, done.people, done.chats) == (1, 1, 1, 1)
    row = await db.get(Candidate, minh.id)
    assert (row.full_name, row.name_folded, row.birth_date, row.birth_year_only) == (
        GONE, "(da xoa)", date(1995, 1, 1), True)
    assert (row.note, row.unit, row.ethnic_minority, row.religious, row.sponsor_id, utc(row.erased_at)) == (
        None, None, False, False, None, NOW)
    assert (row.stage, row.stage_since, row.gender, row.category) == (Stage.removed, TODAY, minh.gender,
                                                                       minh.category)
    last = (await db.exec(select(StageChange).where(StageChange.candidate_id == minh.id)
                          .order_by(StageChange.id.desc()))).first()
    assert (last.from_stage, last.to_stage, last.on, last.reason, last.by_person_id, utc(last.at)) == (
        Stage.sympathizer, Stage.removed, TODAY, None, None, NOW)
    other = await db.get(Candidate, ha.id)
    assert (other.full_name, other.stage, other.sponsor_id, other.erased_at) == (HA, Stage.sympathizer,
                                                                                 ha.sponsor_id, None)


async def test_a_member_already_out_of_the_pipeline_keeps_their_stage(db):
    huyen = await candidate(db, HUYEN)
    changes = sa.select(sa.func.count()).select_from(StageChange).where(StageChange.candidate_id == huyen.id)
    before = (await db.exec(changes)).scalar_one()
    done = await erased(db, await subject_of(session=db, candidate_id=huyen.id), reason=None)
    assert (done.candidates, done.ended, done.people, done.chats) == (1, 0, 0, 0)
    row = await db.get(Candidate, huyen.id)
    assert (row.stage, row.full_name, utc(row.erased_at)) == (Stage.official, GONE, NOW)
    assert (await db.exec(changes)).scalar_one() == before


async def test_the_free_text_of_the_candidates_records_goes_and_others_stay(db):
    minh, ha = await candidate(db, MINH), await candidate(db, HA)
    tp, thu = await org(db, BRANCH), await person(db, "Nguyễn Thị Thu")
    klass = (await db.exec(sa.select(Enrollment.class_id))).scalars().first()
    for c in (minh, ha):
        db.add_all([
            StageChange(candidate_id=c.id, to_stage=Stage.sympathizer, on=TODAY, reason="lý do", at=NOW),
            CandidateEdit(candidate_id=c.id, field="note", old_value="cũ", new_value="mới", on=TODAY, at=NOW),
            SourceSurvey(candidate_id=c.id, period="2026-Q1", assessment="good", note="khảo sát", at=NOW),
            DossierEntry(candidate_id=c.id, item="1-KNĐ", dated=TODAY, holder="Thu", number="01", at=NOW),
            Enrollment(class_id=klass, candidate_id=c.id, certificate_number="CN-1", at=NOW),
            AdmissionRecord(candidate_id=c.id, decision_number="1-QĐ", refused_reason="không", recognition_number="2",
                            struck_off_reason="xoá", updated_at=NOW),
            Invite(code_hash=f"h{c.id}", role=Role.candidate, org_id=tp, candidate_id=c.id, full_name="Tên",
                   expires_at=NOW, created_at=NOW),
            Consent(candidate_id=c.id, notice_version="1", purposes="p", categories="basic",
                    given_by=GivenBy.guardian, method=Method.paper, given_on=TODAY, guardian_name="Mẹ",
                    guardian_relation="mẹ", at=NOW),
            UndoableAction(candidate_id=c.id, kind=UndoKind.review, on=TODAY, at=NOW),
            CandidateReception(candidate_id=c.id, came_from="Chi bộ cũ", received_on=TODAY,
                               stage_there=Stage.source, since=TODAY, at=NOW),
        ])
        db.add(MonthlyReview(candidate_id=c.id, period="2025-01", decision="keep", reason="vẫn theo", at=NOW))
    await db.exec(sa.update(Checkin).values(note="gặp"))
    db.add(RegisterUpload(person_id=thu, org_id=tp, name="a.xlsx", data=b"x", at=NOW))
    await db.flush()
    await erased(db, await subject_of(session=db, candidate_id=minh.id))

    async def of(model, *columns, c):
        rows = (await db.exec(sa.select(*columns).where(model.candidate_id == c.id))).all()
        return {tuple(r) for r in rows}

    assert await of(StageChange, StageChange.reason, c=minh) == {(None,)}
    assert await of(CandidateEdit, CandidateEdit.old_value, CandidateEdit.new_value, c=minh) == {(None, None)}
    assert await of(Checkin, Checkin.note, c=minh) == {(None,)}
    assert await of(MonthlyReview, MonthlyReview.reason, c=minh) == {(None,)}
    assert await of(SourceSurvey, SourceSurvey.note, c=minh) == {(None,)}
    assert await of(DossierEntry, DossierEntry.holder, DossierEntry.number, c=minh) == {(None, None)}
    assert await of(Enrollment, Enrollment.certificate_number, c=minh) == {(None,)}
    assert await of(AdmissionRecord, AdmissionRecord.decision_number, AdmissionRecord.refused_reason,
                    AdmissionRecord.recognition_number, AdmissionRecord.struck_off_reason, c=minh) == {
        (None, None, None, None)}
    assert await of(Invite, Invite.full_name, c=minh) == {(None,)}
    assert await of(Consent, Consent.guardian_name, Consent.guardian_relation, c=minh) == {(None, None)}
    assert await of(UndoableAction, UndoableAction.id, c=minh) == set()
    assert await of(CandidateReception, CandidateReception.came_from, c=minh) == set()
    # The uploads of the branch go (a file may list the candidate); the other's records stay.
    assert (await db.exec(sa.select(sa.func.count()).select_from(RegisterUpload))).scalar_one() == 0
    assert ("lý do",) in await of(StageChange, StageChange.reason, c=ha)
    assert await of(CandidateEdit, CandidateEdit.old_value, CandidateEdit.new_value, c=ha) == {("cũ", "mới")}
    assert await of(Checkin, Checkin.note, c=ha) == {("gặp",)}
    assert ("vẫn theo",) in await of(MonthlyReview, MonthlyReview.reason, c=ha)
    assert await of(SourceSurvey, SourceSurvey.note, c=ha) == {("khảo sát",)}
    assert await of(DossierEntry, DossierEntry.holder, DossierEntry.number, c=ha) == {("Thu", "01")}
    assert await of(Enrollment, Enrollment.certificate_number, c=ha) == {("CN-1",)}
    assert await of(AdmissionRecord, AdmissionRecord.decision_number, AdmissionRecord.refused_reason,
                    AdmissionRecord.recognition_number, AdmissionRecord.struck_off_reason, c=ha) == {
        ("1-QĐ", "không", "2", "xoá")}
    assert await of(Invite, Invite.full_name, c=ha) == {("Tên",)}
    assert await of(Consent, Consent.guardian_name, Consent.guardian_relation, c=ha) == {("Mẹ", "mẹ")}
    assert len(await of(UndoableAction, UndoableAction.id, c=ha)) == 1
    assert await of(CandidateReception, CandidateReception.came_from, c=ha) == {("Chi bộ cũ",)}


async def test_a_person_loses_chats_roles_sponsorships_invites_and_uploads(db):
    binh, thu, tp = await person(db, BINH), await person(db, "Nguyễn Thị Thu"), await org(db, BRANCH)
    sponsored = list((await db.exec(sa.select(Candidate.id).where(Candidate.sponsor_id == binh))).scalars())
    assert sponsored
    link = (await db.exec(select(ChatLink).where(ChatLink.person_id == binh))).one()
    db.add_all([
        Conversation(channel=link.channel, chat_id=link.account_id, flow="x", updated_at=NOW),
        Conversation(channel=link.channel, chat_id="bithu", flow="y", updated_at=NOW),
        CodeAttempt(channel=link.channel, account_id=link.account_id, failures=2),
        CodeAttempt(channel=link.channel, account_id="bithu", failures=1),
        Invite(code_hash="b", role=Role.sponsor, org_id=tp, person_id=binh, full_name=BINH, expires_at=NOW,
               created_at=NOW),
        Invite(code_hash="t", role=Role.secretary, org_id=tp, person_id=thu, full_name="Thu", expires_at=NOW,
               created_at=NOW),
        RegisterUpload(person_id=binh, org_id=tp, name="b", data=b"b", at=NOW),
        RegisterUpload(person_id=thu, org_id=tp, name="t", data=b"t", at=NOW),
    ])
    await db.flush()
    done = await erased(db, await subject_of(session=db, person_id=binh))
    assert (done.candidates, done.ended, done.people, done.chats) == (0, 0, 1, 1)
    assert (await db.exec(select(ChatLink).where(ChatLink.person_id == binh))).all() == []
    assert [c.chat_id for c in (await db.exec(select(Conversation))).all()] == ["bithu"]
    assert [a.account_id for a in (await db.exec(select(CodeAttempt))).all()] == ["bithu"]
    assert (await db.exec(select(RoleGrant).where(RoleGrant.person_id == binh))).all() == []
    assert (await db.exec(select(RoleGrant).where(RoleGrant.person_id == thu))).all() != []
    assert (await db.exec(sa.select(Candidate.sponsor_id).where(Candidate.id.in_(sponsored)))).scalars().all() == [
        None] * len(sponsored)
    assert dict((await db.exec(sa.select(Invite.code_hash, Invite.full_name))).all()) == {"b": None, "t": "Thu"}
    assert list((await db.exec(sa.select(RegisterUpload.name))).scalars()) == ["t"]
    row = await db.get(Person, binh)
    assert (row.full_name, utc(row.erased_at)) == (GONE, NOW)
    assert (await db.get(Person, thu)).full_name == "Nguyễn Thị Thu"
    # On the roster he stays a member, without his name.
    assert (await db.exec(sa.select(PartyMember.full_name, PartyMember.status)
                          .where(PartyMember.person_id == binh))).one() == (GONE, MemberStatus.official)


async def test_an_unlinked_roster_row_with_their_name_loses_it_too(db):
    tp = await org(db, BRANCH)
    minh = await candidate(db, MINH)
    same = await add_member(db, org_id=tp, full_name="le hoang MINH", status=MemberStatus.official,
                            since=date(2020, 1, 1), now=NOW)
    other = await add_member(db, org_id=tp, full_name="Lê Hoàng Nam", status=MemberStatus.official,
                             since=date(2020, 1, 1), now=NOW)
    await db.flush()
    await erased(db, await subject_of(session=db, candidate_id=minh.id))
    assert (await db.get(PartyMember, same.id)).full_name == GONE
    assert (await db.get(PartyMember, other.id)).full_name == "Lê Hoàng Nam"


async def test_the_name_goes_from_the_free_text_of_others(db):
    minh, ha = await candidate(db, MINH), await candidate(db, HA)
    ha.note, ha.unit = f"Bạn của {MINH} và Minh", "Tổ có Lê Hoàng Minh"
    db.add(ha)
    db.add(AuditLog(at=NOW, action="x", subject="org:1", detail=f"nhập {MINH}"))
    db.add(AuditLog(at=NOW, action="x", subject=f"candidate:{minh.id}", detail="a.xlsx"))
    await db.flush()
    await erased(db, await subject_of(session=db, candidate_id=minh.id))
    row = await db.get(Candidate, ha.id)
    assert (row.note, row.unit) == (f"Bạn của {GONE} và Minh", f"Tổ có {GONE}")
    details = dict((await db.exec(sa.select(AuditLog.subject, AuditLog.detail).where(AuditLog.action == "x"))).all())
    assert details == {"org:1": f"nhập {GONE}", f"candidate:{minh.id}": None}


async def test_conversations_and_messages_that_mention_them_go_or_lose_their_body(db):
    minh, ha = await candidate(db, MINH), await candidate(db, HA)
    thu = await person(db, "Nguyễn Thị Thu")
    db.add_all([
        Conversation(channel="console", chat_id="bithu", flow="edit", data={"who": MINH}, updated_at=NOW),
        Conversation(channel="console", chat_id="b", flow="edit", choices=[f"id:{minh.id}"], updated_at=NOW),
        Conversation(channel="console", chat_id="c", flow="edit", data={"who": HA},
                     choices=[f"id:{minh.id}0"], updated_at=NOW),
    ])

    def message(key, who, values, status=OutboxStatus.pending):
        return Outbox(key=key, person_id=who, kind="k", template="t", values=values, created_at=NOW, due_at=NOW,
                      status=status)

    db.add_all([
        message("named", thu, {"name": MINH}), message("named sent", thu, {"name": MINH}, OutboxStatus.sent),
        message("named failed", thu, {"name": MINH}, OutboxStatus.failed),
        message("in flight", thu, {"name": MINH}, OutboxStatus.in_flight),
        message("by id", thu, {"candidate_id": minh.id}, OutboxStatus.sent),
        message("to him", minh.person_id, {"x": 1}, OutboxStatus.sent),
        message("empty", minh.person_id, {}, OutboxStatus.pending),
        message("other", thu, {"name": HA, "candidate_id": ha.id}),
    ])
    await db.flush()
    await erased(db, await subject_of(session=db, candidate_id=minh.id))
    assert [c.chat_id for c in (await db.exec(select(Conversation).order_by(Conversation.chat_id))).all()] == ["c"]
    left = {r.key: r.values for r in (await db.exec(select(Outbox))).all()}
    assert left == {"named sent": {}, "named failed": {}, "by id": {}, "to him": {}, "empty": {},
                    "other": {"name": HA, "candidate_id": ha.id}}


async def test_the_audit_keeps_the_erasure_with_the_reason_only_and_forgets_the_details(db):
    minh = await candidate(db, MINH)
    thu = await person(db, "Nguyễn Thị Thu")
    audit(session=db, at=NOW, person_id=thu, action="candidate.edit", subject=f"person:{minh.person_id}",
          detail="sửa tên")
    audit(session=db, at=NOW, person_id=thu, action="candidate.edit", subject="person:0", detail="giữ")
    await db.flush()
    subject = await subject_of(session=db, candidate_id=minh.id)
    await erased(db, subject, reason="Theo yêu cầu", by=thu)
    entries = (await db.exec(select(AuditLog).order_by(AuditLog.id))).all()
    assert {e.subject: e.detail for e in entries if e.action == "candidate.edit"} == {
        f"person:{minh.person_id}": None, "person:0": "giữ"}
    last = entries[-1]
    assert (utc(last.at), last.person_id, last.action, last.subject, last.detail) == (
        NOW, thu, ERASE_ACTION, f"person:{minh.person_id}", "Theo yêu cầu")
    assert ERASE_ACTION == "person.erase"


async def test_an_erasure_by_the_retention_rule_says_so(db):
    huyen = await candidate(db, HUYEN)
    await erased(db, await subject_of(session=db, candidate_id=huyen.id), reason=None)
    last = (await db.exec(select(AuditLog).order_by(AuditLog.id.desc()))).first()
    assert (last.person_id, last.action, last.subject, last.detail) == (
        None, RETENTION_ACTION, f"candidate:{huyen.id}", None)
    assert RETENTION_ACTION == "person.expire"


# ---- Found by mutation testing -----------------------------------------------------------------

async def test_a_chat_of_the_same_id_on_another_channel_is_someone_else_s(db):
    binh = await person(db, BINH)
    link = (await db.exec(select(ChatLink).where(ChatLink.person_id == binh))).one()
    other = "telegram" if link.channel != "telegram" else "console"
    db.add_all([
        Conversation(channel=link.channel, chat_id=link.account_id, flow="x", updated_at=NOW),
        Conversation(channel=other, chat_id=link.account_id, flow="y", updated_at=NOW),
        CodeAttempt(channel=link.channel, account_id=link.account_id, failures=2),
        CodeAttempt(channel=other, account_id=link.account_id, failures=1),
    ])
    await db.flush()
    await erased(db, await subject_of(session=db, person_id=binh))
    assert [(c.channel, c.chat_id) for c in (await db.exec(select(Conversation))).all()] == [
        (other, link.account_id)]
    assert [(a.channel, a.account_id) for a in (await db.exec(select(CodeAttempt))).all()] == [
        (other, link.account_id)]


async def test_roster_rows_of_the_same_name_elsewhere_or_linked_to_someone_else_keep_it(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    minh, binh = await candidate(db, MINH), await person(db, BINH)
    elsewhere = await add_member(db, org_id=second, full_name=MINH, status=MemberStatus.official,
                                 since=date(2020, 1, 1), now=NOW)
    linked = await add_member(db, org_id=tp, full_name=MINH, status=MemberStatus.official,
                              since=date(2020, 1, 1), now=NOW, person_id=binh)
    of_another = await add_member(db, org_id=tp, full_name=MINH, status=MemberStatus.official,
                                  since=date(2020, 1, 1), now=NOW, candidate_id=(await candidate(db, HA)).id)
    await db.flush()
    await erased(db, await subject_of(session=db, candidate_id=minh.id))
    assert [(await db.get(PartyMember, m.id)).full_name for m in (elsewhere, linked, of_another)] == [MINH] * 3


async def test_two_candidacies_of_one_person_both_end(db):
    minh, ha = await candidate(db, MINH), await candidate(db, HA)
    ha.person_id = minh.person_id  # one human, two records
    db.add(ha)
    await db.flush()
    done = await erased(db, await subject_of(session=db, person_id=minh.person_id))
    assert (done.candidates, done.ended, done.people) == (2, 2, 1)
    assert [(await db.get(Candidate, c)).stage for c in (minh.id, ha.id)] == [Stage.removed, Stage.removed]
