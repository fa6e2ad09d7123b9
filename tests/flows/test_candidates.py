"""/ds and /xem: the branch's candidates by stage, paged, and one candidate's card."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, SECOND_BRANCH
from models.candidate import Candidate, NewCandidate, register_candidate
from models.org import Organisation
from models.stage import Category, Gender, IntroducedBy
from models.statements import SessionStatements
from tests.support import numbers_of
from tests.texts import NOTHING_TO_CANCEL, an_card

# The demo's candidates; their register numbers are looked up by name (the `no` fixture).
AN, NGOC, SON, XUAN = "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Trịnh Công Sơn", "Vũ Thị Thanh Xuân"
MINH, HA, KHOA, TUNG, MY = "Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa", "Võ Thanh Tùng", "Lương Thị Mỹ"
LAN, HUY, DUC, ANH, TAI = "Đặng Ngọc Lan", "Bùi Quốc Huy", "Tạ Minh Đức", "Hoàng Mai Anh", "Mạc Văn Tài"
HONG, THANG = "Lý Thị Hồng", "Ngô Đức Thắng"  # the second branch's


async def demo_numbers(demo) -> dict[str, int]:
    """The register number of each demo candidate named here, looked up by name (in their own branch)."""
    numbers = await numbers_of(demo, (AN, NGOC, SON, XUAN, MINH, HA, KHOA, TUNG, MY, LAN, HUY, DUC, ANH, TAI))
    return numbers | await numbers_of(demo, (HONG, THANG), branch=SECOND_BRANCH)


@pytest.fixture
async def no(demo) -> dict[str, int]:
    return await demo_numbers(demo)


TITLE = "Danh sách quần chúng và đảng viên dự bị"
SEE_ONE = "Xem một người: /xem SỐ hoặc /xem TÊN"
SEE_MORE = ("\n"
            "1. Xem thêm\n"
            "(Trả lời bằng số hoặc bằng chữ)")
YEARS = {AN: 1998, NGOC: 2008, SON: 2008, XUAN: 1999, MINH: 1995, HA: 2000, KHOA: 1988, TUNG: 1990, MY: 2001,
         LAN: 1997, HUY: 1993, DUC: 1994, ANH: 1996, HONG: 2005, THANG: 2004}


def lines(no: dict[str, int], *names: str) -> str:
    """/ds lines of these people, in this order, each with their register number."""
    return "".join(f"{no[name]}. {name} ({YEARS[name]})\n" for name in names)


def sources(no: dict[str, int]) -> str:
    return "Quần chúng ưu tú (nguồn):\n" + lines(no, AN, NGOC, SON, XUAN)


def later_stages(no: dict[str, int], sponsor: bool = False) -> str:
    """From Cảm tình Đảng on; a sponsor's list lacks Lương Thị Mỹ, whom giupdo does not sponsor."""
    return ("Cảm tình Đảng:\n" + lines(no, MINH, HA, KHOA) + "\n"
            "Học lớp nhận thức về Đảng:\n" + lines(no, *((TUNG,) if sponsor else (TUNG, MY))) + "\n"
            "Đang làm hồ sơ:\n" + lines(no, LAN) + "\n"
            "Đã đề nghị kết nạp:\n" + lines(no, HUY) + "\n"
            "Có quyết định kết nạp:\n" + lines(no, DUC) + "\n"
            "Đảng viên dự bị:\n" + lines(no, ANH))


def branch_list(no: dict[str, int]) -> str:
    """The secretary's."""
    return f"{TITLE} (13 người):\n\n" + sources(no) + "\n" + later_stages(no) + "\n" + SEE_ONE


def my_list(no: dict[str, int]) -> str:
    """A sponsor's: only those they sponsor."""
    return f"{TITLE} (8 người):\n\n" + later_stages(no, sponsor=True) + "\n" + SEE_ONE


