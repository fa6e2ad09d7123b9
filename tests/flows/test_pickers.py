"""Every candidate picker: a number is the register number of /ds, never a place in a list.

"ngoc" matches 2. Trần Thị Bích Ngọc and 6. Đặng Ngọc Lan. Typing 2 at that list must mean
Ngọc (her number in /ds), not Lan (the second line); 6 must mean Lan, not nobody.
"""

from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import NewCandidate, register_candidate
from models.org import Organisation
from models.stage import Category, Gender, IntroducedBy
from tests.flows.test_candidates import COMMITTEE_LIST, not_found
from tests.texts import AN_CARD, AN_CARD_BY_REF, CHOOSE, CHOOSE_KEYED, NOTHING_TO_CANCEL, THANG_CARD, TWO_NUMBER_ONES

ASK_WHO = "Xem ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được)."
NGOC_OR_LAN = ("2. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
               "6. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
               + CHOOSE_KEYED)


def missed(name: str) -> str:
    return (f'Không tìm thấy ai khớp với "{name}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần '
            "họ tên khác.")

NGOC, LAN = "2. Trần Thị Bích Ngọc", "6. Đặng Ngọc Lan"

# (account, the command, what a reply names once Ngọc is picked, once Lan is picked)
PICKERS = [
    ("bithu", "/xem", "2. Trần Thị Bích Ngọc\n- Ngày sinh", "6. Đặng Ngọc Lan\n- Ngày sinh"),
    ("bithu", "/giupdo", NGOC + " (Quần chúng ưu tú (nguồn))", LAN + " (Đang làm hồ sơ)"),
    ("bithu", "/hoso", "Hồ sơ kết nạp của " + NGOC, "Hồ sơ kết nạp của " + LAN),
    ("bithu", "/ghihoso", "hồ sơ của " + NGOC + "?", "hồ sơ của " + LAN + "?"),
    ("bithu", "/lamhoso", "Trần Thị Bích Ngọc đang ở giai đoạn", "làm hồ sơ của " + LAN + "?"),
    ("bithu", "/denghiketnap", "Trần Thị Bích Ngọc đang ở giai đoạn", "Đặng Ngọc Lan"),
    ("bithu", "/chinhthuc", NGOC + " đang ở giai đoạn", LAN + " đang ở giai đoạn"),
    ("bithu", "/chuyen", NGOC, LAN),
]


@pytest.mark.parametrize("account, command, ngoc, lan", PICKERS, ids=[p[1] for p in PICKERS])
async def test_a_number_at_a_list_of_matches_is_the_register_number(talk, account, command, ngoc, lan):
    for typed, expected, other in (("2", ngoc, "Đặng Ngọc Lan"), ("6", lan, "Bích Ngọc")):
        person = talk(account)
        await person.say("/huy")
        await person.say(command)
        listed = await person.say("ngoc")
        assert "2. Trần Thị Bích Ngọc (2008)" in listed and "6. Đặng Ngọc Lan (1997)" in listed
        assert "1. " not in listed  # no place numbers beside the register numbers
        picked = await person.say(typed)
        assert expected in picked and other not in picked, f"{command} {typed}:\n{picked}"


async def test_the_list_shows_each_person_once_with_their_register_number(talk):
    listed = await talk().say("/xem ngoc")
    assert listed == "Có 2 người khớp \"ngoc\". Chọn một người.\n\n" + NGOC_OR_LAN


async def test_a_sponsor_types_the_register_number_of_the_person_met(talk):
    sponsor = talk("giupdo")
    await sponsor.dialog([
        ("/gap minh",
         "Có 2 người khớp \"minh\". Bạn đã gặp người nào?\n"
         "\n"
         "3. Lê Hoàng Minh (1995) — Cảm tình Đảng\n"
         "13. Tạ Minh Đức (1994) — Có quyết định kết nạp\n"
         + CHOOSE_KEYED),
        ("13",
         'Ghi một lần gặp với quần chúng bạn giúp đỡ. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu trước.\n'
         "\n"
         'Gặp 13. Tạ Minh Đức ngày nào? Chọn "Hôm nay" hoặc ghi ngày/tháng/năm, ví dụ 25/02/2026.\n'
         "\n"
         "1. Hôm nay\n"
         + CHOOSE),
    ])


