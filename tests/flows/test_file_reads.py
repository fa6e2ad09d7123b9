"""Every read of a person's admission file (/hoso) is one audit entry naming the reader and the
candidate, ids only (issue 16: an audit entry for every read, not only for changes); a file
not shown is not logged."""

import sqlalchemy as sa
from sqlmodel import select

from models.audit import AuditLog
from models.candidate import Candidate
from models.people import ChatLink


async def _reads(demo) -> list[tuple]:
    async with demo.sessions() as session:
        return [tuple(r) for r in (await session.exec(
            sa.select(AuditLog.person_id, AuditLog.action, AuditLog.subject, AuditLog.detail)
            .where(AuditLog.action == "candidate.dossier").order_by(AuditLog.id))).all()]


async def test_each_file_shown_is_one_audit_entry_naming_the_reader(talk, demo):
    async with demo.sessions() as session:
        lan = (await session.exec(select(Candidate).where(Candidate.full_name == "Đặng Ngọc Lan"))).one()
        bithu = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
    shown = await talk("bithu").say(f"/hoso {lan.number}")
    assert shown.splitlines()[0].startswith(f"Hồ sơ kết nạp của {lan.number}. Đặng Ngọc Lan")
    assert await _reads(demo) == [(bithu, "candidate.dossier", f"candidate:{lan.id}", None)]
    await talk("bithu").say(f"/hoso {lan.number}")
    assert len(await _reads(demo)) == 2  # every read, not the first only


async def test_a_file_not_shown_is_not_logged(talk, demo):
    await talk("giupdo").say("/hoso 6")  # a sponsor does not read files
    await talk("nguoila").say("/hoso 6")
    await talk("bithu").say("/hoso 999")
    assert await _reads(demo) == []
