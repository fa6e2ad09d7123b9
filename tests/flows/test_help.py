"""/trogiup: a person's own commands only, as the one policy allows them, a phone screen at a
time (at most 15 lines), the rest one number away."""

import re

import pytest

from bot.app import build_routes
from models.policy import OPEN_ACTIONS, load_actor, may

PHONE_LINES = 15

SECRETARY_PAGE_1 = """\
Chào Nguyễn Thị Thu. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.
- Bạn là bí thư — Chi bộ Trường THPT Trần Phú (demo)
Bạn có thể dùng (trang 1/3):

1. /them — Thêm một quần chúng ưu tú
2. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn
3. /xem — Xem hồ sơ một người (theo số hoặc tên)
4. /xet — Xét duyệt hằng tháng: nguồn và cảm tình Đảng, từng người một
5. /quy — Khảo sát nguồn hằng quý: đánh giá từng quần chúng ưu tú
6. /giupdo — Phân công hoặc đổi đảng viên giúp đỡ một quần chúng
7. /lop — Các lớp bồi dưỡng nhận thức về Đảng và đảng viên mới
8. /taolop — Tạo một lớp bồi dưỡng mới
9. /ghidanh — Ghi danh người của chi bộ vào một lớp
10. /trogiup 2 — Các lệnh khác (trang 2/3)
(Trả lời bằng số hoặc bằng chữ)"""

SECRETARY_PAGE_2 = """\
Các lệnh khác của bạn (trang 2/3):

1. /ketqualop — Ghi kết quả học và giấy chứng nhận của một lớp
2. /hoso — Hồ sơ kết nạp của một người: đã có gì, còn thiếu gì
3. /ghihoso — Ghi ngày một giấy tờ trong hồ sơ kết nạp
4. /lamhoso — Bắt đầu làm hồ sơ kết nạp cho người đã có giấy chứng nhận
5. /denghiketnap — Kiểm tra hồ sơ đã đủ để chi bộ xét kết nạp chưa
6. /ketnap — Ghi biểu quyết của chi bộ, quyết định và lễ kết nạp
7. /chinhthuc — Công nhận đảng viên chính thức hoặc xóa tên
8. /chuyen — Ghi việc chuyển đi (chuyển công tác, ra trường)
9. /chitieu — Chỉ tiêu kết nạp đảng viên và tiến độ
10. /sua — Sửa thông tin của một người (họ tên, ngày sinh...)
11. /hoantac — Hoàn tác việc đưa ra khỏi danh sách, xét chuyển bước hay ghi danh làm nhầm
12. /trogiup 3 — Các lệnh khác (trang 3/3)
(Trả lời bằng số hoặc bằng chữ)"""

SPONSOR = """\
Chào Trần Văn Bình. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.
- Bạn là đảng viên giúp đỡ — Chi bộ Trường THPT Trần Phú (demo)
Bạn có thể dùng:

1. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn
2. /xem — Xem hồ sơ một người (theo số hoặc tên)
3. /gap — Ghi lần gặp quần chúng bạn giúp đỡ
4. /cuatoi — Người bạn giúp đỡ và lần gặp gần nhất
(Trả lời bằng số hoặc bằng chữ)"""

COMMITTEE = """\
Chào Lê Văn Cường. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.
- Bạn là cấp ủy cấp trên — Đảng ủy Khối Giáo dục (demo)
Bạn có thể dùng:

1. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn
2. /xem — Xem hồ sơ một người (theo số hoặc tên)
3. /lop — Các lớp bồi dưỡng nhận thức về Đảng và đảng viên mới
4. /taolop — Tạo một lớp bồi dưỡng mới
5. /chitieu — Chỉ tiêu kết nạp đảng viên và tiến độ
6. /datchitieu — Đặt chỉ tiêu kết nạp cho chi bộ trực thuộc
7. /thuhoi — Thu hồi vai trò của một người (người giúp đỡ, phó bí thư, bí thư)
8. /bangiao — Bàn giao chi bộ cho bí thư mới
9. /tonghop — Tổng hợp các chi bộ trực thuộc: giai đoạn, chỉ tiêu, việc quá hạn
10. /baocao — Báo cáo ra tệp Excel, Word, PDF và biểu đồ: tháng, 6 tháng, năm, danh sách quần chúng ưu tú
(Trả lời bằng số hoặc bằng chữ)"""

LISTED = re.compile(r"^\d+\. (/[a-z]+) — ", re.MULTILINE)


async def test_the_secretary_sees_one_screen_and_the_rest_one_number_away(talk):
    secretary = talk("bithu")
    assert await secretary.say("/trogiup") == SECRETARY_PAGE_1
    assert await secretary.say("10") == SECRETARY_PAGE_2
    assert await secretary.say("/trogiup 2") == SECRETARY_PAGE_2
    assert await secretary.say("/trogiup 1") == SECRETARY_PAGE_1
    assert await secretary.say("/trogiup 9") == SECRETARY_PAGE_1  # no such page: the first


async def test_a_number_on_the_second_page_runs_that_command(talk):
    secretary = talk("bithu")
    await secretary.say("/trogiup 2")
    assert "Xem hồ sơ kết nạp của ai?" in await secretary.say("2")  # /hoso asks whose


async def test_a_sponsor_sees_their_four_commands(talk):
    assert await talk("giupdo").say("/trogiup") == SPONSOR


async def test_the_committee_does_not_see_the_branch_work_on_classes(talk):
    assert await talk("captren").say("/trogiup") == COMMITTEE


@pytest.mark.parametrize("account", ["bithu", "giupdo", "quanchung", "captren", "nguoila"])
async def test_every_page_fits_a_phone_and_all_pages_list_what_the_policy_allows(talk, demo, account):
    async with demo.sessions() as session:
        actor = await load_actor(session=session, channel="console", account_id=account)
    allowed = [r.commands[0] for r in build_routes() if r.action not in OPEN_ACTIONS and may(actor, r.action)]
    person = talk(account)
    listed: list[str] = []
    page = 1
    while True:
        reply = await person.say(f"/trogiup {page}")
        assert len(reply.splitlines()) <= PHONE_LINES, reply
        listed += [c for c in LISTED.findall(reply) if c != "/trogiup"]
        if f"/trogiup {page + 1} — " not in reply:
            break
        page += 1
    assert listed == allowed
