"""/lop, /taolop, /ghidanh, /ketqualop: the classes a branch sees, creating one, enrolling
candidates and recording results; the committee only looks; nobody else learns anything."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.conversation import Conversation
from models.org import Organisation
from models.party_class import ClassKind, Enrollment, PartyClass
from tests.support import numbers_of
from tests.texts import (CANCELLED, CHOOSE, CHOOSE_KEYED, NOT_ALLOWED, NOT_LINKED, NOT_UNDERSTOOD,
                         NOT_UNDERSTOOD_STRANGER)

TODAY = date(2026, 3, 2)
# The demo candidates named here; their register numbers are looked up (the `no` fixture)
AN, MINH, HA, TUNG, LAN = "Nguyễn Văn An", "Lê Hoàng Minh", "Phạm Thu Hà", "Võ Thanh Tùng", "Đặng Ngọc Lan"
HUY, ANH, KHOA, MY, DUC = "Bùi Quốc Huy", "Hoàng Mai Anh", "Đinh Văn Khoa", "Lương Thị Mỹ", "Tạ Minh Đức"


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers of the candidates named here, looked up by name."""
    return await numbers_of(demo, (AN, MINH, HA, TUNG, LAN, HUY, ANH, KHOA, MY, DUC))


def row(number: int, title: str, kind: str, state: str, owner: str, studies: str, enrol_by: str, enrolled: str,
        mine: str | None) -> str:
    """One class as /lop lists it; `mine` is the branch's count that a branch officer sees."""
    return (f"Lớp số {number}: {title} ({kind}, {state})\n"
            f"- Đơn vị mở lớp: {owner}\n"
            f"- Học {studies}\n"
            f"- Hạn ghi danh: {enrol_by}\n"
            f"- Đã ghi danh: {enrolled}" + (f" (chi bộ bạn: {mine})" if mine is not None else ""))


AWARENESS = "Lớp bồi dưỡng nhận thức về Đảng"


def khoa2(enrolled: str = "2/80 chỗ", mine: str | None = "2 người", state: str = "đang nhận ghi danh") -> str:
    return row(3, "Lớp nhận thức về Đảng khóa 2", AWARENESS, state, COMMITTEE,
               "từ 01/04/2026 đến 05/04/2026, tại Hội trường Đảng ủy Khối", "16/03/2026", enrolled, mine)


def khoa1(mine: str | None = "3 người") -> str:
    return row(2, "Lớp nhận thức về Đảng khóa 1", AWARENESS, "đã học xong", COMMITTEE,
               "từ 23/10/2025 đến 27/10/2025, tại Hội trường Đảng ủy Khối", "13/10/2025", "3/80 chỗ", mine)


def khoa_cu(mine: str | None = "1 người") -> str:
    return row(1, "Lớp nhận thức về Đảng khóa cũ", AWARENESS, "đã học xong", COMMITTEE,
               "từ 27/12/2024 đến 31/12/2024, tại Trung tâm Chính trị", "17/12/2024", "1/80 chỗ", mine)


PICK_A_CLASS = "Chọn một lớp để xem, ghi danh học viên hoặc ghi kết quả."
CREATE_A_CLASS = "– Tạo lớp mới (gõ \"/taolop\")"
# /lop as bithu sees it with the demo's three classes.
BITHU_LIST = (f"Các lớp bồi dưỡng (3 lớp), lớp sắp học trước:\n\n{khoa2()}\n\n{khoa1()}\n\n{khoa_cu()}\n\n"
              f"{PICK_A_CLASS}\n\n"
              "3. Lớp nhận thức về Đảng khóa 2 (01/04/2026)\n"
              "2. Lớp nhận thức về Đảng khóa 1 (23/10/2025)\n"
              "1. Lớp nhận thức về Đảng khóa cũ (27/12/2024)\n"
              f"{CREATE_A_CLASS}\n{CHOOSE_KEYED}")
def khoa2_card(no: dict[str, int]) -> str:
    return (f"{khoa2()}\n"
              "\n"
              "Quần chúng của chi bộ trong lớp:\n"
              f"- {no[TUNG]}. Võ Thanh Tùng: Đã đăng ký\n"
              f"- {no[MY]}. Lương Thị Mỹ: Đã đăng ký\n"
              "\n"
              "1. Ghi danh quần chúng\n"
              "2. Danh sách lớp\n" + CHOOSE)


def khoa1_card(no: dict[str, int]) -> str:
    return (f"{khoa1()}\n"
              "\n"
              "Quần chúng của chi bộ trong lớp:\n"
              f"- {no[LAN]}. Đặng Ngọc Lan: Đạt, có giấy chứng nhận (số CN-0101, ngày 28/10/2025)\n"
              f"- {no[HUY]}. Bùi Quốc Huy: Đạt, có giấy chứng nhận (số CN-0102, ngày 28/10/2025)\n"
              f"- {no[DUC]}. Tạ Minh Đức: Đạt, có giấy chứng nhận (số CN-0087, ngày 28/10/2025)\n"
              "\n"
              "1. Danh sách lớp\n" + CHOOSE)


NO_SUCH_CLASS = ('Không tìm thấy lớp "{}" trong các lớp bạn được xem. Xem danh sách lớp: /lop\n\n'
                 "1. Danh sách lớp\n" + CHOOSE)


async def org_id(chibo, name: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(Organisation).where(Organisation.name == name))).one().id


async def class_id(chibo, title_end: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(PartyClass).where(PartyClass.title.endswith(title_end)))).one().id


async def candidate(chibo, name: str, branch: str = BRANCH) -> Candidate:
    branch_id = await org_id(chibo, branch)
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).where(
            Candidate.branch_id == branch_id, Candidate.full_name == name))).one()


async def enrollments(chibo, klass: int) -> dict[int, Enrollment]:
    async with chibo.sessions() as session:
        rows = await session.exec(select(Enrollment).where(Enrollment.class_id == klass))
        return {e.candidate_id: e for e in rows}


async def add_class(chibo, org: str, title: str, *, kind=ClassKind.awareness, starts_in: int = 30,
                    enrol_in: int = 14, capacity: int = 50) -> int:
    owner = await org_id(chibo, org)
    async with chibo.sessions() as session, session.begin():
        c = PartyClass(org_id=owner, kind=kind, title=title, place="Phòng họp", capacity=capacity,
                       starts_on=TODAY + timedelta(days=starts_in), ends_on=TODAY + timedelta(days=starts_in + 3),
                       enrol_by=TODAY + timedelta(days=enrol_in), created_at=chibo.clock.now())
        session.add(c)
        await session.flush()
        return c.id


async def set_class(chibo, klass: int, **values) -> None:
    async with chibo.sessions() as session, session.begin():
        await session.exec(sa.update(PartyClass).where(PartyClass.id == klass).values(**values))


# ---- /lop: the list and one class ----------------------------------------------------------

async def test_the_list_shows_upcoming_classes_first_with_dates_place_and_counts(talk):
    # A class is typed by its number (as in /lop 3), shown before it; never by its place in the list.
    assert await talk("bithu").say("/lop") == BITHU_LIST


async def test_picking_a_class_shows_my_branch_people_in_it_and_what_i_can_do(talk, no):
    bithu = talk("bithu")
    # It has not started: enrol, no results yet.
    await bithu.dialog([("/lop", BITHU_LIST), ("3", khoa2_card(no)), ("/lop 3", khoa2_card(no))])


async def test_a_past_class_shows_certificates(talk, demo, no):
    # The deadline is long past: no enrolling.
    assert await talk("bithu").say(f"/lop {await class_id(demo, 'khóa 1')}") == khoa1_card(no)


