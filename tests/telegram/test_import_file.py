"""A register sent as a file on Telegram, end to end: the real python-telegram-bot downloads it
from the fake Bot API, chibo answers with the dry run and "Nhập" / "Huỷ", and a tap imports it."""

import pytest
from sqlmodel import select

from bot.render import text_of
from models.candidate import Candidate
from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, fake_telegram, fake_time, make_channel,
)
from tests.telegram.test_polling import BRANCH, THU, polling, secretary_code

CSV = "Họ và tên;Ngày sinh;Giới tính;Giai đoạn\nHà Thị Gấm;12/12/1999;Nữ;Cảm tình Đảng\n".encode("utf-8-sig")


async def gam(chibo) -> list[Candidate]:
    async with chibo.sessions() as session:
        return list(await session.exec(select(Candidate).where(Candidate.full_name == "Hà Thị Gấm")))


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_a_secretary_sends_the_register_and_taps_nhap(demo, fake_telegram, fake_time, clock):
    code = await secretary_code(demo)
    channel = make_channel(fake_telegram, fake_time, clock)
    async with polling(fake_telegram, channel, demo) as tg:
        await tg.say(THU, f"/start {code}")
        dry = await tg.send_file(THU, "danh-sach.csv", CSV)
        assert dry == [f"Dòng 2: sẽ thêm Hà Thị Gấm (Cảm tình Đảng).\n"
                       f"Nhập thử (chưa ghi gì) vào {BRANCH}: 1 người mới, 0 cập nhật, 0 không đổi.\n\n"
                       'Bấm "Nhập" để ghi, hoặc "Huỷ".']
        assert [b["text"] for row in fake_telegram.keyboard(THU)["reply_markup"]["inline_keyboard"]
                for b in row] == ["Nhập", "Huỷ"]
        assert await gam(demo) == []
        done = await tg.tap(THU, "Nhập")
        assert done == [f"Dòng 2: đã thêm Hà Thị Gấm (Cảm tình Đảng).\n"
                        f"Đã nhập vào {BRANCH}: 1 người mới, 0 cập nhật, 0 không đổi."]
        assert [c.stage for c in await gam(demo)] == ["sympathizer"]


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_too_large_a_file_is_refused_before_it_is_downloaded(demo, fake_telegram, fake_time, clock):
    channel = make_channel(fake_telegram, fake_time, clock)
    async with polling(fake_telegram, channel, demo) as tg:
        too_big = await tg.send_file(THU, "to.xlsx", b"x", size=11 * 1024 * 1024)
        assert too_big == [text_of("telegram/file_too_big")]
        assert fake_telegram.calls("getFile") == []
