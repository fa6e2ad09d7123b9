"""/trogiup: a person's own commands only, as the one policy allows them, a phone screen at a
time (at most 15 lines), the rest one number away."""

import re

import pytest

from bot.app import build_routes
from models.policy import OPEN_ACTIONS, load_actor, may
from models.statements import SessionStatements
from tests.texts import COMMITTEE_HELP, SECRETARY_HELP_1, SECRETARY_HELP_2, SPONSOR_HELP

PHONE_LINES = 15

LISTED = re.compile(r"^\d+\. (/[a-z]+) — ", re.MULTILINE)


async def test_the_secretary_sees_one_screen_and_the_rest_one_number_away(talk):
    secretary = talk("bithu")
    assert await secretary.say("/trogiup") == SECRETARY_HELP_1
    assert await secretary.say("10") == SECRETARY_HELP_2
    assert await secretary.say("/trogiup 2") == SECRETARY_HELP_2
    assert await secretary.say("/trogiup 1") == SECRETARY_HELP_1
    assert await secretary.say("/trogiup 9") == SECRETARY_HELP_1  # no such page: the first


async def test_a_number_on_the_second_page_runs_that_command(talk):
    secretary = talk("bithu")
    await secretary.say("/trogiup 2")
    assert await secretary.say("2") == (  # /hoso asks whose
        "Xem hồ sơ kết nạp của ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được).")


async def test_a_sponsor_sees_their_four_commands(talk):
    assert await talk("giupdo").say("/trogiup") == SPONSOR_HELP


async def test_the_committee_does_not_see_the_branch_work_on_classes(talk):
    assert await talk("captren").say("/trogiup") == COMMITTEE_HELP


@pytest.mark.parametrize("account", ["bithu", "giupdo", "quanchung", "captren", "nguoila"])
async def test_every_page_fits_a_phone_and_all_pages_list_what_the_policy_allows(talk, demo, account):
    async with demo.sessions() as session:
        actor = await load_actor(db=SessionStatements(session), channel="console", account_id=account)
    allowed = [r.commands[0] for r in build_routes() if r.action not in OPEN_ACTIONS and may(actor, r.action)]
    person = talk(account)
    listed: list[str] = []
    page = 1
    while True:
        reply = await person.say(f"/trogiup {page}")
        assert len(reply.splitlines()) <= PHONE_LINES, reply
        listed += [c for c in LISTED.findall(reply) if c != "/trogiup"]
        if f"/trogiup {page + 1} — " not in reply:
            break
        page += 1
    assert listed == allowed
