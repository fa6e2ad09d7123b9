"""/dulieu on Telegram, end to end (issue 16): the real python-telegram-bot sends the person's
own data as a workbook through the fake Bot API; it holds their data and no one else's."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from handlers.my_data import FILE_STEM
from models.candidate import Candidate
from models.people import Person
from models.stage import Role
from tests.flows.test_start import invite
from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, fake_telegram, fake_time, make_channel,
)
from tests.telegram.test_polling import THU, polling

AN = "Nguyễn Văn An"


def cells(data: bytes) -> list[str]:
    """Every cell of every sheet of a workbook, as text."""
    book = load_workbook(BytesIO(data))
    return [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_a_linked_candidates_dulieu_sends_their_data_and_no_one_elses(demo, fake_telegram, fake_time, clock):
    async with demo.sessions() as session:
        an = (await session.exec(select(Candidate).where(Candidate.full_name == AN))).one()
        others = {name for name in (await session.exec(select(Candidate.full_name))).all() if name != AN}
        others |= set((await session.exec(select(Person.full_name))).all())
    assert len(others) > 20  # the demo's other candidates and every officer
    code = await invite(demo, role=Role.candidate, candidate_id=an.id)
    channel = make_channel(fake_telegram, fake_time, clock)
    async with polling(fake_telegram, channel, demo) as tg:
        await tg.say(THU, f"/start {code}")
        await tg.say(THU, "đồng ý")
        answer = await tg.say(THU, "/dulieu")
        [document] = fake_telegram.calls("sendDocument")
    assert answer[0] == f"Toàn bộ dữ liệu chibo giữ về bạn: tệp {FILE_STEM}.xlsx"
    assert answer[1].startswith(f"Dữ liệu chibo giữ về bạn:\n- Họ tên: {AN}\n- Ngày sinh: 12/04/1998 · Nam\n")
    assert (document["chat_id"], document["document"]["filename"]) == (THU, f"{FILE_STEM}.xlsx")
    written = cells(document["document"]["data"])
    assert AN in written and "1998-04-12" in written  # the candidate's row: name and birth date
    assert "telegram" in written and str(THU) in written  # the chat account they linked
    assert "consent.give" in written  # their consent, recorded a moment ago, and its audit entry
    assert sorted(name for name in others if name in written) == []  # not another candidate, not an officer
