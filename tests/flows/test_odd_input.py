"""Odd input never crashes chibo: Unicode digits, numbers past 2**63, control characters and
bidi overrides get a plain Vietnamese answer, and free text is stored without them."""

import pytest
from sqlmodel import select

from bot.app import build_routes
from bot.engine.flow import Flow
from models.candidate import Candidate
from models.text import clean, number, page_number
from tests.flows.test_candidates import next_number
from tests.texts import CANCELLED, CHOOSE, NOTHING_TO_CANCEL, NOT_UNDERSTOOD

SUPERSCRIPT, ARABIC_THREE, HUGE = "²", "٣", str(2**63)
ODD_NUMBERS = [SUPERSCRIPT, ARABIC_THREE, HUGE, "99999999999999999999"]
NOT_FOUND = ('Không tìm thấy ai khớp với "{0}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần '
             'họ tên khác.\nLệnh /xem đã dừng. Gõ lại /xem kèm số hoặc tên khác, hoặc chỉ gõ /xem để chibo hỏi '
             'từng bước.')


def nobody(odd: str) -> str:
    return (f'Không tìm thấy ai khớp với "{odd}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ '
            "tên khác.")


def stopped(command: str) -> str:
    return (f"Lệnh {command} đã dừng. Gõ lại {command} kèm số hoặc tên khác, hoặc chỉ gõ {command} để chibo hỏi "
            "từng bước.")


# What `COMMAND ODD` answers, when the number is no one's, no class's: the command stops and says why.
LOOKUPS = {
    "/xem": lambda odd: nobody(odd) + "\n" + stopped("/xem"),
    "/hoso": lambda odd: nobody(odd) + "\n" + stopped("/hoso"),
    "/giupdo": lambda odd: nobody(odd) + "\n" + stopped("/giupdo"),
    "/nhanve": lambda odd: nobody(odd) + "\n" + stopped("/nhanve"),
    "/ketnap": lambda odd: nobody(odd) + "\nXem những người ghi được: /ketnap · Xem cả danh sách: /ds",
    "/lop": lambda odd: (f'Không có lớp nào khớp với "{odd}". Xem mọi lớp: /lop\n'
                         "\n"
                         "– Tạo lớp mới (gõ \"/taolop\")"),
    "/gap": lambda odd: (f'"{odd}" không phải là người bạn đang được phân công giúp đỡ. Bạn chỉ ghi được lần gặp với '
                         "người mình giúp đỡ (xem danh sách: /cuatoi).\n" + stopped("/gap")),
}
# The lists take the number as a page: an odd one shows the first page, as the command alone does.
PAGED = {"/ds", "/chitieu", "/cuatoi", "/tonghop"}

# Commands that take a number as their argument, and who may run them.
NUMBERED = [("bithu", c) for c in ("/ds", "/xem", "/lop", "/chitieu", "/hoso", "/ketnap", "/giupdo", "/nhanve")]
NUMBERED += [("giupdo", "/cuatoi"), ("giupdo", "/gap"), ("captren", "/tonghop"), ("captren", "/ds")]


@pytest.mark.parametrize("odd", ODD_NUMBERS)
@pytest.mark.parametrize("account, command", NUMBERED)
async def test_an_odd_number_as_an_argument_gets_an_answer(talk, account, command, odd):
    person = talk(account)
    reply = await person.say(f"{command} {odd}")  # the guard fails the test on the apology
    if command in PAGED:
        assert reply == await person.say(command)
    else:
        assert reply == LOOKUPS[command](odd)
    assert await person.say("/huy") == NOTHING_TO_CANCEL  # nothing was left half-done


@pytest.mark.parametrize("odd", ODD_NUMBERS)
async def test_an_odd_number_names_nobody(talk, odd):
    assert await talk("bithu").say(f"/xem {odd}") == NOT_FOUND.format(odd)


