"""A candidate received from another place, written and read back directly on the demo
(models/reception.py's record_reception and received_history; mutation testing found them
reached by no fast test): where they came from, the stage brought and since when, a stage
change of its own, the certificate and the papers as dossier entries, the dossier's start, and
what the card shows afterwards. Nguyễn Văn An is a source (just added) in the demo."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord, DossierEntry
from models.reception import (
    CERTIFICATE, CandidateReception, Reception, ReceivedHistory, reception_of, received_history, record_reception,
)
from models.stage import Stage
from tests.unit.demo_rows import candidate, secretary

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
RECEIVED, SINCE = date(2026, 2, 20), date(2025, 12, 15)
AN = "Nguyễn Văn An"


async def rows(db, *columns, where, order_by=None) -> list[tuple]:
    """Read straight from the database (not the session's objects)."""
    query = sa.select(*columns).where(where).order_by(*([order_by] if order_by is not None else columns))
    return [tuple(r) for r in (await db.exec(query)).all()]


def utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def entries(db, candidate_id) -> dict[str, tuple]:
    found = await rows(db, DossierEntry.item, DossierEntry.dated, DossierEntry.number, DossierEntry.at,
                       where=DossierEntry.candidate_id == candidate_id)
    return {item: (dated, number, utc(at)) for item, dated, number, at in found}


async def changes(db, candidate_id) -> list[tuple]:
    found = await rows(db, StageChange.from_stage, StageChange.to_stage, StageChange.on, StageChange.reason,
                       StageChange.by_person_id, StageChange.at, where=StageChange.candidate_id == candidate_id,
                       order_by=StageChange.id)
    return [(*r[:-1], utc(r[-1])) for r in found]


async def test_a_dossier_brought_keeps_where_from_the_stage_since_when_the_certificate_papers_and_start(db):
    an, by = await candidate(db, AN), await secretary(db)
    before = await changes(db, an.id)
    reception = Reception(came_from="Chi bộ Trường THCS Yên Hòa", received_on=RECEIVED, stage=Stage.dossier,
                          since=SINCE, certificate_number="CN-12", certificate_on=date(2025, 12, 1),
                          items={"1-KNĐ": date(2025, 12, 20), "3-KNĐ": date(2026, 1, 5)})
    await record_reception(session=db, candidate=an, reception=reception, by_person_id=by, now=NOW)
    assert await rows(db, CandidateReception.came_from, CandidateReception.received_on,
                      CandidateReception.stage_there, CandidateReception.since, CandidateReception.by_person_id,
                      where=CandidateReception.candidate_id == an.id) == [
        ("Chi bộ Trường THCS Yên Hòa", RECEIVED, Stage.dossier, SINCE, by)]
    at = (await db.exec(sa.select(CandidateReception.at).where(CandidateReception.candidate_id == an.id))).scalar_one()
    assert utc(at) == NOW
    assert await changes(db, an.id) == [*before, (Stage.source, Stage.dossier, SINCE, None, by, NOW)]
    assert await rows(db, Candidate.stage, Candidate.stage_since, where=Candidate.id == an.id) == [
        (Stage.dossier, SINCE)]
    assert await entries(db, an.id) == {
        CERTIFICATE: (date(2025, 12, 1), "CN-12", NOW), "1-KNĐ": (date(2025, 12, 20), None, NOW),
        "3-KNĐ": (date(2026, 1, 5), None, NOW)}
    started = await rows(db, AdmissionRecord.dossier_started_on, AdmissionRecord.updated_at,
                         where=AdmissionRecord.candidate_id == an.id)
    assert [(on, utc(at)) for on, at in started] == [(SINCE, NOW)]


async def test_papers_already_held_and_an_admission_record_already_there_are_updated_not_doubled(db):
    an = await candidate(db, AN)
    earlier = NOW - timedelta(days=3)
    db.add(DossierEntry(candidate_id=an.id, item="1-KNĐ", dated=date(2026, 1, 1), number="old", at=earlier))
    db.add(DossierEntry(candidate_id=an.id, item=CERTIFICATE, dated=date(2025, 11, 1), number="old", at=earlier))
    db.add(DossierEntry(candidate_id=an.id, item="2-KNĐ", dated=date(2026, 1, 2), at=earlier))  # not brought
    db.add(AdmissionRecord(candidate_id=an.id, votes_for=7, updated_at=earlier))
    await db.flush()
    reception = Reception(came_from="X", received_on=RECEIVED, stage=Stage.dossier, since=SINCE,
                          certificate_number="CN-9", certificate_on=date(2025, 12, 1),
                          items={"1-KNĐ": date(2025, 12, 20)})
    await record_reception(session=db, candidate=an, reception=reception, by_person_id=None, now=NOW)
    assert await entries(db, an.id) == {
        CERTIFICATE: (date(2025, 12, 1), "CN-9", NOW), "1-KNĐ": (date(2025, 12, 20), "old", NOW),
        "2-KNĐ": (date(2026, 1, 2), None, earlier)}
    kept = await rows(db, AdmissionRecord.dossier_started_on, AdmissionRecord.votes_for, AdmissionRecord.updated_at,
                      where=AdmissionRecord.candidate_id == an.id)
    assert [(on, votes, utc(at)) for on, votes, at in kept] == [(SINCE, 7, NOW)]


async def test_a_class_brings_its_certificate_but_no_papers_and_starts_no_dossier(db):
    an = await candidate(db, AN)
    reception = Reception(came_from="X", received_on=RECEIVED, stage=Stage.awareness_class, since=SINCE,
                          certificate_number="CN-3", certificate_on=date(2026, 1, 10),
                          items={"1-KNĐ": date(2026, 1, 5)})
    await record_reception(session=db, candidate=an, reception=reception, by_person_id=None, now=NOW)
    assert await entries(db, an.id) == {CERTIFICATE: (date(2026, 1, 10), "CN-3", NOW)}
    assert await rows(db, AdmissionRecord.candidate_id, where=AdmissionRecord.candidate_id == an.id) == []
    assert (await changes(db, an.id))[-1] == (Stage.source, Stage.awareness_class, SINCE, None, None, NOW)


async def test_a_sympathizer_brings_no_certificate_and_a_source_no_stage_change(db):
    an = await candidate(db, AN)
    before = await changes(db, an.id)
    sympathizer = Reception(came_from="X", received_on=RECEIVED, stage=Stage.sympathizer, since=SINCE,
                            certificate_number="CN-3", certificate_on=date(2026, 1, 10))
    await record_reception(session=db, candidate=an, reception=sympathizer, by_person_id=None, now=NOW)
    assert await entries(db, an.id) == {}
    assert await changes(db, an.id) == [*before, (Stage.source, Stage.sympathizer, SINCE, None, None, NOW)]

    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    before = await changes(db, ngoc.id)
    source = Reception(came_from="Y", received_on=RECEIVED, stage=Stage.source, since=SINCE)
    await record_reception(session=db, candidate=ngoc, reception=source, by_person_id=None, now=NOW)
    assert await changes(db, ngoc.id) == before
    assert await rows(db, Candidate.stage, Candidate.stage_since, where=Candidate.id == ngoc.id) == [
        (Stage.source, SINCE)]
    assert (await reception_of(db, ngoc.id)).came_from == "Y"


async def test_the_card_shows_the_history_brought_and_nothing_for_someone_who_began_here(db):
    an = await candidate(db, AN)
    assert await received_history(db, an.id) is None
    reception = Reception(came_from="Chi bộ Trường THCS Yên Hòa", received_on=RECEIVED, stage=Stage.dossier,
                          since=SINCE, certificate_number="CN-12", certificate_on=date(2025, 12, 1),
                          items={"3-KNĐ": date(2026, 1, 5), "1-KNĐ": date(2025, 12, 20), "5-KNĐ": RECEIVED})
    await record_reception(session=db, candidate=an, reception=reception, by_person_id=None, now=NOW)
    db.add(DossierEntry(candidate_id=an.id, item="2-KNĐ", dated=RECEIVED + timedelta(days=1), at=NOW))  # made here
    db.add(DossierEntry(candidate_id=an.id, item="6-KNĐ", dated=date(2026, 1, 1), at=NOW))  # not a paper brought
    await db.flush()
    assert await received_history(db, an.id) == ReceivedHistory(
        came_from="Chi bộ Trường THCS Yên Hòa", received_on=RECEIVED, stage=Stage.dossier, since=SINCE,
        certificate_number="CN-12", certificate_on=date(2025, 12, 1),
        papers=(("1-KNĐ", date(2025, 12, 20)), ("3-KNĐ", date(2026, 1, 5)), ("5-KNĐ", RECEIVED)))


async def test_a_certificate_made_here_after_the_reception_is_not_part_of_the_history_brought(db):
    an = await candidate(db, AN)
    reception = Reception(came_from="X", received_on=RECEIVED, stage=Stage.sympathizer, since=SINCE)
    await record_reception(session=db, candidate=an, reception=reception, by_person_id=None, now=NOW)
    db.add(DossierEntry(candidate_id=an.id, item=CERTIFICATE, dated=RECEIVED + timedelta(days=1), number="N",
                        at=NOW))
    await db.flush()
    history = await received_history(db, an.id)
    assert (history.stage, history.certificate_number, history.certificate_on, history.papers) == (
        Stage.sympathizer, None, None, ())
    db.add(DossierEntry(candidate_id=(await candidate(db, "Trần Thị Bích Ngọc")).id, item=CERTIFICATE,
                        dated=RECEIVED - timedelta(days=30), number="M", at=NOW))  # someone else's
    await db.flush()
    assert (await received_history(db, an.id)).certificate_on is None


async def test_a_certificate_dated_the_day_received_was_brought(db):
    an = await candidate(db, AN)
    reception = Reception(came_from="X", received_on=RECEIVED, stage=Stage.awareness_class, since=SINCE,
                          certificate_number="CN-1", certificate_on=RECEIVED)
    await record_reception(session=db, candidate=an, reception=reception, by_person_id=None, now=NOW)
    history = await received_history(db, an.id)
    assert (history.certificate_number, history.certificate_on) == ("CN-1", RECEIVED)
