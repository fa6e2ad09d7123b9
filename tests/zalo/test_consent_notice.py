"""The consent notice and /dulieu on Zalo, end to end through the fake Zalo server (issue 16):
a candidate who links with `/start CODE` reads the notice and agrees or refuses by numbered text
before anything else; until they agree chibo sends them nothing but the notice (no reminder);
/dulieu shows a summary (Zalo takes no file) and takes the requests to correct, to withdraw and
to erase by numbered text; the secretary hears of each request on Zalo."""

import sqlalchemy as sa
from sqlmodel import select

from bot.dispatcher import Dispatcher
from models.candidate import Candidate
from models.consent import Consent, DataRequest, GivenBy, Method
from models.outbox import Outbox, enqueue_from
from models.people import ChatLink
from models.stage import Role
from tests.flows.test_start import invite
from tests.texts import CONSENT_NOTICE, CONSENT_REFUSED, CONSENT_THANKS, CONSENT_THANKS_SENSITIVE
from tests.zalo.fake_zalo import fake_time, fake_zalo, zalo_channel, zalo_client  # noqa: F401
from tests.zalo.test_outbox import no_wait, on_zalo
from tests.zalo.test_polling import BRANCH, GREETING, polling

HOW = "(Trả lời bằng số hoặc bằng chữ)"
NOTICE = CONSENT_NOTICE + f"\n\n1. Đồng ý\n2. Đồng ý, kể cả dân tộc và tôn giáo\n3. Không đồng ý\n{HOW}"
LINKED = f"Đã liên kết tài khoản. Vai trò: quần chúng — {BRANCH}."
REFUSED = CONSENT_REFUSED
THANKS = CONSENT_THANKS
THANKS_SENSITIVE = CONSENT_THANKS_SENSITIVE
CARD = (f"Nguyễn Văn An — {BRANCH}\n- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
        "- Đảng viên giúp đỡ: chưa phân công\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026\n\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ.")
ASK = ("Bạn muốn yêu cầu gì? (/huy nếu chỉ xem)\n\n"
       f"1. Xin sửa thông tin\n2. Rút lại sự đồng ý\n3. Xin xoá dữ liệu\n{HOW}")
SAVED = ("Đã ghi yêu cầu của bạn và báo cho bí thư chi bộ. Chi bộ trả lời trước ngày 04/03/2026 và xử lý xong "
         "trước ngày 23/03/2026.")
WITHDRAWN = (SAVED + "\nSự đồng ý của bạn đã được rút lại từ bây giờ: chibo không gửi gì thêm cho bạn ngoài thông "
             "báo về dữ liệu cá nhân.")


def summary(consent: str, *requests: str) -> str:
    return ("Dữ liệu chibo giữ về bạn:\n- Họ tên: Nguyễn Văn An\n- Ngày sinh: 12/04/1998 · Nam\n"
            f"- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n- Chi bộ: {BRANCH}\n"
            "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n- Đảng viên giúp đỡ: chưa phân công\n"
            f"- Đồng ý: {consent}"
            + "".join(f"\n- Yêu cầu ngày 02/03/2026: {r}, hạn trả lời 04/03/2026, hạn xử lý 23/03/2026"
                      for r in requests))


async def _an(demo) -> Candidate:
    async with demo.sessions() as session:
        return (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()


async def _consents(demo) -> list[Consent]:
    async with demo.sessions() as session:
        return list(await session.exec(select(Consent).where(Consent.candidate_id == (await _an(demo)).id)))


async def _remind(demo, key: str) -> int:
    """A class notice to An, as the daily run would enqueue it: how many went into the outbox."""
    async with demo.sessions() as session:
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "z-an"))).one()
    query = sa.select(sa.literal(key).label("key"), sa.literal(person).label("person_id"),
                      sa.literal("class_notice").label("kind"), sa.literal("reminders/class_notice").label("template"),
                      sa.literal({"title": "Lớp nhận thức về Đảng", "place": "Hội trường", "starts_on": "2026-03-10",
                                  "ends_on": "2026-03-14"}, sa.JSON).label("values"),
                      sa.literal(None, sa.Integer).label("branch_id"))
    async with demo.sessions() as session, session.begin():
        return await enqueue_from(session=session, query=query, now=demo.clock.now())


def _dispatcher(demo, channel) -> Dispatcher:
    return Dispatcher(sessions=demo.sessions, channels={"zalo": channel}, clock=demo.clock, sleep=no_wait)


