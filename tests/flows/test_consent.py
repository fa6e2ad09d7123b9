"""Consent to the processing of personal data (issue 16): a linked candidate reads the notice
and agrees before anything else; the secretary sees who has not and records consent given on
paper (a guardian's for a child); /dulieu; channels that may not carry personal data."""

import json
from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from sqlmodel import select

from bot.demo import BRANCH, COMMITTEE
from bot.render import text_of
from handlers.my_data import XLSX
from models.candidate import Candidate
from models.audit import AuditLog
from models.conversation import Conversation
from models.consent import Consent, DataRequest, GivenBy, Method
from models.erasure import subject_of
from models.person_data import person_data
from models.org import Organisation
from models.outbox import Outbox, enqueue_from
from models.people import ChatLink
from models.roster import PartyMember
from models.stage import Role
from tests.flows.test_candidates import (
    AN, ANH, DUC, HA, HUY, KHOA, LAN, MINH, MY, NGOC, SON, TAI, TUNG, XUAN, branch_list, demo_numbers,
)
from tests.flows.test_start import invite
from tests.support import Convo
from tests.texts import CONSENT_NOTICE, CONSENT_REFUSED, CONSENT_THANKS, CONSENT_THANKS_SENSITIVE

CHOICES = "(Trả lời bằng số hoặc bằng chữ)"


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The demo candidates' register numbers, looked up by name (tests/flows/test_candidates.py)."""
    return await demo_numbers(demo)


NOTICE = CONSENT_NOTICE + f"\n\n1. Đồng ý\n2. Đồng ý, kể cả dân tộc và tôn giáo\n3. Không đồng ý\n{CHOICES}"
LINKED = f"Đã liên kết tài khoản. Vai trò: quần chúng — {BRANCH}.\n\n{NOTICE}"
WHOM = ("1. Một quần chúng (người được giới thiệu)\n2. Một đảng viên của chi bộ (bí thư, phó bí thư, đảng viên "
        f"giúp đỡ, đảng viên trong danh sách)\n{CHOICES}")
REFUSED = CONSENT_REFUSED
THANKS = CONSENT_THANKS
THANKS_SENSITIVE = CONSENT_THANKS_SENSITIVE


def an_card(an: int, flag: str = "") -> str:
    """Nguyễn Văn An's card (`an` his register number), with what it says beside his name."""
    return (f"{an}. Nguyễn Văn An{flag}\n"
            "- Ngày sinh: 12/04/1998 · Nam\n"
            "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
            f"- Chi bộ: {BRANCH}\n"
            "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
            "- Đảng viên giúp đỡ: chưa phân công\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
            "(Hướng dẫn 12-HD/BTCTW)")


def an_summary(consent: str = "chưa có", requests: str = "") -> str:
    return ("Dữ liệu chibo giữ về bạn:\n"
            "- Họ tên: Nguyễn Văn An\n"
            "- Ngày sinh: 12/04/1998 · Nam\n"
            "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
            f"- Chi bộ: {BRANCH}\n"
            "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
            "- Đảng viên giúp đỡ: chưa phân công\n"
            f"- Đồng ý: {consent}{requests}\n\n"
            "Bạn muốn yêu cầu gì? (/huy nếu chỉ xem)\n\n"
            f"1. Xin sửa thông tin\n2. Rút lại sự đồng ý\n3. Xin xoá dữ liệu\n{CHOICES}")


