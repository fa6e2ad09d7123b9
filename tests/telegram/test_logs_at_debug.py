"""No personal value in any log at DEBUG on Telegram (issue 16): a secretary registers a
candidate with a phone number in the note, a candidate links, agrees and asks for their data
(a workbook), through the real python-telegram-bot and the fake Bot API; every record of every
logger (python-telegram-bot's and httpx's too) is scanned for what was typed and for every name
chibo holds."""

import logging

import pytest
from sqlmodel import select

from models.candidate import Candidate
from models.stage import Role
from tests.flows.test_private_logs import every_record, names_held  # noqa: F401  (a fixture)
from tests.flows.test_start import invite
from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, fake_telegram, fake_time, make_channel,
)
from tests.telegram.test_polling import THU, polling, secretary_code

NAME, BIRTH, PHONE = "Nguyễn Thị Zêta", "05/09/2004", "0987654321"
PRIVATE = ["Zêta", "Zeta", "zeta", "Z\\u00eata", PHONE, "987654321", "2004-09-05", BIRTH]
AN_CHAT = 515151


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_no_log_line_on_telegram_holds_a_typed_value_or_a_name_at_debug(demo, fake_telegram, fake_time, clock,
                                                                              every_record):
    code = await secretary_code(demo)
    async with polling(fake_telegram, make_channel(fake_telegram, fake_time, clock), demo) as tg:
        await tg.say(THU, f"/start {code}")
        for text in ["/them", NAME, BIRTH, "Nữ", "Giáo viên", "Bỏ qua", "Có", "Đoàn Thanh niên",
                     f"Số điện thoại {PHONE}", "Lưu"]:
            await tg.say(THU, text)
        assert NAME in "\n".join(await tg.say(THU, "/xem zeta"))
        async with demo.sessions() as session:
            an_id = (await session.exec(select(Candidate.id).where(Candidate.full_name == "Nguyễn Văn An"))).one()
        await tg.say(AN_CHAT, f"/start {await invite(demo, role=Role.candidate, candidate_id=an_id)}")
        await tg.say(AN_CHAT, f"Em là An, {PHONE}")
        await tg.tap(AN_CHAT, "Đồng ý")
        await tg.say(AN_CHAT, "/dulieu")
        assert fake_telegram.calls("sendDocument")  # the workbook went out
    lines = every_record.lines()
    assert any(r.name.startswith("bot.") and r.levelno == logging.DEBUG for r in every_record.records)
    held = await names_held(demo)
    assert NAME in held
    leaks = [(value, line) for line in lines for value in PRIVATE + held if value in line]
    assert not leaks, leaks[:5]
