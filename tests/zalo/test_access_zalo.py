"""Consent and access on Zalo, end to end through the fake Zalo server (issue 16): the secretary
sees "chưa đồng ý" beside a linked candidate who has not agreed, on the card and in /ds; the
secretary ends a sponsor's role with /thuhoi by numbers, and the sponsor's next message gets the
stranger's answer."""

from sqlmodel import select

from models.candidate import Candidate
from models.stage import Role
from tests.flows.test_candidates import AN, branch_list, demo_numbers
from tests.flows.test_start import invite
from tests.zalo.fake_zalo import fake_time, fake_zalo, zalo_channel, zalo_client  # noqa: F401
from tests.zalo.test_outbox import on_zalo
from tests.zalo.test_polling import BRANCH, GREETING, polling

HOW = "(Trả lời bằng số hoặc bằng chữ)"


async def test_the_secretary_on_zalo_sees_who_has_not_agreed(demo, fake_zalo, zalo_channel):
    await on_zalo(demo, "bithu", "z-thu")
    async with demo.sessions() as session:
        an = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
    code = await invite(demo, role=Role.candidate, candidate_id=an.id)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-an", f"/start {code}")
        assert await zalo.say("z-thu", f"/xem {an.number}") == [GREETING, (
            f"{an.number}. Nguyễn Văn An — chưa đồng ý\n- Ngày sinh: 12/04/1998 · Nam\n"
            f"- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n- Chi bộ: {BRANCH}\n"
            "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n- Đảng viên giúp đỡ: chưa phân công\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
            "(Hướng dẫn 12-HD/BTCTW)")]
        no = await demo_numbers(demo)
        listed = branch_list(no)
        flagged = listed.replace(f"{no[AN]}. {AN} (1998)\n", f"{no[AN]}. {AN} (1998) — chưa đồng ý\n")
        assert flagged != listed
        assert await zalo.say("z-thu", "/ds") == [flagged]
        await zalo.say("z-an", "1")
        heading = (await zalo.say("z-thu", f"/xem {an.number}"))[0].splitlines()[0]
        assert heading == f"{an.number}. Nguyễn Văn An"  # agreed: no flag


async def test_a_secretary_on_zalo_ends_a_sponsors_role_who_is_then_a_stranger(demo, fake_zalo, zalo_channel):
    await on_zalo(demo, "bithu", "z-thu")
    await on_zalo(demo, "giupdo", "z-binh")
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        assert (await zalo.say("z-binh", "/gap"))[-1] == (
            "Bạn đã gặp ai? Gõ số hoặc một phần họ tên của người bạn giúp đỡ (không dấu cũng được).")
        await zalo.say("z-thu", "/trogiup")  # the greeting owed to this chat, out of the way
        assert await zalo.say("z-thu", "/thuhoi") == [
            "Thu hồi vai trò của ai? Chọn một dòng dưới đây, hoặc gõ một phần họ tên.\nNgười còn vai trò khác vẫn giữ "
            "vai trò đó; người không còn vai trò nào sẽ không dùng được chibo nữa. Gõ /huy để thôi.\n\n"
            f"1. Phan Văn Hùng — phó bí thư, {BRANCH}\n2. Trần Văn Bình — đảng viên giúp đỡ, {BRANCH}\n"
            f"3. Đỗ Thị Mai — đảng viên giúp đỡ, {BRANCH}\n{HOW}"]
        assert await zalo.say("z-thu", "2") == [
            f"Xin kiểm tra lại trước khi thu hồi:\n- Vai trò: Trần Văn Bình — đảng viên giúp đỡ, {BRANCH}\n"
            "Khi lưu: từ tin nhắn tới, người này không dùng được các lệnh của vai trò đó nữa; việc thu hồi được ghi "
            f"vào nhật ký.\n\n1. Lưu\n2. Sửa người và vai trò\n3. Hủy\n{HOW}"]
        assert await zalo.say("z-thu", "1") == [
            f"Đã thu hồi vai trò đảng viên giúp đỡ của Trần Văn Bình ở {BRANCH}.\n"
            "9 quần chúng do người này giúp đỡ cần người giúp đỡ mới: /giupdo."]
        assert await zalo.say("z-binh", "pham thu ha") == [  # mid-conversation when it ended
            "chibo chưa hiểu tin nhắn này. Nếu bạn có mã mời, gõ: /start MÃ-MỜI. Gõ /trogiup để được hướng dẫn."]
        assert await zalo.say("z-binh", "/cuatoi") == [
            "Tài khoản này chưa được liên kết với chibo nên chưa dùng được lệnh này. Xin bí thư chi bộ một mã mời "
            "rồi gõ: /start MÃ-MỜI"]
