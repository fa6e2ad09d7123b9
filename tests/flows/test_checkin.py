"""/gap and /cuatoi: a sponsor logs meetings with their own candidates and sees whom to meet."""

from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import Candidate, NewCandidate, register_candidate
from models.checkin import Checkin
from models.org import Organisation
from models.people import ChatLink, Person, link_chat
from models.stage import Category, Gender, IntroducedBy
from models.statements import SessionStatements
from tests.support import number_of, numbers_of
from tests.texts import CHOOSE, NOT_ALLOWED, NOT_LINKED

# giupdo's candidates; their register numbers are looked up (the `no` fixture)
MINH, HA, TUNG, LAN, HUY = "Lê Hoàng Minh", "Phạm Thu Hà", "Võ Thanh Tùng", "Đặng Ngọc Lan", "Bùi Quốc Huy"
ANH, KHOA, DUC = "Hoàng Mai Anh", "Đinh Văn Khoa", "Tạ Minh Đức"

START = ('Ghi một lần gặp với quần chúng bạn giúp đỡ. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu trước.\n'
         "\n")
WHO = "Bạn đã gặp ai? Gõ số hoặc một phần họ tên của người bạn giúp đỡ (không dấu cũng được)."


def gap(no: dict[str, int]) -> str:
    return (START
        + "Người bạn giúp đỡ:\n"  # only mine, still in the pipeline: not Cao Thị Huyền, an official member
        f"{no[MINH]}. Lê Hoàng Minh — Cảm tình Đảng\n"
        f"{no[HA]}. Phạm Thu Hà — Cảm tình Đảng\n"
        f"{no[TUNG]}. Võ Thanh Tùng — Học lớp nhận thức về Đảng\n"
        f"{no[LAN]}. Đặng Ngọc Lan — Đang làm hồ sơ\n"
        f"{no[HUY]}. Bùi Quốc Huy — Đã đề nghị kết nạp\n"
        f"{no[ANH]}. Hoàng Mai Anh — Đảng viên dự bị\n"
        f"{no[KHOA]}. Đinh Văn Khoa — Cảm tình Đảng\n"
        f"{no[DUC]}. Tạ Minh Đức — Có quyết định kết nạp\n"
        "\n"
        + WHO)


HOW = ("Gặp bằng hình thức nào?\n"
       "\n"
       "1. Gặp trực tiếp\n"
       "2. Điện thoại\n"
       "3. Trực tuyến\n"
       + CHOOSE)
NOTE = ('Ghi chú (nội dung trao đổi, việc cần làm tiếp)? Tối đa 500 ký tự, hoặc chọn "Bỏ qua".\n'
        "\n"
        "1. Bỏ qua\n"
        + CHOOSE)
NOBODY = ("Bạn chưa được phân công giúp đỡ quần chúng nào đang trong danh sách của chi bộ, nên chưa có lần gặp nào để "
          "ghi. Bí thư chi bộ phân công đảng viên giúp đỡ; khi được phân công, gõ lại /gap. "
          "Gõ /trogiup để xem các lệnh.")
NOBODY_LISTED = ("Bạn chưa được phân công giúp đỡ quần chúng nào đang trong danh sách của chi bộ. Bí thư chi bộ phân "
                 "công đảng viên giúp đỡ. Gõ /trogiup để xem các lệnh.")


def never_met(no: dict[str, int]) -> str:
    return (f"(!) {no[LAN]}. Đặng Ngọc Lan — Đang làm hồ sơ — chưa ghi lần gặp nào\n"
        f"(!) {no[HUY]}. Bùi Quốc Huy — Đã đề nghị kết nạp — chưa ghi lần gặp nào\n"
        f"(!) {no[ANH]}. Hoàng Mai Anh — Đảng viên dự bị — chưa ghi lần gặp nào\n"
        f"(!) {no[DUC]}. Tạ Minh Đức — Có quyết định kết nạp — chưa ghi lần gặp nào\n")


