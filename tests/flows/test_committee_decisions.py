"""The committee's decisions that move a deadline (issue 13, item 5): its consent to a late
admission ceremony (who, when), and its extensions of the admission and recognition decisions
(+30 working days), recorded by the branch's secretary from the committee's paper; an extended
decision is overdue only past its new day."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models import deadlines as d
from models.candidate import Candidate
from models.dossier import AdmissionRecord
from models.org import Organisation
from tests.support import numbers_of
from tests.texts import HINT

TODAY = date(2026, 3, 2)
# Register numbers are looked up by name (the `no` fixture, tests/support.py number_of).
HUY, ANH, DUC = "Bùi Quốc Huy", "Hoàng Mai Anh", "Tạ Minh Đức"
RESOLUTION = date(2026, 2, 5)  # Huy's branch resolution in the demo
RECEIVED = date(2026, 2, 15)  # Đức's decision reached the branch
DATE_HINT = "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\"."


def today_choice(day: date) -> str:
    """A date question offers today as its default."""
    return f"\n\n1. Hôm nay ({day:%d/%m/%Y})\n(Trả lời bằng số hoặc bằng chữ)"


def vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers these tests type and expect, looked up by name."""
    return await numbers_of(demo, (HUY, ANH, DUC))


async def record_of(demo, full_name: str) -> tuple[Candidate, AdmissionRecord]:
    async with demo.sessions() as session:
        c = (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                .where(Organisation.name == BRANCH, Candidate.full_name == full_name))).one()
        return c, await session.get(AdmissionRecord, c.id)


async def set_record(demo, full_name: str, **values) -> None:
    c, _ = await record_of(demo, full_name)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(AdmissionRecord).where(AdmissionRecord.candidate_id == c.id).values(**values))


CHOICES_END = "(Trả lời bằng số hoặc bằng chữ)"


def duc_head(no: dict[str, int]) -> str:
    return (f"{no[DUC]}. Tạ Minh Đức — Có quyết định kết nạp từ 15/02/2026\n"
            "- Quyết định kết nạp số 125-QĐ/ĐU ngày 10/02/2026.\n")


ASK_CONSENT = (
    "Lưu ý: ngày 04/04/2026 đã quá hạn 30 ngày làm việc kể từ ngày chi bộ nhận quyết định kết nạp. Tổ chức lễ "
    "kết nạp muộn phải được cấp ủy cấp trên đồng ý.\n"
    "Cấp ủy nào đã đồng ý, bằng văn bản nào? (ví dụ: Ban Thường vụ Đảng ủy, Công văn 15-CV/ĐU; tối đa 200 ký tự)\n"
    f"{HINT}")  # no "Bỏ qua": skipping is always refused for a late ceremony
ASK_CONSENT_ON = f"Ngày cấp ủy cấp trên đồng ý cho tổ chức lễ muộn?\n{DATE_HINT}\n{HINT}" + today_choice(
    date(2026, 4, 7))  # the day the late ceremony is recorded


def huy_head(no: dict[str, int]) -> str:
    return (f"{no[HUY]}. Bùi Quốc Huy — Đã đề nghị kết nạp từ 05/02/2026\n"
            "- Chi bộ ra nghị quyết đề nghị kết nạp ngày 05/02/2026 (9/11 đảng viên chính thức đồng ý).\n")


def ask_outcome(no: dict[str, int]) -> str:
    return ("Ghi quyết định của cấp ủy: kết nạp (ngày, số quyết định, ngày chi bộ nhận), không kết nạp (kèm lý do), "
            "hoặc gia hạn.\n\n"
            f"Cấp ủy có thẩm quyền đã quyết định thế nào về việc kết nạp {no[HUY]}. Bùi Quốc Huy?\n{HINT}\n\n"
            "1. Kết nạp (đã có quyết định)\n2. Không kết nạp\n3. Gia hạn thêm 30 ngày làm việc\n" + CHOICES_END)


ASK_EXTENDED_BY = ("Cấp ủy nào gia hạn, bằng văn bản nào? (ví dụ: Ban Thường vụ Đảng ủy, Công văn 20-CV/ĐU; "
                   f"tối đa 200 ký tự)\n{HINT}")
ASK_EXTENDED_ON = f"Ngày cấp ủy gia hạn?\n{DATE_HINT}\n{HINT}" + today_choice(TODAY)