async def _an(demo) -> Candidate:
    async with demo.sessions() as session:
        return (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()


async def _link_an(talk, demo) -> str:
    code = await invite(demo, role=Role.candidate, candidate_id=(await _an(demo)).id)
    return await talk("an").say(f"/start {code}")


async def _consents(demo) -> list[Consent]:
    async with demo.sessions() as session:
        return list(await session.exec(select(Consent).where(Consent.candidate_id == (await _an(demo)).id)))


def listed(no: dict[str, int], an: str = "", ngoc: str = "") -> str:
    """bithu's /ds, with what it says beside Nguyễn Văn An and Trần Thị Bích Ngọc."""
    an_line, ngoc_line = f"\n{no[AN]}. Nguyễn Văn An (1998)", f"\n{no[NGOC]}. Trần Thị Bích Ngọc (2008)"
    return (branch_list(no).replace(an_line + "\n", an_line + an + "\n")
            .replace(ngoc_line + "\n", ngoc_line + ngoc + "\n"))


async def test_a_linked_candidate_sees_only_the_notice_until_they_agree(talk, demo, no):
    an = talk("an")
    assert await _link_an(talk, demo) == LINKED
    assert await an.say("/toi") == NOTICE
    assert await an.say("xin chào") == NOTICE
    assert await an.say("3") == REFUSED
    assert await _consents(demo) == []  # no consent by default, nor from a refusal
    bithu = talk("bithu")
    assert await bithu.say("/ds") == listed(no, an=" — chưa đồng ý")
    assert await bithu.say(f"/xem {no[AN]}") == an_card(no[AN], " — chưa đồng ý")
    assert await an.say("đồng ý") == THANKS
    [consent] = await _consents(demo)
    assert (consent.given_by, consent.method, consent.categories, consent.given_on, consent.recorded_by,
            consent.notice_version) == (GivenBy.self, Method.chat, "basic", date(2026, 3, 2), None, "2026-12")
    assert await an.say("/toi") == (
        "Nguyễn Văn An — Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
        "- Đảng viên giúp đỡ: chưa phân công\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026\n"
        "\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ.")
    assert await bithu.say("/ds") == listed(no)
    assert await bithu.say(f"/xem {no[AN]}") == an_card(no[AN])


async def test_agreeing_to_ethnicity_and_religion_names_them(talk, demo):
    await _link_an(talk, demo)
    assert await talk("an").say("2") == THANKS_SENSITIVE
    [consent] = await _consents(demo)
    assert consent.categories == "basic,ethnicity,religion"


async def test_no_reminder_goes_to_a_candidate_who_has_not_agreed(talk, demo):
    await _link_an(talk, demo)
    async with demo.sessions() as session:
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "an"))).one()

    def reminder(key: str) -> sa.Select:
        return sa.select(sa.literal(key).label("key"), sa.literal(person).label("person_id"),
                         sa.literal("class_notice").label("kind"),
                         sa.literal("reminders/class_notice").label("template"),
                         sa.literal({}, sa.JSON).label("values"), sa.literal(None, sa.Integer).label("branch_id"))

    async with demo.sessions() as session, session.begin():
        assert await enqueue_from(session=session, query=reminder("before"), now=demo.clock.now()) == 0
    await talk("an").say("1")
    async with demo.sessions() as session, session.begin():
        assert await enqueue_from(session=session, query=reminder("after"), now=demo.clock.now()) == 1


async def test_withdrawing_consent_is_a_request_the_secretary_hears_of(talk, demo, no):
    an = talk("an")
    await _link_an(talk, demo)
    await an.say("1")
    assert await an.say("/dulieu") == an_summary("của bạn, trong chat ngày 02/03/2026")
    assert await an.say("2") == ("Xin kiểm tra lại trước khi gửi yêu cầu:\n- Yêu cầu: Rút lại sự đồng ý\n\n"
                                 f"1. Lưu\n2. Sửa yêu cầu\n3. Hủy\n{CHOICES}")
    assert await an.say("1") == (
        "Đã ghi yêu cầu của bạn và báo cho bí thư chi bộ. Chi bộ trả lời trước ngày 04/03/2026 và xử lý xong "
        "trước ngày 23/03/2026.\nSự đồng ý của bạn đã được rút lại từ bây giờ: chibo không gửi gì thêm cho bạn "
        "ngoài thông báo về dữ liệu cá nhân.")
    assert await an.say("/toi") == NOTICE
    assert await talk("bithu").say("/ds") == listed(no, an=" — đã rút lại đồng ý")
    async with demo.sessions() as session:
        [request] = (await session.exec(select(DataRequest))).all()
        notices = (await session.exec(select(Outbox).where(Outbox.kind == "data_request"))).all()
    assert (request.kind, request.made_on, request.acknowledge_by, request.act_by) == (
        "withdraw", date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 23))
    assert [n.template for n in notices] == ["data/notice_request"]  # to bithu, the branch's only officer on chat
    assert (await _consents(demo))[0].withdrawn_at is not None


async def test_a_request_to_correct_says_what_and_is_open_before_consent(talk, demo):
    an = talk("an")
    await _link_an(talk, demo)
    assert await an.say("/dulieu") == an_summary()
    assert await an.say("1") == "Cần sửa gì? Viết rõ thông tin đúng (tối đa 500 ký tự)."
    assert await an.say("Ngày sinh đúng là 21/04/1998") == (
        "Xin kiểm tra lại trước khi gửi yêu cầu:\n- Yêu cầu: Xin sửa thông tin\n"
        "- Nội dung cần sửa: Ngày sinh đúng là 21/04/1998\n\n"
        f"1. Lưu\n2. Sửa yêu cầu\n3. Sửa nội dung cần sửa\n4. Hủy\n{CHOICES}")
    assert await an.say("1") == ("Đã ghi yêu cầu của bạn và báo cho bí thư chi bộ. Chi bộ trả lời trước ngày "
                                 "04/03/2026 và xử lý xong trước ngày 23/03/2026.")
    assert await an.say("/dulieu") == an_summary(
        requests="\n- Yêu cầu ngày 02/03/2026: xin sửa thông tin, hạn trả lời 04/03/2026, hạn xử lý 23/03/2026")
    assert await an.say("/huy") == "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."
    assert await an.say("/toi") == NOTICE  # still not agreed


