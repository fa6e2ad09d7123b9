"""Every candidate picker: a number is the register number of /ds, never a place in a list.

"ngoc" matches Trần Thị Bích Ngọc and Đặng Ngọc Lan (in the demo, numbers 2 and 6). Typing Ngọc's number at
that list must mean Ngọc (her number in /ds), not Lan (the second line); Lan's must mean Lan, not nobody.
Register numbers are looked up by name (the `no` fixture, tests/support.py number_of).
"""

from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH, SECOND_BRANCH
from models.candidate import NewCandidate, register_candidate
from models.org import Organisation
from models.stage import Category, Gender, IntroducedBy
from models.statements import SessionStatements
from tests.support import number_of, numbers_of
from tests.flows.test_candidates import committee_list, demo_numbers, not_found
from tests.texts import (
    CHOOSE, CHOOSE_KEYED, NOTHING_TO_CANCEL, an_card, an_card_by_ref, thang_card, two_number_ones,
)

ASK_WHO = "Xem ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được)."
AN, NGOC, LAN, MINH, DUC = "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Đặng Ngọc Lan", "Lê Hoàng Minh", "Tạ Minh Đức"
TUNG, ANH, XUAN, KHOA, TAI = "Võ Thanh Tùng", "Hoàng Mai Anh", "Vũ Thị Thanh Xuân", "Đinh Văn Khoa", "Mạc Văn Tài"


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers of the demo candidates these tests name, looked up by name."""
    return await numbers_of(demo, (AN, NGOC, LAN, MINH, DUC, TUNG, ANH, XUAN, KHOA, TAI))


def ngoc_or_lan(no: dict[str, int]) -> str:
    return (f"{no[NGOC]}. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
            f"{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
            + CHOOSE_KEYED)


def missed(name: str) -> str:
    return (f'Không tìm thấy ai khớp với "{name}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần '
            "họ tên khác.")

# (account, the command, what a reply names once Ngọc is picked, once Lan is picked); "{ngoc}" and "{lan}" stand
# for "<register number>. <full name>"
PICKERS = [
    ("bithu", "/xem", "{ngoc}\n- Ngày sinh", "{lan}\n- Ngày sinh"),
    ("bithu", "/giupdo", "{ngoc} (Quần chúng ưu tú (nguồn))", "{lan} (Đang làm hồ sơ)"),
    ("bithu", "/hoso", "Hồ sơ kết nạp của {ngoc}", "Hồ sơ kết nạp của {lan}"),
    ("bithu", "/ghihoso", "hồ sơ của {ngoc}?", "hồ sơ của {lan}?"),
    ("bithu", "/lamhoso", "Trần Thị Bích Ngọc đang ở giai đoạn", "làm hồ sơ của {lan}?"),
    ("bithu", "/denghiketnap", "Trần Thị Bích Ngọc đang ở giai đoạn", "Đặng Ngọc Lan"),
    ("bithu", "/chinhthuc", "{ngoc} đang ở giai đoạn", "{lan} đang ở giai đoạn"),
    ("bithu", "/chuyen", "{ngoc}", "{lan}"),
]


@pytest.mark.parametrize("account, command, ngoc, lan", PICKERS, ids=[p[1] for p in PICKERS])
async def test_a_number_at_a_list_of_matches_is_the_register_number(talk, no, account, command, ngoc, lan):
    named = {"ngoc": f"{no[NGOC]}. {NGOC}", "lan": f"{no[LAN]}. {LAN}"}
    for typed, expected, other in ((no[NGOC], ngoc.format(**named), "Đặng Ngọc Lan"),
                                   (no[LAN], lan.format(**named), "Bích Ngọc")):
        person = talk(account)
        await person.say("/huy")
        await person.say(command)
        listed = await person.say("ngoc")
        assert f"{no[NGOC]}. Trần Thị Bích Ngọc (2008)" in listed and f"{no[LAN]}. Đặng Ngọc Lan (1997)" in listed
        assert "1. " not in listed  # no place numbers beside the register numbers
        picked = await person.say(f"{typed}")
        assert expected in picked and other not in picked, f"{command} {typed}:\n{picked}"


async def test_the_list_shows_each_person_once_with_their_register_number(talk, no):
    listed = await talk().say("/xem ngoc")
    assert listed == "Có 2 người khớp \"ngoc\". Chọn một người.\n\n" + ngoc_or_lan(no)


async def test_a_sponsor_types_the_register_number_of_the_person_met(talk, no):
    sponsor = talk("giupdo")
    await sponsor.dialog([
        ("/gap minh",
         "Có 2 người khớp \"minh\". Chọn một người.\n"
         "\n"
         f"{no[MINH]}. Lê Hoàng Minh (1995) — Cảm tình Đảng\n"
         f"{no[DUC]}. Tạ Minh Đức (1994) — Có quyết định kết nạp\n"
         + CHOOSE_KEYED),
        (f"{no[DUC]}",
         'Ghi một lần gặp với quần chúng bạn giúp đỡ. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu trước.\n'
         "\n"
         f'Gặp {no[DUC]}. Tạ Minh Đức ngày nào? Chọn "Hôm nay" hoặc ghi ngày/tháng/năm, ví dụ 25/02/2026.\n'
         "\n"
         "1. Hôm nay\n"
         + CHOOSE),
    ])


async def test_the_committee_names_a_person_by_branch_code_and_number(talk, demo, no):
    thang = await number_of(demo, "Ngô Đức Thắng", branch=SECOND_BRANCH)
    assert thang == no[AN]  # each the first in their branch: the premise of /xem with An's number
    committee = talk("captren")
    await committee.dialog([
        ("/ds", committee_list(await demo_numbers(demo))),  # "TP-<n>. Nguyễn Văn An", "TSP-<n>. Ngô Đức Thắng"
        (f"/xem {no[AN]}", two_number_ones(no[AN])),  # An's number is Thắng's in the other branch: both shown
        (f"TSP-{thang}", thang_card(thang)),
        (f"/xem tp {no[AN]}", an_card_by_ref(no[AN])),
        (f"/xem tsp{thang}", thang_card(thang)),
    ])


async def test_a_reference_outside_ones_branches_finds_nobody(talk, demo):
    thang = await number_of(demo, "Ngô Đức Thắng", branch=SECOND_BRANCH)
    secretary = talk("bithu")  # secretary of TP only
    assert await secretary.say(f"/xem TSP-{thang}") == not_found(f"TSP-{thang}")


async def test_a_long_list_of_matches_pages_with_a_word(talk, demo):
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        for i in range(20):
            await register_candidate(
                db=SessionStatements(session), branch_id=branch.id, by_person_id=None, now=demo.clock.now(),
                today=demo.clock.today(), new=NewCandidate(
                    full_name=f"Người Thử {chr(65 + i)}", birth_date=date(2000, 1, 1), gender=Gender.male,
                    category=Category.staff, youth_union=False, introduced_by=IntroducedBy.branch, note=None))
    first = await number_of(demo, "Người Thử A")  # numbered after the demo's people
    secretary = talk()
    await secretary.dialog([
        ("/xem nguoi thu",  # a page of 15, then a word for more
         "Có hơn 15 người khớp \"nguoi thu\": gõ thêm họ tên cho gọn, hoặc chọn một người.\n"
         "\n"
         + "".join(f"{first + i}. Người Thử {chr(65 + i)} (2000) — Quần chúng ưu tú (nguồn)\n" for i in range(15))
         + "– Xem thêm (gõ \"tiếp\")\n"
         + CHOOSE_KEYED),
        ("tiep",
         "Những người tiếp theo khớp \"nguoi thu\" (trang 2) ở danh sách bên dưới.\n"
         "\n"
         + "".join(f"{first + 15 + i}. Người Thử {chr(80 + i)} (2000) — Quần chúng ưu tú (nguồn)\n" for i in range(5))
         + CHOOSE_KEYED),
        (f"{first + 19}",
         f"{first + 19}. Người Thử T\n"
         "- Ngày sinh: 01/01/2000 · Nam\n"
         "- Đối tượng: Nhân viên\n"
         "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
         "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 02/03/2026\n"
         "- Đảng viên giúp đỡ: chưa phân công\n"
         "- Nguồn giới thiệu: Chi bộ phát hiện\n"
         "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
         "(Hướng dẫn 12-HD/BTCTW)"),
    ])


async def test_a_name_that_is_a_whole_word_comes_first(talk, no):
    assert await talk().say("/xem an") == (  # Nguyễn Văn An first; then Ngọc Lan, Mai Anh, ... by number
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
        + CHOOSE_KEYED)


async def test_after_four_misses_the_picker_stops_and_says_how_to_start_again(talk):
    secretary = talk()
    await secretary.dialog([("/xem", ASK_WHO)]
                           + [(name, missed(name) + "\n" + ASK_WHO) for name in ("xyz", "qqq", "zzz")])
    assert await secretary.say("www") == (missed("www") + "\n"
                                          "Đã 4 lần chưa tìm được, nên chibo dừng việc này ở đây; chưa có gì được lưu. "
                                          "Xem danh sách: /ds. Bắt đầu lại: /xem")
    assert await secretary.say("/huy") == NOTHING_TO_CANCEL


async def test_a_list_of_matches_is_no_miss(talk, no):
    secretary = talk()
    await secretary.say("/xem")
    for name in ("xyz", "qqq", "zzz", "ngoc"):  # three misses, then a list
        await secretary.say(name)
    listed = "Có 2 người khớp \"ngoc\". Chọn một người.\n" + ASK_WHO + "\n\n" + ngoc_or_lan(no)
    await secretary.dialog([
        ("ngoc", listed),  # still asking: the list reset nothing, nor counted
        (f"{no[AN]}", an_card(no[AN])),
    ])
