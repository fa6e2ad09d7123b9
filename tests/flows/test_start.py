"""/start and /trogiup: who I am and what I may do; linking an account with an invite code."""

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models.org import Organisation
from models.people import Invite, Person, RoleGrant, create_invite
from models.stage import Role
from tests.flows.test_candidates import branch_list, demo_numbers
from tests.support import INVITE_KEY
from tests.texts import (
    CHOOSE,
    NOT_ALLOWED,
    NOT_LINKED,
    NOTHING_TO_CANCEL,
    REGISTER,
    SECRETARY_HELP_1,
    STRANGER_GREETING,
)

LINKED_SECRETARY = "Đã liên kết tài khoản. Vai trò: bí thư — Chi bộ Trường THPT Trần Phú (demo)."


async def invite(chibo, role=Role.secretary, org_name=BRANCH, days=7, **kw) -> str:
    async with chibo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == org_name))).one()
        return await create_invite(session=session, role=role, org_id=org.id, now=chibo.clock.now(),
                                   expires_at=chibo.clock.now() + timedelta(days=days), key=INVITE_KEY, **kw)


async def test_help_says_who_i_am_and_lists_my_commands(talk):
    assert await talk("bithu").say("/trogiup") == SECRETARY_HELP_1


async def test_a_number_from_the_help_list_runs_that_command(talk):
    bithu = talk("bithu")
    await bithu.say("/trogiup")
    assert await bithu.say("1") == REGISTER


async def test_a_stranger_is_told_how_to_link_and_nothing_else(talk):
    stranger = talk("nguoila")
    assert await stranger.say("/start") == STRANGER_GREETING


async def test_a_secretary_links_with_a_code_and_can_work_at_once(talk, demo):
    code = await invite(demo, full_name="Phạm Văn Đức")
    newcomer = talk("phamduc")
    assert await newcomer.say(f"/start {code.lower()}") == (
        f"{LINKED_SECRETARY}\n\n" + SECRETARY_HELP_1.replace("Nguyễn Thị Thu", "Phạm Văn Đức"))
    assert await newcomer.say("/ds") == branch_list(await demo_numbers(demo))
    async with demo.sessions() as session:
        used = (await session.exec(select(Invite))).one()
    assert used.used_at is not None and code not in used.code_hash


async def test_a_used_code_is_refused(talk, demo):
    code = await invite(demo)
    await talk("first").say(f"/start {code}")
    assert await talk("second").say(f"/start {code}") == (
        "Mã mời này đã được dùng. Mỗi mã chỉ dùng một lần; xin bí thư chi bộ cấp mã mới.")
    assert await talk("second").say("/ds") == NOT_LINKED


async def test_an_expired_code_is_refused(talk, demo):
    code = await invite(demo, days=2)
    demo.clock.advance(days=2, seconds=1)
    assert await talk("late").say(f"/start {code}") == "Mã mời này đã hết hạn. Xin bí thư chi bộ cấp mã mới."


async def test_repeated_wrong_codes_are_slowed_down(talk, demo):
    guesser = talk("guesser")
    replies = [await guesser.say("/start AAAAAAAAAA") for _ in range(5)]
    wrong = "Mã mời này không đúng. Xin kiểm tra lại từng ký tự"
    assert replies == [f"{wrong} (còn {n} lần thử)." for n in (4, 3, 2, 1)] + [
        "Mã mời này không đúng. Xin kiểm tra lại từng ký tự. Bạn đã nhập sai nhiều lần; xin thử lại sau 09:15 ngày "
        "02/03/2026."]
    code = await invite(demo)
    assert await guesser.say(f"/start {code}") == (  # even the right code waits
        "Bạn đã nhập sai mã nhiều lần. Để bảo vệ tài khoản, xin thử lại sau 09:15 ngày 02/03/2026.")
    demo.clock.advance(minutes=15, seconds=1)
    assert await guesser.say(f"/start {code}") == (  # a person without a name is greeted by the chat's name
        f"{LINKED_SECRETARY}\n\n" + SECRETARY_HELP_1.replace("Nguyễn Thị Thu", "guesser"))