async def test_the_committee_names_a_person_by_branch_code_and_number(talk):
    committee = talk("captren")
    await committee.dialog([
        ("/ds", COMMITTEE_LIST),  # "TP-1. Nguyễn Văn An", "TSP-1. Ngô Đức Thắng", "/xem MÃ-SỐ"
        ("/xem 1", TWO_NUMBER_ONES),  # number 1 in both branches: both shown, by reference
        ("TSP-1", THANG_CARD),
        ("/xem tp 1", AN_CARD_BY_REF),
        ("/xem tsp1", THANG_CARD),
    ])


async def test_a_reference_outside_ones_branches_finds_nobody(talk):
    secretary = talk("bithu")  # secretary of TP only
    assert await secretary.say("/xem TSP-1") == not_found("TSP-1")


async def test_a_long_list_of_matches_pages_with_a_word(talk, demo):
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        for i in range(20):
            await register_candidate(
                session=session, branch_id=branch.id, by_person_id=None, now=demo.clock.now(),
                today=demo.clock.today(), new=NewCandidate(
                    full_name=f"Người Thử {chr(65 + i)}", birth_date=date(2000, 1, 1), gender=Gender.male,
                    category=Category.staff, youth_union=False, introduced_by=IntroducedBy.branch, note=None))
    secretary = talk()
    await secretary.dialog([
        ("/xem nguoi thu",  # a page of 15, then a word for more
         "Có hơn 15 người khớp \"nguoi thu\": gõ thêm họ tên cho gọn, hoặc chọn một người.\n"
         "\n"
         + "".join(f"{16 + i}. Người Thử {chr(65 + i)} (2000) — Quần chúng ưu tú (nguồn)\n" for i in range(15))
         + "– Xem thêm (gõ \"tiếp\")\n"
         + CHOOSE_KEYED),
        ("tiep",
         "Những người tiếp theo khớp \"nguoi thu\" (trang 2) ở danh sách bên dưới.\n"
         "\n"
         + "".join(f"{31 + i}. Người Thử {chr(80 + i)} (2000) — Quần chúng ưu tú (nguồn)\n" for i in range(5))
         + CHOOSE_KEYED),
        ("35",
         "35. Người Thử T\n"
         "- Ngày sinh: 01/01/2000 · Nam\n"
         "- Đối tượng: Nhân viên\n"
         "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
         "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 02/03/2026\n"
         "- Đảng viên giúp đỡ: chưa phân công\n"
         "- Nguồn giới thiệu: Chi bộ phát hiện\n"
         "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
         "(Hướng dẫn 12-HD/BTCTW)"),
    ])


async def test_a_name_that_is_a_whole_word_comes_first(talk):
    assert await talk().say("/xem an") == (  # Nguyễn Văn An first; then Ngọc Lan, Mai Anh, ... by number
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
        + CHOOSE_KEYED)


async def test_after_four_misses_the_picker_stops_and_says_how_to_start_again(talk):
    secretary = talk()
    await secretary.dialog([("/xem", ASK_WHO)]
                           + [(name, missed(name) + "\n" + ASK_WHO) for name in ("xyz", "qqq", "zzz")])
    assert await secretary.say("www") == (missed("www") + "\n"
                                          "Đã 4 lần chưa tìm được, nên chibo dừng việc này ở đây; chưa có gì được lưu. "
                                          "Xem danh sách: /ds. Bắt đầu lại: /xem")
    assert await secretary.say("/huy") == NOTHING_TO_CANCEL


async def test_a_list_of_matches_is_no_miss(talk):
    secretary = talk()
    await secretary.say("/xem")
    for name in ("xyz", "qqq", "zzz", "ngoc"):  # three misses, then a list
        await secretary.say(name)
    listed = "Có 2 người khớp \"ngoc\". Chọn một người.\n" + ASK_WHO + "\n\n" + NGOC_OR_LAN
    await secretary.dialog([
        ("ngoc", listed),  # still asking: the list reset nothing, nor counted
        ("1", AN_CARD),
    ])