def anh_head(no: dict[str, int]) -> str:
    return (f"{no[ANH]}. Hoàng Mai Anh — đảng viên dự bị\n"
            "- Lễ kết nạp ngày 14/08/2025; hết 12 tháng dự bị ngày 14/08/2026.\n"
            "- Tuổi đảng (tính từ ngày quyết định kết nạp 30/07/2025): 1 năm 1 tháng.\n"
            "- Lưu ý: chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới (cần cho hồ sơ công nhận).\n"
            "- Chi bộ đã ra nghị quyết đề nghị công nhận ngày 24/08/2026 (9/11 đảng viên chính thức đồng ý); cấp ủy "
            "quyết định trong 30 ngày làm việc")


def ask_decision_action(no: dict[str, int]) -> str:
    return ("Ghi quyết định của cấp ủy: công nhận đảng viên chính thức (ngày, số quyết định), xóa tên (kèm lý do), "
            f"hoặc gia hạn.\n\nCấp ủy đã quyết định thế nào về đảng viên dự bị {no[ANH]}. Hoàng Mai Anh?\n{HINT}\n\n"
            "1. Công nhận đảng viên chính thức\n2. Xóa tên\n3. Gia hạn thêm 30 ngày làm việc\n" + CHOICES_END)


# ---- a late ceremony needs the committee above's consent -------------------------------------

async def late_ceremony(talk, demo, no):
    """Đức's ceremony the day after its last day in time (03/04/2026), asked a few days later."""
    late = d.ceremony_due(RECEIVED) + timedelta(days=1)
    assert late == date(2026, 4, 4)
    demo.clock.advance(days=(late - TODAY).days + 3)
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[DUC]}")
    return bithu, late, await bithu.say(vn(late))


async def test_a_late_ceremony_asks_who_consented_and_when_and_records_both(talk, demo, no):
    bithu, late, ask = await late_ceremony(talk, demo, no)
    assert ask == ASK_CONSENT
    assert await bithu.say("Ban Thường vụ Đảng ủy, Công văn 15-CV/ĐU") == ASK_CONSENT_ON
    assert await bithu.say("02/04/2026") == (
        f"Xin kiểm tra lại trước khi lưu — {no[DUC]}. Tạ Minh Đức:\n"
        "- Ngày lễ kết nạp: 04/04/2026\n"
        "- Cấp ủy cấp trên đồng ý cho lễ muộn: Ban Thường vụ Đảng ủy, Công văn 15-CV/ĐU, ngày 02/04/2026\n"
        "Khi lưu: chuyển sang giai đoạn \"Đảng viên dự bị\" từ ngày lễ kết nạp.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa ngày lễ kết nạp\n4. Sửa văn bản đồng ý\n5. Sửa ngày đồng ý\n6. Hủy\n"
        + CHOICES_END)
    assert await bithu.say("Lưu") == (
        "Đã ghi lễ kết nạp Tạ Minh Đức ngày 04/04/2026; từ ngày này Tạ Minh Đức là đảng viên dự bị.\n"
        "Lưu ý: lễ kết nạp muộn hơn hạn 03/04/2026 (30 ngày làm việc kể từ ngày nhận quyết định) — đã ghi cấp ủy "
        "cấp trên đồng ý: Ban Thường vụ Đảng ủy, Công văn 15-CV/ĐU, ngày 02/04/2026.\n"
        "- Hết 12 tháng dự bị: 04/04/2027.\n"
        f"- Khai lý lịch đảng viên trong 30 ngày làm việc: hạn 20/05/2026 (khi khai xong: /ketnap {no[DUC]}).\n"
        "- Tuổi đảng tính từ ngày quyết định kết nạp 10/02/2026.")
    c, record = await record_of(demo, DUC)
    assert (c.stage, record.ceremony_on) == ("probationary", late)
    assert (record.ceremony_consent_by, record.ceremony_consent_on) == (
        "Ban Thường vụ Đảng ủy, Công văn 15-CV/ĐU", date(2026, 4, 2))


async def test_a_late_ceremony_without_the_committee_s_consent_is_refused(talk, demo, no):
    bithu, late, _ = await late_ceremony(talk, demo, no)
    assert await bithu.say("Bỏ qua") == (
        "Lễ kết nạp ngày 04/04/2026 muộn hơn hạn 03/04/2026 (30 ngày làm việc kể từ ngày chi bộ nhận quyết định) "
        "nên chỉ được ghi khi có cấp ủy cấp trên đồng ý (Quy định 294-QĐ/TW, mục 4.1).\n" + ASK_CONSENT)
    c, record = await record_of(demo, DUC)
    assert c.stage == "admitted" and record.ceremony_on is None