async def test_the_secretary_records_a_guardians_paper_consent_for_a_child(talk, demo, no):
    async with demo.sessions() as session, session.begin():
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
        ngoc.birth_date = date(2011, 5, 1)  # 14 when registered
    bithu = talk("bithu")
    assert await bithu.say("/dongy") == f"Sự đồng ý trên giấy của ai?\n\n{WHOM}"
    assert await bithu.say("1") == "Ghi sự đồng ý trên giấy của ai? Gõ số hoặc tên quần chúng."
    await bithu.say(str(no[NGOC]))
    assert await bithu.say("2") == "Họ tên cha mẹ hoặc người giám hộ?"  # "Cha mẹ hoặc người giám hộ"
    assert await bithu.say("Trần Văn Bình") == "Quan hệ với người được giới thiệu (ví dụ: mẹ, bố, người giám hộ)?"
    assert await bithu.say("bố") == 'Ngày ký (dd/mm/yyyy hoặc "hôm nay")?'
    await bithu.say("01/03/2026")
    assert await bithu.say("không") == (
        f"Xin kiểm tra lại trước khi ghi sự đồng ý trên giấy:\n- Người được ghi: {no[NGOC]}. Trần Thị Bích Ngọc\n"
        "- Người ký: Cha mẹ hoặc người giám hộ\n- Người giám hộ: Trần Văn Bình (bố)\n- Ngày ký: 01/03/2026\n"
        "- Gồm dân tộc, tôn giáo: Không\n\n"
        "1. Lưu\n2. Sửa loại người được ghi\n3. Sửa người được ghi\n4. Sửa người ký\n5. Sửa họ tên người giám hộ\n"
        f"6. Sửa quan hệ\n7. Sửa ngày ký\n8. Sửa dân tộc, tôn giáo\n9. Hủy\n{CHOICES}")
    assert await bithu.say("1") == (f"Đã ghi sự đồng ý trên giấy của {no[NGOC]}. Trần Thị Bích Ngọc.\n"
                                    "Còn thiếu: chưa tự đồng ý.")
    assert await bithu.say("/ds") == listed(no, ngoc=" — chưa tự đồng ý").replace("Ngọc (2008)", "Ngọc (2011)")
    async with demo.sessions() as session:
        [consent] = (await session.exec(select(Consent).where(Consent.candidate_id == ngoc.id))).all()
    assert (consent.given_by, consent.method, consent.guardian_name, consent.guardian_relation, consent.given_on,
            consent.categories) == (GivenBy.guardian, Method.paper, "Trần Văn Bình", "bố", date(2026, 3, 1), "basic")
    assert consent.recorded_by is not None


