"""Everything chibo holds about one person (models/person_data.py), asked directly on the demo:
each section holds the subject's rows only, in the order they were made, as JSON holds them,
without the codes' hashes or the messages' keys; the audit entries about them or made by them."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH
from models import person_data as pd
from models.admission import FailedVote
from models.audit import audit
from models.candidate import Candidate, StageChange
from models.candidate_edit import CandidateEdit
from models.checkin import Checkin
from models.consent import RequestKind, new_request
from models.dossier import AdmissionRecord, DossierEntry
from models.erasure import Subject
from models.org import Organisation
from models.outbox import Outbox
from models.party_class import Enrollment
from models.people import Invite, Person
from models.review import MonthlyReview, SourceSurvey
from models.roster import PartyMember
from models.stage import Role, Stage
from models.undo import UndoableAction

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
MINH = "Lê Hoàng Minh"
BY_CANDIDATE = {"stage_changes": StageChange, "edits": CandidateEdit, "checkins": Checkin, "reviews": MonthlyReview,
                "surveys": SourceSurvey, "dossier": DossierEntry, "admission": AdmissionRecord,
                "failed_votes": FailedVote, "classes": Enrollment, "undo": UndoableAction}


def test_values_as_json_holds_them():
    assert pd.plain(date(2026, 3, 2)) == "2026-03-02"
    assert pd.plain(datetime(2026, 3, 2, 2, 0)) == "2026-03-02T02:00:00"
    assert pd.plain(Stage.source) == "source" and pd.plain(Role.deputy) == "deputy"
    assert pd.plain(7) == 7 and pd.plain(None) is None


async def test_every_section_holds_the_subjects_rows_only(db):
    for name in (MINH, "Hoàng Mai Anh", "Tạ Minh Đức", "Bùi Quốc Huy"):
        cand = (await db.exec(sa.select(Candidate).where(Candidate.full_name == name))).scalar_one()
        people = [cand.person_id] if cand.person_id else []
        data = await pd.person_data(session=db, subject=Subject(person_ids=people, candidate_ids=[cand.id]))
        assert list(data) == list(pd.SECTIONS)
        assert [r["id"] for r in data["candidates"]] == [cand.id]
        assert data["candidates"][0]["stage"] == Stage(cand.stage).value
        for section, table in BY_CANDIDATE.items():
            pk = sa.inspect(table).primary_key[0]
            mine = list((await db.exec(sa.select(pk).where(table.candidate_id == cand.id).order_by(pk))).scalars())
            assert [r[pk.key] for r in data[section]] == mine, (name, section)
        assert [r["id"] for r in data["person"]] == people
        roster = list((await db.exec(sa.select(PartyMember.id).where(PartyMember.candidate_id == cand.id))).scalars())
        assert [r["id"] for r in data["roster"]] == roster


async def test_a_subject_with_rows_everywhere_and_others_beside(db):
    minh = (await db.exec(sa.select(Candidate).where(Candidate.full_name == MINH))).scalar_one()
    me = minh.person_id
    other = (await db.exec(sa.select(Person.id).where(Person.full_name == "Nguyễn Thị Thu"))).scalar_one()
    branch = (await db.exec(sa.select(Organisation.id).where(Organisation.name == BRANCH))).scalar_one()
    db.add_all([
        Invite(code_hash="secret-hash", role=Role.candidate, org_id=branch, candidate_id=minh.id, expires_at=NOW,
               created_at=NOW),
        Invite(code_hash="mine-too", role=Role.sponsor, org_id=branch, person_id=me, expires_at=NOW, created_at=NOW),
        Invite(code_hash="not-mine", role=Role.sponsor, org_id=branch, person_id=other, expires_at=NOW,
               created_at=NOW),
        Outbox(key="secret-key", person_id=me, kind="k", template="t", values={"a": 1}, created_at=NOW, due_at=NOW),
        Outbox(key="other", person_id=other, kind="k", template="t", created_at=NOW, due_at=NOW),
        PartyMember(org_id=branch, full_name=MINH, status="official", since=TODAY, person_id=me, at=NOW),
    ])
    new_request(session=db, candidate_id=None, person_id=me, kind=RequestKind.erase, detail=None, today=TODAY,
                now=NOW, org_id=branch)
    new_request(session=db, candidate_id=minh.id, person_id=other, kind=RequestKind.correct, detail=None, today=TODAY,
                now=NOW)
    new_request(session=db, candidate_id=None, person_id=other, kind=RequestKind.correct, detail=None, today=TODAY,
                now=NOW, org_id=branch)
    for person_id, subject in [(None, f"candidate:{minh.id}"), (None, f"person:{me}"), (me, "candidate:999"),
                               (None, f"person:{me}@telegram"), (None, f"person:{me}0@telegram"),
                               (other, f"person:{other}"), (None, None)]:
        audit(session=db, at=NOW + timedelta(minutes=1), person_id=person_id, action="x", subject=subject)
    await db.flush()
    data = await pd.person_data(session=db, subject=Subject(person_ids=[me], candidate_ids=[minh.id]))
    assert [i["code_hash"] if "code_hash" in i else i["role"] for i in data["invites"]] == ["candidate", "sponsor"]
    assert [(m["person_id"], m["values"], "key" in m) for m in data["messages"]] == [(me, {"a": 1}, False)]
    assert [(r["kind"], r["made_on"]) for r in data["requests"]] == [("erase", "2026-03-02"), ("correct", "2026-03-02")]
    assert [r["full_name"] for r in data["roster"]] == [MINH]
    assert [(a["person_id"], a["subject"]) for a in data["audit"] if a["action"] == "x"] == [
        (None, f"candidate:{minh.id}"), (None, f"person:{me}"), (me, "candidate:999"), (None, f"person:{me}@telegram")]
    assert [(r["role"], r["org_id"]) for r in data["roles"]] == [("candidate", branch)]
    assert [(c["channel"], c["account_id"]) for c in data["chat_accounts"]] == [("console", "quanchung")]
    assert [c["given_by"] for c in data["consents"]] == ["self"]
    assert data["person"][0]["created_at"].startswith("2026-")


async def test_no_subject_no_rows(db):
    audit(session=db, at=NOW, person_id=None, action="x", subject=None)
    await db.flush()
    data = await pd.person_data(session=db, subject=Subject())
    assert {k: v for k, v in data.items() if v} == {}
