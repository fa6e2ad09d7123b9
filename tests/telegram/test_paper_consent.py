"""/dongy on Telegram, end to end through the fake Bot API (issue 16): the secretary records a
candidate's paper consent by tapping the buttons chibo sends (their callback data), and the card
no longer says "chưa đồng ý". The demo branch allows personal data on Telegram (models/org.py
PERSONAL_DATA_CHANNELS: Zalo and Telegram), so names show in full."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from models.candidate import Candidate
from models.consent import Consent, GivenBy, Method
from models.people import ChatLink, link_chat
from models.stage import Role
from tests.flows.test_candidates import AN, KHOA, TAI, demo_numbers
from tests.flows.test_start import invite
from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, fake_telegram, fake_time, make_channel,
)
from tests.telegram.test_consent_notice import NOTICE
from tests.telegram.test_polling import BRANCH, THU, polling

AN_CHAT = 515151  # Nguyễn Văn An's own Telegram chat (THU is the secretary's)


async def on_telegram(demo, account: str, chat: int) -> int:
    """The demo person of a console account, linked to a Telegram chat too; their id."""
    async with demo.sessions() as session, session.begin():
        person_id = (await session.exec(sa.select(ChatLink.person_id).where(
            ChatLink.channel == "console", ChatLink.account_id == account))).scalar_one()
        await link_chat(session=session, channel="telegram", account_id=str(chat), person_id=person_id,
                        now=demo.clock.now())
    return person_id


def buttons(fake, chat: int) -> list[tuple[str, str]]:
    """The buttons under the newest message sent to a chat: (label, callback data); none: []."""
    markup = fake.sent(chat)[-1].get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


def an_card(an: int, flag: str = "") -> str:
    """Nguyễn Văn An's card (`an` his register number), with what it says beside his name."""
    return (f"{an}. Nguyễn Văn An{flag}\n- Ngày sinh: 12/04/1998 · Nam\n"
            f"- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n- Chi bộ: {BRANCH}\n"
            "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n- Đảng viên giúp đỡ: chưa phân công\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
            "(Hướng dẫn 12-HD/BTCTW)")


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_the_secretary_records_a_paper_consent_with_buttons_and_the_card_loses_its_flag(
        demo, fake_telegram, fake_time, clock):
    secretary, no = await on_telegram(demo, "bithu", THU), await demo_numbers(demo)
    async with demo.sessions() as session:
        an = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
    code = await invite(demo, role=Role.candidate, candidate_id=an.id)
    async with polling(fake_telegram, make_channel(fake_telegram, fake_time, clock), demo) as tg:
        await tg.say(AN_CHAT, f"/start {code}", name="Nguyễn Văn An")  # linked, has not answered the notice
        assert await tg.say(THU, f"/xem {no[AN]}") == [an_card(no[AN], " — chưa đồng ý")]
        assert await tg.say(THU, "/dongy") == ["Sự đồng ý trên giấy của ai?"]
        assert buttons(fake_telegram, THU) == [
            ("Một quần chúng (người được giới thiệu)", "c:1"),
            ("Một đảng viên của chi bộ (bí thư, phó bí thư, đảng viên giúp đỡ, đảng viên trong danh sách)", "c:2")]
        assert await tg.tap(THU, "Một quần chúng") == ["Ghi sự đồng ý trên giấy của ai? Gõ số hoặc tên quần chúng."]
        assert await tg.say(THU, "văn an") == [
            'Có 3 người khớp "văn an". Chọn một người.\nGhi sự đồng ý trên giấy của ai? Gõ số hoặc tên quần chúng.']
        assert buttons(fake_telegram, THU) == [
            ("Nguyễn Văn An (1998) — Quần chúng ưu tú (nguồn)", f"c:{no[AN]}"),
            ("Đinh Văn Khoa (1988) — Cảm tình Đảng", f"c:{no[KHOA]}"),
            ("Mạc Văn Tài (1991) — Đã đưa ra khỏi danh sách", f"c:{no[TAI]}")]
        assert await tg.tap(THU, "Nguyễn Văn An") == ["Ai ký giấy đồng ý?"]
        assert buttons(fake_telegram, THU) == [("Chính người đó", "c:1"), ("Cha mẹ hoặc người giám hộ", "c:2")]
        assert await tg.tap(THU, "Chính người đó") == ['Ngày ký (dd/mm/yyyy hoặc "hôm nay")?']
        assert await tg.say(THU, "01/03/2026") == [
            "Giấy có ghi rõ đồng ý cho chi bộ giữ thông tin dân tộc và tôn giáo không?"]
        assert buttons(fake_telegram, THU) == [("Có", "c:1"), ("Không", "c:2")]
        assert await tg.tap(THU, "Không") == [
            "Xin kiểm tra lại trước khi ghi sự đồng ý trên giấy:\n"
            f"- Người được ghi: {no[AN]}. Nguyễn Văn An\n"
            "- Người ký: Chính người đó\n- Ngày ký: 01/03/2026\n- Gồm dân tộc, tôn giáo: Không"]
        assert buttons(fake_telegram, THU) == [
            ("Lưu", "c:1"), ("Sửa loại người được ghi", "c:2"), ("Sửa người được ghi", "c:3"),
            ("Sửa người ký", "c:4"), ("Sửa ngày ký", "c:5"), ("Sửa dân tộc, tôn giáo", "c:6"), ("Hủy", "c:7")]
        assert await tg.tap(THU, "Lưu") == [
            f"Đã ghi sự đồng ý trên giấy của {no[AN]}. Nguyễn Văn An.\nĐã đủ sự đồng ý cần có."]
        assert buttons(fake_telegram, THU) == []
        assert await tg.say(THU, f"/xem {no[AN]}") == [an_card(no[AN])]  # no "chưa đồng ý" any more
        assert await tg.say(AN_CHAT, "/toi", name="Nguyễn Văn An") == [  # his paper consent counts in chat too
            f"Nguyễn Văn An — {BRANCH}\n- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
            "- Đảng viên giúp đỡ: chưa phân công\n"
            "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026\n\n"
            "Có gì chưa đúng, xin báo bí thư chi bộ."]
    async with demo.sessions() as session:
        [consent] = (await session.exec(select(Consent).where(Consent.candidate_id == an.id))).all()
    assert (consent.given_by, consent.method, consent.given_on.isoformat(), consent.recorded_by,
            consent.categories) == (GivenBy.self, Method.paper, "2026-03-01", secretary, "basic")
    assert NOTICE not in fake_telegram.texts(AN_CHAT)[2:]  # the notice only when he linked
