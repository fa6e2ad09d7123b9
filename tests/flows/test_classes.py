"""/lop, /taolop, /ghidanh, /ketqualop: the classes a branch sees, creating one, enrolling
candidates and recording results; the committee only looks; nobody else learns anything."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, CANDIDATES, COMMITTEE, SECOND, SECOND_BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.conversation import Conversation
from models.org import Organisation
from models.party_class import ClassKind, Enrollment, PartyClass
from tests.texts import CHOOSE

NOT_ALLOWED = "không dành cho vai trò"
NOT_ALLOWED_REPLY = "Lệnh này không dành cho vai trò của bạn. Gõ /trogiup để xem các lệnh bạn dùng được."
NOT_LINKED = "chưa được liên kết"
NOT_UNDERSTOOD = "chibo chưa hiểu tin nhắn này. Gõ /trogiup để xem các lệnh bạn dùng được."
TODAY = date(2026, 3, 2)


async def org_id(chibo, name: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(Organisation).where(Organisation.name == name))).one().id


async def class_id(chibo, title_end: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(PartyClass).where(PartyClass.title.endswith(title_end)))).one().id


async def candidate(chibo, number: int, branch: str = BRANCH) -> Candidate:
    branch_id = await org_id(chibo, branch)
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).where(
            Candidate.branch_id == branch_id, Candidate.number == number))).one()


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
    reply = await talk("bithu").say("/lop")
    assert "Các lớp bồi dưỡng (3 lớp)" in reply
    assert reply.index("khóa 2 (Lớp bồi dưỡng nhận thức về Đảng, đang nhận ghi danh)") < reply.index("khóa 1")
    assert "Học từ 01/04/2026" in reply and "tại Hội trường Đảng ủy Khối" in reply
    assert "Hạn ghi danh: 16/03/2026" in reply and "Đã ghi danh: 2/80 chỗ (chi bộ bạn: 2 người)" in reply
    assert "đã học xong" in reply
    # A class is typed by its number (as in /lop 3), shown before it; never by its place in the list.
    assert "Lớp số 3: Lớp nhận thức về Đảng khóa 2 (Lớp bồi dưỡng" in reply
    assert reply.endswith("3. Lớp nhận thức về Đảng khóa 2 (01/04/2026)\n2. Lớp nhận thức về Đảng khóa 1 (23/10/2025)\n"
                          "1. Lớp nhận thức về Đảng khóa cũ (27/12/2024)\n– Tạo lớp mới (gõ “/taolop”)\n"
                          "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")


async def test_picking_a_class_shows_my_branch_people_in_it_and_what_i_can_do(talk):
    bithu = talk("bithu")
    await bithu.say("/lop")
    card = await bithu.say("3")
    assert card == await bithu.say("/lop 3")
    assert "Lớp nhận thức về Đảng khóa 2" in card
    assert "- 5. Võ Thanh Tùng: Đã đăng ký" in card and "- 12. Lương Thị Mỹ: Đã đăng ký" in card
    assert "1. Ghi danh quần chúng" in card and "Ghi kết quả" not in card  # it has not started


async def test_a_past_class_shows_certificates(talk, demo):
    card = await talk("bithu").say(f"/lop {await class_id(demo, 'khóa 1')}")
    assert "6. Đặng Ngọc Lan: Đạt, có giấy chứng nhận (số CN-0101, ngày 28/10/2025)" in card
    assert "Ghi danh quần chúng" not in card  # the deadline is long past


async def test_a_class_is_found_by_words_of_its_title_without_diacritics(talk):
    reply = await talk("bithu").say("/lop khoa 1")
    assert "Lớp số" in reply and "Lớp nhận thức về Đảng khóa 1" in reply


async def test_no_matching_title_says_so(talk):
    reply = await talk("bithu").say("/lop tiếng anh")
    assert 'Không có lớp nào khớp với "tiếng anh"' in reply and "/lop" in reply


async def test_an_unknown_class_number_says_so(talk):
    reply = await talk("bithu").say("/lop 999")
    assert 'Không tìm thấy lớp "999"' in reply and "Danh sách lớp" in reply


async def test_a_long_list_pages_with_see_more(talk, demo):
    for i in range(20):
        await add_class(demo, COMMITTEE, f"Lớp thử {i}", starts_in=40 + i, enrol_in=35)
    bithu = talk("bithu")
    first = await bithu.say("/lop")
    assert "23 lớp, trang 1/2" in first and "Xem thêm" in first
    second = await bithu.say("Xem thêm")
    assert "trang 2/2" in second and "khóa 1" in second and "Xem thêm" not in second
    assert await bithu.say("/lop trang 5") == (
        "Không có trang 5; danh sách lớp có 2 trang. Xem trang đầu: /lop")


async def test_a_branch_sees_classes_above_it_but_not_another_branch_own(talk, demo):
    await add_class(demo, SECOND_BRANCH, "Lớp riêng của Khoa Toán")
    assert "Lớp riêng của Khoa Toán" not in await talk("bithu").say("/lop")
    klass = await class_id(demo, "Khoa Toán")
    assert await talk("bithu").say(f"/lop {klass}") == (
        "Không tìm thấy lớp \"4\" trong các lớp bạn được xem. Xem danh sách lớp: /lop\n"
        "\n"
        "1. Danh sách lớp\n"
        "(Trả lời bằng số hoặc bằng chữ)")
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
        "– Tạo lớp mới (gõ “/taolop”)\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")


async def test_with_no_class_the_list_says_what_to_do(talk, demo):
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(Enrollment))
        await session.exec(sa.delete(PartyClass))
    reply = await talk("bithu").say("/lop")
    assert "Chưa có lớp bồi dưỡng nào" in reply and "/taolop" in reply


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
        "– Tạo lớp mới (gõ “/taolop”)\n"
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
    reply = await captren.say("9/4/2026")
    assert "Ngày bế giảng (09/04/2026) sớm hơn ngày khai giảng (10/04/2026)" in reply
    assert "Ngày bế giảng?" in reply


async def test_the_enrolment_deadline_may_not_come_after_the_start(talk):
    captren = talk("captren")
    await captren.dialog(CREATE[:6])
    reply = await captren.say("11/4/2026")
    assert "Hạn ghi danh (11/04/2026) muộn hơn ngày khai giảng (10/04/2026)" in reply
    assert "Hạn chót ghi danh?" in reply


@pytest.mark.parametrize("typed, words", [
    ("0", "phải từ 1 đến 500"), ("501", "phải từ 1 đến 500"), ("ba mươi", "không phải là một số")])
async def test_capacity_is_a_number_from_1_to_500(talk, typed, words):
    captren = talk("captren")
    await captren.dialog(CREATE)
    reply = await captren.say(typed)
    assert words in reply and "bao nhiêu học viên" in reply


@pytest.mark.parametrize("typed, words", [
    ("31/4/2026", "Không có ngày 31/4/2026 trên lịch"), ("tuần sau", "Chưa đọc được ngày này"), ("", "Chưa có")])
async def test_a_bad_start_date_is_explained_and_asked_again(talk, typed, words):
    captren = talk("captren")
    await captren.dialog(CREATE[:4])
    reply = await captren.say(typed)
    assert words in reply and "Ngày khai giảng?" in reply


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

async def test_enrolling_a_sympathizer_moves_them_to_the_awareness_class_stage(talk, demo):
    klass = await class_id(demo, "khóa 2")
    bithu = talk("bithu")
    listing = await bithu.say(f"/ghidanh {klass}")
    assert "còn 78 chỗ" in listing and "- 4. Phạm Thu Hà (Cảm tình Đảng)" in listing
    assert "Ghi danh ai" in listing
    assert await bithu.say("4") == (
        "Xin kiểm tra lại:\n"
        "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
        "- Ghi danh: 4. Phạm Thu Hà\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa lớp\n"
        "3. Sửa người\n"
        "4. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    saved = await bithu.say("Lưu")
    assert "Đã ghi danh 4. Phạm Thu Hà" in saved and "3/80" in saved and "Học lớp nhận thức về Đảng" in saved
    ha = await candidate(demo, 4)
    assert ha.stage == "awareness_class" and ha.stage_since == TODAY
    assert ha.id in await enrollments(demo, klass)
    async with demo.sessions() as session:
        change = (await session.exec(select(StageChange).where(StageChange.candidate_id == ha.id)
                                     .order_by(StageChange.id.desc()))).first()
        logged = (await session.exec(select(AuditLog).where(AuditLog.subject == f"candidate:{ha.id}"))).all()
    assert (change.from_stage, change.to_stage, change.on) == ("sympathizer", "awareness_class", TODAY)
    assert change.by_person_id is not None and len(logged) == 1


async def test_the_enrolment_list_offers_only_people_who_may_take_the_class(talk, demo):
    listing = await talk("bithu").say(f"/ghidanh {await class_id(demo, 'khóa 2')}")
    for number_name in ("3. Lê Hoàng Minh", "4. Phạm Thu Hà", "11. Đinh Văn Khoa"):
        assert number_name in listing
    for other in ("Nguyễn Văn An", "Võ Thanh Tùng", "Hoàng Mai Anh", "Ngô Đức Thắng"):
        assert other not in listing


async def test_a_source_may_not_be_enrolled(talk, demo):
    bithu = talk("bithu")
    await bithu.say(f"/ghidanh {await class_id(demo, 'khóa 2')}")
    reply = await bithu.say("1")
    assert 'Nguyễn Văn An đang ở giai đoạn "Quần chúng ưu tú (nguồn)"' in reply and "Ghi danh ai" in reply


async def test_someone_already_enrolled_is_refused(talk, demo):
    bithu = talk("bithu")
    await bithu.say(f"/ghidanh {await class_id(demo, 'khóa 2')}")
    reply = await bithu.say("vo thanh tung")
    assert "Võ Thanh Tùng đã ghi danh lớp" in reply


async def test_enrolment_is_refused_after_the_deadline(talk, demo):
    klass = await class_id(demo, "khóa 2")
    demo.clock.advance(days=15)  # the deadline was 16/03
    reply = await talk("bithu").say(f"/ghidanh {klass}")
    assert "đã hết hạn ghi danh (hạn 16/03/2026)" in reply
    assert "Ghi danh ai" not in reply


async def test_enrolment_is_refused_when_the_class_is_full(talk, demo):
    klass = await class_id(demo, "khóa 2")
    await set_class(demo, klass, capacity=2)
    reply = await talk("bithu").say(f"/ghidanh {klass}")
    assert "đã đủ 2 chỗ" in reply and "Ghi danh ai" not in reply


async def test_a_class_filled_while_confirming_is_refused_and_nothing_saved(talk, demo):
    klass = await class_id(demo, "khóa 2")
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghidanh {klass}",
         "Ghi danh vào lớp \"Lớp nhận thức về Đảng khóa 2\" (khai giảng 01/04/2026, hạn ghi danh 16/03/2026, còn "
         "78 chỗ).\n"
         "Những người của chi bộ có thể ghi danh:\n"
         "- 3. Lê Hoàng Minh (Cảm tình Đảng)\n"
         "- 4. Phạm Thu Hà (Cảm tình Đảng)\n"
         "- 11. Đinh Văn Khoa (Cảm tình Đảng)\n"
         "Cảm tình Đảng được ghi danh sẽ chuyển sang giai đoạn \"Học lớp nhận thức về Đảng\".\n"
         "Gõ /huy để hủy.\n"
         "\n"
         "Ghi danh ai vào lớp \"Lớp nhận thức về Đảng khóa 2\"? Gõ số của người đó trong danh sách trên, hoặc "
         "một phần họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7."),
        ("3",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         "- Ghi danh: 3. Lê Hoàng Minh\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    await set_class(demo, klass, capacity=2)
    reply = await bithu.say("Lưu")
    assert "Lớp đã đủ 2 chỗ nên chưa ghi danh được" in reply and "Hủy" in reply
    assert (await candidate(demo, 3)).stage == "sympathizer"
    assert len(await enrollments(demo, klass)) == 2


async def test_the_deadline_passing_while_confirming_is_refused(talk, demo):
    klass = await class_id(demo, "khóa 2")
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghidanh {klass}",
         "Ghi danh vào lớp \"Lớp nhận thức về Đảng khóa 2\" (khai giảng 01/04/2026, hạn ghi danh 16/03/2026, còn "
         "78 chỗ).\n"
         "Những người của chi bộ có thể ghi danh:\n"
         "- 3. Lê Hoàng Minh (Cảm tình Đảng)\n"
         "- 4. Phạm Thu Hà (Cảm tình Đảng)\n"
         "- 11. Đinh Văn Khoa (Cảm tình Đảng)\n"
         "Cảm tình Đảng được ghi danh sẽ chuyển sang giai đoạn \"Học lớp nhận thức về Đảng\".\n"
         "Gõ /huy để hủy.\n"
         "\n"
         "Ghi danh ai vào lớp \"Lớp nhận thức về Đảng khóa 2\"? Gõ số của người đó trong danh sách trên, hoặc "
         "một phần họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7."),
        ("3",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         "- Ghi danh: 3. Lê Hoàng Minh\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    await set_class(demo, klass, enrol_by=TODAY - timedelta(days=1))  # moved earlier meanwhile
    assert await bithu.say("Lưu") == (
        "Lớp đã hết hạn ghi danh (hạn 01/03/2026, hôm nay 02/03/2026) nên chưa ghi danh được. Xin chọn Hủy.\n"
        "Xin kiểm tra lại:\n"
        "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
        "- Ghi danh: 3. Lê Hoàng Minh\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa lớp\n"
        "3. Sửa người\n"
        "4. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert len(await enrollments(demo, klass)) == 2


async def test_enrol_without_a_class_offers_the_open_ones(talk):
    bithu = talk("bithu")
    reply = await bithu.say("/ghidanh")
    assert "Các lớp đang nhận ghi danh" in reply and "khóa 2" in reply and "khóa 1" not in reply
    assert await bithu.say("3") == (
        "Ghi danh vào lớp \"Lớp nhận thức về Đảng khóa 2\" (khai giảng 01/04/2026, hạn ghi danh 16/03/2026, còn "
        "78 chỗ).\n"
        "Những người của chi bộ có thể ghi danh:\n"
        "- 3. Lê Hoàng Minh (Cảm tình Đảng)\n"
        "- 4. Phạm Thu Hà (Cảm tình Đảng)\n"
        "- 11. Đinh Văn Khoa (Cảm tình Đảng)\n"
        "Cảm tình Đảng được ghi danh sẽ chuyển sang giai đoạn \"Học lớp nhận thức về Đảng\".\n"
        "Gõ /huy để hủy.\n"
        "\n"
        "Ghi danh ai vào lớp \"Lớp nhận thức về Đảng khóa 2\"? Gõ số của người đó trong danh sách trên, hoặc một "
        "phần họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7.")


async def test_enrol_an_unknown_class(talk):
    assert await talk("bithu").say("/ghidanh abc") == (
        "Không tìm thấy lớp \"abc\" trong các lớp bạn được xem. Xem danh sách lớp: /lop\n"
        "\n"
        "1. Danh sách lớp\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_new_member_class_takes_probationary_members_without_a_stage_change(talk, demo):
    klass = await add_class(demo, COMMITTEE, "Lớp đảng viên mới 2026", kind=ClassKind.new_member)
    bithu = talk("bithu")
    listing = await bithu.say(f"/ghidanh {klass}")
    assert "8. Hoàng Mai Anh (Đảng viên dự bị)" in listing and "Phạm Thu Hà" not in listing
    await bithu.dialog([
        ("8",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp đảng viên mới 2026\n"
         "- Ghi danh: 8. Hoàng Mai Anh\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã ghi danh 8. Hoàng Mai Anh vào lớp \"Lớp đảng viên mới 2026\" (đã ghi danh 1/50 chỗ).\n"
         "\n"
         "1. Ghi danh thêm người khác\n"
         "2. Xem lớp này\n"
         "3. Danh sách lớp\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    anh = await candidate(demo, 8)
    assert anh.stage == "probationary" and anh.id in await enrollments(demo, klass)


async def test_a_new_member_class_calls_its_people_probationary_members(talk, demo):
    klass = await add_class(demo, COMMITTEE, "Lớp đảng viên mới 2026", kind=ClassKind.new_member)
    anh = await candidate(demo, 8)
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
        "- 8. Hoàng Mai Anh: Đã đăng ký\n"
        "\n"
        "1. Ghi danh đảng viên dự bị\n"
        "2. Danh sách lớp\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_new_member_class_with_everyone_enrolled_says_so_without_calling_them_quan_chung(talk, demo):
    klass = await add_class(demo, COMMITTEE, "Lớp đảng viên mới 2026", kind=ClassKind.new_member)
    anh = await candidate(demo, 8)
    async with demo.sessions() as session, session.begin():
        session.add(Enrollment(class_id=klass, candidate_id=anh.id, at=demo.clock.now()))
    assert await talk("bithu").say(f"/ghidanh {klass}") == (
        'Chi bộ không còn ai để ghi danh lớp "Lớp đảng viên mới 2026": lớp này dành cho đảng viên dự bị, và những '
        "người đó đã ghi danh rồi (hoặc chi bộ chưa có ai ở giai đoạn này). Xem danh sách: /ds\n"
        "\n"
        "1. Xem lớp này\n"
        "2. Danh sách lớp\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_cancelling_an_enrolment_saves_nothing(talk, demo):
    klass = await class_id(demo, "khóa 2")
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghidanh {klass}",
         "Ghi danh vào lớp \"Lớp nhận thức về Đảng khóa 2\" (khai giảng 01/04/2026, hạn ghi danh 16/03/2026, còn "
         "78 chỗ).\n"
         "Những người của chi bộ có thể ghi danh:\n"
         "- 3. Lê Hoàng Minh (Cảm tình Đảng)\n"
         "- 4. Phạm Thu Hà (Cảm tình Đảng)\n"
         "- 11. Đinh Văn Khoa (Cảm tình Đảng)\n"
         "Cảm tình Đảng được ghi danh sẽ chuyển sang giai đoạn \"Học lớp nhận thức về Đảng\".\n"
         "Gõ /huy để hủy.\n"
         "\n"
         "Ghi danh ai vào lớp \"Lớp nhận thức về Đảng khóa 2\"? Gõ số của người đó trong danh sách trên, hoặc "
         "một phần họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7."),
        ("4",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         "- Ghi danh: 4. Phạm Thu Hà\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa lớp\n"
         "3. Sửa người\n"
         "4. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("/huy",
         "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."),
    ])
    assert (await candidate(demo, 4)).stage == "sympathizer" and len(await enrollments(demo, klass)) == 2


# ---- /ketqualop ---------------------------------------------------------------------------------

async def start_results(talk, demo, who: int) -> tuple:
    klass = await class_id(demo, "khóa 2")
    demo.clock.advance(days=35)  # the class started on 01/04
    bithu = talk("bithu")
    listing = await bithu.say(f"/ketqualop {klass}")
    assert "- 5. Võ Thanh Tùng: Đã đăng ký" in listing and "Ghi kết quả của ai" in listing
    assert "Kết quả học của" in await bithu.say(str(who))
    return bithu, klass


async def test_results_wait_for_the_class_to_start(talk, demo):
    reply = await talk("bithu").say(f"/ketqualop {await class_id(demo, 'khóa 2')}")
    assert "khai giảng ngày 01/04/2026; kết quả được ghi từ ngày đó" in reply


async def test_passing_records_the_certificate(talk, demo):
    bithu, klass = await start_results(talk, demo, 5)
    await bithu.dialog([
        ("đạt",
         "Số giấy chứng nhận của 5. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0300",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("5/4/2026",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         "- Người: 5. Võ Thanh Tùng\n"
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
    saved = await bithu.say("Lưu")
    assert "Đạt, có giấy chứng nhận, giấy chứng nhận số CN-0300 ngày 05/04/2026" in saved
    assert "Bắt đầu làm hồ sơ" in saved
    tung = await candidate(demo, 5)
    e = (await enrollments(demo, klass))[tung.id]
    assert (e.status, e.certificate_number, e.certificate_on) == ("passed", "CN-0300", date(2026, 4, 5))
    assert tung.stage == "awareness_class"  # the move to the dossier stays explicit (/lamhoso)


async def test_a_certificate_dated_in_the_future_is_refused(talk, demo):
    bithu, _ = await start_results(talk, demo, 5)
    await bithu.dialog([
        ("1",
         "Số giấy chứng nhận của 5. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0300",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    reply = await bithu.say("1/5/2026")
    assert "Ngày 01/05/2026 chưa tới" in reply and "Ngày cấp" in reply


async def test_a_certificate_dated_before_the_class_started_is_refused(talk, demo):
    bithu, _ = await start_results(talk, demo, 5)
    await bithu.dialog([
        ("1",
         "Số giấy chứng nhận của 5. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0300",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    reply = await bithu.say("31/3/2026")
    assert "Ngày cấp 31/03/2026 sớm hơn ngày lớp học xong (05/04/2026)" in reply


async def test_a_certificate_dated_while_the_class_was_still_on_is_refused_and_asked_again(talk, demo):
    bithu, _ = await start_results(talk, demo, 5)  # the class ran from 01/04 to 05/04/2026
    await bithu.dialog([
        ("1",
         "Số giấy chứng nhận của 5. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
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
        "- Người: 5. Võ Thanh Tùng\n"
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


async def test_absent_with_a_reason_moves_back_to_sympathizer(talk, demo):
    bithu, klass = await start_results(talk, demo, 5)
    assert await bithu.say("vắng") == (
        "5. Võ Thanh Tùng chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
        "vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn \"Giữ nguyên giai đoạn\".\n"
        "\n"
        "1. Giữ nguyên giai đoạn\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert "Ngày có kết quả lớp của 5. Võ Thanh Tùng?" in await bithu.say("Ốm cả khóa, học lớp sau")
    screen = await bithu.say("hôm nay")  # the day the person goes back (tests/flows/test_result_day.py)
    assert "đưa về lại cảm tình Đảng từ 06/04/2026, lý do: Ốm cả khóa, học lớp sau" in screen
    assert await bithu.say("Lưu") == (
        "Đã ghi kết quả của 5. Võ Thanh Tùng ở lớp \"Lớp nhận thức về Đảng khóa 2\": Vắng.\n"
        "Võ Thanh Tùng đã được đưa về lại cảm tình Đảng từ 06/04/2026.\n"
        "\n"
        "1. Ghi kết quả người khác\n"
        "2. Xem lớp này\n"
        "3. Danh sách lớp\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    tung = await candidate(demo, 5)
    assert tung.stage == "sympathizer" and (await enrollments(demo, klass))[tung.id].status == "absent"
    async with demo.sessions() as session:
        change = (await session.exec(select(StageChange).where(StageChange.candidate_id == tung.id)
                                     .order_by(StageChange.id.desc()))).first()
    assert (change.from_stage, change.to_stage, change.reason) == (
        "awareness_class", "sympathizer", "Ốm cả khóa, học lớp sau")


async def test_failed_may_keep_the_stage(talk, demo):
    bithu, klass = await start_results(talk, demo, 12)
    await bithu.dialog([
        ("không đạt",
         "12. Lương Thị Mỹ chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
         "vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn \"Giữ nguyên giai đoạn\".\n"
         "\n"
         "1. Giữ nguyên giai đoạn\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Giữ nguyên giai đoạn",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         "- Người: 12. Lương Thị Mỹ\n"
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
         "Đã ghi kết quả của 12. Lương Thị Mỹ ở lớp \"Lớp nhận thức về Đảng khóa 2\": Không đạt.\n"
         "\n"
         "1. Ghi kết quả người khác\n"
         "2. Xem lớp này\n"
         "3. Danh sách lớp\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    my = await candidate(demo, 12)
    assert my.stage == "awareness_class" and (await enrollments(demo, klass))[my.id].status == "failed"


async def test_changing_passed_to_absent_on_the_confirmation_drops_the_certificate(talk, demo):
    bithu, klass = await start_results(talk, demo, 12)
    await bithu.dialog([
        ("đạt",
         "Số giấy chứng nhận của 12. Lương Thị Mỹ? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0301",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         "- Người: 12. Lương Thị Mỹ\n"
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
         "Kết quả học của 12. Lương Thị Mỹ?\n"
         "\n"
         "1. Đạt, có giấy chứng nhận\n"
         "2. Không đạt\n"
         "3. Vắng\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("vắng") == (
        "12. Lương Thị Mỹ chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
        "vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn \"Giữ nguyên giai đoạn\".\n"
        "\n"
        "1. Giữ nguyên giai đoạn\n"
        "(Trả lời bằng số hoặc bằng chữ)")  # the question that now applies
    screen = await bithu.say("Giữ nguyên giai đoạn")
    assert "Kết quả: Vắng" in screen and "CN-0301" not in screen
    await bithu.say("Lưu")
    e = (await enrollments(demo, klass))[(await candidate(demo, 12)).id]
    assert (e.status, e.certificate_number, e.certificate_on) == ("absent", None, None)


async def test_changing_absent_to_passed_on_the_confirmation_asks_for_the_certificate(talk, demo):
    bithu, klass = await start_results(talk, demo, 12)
    await bithu.dialog([
        ("vắng",
         "12. Lương Thị Mỹ chưa hoàn thành lớp. Đưa người này về lại cảm tình Đảng? Nếu có, gõ lý do (ví dụ: "
         "vắng cả khóa vì ốm, sẽ học lớp sau). Nếu không, chọn \"Giữ nguyên giai đoạn\".\n"
         "\n"
         "1. Giữ nguyên giai đoạn\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Giữ nguyên giai đoạn",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         "- Người: 12. Lương Thị Mỹ\n"
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
         "Kết quả học của 12. Lương Thị Mỹ?\n"
         "\n"
         "1. Đạt, có giấy chứng nhận\n"
         "2. Không đạt\n"
         "3. Vắng\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    await bithu.dialog([
        ("đạt",
         "Số giấy chứng nhận của 12. Lương Thị Mỹ? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0302",
         "Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc \"hôm nay\")\n"
         "\n"
         "1. Hôm nay (06/04/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         "- Người: 12. Lương Thị Mỹ\n"
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
    e = (await enrollments(demo, klass))[(await candidate(demo, 12)).id]
    assert (e.status, e.certificate_number) == ("passed", "CN-0302")


async def test_moving_back_needs_a_reason(talk, demo):
    bithu, _ = await start_results(talk, demo, 5)
    await bithu.say("vắng")
    reply = await bithu.say("có")
    assert "Xin gõ lý do" in reply and "Giữ nguyên giai đoạn" in reply


async def test_someone_not_in_the_class_has_no_result(talk, demo):
    bithu, _ = await start_results(talk, demo, 5)
    await bithu.say("/huy")
    await bithu.say(f"/ketqualop {await class_id(demo, 'khóa 2')}")
    reply = await bithu.say("3")
    assert 'Lê Hoàng Minh không ghi danh lớp "Lớp nhận thức về Đảng khóa 2"' in reply


async def test_results_stay_once_people_have_moved_on(talk, demo):
    klass = await class_id(demo, "khóa 1")
    reply = await talk("bithu").say(f"/ketqualop {klass}")
    assert "đều đã sang giai đoạn sau" in reply
    assert (await enrollments(demo, klass))[(await candidate(demo, 6)).id].certificate_number == "CN-0101"


async def test_results_without_a_class_offer_the_started_ones_with_results_to_record(talk, demo):
    bithu = talk("bithu")
    assert await bithu.say("/ketqualop") == (
        "Chưa có lớp nào đã khai giảng còn kết quả cần ghi cho người của chi bộ. Xem các lớp: /lop\n"
        "\n"
        "– Danh sách lớp (gõ “/lop”)\n"
        "(Trả lời bằng chữ)")  # khóa 1: everyone moved on
    demo.clock.advance(days=35)
    reply = await bithu.say("/ketqualop")
    assert "Ghi kết quả lớp nào" in reply and "khóa 2" in reply and "khóa 1" not in reply


async def test_a_number_at_a_screen_without_numbers_starts_nothing(talk, demo):
    """With no class, /ketqualop offers only "Danh sách lớp" and /lop only "Tạo lớp mới", neither with a
    number: "٣" or "3" typed there was taken as the argument of that one command ("/lop ٣", then
    "/taolop 3", which began creating a class)."""
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(Enrollment))
        await session.exec(sa.delete(PartyClass))
    bithu = talk("bithu")
    assert await bithu.say("/ketqualop") == (
        "Chưa có lớp nào đã khai giảng còn kết quả cần ghi cho người của chi bộ. Xem các lớp: /lop\n\n"
        "– Danh sách lớp (gõ “/lop”)\n(Trả lời bằng chữ)")
    assert await bithu.say("٣") == NOT_UNDERSTOOD
    assert await bithu.say("/lop tiếng anh") == (
        'Không có lớp nào khớp với "tiếng anh". Xem mọi lớp: /lop\n\n'
        "– Tạo lớp mới (gõ “/taolop”)\n(Trả lời bằng chữ)")
    assert await bithu.say("٣") == NOT_UNDERSTOOD
    await bithu.say("/lop tiếng anh")
    assert await bithu.say("3") == NOT_UNDERSTOOD
    async with demo.sessions() as session:
        assert [c.flow for c in await session.exec(select(Conversation))] == [None]


# ---- who may do what ------------------------------------------------------------------------------

async def test_the_committee_sees_counts_by_branch_but_does_not_enrol_or_record(talk, demo):
    klass = await class_id(demo, "khóa 2")
    captren = talk("captren")
    card = await captren.say(f"/lop {klass}")
    assert f"{BRANCH}: 2" in card and "Ghi danh quần chúng" not in card and "Võ Thanh Tùng" not in card
    for command in (f"/ghidanh {klass}", "/ghidanh", f"/ketqualop {klass}"):
        reply = await captren.say(command)
        assert reply == NOT_ALLOWED_REPLY, command
    assert len(await enrollments(demo, klass)) == 2


EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]


@pytest.mark.parametrize("account, refusal", [
    ("giupdo", NOT_ALLOWED), ("quanchung", NOT_ALLOWED), ("nguoila", NOT_LINKED)])
async def test_others_are_refused_and_learn_nothing(talk, demo, account, refusal):
    klass = await class_id(demo, "khóa 2")
    person = talk(account)
    said = [await person.say(c) for c in
            ["/lop", f"/lop {klass}", "/lop khoa", "/taolop", f"/ghidanh {klass}", "/ketqualop", "4", "1"]]
    assert all(refusal in s for s in said[:6])
    for text in EVERY_NAME + ["khóa 2", "Hội trường"]:
        if account == "quanchung" and text == "Lê Hoàng Minh":
            continue
        assert not any(text in s for s in said), text
    assert len(await enrollments(demo, klass)) == 2


async def test_a_secretary_may_not_enrol_another_branch_candidate(talk, demo):
    bithu = talk("bithu")
    await bithu.say(f"/ghidanh {await class_id(demo, 'khóa 2')}")
    reply = await bithu.say("ngo duc thang")
    assert 'Không tìm thấy ai khớp với "ngo duc thang"' in reply


# ---- several at once ------------------------------------------------------------------------

async def test_several_people_are_enrolled_in_one_answer(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/ghidanh 3")
    screen = await bithu.say("3, 4, 11")
    assert "- Ghi danh: 3. Lê Hoàng Minh; 4. Phạm Thu Hà; 11. Đinh Văn Khoa" in screen
    saved = await bithu.say("Lưu")
    assert saved.startswith(
        'Đã ghi danh 3 người vào lớp "Lớp nhận thức về Đảng khóa 2" (đã ghi danh 5/80 chỗ):\n'
        '- 3. Lê Hoàng Minh (chuyển sang "Học lớp nhận thức về Đảng" từ hôm nay)\n'
        '- 4. Phạm Thu Hà (chuyển sang "Học lớp nhận thức về Đảng" từ hôm nay)\n'
        '- 11. Đinh Văn Khoa (chuyển sang "Học lớp nhận thức về Đảng" từ hôm nay)\n')
    card = await bithu.say("/lop 3")
    for line in ("- 3. Lê Hoàng Minh: Đã đăng ký", "- 4. Phạm Thu Hà: Đã đăng ký", "- 11. Đinh Văn Khoa: Đã đăng ký"):
        assert line in card


async def test_a_range_of_numbers_names_everyone_in_it_and_who_cannot_go_is_named(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/ghidanh 3")
    refused = await bithu.say("3-5")  # 5. Võ Thanh Tùng is enrolled already
    assert refused.startswith("Chưa ghi danh ai, vì có người không ghi danh được vào lớp này:\n"
                              "- 5. Võ Thanh Tùng: đã ghi danh lớp này rồi\n")
    assert "Ghi danh ai vào lớp" in refused  # asked again, nothing saved
    unknown = await bithu.say("3, 99")
    assert unknown.startswith("Không tìm thấy người có số 99 trong danh sách bạn ghi danh được")
    assert await bithu.say("3 đến 4") == (
        "Xin kiểm tra lại:\n"
        "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
        "- Ghi danh: 3. Lê Hoàng Minh; 4. Phạm Thu Hà\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa lớp\n"
        "3. Sửa người\n"
        "4. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
