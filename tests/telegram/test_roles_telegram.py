"""/thuhoi on Telegram, end to end through the fake Bot API (issue 16): the secretary ends a
sponsor's role by tapping buttons; the flow the sponsor had begun is dropped, and his next
message, typed or a tap on a button still live in that flow, gets the stranger's answer.
The demo branch allows personal data on Telegram (models/org.py PERSONAL_DATA_CHANNELS), so
names show in full."""

import pytest
import sqlalchemy as sa

from models.audit import AuditLog
from models.checkin import Checkin
from models.conversation import Conversation
from tests.flows.test_candidates import MINH
from tests.support import number_of
from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, fake_telegram, fake_time, make_channel,
)
from tests.telegram.test_paper_consent import buttons, on_telegram
from tests.telegram.test_polling import BRANCH, THU, polling
from tests.texts import NOT_LINKED, NOT_UNDERSTOOD_STRANGER, STRANGER_GREETING
from tests.zalo.test_outbox import branch_id

BINH = 616161  # Trần Văn Bình's Telegram chat (the demo's sponsor, "giupdo"); THU is the secretary's


async def checkins_of(demo, sponsor: int) -> list[int]:
    async with demo.sessions() as session:
        return list((await session.exec(sa.select(Checkin.id).where(Checkin.sponsor_id == sponsor))).scalars())


async def half_typed(demo, chat: int) -> list[tuple[str, dict]]:
    """The flow a Telegram chat is in and the answers kept for it, if any."""
    async with demo.sessions() as session:
        return [tuple(row) for row in (await session.exec(sa.select(Conversation.flow, Conversation.data).where(
            Conversation.channel == "telegram", Conversation.chat_id == str(chat),
            Conversation.flow.is_not(None)))).all()]


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_the_secretary_ends_a_sponsors_role_with_buttons_and_the_sponsor_is_a_stranger(
        demo, fake_telegram, fake_time, clock):
    secretary, sponsor = await on_telegram(demo, "bithu", THU), await on_telegram(demo, "giupdo", BINH)
    checkins = await checkins_of(demo, sponsor)
    async with polling(fake_telegram, make_channel(fake_telegram, fake_time, clock), demo) as tg:
        assert (await tg.say(BINH, "/gap", name="Trần Văn Bình"))[-1] == (  # mid-conversation when it ends
            "Bạn đã gặp ai? Gõ số hoặc một phần họ tên của người bạn giúp đỡ (không dấu cũng được).")
        minh = await number_of(demo, MINH)
        assert await tg.say(BINH, "hoang minh", name="Trần Văn Bình") == [
            f'Gặp {minh}. Lê Hoàng Minh ngày nào? Chọn "Hôm nay" hoặc ghi ngày/tháng/năm, ví dụ 25/02/2026.']
        assert buttons(fake_telegram, BINH) == [("Hôm nay", "c:1")]  # still live when his role ends
        assert [flow for flow, _ in await half_typed(demo, BINH)] == ["checkin"]
        assert await tg.say(THU, "/thuhoi") == [
            "Thu hồi vai trò của ai? Chọn một dòng dưới đây, hoặc gõ một phần họ tên.\nNgười còn vai trò khác vẫn giữ "
            "vai trò đó; người không còn vai trò nào sẽ không dùng được chibo nữa. Gõ /huy để thôi."]
        assert buttons(fake_telegram, THU) == [
            (f"Phan Văn Hùng — phó bí thư, {BRANCH}", "c:1"), (f"Trần Văn Bình — đảng viên giúp đỡ, {BRANCH}", "c:2"),
            (f"Đỗ Thị Mai — đảng viên giúp đỡ, {BRANCH}", "c:3")]
        assert await tg.tap(THU, "Trần Văn Bình") == [
            f"Xin kiểm tra lại trước khi thu hồi:\n- Vai trò: Trần Văn Bình — đảng viên giúp đỡ, {BRANCH}\n"
            "Khi lưu: từ tin nhắn tới, người này không dùng được các lệnh của vai trò đó nữa; việc thu hồi được ghi "
            "vào nhật ký."]
        assert buttons(fake_telegram, THU) == [("Lưu", "c:1"), ("Sửa người và vai trò", "c:2"), ("Hủy", "c:3")]
        assert await tg.tap(THU, "Lưu") == [
            f"Đã thu hồi vai trò đảng viên giúp đỡ của Trần Văn Bình ở {BRANCH}.\n"
            "9 quần chúng do người này giúp đỡ cần người giúp đỡ mới: /giupdo."]
        assert await half_typed(demo, BINH) == []  # his /gap answers are not kept for a stranger
        assert await tg.tap(BINH, "Hôm nay", name="Trần Văn Bình") == [NOT_UNDERSTOOD_STRANGER]
        assert await tg.say(BINH, "pham thu ha", name="Trần Văn Bình") == [NOT_UNDERSTOOD_STRANGER]
        assert await tg.say(BINH, "/cuatoi", name="Trần Văn Bình") == [NOT_LINKED]
        assert await tg.say(BINH, "/trogiup", name="Trần Văn Bình") == [STRANGER_GREETING]
        assert buttons(fake_telegram, BINH) == []
    async with demo.sessions() as session:
        audit = (await session.exec(sa.select(AuditLog.person_id, AuditLog.action, AuditLog.subject))).all()
    assert await checkins_of(demo, sponsor) == checkins  # the tap on "Hôm nay" recorded no meeting
    assert [tuple(a) for a in audit] == [
        (secretary, "role.revoke", f"person:{sponsor}@org:{await branch_id(demo)}:sponsor")]