async def test_a_class_is_found_by_words_of_its_title_without_diacritics(talk, no):
    assert await talk("bithu").say("/lop khoa 1") == khoa1_card(no)


async def test_no_matching_title_says_so(talk):
    assert await talk("bithu").say("/lop tiếng anh") == (
        'Không có lớp nào khớp với "tiếng anh". Xem mọi lớp: /lop\n'
        "\n"
        f"{CREATE_A_CLASS}")


async def test_an_unknown_class_number_says_so(talk):
    assert await talk("bithu").say("/lop 999") == NO_SUCH_CLASS.format("999")


def trial(i: int) -> str:
    """"Lớp thử i" of the long list: class number i + 4, one a day from 11/04/2026."""
    starts, ends = TODAY + timedelta(days=40 + i), TODAY + timedelta(days=43 + i)
    return row(i + 4, f"Lớp thử {i}", AWARENESS, "đang nhận ghi danh", COMMITTEE,
               f"từ {starts:%d/%m/%Y} đến {ends:%d/%m/%Y}, tại Phòng họp", "06/04/2026", "0/50 chỗ", "0 người")


def trial_choice(i: int) -> str:
    return f"{i + 4}. Lớp thử {i} ({TODAY + timedelta(days=40 + i):%d/%m/%Y})\n"


async def test_a_long_list_pages_with_see_more(talk, demo):
    for i in range(20):
        await add_class(demo, COMMITTEE, f"Lớp thử {i}", starts_in=40 + i, enrol_in=35)
    bithu = talk("bithu")
    # 14 a page (the demo's page size), upcoming first; the page is cut between classes, never inside one.
    assert await bithu.say("/lop") == (
        "Các lớp bồi dưỡng (23 lớp, trang 1/2), lớp sắp học trước:\n\n"
        + "\n\n".join([khoa2()] + [trial(i) for i in range(14)])
        + f"\n\n{PICK_A_CLASS}\n\n"
        "3. Lớp nhận thức về Đảng khóa 2 (01/04/2026)\n" + "".join(trial_choice(i) for i in range(14))
        + "– Xem thêm (gõ \"tiếp\")\n"
        f"{CREATE_A_CLASS}\n{CHOOSE_KEYED}")
    assert await bithu.say("Xem thêm") == (
        "Các lớp bồi dưỡng (23 lớp, trang 2/2), lớp sắp học trước:\n\n"
        + "\n\n".join([trial(i) for i in range(14, 20)] + [khoa1(), khoa_cu()])
        + f"\n\n{PICK_A_CLASS}\n\n"
        + "".join(trial_choice(i) for i in range(14, 20))
        + "2. Lớp nhận thức về Đảng khóa 1 (23/10/2025)\n"
        "1. Lớp nhận thức về Đảng khóa cũ (27/12/2024)\n"
        f"{CREATE_A_CLASS}\n{CHOOSE_KEYED}")
    assert await bithu.say("/lop trang 5") == (
        "Không có trang 5; danh sách lớp có 2 trang. Xem trang đầu: /lop")


async def test_a_branch_sees_classes_above_it_but_not_another_branch_own(talk, demo):
    await add_class(demo, SECOND_BRANCH, "Lớp riêng của Khoa Toán")
    assert await talk("bithu").say("/lop") == BITHU_LIST  # the same three classes as without it
    klass = await class_id(demo, "Khoa Toán")
    assert await talk("bithu").say(f"/lop {klass}") == NO_SUCH_CLASS.format(klass)
    assert await talk("captren").say("/lop") == (
        "Các lớp bồi dưỡng (4 lớp), lớp sắp học trước:\n"
        "\n"
        "Lớp số 3: Lớp nhận thức về Đảng khóa 2 (Lớp bồi dưỡng nhận thức về Đảng, đang nhận ghi danh)\n"
        "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
        "- Học từ 01/04/2026 đến 05/04/2026, tại Hội trường Đảng ủy Khối\n"
        "- Hạn ghi danh: 16/03/2026\n"
        "- Đã ghi danh: 2/80 chỗ\n"
        "\n"
        "Lớp số 4: Lớp riêng của Khoa Toán (Lớp bồi dưỡng nhận thức về Đảng, đang nhận ghi danh)\n"
        "- Đơn vị mở lớp: Chi bộ Khoa Toán, ĐH Sư phạm (demo)\n"
        "- Học từ 01/04/2026 đến 04/04/2026, tại Phòng họp\n"
        "- Hạn ghi danh: 16/03/2026\n"
        "- Đã ghi danh: 0/50 chỗ\n"
        "\n"
        "Lớp số 2: Lớp nhận thức về Đảng khóa 1 (Lớp bồi dưỡng nhận thức về Đảng, đã học xong)\n"
        "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
        "- Học từ 23/10/2025 đến 27/10/2025, tại Hội trường Đảng ủy Khối\n"
        "- Hạn ghi danh: 13/10/2025\n"
        "- Đã ghi danh: 3/80 chỗ\n"
        "\n"
        "Lớp số 1: Lớp nhận thức về Đảng khóa cũ (Lớp bồi dưỡng nhận thức về Đảng, đã học xong)\n"
        "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
        "- Học từ 27/12/2024 đến 31/12/2024, tại Trung tâm Chính trị\n"
        "- Hạn ghi danh: 17/12/2024\n"
        "- Đã ghi danh: 1/80 chỗ\n"
        "\n"
        "Chọn một lớp để xem.\n"
        "\n"
        "3. Lớp nhận thức về Đảng khóa 2 (01/04/2026)\n"
        "4. Lớp riêng của Khoa Toán (01/04/2026)\n"
        "2. Lớp nhận thức về Đảng khóa 1 (23/10/2025)\n"
        "1. Lớp nhận thức về Đảng khóa cũ (27/12/2024)\n"
        "– Tạo lớp mới (gõ \"/taolop\")\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")


async def test_with_no_class_the_list_says_what_to_do(talk, demo):
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(Enrollment))
        await session.exec(sa.delete(PartyClass))
    assert await talk("bithu").say("/lop") == f"Chưa có lớp bồi dưỡng nào bạn xem được.\n\n{CREATE_A_CLASS}"


# ---- /taolop ------------------------------------------------------------------------------------

CREATE = [
    ("/taolop", "Tạo lớp bồi dưỡng mới của Đảng ủy Khối Giáo dục (demo); lớp hiện với đơn vị này và các chi bộ trực "
                'thuộc. Gõ /huy để hủy, "quay lại" để sửa câu trước.\n'
                "\n"
                "Lớp gì?\n"
                "\n"
                "1. Lớp bồi dưỡng nhận thức về Đảng\n"
                "2. Lớp bồi dưỡng đảng viên mới\n"
                + CHOOSE),
    ("2", "Tên lớp? (ví dụ: Lớp bồi dưỡng nhận thức về Đảng khóa 3)"),
    ("Lớp đảng viên mới khóa 1", "Học ở đâu? (ví dụ: Hội trường Đảng ủy Khối)"),
    ("Trường Chính trị tỉnh", 'Ngày khai giảng? (ngày/tháng/năm, ví dụ 15/4/2026, hoặc "hôm nay")'),
    ("10/4/26", "Ngày bế giảng? (không sớm hơn ngày khai giảng 10/04/2026)"),
    ("12/04/2026", "Hạn chót ghi danh? (không muộn hơn ngày khai giảng 10/04/2026)"),
    ("5/4/26", "Lớp nhận tối đa bao nhiêu học viên? (từ 1 đến 500)"),
]


