"""When chibo fails, it says truthfully whether what was asked got saved."""

import dataclasses

import pytest
from sqlmodel import select

import bot.app
from bot.render import text_of
from models.candidate import Candidate
from tests.texts import NOTHING_TO_CANCEL

# /them up to its confirmation: Nguyễn Thị Hoa, a teacher and Youth Union member
TO_CONFIRMATION = ["/them", "nguyễn   thị hoa", "05/09/2004", "2", "giáo viên", "Tổ Toán", "có", "Đoàn Thanh niên",
                   "Tích cực"]
CONFIRMATION = ("Xin kiểm tra lại trước khi lưu vào danh sách nguồn của Chi bộ Trường THPT Trần Phú (demo):\n"
                "- Họ tên: Nguyễn Thị Hoa\n"
                "- Ngày sinh: 05/09/2004\n"
                "- Giới tính: Nữ\n"
                "- Đối tượng: Giáo viên, giảng viên\n"
                "- Đơn vị: Tổ Toán\n"
                "- Đoàn viên: Có\n"
                "- Nguồn giới thiệu: Đoàn Thanh niên\n"
                "- Ghi chú: Tích cực\n"
                "\n"
                "1. Lưu\n"
                "2. Sửa họ tên\n"
                "3. Sửa ngày sinh\n"
                "4. Sửa giới tính\n"
                "5. Sửa đối tượng\n"
                "6. Sửa đơn vị\n"
                "7. Sửa đoàn viên\n"
                "8. Sửa nguồn giới thiệu\n"
                "9. Sửa ghi chú\n"
                "10. Hủy\n"
                "(Trả lời bằng số hoặc bằng chữ)")


async def to_confirmation(bithu) -> None:
    for says in TO_CONFIRMATION:
        answer = await bithu.say(says)
    assert answer == CONFIRMATION


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
    await to_confirmation(bithu)
    assert await bithu.say("1") == (
        "chibo đã ghi nhận tin nhắn này (việc vừa làm đã được lưu), nhưng gặp lỗi khi trình bày câu trả lời. "
        "Xin đừng làm lại; gõ /ds hoặc /xem để kiểm tra. Nếu vẫn lỗi, xin báo bí thư chi bộ.")
    assert await hoa_saved(demo)
    assert await bithu.say("/huy") == NOTHING_TO_CANCEL  # the flow is closed


@pytest.mark.expect_error
async def test_a_registration_that_failed_says_nothing_was_saved_and_keeps_the_answers(talk, demo, monkeypatch):
    flow = next(r for r in bot.app.build_routes() if r.name == "register")

    async def broken(ctx, answers):
        raise RuntimeError("the database said no")

    routes = [dataclasses.replace(r, done=broken) if r is flow else r for r in demo.engine.routes]
    monkeypatch.setattr(demo.engine, "flows", {r.name: r for r in routes if hasattr(r, "steps")})
    bithu = talk("bithu")
    await to_confirmation(bithu)
    assert await bithu.say("1") == text_of("common/error")
    assert not await hoa_saved(demo)
    assert await bithu.say("/trogiup") == (  # still at the confirmation
        'Bạn đang trả lời từng câu hỏi. Trả lời câu hỏi dưới đây, gõ "quay lại" để sửa câu trước, hoặc /huy để hủy '
        "(không lưu gì).\n"
        "Trong lúc này bạn vẫn xem được: /ds, /xem, /lop, /chitieu.\n"
        "\n"
        + CONFIRMATION)
