"""Erasing a person (issue 16): after `erase`, the name is found in no text column of any table
(and, on SQLite, nowhere in the file's bytes); what the reports count stays; the person's
chat is a stranger's; the audit log holds the erasure with the number and reason only."""

import json
import os
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from bot.demo import BRANCH
from bot.render import text_of
from models.audit import AuditLog, audit
from models.candidate import Candidate, StageChange
from models.consent import Consent, GivenBy, Method, record
from models.conversation import Conversation
from models.erasure import ERASE_ACTION, erase, find_subject, subject_of
from models.org import Organisation
from models.outbox import Outbox, OutboxStatus
from models.people import ChatLink, Person, RoleGrant
from models.reports.statistics import stages_on
from models.roster import PartyMember
from models.stage import Stage
from models.text import fold

PG_URL = os.environ.get("TEST_DATABASE_URL")
PLACEHOLDER = "(đã xoá dữ liệu)"
MINH = "Lê Hoàng Minh"  # the demo's quanchung: a sympathizer with a person and a console chat
ANH = "Hoàng Mai Anh"  # probationary, on the roster, no chat


async def everywhere(chibo, text: str) -> list[str]:
    """Every "table.column" whose value holds `text` (or its folded form), JSON and bytes included."""
    wanted = {text, fold(text)}
    found = []
    async with chibo.sessions() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await session.exec(sa.select(table))).mappings():
                for column, value in row.items():
                    if isinstance(value, bytes):
                        shown = value.decode("utf-8", "replace")
                    elif isinstance(value, dict | list):
                        shown = json.dumps(value, ensure_ascii=False)
                    else:
                        shown = str(value)
                    if any(w in shown or w in fold(shown) for w in wanted):
                        found.append(f"{table.name}.{column}")
    return sorted(set(found))


async def candidate_named(chibo, name: str) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).where(Candidate.full_name == name))).one()


async def mention_everywhere(chibo, name: str, candidate_id: int) -> None:
    """Put the name where free text and messages keep it: another candidate's note, an audit
    detail, a message to the secretary, the secretary's half-typed conversation."""
    async with chibo.sessions() as session, session.begin():
        other = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
        other.note = f"Bạn thân của {name}, cùng tổ"
        session.add(other)
        audit(session=session, at=chibo.clock.now(), person_id=None, action="import", detail=f"{name}.xlsx: 1 dòng")
        for status in (OutboxStatus.sent, OutboxStatus.pending):
            session.add(Outbox(key=f"test:{status}", person_id=1, kind="checkin_overdue",
                               template="reminders/checkin_overdue", values={"name": name, "number": 3},
                               created_at=chibo.clock.now(), due_at=chibo.clock.now(), status=status,
                               sent_at=chibo.clock.now() if status == OutboxStatus.sent else None))
        session.add(Conversation(channel="console", chat_id="bithu", flow="edit",
                                 data={"candidate": f"id:{candidate_id}"}, choices=[],
                                 updated_at=chibo.clock.now()))


async def test_erasing_a_linked_candidate_leaves_the_name_nowhere_and_keeps_the_counts(demo, talk):
    minh = await candidate_named(demo, MINH)
    await mention_everywhere(demo, MINH, minh.id)
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation.id).where(Organisation.name == BRANCH))).one()
        branches = sa.select(sa.literal(branch))
        before = await stages_on(session=session, branches=branches, day=demo.clock.today())
        count = (await session.exec(select(sa.func.count()).select_from(Candidate))).one()
    assert await everywhere(demo, MINH)  # the scan sees it before

    async with demo.sessions() as session, session.begin():
        subject = await subject_of(session=session, candidate_id=minh.id)
        assert (subject.person_ids, subject.candidate_ids, subject.names) == ([minh.person_id], [minh.id], [MINH])
        done = await erase(session=session, subject=subject, placeholder=PLACEHOLDER, now=demo.clock.now(),
                           today=demo.clock.today(), reason="Yêu cầu xoá ngày 01/03/2026")
    assert (done.candidates, done.ended, done.people, done.chats) == (1, 1, 1, 1)
    assert await everywhere(demo, MINH) == []

    async with demo.sessions() as session:
        after = await stages_on(session=session, branches=branches, day=demo.clock.today())
        assert (await session.exec(select(sa.func.count()).select_from(Candidate))).one() == count
        row = await session.get(Candidate, minh.id)
        assert (row.full_name, row.birth_date, row.birth_year_only, row.stage, row.sponsor_id, row.note) == (
            PLACEHOLDER, date(1995, 1, 1), True, Stage.removed, None, None)
        assert row.erased_at is not None and (row.gender, row.category) == ("male", "teacher")
        last = (await session.exec(select(StageChange).where(StageChange.candidate_id == minh.id)
                                   .order_by(StageChange.id.desc()))).first()
        assert (last.from_stage, last.to_stage, last.reason) == (Stage.sympathizer, Stage.removed, None)
        person = await session.get(Person, minh.person_id)
        assert person.full_name == PLACEHOLDER and person.erased_at is not None
        assert (await session.exec(select(ChatLink).where(ChatLink.person_id == minh.person_id))).all() == []
        assert (await session.exec(select(RoleGrant).where(RoleGrant.person_id == minh.person_id))).all() == []
        assert (await session.exec(select(Outbox.status, Outbox.values).where(Outbox.key.startswith("test:")))).all() \
            == [(OutboxStatus.sent, {})]  # the one waiting is not sent; the one sent has no body
        assert await session.get(Conversation, ("console", "bithu")) is None
        other = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
        assert other.note == f"Bạn thân của {PLACEHOLDER}, cùng tổ"
        last_audit = (await session.exec(select(AuditLog).order_by(AuditLog.id.desc()))).first()
        assert (last_audit.person_id, last_audit.action, last_audit.subject, last_audit.detail) == (
            None, ERASE_ACTION, f"person:{minh.person_id}", "Yêu cầu xoá ngày 01/03/2026")
    # The stage counts move one sympathizer to the removed; nothing else changes.
    assert after == {**before, "sympathizer": before["sympathizer"] - 1, "removed": before["removed"] + 1}
    # Their chat is a stranger's now.
    assert await talk("quanchung").say("/ds") == text_of("common/not_linked").strip()


