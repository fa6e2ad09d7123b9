"""/ketqualop for a whole class in one screen: "tất cả đạt" or "đạt trừ 12", one certificate date for
all (never before the class ended), the certificate numbers together or later, one by one.

The demo's "khóa 2" awareness class runs from 01/04 to 05/04/2026; the branch's people in it are
Võ Thanh Tùng and Lương Thị Mỹ, whose register numbers are looked up by name (the `no` fixture). The clock
is moved to 06/04/2026."""

from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH
from handlers.class_results import parse_batch
from models.audit import AuditLog
from models.candidate import Candidate
from models.org import Organisation
from models.party_class import Enrollment, PartyClass
from tests.support import numbers_of

TUNG, MY = "Võ Thanh Tùng", "Lương Thị Mỹ"  # in the class
MINH = "Lê Hoàng Minh"  # of the branch, not in the class


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers of Tùng, Mỹ and Minh, looked up by name."""
    return await numbers_of(demo, (TUNG, MY, MINH))


ASK_WHO = ('Ghi kết quả của ai? Gõ số của người đó trong danh sách trên, hoặc một phần họ tên. Cả lớp một lần: '
           '"tất cả đạt", hoặc "đạt trừ 3, 7".')  # a fixed example, not the class's numbers


def listing(no: dict[str, int]) -> str:
    return ('Ghi kết quả lớp "Lớp nhận thức về Đảng khóa 2" (học từ 01/04/2026 đến 05/04/2026). Quần chúng của chi '
            "bộ trong lớp:\n"
            f"- {no[TUNG]}. Võ Thanh Tùng: Đã đăng ký\n"
            f"- {no[MY]}. Lương Thị Mỹ: Đã đăng ký\n"
            "Gõ /huy để hủy.\n\n" + ASK_WHO)


ASK_DATE = ('Ngày cấp giấy chứng nhận? (ngày/tháng/năm, không trước ngày lớp học xong, hoặc "hôm nay")\n\n'
            "1. Hôm nay (06/04/2026)\n(Trả lời bằng số hoặc bằng chữ)")  # today, offered as the default
ASK_NUMBERS = (  # "5: CN-0301; 12: CN-0302" is a fixed example
    "Số giấy chứng nhận của những người đạt? Gõ số của người rồi số giấy, các người cách nhau bằng dấu chấm "
    "phẩy, ví dụ: 5: CN-0301; 12: CN-0302. Người chưa có số thì ghi sau bằng /ketqualop từng người; "
    '"bỏ qua" nếu chưa có số nào.\n\n'
    "1. Bỏ qua, ghi số sau\n(Trả lời bằng số hoặc bằng chữ)")


def ask_others(no: dict[str, int]) -> str:
    return (f"Tất cả đạt, trừ {no[MY]}. Lương Thị Mỹ. Những người được trừ ra thì ghi thế nào?\n\n"
            "1. Không đạt\n2. Vắng\n3. Chưa ghi, sẽ ghi riêng từng người\n(Trả lời bằng số hoặc bằng chữ)")



AFTER_SAVE = ("1. Ghi kết quả người khác\n2. Xem lớp này\n3. Danh sách lớp\n(Trả lời bằng số hoặc bằng chữ)")


async def class_id(chibo) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(PartyClass).where(PartyClass.title.endswith("khóa 2")))).one().id


async def results(chibo, klass: int) -> dict[int, tuple]:
    """Each branch member's (status, certificate number, date) by register number."""
    async with chibo.sessions() as session:
        rows = await session.exec(
            select(Candidate.number, Enrollment).join(Enrollment, Enrollment.candidate_id == Candidate.id)
            .join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Enrollment.class_id == klass, Organisation.name == BRANCH))
        return {n: (e.status, e.certificate_number, e.certificate_on) for n, e in rows}


async def begin(talk, demo, no):
    klass = await class_id(demo)
    demo.clock.advance(days=35)  # 06/04/2026: the class is over
    bithu = talk("bithu")
    assert await bithu.say(f"/ketqualop {klass}") == listing(no)
    return bithu, klass