LIST_END = ("\n"
            "Ghi một lần gặp: /gap SỐ hoặc /gap TÊN\n"
            "\n"
            "1. Ghi lần gặp mới\n")


def when(who: str) -> str:
    return (f'Gặp {who} ngày nào? Chọn "Hôm nay" hoặc ghi ngày/tháng/năm, ví dụ 25/02/2026.\n'
            "\n"
            "1. Hôm nay\n"
            + CHOOSE)


def assess(who: str) -> str:
    return (f"Qua lần gặp này, bạn đánh giá {who} thế nào?\n"
            "\n"
            "1. Tốt\n"
            "2. Khá\n"
            "3. Trung bình\n"
            "4. Chưa đạt\n"
            + CHOOSE)


def confirm(who: str, day: str = "02/03/2026", how: str = "Gặp trực tiếp", grade: str = "Tốt",
            note: str = "(không có)") -> str:
    return ("Xin kiểm tra lại trước khi lưu lần gặp:\n"
            f"- Người được giúp đỡ: {who}\n"
            f"- Ngày gặp: {day}\n"
            f"- Hình thức: {how}\n"
            f"- Đánh giá: {grade}\n"
            f"- Ghi chú: {note}\n"
            "\n"
            "1. Lưu\n"
            "2. Sửa người được giúp đỡ\n"
            "3. Sửa ngày gặp\n"
            "4. Sửa hình thức\n"
            "5. Sửa đánh giá\n"
            "6. Sửa ghi chú\n"
            "7. Hủy\n"
            + CHOOSE)


def saved(name: str, number: int, day: str, next_before: str) -> str:
    return (f"Đã lưu lần gặp {name} (số {number}) ngày {day}.\n"
            f"Lần gặp tới nên trước ngày {next_before}.\n"
            "Người bạn giúp đỡ: /cuatoi · Ghi lần gặp khác: /gap")


def not_mine(says: str) -> str:
    return (f'"{says}" không phải là người bạn đang được phân công giúp đỡ. Bạn chỉ ghi được lần gặp với người mình '
            "giúp đỡ (xem danh sách: /cuatoi).\n")


def not_a_choice(says: str) -> str:
    return f'"{says}" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'


async def person_of(chibo, account: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == account))).one()


async def candidate(chibo, name: str) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).where(Candidate.full_name == name))).one()


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register number of each of giupdo's candidates, looked up by name."""
    return await numbers_of(demo, (MINH, HA, TUNG, LAN, HUY, ANH, KHOA, DUC))


async def checkins_of(chibo, name: str) -> list[Checkin]:
    c = await candidate(chibo, name)
    async with chibo.sessions() as session:
        return list(await session.exec(select(Checkin).where(Checkin.candidate_id == c.id).order_by(Checkin.id)))


async def test_gap_lists_only_my_candidates_still_in_the_pipeline(talk, no):
    assert await talk("giupdo").say("/gap") == gap(no)


async def test_a_whole_check_in_is_saved_as_confirmed(talk, no, demo):
    giupdo = talk("giupdo")
    assert await giupdo.say("/gap") == gap(no)
    assert await giupdo.say("pham thu ha") == when(f"{no[HA]}. Phạm Thu Hà")
    assert await giupdo.say("Hôm nay") == HOW
    assert await giupdo.say("Điện thoại") == assess(f"{no[HA]}. Phạm Thu Hà")
    assert await giupdo.say("khá") == NOTE
    assert await giupdo.say("Đã trao đổi về đơn xin vào Đảng") == confirm(
        f"{no[HA]}. Phạm Thu Hà", how="Điện thoại", grade="Khá", note="Đã trao đổi về đơn xin vào Đảng")
    assert await giupdo.say("Lưu") == saved("Phạm Thu Hà", no[HA], "02/03/2026", "01/04/2026")
    row = (await checkins_of(demo, "Phạm Thu Hà"))[-1]
    assert (row.met_on, row.how, row.assessment) == (date(2026, 3, 2), "phone", "fair")
    assert row.note == "Đã trao đổi về đơn xin vào Đảng"
    assert row.sponsor_id == await person_of(demo, "giupdo")