def confirm_create(starts: str = "10/04/2026", enrol_by: str = "05/04/2026") -> str:
    return ("Xin kiểm tra lại trước khi lưu lớp mới:\n"
            "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
            "- Loại lớp: Lớp bồi dưỡng đảng viên mới\n"
            "- Tên lớp: Lớp đảng viên mới khóa 1\n"
            "- Địa điểm: Trường Chính trị tỉnh\n"
            f"- Khai giảng: {starts}\n"
            "- Bế giảng: 12/04/2026\n"
            f"- Hạn ghi danh: {enrol_by}\n"
            "- Số chỗ: 30\n"
            "\n"
            "1. Lưu\n2. Sửa đơn vị\n3. Sửa loại lớp\n4. Sửa tên lớp\n5. Sửa địa điểm\n6. Sửa ngày khai giảng\n"
            "7. Sửa ngày bế giảng\n8. Sửa hạn ghi danh\n9. Sửa số chỗ\n10. Hủy\n"
            + CHOOSE)


CREATED = ('Đã tạo lớp "Lớp đảng viên mới khóa 1" (lớp số 4) của Đảng ủy Khối Giáo dục (demo). Các chi bộ trực '
           "thuộc ghi danh học viên bằng /ghidanh 4 đến hết hạn ghi danh.\n"
           "\n"
           "1. Xem lớp này\n"
           "2. Danh sách lớp\n"
           + CHOOSE)
LATE_ENROLMENT = ("Hạn ghi danh (05/04/2026) muộn hơn ngày khai giảng (01/04/2026); hạn ghi danh phải trước hoặc đúng "
                  "ngày khai giảng.\n")


async def test_the_committee_creates_a_class_its_branches_see(talk, demo):
    captren = talk("captren")
    await captren.dialog(CREATE)
    assert await captren.say("30") == confirm_create()
    assert await captren.say("Lưu") == CREATED
    async with demo.sessions() as session:
        c = (await session.exec(select(PartyClass).where(PartyClass.title == "Lớp đảng viên mới khóa 1"))).one()
        logged = (await session.exec(select(AuditLog).where(AuditLog.subject == f"class:{c.id}"))).all()
    assert (c.org_id, c.kind, c.place, c.starts_on, c.ends_on, c.enrol_by, c.capacity) == (
        await org_id(demo, COMMITTEE), "new_member", "Trường Chính trị tỉnh",
        date(2026, 4, 10), date(2026, 4, 12), date(2026, 4, 5), 30)
    assert len(logged) == 1
    assert await talk("bithu").say("/lop") == (
        "Các lớp bồi dưỡng (4 lớp), lớp sắp học trước:\n"
        "\n"
        "Lớp số 3: Lớp nhận thức về Đảng khóa 2 (Lớp bồi dưỡng nhận thức về Đảng, đang nhận ghi danh)\n"
        "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
        "- Học từ 01/04/2026 đến 05/04/2026, tại Hội trường Đảng ủy Khối\n"
        "- Hạn ghi danh: 16/03/2026\n"
        "- Đã ghi danh: 2/80 chỗ (chi bộ bạn: 2 người)\n"
        "\n"
        "Lớp số 4: Lớp đảng viên mới khóa 1 (Lớp bồi dưỡng đảng viên mới, đang nhận ghi danh)\n"
        "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
        "- Học từ 10/04/2026 đến 12/04/2026, tại Trường Chính trị tỉnh\n"
        "- Hạn ghi danh: 05/04/2026\n"
        "- Đã ghi danh: 0/30 chỗ (chi bộ bạn: 0 người)\n"
        "\n"
        "Lớp số 2: Lớp nhận thức về Đảng khóa 1 (Lớp bồi dưỡng nhận thức về Đảng, đã học xong)\n"
        "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
        "- Học từ 23/10/2025 đến 27/10/2025, tại Hội trường Đảng ủy Khối\n"
        "- Hạn ghi danh: 13/10/2025\n"
        "- Đã ghi danh: 3/80 chỗ (chi bộ bạn: 3 người)\n"
        "\n"
        "Lớp số 1: Lớp nhận thức về Đảng khóa cũ (Lớp bồi dưỡng nhận thức về Đảng, đã học xong)\n"
        "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
        "- Học từ 27/12/2024 đến 31/12/2024, tại Trung tâm Chính trị\n"
        "- Hạn ghi danh: 17/12/2024\n"
        "- Đã ghi danh: 1/80 chỗ (chi bộ bạn: 1 người)\n"
        "\n"
        "Chọn một lớp để xem, ghi danh học viên hoặc ghi kết quả.\n"
        "\n"
        "3. Lớp nhận thức về Đảng khóa 2 (01/04/2026)\n"
        "4. Lớp đảng viên mới khóa 1 (10/04/2026)\n"
        "2. Lớp nhận thức về Đảng khóa 1 (23/10/2025)\n"
        "1. Lớp nhận thức về Đảng khóa cũ (27/12/2024)\n"
        "– Tạo lớp mới (gõ \"/taolop\")\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")