async def test_a_candidate_linking_on_zalo_reads_the_notice_and_answers_by_numbers(demo, fake_zalo, zalo_channel):
    code = await invite(demo, role=Role.candidate, candidate_id=(await _an(demo)).id)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        assert await zalo.say("z-an", f"/start {code}") == [GREETING, LINKED, NOTICE]
        assert await zalo.say("z-an", "/toi") == [NOTICE]  # nothing else before an answer
        assert await zalo.say("z-an", "/trogiup") == [NOTICE]
        assert await zalo.say("z-an", "xin chào") == [NOTICE]
        assert await zalo.say("z-an", "3") == [REFUSED]
        assert await _consents(demo) == []  # a refusal records no consent
        assert await zalo.say("z-an", "/toi") == [NOTICE]
        assert await _remind(demo, "before") == 0  # no reminder for one who has not agreed
        await _dispatcher(demo, zalo_channel).run_until_empty()
        assert fake_zalo.texts("z-an")[-1] == NOTICE
        assert await zalo.say("z-an", "1") == [THANKS]
        assert await zalo.say("z-an", "/toi") == [CARD]
    [consent] = await _consents(demo)
    assert (consent.given_by, consent.method, consent.categories) == (GivenBy.self, Method.chat, "basic")
    assert await _remind(demo, "after") == 1  # from now on, reminders reach them on Zalo
    await _dispatcher(demo, zalo_channel).run_until_empty()
    assert fake_zalo.texts("z-an")[-1] == (
        "chibo nhắc việc:\n- Bạn được cử học Lớp nhận thức về Đảng tại Hội trường, từ 10/03/2026 đến 14/03/2026. "
        "Mang theo giấy tờ tùy thân và sổ ghi chép.\n\nGõ /trogiup để xem các lệnh.")
    assert set(fake_zalo.texts("z-an")) == {GREETING, LINKED, NOTICE, REFUSED, THANKS, CARD,
                                            fake_zalo.texts("z-an")[-1]}


async def test_agreeing_on_zalo_to_ethnicity_and_religion_names_them(demo, fake_zalo, zalo_channel):
    code = await invite(demo, role=Role.candidate, candidate_id=(await _an(demo)).id)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-an", f"/start {code}")
        assert await zalo.say("z-an", "2") == [THANKS_SENSITIVE]
    [consent] = await _consents(demo)
    assert consent.categories == "basic,ethnicity,religion"


async def test_dulieu_on_zalo_shows_a_summary_and_takes_every_request_by_numbers(demo, fake_zalo, zalo_channel):
    await on_zalo(demo, "bithu", "z-thu")
    code = await invite(demo, role=Role.candidate, candidate_id=(await _an(demo)).id)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-an", f"/start {code}")
        # before any consent: the summary, and a request to correct
        assert await zalo.say("z-an", "/dulieu") == [summary("chưa có"), ASK]
        assert await zalo.say("z-an", "1") == ["Cần sửa gì? Viết rõ thông tin đúng (tối đa 500 ký tự)."]
        assert await zalo.say("z-an", "Ngày sinh đúng là 21/04/1998") == [
            "Xin kiểm tra lại trước khi gửi yêu cầu:\n- Yêu cầu: Xin sửa thông tin\n"
            "- Nội dung cần sửa: Ngày sinh đúng là 21/04/1998\n\n"
            f"1. Lưu\n2. Sửa yêu cầu\n3. Sửa nội dung cần sửa\n4. Hủy\n{HOW}"]
        assert await zalo.say("z-an", "1") == [SAVED]
        assert await zalo.say("z-an", "/toi") == [NOTICE]  # a request is not a consent
        assert await zalo.say("z-an", "1") == [THANKS]
        correct = "xin sửa thông tin"
        assert await zalo.say("z-an", "/dulieu") == [summary("của bạn, trong chat ngày 02/03/2026", correct), ASK]
        assert await zalo.say("z-an", "2") == [
            f"Xin kiểm tra lại trước khi gửi yêu cầu:\n- Yêu cầu: Rút lại sự đồng ý\n\n1. Lưu\n2. Sửa yêu cầu\n"
            f"3. Hủy\n{HOW}"]
        assert await _remind(demo, "queued") == 1  # a reminder waiting when the consent is withdrawn
        assert await zalo.say("z-an", "1") == [WITHDRAWN]
        assert await zalo.say("z-an", "/toi") == [NOTICE]
        assert await zalo.say("z-an", "/dulieu") == [summary("chưa có", correct, "rút lại sự đồng ý"), ASK]
        assert await zalo.say("z-an", "3") == [
            f"Xin kiểm tra lại trước khi gửi yêu cầu:\n- Yêu cầu: Xin xoá dữ liệu\n\n1. Lưu\n2. Sửa yêu cầu\n"
            f"3. Hủy\n{HOW}"]
        assert await zalo.say("z-an", "1") == [SAVED]
    assert fake_zalo.calls("sendPhoto") == []  # no file on Zalo: Zalo takes none from a bot
    async with demo.sessions() as session:
        kinds = [r.kind for r in (await session.exec(select(DataRequest).order_by(DataRequest.id))).all()]
    assert kinds == ["correct", "withdraw", "erase"]
    before = len(fake_zalo.texts("z-an"))
    await _dispatcher(demo, zalo_channel).run_until_empty()
    assert fake_zalo.texts("z-an")[before:] == []  # the reminder queued before the withdrawal is not sent
    [told] = fake_zalo.texts("z-thu")  # the secretary, on Zalo: the three requests in one message
    n = (await _an(demo)).number
    due = "Trả lời người đó trước ngày 04/03/2026; xử lý xong trước ngày 23/03/2026 (Luật Bảo vệ dữ liệu cá nhân)."
    assert told == (
        "chibo nhắc việc:\n"
        f'- {n}. Nguyễn Văn An yêu cầu: xin sửa thông tin ("Ngày sinh đúng là 21/04/1998") (ngày 02/03/2026).\n{due}\n'
        f"- {n}. Nguyễn Văn An yêu cầu: rút lại sự đồng ý (ngày 02/03/2026).\n{due}\n"
        f"- {n}. Nguyễn Văn An yêu cầu: xin xoá dữ liệu (ngày 02/03/2026).\n{due}\n\n"
        "Gõ /trogiup để xem các lệnh.")
    async with demo.sessions() as session:
        left = (await session.exec(select(Outbox.kind).where(Outbox.kind == "class_notice"))).all()
    assert left == []