async def test_the_number_after_the_command_picks_the_candidate(talk, no):
    giupdo = talk("giupdo")
    assert await giupdo.say(f"/gap {no[MINH]}") == START + when(f"{no[MINH]}. Lê Hoàng Minh")  # no list of mine first
    assert await giupdo.say("1") == HOW


@pytest.mark.parametrize("says", ["#Nguyễn Văn An", "nguyen van an", "#Lương Thị Mỹ", "Cao Thị Huyền", "99"])
async def test_someone_i_do_not_sponsor_is_refused_and_asked_again(talk, demo, says):
    if says.startswith("#"):  # typed as their register number
        says = str(await number_of(demo, says[1:]))
    giupdo = talk("giupdo")
    await giupdo.say("/gap")
    assert await giupdo.say(says) == not_mine(says) + WHO  # names no one else (Nguyễn Văn An, Lương Thị Mỹ)


async def test_an_ambiguous_name_offers_the_matches(talk, no):
    giupdo = talk("giupdo")
    await giupdo.say("/gap")
    assert await giupdo.say("minh") == (  # Lê Hoàng Minh, Tạ Minh Đức
        "Có 2 người khớp \"minh\". Chọn một người.\n"
        + WHO + "\n"
        "\n"
        f"{no[MINH]}. Lê Hoàng Minh (1995) — Cảm tình Đảng\n"
        f"{no[DUC]}. Tạ Minh Đức (1994) — Có quyết định kết nạp\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")
    assert await giupdo.say(f"{no[MINH]}") == when(f"{no[MINH]}. Lê Hoàng Minh")  # his register number, not "1"


@pytest.mark.parametrize("says, reason", [
    ("05/03/2026", "Ngày 05/03/2026 chưa tới (hôm nay là 02/03/2026).\n"),
    ("01/03/2025", "Ngày 01/03/2025 đã quá lâu: chỉ ghi được lần gặp từ ngày 02/03/2025 trở lại đây.\n"),
    ("31/02/2026", "Không có ngày 31/02/2026 trên lịch. Xin kiểm tra lại ngày và tháng.\n"),
    ("tuần trước", 'Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, hoặc '
                   '"hôm nay", "hôm qua".\n'),
])
async def test_a_bad_meeting_day_is_refused_with_its_reason(talk, no, says, reason):
    giupdo = talk("giupdo")
    await giupdo.say(f"/gap {no[MINH]}")
    assert await giupdo.say(says) == reason + when(f"{no[MINH]}. Lê Hoàng Minh")


async def test_a_meeting_exactly_a_year_ago_is_accepted(talk, no, demo):
    giupdo = talk("giupdo")
    assert await giupdo.say(f"/gap {no[MINH]}") == START + when(f"{no[MINH]}. Lê Hoàng Minh")
    assert await giupdo.say("02/03/2025") == HOW
    assert await giupdo.say("1") == assess(f"{no[MINH]}. Lê Hoàng Minh")
    assert await giupdo.say("Tốt") == NOTE
    assert await giupdo.say("Bỏ qua") == confirm(f"{no[MINH]}. Lê Hoàng Minh", day="02/03/2025")
    assert await giupdo.say("Lưu") == saved("Lê Hoàng Minh", no[MINH], "02/03/2025", "01/04/2025")
    row = (await checkins_of(demo, "Lê Hoàng Minh"))[-1]
    assert (row.met_on, row.how, row.assessment, row.note) == (date(2025, 3, 2), "in_person", "good", None)