async def test_on_a_channel_the_branch_does_not_allow_names_are_initials(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say("/chibo")
    assert await bithu.say("8") == (
        "Những kênh nào được gửi họ tên, ngày sinh của người trong chi bộ? Máy chủ của Telegram ở nước ngoài, "
        "của Zalo ở Việt Nam. Trên kênh không được chọn, chibo chỉ ghi chữ cái đầu của tên.\n\n"
        "1. Zalo và Telegram\n2. Chỉ Zalo (máy chủ ở Việt Nam)\n3. Chỉ Telegram\n"
        f"4. Không kênh nào (chỉ trên máy của chi bộ)\n{CHOICES}")
    await bithu.say("2")
    assert await bithu.say("1") == (
        f"Đã lưu cài đặt của {BRANCH} — Kênh được gửi họ tên, ngày sinh: Zalo và Telegram → Chỉ Zalo (máy chủ ở Việt "
        "Nam).\n"
        "Xem lại hoặc đổi mục khác: /chibo")
    async with demo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        assert org.personal_data_channels == "zalo"
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
        session.add(ChatLink(channel="telegram", account_id="bithu-tg", person_id=person, linked_at=demo.clock.now()))
    telegram = Convo(demo, account="bithu-tg", channel="telegram")
    assert await telegram.say("/ds") == initials_list(no)  # initials only, and no birth year
    assert await telegram.say(f"/xem {no[AN]}") == (
        f"{no[AN]}. N.V.A.\n- Chi bộ: {BRANCH}\n- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
        "(Hướng dẫn 12-HD/BTCTW)\n\n"
        "Chi bộ không cho phép gửi họ tên, ngày sinh qua Telegram: xem đầy đủ trên kênh chi bộ cho phép.")
    assert await bithu.say("/ds") == branch_list(no)  # the console: always allowed


def initials_list(no: dict[str, int]) -> str:
    """bithu's /ds on a channel the branch does not allow: initials only, and no birth year."""
    def lines(*people: tuple[str, str]) -> str:
        return "".join(f"{no[name]}. {initials}\n" for name, initials in people)

    return ("Danh sách quần chúng và đảng viên dự bị (13 người):\n"
            "\n"
            "Quần chúng ưu tú (nguồn):\n"
            + lines((AN, "N.V.A."), (NGOC, "T.T.B.N."), (SON, "T.C.S."), (XUAN, "V.T.T.X.")) + "\n"
            "Cảm tình Đảng:\n" + lines((MINH, "L.H.M."), (HA, "P.T.H."), (KHOA, "Đ.V.K.")) + "\n"
            "Học lớp nhận thức về Đảng:\n" + lines((TUNG, "V.T.T."), (MY, "L.T.M.")) + "\n"
            "Đang làm hồ sơ:\n" + lines((LAN, "Đ.N.L.")) + "\n"
            "Đã đề nghị kết nạp:\n" + lines((HUY, "B.Q.H.")) + "\n"
            "Có quyết định kết nạp:\n" + lines((DUC, "T.M.Đ.")) + "\n"
            "Đảng viên dự bị:\n" + lines((ANH, "H.M.A.")) + "\n"
            "Chi bộ không cho phép gửi họ tên, ngày sinh qua Telegram: chỉ hiện chữ cái đầu.\n"
            "Xem một người: /xem SỐ hoặc /xem TÊN")


async def _requests(demo) -> list[DataRequest]:
    async with demo.sessions() as session:
        return list(await session.exec(select(DataRequest).order_by(DataRequest.id)))


async def _told(demo) -> list[Outbox]:
    async with demo.sessions() as session:
        return list(await session.exec(select(Outbox).where(Outbox.kind == "data_request_answer").order_by(Outbox.id)))


async def test_the_secretary_marks_a_request_acknowledged_then_done_and_the_person_is_told(talk, demo, no):
    an = talk("an")
    await _link_an(talk, demo)
    await an.say("1")
    await an.say("/dulieu")
    await an.say("3")
    await an.say("1")
    bithu = talk("bithu")
    row = f"{no[AN]}. Nguyễn Văn An: xin xoá dữ liệu ngày 02/03/2026, hạn xử lý 23/03/2026"  # his register number
    assert await bithu.say("/yeucau") == (
        "Yêu cầu nào? Chọn một dòng dưới đây, hoặc gõ một phần họ tên.\n\n"
        f"1. {row}\n{CHOICES}")
    assert await bithu.say("an") == (
        f"Ghi gì cho yêu cầu này?\n\n1. Đã trả lời, đang xử lý\n2. Đã xử lý xong\n{CHOICES}")
    assert await bithu.say("1") == (
        f"Xin kiểm tra lại trước khi ghi:\n- Yêu cầu: {row}\n- Ghi: Đã trả lời, đang xử lý\n\n"
        f"1. Lưu\n2. Sửa yêu cầu\n3. Sửa việc ghi\n4. Hủy\n{CHOICES}")
    assert await bithu.say("1") == (
        f"Đã ghi đã trả lời yêu cầu của {no[AN]}. Nguyễn Văn An. Còn phải xử lý xong trước ngày 23/03/2026: ghi lại "
        "bằng /yeucau khi xong.\nNgười đó sẽ nhận tin báo trên chibo.")
    [request] = await _requests(demo)
    assert (request.acknowledged_on, request.done_on) == (date(2026, 3, 2), None)
    await bithu.say("/yeucau")
    await bithu.say("1")
    assert await bithu.say("2") == "Chi bộ đã làm gì? Viết ngắn gọn (tối đa 500 ký tự); người yêu cầu sẽ đọc câu này."
    assert await bithu.say("Đã xoá hồ sơ trên chibo và sổ của chi bộ") == (
        "Xin kiểm tra lại trước khi ghi:\n"
        f"- Yêu cầu: {no[AN]}. Nguyễn Văn An: xin xoá dữ liệu ngày 02/03/2026, đã trả lời, hạn xử lý 23/03/2026\n"
        "- Ghi: Đã xử lý xong\n- Đã làm: Đã xoá hồ sơ trên chibo và sổ của chi bộ\n\n"
        f"1. Lưu\n2. Sửa yêu cầu\n3. Sửa việc ghi\n4. Sửa việc đã làm\n5. Hủy\n{CHOICES}")
    assert await bithu.say("1") == (f"Đã ghi xong yêu cầu của {no[AN]}. Nguyễn Văn An: chibo không nhắc về yêu cầu "
                                    "này nữa.\nNgười đó sẽ nhận tin báo trên chibo.")
    [request] = await _requests(demo)
    assert (request.acknowledged_on, request.done_on, request.outcome) == (
        date(2026, 3, 2), date(2026, 3, 2), "Đã xoá hồ sơ trên chibo và sổ của chi bộ")
    told = await _told(demo)
    assert [text_of(o.template, **o.values) for o in told] == [
        'Chi bộ đã nhận yêu cầu "xin xoá dữ liệu" của bạn ngày 02/03/2026 và sẽ xử lý xong trước ngày 23/03/2026.',
        'Yêu cầu "xin xoá dữ liệu" của bạn ngày 02/03/2026 đã được chi bộ xử lý xong: Đã xoá hồ sơ trên chibo và sổ '
        "của chi bộ"]
    assert await bithu.say("/yeucau") == "Không có yêu cầu nào về dữ liệu cá nhân đang chờ xử lý."
    assert "- Yêu cầu ngày" not in await an.say("/dulieu")  # no longer open


async def test_a_request_picked_by_an_unknown_name_is_asked_again(talk, demo, no):
    an = talk("an")
    await _link_an(talk, demo)
    await an.say("/dulieu")
    await an.say("2")
    await an.say("1")
    bithu = talk("bithu")
    await bithu.say("/yeucau")
    assert await bithu.say("Lan") == (
        'Không có yêu cầu nào khớp với "Lan" trong danh sách. Xin chọn một dòng dưới đây.\n'
        "Yêu cầu nào? Chọn một dòng dưới đây, hoặc gõ một phần họ tên.\n\n"
        f"1. {no[AN]}. Nguyễn Văn An: rút lại sự đồng ý ngày 02/03/2026, hạn xử lý 23/03/2026\n{CHOICES}")


async def _only_zalo(demo) -> None:
    """The branch allows Zalo only; bithu also has a Telegram account ("bithu-tg")."""
    async with demo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        org.personal_data_channels = "zalo"
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
        session.add(ChatLink(channel="telegram", account_id="bithu-tg", person_id=person, linked_at=demo.clock.now()))


async def test_on_a_channel_not_allowed_pickers_and_confirmations_show_initials(talk, demo, no):
    await _only_zalo(demo)
    telegram = Convo(demo, account="bithu-tg", channel="telegram")
    await telegram.say("/dongy")
    await telegram.say("1")
    await telegram.say("nguyễn")
    await telegram.say("1")
    await telegram.say("01/03/2026")
    assert await telegram.say("không") == (
        f"Xin kiểm tra lại trước khi ghi sự đồng ý trên giấy:\n- Người được ghi: {no[AN]}. N.V.A.\n"
        "- Người ký: Chính người đó\n- Ngày ký: 01/03/2026\n- Gồm dân tộc, tôn giáo: Không\n\n"
        "1. Lưu\n2. Sửa loại người được ghi\n3. Sửa người được ghi\n4. Sửa người ký\n5. Sửa ngày ký\n"
        f"6. Sửa dân tộc, tôn giáo\n7. Hủy\n{CHOICES}")
    assert await telegram.say("1") == f"Đã ghi sự đồng ý trên giấy của {no[AN]}. N.V.A.\nĐã đủ sự đồng ý cần có."
    assert await telegram.say("/xem văn") == (
        f"Có 3 người khớp \"văn\". Chọn một người.\n\n{no[AN]}. N.V.A. — Quần chúng ưu tú (nguồn)\n"
        f"{no[KHOA]}. Đ.V.K. — Cảm tình Đảng\n{no[TAI]}. M.V.T. — Đã đưa ra khỏi danh sách\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")
    assert (await talk("bithu").say("/xem văn")).splitlines()[2] == (  # the console: names and birth years
        f"{no[AN]}. Nguyễn Văn An (1998) — Quần chúng ưu tú (nguồn)")


async def test_on_a_channel_not_allowed_the_dossier_shows_initials(talk, demo, no):
    await _only_zalo(demo)
    telegram = Convo(demo, account="bithu-tg", channel="telegram")
    assert (await telegram.say(f"/hoso {no[KHOA]}")).splitlines()[0] == (
        f"Hồ sơ kết nạp của {no[KHOA]}. Đ.V.K. (Cảm tình Đảng từ 03/10/2025)")
    assert (await talk("bithu").say(f"/hoso {no[KHOA]}")).splitlines()[0] == (
        f"Hồ sơ kết nạp của {no[KHOA]}. Đinh Văn Khoa (Cảm tình Đảng từ 03/10/2025)")


async def test_on_a_channel_not_allowed_a_candidate_sees_their_own_initials(talk, demo):
    await _only_zalo(demo)
    await _link_an(talk, demo)
    await talk("an").say("1")
    async with demo.sessions() as session, session.begin():
        link = (await session.exec(select(ChatLink).where(ChatLink.account_id == "an"))).one()
        link.channel, link.account_id = "telegram", "an-tg"
    assert await Convo(demo, account="an-tg", channel="telegram").say("/toi") == (
        f"N.V.A. — {BRANCH}\n- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
        "- Đảng viên giúp đỡ: chưa phân công\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026\n\n"
        "Có gì chưa đúng, xin báo bí thư chi bộ.")


def giupdo_summary(telegram: bool = False, agreed: str | None = None) -> str:
    choices = ("1. Xin sửa thông tin\n2. Rút lại sự đồng ý\n3. Xin xoá dữ liệu" if agreed
               else "1. Đồng ý cho chibo giữ các dữ liệu trên\n2. Xin sửa thông tin\n3. Xin xoá dữ liệu")
    return ("Dữ liệu chibo giữ về bạn:\n- Họ tên: Trần Văn Bình\n"
            f"- Vai trò: đảng viên giúp đỡ — {BRANCH}\n"
            f"- Tài khoản chat: máy của chi bộ{', Telegram' if telegram else ''}\n"
            "- Danh sách đảng viên của chi bộ: đảng viên chính thức từ 04/03/2017\n"
            "- Ai xem được: bí thư, phó bí thư chi bộ và cấp ủy cấp trên; ai đọc hay sửa đều được ghi lại.\n"
            "- Để làm gì: để bạn làm việc của chi bộ trên chibo; giữ đến khi bạn thôi vai trò hoặc xin xoá.\n"
            f"- Đồng ý: {agreed or 'chưa có'}\n\n"
            "Bạn muốn yêu cầu gì? (/huy nếu chỉ xem)\n\n"
            f"{choices}\n{CHOICES}")


async def test_a_sponsor_sees_their_own_data_and_asks_to_correct_it(talk, demo):
    bithu, giupdo = talk("bithu"), talk("giupdo")
    assert await giupdo.say("/dulieu") == giupdo_summary()  # no consent of theirs to withdraw
    await giupdo.say("2")
    await giupdo.say("Tên đúng là Trần Văn Bính")
    assert await giupdo.say("1") == ("Đã ghi yêu cầu của bạn và báo cho bí thư chi bộ. Chi bộ trả lời trước ngày "
                                     "04/03/2026 và xử lý xong trước ngày 23/03/2026.")
    assert await bithu.say("/yeucau") == (
        "Yêu cầu nào? Chọn một dòng dưới đây, hoặc gõ một phần họ tên.\n\n"
        f"1. Trần Văn Bình: xin sửa thông tin ngày 02/03/2026, hạn xử lý 23/03/2026\n{CHOICES}")
    await bithu.say("1")
    await bithu.say("2")
    await bithu.say("Đã sửa tên")
    assert await bithu.say("1") == ("Đã ghi xong yêu cầu của Trần Văn Bình: chibo không nhắc về yêu cầu này nữa.\n"
                                    "Người đó sẽ nhận tin báo trên chibo.")
    assert await giupdo.say("/dulieu") == giupdo_summary()  # the request is done
    [request] = await _requests(demo)
    assert (request.candidate_id, request.org_id is not None, request.done_on) == (None, True, date(2026, 3, 2))


async def _giupdo_on_telegram(demo) -> Convo:
    async with demo.sessions() as session, session.begin():
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "giupdo"))).one()
        session.add(ChatLink(channel="telegram", account_id="giupdo-tg", person_id=person, linked_at=demo.clock.now()))
    return Convo(demo, account="giupdo-tg", channel="telegram")


