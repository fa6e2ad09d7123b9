"""A command typed while a flow waits for an answer, and words typed with a command that do
not fit: reading answers and the open question comes back; a refused argument ends the flow."""

from sqlmodel import select

from bot.channels.port import Capabilities
from models.candidate import Candidate
from models.checkin import Checkin
from tests.flows.test_candidates import not_found
from tests.support import Convo
from tests.texts import (CHOOSE_KEYED, NOTHING_TO_CANCEL, NOT_ALLOWED, REVIEW_DAY, SURVEY_START, review_screen,
                         survey_screen)

BUTTONS = Capabilities(buttons=True, max_text=4000)  # the text alone, choices as buttons

MET_ON = ('Gặp 3. Lê Hoàng Minh ngày nào? Chọn "Hôm nay" hoặc ghi ngày/tháng/năm, ví dụ 25/02/2026.\n\n'
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
NOBODY_1 = ('Không tìm thấy ai khớp với "1" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ tên '
            "khác.")
STOPPED = "Lệnh {0} đã dừng. Gõ lại {0} kèm số hoặc tên khác, hoặc chỉ gõ {0} để chibo hỏi từng bước."


def alone(demo, account: str) -> Convo:
    """The same account as if its channel had buttons: what a command shows without its choices."""
    return Convo(demo, account=account, caps=BUTTONS)


async def checkins_of(demo, full_name: str) -> list[Checkin]:
    async with demo.sessions() as session:
        c = (await session.exec(select(Candidate).where(Candidate.full_name == full_name))).one()
        return list(await session.exec(select(Checkin).where(Checkin.candidate_id == c.id)))


# ---- (a) reading inside a flow ---------------------------------------------------------------

async def test_reading_commands_answer_inside_a_flow_and_the_question_comes_back(talk, demo):
    sponsor = talk("giupdo")
    listed = await sponsor.say("/ds")
    card = await sponsor.say("/xem 3")
    mine = await alone(demo, "giupdo").say("/cuatoi")  # its choices (/gap) are not offered mid-flow
    before = len(await checkins_of(demo, "Lê Hoàng Minh"))
    await sponsor.say("/gap")
    assert await sponsor.say("3") == MET_ON
    assert await sponsor.say("/ds") == f"{listed}\n\n{MET_ON}"
    assert await sponsor.say("/xem 3") == f"{card}\n\n{MET_ON}"
    assert await sponsor.say("/cuatoi") == f"{mine}\n\n{MET_ON}"
    assert await sponsor.say("/trogiup") == f"{FLOW_HELP}\n\n{MET_ON}"
    # Nothing already answered is lost, and "1" is the open question's first choice.
    assert await sponsor.say("1") == HOW
    await sponsor.say("1")
    await sponsor.say("1")
    await sponsor.say("-")
    assert await sponsor.say("Lưu") == (
        "Đã lưu lần gặp Lê Hoàng Minh (số 3) ngày 02/03/2026.\n"
        "Lần gặp tới nên trước ngày 01/04/2026.\n"
        "Người bạn giúp đỡ: /cuatoi · Ghi lần gặp khác: /gap")
    assert len(await checkins_of(demo, "Lê Hoàng Minh")) == before + 1


async def test_a_view_that_would_have_to_ask_waits_and_the_flow_is_kept(talk):
    sponsor = talk("giupdo")
    await sponsor.say("/gap")
    await sponsor.say("3")
    assert await sponsor.say("/xem") == f"{WAIT}\n\n{MET_ON}"
    assert await sponsor.say("/xem minh") == f"{WAIT}\n\n{MET_ON}"  # two people match
    assert await sponsor.say("/xem 1") == f"{NOBODY_1}\n\n{MET_ON}"  # not theirs: the reason only
    assert await sponsor.say("hôm nay") == HOW


async def test_a_command_that_writes_still_waits_for_the_open_question(talk):
    sponsor = talk("giupdo")
    await sponsor.say("/gap")
    await sponsor.say("3")
    await sponsor.say("hôm nay")
    assert await sponsor.say("/gap 4") == f"{SPONSOR_WRITES.format('/gap')}\n\n{HOW}"
    assert await sponsor.say("/them") == f"{NOT_ALLOWED}\n\n{HOW}"
    assert await sponsor.say("/khongco") == (
        f"Không có lệnh /khongco. Gõ /trogiup để xem các lệnh bạn dùng được.\n\n{HOW}")
    assert await sponsor.say("2") == (  # the flow went on where it was
        "Qua lần gặp này, bạn đánh giá 3. Lê Hoàng Minh thế nào?\n\n"
        "1. Tốt\n2. Khá\n3. Trung bình\n4. Chưa đạt\n(Trả lời bằng số hoặc bằng chữ)")


async def test_reading_inside_a_walk_resumes_the_walk(talk):
    secretary = talk("bithu")
    listed = await secretary.say("/ds")
    await secretary.say("/xet")
    assert await secretary.say("/them") == SECRETARY_WRITES.format("/them") + "\n\n" + REVIEW_DAY
    assert await secretary.say("/ds") == f"{listed}\n\n{REVIEW_DAY}"
    assert await secretary.say("1") == review_screen(1, 1, "Nguyễn Văn An (1998)", "10/02/2026 (20 ngày)")


# ---- (b) a refused argument ends the flow ------------------------------------------------------

async def test_a_refused_argument_ends_the_flow_so_the_next_command_works(talk):
    sponsor = talk("giupdo")
    card = await sponsor.say("/xem 3")
    assert await sponsor.say("/gap 1") == (
        '"1" không phải là người bạn đang được phân công giúp đỡ. Bạn chỉ ghi được lần gặp với người mình giúp đỡ '
        "(xem danh sách: /cuatoi).\n"
        + STOPPED.format("/gap"))
    assert await sponsor.say("/xem 3") == card
    assert await sponsor.say("/huy") == NOTHING_TO_CANCEL


async def test_a_name_that_is_nobody_ends_the_view(talk):
    secretary = talk("bithu")
    listed = await secretary.say("/ds")
    assert await secretary.say("/xem 99") == not_found("99")  # the reason, then that /xem stopped
    assert await secretary.say("/ds") == listed


async def test_a_name_matching_several_offers_them_as_commands(talk, demo):
    committee = talk("captren")
    card = await alone(demo, "captren").say("/xem bich ngoc")
    assert await committee.say("/xem ngo") == (
        "Có 3 người khớp \"ngo\". Chọn một người.\n"
        "\n"
        "TSP-1. Ngô Đức Thắng (2004) — Cảm tình Đảng\n"
        "TP-2. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
        "TP-6. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
        + CHOOSE_KEYED)
    assert await committee.say("tp-2") == card  # the reference of a row is "/xem" with that person
    assert await committee.say("/huy") == NOTHING_TO_CANCEL


async def test_a_sponsor_picks_among_several_and_the_meeting_goes_on(talk):
    sponsor = talk("giupdo")
    await sponsor.dialog([
        ("/gap minh",
         "Có 2 người khớp \"minh\". Bạn đã gặp người nào?\n"
         "\n"
         "3. Lê Hoàng Minh (1995) — Cảm tình Đảng\n"
         "13. Tạ Minh Đức (1994) — Có quyết định kết nạp\n"
         + CHOOSE_KEYED),
        ("3",
         'Ghi một lần gặp với quần chúng bạn giúp đỡ. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu trước.\n'
         "\n"
         + MET_ON),
    ])


async def test_the_words_after_a_walk_do_not_end_it(talk):
    secretary = talk("bithu")
    first = await secretary.say("/quy 3")  # (/xet asks the meeting's day first: "/xet 3" would answer it)
    assert first == SURVEY_START + survey_screen(1, 1, "Nguyễn Văn An (1998) · Giáo viên, giảng viên · đoàn viên",
                                                 "10/02/2026 (20 ngày)")
    assert await secretary.say("/huy") != NOTHING_TO_CANCEL


async def test_an_open_view_holds_nothing_so_a_command_replaces_it(talk):
    secretary = talk("bithu")
    card = await secretary.say("/xem 3")
    first_question = await secretary.say("/them")
    await secretary.say("/huy")
    await secretary.say("/xem")  # "Xem ai?" waits
    assert await secretary.say("/xem 3") == card
    await secretary.say("/xem")
    assert await secretary.say("/them") == first_question