async def test_unknown_choices_and_a_long_note_are_asked_again(talk, no):
    giupdo = talk("giupdo")
    await giupdo.say(f"/gap {no[MINH]}")
    assert await giupdo.say("hom nay") == HOW
    assert await giupdo.say("bồ câu đưa thư") == not_a_choice("bồ câu đưa thư") + HOW
    assert await giupdo.say("truc tuyen") == assess(f"{no[MINH]}. Lê Hoàng Minh")
    assert await giupdo.say("xuất sắc") == not_a_choice("xuất sắc") + assess(f"{no[MINH]}. Lê Hoàng Minh")
    assert await giupdo.say("trung binh") == NOTE
    assert await giupdo.say("x" * 501) == "Câu trả lời dài quá: 501 ký tự, tối đa 500.\n" + NOTE


async def test_going_back_keeps_the_earlier_answers(talk, no):
    giupdo = talk("giupdo")
    await giupdo.say(f"/gap {no[MINH]}")
    assert await giupdo.say("hom nay") == HOW
    assert await giupdo.say("quay lại") == when(f"{no[MINH]}. Lê Hoàng Minh")
    assert await giupdo.say("28/02/2026") == HOW


async def fill_in(giupdo, number: int, who: str) -> None:
    """/gap NUMBER, today, in person, good, no note: up to the confirmation screen."""
    assert await giupdo.say(f"/gap {number}") == START + when(who)
    assert await giupdo.say("hom nay") == HOW
    assert await giupdo.say("1") == assess(who)
    assert await giupdo.say("1") == NOTE
    assert await giupdo.say("-") == confirm(who)


async def test_the_day_can_be_changed_on_the_confirmation_screen(talk, no, demo):
    giupdo = talk("giupdo")
    await fill_in(giupdo, no[TUNG], f"{no[TUNG]}. Võ Thanh Tùng")
    assert await giupdo.say("Sửa ngày gặp") == when(f"{no[TUNG]}. Võ Thanh Tùng")
    assert await giupdo.say("27/2/2026") == confirm(f"{no[TUNG]}. Võ Thanh Tùng", day="27/02/2026")
    assert await giupdo.say("Lưu") == saved("Võ Thanh Tùng", no[TUNG], "27/02/2026", "29/03/2026")
    assert (await checkins_of(demo, "Võ Thanh Tùng"))[-1].met_on == date(2026, 2, 27)


async def test_a_candidate_handed_to_another_sponsor_meanwhile_is_not_saved(talk, no, demo):
    giupdo = talk("giupdo")
    await fill_in(giupdo, no[HA], f"{no[HA]}. Phạm Thu Hà")
    async with demo.sessions() as session, session.begin():
        ha = (await session.exec(select(Candidate).where(Candidate.full_name == "Phạm Thu Hà"))).one()
        ha.sponsor_id = None
        session.add(ha)
    before = len(await checkins_of(demo, "Phạm Thu Hà"))
    assert await giupdo.say("Lưu") == not_mine("Phạm Thu Hà") + confirm(f"{no[HA]}. Phạm Thu Hà")
    assert len(await checkins_of(demo, "Phạm Thu Hà")) == before
    assert await giupdo.say("Hủy") == "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."


async def link_mai(chibo) -> None:
    async with chibo.sessions() as session, session.begin():
        mai = (await session.exec(select(Person).where(Person.full_name == "Đỗ Thị Mai"))).one()
        await link_chat(session=session, channel="console", account_id="mai", person_id=mai.id,
                        now=chibo.clock.now())


async def test_a_sponsor_with_nobody_assigned_is_told_what_to_do(talk, demo):
    await link_mai(demo)
    mai = talk("mai")
    assert await mai.say("/gap") == NOBODY
    # no flow was left open:
    assert await mai.say("/huy") == "Không có việc gì đang làm dở để hủy. Gõ /trogiup để xem các lệnh."
    assert await mai.say("/cuatoi") == NOBODY_LISTED