async def test_a_secretary_creates_a_class_for_the_branch(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/taolop",
         "Tạo lớp bồi dưỡng mới của Chi bộ Trường THPT Trần Phú (demo); lớp chỉ hiện với chi bộ này. Gõ /huy để "
         "hủy, \"quay lại\" để sửa câu trước.\n"
         "\n"
         "Lớp gì?\n"
         "\n"
         "1. Lớp bồi dưỡng nhận thức về Đảng\n"
         "2. Lớp bồi dưỡng đảng viên mới\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("1",
         "Tên lớp? (ví dụ: Lớp bồi dưỡng nhận thức về Đảng khóa 3)"),
        ("Lớp chi bộ",
         "Học ở đâu? (ví dụ: Hội trường Đảng ủy Khối)"),
        ("Phòng họp",
         "Ngày khai giảng? (ngày/tháng/năm, ví dụ 15/4/2026, hoặc \"hôm nay\")"),
        ("hôm nay",
         "Ngày bế giảng? (không sớm hơn ngày khai giảng 02/03/2026)"),
        ("hôm nay",
         "Hạn chót ghi danh? (không muộn hơn ngày khai giảng 02/03/2026)"),
        ("hôm nay",
         "Lớp nhận tối đa bao nhiêu học viên? (từ 1 đến 500)"),
        ("10",
         "Xin kiểm tra lại trước khi lưu lớp mới:\n"
         "- Đơn vị mở lớp: Chi bộ Trường THPT Trần Phú (demo)\n"
         "- Loại lớp: Lớp bồi dưỡng nhận thức về Đảng\n"
         "- Tên lớp: Lớp chi bộ\n"
         "- Địa điểm: Phòng họp\n"
         "- Khai giảng: 02/03/2026\n"
         "- Bế giảng: 02/03/2026\n"
         "- Hạn ghi danh: 02/03/2026\n"
         "- Số chỗ: 10\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa đơn vị\n"
         "3. Sửa loại lớp\n"
         "4. Sửa tên lớp\n"
         "5. Sửa địa điểm\n"
         "6. Sửa ngày khai giảng\n"
         "7. Sửa ngày bế giảng\n"
         "8. Sửa hạn ghi danh\n"
         "9. Sửa số chỗ\n"
         "10. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã tạo lớp \"Lớp chi bộ\" (lớp số 4) của Chi bộ Trường THPT Trần Phú (demo). Chi bộ ghi danh học viên "
         "của mình bằng /ghidanh 4 đến hết hạn ghi danh.\n"
         "\n"
         "1. Xem lớp này\n"
         "2. Danh sách lớp\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    async with demo.sessions() as session:
        c = (await session.exec(select(PartyClass).where(PartyClass.title == "Lớp chi bộ"))).one()
    assert c.org_id == await org_id(demo, BRANCH) and c.starts_on == TODAY and c.kind == "awareness"


async def test_the_end_may_not_come_before_the_start(talk):
    captren = talk("captren")
    await captren.dialog(CREATE[:5])
    assert await captren.say("9/4/2026") == (
        "Ngày bế giảng (09/04/2026) sớm hơn ngày khai giảng (10/04/2026).\n" + CREATE[4][1])


async def test_the_enrolment_deadline_may_not_come_after_the_start(talk):
    captren = talk("captren")
    await captren.dialog(CREATE[:6])
    assert await captren.say("11/4/2026") == (
        "Hạn ghi danh (11/04/2026) muộn hơn ngày khai giảng (10/04/2026); hạn ghi danh phải trước hoặc đúng ngày "
        "khai giảng.\n" + CREATE[5][1])


@pytest.mark.parametrize("typed, why", [
    ("0", "Số này phải từ 1 đến 500.\n"), ("501", "Số này phải từ 1 đến 500.\n"),
    ("ba mươi", '"ba mươi" không phải là một số. Xin chỉ ghi chữ số, ví dụ 12.\n')])
async def test_capacity_is_a_number_from_1_to_500(talk, typed, why):
    captren = talk("captren")
    await captren.dialog(CREATE)
    assert await captren.say(typed) == why + CREATE[6][1]


@pytest.mark.parametrize("typed, why", [
    ("31/4/2026", "Không có ngày 31/4/2026 trên lịch. Xin kiểm tra lại ngày và tháng.\n"),
    ("tuần sau", 'Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, hoặc "hôm '
                 'nay", "hôm qua".\n'),
    ("", "Chưa có câu trả lời.\n")])
async def test_a_bad_start_date_is_explained_and_asked_again(talk, typed, why):
    captren = talk("captren")
    await captren.dialog(CREATE[:4])
    assert await captren.say(typed) == why + CREATE[3][1]


async def test_changing_the_start_on_the_confirmation_rechecks_the_other_dates(talk, demo):
    captren = talk("captren")
    await captren.dialog(CREATE + [("30", confirm_create()), ("Sửa ngày khai giảng", CREATE[3][1])])
    assert await captren.say("1/4/2026") == LATE_ENROLMENT + confirm_create("01/04/2026")
    assert await captren.say("Lưu") == LATE_ENROLMENT + confirm_create("01/04/2026")  # still refused
    await captren.dialog([("Sửa hạn ghi danh", "Hạn chót ghi danh? (không muộn hơn ngày khai giảng 01/04/2026)"),
                          ("25/3/2026", confirm_create("01/04/2026", "25/03/2026")), ("Lưu", CREATED)])
    async with demo.sessions() as session:
        c = (await session.exec(select(PartyClass).where(PartyClass.title == "Lớp đảng viên mới khóa 1"))).one()
    assert (c.starts_on, c.enrol_by) == (date(2026, 4, 1), date(2026, 3, 25))


async def test_a_title_too_long_is_refused(talk):
    captren = talk("captren")
    await captren.dialog(CREATE[:2])
    assert await captren.say("L" * 201) == f"Câu trả lời dài quá: 201 ký tự, tối đa 200.\n{CREATE[1][1]}"


# ---- /ghidanh ---------------------------------------------------------------------------------

ASK_WHO_KHOA2 = ('Ghi danh ai vào lớp "Lớp nhận thức về Đảng khóa 2"? Gõ số của người đó trong danh sách trên, hoặc '
                 "một phần họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7.")
# /ghidanh for khóa 2, as bithu sees it: the branch's sympathizers not enrolled yet.
def enrol_khoa2(no: dict[str, int]) -> str:
    return ('Ghi danh vào lớp "Lớp nhận thức về Đảng khóa 2" (khai giảng 01/04/2026, hạn ghi danh 16/03/2026, còn '
               "78 chỗ).\n"
               "Những người của chi bộ có thể ghi danh:\n"
               f"- {no[MINH]}. Lê Hoàng Minh (Cảm tình Đảng)\n"
               f"- {no[HA]}. Phạm Thu Hà (Cảm tình Đảng)\n"
               f"- {no[KHOA]}. Đinh Văn Khoa (Cảm tình Đảng)\n"
               'Cảm tình Đảng được ghi danh sẽ chuyển sang giai đoạn "Học lớp nhận thức về Đảng".\n'
               "Gõ /huy để hủy.\n"
               "\n" + ASK_WHO_KHOA2)


BACK_TO_CLASS = "1. Xem lớp này\n2. Danh sách lớp\n" + CHOOSE
AFTER_ENROL = "1. Ghi danh thêm người khác\n2. Xem lớp này\n3. Danh sách lớp\n" + CHOOSE


def confirm_enrol(people: str, title: str = "Lớp nhận thức về Đảng khóa 2") -> str:
    return (f"Xin kiểm tra lại:\n- Lớp: {title}\n- Ghi danh: {people}\n\n"
            "1. Lưu\n2. Sửa lớp\n3. Sửa người\n4. Hủy\n" + CHOOSE)


async def test_enrolling_a_sympathizer_moves_them_to_the_awareness_class_stage(talk, demo, no):
    klass = await class_id(demo, "khóa 2")
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghidanh {klass}", enrol_khoa2(no)), (f"{no[HA]}", confirm_enrol(f"{no[HA]}. Phạm Thu Hà"))])
    assert await bithu.say("Lưu") == (
        f'Đã ghi danh {no[HA]}. Phạm Thu Hà vào lớp "Lớp nhận thức về Đảng khóa 2" (đã ghi danh 3/80 chỗ).\n'
        'Phạm Thu Hà chuyển sang giai đoạn "Học lớp nhận thức về Đảng" từ hôm nay.\n'
        "\n" + AFTER_ENROL)
    ha = await candidate(demo, HA)
    assert ha.stage == "awareness_class" and ha.stage_since == TODAY
    assert ha.id in await enrollments(demo, klass)
    async with demo.sessions() as session:
        change = (await session.exec(select(StageChange).where(StageChange.candidate_id == ha.id)
                                     .order_by(StageChange.id.desc()))).first()
        logged = (await session.exec(select(AuditLog).where(AuditLog.subject == f"candidate:{ha.id}"))).all()
    assert (change.from_stage, change.to_stage, change.on) == ("sympathizer", "awareness_class", TODAY)
    assert change.by_person_id is not None and len(logged) == 1


async def test_the_enrolment_list_offers_only_people_who_may_take_the_class(talk, demo, no):
    # Sympathizers only: not Nguyễn Văn An (a source), Võ Thanh Tùng (enrolled already), Hoàng Mai Anh
    # (probationary), nor Ngô Đức Thắng of the other branch.
    assert await talk("bithu").say(f"/ghidanh {await class_id(demo, 'khóa 2')}") == enrol_khoa2(no)


async def test_a_source_may_not_be_enrolled(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghidanh {await class_id(demo, 'khóa 2')}", enrol_khoa2(no))])
    assert await bithu.say(f"{no[AN]}") == (
        'Nguyễn Văn An đang ở giai đoạn "Quần chúng ưu tú (nguồn)", mà lớp nhận thức về Đảng dành cho cảm tình '
        "Đảng. Xin chọn người khác.\n" + ASK_WHO_KHOA2)


async def test_someone_already_enrolled_is_refused(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghidanh {await class_id(demo, 'khóa 2')}", enrol_khoa2(no))])
    assert await bithu.say("vo thanh tung") == (
        'Võ Thanh Tùng đã ghi danh lớp "Lớp nhận thức về Đảng khóa 2" rồi. Xin chọn người khác.\n' + ASK_WHO_KHOA2)


async def test_enrolment_is_refused_after_the_deadline(talk, demo):
    klass = await class_id(demo, "khóa 2")
    demo.clock.advance(days=15)  # the deadline was 16/03
    assert await talk("bithu").say(f"/ghidanh {klass}") == (
        'Lớp "Lớp nhận thức về Đảng khóa 2" đã hết hạn ghi danh (hạn 16/03/2026) nên không ghi danh thêm được. Xin '
        "chờ lớp sau, hoặc liên hệ cấp ủy mở lớp.\n"
        "\n" + BACK_TO_CLASS)


async def test_enrolment_is_refused_when_the_class_is_full(talk, demo):
    klass = await class_id(demo, "khóa 2")
    await set_class(demo, klass, capacity=2)
    assert await talk("bithu").say(f"/ghidanh {klass}") == (
        'Lớp "Lớp nhận thức về Đảng khóa 2" đã đủ 2 chỗ nên không ghi danh thêm được. Xin chờ lớp sau, hoặc liên hệ '
        "cấp ủy mở lớp.\n"
        "\n" + BACK_TO_CLASS)


async def test_a_class_filled_while_confirming_is_refused_and_nothing_saved(talk, demo, no):
    klass = await class_id(demo, "khóa 2")
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghidanh {klass}", enrol_khoa2(no)),
                        (f"{no[MINH]}", confirm_enrol(f"{no[MINH]}. Lê Hoàng Minh"))])
    await set_class(demo, klass, capacity=2)
    assert await bithu.say("Lưu") == (
        "Lớp đã đủ 2 chỗ nên chưa ghi danh được. Xin chọn Hủy.\n" + confirm_enrol(f"{no[MINH]}. Lê Hoàng Minh"))
    assert (await candidate(demo, MINH)).stage == "sympathizer"
    assert len(await enrollments(demo, klass)) == 2


async def test_the_deadline_passing_while_confirming_is_refused(talk, demo, no):
    klass = await class_id(demo, "khóa 2")
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghidanh {klass}", enrol_khoa2(no)),
                        (f"{no[MINH]}", confirm_enrol(f"{no[MINH]}. Lê Hoàng Minh"))])
    await set_class(demo, klass, enrol_by=TODAY - timedelta(days=1))  # moved earlier meanwhile
    assert await bithu.say("Lưu") == (
        "Lớp đã hết hạn ghi danh (hạn 01/03/2026, hôm nay 02/03/2026) nên chưa ghi danh được. Xin chọn Hủy.\n"
        + confirm_enrol(f"{no[MINH]}. Lê Hoàng Minh"))
    assert len(await enrollments(demo, klass)) == 2


