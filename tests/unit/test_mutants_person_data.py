"""Everything chibo holds about one person (models/person_data.py), on the points mutation testing
found unchecked by test_person_data_records.py, where the demo has no such rows: corrections,
surveys, failed votes and undoable actions of the subject beside another candidate's, the
subject's papers, a consent given as a person (an officer's, with no candidate record), and each
section by id, however the database holds the rows."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from models import person_data as pd
from models.admission import FailedVote
from models.candidate_edit import CandidateEdit
from models.consent import BASIC, NOTICE_VERSION, OFFICER_PURPOSES, Consent, GivenBy, Method
from models.dossier import DossierEntry
from models.erasure import Subject
from models.review import SourceSurvey
from models.undo import UndoableAction, UndoKind
from tests.unit.demo_rows import candidate, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def rows_of(candidate_id: int) -> list:
    return [CandidateEdit(candidate_id=candidate_id, field="unit", on=TODAY, at=NOW),
            CandidateEdit(candidate_id=candidate_id, field="note", on=TODAY, at=NOW),
            SourceSurvey(candidate_id=candidate_id, period="2026-Q1", assessment="good", at=NOW),
            FailedVote(candidate_id=candidate_id, on=TODAY, votes_for=1, official_members=5, at=NOW),
            UndoableAction(candidate_id=candidate_id, kind=UndoKind.review, on=TODAY, at=NOW)]


async def test_the_subject_s_own_rows_in_order_where_the_demo_has_none(db):
    minh, lan = await candidate(db, "Lê Hoàng Minh"), await candidate(db, "Đặng Ngọc Lan")
    mine, others = rows_of(minh.id), rows_of(lan.id)
    db.add_all(others)
    db.add_all(mine)
    await db.flush()
    later = CandidateEdit(id=900001, candidate_id=minh.id, field="unit", on=TODAY, at=NOW)
    db.add(later)  # held before the one below, though its id is greater
    await db.flush()
    db.add(CandidateEdit(id=900000, candidate_id=minh.id, field="note", on=TODAY, at=NOW))
    await db.flush()
    data = await pd.person_data(session=db, subject=Subject(person_ids=[minh.person_id], candidate_ids=[minh.id]))
    assert [r["id"] for r in data["edits"]] == [mine[0].id, mine[1].id, 900000, 900001]
    assert [(r["id"], r["assessment"]) for r in data["surveys"]] == [(mine[2].id, "good")]
    assert [(r["id"], r["votes_for"]) for r in data["failed_votes"]] == [(mine[3].id, 1)]
    assert [(r["id"], r["kind"]) for r in data["undo"]] == [(mine[4].id, "review")]
    lan_data = await pd.person_data(session=db, subject=Subject(person_ids=[], candidate_ids=[lan.id]))
    papers = list((await db.exec(sa.select(DossierEntry.id).where(DossierEntry.candidate_id == lan.id)
                                 .order_by(DossierEntry.id))).scalars())
    assert [r["id"] for r in lan_data["dossier"]] == papers and len(papers) == 6
    assert [r["id"] for r in data["dossier"]] == []


async def test_a_consent_given_as_a_person_is_theirs(db):
    thu = await person(db, "Nguyễn Thị Thu")
    consent = Consent(person_id=thu, notice_version=NOTICE_VERSION, purposes=OFFICER_PURPOSES, categories=BASIC,
                      given_by=GivenBy.self, method=Method.paper, given_on=TODAY, at=NOW)
    db.add(consent)
    await db.flush()
    data = await pd.person_data(session=db, subject=Subject(person_ids=[thu], candidate_ids=[]))
    assert [(c["id"], c["person_id"], c["candidate_id"], c["purposes"]) for c in data["consents"]] == [
        (consent.id, thu, None, "branch_work")]
