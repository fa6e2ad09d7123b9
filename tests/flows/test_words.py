"""Words as people type them: dates said the everyday way, choices by their words in any order,
and plain words outside a conversation that lead to the right command."""

import pytest

from tests.support import number_of
from tests.texts import ASK_HOA_BIRTH, CHOOSE

HOW = ("Gặp bằng hình thức nào?\n"
       "\n"
       "1. Gặp trực tiếp\n"
       "2. Điện thoại\n"
       "3. Trực tuyến\n"
       + CHOOSE)


@pytest.fixture
async def ha(demo) -> int:
    """Phạm Thu Hà's register number (giupdo sponsors her), looked up by name."""
    return await number_of(demo, "Phạm Thu Hà")


def when_ha(ha: int) -> str:
    return (f'Gặp {ha}. Phạm Thu Hà ngày nào? Chọn "Hôm nay" hoặc ghi ngày/tháng/năm, ví dụ 25/02/2026.\n'
            "\n"
            "1. Hôm nay\n"
            + CHOOSE)


def assess_ha(ha: int) -> str:
    return (f"Qua lần gặp này, bạn đánh giá {ha}. Phạm Thu Hà thế nào?\n"
            "\n"
            "1. Tốt\n"
            "2. Khá\n"
            "3. Trung bình\n"
            "4. Chưa đạt\n"
            + CHOOSE)


def confirm_ha(ha: int, day: str) -> str:
    """/gap's confirmation for Hà: by phone, fair, no note, on the day given."""
    return ("Xin kiểm tra lại trước khi lưu lần gặp:\n"
            f"- Người được giúp đỡ: {ha}. Phạm Thu Hà\n"
            f"- Ngày gặp: {day}\n"
            "- Hình thức: Điện thoại\n"
            "- Đánh giá: Khá\n"
            "- Ghi chú: (không có)\n"
            "\n"
            "1. Lưu\n"
            "2. Sửa người được giúp đỡ\n"
            "3. Sửa ngày gặp\n"
            "4. Sửa hình thức\n"
            "5. Sửa đánh giá\n"
            "6. Sửa ghi chú\n"
            "7. Hủy\n"
            + CHOOSE)


async def test_a_meeting_held_yesterday_is_typed_as_hom_qua(talk, ha):
    giupdo = talk("giupdo")
    await giupdo.say(f"/gap {ha}")
    assert await giupdo.say("hôm qua") == HOW
    await giupdo.say("Điện thoại")
    await giupdo.say("khá")
    assert await giupdo.say("-") == confirm_ha(ha, "01/03/2026")  # the clock says 02/03/2026


async def test_a_date_without_year_is_this_year_or_last(talk, ha):
    giupdo = talk("giupdo")
    await giupdo.say(f"/gap {ha}")
    await giupdo.say("28/2")
    await giupdo.say("Điện thoại")
    await giupdo.say("khá")
    assert await giupdo.say("-") == confirm_ha(ha, "28/02/2026")


async def test_a_bad_meeting_date_gets_an_example_of_a_recent_day(talk, ha):
    giupdo = talk("giupdo")
    await giupdo.say(f"/gap {ha}")
    assert await giupdo.say("tuần trước") == (
        'Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, hoặc "hôm nay", '
        '"hôm qua".\n'
        + when_ha(ha))


async def test_a_bad_birth_date_gets_an_example_of_a_birth_date(talk):
    bithu = talk()
    await bithu.say("/them")
    assert await bithu.say("Nguyễn Thị Hoa") == ASK_HOA_BIRTH
    assert await bithu.say("5/9") == (
        "Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 05/09/2004 hoặc 5/9/04.\n"
        + ASK_HOA_BIRTH)


async def test_a_choice_is_understood_by_its_words_in_any_order(talk, ha):
    giupdo = talk("giupdo")
    await giupdo.say(f"/gap {ha}")
    await giupdo.say("hôm nay")
    assert await giupdo.say("truc tiep") == assess_ha(ha)  # "Gặp trực tiếp" taken: the next question


@pytest.mark.parametrize("typed, command", [
    ("danh sách", "/ds"), ("DS", "/ds"), ("xin chào", "/trogiup"), ("giúp", "/trogiup"), ("Trợ giúp", "/trogiup"),
])
async def test_plain_words_outside_a_conversation_lead_to_the_command(talk, typed, command):
    assert await talk().say(typed) == await talk().say(command)


async def test_plain_words_inside_a_conversation_are_answers_not_commands(talk):
    bithu = talk()
    asked = await bithu.say("/them")
    assert await bithu.say("/huy") == "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."
    assert await bithu.say("/them") == asked
    # at the name question, two words are a name, not /ds
    assert await bithu.say("danh sách") == "Ngày sinh của Danh Sách? (ngày/tháng/năm, ví dụ 05/09/2004)"


async def test_a_stranger_saying_hello_gets_help_not_a_puzzle(chibo):
    from tests.support import Convo

    stranger = Convo(chibo, account="nguoila")
    assert await stranger.say("xin chào") == await stranger.say("/trogiup")