async def test_enrol_without_a_class_offers_the_open_ones(talk, no):
    # Only khóa 2 takes enrolments; khóa 1 and khóa cũ are over.
    await talk("bithu").dialog([
        ("/ghidanh",
         "Ghi danh vào lớp nào? Các lớp đang nhận ghi danh:\n"
         "\n"
         f"{khoa2(mine=None)}\n"
         "\n"
         "3. Lớp nhận thức về Đảng khóa 2 (01/04/2026)\n"
         "– Danh sách lớp (gõ \"/lop\")\n"
         + CHOOSE_KEYED),
        ("3", enrol_khoa2(no))])


async def test_enrol_an_unknown_class(talk):
    assert await talk("bithu").say("/ghidanh abc") == NO_SUCH_CLASS.format("abc")


async def test_a_new_member_class_takes_probationary_members_without_a_stage_change(talk, demo, no):
    klass = await add_class(demo, COMMITTEE, "Lớp đảng viên mới 2026", kind=ClassKind.new_member)
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghidanh {klass}",  # Hoàng Mai Anh alone: no sympathizer, and no stage change said
         'Ghi danh vào lớp "Lớp đảng viên mới 2026" (khai giảng 01/04/2026, hạn ghi danh 16/03/2026, còn 50 chỗ).\n'
         "Những người của chi bộ có thể ghi danh:\n"
         f"- {no[ANH]}. Hoàng Mai Anh (Đảng viên dự bị)\n"
         "Gõ /huy để hủy.\n"
         "\n"
         'Ghi danh ai vào lớp "Lớp đảng viên mới 2026"? Gõ số của người đó trong danh sách trên, hoặc một phần họ '
         "tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7."),
        (f"{no[ANH]}", confirm_enrol(f"{no[ANH]}. Hoàng Mai Anh", title="Lớp đảng viên mới 2026")),
        ("Lưu",
         f"Đã ghi danh {no[ANH]}. Hoàng Mai Anh vào lớp \"Lớp đảng viên mới 2026\" (đã ghi danh 1/50 chỗ).\n"
         "\n" + AFTER_ENROL),
    ])
    anh = await candidate(demo, ANH)
    assert anh.stage == "probationary" and anh.id in await enrollments(demo, klass)


async def test_a_new_member_class_calls_its_people_probationary_members(talk, demo, no):
    klass = await add_class(demo, COMMITTEE, "Lớp đảng viên mới 2026", kind=ClassKind.new_member)
    anh = await candidate(demo, ANH)
    async with demo.sessions() as session, session.begin():
        session.add(Enrollment(class_id=klass, candidate_id=anh.id, at=demo.clock.now()))
    assert await talk("bithu").say(f"/lop {klass}") == (
        f"Lớp số {klass}: Lớp đảng viên mới 2026 (Lớp bồi dưỡng đảng viên mới, đang nhận ghi danh)\n"
        f"- Đơn vị mở lớp: {COMMITTEE}\n"
        "- Học từ 01/04/2026 đến 04/04/2026, tại Phòng họp\n"
        "- Hạn ghi danh: 16/03/2026\n"
        "- Đã ghi danh: 1/50 chỗ (chi bộ bạn: 1 người)\n"
        "\n"
        "Đảng viên dự bị của chi bộ trong lớp:\n"
        f"- {no[ANH]}. Hoàng Mai Anh: Đã đăng ký\n"
        "\n"
        "1. Ghi danh đảng viên dự bị\n"
        "2. Danh sách lớp\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_new_member_class_with_everyone_enrolled_says_so_without_calling_them_quan_chung(talk, demo):
    klass = await add_class(demo, COMMITTEE, "Lớp đảng viên mới 2026", kind=ClassKind.new_member)
    anh = await candidate(demo, ANH)
    async with demo.sessions() as session, session.begin():
        session.add(Enrollment(class_id=klass, candidate_id=anh.id, at=demo.clock.now()))
    assert await talk("bithu").say(f"/ghidanh {klass}") == (
        'Chi bộ không còn ai để ghi danh lớp "Lớp đảng viên mới 2026": lớp này dành cho đảng viên dự bị, và những '
        "người đó đã ghi danh rồi (hoặc chi bộ chưa có ai ở giai đoạn này). Xem danh sách: /ds\n"
        "\n"
        "1. Xem lớp này\n"
        "2. Danh sách lớp\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_cancelling_an_enrolment_saves_nothing(talk, demo, no):
    klass = await class_id(demo, "khóa 2")
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghidanh {klass}", enrol_khoa2(no)), (f"{no[HA]}", confirm_enrol(f"{no[HA]}. Phạm Thu Hà")),
                        ("/huy", CANCELLED)])
    assert (await candidate(demo, HA)).stage == "sympathizer" and len(await enrollments(demo, klass)) == 2


