"""A command typed while a flow waits for an answer, and words typed with a command that do
not fit: reading answers and the open question comes back; a refused argument ends the flow."""

import pytest
from sqlmodel import select

from bot.channels.port import Capabilities
from bot.demo import SECOND_BRANCH
from models.candidate import Candidate
from models.checkin import Checkin
from tests.flows.test_candidates import not_found
from tests.support import Convo, number_of, numbers_of
from tests.texts import (CHOOSE_KEYED, NOTHING_TO_CANCEL, NOT_ALLOWED, REVIEW_DAY, SURVEY_START, review_screen,
                         survey_screen)

BUTTONS = Capabilities(buttons=True, max_text=4000)  # the text alone, choices as buttons

# Register numbers are looked up by name (the `no` fixture, tests/support.py number_of).
MINH, HA, AN, DUC = "Lê Hoàng Minh", "Phạm Thu Hà", "Nguyễn Văn An", "Tạ Minh Đức"
NGOC, LAN, THANG = "Trần Thị Bích Ngọc", "Đặng Ngọc Lan", "Ngô Đức Thắng"  # THANG in the second branch


def met_on(no: dict[str, int]) -> str:
    return (f'Gặp {no[MINH]}. Lê Hoàng Minh ngày nào? Chọn "Hôm nay" hoặc ghi ngày/tháng/năm, ví dụ 25/02/2026.\n\n'
            '1. Hôm nay\n(Trả lời bằng số hoặc bằng chữ)')


HOW = 'Gặp bằng hình thức nào?\n\n1. Gặp trực tiếp\n2. Điện thoại\n3. Trực tuyến\n(Trả lời bằng số hoặc bằng chữ)'
WAIT = ("Bạn đang làm dở một việc nên /xem chỉ chạy được khi đã rõ cần xem gì: gõ /xem kèm số (xem /ds) "
        "hoặc họ tên đủ rõ. Câu hỏi dưới đây vẫn đang chờ bạn.")
SPONSOR_WRITES = ("Bạn đang làm dở một việc nên chưa thể chạy {0}. Trả lời câu hỏi dưới đây, hoặc gõ /huy để hủy "
                  "rồi chạy lệnh khác. Các lệnh chỉ để xem (/ds, /xem, /cuatoi) thì dùng được ngay.")
SECRETARY_WRITES = ("Bạn đang làm dở một việc nên chưa thể chạy {0}. Trả lời câu hỏi dưới đây, hoặc gõ /huy để "
                    "hủy rồi chạy lệnh khác. Các lệnh chỉ để xem (/ds, /xem, /lop, /chitieu) thì dùng được ngay.")
FLOW_HELP = ('Bạn đang trả lời từng câu hỏi. Trả lời câu hỏi dưới đây, gõ "quay lại" để sửa câu trước, hoặc /huy '
             'để hủy (không lưu gì).\nTrong lúc này bạn vẫn xem được: /ds, /xem, /cuatoi.')


def nobody(says: str) -> str:
    return (f'Không tìm thấy ai khớp với "{says}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần '
            "họ tên khác.")
STOPPED = "Lệnh {0} đã dừng. Gõ lại {0} kèm số hoặc tên khác, hoặc chỉ gõ {0} để chibo hỏi từng bước."