async def test_a_superscript_is_not_the_second_choice(talk):
    bithu = talk("bithu")
    await bithu.say("/them")
    await bithu.say("nguyễn   thị hoa")
    assert await bithu.say("05/09/2004") == "Giới tính?\n\n1. Nam\n2. Nữ\n(Trả lời bằng số hoặc bằng chữ)"
    assert await bithu.say(SUPERSCRIPT) == (
        '"²" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        'Giới tính?\n\n1. Nam\n2. Nữ\n(Trả lời bằng số hoặc bằng chữ)')
    assert await bithu.say("2") == (  # the question is still there, answered now
        "Nguyễn Thị Hoa thuộc đối tượng nào?\n"
        "\n"
        "1. Giáo viên, giảng viên\n"
        "2. Học sinh, sinh viên\n"
        "3. Cán bộ quản lý\n"
        "4. Nhân viên\n"
        "5. Công nhân, người lao động\n"
        "6. Bác sĩ, nhân viên y tế\n"
        "7. Khác\n"
        + CHOOSE)


FLOWS = [r for r in build_routes() if isinstance(r, Flow) and r.steps]
# What /huy answers after the odd input: the flows still asking their first question are cancelled.
# The others were not open any more: a picker gives up after four answers that find nobody ("Đã 4 lần chưa tìm
# được"), /ghidanh's list of classes asks nothing, and /datchitieu and /gap are not a secretary's to start.
STOPPED_BY_HUY = {
    "register": CANCELLED, "class_create": CANCELLED, "branch_settings": CANCELLED,
    "revoke_role": CANCELLED, "members": CANCELLED, "report": CANCELLED, "invite": CANCELLED, "hand_over": CANCELLED,
    "my_data": CANCELLED, "consent": CANCELLED,
    "review": "Đã dừng xét duyệt. Những quyết định đã chọn trước đó vẫn được lưu; gõ /xet để tiếp tục người chưa xét.",
    "survey": "Đã dừng khảo sát. Những đánh giá đã chọn trước đó vẫn được lưu; gõ /quy để tiếp tục.",
}


ODD_INPUT = [*ODD_NUMBERS, "\x00", "\u202e", "\x1b[2J"]  # the last three are empty once cleaned
EMPTY = "Chưa có câu trả lời."
PICKERS = {"view", "sponsor", "dossier", "dossier_item", "dossier_start", "dossier_propose", "admission",
           "recognition", "transfer", "edit", "reception"}
# nothing asked of a secretary (for /hoantac nothing to undo, for /ketqualop no class to record, for /yeucau no
# request to answer): every odd input puzzles; a number is never taken as the argument of the screen's one link
NOT_OPENED = {"class_enrol", "set_target", "checkin", "undo", "class_results", "data_requests"}


def not_a_choice(odd: str) -> str:
    return f'"{odd}" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.'


def expected_answers(flow: Flow, first: str, screen: str) -> list[str]:
    """The whole answers to ODD_INPUT, built from the flow's first message (`first`) and, for the reviews, the
    first screen (`screen`, the answer to the first odd input)."""
    command = flow.commands[0]
    if flow.name in PICKERS:  # the question again with why, until the fourth miss ends it
        gave_up = (f"Đã 4 lần chưa tìm được, nên chibo dừng việc này ở đây; chưa có gì được lưu. Xem danh sách: /ds. "
                   f"Bắt đầu lại: {command}")
        return ([f"{nobody(odd)}\n{first}" for odd in ODD_NUMBERS[:3]] + [f"{nobody(ODD_NUMBERS[3])}\n{gave_up}"]
                + [NOT_UNDERSTOOD] * 3)
    if flow.name in NOT_OPENED:
        return [NOT_UNDERSTOOD] * 7
    if flow.name == "register":
        return ([f"Xin ghi đủ họ và tên (ít nhất hai chữ), ví dụ: Nguyễn Văn An.\n{first}"]
                + [f"Họ tên chỉ gồm chữ cái và dấu cách (không có số hay ký hiệu).\n{first}"] * 3
                + [f"{EMPTY}\n{first}"] * 3)
    if flow.name == "review":  # the meeting's day first
        question = first[first.index("Chi bộ họp xét duyệt ngày nào?"):]
        bad = ('Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, hoặc "hôm nay", '
               '"hôm qua".')
        return [f"{bad}\n{question}"] * 4 + [f"{EMPTY}\n{question}"] * 3
    if flow.name == "survey":  # the first source's screen at once
        question = first[first.index("Khảo sát nguồn quý 1/2026 · người 1/4"):]
        return [f"{not_a_choice(odd)}\n{question}" for odd in ODD_NUMBERS] + [f"{EMPTY}\n{question}"] * 3
    if flow.name == "my_data":  # the summary of one's data, then the question asked again without it
        first = first.split("\n\n", 1)[1]
    # the first question is the choice itself (/dongy: a candidate's consent, or a party member's)
    if flow.name in ("branch_settings", "report", "invite", "my_data", "consent"):
        return [f"{not_a_choice(odd)}\n{first}" for odd in ODD_NUMBERS] + [f"{EMPTY}\n{first}"] * 3
    if flow.name == "revoke_role":  # a list of the people whose roles may be ended
        return ([f'Không có người nào khớp với "{odd}" trong danh sách. Xin chọn một dòng dưới đây.\n{first}'
                 for odd in ODD_NUMBERS] + [f"{EMPTY}\n{first}"] * 3)
    if flow.name == "hand_over":  # one branch: the official members who could take over
        return ([f'Không có đảng viên chính thức nào khớp với "{odd}". Xin chọn một dòng dưới đây.\n{first}'
                 for odd in ODD_NUMBERS] + [f"{EMPTY}\n{first}"] * 3)
    if flow.name == "members":  # the roster, then the question, which alone is asked again
        question = first[first.index("Bạn muốn làm gì với danh sách đảng viên?"):]
        return [f"{not_a_choice(odd)}\n{question}" for odd in ODD_NUMBERS] + [f"{EMPTY}\n{question}"] * 3
    if flow.name == "class_create":
        question = first.split("\n\n", 1)[1]  # without the introduction
        return [f"{not_a_choice(odd)}\n{question}" for odd in ODD_NUMBERS] + [f"{EMPTY}\n{question}"] * 3
    raise AssertionError(f"{flow.name}: a new flow; say here what its first question answers to odd input")


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
async def test_the_first_question_of_every_flow_answers_odd_input_and_stays_open(talk, flow):
    bithu = talk("bithu")
    first = await bithu.say(flow.commands[0])
    answers = [await bithu.say(odd) for odd in ODD_INPUT]
    expected = expected_answers(flow, first, answers[0])
    for odd, answer, expect in zip(ODD_INPUT, answers, expected, strict=True):
        assert answer == expect, f"{flow.name}: the answer to {odd!r}"
    assert await bithu.say("/huy") == STOPPED_BY_HUY.get(flow.name, NOTHING_TO_CANCEL), f"{flow.name}, after: {first}"


async def test_control_characters_and_bidi_overrides_are_not_stored(talk, demo):
    bithu, hoa = talk("bithu"), await next_number(demo)  # the number she gets
    for says in ["/them", "nguyễn   thị hoa", "05/09/2004", "2", "giáo viên", "Bỏ qua", "có"]:
        await bithu.say(says)
    assert await bithu.say("Đoàn Thanh niên") == (
        'Ghi chú thêm (đơn vị công tác, lớp, điểm nổi bật...)? Tối đa 500 ký tự, hoặc chọn "Bỏ qua".\n'
        "\n"
        "1. Bỏ qua\n"
        + CHOOSE)
    assert await bithu.say("Tổ\x00 Toán\x1b[31m, \u202etích cực\u202c") == (
        "Xin kiểm tra lại trước khi lưu vào danh sách nguồn của Chi bộ Trường THPT Trần Phú (demo):\n"
        "- Họ tên: Nguyễn Thị Hoa\n"
        "- Ngày sinh: 05/09/2004\n"
        "- Giới tính: Nữ\n"
        "- Đối tượng: Giáo viên, giảng viên\n"
        "- Đơn vị: (không ghi)\n"
        "- Đoàn viên: Có\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Ghi chú: Tổ Toán, tích cực\n"  # shown as it will be stored
        "\n"
        "1. Lưu\n"
        "2. Sửa họ tên\n"
        "3. Sửa ngày sinh\n"
        "4. Sửa giới tính\n"
        "5. Sửa đối tượng\n"
        "6. Sửa đơn vị\n"
        "7. Sửa đoàn viên\n"
        "8. Sửa nguồn giới thiệu\n"
        "9. Sửa ghi chú\n"
        "10. Hủy\n"
        + CHOOSE)
    assert await bithu.say("1") == (
        f"Đã lưu Nguyễn Thị Hoa vào danh sách quần chúng ưu tú (nguồn) của Chi bộ Trường THPT Trần Phú (demo), số "
        f"{hoa}.\n"
        "Dân tộc thiểu số, tôn giáo: chỉ ghi khi có giấy đồng ý ghi rõ hai mục này (/dongy), rồi sửa bằng "
        f"/sua {hoa}.\n"
        f"Xem lại: /xem {hoa} · Thêm người khác: /them · Danh sách: /ds")
    async with demo.sessions() as session:
        hoa = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Thị Hoa"))).one()
    assert hoa.note == "Tổ Toán, tích cực"


@pytest.mark.parametrize("text, expected", [
    ("7", 7), (" 12 ", 12), ("123456789", 123456789), ("1234567890", None), ("", None), ("-1", None),
    (SUPERSCRIPT, None), (ARABIC_THREE, None), ("3a", None), ("#3", None),
])
def test_number_accepts_ascii_digits_only_and_at_most_nine(text, expected):
    assert number(text) == expected


@pytest.mark.parametrize("text, expected", [("", 1), ("0", 1), ("2", 2), (HUGE, 1), ("trang 2", 1)])
def test_page_number_falls_back_to_the_first_page(text, expected):
    assert page_number(text) == expected


def test_clean_keeps_words_line_breaks_and_tabs():
    assert clean("Nguyễn\x00 Văn\x07 An\n\tghi chú \u200bx\ufeff") == "Nguyễn Văn An\n\tghi chú x"
    assert clean("\x1b[1;31mđỏ\x1b[0m") == "đỏ"
