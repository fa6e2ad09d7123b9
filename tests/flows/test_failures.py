"""When chibo fails, it says truthfully whether what was asked got saved."""

import dataclasses

import pytest
from sqlmodel import select

import bot.app
from bot.render import text_of
from models.candidate import Candidate
from tests.flows.test_register import GOOD


async def hoa_saved(demo) -> bool:
    async with demo.sessions() as session:
        return bool((await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Thị Hoa"))).all())


@pytest.mark.expect_error
async def test_a_registration_saved_but_not_shown_says_it_was_saved(talk, demo, monkeypatch):
    real = bot.app.render

    def fails_on_the_saved_answer(replies, caps):
        if any(r.key == "register/saved" for r in replies):
            raise RuntimeError("a template broke")
        return real(replies, caps)

    monkeypatch.setattr(bot.app, "render", fails_on_the_saved_answer)
    bithu = talk("bithu")
    await bithu.dialog(GOOD)
    assert await bithu.say("1") == (
        "chibo đã ghi nhận tin nhắn này (việc vừa làm đã được lưu), nhưng gặp lỗi khi trình bày câu trả lời. "
        "Xin đừng làm lại; gõ /ds hoặc /xem để kiểm tra. Nếu vẫn lỗi, xin báo bí thư chi bộ.")
    assert await hoa_saved(demo)
    assert await bithu.say("/huy") == text_of("common/nothing_to_cancel")  # the flow is closed


@pytest.mark.expect_error
async def test_a_registration_that_failed_says_nothing_was_saved_and_keeps_the_answers(talk, demo, monkeypatch):
    flow = next(r for r in bot.app.build_routes() if r.name == "register")

    async def broken(ctx, answers):
        raise RuntimeError("the database said no")

    routes = [dataclasses.replace(r, done=broken) if r is flow else r for r in demo.engine.routes]
    monkeypatch.setattr(demo.engine, "flows", {r.name: r for r in routes if hasattr(r, "steps")})
    bithu = talk("bithu")
    await bithu.dialog(GOOD)
    assert await bithu.say("1") == text_of("common/error")
    assert not await hoa_saved(demo)
    assert "Xin kiểm tra lại trước khi lưu" in await bithu.say("/trogiup")  # still at the confirmation
