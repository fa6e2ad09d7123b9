"""Every read of a person's card (/xem) is in the audit log with who read it; a card not shown
(out of scope, not found) is not (issue 16)."""

import sqlalchemy as sa

from models.audit import AuditLog
from models.candidate import Candidate
from tests.flows.test_access_revoked import person_of


async def reads(chibo) -> list[tuple]:
    async with chibo.sessions() as session:
        return [tuple(r) for r in (await session.exec(
            sa.select(AuditLog.person_id, AuditLog.subject).where(AuditLog.action == "candidate.view")
            .order_by(AuditLog.id))).all()]


async def candidate_id(chibo, name: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(sa.select(Candidate.id).where(Candidate.full_name == name))).scalar_one()


async def test_each_card_shown_is_one_audit_entry_naming_the_reader(talk, demo):
    bithu, giupdo = talk("bithu"), talk("giupdo")
    assert "Nguyễn Văn An" in await bithu.say("/xem 1")
    assert "Phạm Thu Hà" in await bithu.say("/xem pham thu ha")
    assert "Phạm Thu Hà" in await giupdo.say("/xem pham thu ha")
    await bithu.say("/them")  # a card read beside an open conversation counts too
    assert "Nguyễn Văn An" in await bithu.say("/xem 1")
    an, ha = await candidate_id(demo, "Nguyễn Văn An"), await candidate_id(demo, "Phạm Thu Hà")
    secretary, sponsor = await person_of(demo, "bithu"), await person_of(demo, "giupdo")
    assert await reads(demo) == [(secretary, f"candidate:{an}"), (secretary, f"candidate:{ha}"),
                                 (sponsor, f"candidate:{ha}"), (secretary, f"candidate:{an}")]


async def test_a_card_not_shown_is_not_logged(talk, demo):
    assert "Nguyễn Văn An" not in await talk("giupdo").say("/xem nguyen van an")  # not their candidate
    assert "Nguyễn Văn An" not in await talk("nguoila").say("/xem 1")
    await talk("bithu").say("/xem 999")
    assert await reads(demo) == []