async def test_another_sponsor_of_the_branch_cannot_log_for_my_candidates(talk, no, demo):
    await link_mai(demo)
    assert await talk("mai").say(f"/gap {no[MINH]}") == NOBODY  # Lê Hoàng Minh is not named


@pytest.mark.parametrize("account, expect", [
    ("bithu", NOT_ALLOWED), ("quanchung", NOT_ALLOWED), ("captren", NOT_ALLOWED), ("nguoila", NOT_LINKED)])
@pytest.mark.parametrize("command", ["/gap", "/gap MINH", "/cuatoi"])
async def test_only_a_sponsor_may_log_or_list_check_ins(talk, no, account, expect, command):
    command = command.replace("MINH", str(no[MINH]))
    assert await talk(account).say(command) == expect  # and names no candidate


async def test_my_list_puts_those_to_meet_first(talk, no):
    # Never met first, then the longest since the last meeting; Cao Thị Huyền (an official member) and
    # other sponsors' candidates are not listed.
    assert await talk("giupdo").say("/cuatoi") == (
        "Người bạn giúp đỡ (8 người):\n"
        "\n"
        "Cần gặp sớm:\n"
        + never_met(no)
        + f"(!) {no[HA]}. Phạm Thu Hà — Cảm tình Đảng — 41 ngày chưa gặp (lần cuối 20/01/2026)\n"
        f"(!) {no[KHOA]}. Đinh Văn Khoa — Cảm tình Đảng — 33 ngày chưa gặp (lần cuối 28/01/2026)\n"
        "\n"
        "Đã gặp gần đây:\n"
        f"{no[MINH]}. Lê Hoàng Minh — Cảm tình Đảng — gặp 12 ngày trước (18/02/2026)\n"
        f"{no[TUNG]}. Võ Thanh Tùng — Học lớp nhận thức về Đảng — gặp 8 ngày trước (22/02/2026)\n"
        + LIST_END + CHOOSE)


async def test_thirty_days_without_a_meeting_raises_the_flag(talk, no, demo):
    demo.clock.advance(days=17)  # Lê Hoàng Minh: 29 days, not flagged yet
    assert await talk("giupdo").say("/cuatoi") == (
        "Người bạn giúp đỡ (8 người):\n"
        "\n"
        "Cần gặp sớm:\n"
        + never_met(no)
        + f"(!) {no[HA]}. Phạm Thu Hà — Cảm tình Đảng — 58 ngày chưa gặp (lần cuối 20/01/2026)\n"
        f"(!) {no[KHOA]}. Đinh Văn Khoa — Cảm tình Đảng — 50 ngày chưa gặp (lần cuối 28/01/2026)\n"
        "\n"
        "Đã gặp gần đây:\n"
        f"{no[MINH]}. Lê Hoàng Minh — Cảm tình Đảng — gặp 29 ngày trước (18/02/2026)\n"
        f"{no[TUNG]}. Võ Thanh Tùng — Học lớp nhận thức về Đảng — gặp 25 ngày trước (22/02/2026)\n"
        + LIST_END + CHOOSE)
    demo.clock.advance(days=1)  # 30 days: the nudge day (models/rules.py SPONSOR_CHECK_IN_NUDGE_DAYS)
    assert await talk("giupdo").say("/cuatoi") == (
        "Người bạn giúp đỡ (8 người):\n"
        "\n"
        "Cần gặp sớm:\n"
        + never_met(no)
        + f"(!) {no[HA]}. Phạm Thu Hà — Cảm tình Đảng — 59 ngày chưa gặp (lần cuối 20/01/2026)\n"
        f"(!) {no[KHOA]}. Đinh Văn Khoa — Cảm tình Đảng — 51 ngày chưa gặp (lần cuối 28/01/2026)\n"
        f"(!) {no[MINH]}. Lê Hoàng Minh — Cảm tình Đảng — 30 ngày chưa gặp (lần cuối 18/02/2026)\n"
        "\n"
        "Đã gặp gần đây:\n"
        f"{no[TUNG]}. Võ Thanh Tùng — Học lớp nhận thức về Đảng — gặp 26 ngày trước (22/02/2026)\n"
        + LIST_END + CHOOSE)