async def test_on_telegram_dulieu_sends_the_persons_export_as_a_workbook(talk, demo):
    telegram = await _giupdo_on_telegram(demo)
    assert await telegram.say("/dulieu") == (
        f"Toàn bộ dữ liệu chibo giữ về bạn: tệp du-lieu-cua-toi.xlsx\n\n{giupdo_summary(telegram=True)}")
    [file] = [m.file for m in telegram.last if m.file is not None]
    assert (file.name, file.mime) == ("du-lieu-cua-toi.xlsx", XLSX)
    sheets = load_workbook(BytesIO(file.data))
    assert "Trần Văn Bình" in [c.value for c in sheets.worksheets[0][2]]
    assert await talk("giupdo").say("/dulieu") == giupdo_summary(telegram=True)  # no file on the console


async def test_on_telegram_not_allowed_dulieu_sends_no_file(talk, demo):
    await _only_zalo(demo)
    telegram = await _giupdo_on_telegram(demo)
    assert await telegram.say("/dulieu") == giupdo_summary(telegram=True)
    assert [m.file for m in telegram.last if m.file is not None] == []


async def test_a_sponsor_agrees_in_chat_and_withdraws(talk, demo):
    giupdo = talk("giupdo")
    await giupdo.say("/dulieu")
    assert await giupdo.say("1") == (
        "Xin kiểm tra lại trước khi gửi yêu cầu:\n- Yêu cầu: Đồng ý cho chibo giữ các dữ liệu trên\n\n"
        f"1. Lưu\n2. Sửa yêu cầu\n3. Hủy\n{CHOICES}")
    assert await giupdo.say("1") == ("Cảm ơn bạn. Đã ghi sự đồng ý của bạn (hôm nay), để bạn làm việc của chi bộ "
                                     "trên chibo. Bạn có thể rút lại bất cứ lúc nào: /dulieu")
    async with demo.sessions() as session:
        [consent] = (await session.exec(select(Consent).where(Consent.person_id.is_not(None)))).all()
    assert (consent.candidate_id, consent.given_by, consent.method, consent.categories, consent.purposes,
            consent.given_on) == (None, GivenBy.self, Method.chat, "basic", "branch_work", date(2026, 3, 2))
    assert await giupdo.say("/dulieu") == giupdo_summary(agreed="của bạn, trong chat ngày 02/03/2026")
    await giupdo.say("2")
    assert await giupdo.say("1") == ("Đã ghi yêu cầu của bạn và báo cho bí thư chi bộ. Chi bộ trả lời trước ngày "
                                     "04/03/2026 và xử lý xong trước ngày 23/03/2026.")
    assert await giupdo.say("/dulieu") == giupdo_summary().replace(
        "\n\nBạn muốn", "\n- Yêu cầu ngày 02/03/2026: rút lại sự đồng ý, hạn trả lời 04/03/2026, hạn xử lý "
        "23/03/2026\n\nBạn muốn")
    await giupdo.say("/huy")
    assert "4. /cuatoi" in await giupdo.say("/trogiup")  # an officer keeps working: the notice gates candidates only
    async with demo.sessions() as session:  # and `chibo person export` holds both
        subject = await subject_of(session=session, person_id=consent.person_id)
        data = await person_data(session=session, subject=subject)
    assert [(r["purposes"], r["withdrawn_at"] is not None) for r in data["consents"]] == [("branch_work", True)]
    assert [(r["kind"], r["candidate_id"]) for r in data["requests"]] == [("withdraw", None)]


