"""/ds and /xem: the branch's candidates by stage, paged, and one candidate's card."""

from datetime import date

from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import NewCandidate, register_candidate
from models.org import Organisation
from models.stage import Category, Gender, IntroducedBy


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


async def test_the_list_is_grouped_by_stage_in_pipeline_order(talk):
    reply = await talk("bithu").say("/ds")
    assert "Danh sách quần chúng và đảng viên dự bị (13 người)" in reply
    order = ["Quần chúng ưu tú (nguồn)", "Cảm tình Đảng", "Học lớp nhận thức", "Đang làm hồ sơ",
             "Đã đề nghị kết nạp", "Đảng viên dự bị"]
    positions = [reply.index(o) for o in order]
    assert positions == sorted(positions)
    assert "1. Nguyễn Văn An (1998)" in reply
    assert "Ngô Đức Thắng" not in reply  # the other branch
    assert "Cao Thị Huyền" not in reply and "Mạc Văn Tài" not in reply  # official, removed


async def test_a_long_list_pages_with_see_more(talk, demo):
    await add_many(demo, 30)
    bithu = talk("bithu")
    first = await bithu.say("/ds")
    assert "43 người, trang 1/3" in first and "1. Xem thêm" in first
    second = await bithu.say("1")
    assert "trang 2/3" in second
    third = await bithu.say("Xem thêm")
    assert "trang 3/3" in third and "Xem thêm" not in third
    assert "Không có trang 9" in await bithu.say("/ds 9")


async def test_view_by_number_shows_the_card(talk):
    reply = await talk("bithu").say("/xem 3")
    assert "3. Lê Hoàng Minh" in reply and "Cảm tình Đảng" in reply
    assert "Đảng viên giúp đỡ: Trần Văn Bình" in reply and "Bước tiếp theo" in reply


async def test_view_by_name_without_diacritics(talk):
    reply = await talk("bithu").say("/xem nguyen van a")
    assert "1. Nguyễn Văn An" in reply and "12/04/1998" in reply


async def test_view_asks_which_when_no_name_is_given(talk):
    bithu = talk("bithu")
    assert "Xem ai?" in await bithu.say("/xem")
    assert "Đặng Ngọc Lan" in await bithu.say("lan")


async def test_an_ambiguous_name_lists_the_matches_to_pick_from(talk):
    bithu = talk("bithu")
    reply = await bithu.say("/xem an")  # Nguyễn Văn An, Đặng Ngọc Lan, Hoàng Mai Anh...
    assert "người khớp" in reply and "Nguyễn Văn An" in reply and "Hoàng Mai Anh" in reply
    picked = await bithu.say("2")  # the second match: Trần Thị Bích Ngọc, not the first one found
    assert picked == (
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
    assert await bithu.say("/xem zzz") == (
        'Không tìm thấy ai khớp với "zzz" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ '
        'tên khác.\nLệnh /xem đã dừng. Gõ lại /xem kèm số hoặc tên khác, hoặc chỉ gõ /xem để chibo hỏi từng bước.')
    assert "Không có việc gì đang làm dở" in await bithu.say("/huy")  # nothing was left open


async def test_a_sponsor_sees_only_their_candidates(talk):
    giupdo = talk("giupdo")
    listing = await giupdo.say("/ds")
    assert "Lê Hoàng Minh" in listing and "Nguyễn Văn An" not in listing
    assert "Không tìm thấy" in await giupdo.say("/xem 1")


async def test_the_committee_above_sees_every_branch_below_read_only(talk):
    captren = talk("captren")
    listing = await captren.say("/ds")
    assert "Nguyễn Văn An" in listing and "Ngô Đức Thắng" in listing
    assert "Chi bộ Khoa Toán" in listing
    assert "không dành cho vai trò" in await captren.say("/them")


async def test_the_card_names_the_rules_in_vietnamese(talk):
    """The branch vote's rule as a secretary reads it: the Charter's article and the guide's section."""
    assert await talk("bithu").say("/xem dang ngoc lan") == (
        "6. Đặng Ngọc Lan\n"
        "- Ngày sinh: 28/02/1997 · Nữ\n"
        "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Đang làm hồ sơ, từ 01/01/2026\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Bước tiếp theo: hoàn thiện hồ sơ để chi bộ xét, biểu quyết đề nghị kết nạp, hạn 01/01/2027 "
        "(Điều lệ Đảng, Điều 4; Hướng dẫn 06-HD/TW, mục 3.6)")


async def test_the_list_is_titled_for_probationary_members_too(talk):
    """Hoàng Mai Anh is a probationary member, no longer "quần chúng": the title says both."""
    assert await talk("giupdo").say("/ds") == (
        "Danh sách quần chúng và đảng viên dự bị (8 người):\n"
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
        "Xem một người: /xem SỐ hoặc /xem TÊN")