# ---- /ketqualop ---------------------------------------------------------------------------------

ASK_WHOSE_RESULT = ('Ghi kết quả của ai? Gõ số của người đó trong danh sách trên, hoặc một phần họ tên. Cả lớp một '
                    'lần: "tất cả đạt", hoặc "đạt trừ 3, 7".')
# /ketqualop for khóa 2 once it has started.
def results_khoa2(no: dict[str, int]) -> str:
    return ('Ghi kết quả lớp "Lớp nhận thức về Đảng khóa 2" (học từ 01/04/2026 đến 05/04/2026). Quần chúng của '
                 "chi bộ trong lớp:\n"
                 f"- {no[TUNG]}. Võ Thanh Tùng: Đã đăng ký\n"
                 f"- {no[MY]}. Lương Thị Mỹ: Đã đăng ký\n"
                 "Gõ /huy để hủy.\n"
                 "\n" + ASK_WHOSE_RESULT)



def result_of(who: str) -> str:
    """`who` is "<register number>. <full name>"."""
    return f"Kết quả học của {who}?\n\n1. Đạt, có giấy chứng nhận\n2. Không đạt\n3. Vắng\n" + CHOOSE


ASK_CERTIFICATE_ON = ('Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc "hôm nay")\n'
                      "\n"
                      "1. Hôm nay (06/04/2026)\n" + CHOOSE)


def confirm_not_passed(who: str, result: str, stage: str, moved_back: bool = False) -> str:
    day = "6. Sửa ngày về lại cảm tình Đảng\n7. Hủy" if moved_back else "6. Hủy"
    return ("Xin kiểm tra lại:\n"
            "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
            f"- Người: {who}\n"
            f"- Kết quả: {result}\n"
            f"- Giai đoạn: {stage}\n"
            "\n"
            f"1. Lưu\n2. Sửa lớp\n3. Sửa người\n4. Sửa kết quả\n5. Sửa việc đưa về cảm tình Đảng\n{day}\n" + CHOOSE)


def move_back(who: str) -> str:
    return (f"{who} chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
            'vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn "Giữ nguyên giai đoạn".\n'
            "\n"
            "1. Giữ nguyên giai đoạn\n" + CHOOSE)


def label(no: dict[str, int], name: str) -> str:
    return f"{no[name]}. {name}"


async def start_results(talk, demo, no: dict[str, int], name: str) -> tuple:
    klass = await class_id(demo, "khóa 2")
    demo.clock.advance(days=35)  # the class started on 01/04
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketqualop {klass}", results_khoa2(no)), (f"{no[name]}", result_of(label(no, name)))])
    return bithu, klass


async def test_results_wait_for_the_class_to_start(talk, demo):
    assert await talk("bithu").say(f"/ketqualop {await class_id(demo, 'khóa 2')}") == (
        'Lớp "Lớp nhận thức về Đảng khóa 2" khai giảng ngày 01/04/2026; kết quả được ghi từ ngày đó.\n'
        "\n" + BACK_TO_CLASS)