async def test_a_consent_given_after_the_ceremony_is_refused(talk, demo, no):
    bithu, late, _ = await late_ceremony(talk, demo, no)
    await bithu.say("Công văn 15-CV/ĐU")
    assert await bithu.say("05/04/2026") == (
        "Cấp ủy cấp trên phải đồng ý trước khi tổ chức lễ muộn: ngày đồng ý 05/04/2026 sau ngày lễ kết nạp "
        "04/04/2026.\n" + ASK_CONSENT_ON)


async def test_a_consent_given_before_the_decision_reached_the_branch_is_refused(talk, demo, no):
    bithu, late, _ = await late_ceremony(talk, demo, no)
    await bithu.say("Công văn 15-CV/ĐU")
    assert await bithu.say("14/02/2026") == (
        "Ngày 14/02/2026 sớm hơn ngày chi bộ nhận quyết định kết nạp (15/02/2026). Xin kiểm tra lại.\n"
        + ASK_CONSENT_ON)


async def test_a_ceremony_on_its_last_day_asks_no_consent(talk, demo, no):
    due = d.ceremony_due(RECEIVED)
    demo.clock.advance(days=(due - TODAY).days)
    bithu = talk("bithu")
    assert await bithu.say(f"/ketnap {no[DUC]}") == (
        duc_head(no)
        + "- Chi bộ nhận quyết định ngày 15/02/2026; lễ kết nạp trong 30 ngày làm việc: hạn 03/04/2026.\n\n"
        "Ghi ngày lễ kết nạp.\n\n"
        f"Ngày tổ chức lễ kết nạp {no[DUC]}. Tạ Minh Đức? Từ ngày này người đó là đảng viên dự bị.\n{DATE_HINT}\n{HINT}"
        + today_choice(date(2026, 4, 3)))
    assert await bithu.say("hôm nay") == (
        f"Xin kiểm tra lại trước khi lưu — {no[DUC]}. Tạ Minh Đức:\n"
        "- Ngày lễ kết nạp: 03/04/2026\n"
        "Khi lưu: chuyển sang giai đoạn \"Đảng viên dự bị\" từ ngày lễ kết nạp.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa ngày lễ kết nạp\n4. Hủy\n" + CHOICES_END)


# ---- the committee extends its time to decide -----------------------------------------------

async def test_the_committee_s_extension_of_the_admission_decision_moves_its_deadline(talk, demo, no):
    bithu = talk("bithu")
    assert await bithu.say(f"/ketnap {no[HUY]}") == (
        huy_head(no) + "- Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: hạn 12/05/2026.\n\n"
        + ask_outcome(no))
    assert await bithu.say("Gia hạn") == ASK_EXTENDED_BY
    assert await bithu.say("Ban Thường vụ Đảng ủy, Công văn 20-CV/ĐU") == ASK_EXTENDED_ON
    assert await bithu.say("hôm nay") == (
        f"Xin kiểm tra lại trước khi lưu — {no[HUY]}. Bùi Quốc Huy:\n"
        "- Quyết định của cấp ủy: Gia hạn thêm 30 ngày làm việc\n"
        "- Cấp ủy gia hạn: Ban Thường vụ Đảng ủy, Công văn 20-CV/ĐU\n"
        "- Ngày gia hạn: 02/03/2026\n"
        "Khi lưu: hạn quyết định kết nạp thêm 30 ngày làm việc; người này vẫn ở giai đoạn \"Đã đề nghị kết nạp\".\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa quyết định\n4. Sửa văn bản gia hạn\n5. Sửa ngày gia hạn\n6. Hủy\n"
        + CHOICES_END)
    assert d.admission_decision_due(RESOLUTION, extended=True) == date(2026, 6, 23)
    assert await bithu.say("Lưu") == (
        "Đã ghi: cấp ủy gia hạn quyết định kết nạp Bùi Quốc Huy thêm 30 ngày làm việc (ngày 02/03/2026; Ban "
        "Thường vụ Đảng ủy, Công văn 20-CV/ĐU). Hạn mới: 23/06/2026.\n"
        f"Khi có quyết định: /ketnap {no[HUY]}")
    c, record = await record_of(demo, HUY)
    assert (c.stage, record.decision_extended_on, record.decision_extended_by) == (
        "proposed", TODAY, "Ban Thường vụ Đảng ủy, Công văn 20-CV/ĐU")
    assert await bithu.say(f"/ketnap {no[HUY]}") == (
        huy_head(no) + "- Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc, đã gia hạn thêm 30 ngày làm việc "
        "(ngày 02/03/2026): hạn 23/06/2026.\n\n" + ask_outcome(no))


