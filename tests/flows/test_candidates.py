"""/ds and /xem: the branch's candidates by stage, paged, and one candidate's card."""

from datetime import date

from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import NewCandidate, register_candidate
from models.org import Organisation
from models.stage import Category, Gender, IntroducedBy
from tests.texts import AN_CARD, NOTHING_TO_CANCEL


TITLE = "Danh sách quần chúng và đảng viên dự bị"
SEE_ONE = "Xem một người: /xem SỐ hoặc /xem TÊN"
SEE_MORE = ("\n"
            "1. Xem thêm\n"
            "(Trả lời bằng số hoặc bằng chữ)")
SOURCES = ("Quần chúng ưu tú (nguồn):\n"
           "1. Nguyễn Văn An (1998)\n"
           "2. Trần Thị Bích Ngọc (2008)\n"
           "9. Trịnh Công Sơn (2008)\n"
           "10. Vũ Thị Thanh Xuân (1999)\n")
LATER_STAGES = ("Cảm tình Đảng:\n"
                "3. Lê Hoàng Minh (1995)\n"
                "4. Phạm Thu Hà (2000)\n"
                "11. Đinh Văn Khoa (1988)\n"
                "\n"
                "Học lớp nhận thức về Đảng:\n"
                "5. Võ Thanh Tùng (1990)\n"
                "12. Lương Thị Mỹ (2001)\n"
                "\n"
                "Đang làm hồ sơ:\n"
                "6. Đặng Ngọc Lan (1997)\n"
                "\n"
                "Đã đề nghị kết nạp:\n"
                "7. Bùi Quốc Huy (1993)\n"
                "\n"
                "Có quyết định kết nạp:\n"
                "13. Tạ Minh Đức (1994)\n"
                "\n"
                "Đảng viên dự bị:\n"
                "8. Hoàng Mai Anh (1996)\n")
BRANCH_LIST = (f"{TITLE} (13 người):\n"  # the secretary's
               "\n"
               + SOURCES
               + "\n"
               + LATER_STAGES
               + "\n"
               + SEE_ONE)
MY_LIST = (f"{TITLE} (8 người):\n"  # a sponsor's: only those they sponsor
           "\n"
           "Cảm tình Đảng:\n"
           "3. Lê Hoàng Minh (1995)\n"
           "4. Phạm Thu Hà (2000)\n"
           "11. Đinh Văn Khoa (1988)\n"
           "\n"
           "Học lớp nhận thức về Đảng:\n"
           "5. Võ Thanh Tùng (1990)\n"
           "\n"
           "Đang làm hồ sơ:\n"
           "6. Đặng Ngọc Lan (1997)\n"
           "\n"
           "Đã đề nghị kết nạp:\n"
           "7. Bùi Quốc Huy (1993)\n"
           "\n"
           "Có quyết định kết nạp:\n"
           "13. Tạ Minh Đức (1994)\n"
           "\n"
           "Đảng viên dự bị:\n"
           "8. Hoàng Mai Anh (1996)\n"
           "\n"
           + SEE_ONE)