async def test_passing_records_the_certificate(talk, demo, no):
    bithu, klass = await start_results(talk, demo, no, TUNG)
    await bithu.dialog([
        ("đạt",
         f"Số giấy chứng nhận của {no[TUNG]}. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0300",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("5/4/2026",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         f"- Người: {no[TUNG]}. Võ Thanh Tùng\n"
         "- Kết quả: Đạt, có giấy chứng nhận\n"
         "- Giấy chứng nhận: số CN-0300, ngày 05/04/2026\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Sửa kết quả\n"
         "5. Sửa số giấy chứng nhận\n"
         "6. Sửa ngày cấp giấy chứng nhận\n"
         "7. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("Lưu") == (
        f'Đã ghi kết quả của {no[TUNG]}. Võ Thanh Tùng ở lớp "Lớp nhận thức về Đảng khóa 2": Đạt, có giấy chứng '
        "nhận số CN-0300 ngày 05/04/2026.\n"
        "Bước tiếp theo: bắt đầu làm hồ sơ kết nạp (/lamhoso).\n"
        "\n"
        "1. Bắt đầu làm hồ sơ\n"
        "2. Ghi kết quả người khác\n"
        "3. Xem lớp này\n"
        "4. Danh sách lớp\n" + CHOOSE)
    tung = await candidate(demo, TUNG)
    e = (await enrollments(demo, klass))[tung.id]
    assert (e.status, e.certificate_number, e.certificate_on) == ("passed", "CN-0300", date(2026, 4, 5))
    assert tung.stage == "awareness_class"  # the move to the dossier stays explicit (/lamhoso)


async def test_a_certificate_dated_in_the_future_is_refused(talk, demo, no):
    bithu, _ = await start_results(talk, demo, no, TUNG)
    await bithu.dialog([
        ("1",
         f"Số giấy chứng nhận của {no[TUNG]}. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0300",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("1/5/2026") == "Ngày 01/05/2026 chưa tới (hôm nay là 06/04/2026).\n" + ASK_CERTIFICATE_ON


async def test_a_certificate_dated_before_the_class_started_is_refused(talk, demo, no):
    bithu, _ = await start_results(talk, demo, no, TUNG)
    await bithu.dialog([
        ("1",
         f"Số giấy chứng nhận của {no[TUNG]}. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0300",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("31/3/2026") == (
        "Ngày cấp 31/03/2026 sớm hơn ngày lớp học xong (05/04/2026): giấy chứng nhận chỉ được cấp khi đã học hết "
        "lớp. Xin ghi đúng ngày trên giấy chứng nhận.\n" + ASK_CERTIFICATE_ON)


async def test_a_certificate_dated_while_the_class_was_still_on_is_refused_and_asked_again(talk, demo, no):
    bithu, _ = await start_results(talk, demo, no, TUNG)  # the class ran from 01/04 to 05/04/2026
    await bithu.dialog([
        ("1",
         f"Số giấy chứng nhận của {no[TUNG]}. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0300",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("3/4/2026") == (
        "Ngày cấp 03/04/2026 sớm hơn ngày lớp học xong (05/04/2026): giấy chứng nhận chỉ được cấp khi đã học "
        "hết lớp. Xin ghi đúng ngày trên giấy chứng nhận.\n"
        'Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc "hôm nay")\n\n'
        "1. Hôm nay (06/04/2026)\n(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("5/4/2026") == (  # the class's last day is in time
        "Xin kiểm tra lại:\n"
        "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
        f"- Người: {no[TUNG]}. Võ Thanh Tùng\n"
        "- Kết quả: Đạt, có giấy chứng nhận\n"
        "- Giấy chứng nhận: số CN-0300, ngày 05/04/2026\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa lớp\n"
        "3. Sửa người\n"
        "4. Sửa kết quả\n"
        "5. Sửa số giấy chứng nhận\n"
        "6. Sửa ngày cấp giấy chứng nhận\n"
        "7. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_absent_with_a_reason_moves_back_to_sympathizer(talk, demo, no):
    bithu, klass = await start_results(talk, demo, no, TUNG)
    assert await bithu.say("vắng") == (
        f"{no[TUNG]}. Võ Thanh Tùng chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
        "vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn \"Giữ nguyên giai đoạn\".\n"
        "\n"
        "1. Giữ nguyên giai đoạn\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Ốm cả khóa, học lớp sau") == (
        f"Ngày có kết quả lớp của {no[TUNG]}. Võ Thanh Tùng? Người này về lại cảm tình Đảng từ ngày đó "
        "(ngày/tháng/năm, không trước ngày khai giảng, hoặc \"hôm nay\").\n\n1. Hôm nay (06/04/2026)\n" + CHOOSE)
    # the day the person goes back (tests/flows/test_result_day.py)
    assert await bithu.say("hôm nay") == confirm_not_passed(
        label(no, TUNG), "Vắng", "đưa về lại cảm tình Đảng từ 06/04/2026, lý do: Ốm cả khóa, học lớp sau",
        moved_back=True)
    assert await bithu.say("Lưu") == (
        f"Đã ghi kết quả của {no[TUNG]}. Võ Thanh Tùng ở lớp \"Lớp nhận thức về Đảng khóa 2\": Vắng.\n"
        "Võ Thanh Tùng đã được đưa về lại cảm tình Đảng từ 06/04/2026.\n"
        "\n"
        "1. Ghi kết quả người khác\n"
        "2. Xem lớp này\n"
        "3. Danh sách lớp\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    tung = await candidate(demo, TUNG)
    assert tung.stage == "sympathizer" and (await enrollments(demo, klass))[tung.id].status == "absent"
    async with demo.sessions() as session:
        change = (await session.exec(select(StageChange).where(StageChange.candidate_id == tung.id)
                                     .order_by(StageChange.id.desc()))).first()
    assert (change.from_stage, change.to_stage, change.reason) == (
        "awareness_class", "sympathizer", "Ốm cả khóa, học lớp sau")


async def test_failed_may_keep_the_stage(talk, demo, no):
    bithu, klass = await start_results(talk, demo, no, MY)
    await bithu.dialog([
        ("không đạt",
         f"{no[MY]}. Lương Thị Mỹ chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
         "vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn \"Giữ nguyên giai đoạn\".\n"
         "\n"
         "1. Giữ nguyên giai đoạn\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Giữ nguyên giai đoạn",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         f"- Người: {no[MY]}. Lương Thị Mỹ\n"
         "- Kết quả: Không đạt\n"
         "- Giai đoạn: giữ nguyên\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Sửa kết quả\n"
         "5. Sửa việc đưa về cảm tình Đảng\n"
         "6. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         f"Đã ghi kết quả của {no[MY]}. Lương Thị Mỹ ở lớp \"Lớp nhận thức về Đảng khóa 2\": Không đạt.\n"
         "\n"
         "1. Ghi kết quả người khác\n"
         "2. Xem lớp này\n"
         "3. Danh sách lớp\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    my = await candidate(demo, MY)
    assert my.stage == "awareness_class" and (await enrollments(demo, klass))[my.id].status == "failed"


async def test_changing_passed_to_absent_on_the_confirmation_drops_the_certificate(talk, demo, no):
    bithu, klass = await start_results(talk, demo, no, MY)
    await bithu.dialog([
        ("đạt",
         f"Số giấy chứng nhận của {no[MY]}. Lương Thị Mỹ? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0301",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         f"- Người: {no[MY]}. Lương Thị Mỹ\n"
         "- Kết quả: Đạt, có giấy chứng nhận\n"
         "- Giấy chứng nhận: số CN-0301, ngày 06/04/2026\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Sửa kết quả\n"
         "5. Sửa số giấy chứng nhận\n"
         "6. Sửa ngày cấp giấy chứng nhận\n"
         "7. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Sửa kết quả",
         f"Kết quả học của {no[MY]}. Lương Thị Mỹ?\n"
         "\n"
         "1. Đạt, có giấy chứng nhận\n"
         "2. Không đạt\n"
         "3. Vắng\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("vắng") == (
        f"{no[MY]}. Lương Thị Mỹ chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
        "vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn \"Giữ nguyên giai đoạn\".\n"
        "\n"
        "1. Giữ nguyên giai đoạn\n"
        "(Trả lời bằng số hoặc bằng chữ)")  # the question that now applies
    # no certificate
    assert await bithu.say("Giữ nguyên giai đoạn") == confirm_not_passed(label(no, MY), "Vắng", "giữ nguyên")
    await bithu.say("Lưu")
    e = (await enrollments(demo, klass))[(await candidate(demo, MY)).id]
    assert (e.status, e.certificate_number, e.certificate_on) == ("absent", None, None)


async def test_changing_absent_to_passed_on_the_confirmation_asks_for_the_certificate(talk, demo, no):
    bithu, klass = await start_results(talk, demo, no, MY)
    await bithu.dialog([
        ("vắng",
         f"{no[MY]}. Lương Thị Mỹ chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
         "vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn \"Giữ nguyên giai đoạn\".\n"
         "\n"
         "1. Giữ nguyên giai đoạn\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Giữ nguyên giai đoạn",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         f"- Người: {no[MY]}. Lương Thị Mỹ\n"
         "- Kết quả: Vắng\n"
         "- Giai đoạn: giữ nguyên\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Sửa kết quả\n"
         "5. Sửa việc đưa về cảm tình Đảng\n"
         "6. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Sửa kết quả",
         f"Kết quả học của {no[MY]}. Lương Thị Mỹ?\n"
         "\n"
         "1. Đạt, có giấy chứng nhận\n"
         "2. Không đạt\n"
         "3. Vắng\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    await bithu.dialog([
        ("đạt",
         f"Số giấy chứng nhận của {no[MY]}. Lương Thị Mỹ? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0302",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         f"- Người: {no[MY]}. Lương Thị Mỹ\n"
         "- Kết quả: Đạt, có giấy chứng nhận\n"
         "- Giấy chứng nhận: số CN-0302, ngày 06/04/2026\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Sửa kết quả\n"
         "5. Sửa số giấy chứng nhận\n"
         "6. Sửa ngày cấp giấy chứng nhận\n"
         "7. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    await bithu.say("Lưu")
    e = (await enrollments(demo, klass))[(await candidate(demo, MY)).id]
    assert (e.status, e.certificate_number) == ("passed", "CN-0302")


async def test_moving_back_needs_a_reason(talk, demo, no):
    bithu, _ = await start_results(talk, demo, no, TUNG)
    await bithu.dialog([("vắng", move_back(label(no, TUNG)))])
    assert await bithu.say("có") == (
        'Xin gõ lý do đưa người này về lại cảm tình Đảng (ví dụ: vắng cả khóa vì ốm), hoặc chọn "Giữ nguyên giai '
        'đoạn".\n' + move_back(label(no, TUNG)))


async def test_someone_not_in_the_class_has_no_result(talk, demo, no):
    bithu, _ = await start_results(talk, demo, no, TUNG)
    await bithu.dialog([("/huy", CANCELLED), (f"/ketqualop {await class_id(demo, 'khóa 2')}", results_khoa2(no))])
    assert await bithu.say(f"{no[MINH]}") == (
        'Lê Hoàng Minh không ghi danh lớp "Lớp nhận thức về Đảng khóa 2". Xin chọn một người trong danh sách của '
        "lớp.\n" + ASK_WHOSE_RESULT)


async def test_results_stay_once_people_have_moved_on(talk, demo):
    klass = await class_id(demo, "khóa 1")
    assert await talk("bithu").say(f"/ketqualop {klass}") == (
        'Những người của chi bộ trong lớp "Lớp nhận thức về Đảng khóa 1" đều đã sang giai đoạn sau nên kết quả được '
        "giữ nguyên; không còn ai để ghi kết quả.\n"
        "\n" + BACK_TO_CLASS)
    assert (await enrollments(demo, klass))[(await candidate(demo, LAN)).id].certificate_number == "CN-0101"


NO_RESULTS_TO_RECORD = ("Chưa có lớp nào đã khai giảng còn kết quả cần ghi cho người của chi bộ.\n"
                        "\n"
                        "– Danh sách lớp (gõ \"/lop\")")


async def test_results_without_a_class_offer_the_started_ones_with_results_to_record(talk, demo):
    bithu = talk("bithu")
    assert await bithu.say("/ketqualop") == NO_RESULTS_TO_RECORD  # khóa 1: everyone moved on
    demo.clock.advance(days=35)
    assert await bithu.say("/ketqualop") == (
        "Ghi kết quả lớp nào? Các lớp đã khai giảng còn kết quả cần ghi cho người của chi bộ:\n"
        "\n"
        f"{khoa2(mine=None, state='đã học xong')}\n"
        "\n"
        "3. Lớp nhận thức về Đảng khóa 2 (01/04/2026)\n"
        "– Danh sách lớp (gõ \"/lop\")\n" + CHOOSE_KEYED)


async def test_a_number_at_a_screen_without_numbers_starts_nothing(talk, demo):
    """With no class, /ketqualop offers only "Danh sách lớp" and /lop only "Tạo lớp mới", neither with a
    number: "٣" or "3" typed there was taken as the argument of that one command ("/lop ٣", then
    "/taolop 3", which began creating a class)."""
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(Enrollment))
        await session.exec(sa.delete(PartyClass))
    bithu = talk("bithu")
    assert await bithu.say("/ketqualop") == NO_RESULTS_TO_RECORD
    assert await bithu.say("٣") == NOT_UNDERSTOOD
    assert await bithu.say("/lop tiếng anh") == (
        f'Không có lớp nào khớp với "tiếng anh". Xem mọi lớp: /lop\n\n{CREATE_A_CLASS}')
    assert await bithu.say("٣") == NOT_UNDERSTOOD
    await bithu.say("/lop tiếng anh")
    assert await bithu.say("3") == NOT_UNDERSTOOD
    async with demo.sessions() as session:
        assert [c.flow for c in await session.exec(select(Conversation))] == [None]


# ---- who may do what ------------------------------------------------------------------------------

async def test_the_committee_sees_counts_by_branch_but_does_not_enrol_or_record(talk, demo):
    klass = await class_id(demo, "khóa 2")
    captren = talk("captren")
    # Counts by branch, no names, nothing to enrol or record.
    assert await captren.say(f"/lop {klass}") == (
        f"{khoa2(mine=None)}\n"
        "\n"
        "Số người ghi danh theo chi bộ:\n"
        f"- {BRANCH}: 2\n"
        "Cấp ủy cấp trên xem lớp và số người ghi danh; việc ghi danh và ghi kết quả do bí thư, phó bí thư chi bộ "
        "làm.\n"
        "\n"
        "1. Danh sách lớp\n" + CHOOSE)
    for command in (f"/ghidanh {klass}", "/ghidanh", f"/ketqualop {klass}"):
        reply = await captren.say(command)
        assert reply == NOT_ALLOWED, command
    assert len(await enrollments(demo, klass)) == 2



@pytest.mark.parametrize("account, refusal, not_understood", [
    ("giupdo", NOT_ALLOWED, NOT_UNDERSTOOD), ("quanchung", NOT_ALLOWED, NOT_UNDERSTOOD),
    ("nguoila", NOT_LINKED, NOT_UNDERSTOOD_STRANGER)])
async def test_others_are_refused_and_learn_nothing(talk, demo, account, refusal, not_understood):
    klass = await class_id(demo, "khóa 2")
    person = talk(account)
    said = [await person.say(c) for c in
            ["/lop", f"/lop {klass}", "/lop khoa", "/taolop", f"/ghidanh {klass}", "/ketqualop", "4", "1"]]
    # Nothing but the refusal: no class, no name; a number afterwards picks nothing.
    assert said == [refusal] * 6 + [not_understood] * 2
    assert len(await enrollments(demo, klass)) == 2


async def test_a_secretary_may_not_enrol_another_branch_candidate(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghidanh {await class_id(demo, 'khóa 2')}", enrol_khoa2(no))])
    assert await bithu.say("ngo duc thang") == (
        'Không tìm thấy ai khớp với "ngo duc thang" trong danh sách bạn được xem. Xin gõ số của người đó trong danh '
        "sách trên hoặc một phần họ tên khác.\n" + ASK_WHO_KHOA2)


# ---- several at once ------------------------------------------------------------------------

async def test_several_people_are_enrolled_in_one_answer(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/ghidanh 3", enrol_khoa2(no)),
        (f"{no[MINH]}, {no[HA]}, {no[KHOA]}", confirm_enrol(
            f"{no[MINH]}. Lê Hoàng Minh; {no[HA]}. Phạm Thu Hà; {no[KHOA]}. Đinh Văn Khoa")),
        ("Lưu",
         'Đã ghi danh 3 người vào lớp "Lớp nhận thức về Đảng khóa 2" (đã ghi danh 5/80 chỗ):\n'
         f'- {no[MINH]}. Lê Hoàng Minh (chuyển sang "Học lớp nhận thức về Đảng" từ hôm nay)\n'
         f'- {no[HA]}. Phạm Thu Hà (chuyển sang "Học lớp nhận thức về Đảng" từ hôm nay)\n'
         f'- {no[KHOA]}. Đinh Văn Khoa (chuyển sang "Học lớp nhận thức về Đảng" từ hôm nay)\n'
         "\n" + AFTER_ENROL),
        ("/lop 3",
         f"{khoa2(enrolled='5/80 chỗ', mine='5 người')}\n"
         "\n"
         "Quần chúng của chi bộ trong lớp:\n"
         f"- {no[MINH]}. Lê Hoàng Minh: Đã đăng ký\n"
         f"- {no[HA]}. Phạm Thu Hà: Đã đăng ký\n"
         f"- {no[TUNG]}. Võ Thanh Tùng: Đã đăng ký\n"
         f"- {no[KHOA]}. Đinh Văn Khoa: Đã đăng ký\n"
         f"- {no[MY]}. Lương Thị Mỹ: Đã đăng ký\n"
         "\n"
         "1. Ghi danh quần chúng\n"
         "2. Danh sách lớp\n" + CHOOSE),
    ])


async def test_a_range_of_numbers_names_everyone_in_it_and_who_cannot_go_is_named(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/ghidanh 3", enrol_khoa2(no)),
        (f"{no[MINH]}-{no[TUNG]}",  # Võ Thanh Tùng is enrolled already: nobody is, and the question is asked again
         "Chưa ghi danh ai, vì có người không ghi danh được vào lớp này:\n"
         f"- {no[TUNG]}. Võ Thanh Tùng: đã ghi danh lớp này rồi\n"
         "Xin gõ lại danh sách không có người này.\n" + ASK_WHO_KHOA2),
        (f"{no[MINH]}, 99",
         "Không tìm thấy người có số 99 trong danh sách bạn ghi danh được. Xin gõ lại các số, ví dụ 3, 4, 7 hoặc "
         "3-7.\n" + ASK_WHO_KHOA2),
        (f"{no[MINH]} đến {no[HA]}", confirm_enrol(f"{no[MINH]}. Lê Hoàng Minh; {no[HA]}. Phạm Thu Hà")),
    ])
