"""Every candidate picker: a number is the register number of /ds, never a place in a list.

"ngoc" matches 2. Trần Thị Bích Ngọc and 6. Đặng Ngọc Lan. Typing 2 at that list must mean
Ngọc (her number in /ds), not Lan (the second line); 6 must mean Lan, not nobody.
"""

from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH
from bot.render import text_of
from models.candidate import NewCandidate, register_candidate
from models.org import Organisation
from models.stage import Category, Gender, IntroducedBy

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
    assert listed == (
        text_of("invalid/candidate_ambiguous", count=2, text="ngoc", more=False) + "\n\n"
        "2. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
        "6. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")


async def test_a_sponsor_types_the_register_number_of_the_person_met(talk):
    sponsor = talk("giupdo")
    await sponsor.say("/gap minh")  # 3. Lê Hoàng Minh, 13. Tạ Minh Đức
    assert "Gặp 13. Tạ Minh Đức ngày nào?" in await sponsor.say("13")


async def test_the_committee_names_a_person_by_branch_code_and_number(talk):
    committee = talk("captren")
    listed = await committee.say("/ds")
    assert "TP-1. Nguyễn Văn An (1998)" in listed and "TSP-1. Ngô Đức Thắng (2004)" in listed
    assert "Xem một người: /xem MÃ-SỐ" in listed
    twice = await committee.say("/xem 1")  # number 1 in both branches: both shown, by reference
    assert "TP-1. Nguyễn Văn An (1998)" in twice and "TSP-1. Ngô Đức Thắng (2004)" in twice
    assert (await committee.say("TSP-1")).startswith("1. Ngô Đức Thắng\n- Ngày sinh")
    assert (await committee.say("/xem tp 1")).startswith("1. Nguyễn Văn An\n- Ngày sinh")
    assert (await committee.say("/xem tsp1")).startswith("1. Ngô Đức Thắng\n- Ngày sinh")


async def test_a_reference_outside_ones_branches_finds_nobody(talk):
    secretary = talk("bithu")  # secretary of TP only
    reply = await secretary.say("/xem TSP-1")
    assert reply.startswith(text_of("invalid/candidate_not_found", text="TSP-1"))


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
    first = await secretary.say("/xem nguoi thu")
    assert first.startswith("Có hơn 15 người khớp “nguoi thu”: gõ thêm họ tên cho gọn, hoặc chọn một người.")
    assert "16. Người Thử A (2000)" in first and "Người Thử P" not in first
    assert "– Xem thêm (gõ “tiếp”)" in first
    more = await secretary.say("tiep")
    assert more.startswith("Những người tiếp theo khớp “nguoi thu” (trang 2) ở danh sách bên dưới.\n")
    assert "31. Người Thử P (2000)" in more and "35. Người Thử T (2000)" in more and "Xem thêm" not in more
    assert (await secretary.say("35")).startswith("35. Người Thử T\n- Ngày sinh")


async def test_a_name_that_is_a_whole_word_comes_first(talk):
    listed = await talk().say("/xem an")  # Nguyễn Văn An; Đặng Ngọc Lan, Hoàng Mai Anh, ...
    first_row = next(line for line in listed.split("\n") if line[:1].isdigit())
    assert first_row == "1. Nguyễn Văn An (1998) — Quần chúng ưu tú (nguồn)"


async def test_after_four_misses_the_picker_stops_and_says_how_to_start_again(talk):
    secretary = talk()
    await secretary.say("/xem")
    for name in ("xyz", "qqq", "zzz"):
        assert (await secretary.say(name)).startswith(text_of("invalid/candidate_not_found", text=name))
    stopped = await secretary.say("www")
    assert stopped == (text_of("invalid/candidate_not_found", text="www") + "\n"
                       "Đã 4 lần chưa tìm được, nên chibo dừng việc này ở đây; chưa có gì được lưu. "
                       "Xem danh sách: /ds. Bắt đầu lại: /xem")
    assert await secretary.say("/huy") == text_of("common/nothing_to_cancel")


async def test_a_list_of_matches_is_no_miss(talk):
    secretary = talk()
    await secretary.say("/xem")
    for name in ("xyz", "qqq", "zzz", "ngoc"):  # three misses, then a list
        await secretary.say(name)
    assert "Chọn một người" in await secretary.say("ngoc")  # still asking: the list reset nothing, nor counted
    assert "1. Nguyễn Văn An\n- Ngày sinh" in await secretary.say("1")