COMMITTEE_LIST = (  # the committee's: every branch below it
    f"{TITLE} (15 người):\n"
    "\n"
    "Quần chúng ưu tú (nguồn):\n"
    "TP-1. Nguyễn Văn An (1998) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "TP-2. Trần Thị Bích Ngọc (2008) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "TP-9. Trịnh Công Sơn (2008) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "TP-10. Vũ Thị Thanh Xuân (1999) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "TSP-2. Lý Thị Hồng (2005) — Chi bộ Khoa Toán, ĐH Sư phạm (demo)\n"
    "\n"
    "Cảm tình Đảng:\n"
    "TP-3. Lê Hoàng Minh (1995) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "TP-4. Phạm Thu Hà (2000) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "TP-11. Đinh Văn Khoa (1988) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "TSP-1. Ngô Đức Thắng (2004) — Chi bộ Khoa Toán, ĐH Sư phạm (demo)\n"
    "\n"
    "Học lớp nhận thức về Đảng:\n"
    "TP-5. Võ Thanh Tùng (1990) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "TP-12. Lương Thị Mỹ (2001) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "\n"
    "Đang làm hồ sơ:\n"
    "TP-6. Đặng Ngọc Lan (1997) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "\n"
    "Đã đề nghị kết nạp:\n"
    "TP-7. Bùi Quốc Huy (1993) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "\n"
    "Có quyết định kết nạp:\n"
    "TP-13. Tạ Minh Đức (1994) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "\n"
    "Đảng viên dự bị:\n"
    "TP-8. Hoàng Mai Anh (1996) — Chi bộ Trường THPT Trần Phú (demo)\n"
    "\n"
    "Xem một người: /xem MÃ-SỐ (ví dụ /xem TP-1) hoặc /xem TÊN")
MINH_CARD = ("3. Lê Hoàng Minh\n"
             "- Ngày sinh: 30/01/1995 · Nam\n"
             "- Đối tượng: Giáo viên, giảng viên\n"
             "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
             "- Giai đoạn: Cảm tình Đảng, từ 22/12/2025\n"
             "- Đảng viên giúp đỡ: Trần Văn Bình\n"
             "- Nguồn giới thiệu: Một đảng viên\n"
             "- Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026 "
             "(Hướng dẫn 06-HD/TW, mục 5.4)")
LAN = ("6. Đặng Ngọc Lan\n"
       "- Ngày sinh: 28/02/1997 · Nữ\n"
       "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
       "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
       "- Giai đoạn: Đang làm hồ sơ, từ 01/01/2026\n"
       "- Đảng viên giúp đỡ: Trần Văn Bình\n"
       "- Người giới thiệu: Trần Văn Bình (cùng công tác từ 03/03/2023)\n"
       "- Nguồn giới thiệu: Đoàn Thanh niên\n"
       "- Bước tiếp theo: hoàn thiện hồ sơ để chi bộ xét, biểu quyết đề nghị kết nạp, hạn 01/01/2027 "
       "(Điều lệ Đảng, Điều 4; Hướng dẫn 06-HD/TW, mục 3.6)")


def not_found(says: str) -> str:
    return (f'Không tìm thấy ai khớp với "{says}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ '
            "tên khác.\n"
            "Lệnh /xem đã dừng. Gõ lại /xem kèm số hoặc tên khác, hoặc chỉ gõ /xem để chibo hỏi từng bước.")


async def add_many(chibo, count: int) -> None:
    async with chibo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        for i in range(count):
            await register_candidate(
                session=session, branch_id=branch.id, by_person_id=None, now=chibo.clock.now(),
                today=chibo.clock.today(),
                new=NewCandidate(full_name=f"Người Thứ {chr(65 + i % 26)}{i}", birth_date=date(2000, 1, 1),
                                 gender=Gender.male, category=Category.staff, youth_union=False,
                                 introduced_by=IntroducedBy.branch, note=None))


def added(first: int, last: int) -> str:
    """The lines of add_many's people number first to last (0-based), as /ds lists them."""
    return "".join(f"{16 + i}. Người Thứ {chr(65 + i % 26)}{i} (2000)\n" for i in range(first, last + 1))


async def test_the_list_is_grouped_by_stage_in_pipeline_order(talk):
    # Ngô Đức Thắng (the other branch), Cao Thị Huyền (official) and Mạc Văn Tài (removed) are not listed.
    assert await talk("bithu").say("/ds") == BRANCH_LIST


