"""Onboarding a branch on Zalo (issue 14), where secretaries are: /nhap, /moi, /bangiao and
/chibo work with numbered text menus (Zalo has no buttons and receives no files)."""

import re

from bot.dispatcher import Dispatcher

from tests.zalo.fake_zalo import fake_time, fake_zalo, zalo_channel, zalo_client  # noqa: F401
from tests.zalo.test_outbox import no_wait
from tests.zalo.test_polling import BRANCH, GREETING, polling, secretary_code

HOW = "(Trả lời bằng số hoặc bằng chữ)"
MEMBERS = ["Cao Thị Huyền", "Đỗ Thị Mai", "Đoàn Thị Thảo", "Hồ Thị Ngọc Hân", "Lê Thị Kim Oanh",
           "Nguyễn Hữu Phước", "Phan Văn Hùng", "Phùng Quang Vinh", "Trần Văn Bình", "Trương Văn Dũng"]


def numbered(names: list[str]) -> str:
    return "".join(f"{i}. {name}\n" for i, name in enumerate(names, 1)) + HOW


def code_in(reply: str) -> str:
    return re.search(r": ([2-9A-Z]{10})\n", reply).group(1)


async def test_nhap_on_zalo_says_where_the_template_and_the_import_are(demo, fake_zalo, zalo_channel):
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-sec", f"/start {await secretary_code(demo)}")
        assert await zalo.say("z-sec", "/nhap") == [
            "Nhập danh sách có sẵn của chi bộ (quần chúng, cảm tình Đảng, đảng viên), không phải gõ từng người:\n"
            "1. Điền tệp mẫu mau-nhap-danh-sach.xlsx (xem tin nhắn kèm theo): mỗi dòng một người; trang "
            "\"Hướng dẫn\" giải thích từng cột. Tệp Excel sẵn có của chi bộ cũng dùng được nếu tiêu đề cột giống "
            "tệp mẫu.\n"
            "2. Gửi tệp cho chibo trên Telegram, hoặc nhờ người quản trị chibo chạy lệnh xem trước (chưa ghi gì):\n"
            f'   chibo import TỆP --org "{BRANCH}" --dry-run\n'
            "3. Nếu không có lỗi, chạy lại lệnh đó bỏ --dry-run để nhập. Nhập lại cùng một tệp không tạo thêm ai.",
            "Zalo không cho trợ lý tự động gửi tệp, nên tệp \"mau-nhap-danh-sach.xlsx\" chưa gửi được ở đây. Để "
            "nhận tệp, xin mở chibo trên Telegram, hoặc nhờ người quản trị lấy bằng dòng lệnh chibo trên máy chủ."]