async def test_a_committee_members_request_goes_to_the_operator_not_to_a_branch(talk, demo, caplog):
    """captren holds a committee role only: no branch secretary above them in chibo answers it;
    the operator does (`chibo person requests`, tests/test_cli_person_requests.py), told by the log."""
    captren = talk("captren")
    await captren.say("/dulieu")
    await captren.say("3")
    assert await captren.say("1") == (
        "Đã ghi yêu cầu của bạn và chuyển cho người quản trị chibo (cấp ủy không có bí thư chi bộ trên chibo). "
        "Người quản trị trả lời trước ngày 04/03/2026 và xử lý xong trước ngày 23/03/2026.")
    [request] = await _requests(demo)
    async with demo.sessions() as session:
        committee = (await session.exec(select(Organisation).where(Organisation.name == COMMITTEE))).one()
        told = (await session.exec(select(Outbox).where(Outbox.kind == "data_request"))).all()
    assert (request.kind, request.candidate_id, request.org_id) == ("erase", None, committee.id)  # its own
    assert told == []  # no branch's secretary is told of it, nor answers it with /yeucau
    assert await talk("bithu").say("/yeucau") == "Không có yêu cầu nào về dữ liệu cá nhân đang chờ xử lý."
    assert [r.getMessage() for r in caplog.records if r.name == "handlers.my_data"] == [
        f"data request {request.id} awaits the operator: chibo person requests"]