async def test_a_guardians_name_on_the_erased_childs_consent_goes_too(demo):
    minh = await candidate_named(demo, MINH)
    async with demo.sessions() as session, session.begin():
        record(session=session, candidate_id=minh.id, given_by=GivenBy.guardian, method=Method.paper,
               given_on=date(2026, 3, 1), sensitive=False, now=demo.clock.now(), guardian_name="Lê Văn Hậu",
               guardian_relation="bố")
    assert await everywhere(demo, "Lê Văn Hậu") == ["consent.guardian_name"]
    async with demo.sessions() as session, session.begin():
        subject = await subject_of(session=session, candidate_id=minh.id)
        await erase(session=session, subject=subject, placeholder=PLACEHOLDER, now=demo.clock.now(),
                    today=demo.clock.today(), reason="Yêu cầu xoá")
    assert await everywhere(demo, "Lê Văn Hậu") == []
    async with demo.sessions() as session:
        [kept] = (await session.exec(select(Consent).where(Consent.guardian_relation.is_(None),
                                                           Consent.candidate_id == minh.id,
                                                           Consent.given_by == GivenBy.guardian))).all()
    assert (kept.method, kept.given_on) == (Method.paper, date(2026, 3, 1))  # that it was given, and when


async def test_a_member_on_the_roster_is_kept_for_the_vote_counts_without_the_name(demo):
    anh = await candidate_named(demo, ANH)
    async with demo.sessions() as session:
        members = (await session.exec(select(sa.func.count()).select_from(PartyMember))).one()
    async with demo.sessions() as session, session.begin():
        subject = await find_subject(session=session, ref=f"TP-{anh.number}")
        assert subject.candidate_ids == [anh.id] and subject.person_ids == []
        done = await erase(session=session, subject=subject, placeholder=PLACEHOLDER, now=demo.clock.now(),
                           today=demo.clock.today(), reason="Theo yêu cầu")
    assert (done.candidates, done.ended, done.people) == (1, 1, 0)
    assert await everywhere(demo, ANH) == []
    async with demo.sessions() as session:
        assert (await session.exec(select(sa.func.count()).select_from(PartyMember))).one() == members
        row = (await session.exec(select(PartyMember).where(PartyMember.candidate_id == anh.id))).one()
        assert (row.full_name, row.status) == (PLACEHOLDER, "probationary")
        last_audit = (await session.exec(select(AuditLog).order_by(AuditLog.id.desc()))).first()
        assert (last_audit.subject, last_audit.detail) == (f"candidate:{anh.id}", "Theo yêu cầu")


async def test_a_person_or_candidate_not_there_is_an_empty_subject(demo):
    async with demo.sessions() as session:
        highest = (await session.exec(  # the branch's highest register number: one above it is nobody's
            select(sa.func.max(Candidate.number)).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Organisation.name == BRANCH))).one()
        assert not await find_subject(session=session, ref="999")
        assert not await find_subject(session=session, ref=f"TP-{highest + 1}")
        assert not await find_subject(session=session, ref="Lê Hoàng Minh")


@pytest.mark.skipif(bool(PG_URL), reason="the bytes of an SQLite file")
async def test_on_sqlite_the_erased_bytes_are_gone_from_the_file(demo, settings):
    minh = await candidate_named(demo, MINH)
    await mention_everywhere(demo, MINH, minh.id)
    async with demo.sessions() as session, session.begin():
        subject = await subject_of(session=session, candidate_id=minh.id)
        await erase(session=session, subject=subject, placeholder=PLACEHOLDER, now=demo.clock.now(),
                    today=demo.clock.today(), reason="x")
    await demo.close()  # the last connection checkpoints the WAL into the file
    path = settings.sqlite_path()
    data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    assert MINH.encode() not in data and fold(MINH).encode() not in data
    assert "Nguyễn Văn An".encode() in data  # the scan reads the file's text (a name kept is found)


async def test_the_export_gathers_every_section_about_the_subject(demo):
    from models.person_data import SECTIONS, person_data

    minh = await candidate_named(demo, MINH)
    async with demo.sessions() as session:
        subject = await find_subject(session=session, ref=f"TP-{minh.number}")
        data = await person_data(session=session, subject=subject)
    assert list(data) == list(SECTIONS)
    assert {k: len(v) for k, v in data.items() if v} == {
        "person": 1, "roles": 1, "chat_accounts": 1, "candidates": 1, "stage_changes": 1, "checkins": 1,
        "reviews": 1, "consents": 1}
    assert (data["candidates"][0]["id"], data["candidates"][0]["birth_date"]) == (minh.id, "1995-01-30")
    assert data["roles"][0]["role"] == "candidate" and data["person"][0]["full_name"] == MINH