def committee_list(no: dict[str, int]) -> str:
    """The committee's: every branch below it."""
    def refs(code: str, branch: str, *names: str) -> str:
        return "".join(f"{code}-{no[name]}. {name} ({YEARS[name]}) — {branch}\n" for name in names)

    def tp(*names: str) -> str:
        return refs("TP", BRANCH, *names)

    return (f"{TITLE} (15 người):\n"
            "\n"
            "Quần chúng ưu tú (nguồn):\n" + tp(AN, NGOC, SON, XUAN) + refs("TSP", SECOND_BRANCH, HONG) + "\n"
            "Cảm tình Đảng:\n" + tp(MINH, HA, KHOA) + refs("TSP", SECOND_BRANCH, THANG) + "\n"
            "Học lớp nhận thức về Đảng:\n" + tp(TUNG, MY) + "\n"
            "Đang làm hồ sơ:\n" + tp(LAN) + "\n"
            "Đã đề nghị kết nạp:\n" + tp(HUY) + "\n"
            "Có quyết định kết nạp:\n" + tp(DUC) + "\n"
            "Đảng viên dự bị:\n" + tp(ANH) + "\n"
            f"Xem một người: /xem MÃ-SỐ (ví dụ /xem TP-{no[AN]}) hoặc /xem TÊN")


def minh_card(no: dict[str, int]) -> str:
    return (f"{no[MINH]}. Lê Hoàng Minh\n"
            "- Ngày sinh: 30/01/1995 · Nam\n"
            "- Đối tượng: Giáo viên, giảng viên\n"
            "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
            "- Giai đoạn: Cảm tình Đảng, từ 22/12/2025\n"
            "- Đảng viên giúp đỡ: Trần Văn Bình\n"
            "- Nguồn giới thiệu: Một đảng viên\n"
            "- Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026 "
            "(Hướng dẫn 06-HD/TW, mục 5.4)")


def lan_card(no: dict[str, int]) -> str:
    return (f"{no[LAN]}. Đặng Ngọc Lan\n"
            "- Ngày sinh: 28/02/1997 · Nữ\n"
            "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
            "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
            "- Giai đoạn: Đang làm hồ sơ, từ 01/01/2026\n"
            "- Đảng viên giúp đỡ: Trần Văn Bình\n"
            "- Người giới thiệu: Trần Văn Bình (cùng công tác từ 03/03/2023)\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: hoàn thiện hồ sơ để chi bộ xét, biểu quyết đề nghị kết nạp, hạn 01/01/2027 "
            "(Điều lệ Đảng, Điều 4; Hướng dẫn 06-HD/TW, mục 3.6)")


async def absent_number(demo) -> int:
    """A register number nobody has, in any branch: one past the highest."""
    async with demo.sessions() as session:
        return ((await session.exec(select(sa.func.max(Candidate.number)))).one() or 0) + 1


async def next_number(demo, branch: str = BRANCH) -> int:
    """The register number the next person added to `branch` gets: one past the branch's highest."""
    async with demo.sessions() as session:
        return ((await session.exec(
            select(sa.func.max(Candidate.number)).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Organisation.name == branch))).one() or 0) + 1


def not_found(says: str) -> str:
    return (f'Không tìm thấy ai khớp với "{says}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ '
            "tên khác.\n"
            "Lệnh /xem đã dừng. Gõ lại /xem kèm số hoặc tên khác, hoặc chỉ gõ /xem để chibo hỏi từng bước.")


async def add_many(chibo, count: int) -> list[int]:
    """Adds `count` people to the demo branch; their register numbers."""
    numbers = []
    async with chibo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        for i in range(count):
            numbers.append((await register_candidate(
                db=SessionStatements(session), branch_id=branch.id, by_person_id=None, now=chibo.clock.now(),
                today=chibo.clock.today(),
                new=NewCandidate(full_name=f"Người Thứ {chr(65 + i % 26)}{i}", birth_date=date(2000, 1, 1),
                                 gender=Gender.male, category=Category.staff, youth_union=False,
                                 introduced_by=IntroducedBy.branch, note=None))).number)
    return numbers


def added(numbers: list[int], first: int, last: int) -> str:
    """The lines of add_many's people (`numbers` their register numbers) first to last (0-based), as /ds lists
    them."""
    return "".join(f"{numbers[i]}. Người Thứ {chr(65 + i % 26)}{i} (2000)\n" for i in range(first, last + 1))


async def test_the_list_is_grouped_by_stage_in_pipeline_order(talk, no):
    # Ngô Đức Thắng (the other branch), Cao Thị Huyền (official) and Mạc Văn Tài (removed) are not listed.
    assert await talk("bithu").say("/ds") == branch_list(no)