PEOPLE = ("Ghi sự đồng ý trên giấy của ai? Chọn một người dưới đây, hoặc gõ một phần họ tên.\n\n"
          "1. Đỗ Thị Mai — đảng viên giúp đỡ, trong danh sách đảng viên\n"
          "2. Đoàn Thị Thảo — trong danh sách đảng viên\n"
          "3. Hồ Thị Ngọc Hân — trong danh sách đảng viên\n"
          "4. Lê Thị Kim Oanh — trong danh sách đảng viên\n"
          "5. Nguyễn Hữu Phước — trong danh sách đảng viên\n"
          "6. Nguyễn Thị Thu — bí thư, trong danh sách đảng viên\n"
          "7. Phan Văn Hùng — phó bí thư, trong danh sách đảng viên\n"
          "8. Phùng Quang Vinh — trong danh sách đảng viên\n"
          "9. Trần Văn Bình — đảng viên giúp đỡ, trong danh sách đảng viên\n"
          "10. Trương Văn Dũng — trong danh sách đảng viên\n"
          f"{CHOICES}")


def member_confirm(who: str, day: str) -> str:
    return ("Xin kiểm tra lại trước khi ghi sự đồng ý trên giấy:\n"
            f"- Người được ghi: {who}\n- Ngày ký: {day}\n\n"
            f"1. Lưu\n2. Sửa loại người được ghi\n3. Sửa người được ghi\n4. Sửa ngày ký\n5. Hủy\n{CHOICES}")


def member_saved(name: str, day: str) -> str:
    return (f"Đã ghi sự đồng ý trên giấy của {name} (ngày ký {day}): chibo giữ họ tên, vai trò, tài khoản chat và "
            "dòng trong danh sách đảng viên của người này để họ làm việc của chi bộ. Người đó rút lại được bằng "
            "/dulieu, hoặc báo chi bộ.")


