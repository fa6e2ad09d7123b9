"""Telegram by long polling, end to end: the real python-telegram-bot against the fake Bot API."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select
from telegram.error import InvalidToken

from bot.chat_state import DbKeyboards
from bot.processed import ProcessedIds
from bot.render import text_of
from models.candidate import Candidate
from models.conversation import LiveKeyboard
from models.org import find_org
from models.people import create_invite
from models.stage import Role
from tests.support import INVITE_KEY, number_of
from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, FakeTime, Polling, fake_telegram, fake_time, make_channel,
)

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"
THU = 424242


async def secretary_code(chibo) -> str:
    now = chibo.clock.now()
    async with chibo.sessions() as session, session.begin():
        [org] = await find_org(session=session, ref=BRANCH)
        return await create_invite(session=session, role=Role.secretary, org_id=org.id,
                                   expires_at=now + timedelta(days=7), now=now, key=INVITE_KEY)


def polling(fake, channel, chibo) -> Polling:
    channel.sent = chibo.sent  # as `chibo run` wires it: an answer out is no longer kept
    return Polling(fake, channel, lambda incoming: chibo.process(incoming, channel.capabilities))


async def candidates_named(chibo, name: str) -> list[Candidate]:
    async with chibo.sessions() as session:
        return list((await session.exec(select(Candidate).where(Candidate.full_name == name))).all())


async def test_a_secretary_links_registers_with_buttons_and_typing_and_sees_it(demo, fake_telegram, fake_time,
                                                                               clock):
    code = await secretary_code(demo)
    channel = make_channel(fake_telegram, fake_time, clock)
    async with polling(fake_telegram, channel, demo) as tg:
        linked = await tg.say(THU, f"/start {code}")  # what the deep link sends, in one tap
        assert "Đã liên kết" in linked[0] and BRANCH in linked[0]
        assert fake_telegram.keyboard(THU)["text"] == linked[-1]  # the help: commands as buttons
        turns = [
            ("tap", "/them", "Họ và tên đầy đủ"),
            ("say", "nguyễn thị hoa", "Ngày sinh của Nguyễn Thị Hoa"),
            ("say", "05/09/2004", "Giới tính?"),
            ("tap", "Nữ", "thuộc đối tượng nào"),
            ("say", "1", "đơn vị nào"),  # typing a button's number works too
            ("tap", "Bỏ qua", "đoàn viên"),
            ("tap", "Có", "Ai giới thiệu"),
            ("tap", "Đoàn Thanh niên", "Ghi chú thêm"),
            ("say", "<Lan> & Hoa giới thiệu", "Xin kiểm tra lại trước khi lưu"),
            ("tap", "Lưu", "Đã lưu Nguyễn Thị Hoa"),
        ]
        for how, what, expected in turns:
            answer = "\n\n".join(await (tg.tap(THU, what) if how == "tap" else tg.say(THU, what)))
            assert expected in answer, f"after {how} {what!r} expected {expected!r} in:\n{answer}"
            if how == "say" and what.startswith("<Lan>"):
                assert "<Lan> & Hoa giới thiệu" in answer  # plain text: shown as typed
        number = re.search(r"số (\d+)", answer).group(1)
        listing = "\n".join(await tg.say(THU, "/ds"))
        assert "Danh sách quần chúng" in listing and f"{number}. Nguyễn Thị Hoa (2004)" in listing
    [hoa] = await candidates_named(demo, "Nguyễn Thị Hoa")
    assert (hoa.gender, hoa.category, hoa.youth_union, hoa.introduced_by, hoa.note) == (
        "female", "teacher", True, "youth_union", "<Lan> & Hoa giới thiệu")
    sent = fake_telegram.calls("sendMessage")
    assert all("parse_mode" not in b and 1 <= len(b["text"]) <= 4096 for b in sent)
    assert all(len(btn["callback_data"].encode()) <= 64
               for b in sent if b.get("reply_markup") for row in b["reply_markup"]["inline_keyboard"] for btn in row)
    # each tap answered and its keyboard taken away; only the newest question may show one
    taps = sum(1 for how, _, _ in turns if how == "tap")
    assert len(fake_telegram.calls("answerCallbackQuery")) == taps
    assert all("text" not in b for b in fake_telegram.calls("answerCallbackQuery"))
    assert len([m for m in fake_telegram.sent(THU) if m.get("reply_markup")]) <= 1  # typed over: gone too
    assert len(fake_telegram.calls("editMessageReplyMarkup")) >= taps
    # replies to one chat went out one second apart at most (on fake time)
    assert fake_time.slept and all(0 < s <= 1 for s in fake_time.slept)


async def test_a_double_tap_records_once(demo, fake_telegram, fake_time, clock):
    code = await secretary_code(demo)
    channel = make_channel(fake_telegram, fake_time, clock)
    async with polling(fake_telegram, channel, demo) as tg:
        await tg.say(THU, f"/start {code}")
        await tg.tap(THU, "/them")
        for typed in ("Trần Văn Nam", "01/01/2000"):
            await tg.say(THU, typed)
        await tg.tap(THU, "Nam")
        await tg.tap(THU, "Công nhân")
        await tg.tap(THU, "Bỏ qua")  # the unit
        await tg.tap(THU, "Không")  # a firm without state capital
        await tg.tap(THU, "Không")  # the Youth Union
        await tg.tap(THU, "Một đảng viên")
        await tg.tap(THU, "Bỏ qua")
        before = len(fake_telegram.texts(THU))
        first, second = fake_telegram.tap(THU, "Lưu"), fake_telegram.tap(THU, "Lưu")  # two quick taps
        await tg.deliver(first, second)
        answers = fake_telegram.texts(THU)[before:]
    assert len(await candidates_named(demo, "Trần Văn Nam")) == 1
    assert len([a for a in answers if "Đã lưu Trần Văn Nam" in a]) == 1
    notices = [b for b in fake_telegram.calls("answerCallbackQuery") if "text" in b]
    assert [b["text"] for b in notices] == [text_of("telegram/old_button")]  # the second tap


async def test_an_old_button_is_refused_and_does_not_jump_the_flow(demo, fake_telegram, fake_time, clock):
    code = await secretary_code(demo)
    channel = make_channel(fake_telegram, fake_time, clock)
    async with polling(fake_telegram, channel, demo) as tg:
        await tg.say(THU, f"/start {code}")
        help_tap = fake_telegram.tap(THU, "/ds")  # built now, delivered later: an old keyboard
        await tg.tap(THU, "/them")
        await tg.say(THU, "Phạm Thị Mai")
        before = len(fake_telegram.texts(THU))
        await tg.deliver(help_tap)
        assert fake_telegram.texts(THU)[before:] == []  # not given to the engine at all
        assert fake_telegram.calls("answerCallbackQuery")[-1]["text"] == text_of("telegram/old_button")
        # the flow stands where it was: the birth date is still the question
        assert "Ngày sinh của Phạm Thị Mai" in (await tg.say(THU, "xyz"))[0]


async def test_a_keyboard_sent_by_one_process_is_tapped_through_another(demo, fake_telegram, fake_time,
                                                                       clock, tmp_path):
    """Two processes on one database (or one process and its restart) share the live keyboards."""
    code = await secretary_code(demo)
    async with polling(fake_telegram, make_channel(fake_telegram, fake_time, clock,
                                                   keyboards=DbKeyboards(demo.transaction)), demo) as tg:
        await tg.say(THU, f"/start {code}")
    async with demo.sessions() as session:
        kept = (await session.exec(select(LiveKeyboard))).all()
    assert [k.channel for k in kept] == ["telegram"]
    assert str(THU) not in kept[0].chat_hash  # chats are kept as hashes
    async with polling(fake_telegram, make_channel(fake_telegram, fake_time, clock,
                                                   keyboards=DbKeyboards(demo.transaction)), demo) as tg:
        assert (await tg.tap(THU, "/them"))[0] == (
            "Thêm quần chúng ưu tú vào danh sách nguồn của Chi bộ Trường THPT Trần Phú (demo). Gõ /huy bất cứ "
            'lúc nào để hủy, "quay lại" để sửa câu trước.\n\nHọ và tên đầy đủ của người này?')
    async with demo.sessions() as session:  # a question without buttons: no keyboard is live
        assert (await session.exec(select(LiveKeyboard))).all() == []


async def test_in_a_group_only_commands_are_answered_and_nothing_personal(demo, fake_telegram, fake_time, clock):
    group = -100123
    handled = []
    channel = make_channel(fake_telegram, fake_time, clock, sent=demo.sent)

    async def process(incoming):
        handled.append(incoming)
        return await demo.process(incoming, channel.capabilities)

    async with Polling(fake_telegram, channel, process) as tg:
        await tg.say(group, "chào cả chi bộ", chat_type="supergroup", user_id=THU)
        await tg.say(group, "/ds@other_bot", chat_type="supergroup", user_id=THU)
        answer = await tg.say(group, "/ds@chibo_test_bot", chat_type="supergroup", user_id=THU)
        await tg.say(group, "/trogiup", chat_type="supergroup", user_id=THU)
    assert [(m.text, m.is_group, m.sender_id) for m in handled] == [
        ("/ds@chibo_test_bot", True, str(THU)), ("/trogiup", True, str(THU))]
    assert answer == [text_of("common/group_private")]
    assert fake_telegram.texts(group) == [text_of("common/group_private")] * 2
    assert not any(m.get("reply_markup") for m in fake_telegram.sent(group))


async def test_a_sticker_gets_a_polite_note_and_the_engine_never_sees_it(demo, fake_telegram, fake_time, clock):
    handled = []
    channel = make_channel(fake_telegram, fake_time, clock)

    async def process(incoming):
        handled.append(incoming)
        return await demo.process(incoming, channel.capabilities)

    async with Polling(fake_telegram, channel, process) as tg:
        assert await tg.say(THU, None) == [text_of("telegram/not_text")]
    assert handled == []


async def test_a_sticker_handed_out_again_after_a_restart_is_answered_once(demo, fake_telegram, fake_time, clock):
    sticker = fake_telegram.message(THU, None)
    for _ in range(2):  # the first process, then a restarted one (or another process) gets it again
        channel = make_channel(fake_telegram, fake_time, clock, seen=ProcessedIds(demo.sessions, "telegram",
                                                                                   clock.now))
        async with polling(fake_telegram, channel, demo) as tg:
            await tg.deliver(sticker)
    assert fake_telegram.texts(THU) == [text_of("telegram/not_text")]


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_failed_polls_pause_then_go_on(demo, fake_telegram, clock):
    poll_time = FakeTime()
    channel = make_channel(fake_telegram, poll_time, clock, pace=False)
    async with polling(fake_telegram, channel, demo) as tg:
        fake_telegram.fail("getUpdates", times=2, status=500)
        fake_telegram.fail("getUpdates", status=429, retry_after=9)
        fake_telegram.fail("getUpdates", status=409, description="Conflict: terminated by other getUpdates")
        # the poll already waiting hands out the text; then four failures; the sixth poll waits
        assert "/start MÃ-MỜI" in (await tg.say(THU, "/trogiup"))[0]
        await fake_telegram.wait_for("getUpdates", 6)
    assert poll_time.slept == [1, 2, 9, 8]


async def test_a_wrong_token_fails_at_start(demo, fake_telegram, fake_time, clock):
    fake_telegram.token = "something-else"
    channel = make_channel(fake_telegram, fake_time, clock)
    with pytest.raises(InvalidToken):
        await channel.start(lambda m: demo.process(m, channel.capabilities))


async def test_a_tapped_person_is_the_one_on_the_button_not_the_place_in_the_list(demo, fake_telegram, fake_time,
                                                                                    clock):
    code = await secretary_code(demo)
    channel = make_channel(fake_telegram, fake_time, clock)
    async with polling(fake_telegram, channel, demo) as tg:
        await tg.say(THU, f"/start {code}")
        ngoc, lan = await number_of(demo, "Trần Thị Bích Ngọc"), await number_of(demo, "Đặng Ngọc Lan")
        await tg.say(THU, "/xem ngoc")  # Trần Thị Bích Ngọc, then Đặng Ngọc Lan
        buttons = [b for row in fake_telegram.keyboard(THU)["reply_markup"]["inline_keyboard"] for b in row]
        assert [(b["text"], b["callback_data"]) for b in buttons] == [
            ("Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)", f"c:{ngoc}"),
            ("Đặng Ngọc Lan (1997) — Đang làm hồ sơ", f"c:{lan}")]
        card = "\n\n".join(await tg.tap(THU, 2))  # the second button: Lan, whatever number is 2
        assert card.startswith(f"{lan}. Đặng Ngọc Lan\n- Ngày sinh: 28/02/1997")