def alone(demo, account: str) -> Convo:
    """The same account as if its channel had buttons: what a command shows without its choices."""
    return Convo(demo, account=account, caps=BUTTONS)


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers these tests type and expect, looked up by name."""
    numbers = await numbers_of(demo, (MINH, HA, AN, DUC, NGOC, LAN))
    return numbers | {THANG: await number_of(demo, THANG, branch=SECOND_BRANCH)}


async def checkins_of(demo, full_name: str) -> list[Checkin]:
    async with demo.sessions() as session:
        c = (await session.exec(select(Candidate).where(Candidate.full_name == full_name))).one()
        return list(await session.exec(select(Checkin).where(Checkin.candidate_id == c.id)))


# ---- (a) reading inside a flow ---------------------------------------------------------------

async def test_reading_commands_answer_inside_a_flow_and_the_question_comes_back(talk, demo, no):
    sponsor = talk("giupdo")
    listed = await sponsor.say("/ds")
    card = await sponsor.say(f"/xem {no[MINH]}")
    mine = await alone(demo, "giupdo").say("/cuatoi")  # its choices (/gap) are not offered mid-flow
    before = len(await checkins_of(demo, "Lê Hoàng Minh"))
    await sponsor.say("/gap")
    assert await sponsor.say(str(no[MINH])) == met_on(no)
    assert await sponsor.say("/ds") == f"{listed}\n\n{met_on(no)}"
    assert await sponsor.say(f"/xem {no[MINH]}") == f"{card}\n\n{met_on(no)}"
    assert await sponsor.say("/cuatoi") == f"{mine}\n\n{met_on(no)}"
    assert await sponsor.say("/trogiup") == f"{FLOW_HELP}\n\n{met_on(no)}"
    # Nothing already answered is lost, and "1" is the open question's first choice.
    assert await sponsor.say("1") == HOW
    await sponsor.say("1")
    await sponsor.say("1")
    await sponsor.say("-")
    assert await sponsor.say("Lưu") == (
        f"Đã lưu lần gặp Lê Hoàng Minh (số {no[MINH]}) ngày 02/03/2026.\n"
        "Lần gặp tới nên trước ngày 01/04/2026.\n"
        "Người bạn giúp đỡ: /cuatoi · Ghi lần gặp khác: /gap")
    assert len(await checkins_of(demo, "Lê Hoàng Minh")) == before + 1


async def test_a_view_that_would_have_to_ask_waits_and_the_flow_is_kept(talk, no):
    sponsor = talk("giupdo")
    await sponsor.say("/gap")
    await sponsor.say(str(no[MINH]))
    assert await sponsor.say("/xem") == f"{WAIT}\n\n{met_on(no)}"
    assert await sponsor.say("/xem minh") == f"{WAIT}\n\n{met_on(no)}"  # two people match
    not_theirs = str(no[AN])
    assert await sponsor.say(f"/xem {not_theirs}") == f"{nobody(not_theirs)}\n\n{met_on(no)}"  # the reason only
    assert await sponsor.say("hôm nay") == HOW


async def test_a_command_that_writes_still_waits_for_the_open_question(talk, no):
    sponsor = talk("giupdo")
    await sponsor.say("/gap")
    await sponsor.say(str(no[MINH]))
    await sponsor.say("hôm nay")
    assert await sponsor.say(f"/gap {no[HA]}") == f"{SPONSOR_WRITES.format('/gap')}\n\n{HOW}"
    assert await sponsor.say("/them") == f"{NOT_ALLOWED}\n\n{HOW}"
    assert await sponsor.say("/khongco") == (
        f"Không có lệnh /khongco. Gõ /trogiup để xem các lệnh bạn dùng được.\n\n{HOW}")
    assert await sponsor.say("2") == (  # the flow went on where it was
        f"Qua lần gặp này, bạn đánh giá {no[MINH]}. Lê Hoàng Minh thế nào?\n\n"
        "1. Tốt\n2. Khá\n3. Trung bình\n4. Chưa đạt\n(Trả lời bằng số hoặc bằng chữ)")


async def test_reading_inside_a_walk_resumes_the_walk(talk, no):
    secretary = talk("bithu")
    listed = await secretary.say("/ds")
    await secretary.say("/xet")
    assert await secretary.say("/them") == SECRETARY_WRITES.format("/them") + "\n\n" + REVIEW_DAY
    assert await secretary.say("/ds") == f"{listed}\n\n{REVIEW_DAY}"
    assert await secretary.say("1") == review_screen(1, no[AN], "Nguyễn Văn An (1998)", "10/02/2026 (20 ngày)")


# ---- (b) a refused argument ends the flow ------------------------------------------------------

async def test_a_refused_argument_ends_the_flow_so_the_next_command_works(talk, no):
    sponsor = talk("giupdo")
    card = await sponsor.say(f"/xem {no[MINH]}")
    assert await sponsor.say(f"/gap {no[AN]}") == (
        f'"{no[AN]}" không phải là người bạn đang được phân công giúp đỡ. Bạn chỉ ghi được lần gặp với người mình '
        "giúp đỡ (xem danh sách: /cuatoi).\n"
        + STOPPED.format("/gap"))
    assert await sponsor.say(f"/xem {no[MINH]}") == card
    assert await sponsor.say("/huy") == NOTHING_TO_CANCEL


async def test_a_name_that_is_nobody_ends_the_view(talk):
    secretary = talk("bithu")
    listed = await secretary.say("/ds")
    assert await secretary.say("/xem 99") == not_found("99")  # the reason, then that /xem stopped
    assert await secretary.say("/ds") == listed


async def test_a_name_matching_several_offers_them_as_commands(talk, demo, no):
    committee = talk("captren")
    card = await alone(demo, "captren").say("/xem bich ngoc")
    assert await committee.say("/xem ngo") == (
        "Có 3 người khớp \"ngo\". Chọn một người.\n"
        "\n"
        f"TSP-{no[THANG]}. Ngô Đức Thắng (2004) — Cảm tình Đảng\n"
        f"TP-{no[NGOC]}. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
        f"TP-{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
        + CHOOSE_KEYED)
    assert await committee.say(f"tp-{no[NGOC]}") == card  # the reference of a row is "/xem" with that person
    assert await committee.say("/huy") == NOTHING_TO_CANCEL


async def test_a_sponsor_picks_among_several_and_the_meeting_goes_on(talk, no):
    sponsor = talk("giupdo")
    await sponsor.dialog([
        ("/gap minh",
         "Có 2 người khớp \"minh\". Chọn một người.\n"
         "\n"
         f"{no[MINH]}. Lê Hoàng Minh (1995) — Cảm tình Đảng\n"
         f"{no[DUC]}. Tạ Minh Đức (1994) — Có quyết định kết nạp\n"
         + CHOOSE_KEYED),
        (str(no[MINH]),
         'Ghi một lần gặp với quần chúng bạn giúp đỡ. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu trước.\n'
         "\n"
         + met_on(no)),
    ])


async def test_the_words_after_a_walk_do_not_end_it(talk, no):
    secretary = talk("bithu")
    first = await secretary.say("/quy 3")  # (/xet asks the meeting's day first: "/xet 3" would answer it)
    assert first == SURVEY_START + survey_screen(1, no[AN], "Nguyễn Văn An (1998) · Giáo viên, giảng viên · đoàn viên",
                                                 "10/02/2026 (20 ngày)")
    assert await secretary.say("/huy") != NOTHING_TO_CANCEL


async def test_an_open_view_holds_nothing_so_a_command_replaces_it(talk, no):
    secretary = talk("bithu")
    card = await secretary.say(f"/xem {no[MINH]}")
    first_question = await secretary.say("/them")
    await secretary.say("/huy")
    await secretary.say("/xem")  # "Xem ai?" waits
    assert await secretary.say(f"/xem {no[MINH]}") == card
    await secretary.say("/xem")
    assert await secretary.say("/them") == first_question