async def test_a_long_list_pages_with_see_more(talk, demo):
    await add_many(demo, 30)
    bithu = talk("bithu")
    assert await bithu.say("/ds") == (
        f"{TITLE} (43 người, trang 1/3):\n"
        "\n"
        + SOURCES
        + added(0, 10)
        + "\n"
        + SEE_ONE + "\n"
        + SEE_MORE)
    assert await bithu.say("1") == (
        f"{TITLE} (43 người, trang 2/3):\n"
        "\n"
        "Quần chúng ưu tú (nguồn):\n"
        + added(11, 25)
        + "\n"
        + SEE_ONE + "\n"
        + SEE_MORE)
    assert await bithu.say("Xem thêm") == (  # the last page: no "Xem thêm"
        f"{TITLE} (43 người, trang 3/3):\n"
        "\n"
        "Quần chúng ưu tú (nguồn):\n"
        + added(26, 29)
        + "\n"
        + LATER_STAGES
        + "\n"
        + SEE_ONE)
    assert await bithu.say("/ds 9") == "Không có trang 9; danh sách có 3 trang. Xem trang đầu: /ds"


async def test_view_by_number_shows_the_card(talk):
    assert await talk("bithu").say("/xem 3") == MINH_CARD


async def test_view_by_name_without_diacritics(talk):
    assert await talk("bithu").say("/xem nguyen van a") == AN_CARD


async def test_view_asks_which_when_no_name_is_given(talk):
    bithu = talk("bithu")
    assert await bithu.say("/xem") == (
        "Xem ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được).")
    assert await bithu.say("lan") == LAN


async def test_an_ambiguous_name_lists_the_matches_to_pick_from(talk):
    bithu = talk("bithu")
    assert await bithu.say("/xem an") == (
        "Có 9 người khớp \"an\". Chọn một người.\n"
        "\n"
        "1. Nguyễn Văn An (1998) — Quần chúng ưu tú (nguồn)\n"
        "2. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
        "3. Lê Hoàng Minh (1995) — Cảm tình Đảng\n"
        "5. Võ Thanh Tùng (1990) — Học lớp nhận thức về Đảng\n"
        "6. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
        "8. Hoàng Mai Anh (1996) — Đảng viên dự bị\n"
        "10. Vũ Thị Thanh Xuân (1999) — Quần chúng ưu tú (nguồn)\n"
        "11. Đinh Văn Khoa (1988) — Cảm tình Đảng\n"
        "15. Mạc Văn Tài (1991) — Đã đưa ra khỏi danh sách\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")
    assert await bithu.say("2") == (  # the second match: Trần Thị Bích Ngọc, not the first one found
        "2. Trần Thị Bích Ngọc\n"
        "- Ngày sinh: 02/11/2008 · Nữ\n"
        "- Đối tượng: Học sinh, sinh viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 16/01/2026\n"
        "- Đảng viên giúp đỡ: chưa phân công\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
        "(Hướng dẫn 12-HD/BTCTW)")


async def test_no_match_says_so_and_ends_the_view(talk):
    bithu = talk("bithu")
    assert await bithu.say("/xem zzz") == not_found("zzz")
    assert await bithu.say("/huy") == NOTHING_TO_CANCEL  # nothing was left open


async def test_a_sponsor_sees_only_their_candidates(talk):
    giupdo = talk("giupdo")
    assert await giupdo.say("/ds") == MY_LIST  # Nguyễn Văn An is not theirs
    assert await giupdo.say("/xem 1") == not_found("1")


async def test_the_committee_above_sees_every_branch_below_read_only(talk):
    captren = talk("captren")
    assert await captren.say("/ds") == COMMITTEE_LIST
    assert await captren.say("/them") == (
        "Lệnh này không dành cho vai trò của bạn. Gõ /trogiup để xem các lệnh bạn dùng được.")


async def test_the_card_names_the_rules_in_vietnamese(talk):
    """The branch vote's rule as a secretary reads it: the Charter's article and the guide's section."""
    assert await talk("bithu").say("/xem dang ngoc lan") == LAN


async def test_the_list_is_titled_for_probationary_members_too(talk):
    """Hoàng Mai Anh is a probationary member, no longer "quần chúng": the title says both."""
    assert await talk("giupdo").say("/ds") == MY_LIST