async def test_the_secretary_on_zalo_answers_a_withdrawal_and_the_person_is_told_on_zalo(demo, fake_zalo,
                                                                                        zalo_channel):
    await on_zalo(demo, "bithu", "z-thu")
    code = await invite(demo, role=Role.candidate, candidate_id=(await _an(demo)).id)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-an", f"/start {code}")
        for text in ["1", "/dulieu", "2", "1"]:
            await zalo.say("z-an", text)
        await zalo.say("z-thu", "/trogiup")  # the greeting owed to this chat, out of the way
        n = (await _an(demo)).number
        row = f"{n}. Nguyễn Văn An: rút lại sự đồng ý ngày 02/03/2026, hạn xử lý 23/03/2026"
        assert await zalo.say("z-thu", "/yeucau") == [
            f"Yêu cầu nào? Chọn một dòng dưới đây, hoặc gõ một phần họ tên.\n\n1. {row}\n{HOW}"]
        assert await zalo.say("z-thu", "1") == [
            f"Ghi gì cho yêu cầu này?\n\n1. Đã trả lời, đang xử lý\n2. Đã xử lý xong\n{HOW}"]
        assert await zalo.say("z-thu", "2") == [
            "Chi bộ đã làm gì? Viết ngắn gọn (tối đa 500 ký tự); người yêu cầu sẽ đọc câu này."]
        assert await zalo.say("z-thu", "Đã ngừng gửi nhắc việc") == [
            f"Xin kiểm tra lại trước khi ghi:\n- Yêu cầu: {row}\n- Ghi: Đã xử lý xong\n"
            f"- Đã làm: Đã ngừng gửi nhắc việc\n\n1. Lưu\n2. Sửa yêu cầu\n3. Sửa việc ghi\n4. Sửa việc đã làm\n"
            f"5. Hủy\n{HOW}"]
        assert await zalo.say("z-thu", "1") == [
            f"Đã ghi xong yêu cầu của {n}. Nguyễn Văn An: chibo không nhắc về yêu cầu này nữa.\n"
            "Người đó sẽ nhận tin báo trên chibo."]
    before = len(fake_zalo.texts("z-an"))
    await _dispatcher(demo, zalo_channel).run_until_empty()
    # withdrawn, yet answered: the answer to their own request is the one thing besides the notice
    assert fake_zalo.texts("z-an")[before:] == [
        "chibo nhắc việc:\n- Yêu cầu \"rút lại sự đồng ý\" của bạn ngày 02/03/2026 đã được chi bộ xử lý xong: "
        "Đã ngừng gửi nhắc việc\n\nGõ /trogiup để xem các lệnh."]