async def test_a_second_extension_is_refused(talk, demo, no):
    await set_record(demo, HUY, decision_extended_on=date(2026, 2, 20), decision_extended_by="Công văn 20-CV/ĐU")
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[HUY]}")
    assert await bithu.say("Gia hạn") == (
        "Cấp ủy đã gia hạn quyết định kết nạp ngày 20/02/2026; chỉ được gia hạn một lần, thêm 30 ngày làm việc "
        "(Quy định 294-QĐ/TW, mục 4.3).\n" + ask_outcome(no).split("\n\n", 1)[1])


async def test_an_extension_dated_before_the_branch_s_resolution_is_refused(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[HUY]}")
    await bithu.say("Gia hạn")
    await bithu.say("Công văn 20-CV/ĐU")
    assert await bithu.say("04/02/2026") == (
        "Ngày 04/02/2026 sớm hơn ngày chi bộ ra nghị quyết đề nghị kết nạp (05/02/2026). Xin kiểm tra lại.\n"
        + ASK_EXTENDED_ON)


async def test_an_extension_dated_in_the_future_is_refused(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[HUY]}")
    await bithu.say("Gia hạn")
    await bithu.say("Công văn 20-CV/ĐU")
    assert await bithu.say("03/03/2026") == "Ngày 03/03/2026 chưa tới (hôm nay là 02/03/2026).\n" + ASK_EXTENDED_ON


async def test_the_committee_s_extension_of_the_recognition_decision(talk, demo, no):
    probation_end = date(2026, 8, 14)
    demo.clock.advance(days=(probation_end - TODAY).days + 40)  # 23/09/2026
    await set_record(demo, ANH, recognition_resolution_on=probation_end + timedelta(days=10),
                     recognition_votes_for=9, recognition_members=11)
    bithu = talk("bithu")
    assert await bithu.say(f"/chinhthuc {no[ANH]}") == anh_head(no) + ": hạn 08/10/2026.\n\n" + ask_decision_action(no)
    assert await bithu.say("Gia hạn") == ASK_EXTENDED_BY
    await bithu.say("Ban Thường vụ Đảng ủy, Công văn 31-CV/ĐU")
    assert await bithu.say("hôm nay") == (
        f"Xin kiểm tra lại trước khi lưu — {no[ANH]}. Hoàng Mai Anh:\n"
        "- Việc cần ghi: Gia hạn thêm 30 ngày làm việc\n"
        "- Cấp ủy gia hạn: Ban Thường vụ Đảng ủy, Công văn 31-CV/ĐU\n"
        "- Ngày gia hạn: 23/09/2026\n"
        "Khi lưu: hạn quyết định công nhận thêm 30 ngày làm việc; người này vẫn là đảng viên dự bị.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa việc cần ghi\n4. Sửa văn bản gia hạn\n5. Sửa ngày gia hạn\n6. Hủy\n"
        + CHOICES_END)
    assert await bithu.say("Lưu") == (
        "Đã ghi: cấp ủy gia hạn quyết định công nhận đảng viên chính thức cho Hoàng Mai Anh thêm 30 ngày làm việc "
        "(ngày 23/09/2026; Ban Thường vụ Đảng ủy, Công văn 31-CV/ĐU). Hạn mới: 19/11/2026.\n"
        f"Khi có quyết định: /chinhthuc {no[ANH]}")
    _, record = await record_of(demo, ANH)
    assert record.recognition_extended_on == demo.clock.today()
    assert await bithu.say(f"/chinhthuc {no[ANH]}") == (
        anh_head(no) + ", đã gia hạn thêm 30 ngày làm việc (ngày 23/09/2026): hạn 19/11/2026.\n\n"
        + ask_decision_action(no))
    assert await bithu.say("Gia hạn") == (
        "Cấp ủy đã gia hạn quyết định công nhận đảng viên chính thức ngày 23/09/2026; chỉ được gia hạn một lần, "
        "thêm 30 ngày làm việc (Quy định 294-QĐ/TW, mục 4.2).\n" + ask_decision_action(no).split("\n\n", 1)[1])