async def test_the_whole_class_passes_in_one_answer_with_its_certificate_numbers(talk, demo, no):
    tung, my = no[TUNG], no[MY]
    bithu, klass = await begin(talk, demo, no)
    assert await bithu.say("tất cả đạt") == ASK_DATE
    assert await bithu.say("5/4/2026") == ASK_NUMBERS
    assert await bithu.say(f"{tung}: CN-0301; {my}: CN-0302") == (
        "Xin kiểm tra lại:\n"
        "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
        f"- Đạt (2 người): {tung}. Võ Thanh Tùng, {my}. Lương Thị Mỹ\n"
        "- Ngày cấp giấy chứng nhận: 05/04/2026\n"
        f"- Số giấy chứng nhận: {tung}: CN-0301; {my}: CN-0302\n\n"
        "1. Lưu\n2. Sửa lớp\n3. Sửa người\n4. Sửa ngày cấp giấy chứng nhận\n5. Sửa số giấy chứng nhận\n6. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await results(demo, klass) == {tung: ("enrolled", None, None), my: ("enrolled", None, None)}
    assert await bithu.say("Lưu") == (
        'Đã ghi kết quả lớp "Lớp nhận thức về Đảng khóa 2":\n'
        f"- {tung}. Võ Thanh Tùng: Đạt, có giấy chứng nhận, ngày cấp 05/04/2026, số CN-0301\n"
        f"- {my}. Lương Thị Mỹ: Đạt, có giấy chứng nhận, ngày cấp 05/04/2026, số CN-0302\n"
        "Bước tiếp theo cho người đạt: bắt đầu làm hồ sơ kết nạp (/lamhoso).\n\n" + AFTER_SAVE)
    on = date(2026, 4, 5)
    assert await results(demo, klass) == {tung: ("passed", "CN-0301", on), my: ("passed", "CN-0302", on)}
    async with demo.sessions() as session:
        logged = list(await session.exec(select(AuditLog).where(AuditLog.action == "class.result")))
    assert len(logged) == 2


async def test_all_but_one_then_the_numbers_later_one_by_one(talk, demo, no):
    tung, my = no[TUNG], no[MY]
    bithu, klass = await begin(talk, demo, no)
    assert await bithu.say(f"đạt trừ {my}") == ask_others(no)
    assert await bithu.say("vắng") == ASK_DATE
    assert await bithu.say("hôm qua") == ASK_NUMBERS
    assert await bithu.say("bỏ qua") == (
        "Xin kiểm tra lại:\n"
        "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
        f"- Đạt (1 người): {tung}. Võ Thanh Tùng\n"
        f"- Vắng (1 người): {my}. Lương Thị Mỹ\n"
        "- Ngày cấp giấy chứng nhận: 05/04/2026\n"
        "- Số giấy chứng nhận: Bỏ qua, ghi số sau\n\n"
        "1. Lưu\n2. Sửa lớp\n3. Sửa người\n4. Sửa kết quả của những người trừ ra\n"
        "5. Sửa ngày cấp giấy chứng nhận\n6. Sửa số giấy chứng nhận\n7. Hủy\n(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (
        'Đã ghi kết quả lớp "Lớp nhận thức về Đảng khóa 2":\n'
        f"- {tung}. Võ Thanh Tùng: Đạt, có giấy chứng nhận, ngày cấp 05/04/2026, chưa có số giấy\n"
        f"- {my}. Lương Thị Mỹ: Vắng\n"
        "Bước tiếp theo cho người đạt: bắt đầu làm hồ sơ kết nạp (/lamhoso).\n\n" + AFTER_SAVE)
    on = date(2026, 4, 5)
    assert await results(demo, klass) == {tung: ("passed", None, on), my: ("absent", None, None)}
    # The number comes later, for one person, on the usual path.
    await bithu.say(f"/ketqualop {klass}")
    await bithu.dialog([
        (str(tung),
         f"Kết quả học của {tung}. Võ Thanh Tùng?\n\n"
         "1. Đạt, có giấy chứng nhận\n2. Không đạt\n3. Vắng\n(Trả lời bằng số hoặc bằng chữ)"),
        ("đạt", f"Số giấy chứng nhận của {tung}. Võ Thanh Tùng? (ví dụ CN-0123; tối đa 40 ký tự)"),
        ("CN-0301", ASK_DATE),
        ("5/4/2026",
         "Xin kiểm tra lại:\n"
         "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
         f"- Người: {tung}. Võ Thanh Tùng\n"
         "- Kết quả: Đạt, có giấy chứng nhận\n"
         "- Giấy chứng nhận: số CN-0301, ngày 05/04/2026\n\n"
         "1. Lưu\n2. Sửa lớp\n3. Sửa người\n4. Sửa kết quả\n5. Sửa số giấy chứng nhận\n"
         "6. Sửa ngày cấp giấy chứng nhận\n7. Hủy\n(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         f'Đã ghi kết quả của {tung}. Võ Thanh Tùng ở lớp "Lớp nhận thức về Đảng khóa 2": Đạt, có giấy chứng nhận '
         "số CN-0301 ngày 05/04/2026.\n"
         "Bước tiếp theo: bắt đầu làm hồ sơ kết nạp (/lamhoso).\n\n"
         "1. Bắt đầu làm hồ sơ\n2. Ghi kết quả người khác\n3. Xem lớp này\n4. Danh sách lớp\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert (await results(demo, klass))[tung] == ("passed", "CN-0301", on)


async def test_those_left_out_may_be_left_to_record_one_by_one(talk, demo, no):
    tung, my = no[TUNG], no[MY]
    bithu, klass = await begin(talk, demo, no)
    await bithu.say(f"tat ca dat tru {my}")
    await bithu.say("3")  # "Chưa ghi, sẽ ghi riêng từng người"
    await bithu.say("5/4/2026")
    await bithu.say(f"{tung} CN-0301")
    assert await bithu.say("Lưu") == (
        'Đã ghi kết quả lớp "Lớp nhận thức về Đảng khóa 2":\n'
        f"- {tung}. Võ Thanh Tùng: Đạt, có giấy chứng nhận, ngày cấp 05/04/2026, số CN-0301\n"
        f"- {my}. Lương Thị Mỹ: chưa ghi, ghi riêng bằng /ketqualop\n"
        "Bước tiếp theo cho người đạt: bắt đầu làm hồ sơ kết nạp (/lamhoso).\n\n" + AFTER_SAVE)
    assert await results(demo, klass) == {tung: ("passed", "CN-0301", date(2026, 4, 5)), my: ("enrolled", None, None)}


async def test_one_date_for_all_is_refused_before_the_class_ended(talk, demo, no):
    tung, my = no[TUNG], no[MY]
    bithu, klass = await begin(talk, demo, no)
    await bithu.say("tất cả đạt")
    assert await bithu.say("3/4/2026") == (
        "Ngày cấp 03/04/2026 sớm hơn ngày lớp học xong (05/04/2026): giấy chứng nhận chỉ được cấp khi đã học "
        "hết lớp. Xin ghi đúng ngày trên giấy chứng nhận.\n" + ASK_DATE)
    assert await results(demo, klass) == {tung: ("enrolled", None, None), my: ("enrolled", None, None)}


async def test_an_exception_not_in_the_class_is_asked_again(talk, demo, no):
    bithu, _ = await begin(talk, demo, no)
    minh = no[MINH]  # of the branch, not in the class
    assert await bithu.say(f"đạt trừ {minh}") == (
        f"Không tìm thấy người có số {minh} trong danh sách bạn ghi danh được. Xin gõ lại các số, ví dụ 3, 4, 7 "
        "hoặc 3-7.\n" + ASK_WHO)


async def test_leaving_out_everyone_is_no_whole_class_answer(talk, demo, no):
    bithu, _ = await begin(talk, demo, no)
    assert await bithu.say(f"đạt trừ {no[TUNG]} và {no[MY]}") == (
        "Trừ ra như vậy thì không còn ai đạt. Xin ghi từng người: gõ số hoặc tên người đó.\n"
        + ASK_WHO)


async def test_a_certificate_number_only_for_those_who_passed(talk, demo, no):
    my = no[MY]
    bithu, _ = await begin(talk, demo, no)
    for says in (f"đạt trừ {my}", "không đạt", "5/4/2026"):
        await bithu.say(says)
    assert await bithu.say(f"{my}: CN-0302") == (
        f"Số {my} không có trong những người đạt lần này. Xin gõ lại, chỉ với số của những người đạt.\n"
        + ASK_NUMBERS)
    assert await bithu.say("CN-0302") == (
        'Chưa đọc được "CN-0302". Gõ số của người rồi số giấy chứng nhận, các người cách nhau bằng dấu chấm phẩy, '
        "ví dụ: 5: CN-0301; 12: CN-0302.\n" + ASK_NUMBERS)


async def test_nobody_left_to_record_is_said_and_the_question_stays(talk, demo, no):
    bithu, klass = await begin(talk, demo, no)
    for says in ("tất cả đạt", "5/4/2026", "bỏ qua", "Lưu"):
        await bithu.say(says)
    await bithu.say(f"/ketqualop {klass}")
    assert await bithu.say("tất cả đạt") == (
        'Không còn ai của chi bộ trong lớp "Lớp nhận thức về Đảng khóa 2" chờ ghi kết quả. Để sửa kết quả đã ghi '
        "của một người, gõ số hoặc tên người đó.\n" + ASK_WHO)


def test_the_whole_class_answer_is_read_in_the_ways_people_say_it():
    everyone = {"batch": True, "except": []}
    for typed in ("tất cả đạt", "Tat ca dat", "cả lớp đạt", "đạt hết", "đạt tất cả", "all pass"):
        assert parse_batch(typed) == everyone, typed
    for typed, numbers in [("đạt trừ 3, 7", [3, 7]), ("tất cả đạt, trừ 3 và 7", [3, 7]), ("dat tru 3-5", [3, 4, 5]),
                           ("đạt ngoại trừ 12", [12])]:
        assert parse_batch(typed) == {"batch": True, "except": numbers}, typed
    for typed in ("đạt", "Đạt Nguyễn", "5", "tất cả", "đạt trừ", "đạt trừ ba", "đạt trừ 3 7 x"):
        assert parse_batch(typed) is None, typed
