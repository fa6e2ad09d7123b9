"""Words as people type them: dates said the everyday way, choices by their words in any order,
and plain words outside a conversation that lead to the right command."""

import pytest



async def test_a_meeting_held_yesterday_is_typed_as_hom_qua(talk):
    giupdo = talk("giupdo")
    await giupdo.say("/gap 4")
    assert "hình thức nào" in await giupdo.say("hôm qua")
    await giupdo.say("Điện thoại")
    await giupdo.say("khá")
    screen = await giupdo.say("-")
    assert "Ngày gặp: 01/03/2026" in screen  # the clock says 02/03/2026


async def test_a_date_without_year_is_this_year_or_last(talk):
    giupdo = talk("giupdo")
    await giupdo.say("/gap 4")
    await giupdo.say("28/2")
    await giupdo.say("Điện thoại")
    await giupdo.say("khá")
    assert "Ngày gặp: 28/02/2026" in await giupdo.say("-")


async def test_a_bad_meeting_date_gets_an_example_of_a_recent_day(talk):
    giupdo = talk("giupdo")
    await giupdo.say("/gap 4")
    reply = await giupdo.say("tuần trước")
    assert reply.startswith('Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, '
                            'hoặc "hôm nay", "hôm qua".')


async def test_a_bad_birth_date_gets_an_example_of_a_birth_date(talk):
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("Nguyễn Thị Hoa")
    reply = await bithu.say("5/9")
    assert reply.startswith("Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 05/09/2004 hoặc 5/9/04.")


async def test_a_choice_is_understood_by_its_words_in_any_order(talk):
    giupdo = talk("giupdo")
    await giupdo.say("/gap 4")
    await giupdo.say("hôm nay")
    labels = [line for line in (await giupdo.say("truc tiep")).split("\n")]
    assert any("đánh giá 4. Phạm Thu Hà" in line for line in labels)


@pytest.mark.parametrize("typed, command", [
    ("danh sách", "/ds"), ("DS", "/ds"), ("xin chào", "/trogiup"), ("giúp", "/trogiup"), ("Trợ giúp", "/trogiup"),
])
async def test_plain_words_outside_a_conversation_lead_to_the_command(talk, typed, command):
    assert await talk().say(typed) == await talk().say(command)


async def test_plain_words_inside_a_conversation_are_answers_not_commands(talk):
    bithu = talk()
    asked = await bithu.say("/them")
    assert await bithu.say("/huy") and await bithu.say("/them") == asked
    reply = await bithu.say("danh sách")  # at the name question, two words are a name, not /ds
    assert "ngày sinh" in reply.lower() and "Danh sách quần chúng" not in reply


async def test_a_stranger_saying_hello_gets_help_not_a_puzzle(chibo):
    from tests.support import Convo

    stranger = Convo(chibo, account="nguoila")
    assert await stranger.say("xin chào") == await stranger.say("/trogiup")