async def test_a_long_list_pages_with_see_more(talk, demo, no):
    numbers = await add_many(demo, 30)
    bithu = talk("bithu")
    assert await bithu.say("/ds") == (
        f"{TITLE} (43 người, trang 1/3):\n"
        "\n"
        + sources(no)
        + added(numbers, 0, 10)
        + "\n"
        + SEE_ONE + "\n"
        + SEE_MORE)
    assert await bithu.say("1") == (
        f"{TITLE} (43 người, trang 2/3):\n"
        "\n"
        "Quần chúng ưu tú (nguồn):\n"
        + added(numbers, 11, 25)
        + "\n"
        + SEE_ONE + "\n"
        + SEE_MORE)
    assert await bithu.say("Xem thêm") == (  # the last page: no "Xem thêm"
        f"{TITLE} (43 người, trang 3/3):\n"
        "\n"
        "Quần chúng ưu tú (nguồn):\n"
        + added(numbers, 26, 29)
        + "\n"
        + later_stages(no)
        + "\n"
        + SEE_ONE)
    assert await bithu.say("/ds 9") == "Không có trang 9; danh sách có 3 trang. Xem trang đầu: /ds"


async def test_view_by_number_shows_the_card(talk, no):
    assert await talk("bithu").say(f"/xem {no[MINH]}") == minh_card(no)


async def test_view_by_name_without_diacritics(talk, no):
    assert await talk("bithu").say("/xem nguyen van a") == an_card(no[AN])


async def test_view_asks_which_when_no_name_is_given(talk, no):
    bithu = talk("bithu")
    assert await bithu.say("/xem") == (
        "Xem ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được).")
    assert await bithu.say("lan") == lan_card(no)


async def test_an_ambiguous_name_lists_the_matches_to_pick_from(talk, no):
    bithu = talk("bithu")
    assert await bithu.say("/xem an") == (
        "Có 9 người khớp \"an\". Chọn một người.\n"
        "\n"
        f"{no[AN]}. Nguyễn Văn An (1998) — Quần chúng ưu tú (nguồn)\n"
        f"{no[NGOC]}. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
        f"{no[MINH]}. Lê Hoàng Minh (1995) — Cảm tình Đảng\n"
        f"{no[TUNG]}. Võ Thanh Tùng (1990) — Học lớp nhận thức về Đảng\n"
        f"{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
        f"{no[ANH]}. Hoàng Mai Anh (1996) — Đảng viên dự bị\n"
        f"{no[XUAN]}. Vũ Thị Thanh Xuân (1999) — Quần chúng ưu tú (nguồn)\n"
        f"{no[KHOA]}. Đinh Văn Khoa (1988) — Cảm tình Đảng\n"
        f"{no[TAI]}. Mạc Văn Tài (1991) — Đã đưa ra khỏi danh sách\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")
    # Trần Thị Bích Ngọc's register number, the second line: her card, not the first one found
    assert await bithu.say(str(no[NGOC])) == (
        f"{no[NGOC]}. Trần Thị Bích Ngọc\n"
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


async def test_a_sponsor_sees_only_their_candidates(talk, no):
    giupdo = talk("giupdo")
    assert await giupdo.say("/ds") == my_list(no)  # Nguyễn Văn An is not theirs
    assert await giupdo.say(f"/xem {no[AN]}") == not_found(str(no[AN]))


async def test_the_committee_above_sees_every_branch_below_read_only(talk, no):
    captren = talk("captren")
    assert await captren.say("/ds") == committee_list(no)
    assert await captren.say("/them") == (
        "Lệnh này không dành cho vai trò của bạn. Gõ /trogiup để xem các lệnh bạn dùng được.")


async def test_the_card_names_the_rules_in_vietnamese(talk, no):
    """The branch vote's rule as a secretary reads it: the Charter's article and the guide's section."""
    assert await talk("bithu").say("/xem dang ngoc lan") == lan_card(no)


async def test_the_list_is_titled_for_probationary_members_too(talk, no):
    """Hoàng Mai Anh is a probationary member, no longer "quần chúng": the title says both."""
    assert await talk("giupdo").say("/ds") == my_list(no)
