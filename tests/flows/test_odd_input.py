"""Odd input never crashes chibo: Unicode digits, numbers past 2**63, control characters and
bidi overrides get a plain Vietnamese answer, and free text is stored without them."""

import pytest
from sqlmodel import select

from bot.app import build_routes
from bot.engine.flow import Flow
from models.candidate import Candidate
from models.text import clean, number, page_number
from tests.flows.test_register import GOOD

SUPERSCRIPT, ARABIC_THREE, HUGE = "²", "٣", str(2**63)
ODD_NUMBERS = [SUPERSCRIPT, ARABIC_THREE, HUGE, "99999999999999999999"]
NOT_FOUND = ('Không tìm thấy ai khớp với "{0}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần '
             'họ tên khác.\nLệnh /xem đã dừng. Gõ lại /xem kèm số hoặc tên khác, hoặc chỉ gõ /xem để chibo hỏi '
             'từng bước.')

# Commands that take a number as their argument, and who may run them.
NUMBERED = [("bithu", c) for c in ("/ds", "/xem", "/lop", "/chitieu", "/hoso", "/ketnap", "/giupdo")]
NUMBERED += [("giupdo", "/cuatoi"), ("giupdo", "/gap"), ("captren", "/tonghop"), ("captren", "/ds")]


@pytest.mark.parametrize("odd", ODD_NUMBERS)
@pytest.mark.parametrize("account, command", NUMBERED)
async def test_an_odd_number_as_an_argument_gets_an_answer(talk, account, command, odd):
    person = talk(account)
    reply = await person.say(f"{command} {odd}")  # the guard fails the test on the apology
    assert reply.strip()
    assert "Không có lệnh" not in reply and "chưa được" not in reply
    assert await person.say("/huy") != ""


@pytest.mark.parametrize("odd", ODD_NUMBERS)
async def test_an_odd_number_names_nobody(talk, odd):
    assert await talk("bithu").say(f"/xem {odd}") == NOT_FOUND.format(odd)


async def test_a_superscript_is_not_the_second_choice(talk):
    bithu = talk("bithu")
    await bithu.dialog(GOOD[:3])  # the gender question: 1. Nam 2. Nữ
    assert await bithu.say(SUPERSCRIPT) == (
        '"²" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        'Giới tính?\n\n1. Nam\n2. Nữ\n(Trả lời bằng số hoặc bằng chữ)')
    assert "thuộc đối tượng nào" in await bithu.say("2")  # the question is still there, answered now


FLOWS = [r for r in build_routes() if isinstance(r, Flow) and r.steps]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
async def test_the_first_question_of_every_flow_answers_odd_input_and_stays_open(talk, flow):
    bithu = talk("bithu")
    first = await bithu.say(flow.commands[0])
    for odd in [*ODD_NUMBERS, "\x00", "\u202e", "\x1b[2J"]:
        assert (await bithu.say(odd)).strip(), f"{flow.name}: no answer to {odd!r}"
    assert await bithu.say("/huy") != "Không có việc nào đang làm dở để hủy.", f"{flow.name} was left: {first}"


async def test_control_characters_and_bidi_overrides_are_not_stored(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog(GOOD[:-1])
    await bithu.say("Tổ\x00 Toán\x1b[31m, \u202etích cực\u202c")
    await bithu.say("1")
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