async def test_a_candidate_code_links_the_candidate_record(talk, demo):
    from models.candidate import Candidate

    async with demo.sessions() as session:
        an = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
    code = await invite(demo, role=Role.candidate, candidate_id=an.id)
    from tests.flows.test_consent import LINKED, THANKS  # the notice and the consent: tests/flows/test_consent.py

    await talk("an").dialog([
        (f"/start {code}", LINKED),
        ("1", THANKS),
        ("/trogiup",
         "Chào Nguyễn Văn An. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.\n"
         "- Bạn là quần chúng — Chi bộ Trường THPT Trần Phú (demo)\n"
         "Bạn có thể dùng:\n"
         "\n"
         "1. /toi — Tôi đang ở bước nào, việc tiếp theo và hồ sơ còn thiếu gì\n"
         "2. /dulieu — Dữ liệu chibo giữ về tôi; xin sửa, rút đồng ý, xoá\n"
         + CHOOSE),
    ])
    async with demo.sessions() as session:
        linked = (await session.exec(select(Candidate).where(Candidate.id == an.id))).one()
    assert linked.person_id is not None
    # a candidate sees no list of other people
    assert await talk("an").say("/ds") == NOT_ALLOWED


async def test_an_existing_account_gains_a_second_role(talk, demo):
    code = await invite(demo, role=Role.sponsor)
    reply = await talk("bithu").say(f"/start {code}")
    assert reply == SECRETARY_AND_SPONSOR
    assert await talk("bithu").say("9") == SECRETARY_AND_SPONSOR_PAGE_2
    assert await talk("bithu").say("12") == SECRETARY_AND_SPONSOR_PAGE_3
    assert await talk("bithu").say("/trogiup 4") == SECRETARY_AND_SPONSOR_PAGE_4
    async with demo.sessions() as session:
        people = (await session.exec(sa.select(sa.func.count()).select_from(Invite)
                                     .where(Invite.person_id.is_not(None)))).one()
        thu = (await session.exec(select(Person.id).where(Person.full_name == "Nguyễn Thị Thu"))).one()
        used_by = (await session.exec(select(Invite.person_id))).one()
        grants = (await session.exec(select(RoleGrant.role, Organisation.name)
                                     .join(Organisation, Organisation.id == RoleGrant.org_id)
                                     .where(RoleGrant.person_id == thu))).all()
    assert people[0] == 1 and used_by == thu  # the same person, no second one made
    assert sorted(grants) == sorted([(Role.secretary, BRANCH), (Role.sponsor, BRANCH)])


