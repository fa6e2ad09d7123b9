"""/dongy on Zalo, end to end through the fake Zalo server (issue 16): Zalo has no buttons, so the
secretary answers each numbered list by its number; the candidate's card then no longer says
"chưa đồng ý", and the candidate, linked but never answering the notice, may use chibo."""

from sqlmodel import select

from models.candidate import Candidate
from models.consent import Consent, GivenBy, Method
from models.stage import Role
from tests.flows.test_candidates import AN, KHOA, TAI, demo_numbers
from tests.flows.test_start import invite
from tests.zalo.fake_zalo import fake_time, fake_zalo, zalo_channel, zalo_client  # noqa: F401
from tests.zalo.test_outbox import on_zalo
from tests.zalo.test_polling import BRANCH, GREETING, polling

HOW = "(Trả lời bằng số hoặc bằng chữ)"


def an_card(an: int, flag: str = "") -> str:
    """Nguyễn Văn An's card (`an` his register number), with what it says beside his name."""
    return (f"{an}. Nguyễn Văn An{flag}\n- Ngày sinh: 12/04/1998 · Nam\n"
            f"- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n- Chi bộ: {BRANCH}\n"
            "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n- Đảng viên giúp đỡ: chưa phân công\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
            "(Hướng dẫn 12-HD/BTCTW)")


async def test_the_secretary_on_zalo_records_a_paper_consent_by_numbers(demo, fake_zalo, zalo_channel):
    secretary, no = await on_zalo(demo, "bithu", "z-thu"), await demo_numbers(demo)
    async with demo.sessions() as session:
        an = (await session.exec(select(Candidate).where(Candidate.full_name == AN))).one()
    code = await invite(demo, role=Role.candidate, candidate_id=an.id)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-an", f"/start {code}")  # linked; he does not answer the notice
        assert await zalo.say("z-thu", f"/xem {no[AN]}") == [GREETING, an_card(no[AN], " — chưa đồng ý")]
        assert await zalo.say("z-thu", "/dongy") == [
            "Sự đồng ý trên giấy của ai?\n\n1. Một quần chúng (người được giới thiệu)\n2. Một đảng viên của chi bộ "
            f"(bí thư, phó bí thư, đảng viên giúp đỡ, đảng viên trong danh sách)\n{HOW}"]
        assert await zalo.say("z-thu", "1") == ["Ghi sự đồng ý trên giấy của ai? Gõ số hoặc tên quần chúng."]
        assert await zalo.say("z-thu", "văn an") == [
            'Có 3 người khớp "văn an". Chọn một người.\nGhi sự đồng ý trên giấy của ai? Gõ số hoặc tên quần chúng.\n\n'
            f"{no[AN]}. Nguyễn Văn An (1998) — Quần chúng ưu tú (nguồn)\n"
            f"{no[KHOA]}. Đinh Văn Khoa (1988) — Cảm tình Đảng\n"
            f"{no[TAI]}. Mạc Văn Tài (1991) — Đã đưa ra khỏi danh sách\n(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)"]
        assert await zalo.say("z-thu", str(no[AN])) == [
            f"Ai ký giấy đồng ý?\n\n1. Chính người đó\n2. Cha mẹ hoặc người giám hộ\n{HOW}"]
        assert await zalo.say("z-thu", "1") == ['Ngày ký (dd/mm/yyyy hoặc "hôm nay")?']
        assert await zalo.say("z-thu", "01/03/2026") == [
            f"Giấy có ghi rõ đồng ý cho chi bộ giữ thông tin dân tộc và tôn giáo không?\n\n1. Có\n2. Không\n{HOW}"]
        assert await zalo.say("z-thu", "2") == [
            f"Xin kiểm tra lại trước khi ghi sự đồng ý trên giấy:\n- Người được ghi: {no[AN]}. Nguyễn Văn An\n"
            "- Người ký: Chính người đó\n- Ngày ký: 01/03/2026\n- Gồm dân tộc, tôn giáo: Không\n\n"
            "1. Lưu\n2. Sửa loại người được ghi\n3. Sửa người được ghi\n4. Sửa người ký\n5. Sửa ngày ký\n"
            f"6. Sửa dân tộc, tôn giáo\n7. Hủy\n{HOW}"]
        assert await zalo.say("z-thu", "1") == [
            f"Đã ghi sự đồng ý trên giấy của {no[AN]}. Nguyễn Văn An.\nĐã đủ sự đồng ý cần có."]
        assert await zalo.say("z-thu", f"/xem {no[AN]}") == [an_card(no[AN])]  # no "chưa đồng ý" any more
        assert await zalo.say("z-an", "/toi") == [  # his paper consent counts in chat: no notice
            f"Nguyễn Văn An — {BRANCH}\n- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
            "- Đảng viên giúp đỡ: chưa phân công\n"
            "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026\n\n"
            "Có gì chưa đúng, xin báo bí thư chi bộ."]
    async with demo.sessions() as session:
        [consent] = (await session.exec(select(Consent).where(Consent.candidate_id == an.id))).all()
    assert (consent.given_by, consent.method, consent.given_on.isoformat(), consent.recorded_by,
            consent.categories) == (GivenBy.self, Method.paper, "2026-03-01", secretary, "basic")