async def test_the_secretary_records_a_sponsors_paper_consent_and_the_sponsor_sees_it(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/dongy", f"Sự đồng ý trên giấy của ai?\n\n{WHOM}"),
        ("2", PEOPLE),
        ("bình", 'Ngày ký (dd/mm/yyyy hoặc "hôm nay")?'),
        ("01/03/2026", member_confirm("Trần Văn Bình — đảng viên giúp đỡ, trong danh sách đảng viên", "01/03/2026")),
        ("1", member_saved("Trần Văn Bình", "01/03/2026")),
    ])
    async with demo.sessions() as session:
        [consent] = (await session.exec(select(Consent).where(Consent.person_id.is_not(None)))).all()
        giupdo = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "giupdo"))).one()
        bithu_id = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
        audits = (await session.exec(select(AuditLog.person_id, AuditLog.action, AuditLog.subject)
                                     .where(AuditLog.action == "candidate.consent"))).all()
    assert (consent.person_id, consent.candidate_id, consent.given_by, consent.method, consent.given_on,
            consent.recorded_by, consent.categories, consent.purposes) == (
        giupdo, None, GivenBy.self, Method.paper, date(2026, 3, 1), bithu_id, "basic", "branch_work")
    assert audits == [(bithu_id, "candidate.consent", f"person:{giupdo}")]
    assert await talk("giupdo").say("/dulieu") == giupdo_summary(agreed="của bạn, trên giấy ngày 01/03/2026")


async def test_a_roster_member_without_a_chat_gets_a_person_for_their_paper_consent(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/dongy", f"Sự đồng ý trên giấy của ai?\n\n{WHOM}"),
        ("2", PEOPLE),
        ("xyz", 'Không có ai trong chi bộ khớp với "xyz". Xin chọn một dòng dưới đây.\n' + PEOPLE),
        ("thảo", 'Ngày ký (dd/mm/yyyy hoặc "hôm nay")?'),
        ("hôm nay", member_confirm("Đoàn Thị Thảo — trong danh sách đảng viên", "02/03/2026")),
        ("1", member_saved("Đoàn Thị Thảo", "02/03/2026")),
    ])
    async with demo.sessions() as session:
        member = (await session.exec(select(PartyMember).where(PartyMember.full_name == "Đoàn Thị Thảo"))).one()
        [consent] = (await session.exec(select(Consent).where(Consent.person_id.is_not(None)))).all()
        subject = await subject_of(session=session, person_id=member.person_id)
        data = await person_data(session=session, subject=subject)
    assert member.person_id is not None and consent.person_id == member.person_id
    assert [(c["method"], c["given_on"]) for c in data["consents"]] == [("paper", "2026-03-02")]  # in the export
    await bithu.say("/dongy")
    await bithu.say("2")
    assert (await bithu.say("thảo")) == 'Ngày ký (dd/mm/yyyy hoặc "hôm nay")?'  # one row still, now by person


async def test_on_a_channel_not_allowed_the_members_list_shows_initials(talk, demo):
    await _only_zalo(demo)
    telegram = Convo(demo, account="bithu-tg", channel="telegram")
    await telegram.say("/dongy")
    assert (await telegram.say("2")).splitlines()[2:4] == [
        "1. Đ.T.M. — đảng viên giúp đỡ, trong danh sách đảng viên", "2. Đ.T.T. — trong danh sách đảng viên"]
    await telegram.say("9")
    assert (await telegram.say("hôm nay")).splitlines()[1] == (
        "- Người được ghi: T.V.B. — đảng viên giúp đỡ, trong danh sách đảng viên")


async def test_on_a_channel_not_allowed_yeucau_names_the_person_by_initials(talk, demo, no):
    await _only_zalo(demo)
    an = talk("an")
    await _link_an(talk, demo)
    await an.say("/dulieu")
    await an.say("2")
    await an.say("1")
    telegram = Convo(demo, account="bithu-tg", channel="telegram")
    row = f"{no[AN]}. N.V.A.: rút lại sự đồng ý ngày 02/03/2026, hạn xử lý 23/03/2026"  # his register number
    assert await telegram.say("/yeucau") == (
        f"Yêu cầu nào? Chọn một dòng dưới đây, hoặc gõ một phần họ tên.\n\n1. {row}\n{CHOICES}")
    await telegram.say("nguyễn văn")  # found by the name typed, shown by initials
    assert await telegram.say("1") == (
        f"Xin kiểm tra lại trước khi ghi:\n- Yêu cầu: {row}\n- Ghi: Đã trả lời, đang xử lý\n\n"
        f"1. Lưu\n2. Sửa yêu cầu\n3. Sửa việc ghi\n4. Hủy\n{CHOICES}")
    async with demo.sessions() as session:
        kept = json.dumps([c.data for c in (await session.exec(select(Conversation))).all()], ensure_ascii=False)
    assert "Nguyễn" not in kept and "nguyen" not in kept  # the answer kept holds the initials only
    assert await telegram.say("1") == (
        f"Đã ghi đã trả lời yêu cầu của {no[AN]}. N.V.A. Còn phải xử lý xong trước ngày 23/03/2026: ghi lại bằng "
        "/yeucau khi xong.\nNgười đó sẽ nhận tin báo trên chibo.")
    assert (await talk("bithu").say("/yeucau")).splitlines()[2] == (  # the console: the name
        f"1. {no[AN]}. Nguyễn Văn An: rút lại sự đồng ý ngày 02/03/2026, đã trả lời, hạn xử lý 23/03/2026")