SECRETARY_AND_SPONSOR = """\
Đã liên kết tài khoản. Vai trò: đảng viên giúp đỡ — Chi bộ Trường THPT Trần Phú (demo).

Chào Nguyễn Thị Thu. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.
- Bạn là bí thư — Chi bộ Trường THPT Trần Phú (demo)
- Bạn là đảng viên giúp đỡ — Chi bộ Trường THPT Trần Phú (demo)
Bạn có thể dùng (trang 1/4):

1. /them — Thêm một quần chúng ưu tú
2. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn
3. /xem — Xem hồ sơ một người (theo số hoặc tên)
4. /xet — Xét duyệt hằng tháng: nguồn và cảm tình Đảng, từng người một
5. /quy — Khảo sát nguồn hằng quý: đánh giá từng quần chúng ưu tú
6. /giupdo — Phân công hoặc đổi đảng viên giúp đỡ một quần chúng
7. /lop — Các lớp bồi dưỡng nhận thức về Đảng và đảng viên mới
8. /taolop — Tạo một lớp bồi dưỡng mới
9. /trogiup 2 — Các lệnh khác (trang 2/4)
(Trả lời bằng số hoặc bằng chữ)"""
# Both roles' commands, the rest of them: the sponsor's /gap and /cuatoi come last.
SECRETARY_AND_SPONSOR_PAGE_2 = """\
Các lệnh khác của bạn (trang 2/4):

1. /ghidanh — Ghi danh người của chi bộ vào một lớp
2. /ketqualop — Ghi kết quả học và giấy chứng nhận của một lớp
3. /hoso — Hồ sơ kết nạp của một người: đã có gì, còn thiếu gì
4. /ghihoso — Ghi ngày một giấy tờ trong hồ sơ kết nạp
5. /lamhoso — Bắt đầu làm hồ sơ kết nạp cho người đã có giấy chứng nhận
6. /denghiketnap — Kiểm tra hồ sơ đã đủ để chi bộ xét kết nạp chưa
7. /ketnap — Ghi biểu quyết của chi bộ, quyết định và lễ kết nạp
8. /chinhthuc — Công nhận đảng viên chính thức hoặc xóa tên
9. /chuyen — Ghi việc chuyển đi (chuyển công tác, ra trường)
10. /chitieu — Chỉ tiêu kết nạp đảng viên và tiến độ
11. /sua — Sửa thông tin của một người (họ tên, ngày sinh...)
12. /trogiup 3 — Các lệnh khác (trang 3/4)
(Trả lời bằng số hoặc bằng chữ)"""
SECRETARY_AND_SPONSOR_PAGE_3 = """\
Các lệnh khác của bạn (trang 3/4):

1. /hoantac — Hoàn tác việc đưa ra khỏi danh sách, xét chuyển bước hay ghi danh làm nhầm
2. /thuhoi — Thu hồi vai trò của một người (người giúp đỡ, phó bí thư, bí thư)
3. /moi — Mời phó bí thư, người giúp đỡ hoặc quần chúng dùng chibo
4. /bangiao — Bàn giao chi bộ cho bí thư mới
5. /dangvien — Danh sách đảng viên của chi bộ: xem, thêm, nhận chuyển đến, ghi rời đi, xóa tên, khai trừ, tốt nghiệp
6. /gap — Ghi lần gặp quần chúng bạn giúp đỡ
7. /cuatoi — Người bạn giúp đỡ và lần gặp gần nhất
8. /chibo — Cài đặt của chi bộ: ngày sinh hoạt, nhắc gặp quần chúng, nơi quyết định kết nạp
9. /nhap — Nhập danh sách có sẵn của chi bộ (tệp Excel): tệp mẫu và cách nhập
10. /baocao — Báo cáo tháng, quý, năm, danh sách, hồ sơ từng người ra Excel, Word, PDF; /baocao gửi: gửi lên cấp trên
11. /dongy — Ghi giấy đồng ý về dữ liệu cá nhân
12. /trogiup 4 — Các lệnh khác (trang 4/4)
(Trả lời bằng số hoặc bằng chữ)"""
SECRETARY_AND_SPONSOR_PAGE_4 = """\
Các lệnh khác của bạn (trang 4/4):

1. /yeucau — Ghi đã trả lời hoặc đã xử lý xong yêu cầu về dữ liệu cá nhân
2. /dulieu — Dữ liệu chibo giữ về tôi; xin sửa, rút đồng ý, xoá
3. /nhanve — Nhận quần chúng từ nơi khác: ghi nơi chuyển đến và quá trình đã có
(Trả lời bằng số hoặc bằng chữ)"""


async def test_free_text_outside_a_conversation_points_to_help(talk):
    assert await talk("bithu").say("xin chào") == SECRETARY_HELP_1
    assert await talk("nguoila").say("xin chào") == STRANGER_GREETING


async def test_an_unknown_command_is_named(talk):
    assert await talk("bithu").say("/xyz") == "Không có lệnh /xyz. Gõ /trogiup để xem các lệnh bạn dùng được."


async def test_cancel_with_nothing_to_cancel(talk):
    assert await talk("bithu").say("/huy") == NOTHING_TO_CANCEL
