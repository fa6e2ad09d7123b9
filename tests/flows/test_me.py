"""/toi: a candidate sees their own stage, sponsor, next step, class and dossier, and no one else."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import CANDIDATES, SECOND
from models.audit import AuditLog
from models.candidate import Candidate
from models.consent import GivenBy, Method, record
from models.dossier import DossierEntry
from models.people import ChatLink, RoleGrant
from models.stage import Role
from tests.texts import NOT_ALLOWED, NOT_LINKED

EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]
MINH = ("Lê Hoàng Minh — Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Cảm tình Đảng, từ 22/12/2025\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026\n"
        "\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ hoặc đảng viên giúp đỡ.")
NO_RECORD = ("chibo chưa tìm thấy hồ sơ quần chúng gắn với tài khoản của bạn. Xin liên hệ bí thư chi bộ để kiểm tra. "
             "Gõ /trogiup để xem các lệnh.")


async def become(chibo, name: str) -> None:
    """The quanchung account now speaks for another candidate of the demo branch."""
    async with chibo.sessions() as session, session.begin():
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "quanchung"))).one()
        for c in await session.exec(select(Candidate).where(Candidate.person_id == person)):
            c.person_id = None
            session.add(c)
        await session.flush()
        target = (await session.exec(select(Candidate).where(Candidate.full_name == name))).one()
        target.person_id = person
        session.add(target)
        # ...who has read the notice on personal data and agreed (else they would see only it).
        record(session=session, candidate_id=target.id, given_by=GivenBy.self, method=Method.chat,
               given_on=chibo.clock.today(), sensitive=False, now=chibo.clock.now())


def others_named(reply: str, me: str) -> list[str]:
    return [n for n in EVERY_NAME if n != me and n in reply]


async def test_a_sympathizer_sees_stage_sponsor_and_next_step(talk):
    assert await talk("quanchung").say("/toi") == MINH  # no class, no dossier yet


async def test_a_candidate_learns_nothing_about_anyone_else(talk, demo):
    for name in ["Lê Hoàng Minh", "Đặng Ngọc Lan", "Võ Thanh Tùng", "Hoàng Mai Anh"]:
        await become(demo, name)
        reply = await talk("quanchung").say("/toi")
        assert name in reply
        assert others_named(reply, name) == [], name


async def test_a_candidate_in_class_sees_where_and_when(talk, demo):
    await become(demo, "Võ Thanh Tùng")
    assert await talk("quanchung").say("/toi") == (
        "Võ Thanh Tùng — Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Học lớp nhận thức về Đảng, từ 31/01/2026\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Bước tiếp theo: hoàn thành lớp nhận thức về Đảng và nhận giấy chứng nhận\n"
        '- Lớp học: Lớp bồi dưỡng nhận thức về Đảng "Lớp nhận thức về Đảng khóa 2", tại Hội trường Đảng ủy '
        "Khối, từ 01/04/2026 đến 05/04/2026\n"
        "\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ hoặc đảng viên giúp đỡ.")


async def test_a_finished_class_is_no_longer_shown(talk, demo):
    await become(demo, "Võ Thanh Tùng")
    demo.clock.advance(days=40)  # the class (01/04/2026 to 05/04/2026) is over: no result recorded yet
    assert await talk("quanchung").say("/toi") == (
        "Võ Thanh Tùng — Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Học lớp nhận thức về Đảng, từ 31/01/2026\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Bước tiếp theo: hoàn thành lớp nhận thức về Đảng và nhận giấy chứng nhận\n"
        "\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ hoặc đảng viên giúp đỡ.")


async def test_a_candidate_making_their_dossier_sees_what_is_missing(talk, demo):
    await become(demo, "Đặng Ngọc Lan")
    async with demo.sessions() as session, session.begin():  # her file halfway (the demo's is complete)
        lan = (await session.exec(select(Candidate).where(Candidate.full_name == "Đặng Ngọc Lan"))).one()
        await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == lan.id,
                                                         DossierEntry.item.in_(["3-KNĐ", "4-KNĐ", "5-KNĐ"])))
    assert await talk("quanchung").say("/toi") == (  # CN-NTVĐ, 1- and 2-KNĐ are in the file
        "Đặng Ngọc Lan — Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Đang làm hồ sơ, từ 01/01/2026\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Bước tiếp theo: hoàn thiện hồ sơ để chi bộ xét, biểu quyết đề nghị kết nạp, hạn 01/01/2027\n"
        "\n"
        "Hồ sơ kết nạp còn cần:\n"
        "- Còn thiếu 3-KNĐ (giấy giới thiệu của đảng viên chính thức).\n"
        "- Còn thiếu 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)).\n"  # a Youth Union member
        "- Còn thiếu 5-KNĐ (tổng hợp ý kiến nhận xét).\n"
        "\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ hoặc đảng viên giúp đỡ.")


async def test_a_probationary_member_sees_the_recognition_file(talk, demo):
    await become(demo, "Hoàng Mai Anh")
    assert await talk("quanchung").say("/toi") == (
        "Hoàng Mai Anh — Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Đảng viên dự bị, từ 14/08/2025\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Bước tiếp theo: học lớp bồi dưỡng đảng viên mới, hạn 14/08/2026\n"
        "\n"
        "Hồ sơ công nhận đảng viên chính thức còn cần:\n"
        "- Còn thiếu CN-ĐVM (giấy chứng nhận lớp bồi dưỡng đảng viên mới).\n"
        "- Còn thiếu 10-KNĐ (bản tự kiểm điểm).\n"
        "- Còn thiếu 11-KNĐ (nhận xét của đảng viên giúp đỡ).\n"
        "- Còn thiếu 12-KNĐ (tổng hợp ý kiến nhận xét).\n"
        "\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ hoặc đảng viên giúp đỡ.")


async def test_an_official_member_has_no_next_step(talk, demo):
    await become(demo, "Cao Thị Huyền")
    assert await talk("quanchung").say("/toi") == (
        "Cao Thị Huyền — Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Đảng viên chính thức, từ 31/01/2026\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Bước tiếp theo: không còn bước nào\n"
        "\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ hoặc đảng viên giúp đỡ.")


async def test_a_candidate_account_without_a_record_is_told_whom_to_ask(talk, demo):
    async with demo.sessions() as session, session.begin():
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "quanchung"))).one()
        minh = (await session.exec(select(Candidate).where(Candidate.person_id == person))).one()
        minh.person_id = None
        session.add(minh)
    assert await talk("quanchung").say("/toi") == NO_RECORD


async def test_looking_is_recorded_without_personal_data(talk, demo):
    assert await talk("quanchung").say("/toi") == MINH
    async with demo.sessions() as session:
        row = (await session.exec(select(AuditLog).where(AuditLog.action == "candidate.self"))).one()
    assert row.subject.startswith("candidate:")


@pytest.mark.parametrize("account, expect", [
    ("bithu", NOT_ALLOWED), ("giupdo", NOT_ALLOWED), ("captren", NOT_ALLOWED), ("nguoila", NOT_LINKED)])
async def test_only_a_candidate_may_ask_about_themself(talk, account, expect):
    assert await talk(account).say("/toi") == expect


async def test_a_sponsor_who_is_also_a_candidate_elsewhere_sees_only_their_record(talk, demo):
    # The candidate role is granted by branch; the record is found by the person, never by the branch.
    async with demo.sessions() as session, session.begin():
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "giupdo"))).one()
        branch = (await session.exec(select(RoleGrant.org_id).where(RoleGrant.person_id == person))).first()
        session.add(RoleGrant(person_id=person, org_id=branch, role=Role.candidate))
    assert await talk("giupdo").say("/toi") == NO_RECORD