# ---- what the committee sees: an extended decision is overdue only past its new day ------------

def digest(on: str, main_overdue: str, second_quiet: str = "") -> str:
    """The committee's /tonghop on a later day: what varies is the demo branch's overdue items."""
    return (f"Tổng hợp ngày {on}: 2 chi bộ (chỉ xem).\n"
            "\n"
            "Chỉ tiêu của Đảng ủy Khối Giáo dục (demo):\n"
            "- Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/5 — còn thiếu 5\n"
            "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
            "\n"
            "Chi bộ Khoa Toán, ĐH Sư phạm (demo):\n"
            "- Số người theo giai đoạn: Quần chúng ưu tú (nguồn) 1; Cảm tình Đảng 1\n"
            "- Chỉ tiêu: Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/2 — còn thiếu 2\n"
            "  + Học sinh, sinh viên: 0/2 (còn thiếu 2)\n"
            f"- Không có việc quá hạn.{second_quiet}\n"
            "\n"
            "Chi bộ Trường THPT Trần Phú (demo):\n"
            "- Số người theo giai đoạn: Quần chúng ưu tú (nguồn) 4; Cảm tình Đảng 3; Học lớp nhận thức về Đảng 2; "
            "Đang làm hồ sơ 1; Đã đề nghị kết nạp 1; Có quyết định kết nạp 1; Đảng viên dự bị 1; Đảng viên chính "
            "thức 1; Đã đưa ra khỏi danh sách 1\n"
            "- Chỉ tiêu: Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/3 — còn thiếu 3\n"
            "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
            "  + Đoàn viên: 0/2 (còn thiếu 2)\n"
            + main_overdue)


async def test_an_extended_admission_decision_is_not_overdue_until_its_new_day(talk, demo, no):
    await set_record(demo, HUY, decision_extended_on=date(2026, 3, 1), decision_extended_by="Công văn 20-CV/ĐU")
    demo.clock.advance(days=(date(2026, 5, 13) - TODAY).days)  # the day after the first 60 working days
    assert await talk("captren").say("/tonghop") == digest(  # Bùi Quốc Huy is not overdue
        "13/05/2026",
        "- Quá hạn:\n"
        f"  + {no[DUC]}. Tạ Minh Đức: chưa tổ chức lễ kết nạp; nhận quyết định ngày 15/02/2026, hạn 03/04/2026 "
        "(Quy định 294-QĐ/TW, mục 4.1)")
    demo.clock.advance(days=(date(2026, 6, 24) - date(2026, 5, 13)).days)  # past the 30 more
    assert await talk("captren").say("/tonghop") == digest(
        "24/06/2026",
        "- Quá hạn:\n"
        f"  + {no[HUY]}. Bùi Quốc Huy: chưa có quyết định kết nạp; nghị quyết chi bộ ngày 05/02/2026, hạn 23/06/2026 "
        "(Quy định 294-QĐ/TW, mục 4.3)\n"
        f"  + {no[DUC]}. Tạ Minh Đức: chưa tổ chức lễ kết nạp; nhận quyết định ngày 15/02/2026, hạn 03/04/2026 "
        "(Quy định 294-QĐ/TW, mục 4.1)\n"
        "- (!) Không có chuyển biến nào trong 90 ngày qua (lần cuối 15/02/2026).",
        second_quiet="\n- (!) Không có chuyển biến nào trong 90 ngày qua (lần cuối 20/02/2026).")


async def test_an_extended_recognition_decision_is_not_overdue_until_its_new_day(talk, demo):
    resolved = date(2026, 1, 1)
    due, extended = d.recognition_decision_due(resolved), d.recognition_decision_due(resolved, extended=True)
    await set_record(demo, ANH, recognition_resolution_on=resolved, recognition_extended_on=date(2026, 1, 20),
                     recognition_extended_by="Công văn 31-CV/ĐU")
    demo.clock.advance(days=(due - TODAY).days + 1)
    assert "Hoàng Mai Anh" not in await talk("captren").say("/tonghop")
    demo.clock.advance(days=(extended - due).days)
    assert (f"Hoàng Mai Anh: chưa có quyết định công nhận đảng viên chính thức; nghị quyết chi bộ ngày 01/01/2026, "
            f"hạn {vn(extended)}") in await talk("captren").say("/tonghop")