async def test_a_logged_meeting_moves_the_candidate_off_the_flagged_list(talk, no):
    giupdo = talk("giupdo")
    await fill_in(giupdo, no[HA], f"{no[HA]}. Phạm Thu Hà")
    assert await giupdo.say("Lưu") == saved("Phạm Thu Hà", no[HA], "02/03/2026", "01/04/2026")
    assert await giupdo.say("/cuatoi") == (
        "Người bạn giúp đỡ (8 người):\n"
        "\n"
        "Cần gặp sớm:\n"
        + never_met(no)
        + f"(!) {no[KHOA]}. Đinh Văn Khoa — Cảm tình Đảng — 33 ngày chưa gặp (lần cuối 28/01/2026)\n"
        "\n"
        "Đã gặp gần đây:\n"
        f"{no[MINH]}. Lê Hoàng Minh — Cảm tình Đảng — gặp 12 ngày trước (18/02/2026)\n"
        f"{no[TUNG]}. Võ Thanh Tùng — Học lớp nhận thức về Đảng — gặp 8 ngày trước (22/02/2026)\n"
        f"{no[HA]}. Phạm Thu Hà — Cảm tình Đảng — gặp 0 ngày trước (02/03/2026)\n"
        + LIST_END + CHOOSE)


async def test_a_long_list_of_mine_pages(talk, no, demo):
    sponsor = await person_of(demo, "giupdo")
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        for i in range(10):
            c = await register_candidate(
                db=SessionStatements(session), branch_id=branch.id, by_person_id=None, now=demo.clock.now(),
                today=demo.clock.today(),
                new=NewCandidate(full_name=f"Người Thêm {chr(65 + i)}", birth_date=date(2000, 1, 1),
                                 gender=Gender.male, category=Category.staff, youth_union=False,
                                 introduced_by=IntroducedBy.branch, note=None))
            (await session.get(Candidate, c.id)).sponsor_id = sponsor
    giupdo = talk("giupdo")
    added = ""
    for i in range(10):
        name = f"Người Thêm {chr(65 + i)}"
        added += f"(!) {await number_of(demo, name)}. {name} — Quần chúng ưu tú (nguồn) — chưa ghi lần gặp nào\n"
    assert await giupdo.say("/cuatoi") == (
        "Người bạn giúp đỡ (18 người, trang 1/2):\n"
        "\n"
        "Cần gặp sớm:\n"
        + never_met(no) + added
        + f"(!) {no[HA]}. Phạm Thu Hà — Cảm tình Đảng — 41 ngày chưa gặp (lần cuối 20/01/2026)\n"
        + LIST_END
        + "2. Xem thêm\n"
        + CHOOSE)
    assert await giupdo.say("Xem thêm") == (
        "Người bạn giúp đỡ (18 người, trang 2/2):\n"
        "\n"
        "Cần gặp sớm:\n"
        f"(!) {no[KHOA]}. Đinh Văn Khoa — Cảm tình Đảng — 33 ngày chưa gặp (lần cuối 28/01/2026)\n"
        "\n"
        "Đã gặp gần đây:\n"
        f"{no[MINH]}. Lê Hoàng Minh — Cảm tình Đảng — gặp 12 ngày trước (18/02/2026)\n"
        f"{no[TUNG]}. Võ Thanh Tùng — Học lớp nhận thức về Đảng — gặp 8 ngày trước (22/02/2026)\n"
        + LIST_END + CHOOSE)  # the last page: no "Xem thêm"
    assert await giupdo.say("/cuatoi 5") == "Không có trang 5; danh sách có 2 trang. Xem trang đầu: /cuatoi"
