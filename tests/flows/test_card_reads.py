"""Every read of a person's card (/xem) is in the audit log with who read it; a card not shown
(out of scope, not found) is not (issue 16)."""

import sqlalchemy as sa

from models.audit import AuditLog
from models.candidate import Candidate
from tests.flows.test_access_revoked import person_of
from tests.flows.test_candidates import absent_number, not_found
from tests.support import number_of
from tests.texts import NOT_LINKED, REGISTER, an_card


def ha_card(ha: int) -> str:
    """Phạm Thu Hà's card (`ha` her register number)."""
    return (f"{ha}. Phạm Thu Hà\n"
            "- Ngày sinh: 15/06/2000 · Nữ\n"
            "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
            "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
            "- Giai đoạn: Cảm tình Đảng, từ 02/11/2025\n"
            "- Đảng viên giúp đỡ: Trần Văn Bình\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026 (Hướng dẫn 06-HD/TW, mục "
            "5.4)")


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
    an_card_, ha_card_ = an_card(await number_of(demo, "Nguyễn Văn An")), ha_card(await number_of(demo, "Phạm Thu Hà"))
    await bithu.dialog([("/xem nguyen van an", an_card_), ("/xem pham thu ha", ha_card_)])
    await giupdo.dialog([("/xem pham thu ha", ha_card_)])
    await bithu.dialog([  # a card read beside an open conversation counts too
        ("/them", REGISTER),
        ("/xem nguyen van an", an_card_ + "\n\n" + REGISTER),
    ])
    an, ha = await candidate_id(demo, "Nguyễn Văn An"), await candidate_id(demo, "Phạm Thu Hà")
    secretary, sponsor = await person_of(demo, "bithu"), await person_of(demo, "giupdo")
    assert await reads(demo) == [(secretary, f"candidate:{an}"), (secretary, f"candidate:{ha}"),
                                 (sponsor, f"candidate:{ha}"), (secretary, f"candidate:{an}")]


async def test_a_card_not_shown_is_not_logged(talk, demo):
    await talk("giupdo").dialog([("/xem nguyen van an", not_found("nguyen van an"))])  # not their candidate
    await talk("nguoila").dialog([("/xem nguyen van an", NOT_LINKED)])
    absent = await absent_number(demo)
    await talk("bithu").dialog([(f"/xem {absent}", not_found(f"{absent}"))])
    assert await reads(demo) == []
