"""No personal value in any log at DEBUG on Zalo (issue 16): a secretary registers a candidate
with a phone number in the note, a candidate links and reads the notice, through the fake Zalo
server; every record of every logger (the libraries' too) is scanned for what was typed
and for every name chibo holds."""

import logging

from sqlmodel import select

from models.candidate import Candidate
from models.stage import Role
from tests.flows.test_private_logs import every_record, names_held  # noqa: F401  (a fixture)
from tests.flows.test_start import invite
from tests.zalo.fake_zalo import fake_time, fake_zalo, zalo_channel, zalo_client  # noqa: F401
from tests.zalo.test_polling import polling, secretary_code

NAME, BIRTH, PHONE = "Nguyễn Thị Zêta", "05/09/2004", "0987654321"
PRIVATE = ["Zêta", "Zeta", "zeta", "Z\\u00eata", PHONE, "987654321", "2004-09-05", BIRTH, "Lê Thị Thu"]


async def test_no_log_line_on_zalo_holds_a_typed_value_or_a_name_at_debug(demo, fake_zalo, zalo_channel,
                                                                          every_record):
    code = await secretary_code(demo)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-sec", f"/start {code}", name="Lê Thị Thu")
        for text in ["/them", NAME, BIRTH, "2", "1", "1", "1", "1", f"Số điện thoại {PHONE}", "1", "1"]:
            await zalo.say("z-sec", text, name="Lê Thị Thu")
        assert NAME in "\n".join(await zalo.say("z-sec", "/xem zeta"))
        assert NAME in "\n".join(await zalo.say("z-sec", "/ds"))
        async with demo.sessions() as session:
            an_id = (await session.exec(select(Candidate.id).where(Candidate.full_name == "Nguyễn Văn An"))).one()
        an = await invite(demo, role=Role.candidate, candidate_id=an_id)
        await zalo.say("z-an", f"/start {an}", name="Nguyễn Văn An")
        await zalo.say("z-an", f"Em là An, {PHONE}", name="Nguyễn Văn An")
        await zalo.say("z-an", "1", name="Nguyễn Văn An")
        await zalo.say("z-an", "/dulieu", name="Nguyễn Văn An")
    lines = every_record.lines()
    assert any(r.name.startswith("bot.") and r.levelno == logging.DEBUG for r in every_record.records)
    held = await names_held(demo)
    assert NAME in held
    leaks = [(value, line) for line in lines for value in PRIVATE + held if value in line]
    assert not leaks, leaks[:5]
