"""The consent notice on Telegram, end to end through the fake Bot API (issue 16): a candidate
who links with `/start CODE` reads the notice with one button per answer; until they agree
every message gets the notice again; a tap on "Đồng ý" records their consent and chibo works."""

import pytest
from sqlmodel import select

from models.candidate import Candidate
from models.consent import Consent, GivenBy, Method
from models.stage import Role
from tests.flows.test_start import invite
from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, fake_telegram, fake_time, make_channel,
)
from tests.texts import CONSENT_NOTICE
from tests.telegram.test_polling import BRANCH, THU, polling

NOTICE = CONSENT_NOTICE
BUTTONS = [["Đồng ý"], ["Đồng ý, kể cả dân tộc và tôn giáo"], ["Không đồng ý"]]


def buttons(fake) -> list[list[str]]:
    """The buttons under the last message chibo sent."""
    markup = fake.calls("sendMessage")[-1].get("reply_markup") or {"inline_keyboard": []}
    return [[b["text"] for b in row] for row in markup["inline_keyboard"]]


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_a_candidate_linking_on_telegram_answers_the_notice_with_its_buttons(demo, fake_telegram, fake_time,
                                                                                   clock):
    async with demo.sessions() as session:
        an = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
    code = await invite(demo, role=Role.candidate, candidate_id=an.id)
    async with polling(fake_telegram, make_channel(fake_telegram, fake_time, clock), demo) as tg:
        assert await tg.say(THU, f"/start {code}") == [
            f"Đã liên kết tài khoản. Vai trò: quần chúng — {BRANCH}.", NOTICE]
        assert buttons(fake_telegram) == BUTTONS  # no answer chosen beforehand
        assert await tg.say(THU, "/toi") == [NOTICE]
        assert await tg.tap(THU, "Không đồng ý") == [
            "Bạn chưa đồng ý. chibo không nhận thông tin gì của bạn qua tin nhắn và không gửi gì khác; "
    "chi bộ chỉ giữ những gì đã ghi từ hồ sơ giấy của bạn. "
            "Khi muốn đồng ý, nhắn \"đồng ý\"."]
        async with demo.sessions() as session:
            assert (await session.exec(select(Consent).where(Consent.candidate_id == an.id))).all() == []
        assert await tg.say(THU, "/trogiup") == [NOTICE]
        assert buttons(fake_telegram) == BUTTONS
        assert await tg.tap(THU, "Đồng ý") == [
            "Cảm ơn bạn. Đã ghi sự đồng ý của bạn (hôm nay). Bạn có thể rút lại bất cứ lúc nào: /dulieu\n\n"
            "Xem việc bạn làm được: /trogiup"]
        assert await tg.say(THU, "/toi") == [
            f"Nguyễn Văn An — {BRANCH}\n- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
            "- Đảng viên giúp đỡ: chưa phân công\n"
            "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026\n\n"
            "Có gì chưa đúng, xin báo bí thư chi bộ."]
    async with demo.sessions() as session:
        [consent] = (await session.exec(select(Consent).where(Consent.candidate_id == an.id))).all()
    assert (consent.given_by, consent.method, consent.categories) == (GivenBy.self, Method.chat, "basic")