async def test_a_secretary_on_zalo_invites_a_sponsor_and_hands_over_by_numbers(demo, fake_zalo, zalo_channel):
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-sec", f"/start {await secretary_code(demo)}")
        assert await zalo.say("z-sec", "/moi") == [
            "Mời người này vào chibo với vai trò gì? Gõ /huy để thôi.\n\n"
            f"1. phó bí thư\n2. đảng viên giúp đỡ\n3. quần chúng\n{HOW}"]
        assert await zalo.say("z-sec", "2") == [
            "Mời đảng viên nào? Chọn trong các đảng viên chính thức của chi bộ (danh sách ở /dangvien), hoặc gõ một "
            "phần họ tên.\n\n" + numbered(MEMBERS[:6] + ["Nguyễn Thị Thu"] + MEMBERS[6:])]
        assert await zalo.say("z-sec", "2") == [
            f"Xin kiểm tra lại trước khi tạo mã mời:\n- Chi bộ: {BRANCH}\n- Vai trò: đảng viên giúp đỡ\n"
            "- Người được mời: Đỗ Thị Mai\nMã mời chỉ dùng được một lần, cho đúng người và vai trò này.\n\n"
            f"1. Lưu\n2. Sửa vai trò\n3. Sửa người được mời\n4. Hủy\n{HOW}"]
        [reply] = await zalo.say("z-sec", "1")
        code = code_in(reply)
        assert reply == (
            f"Mã mời Đỗ Thị Mai làm đảng viên giúp đỡ — {BRANCH}: {code}\n"
            "Mã dùng được một lần, đến 09:00 ngày 09/03/2026. Hãy gửi riêng mã này cho Đỗ Thị Mai: người đó nhắn "
            f"cho chibo (trên Telegram, Zalo) \"/start {code}\".")
        first = await zalo.say("z-mai", f"/start {code}")
        assert first[:2] == [GREETING, f"Đã liên kết tài khoản. Vai trò: đảng viên giúp đỡ — {BRANCH}."]

        assert await zalo.say("z-sec", "/bangiao") == [
            f"Ai là bí thư mới của {BRANCH}? Chọn một đảng viên chính thức của chi bộ, hoặc gõ một phần họ tên. "
            "Gõ /huy để thôi.\n\n" + numbered(MEMBERS)]
        await zalo.say("z-sec", "8")
        assert await zalo.say("z-sec", "2") == [
            f"Xin kiểm tra lại trước khi bàn giao:\n- Chi bộ: {BRANCH}\n- Bí thư mới: Phùng Quang Vinh\n"
            "- Vai trò của bạn sau bàn giao: Phó bí thư\nchibo sẽ tạo mã mời cho bí thư mới. Khi người đó dùng mã, "
            "việc bàn giao có hiệu lực: vai trò bí thư của bạn kết thúc và được ghi vào nhật ký.\n\n"
            f"1. Lưu\n2. Sửa bí thư mới\n3. Sửa vai trò của bạn sau bàn giao\n4. Hủy\n{HOW}"]
        [reply] = await zalo.say("z-sec", "1")
        assert reply.endswith("Khi Phùng Quang Vinh dùng mã, vai trò bí thư của bạn kết thúc và bạn là phó bí thư "
                              "của chi bộ; chibo sẽ báo cho bạn.")
        assert (await zalo.say("z-vinh", f"/start {code_in(reply)}"))[1].startswith(
            f"Đã liên kết tài khoản. Vai trò: bí thư — {BRANCH}.\nBạn nhận bàn giao chi bộ từ ")
    await Dispatcher(sessions=demo.sessions, channels={"zalo": zalo_channel}, clock=demo.clock,
                     sleep=no_wait).run_until_empty()  # the old secretary is told, on Zalo
    assert fake_zalo.texts("z-sec")[-1] == (
        f"chibo nhắc việc:\n- Phùng Quang Vinh đã nhận bàn giao {BRANCH} và từ nay là bí thư chi bộ.\n"
        "Vai trò bí thư của bạn ở chi bộ đã kết thúc; bạn là phó bí thư của chi bộ.\n\nGõ /trogiup để xem các lệnh.")


async def test_a_secretary_on_zalo_sets_the_founding_date_by_numbers(demo, fake_zalo, zalo_channel):
    settings = ("Cài đặt của {branch}. Muốn đổi mục nào? (gõ /huy nếu chỉ xem)\n\n"
                "1. Ngày sinh hoạt chi bộ: ngày 5 hằng tháng\n2. Ngày thành lập chi bộ: {founded}\n"
                "3. Nhắc đảng viên giúp đỡ: sau 30 ngày chưa gặp\n4. Đã hết nguồn phát triển đảng viên: không\n"
                "5. Cấp ủy quyết định kết nạp: (chưa đặt)\n6. Nơi cấp giấy chứng nhận lớp bồi dưỡng: (chưa đặt)\n"
                "7. Tên chi bộ: {branch}\n8. Kênh được gửi họ tên, ngày sinh: Zalo và Telegram\n" + HOW)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-sec", f"/start {await secretary_code(demo)}")
        assert await zalo.say("z-sec", "/chibo") == [settings.format(branch=BRANCH, founded="(chưa đặt)")]
        assert await zalo.say("z-sec", "2") == ["Chi bộ được thành lập ngày nào? (ngày/tháng/năm)"]
        assert await zalo.say("z-sec", "3") == [
            "Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, hoặc \"hôm nay\", "
            "\"hôm qua\".\nChi bộ được thành lập ngày nào? (ngày/tháng/năm)"]
        assert await zalo.say("z-sec", "15/01/1990") == [
            f"Xin kiểm tra lại trước khi lưu — {BRANCH}:\n- Ngày thành lập chi bộ: (chưa đặt) → 15/01/1990\n\n"
            f"1. Lưu\n2. Sửa mục cài đặt\n3. Sửa giá trị mới\n4. Hủy\n{HOW}"]
        assert await zalo.say("z-sec", "1") == [
            f"Đã lưu cài đặt của {BRANCH} — Ngày thành lập chi bộ: (chưa đặt) → 15/01/1990.\n"
            "Xem lại hoặc đổi mục khác: /chibo"]
        assert await zalo.say("z-sec", "/chibo") == [settings.format(branch=BRANCH, founded="15/01/1990")]
