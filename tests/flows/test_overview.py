"""/tonghop: the committee's read-only digest of its branches — stages, targets, overdue, stalled."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.candidate import Candidate
from models.deadlines import admission_decision_due, ceremony_due
from models.dossier import AdmissionRecord
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.stage import OrgKind, Stage
from tests.support import numbers_of
from tests.texts import NOT_ALLOWED, NOT_LINKED, SCHOOL_YEAR

TODAY = date(2026, 3, 2)


MAIN_STAGES = ("Quần chúng ưu tú (nguồn) 4; Cảm tình Đảng 3; Học lớp nhận thức về Đảng 2; Đang làm hồ sơ 1; "
               "Đã đề nghị kết nạp 1; Có quyết định kết nạp 1; Đảng viên dự bị 1; Đảng viên chính thức 1; "
               "Đã đưa ra khỏi danh sách 1")
# captren's whole /tonghop on the demo data, on Monday 2 March 2026
DIGEST_ON_THE_FIRST_DAY = (
    "Tổng hợp ngày 02/03/2026: 2 chi bộ (chỉ xem).\n"
    "\n"
    f"Chỉ tiêu của {COMMITTEE}:\n"
    "- Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/5 — còn thiếu 5\n"
    "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
    "\n"
    f"{SECOND_BRANCH}:\n"
    "- Số người theo giai đoạn: Quần chúng ưu tú (nguồn) 1; Cảm tình Đảng 1\n"
    "- Chỉ tiêu: Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/2 — còn thiếu 2\n"
    "  + Học sinh, sinh viên: 0/2 (còn thiếu 2)\n"
    "- Không có việc quá hạn.\n"
    "\n"
    f"{BRANCH}:\n"
    f"- Số người theo giai đoạn: {MAIN_STAGES}\n"
    "- Chỉ tiêu: Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/3 — còn thiếu 3\n"
    "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
    "  + Đoàn viên: 0/2 (còn thiếu 2)\n"
    "- Không có việc quá hạn.")
# The parts of the digest, for the days and data that differ from the first day's.
TOP = (f"Chỉ tiêu của {COMMITTEE}:\n"
       f"- {SCHOOL_YEAR}: đã kết nạp 0/5 — còn thiếu 5\n"
       "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)")
TOP_ENDED = (f"Chỉ tiêu của {COMMITTEE}: chưa có chỉ tiêu cho thời gian này. Đặt chỉ tiêu: /datchitieu\n"
             f"- Đã kết thúc: {SCHOOL_YEAR}: đã kết nạp 0/5 — còn thiếu 5\n"
             "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)")
SECOND_HEAD = (f"{SECOND_BRANCH}:\n"
               "- Số người theo giai đoạn: Quần chúng ưu tú (nguồn) 1; Cảm tình Đảng 1\n")
SECOND_TARGET = (f"- Chỉ tiêu: {SCHOOL_YEAR}: đã kết nạp 0/2 — còn thiếu 2\n"
                 "  + Học sinh, sinh viên: 0/2 (còn thiếu 2)\n")
MAIN_HEAD = (f"{BRANCH}:\n"
             f"- Số người theo giai đoạn: {MAIN_STAGES}\n")
MAIN_TARGET = (f"- Chỉ tiêu: {SCHOOL_YEAR}: đã kết nạp 0/3 — còn thiếu 3\n"
               "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
               "  + Đoàn viên: 0/2 (còn thiếu 2)\n")
NO_TARGET = "- Chưa có chỉ tiêu cho thời gian này; đã kết nạp 0 trong năm học này. Đặt chỉ tiêu: /datchitieu\n"
NOTHING_OVERDUE = "- Không có việc quá hạn."
HUY, DUC, ANH = "Bùi Quốc Huy", "Tạ Minh Đức", "Hoàng Mai Anh"


def huy_late(no: dict[str, int]) -> str:
    return (f"  + {no[HUY]}. Bùi Quốc Huy: chưa có quyết định kết nạp; nghị quyết chi bộ ngày 05/02/2026, hạn "
            "12/05/2026 (Quy định 294-QĐ/TW, mục 4.3)")


def duc_late(no: dict[str, int]) -> str:
    return (f"  + {no[DUC]}. Tạ Minh Đức: chưa tổ chức lễ kết nạp; nhận quyết định ngày 15/02/2026, hạn 03/04/2026 "
            "(Quy định 294-QĐ/TW, mục 4.1)")


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers of the people the digest names as late, looked up by name."""
    return await numbers_of(demo, (HUY, DUC, ANH))
EMPTY_BRANCH = ("- Chưa có quần chúng nào trong danh sách.\n"
                + NO_TARGET
                + "- Không có việc quá hạn.\n"
                "- (!) Không có chuyển biến nào trong 90 ngày qua.")  # never any movement


def digest(day: str, *parts: str) -> str:
    return f"Tổng hợp ngày {day}: 2 chi bộ (chỉ xem).\n\n" + "\n\n".join(parts)


def overdue(*lines: str) -> str:
    return "- Quá hạn:\n" + "\n".join(lines)


def stalled(since: str) -> str:
    return f"\n- (!) Không có chuyển biến nào trong 90 ngày qua (lần cuối {since})."


async def record_of(chibo, name: str) -> tuple[Candidate, AdmissionRecord]:
    async with chibo.sessions() as session:
        c = (await session.exec(select(Candidate).where(Candidate.full_name == name))).one()
        return c, await session.get(AdmissionRecord, c.id)


async def test_the_digest_shows_each_branch_by_stage_with_its_target(talk):
    # no branch is flagged for standing still
    assert await talk("captren").say("/tonghop") == DIGEST_ON_THE_FIRST_DAY


async def test_a_ceremony_in_the_period_counts_for_the_branch_and_the_committee(talk, demo):
    async with demo.sessions() as session, session.begin():
        duc = (await session.exec(select(Candidate).where(Candidate.full_name == "Tạ Minh Đức"))).one()
        record = await session.get(AdmissionRecord, duc.id)
        record.ceremony_on, duc.stage = TODAY, Stage.probationary
        session.add_all([record, duc])
    assert await talk("captren").say("/tonghop") == digest(
        "02/03/2026",
        f"Chỉ tiêu của {COMMITTEE}:\n"
        f"- {SCHOOL_YEAR}: đã kết nạp 1/5 — còn thiếu 4\n"  # the committee's own target counts its subtree
        "  + Giáo viên, giảng viên: 1/1",
        SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE,
        f"{BRANCH}:\n"
        "- Số người theo giai đoạn: Quần chúng ưu tú (nguồn) 4; Cảm tình Đảng 3; Học lớp nhận thức về Đảng 2; "
        "Đang làm hồ sơ 1; Đã đề nghị kết nạp 1; Đảng viên dự bị 2; Đảng viên chính thức 1; "
        "Đã đưa ra khỏi danh sách 1\n"
        f"- Chỉ tiêu: {SCHOOL_YEAR}: đã kết nạp 1/3 — còn thiếu 2\n"
        "  + Giáo viên, giảng viên: 1/1\n"  # met: nothing missing
        "  + Đoàn viên: 0/2 (còn thiếu 2)\n"  # Tạ Minh Đức is not a Youth Union member
        + NOTHING_OVERDUE)


async def test_a_committee_decision_is_overdue_the_day_after_sixty_working_days(talk, demo, no):
    huy, record = await record_of(demo, "Bùi Quốc Huy")
    due = admission_decision_due(record.resolution_on)
    assert (record.resolution_on, due) == (date(2026, 2, 5), date(2026, 5, 12))
    demo.clock.advance(days=(due - TODAY).days)
    # on the day itself, only Tạ Minh Đức's ceremony (due 03/04/2026) is late
    assert await talk("captren").say("/tonghop") == digest(
        "12/05/2026", TOP, SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE,
        MAIN_HEAD + MAIN_TARGET + overdue(duc_late(no)))
    demo.clock.advance(days=1)
    assert await talk("captren").say("/tonghop") == digest(
        "13/05/2026", TOP, SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE,
        MAIN_HEAD + MAIN_TARGET + overdue(huy_late(no), duc_late(no)))


async def test_a_ceremony_is_overdue_after_thirty_working_days_of_receiving_the_decision(talk, demo, no):
    duc, record = await record_of(demo, "Tạ Minh Đức")
    due = ceremony_due(record.decision_received_on)
    assert (record.decision_received_on, due) == (date(2026, 2, 15), date(2026, 4, 3))
    demo.clock.advance(days=(due - TODAY).days)
    assert await talk("captren").say("/tonghop") == digest(
        "03/04/2026", TOP, SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE, MAIN_HEAD + MAIN_TARGET + NOTHING_OVERDUE)
    demo.clock.advance(days=1)
    assert await talk("captren").say("/tonghop") == digest(
        "04/04/2026", TOP, SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE,
        MAIN_HEAD + MAIN_TARGET + overdue(duc_late(no)))


async def test_a_recognition_decision_waiting_too_long_is_overdue(talk, demo, no):
    resolved = TODAY - timedelta(days=60)  # 01/01/2026
    async with demo.sessions() as session, session.begin():
        anh = (await session.exec(select(Candidate).where(Candidate.full_name == "Hoàng Mai Anh"))).one()
        record = await session.get(AdmissionRecord, anh.id)
        record.recognition_resolution_on = resolved
        session.add(record)
    assert await talk("captren").say("/tonghop") == digest(
        "02/03/2026", TOP, SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE,
        MAIN_HEAD + MAIN_TARGET + overdue(
            f"  + {no[ANH]}. Hoàng Mai Anh: chưa có quyết định công nhận đảng viên chính thức; nghị quyết chi bộ "
            "ngày 01/01/2026, hạn 12/02/2026 (Quy định 294-QĐ/TW, mục 4.2)"))


async def test_a_refused_proposal_is_not_overdue(talk, demo, no):
    async with demo.sessions() as session, session.begin():
        huy = (await session.exec(select(Candidate).where(Candidate.full_name == "Bùi Quốc Huy"))).one()
        record = await session.get(AdmissionRecord, huy.id)
        record.refused_reason = "chưa đủ điều kiện"
        session.add(record)
    demo.clock.advance(days=200)  # 18/09/2026: long past the sixty working days, the decision was a refusal
    assert await talk("captren").say("/tonghop") == (
        "Tổng hợp ngày 18/09/2026: 2 chi bộ (chỉ xem).\n"
        "\n"
        f"Chỉ tiêu của {COMMITTEE}: chưa có chỉ tiêu cho thời gian này. Đặt chỉ tiêu: /datchitieu\n"
        "- Đã kết thúc: Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/5 — còn thiếu 5\n"
        "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
        "\n"
        "Chi bộ Khoa Toán, ĐH Sư phạm (demo):\n"
        "- Số người theo giai đoạn: Quần chúng ưu tú (nguồn) 1; Cảm tình Đảng 1\n"
        "- Chưa có chỉ tiêu cho thời gian này; đã kết nạp 0 trong năm học này. Đặt chỉ tiêu: /datchitieu\n"
        "- Không có việc quá hạn.\n"
        "- (!) Không có chuyển biến nào trong 90 ngày qua (lần cuối 20/02/2026).\n"
        "\n"
        f"{BRANCH}:\n"
        f"- Số người theo giai đoạn: {MAIN_STAGES}\n"
        "- Chưa có chỉ tiêu cho thời gian này; đã kết nạp 0 trong năm học này. Đặt chỉ tiêu: /datchitieu\n"
        "- Quá hạn:\n"  # Tạ Minh Đức's ceremony only; no line for Bùi Quốc Huy
        + duc_late(no) + "\n"
        "- (!) Không có chuyển biến nào trong 90 ngày qua (lần cuối 15/02/2026).")


async def test_a_branch_with_no_stage_change_in_ninety_days_is_flagged(talk, demo, no):
    # Lý Thị Hồng joined the second branch 10 days ago (20/02/2026); the main branch's last change was on 15/02/2026
    demo.clock.advance(days=90 - 10)  # 90 days since the second branch's last change: still fine
    main = MAIN_HEAD + MAIN_TARGET + overdue(huy_late(no), duc_late(no)) + stalled("15/02/2026")
    assert await talk("captren").say("/tonghop") == digest(
        "21/05/2026", TOP, SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE, main)
    demo.clock.advance(days=1)
    assert await talk("captren").say("/tonghop") == digest(
        "22/05/2026", TOP, SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE + stalled("20/02/2026"), main)


async def test_a_branch_without_a_current_target_says_so(talk, demo):
    async with demo.sessions() as session, session.begin():
        second = (await session.exec(select(Organisation).where(Organisation.name == SECOND_BRANCH))).one()
        for row in await session.exec(select(OrgTarget).where(OrgTarget.org_id == second.id)):
            await session.delete(row)
    assert await talk("captren").say("/tonghop") == digest(
        "02/03/2026", TOP, SECOND_HEAD + NO_TARGET + NOTHING_OVERDUE, MAIN_HEAD + MAIN_TARGET + NOTHING_OVERDUE)


async def add_branches(chibo, count: int, *, under: str = COMMITTEE) -> None:
    async with chibo.sessions() as session, session.begin():
        parent = (await session.exec(select(Organisation).where(Organisation.name == under))).one()
        grassroots = await add_org(session=session, name="Đảng bộ Trường Đại học X", kind=OrgKind.grassroots,
                                   parent=parent, now=chibo.clock.now())
        for i in range(count):
            await add_org(session=session, name=f"Chi bộ Khoa {i + 1:02d}", kind=OrgKind.branch,
                          parent=grassroots, now=chibo.clock.now())


async def test_many_branches_page_with_see_more(talk, demo):
    await add_branches(demo, 6)  # under a grassroots committee below captren's: still in the subtree
    captren = talk("captren")
    assert await captren.say("/tonghop") == (
        "Tổng hợp ngày 02/03/2026: 8 chi bộ, trang 1/2 (chỉ xem).\n"
        "\n"
        + TOP + "\n"
        "\n"
        + "\n\n".join(f"Chi bộ Khoa {i:02d}:\n{EMPTY_BRANCH}" for i in range(1, 6)) + "\n"
        "\n"
        "Còn 3 chi bộ ở trang sau.\n"
        "\n"
        "1. Xem thêm\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await captren.say("Xem thêm") == (  # the last page: no "Xem thêm"
        "Tổng hợp ngày 02/03/2026: 8 chi bộ, trang 2/2 (chỉ xem).\n"
        "\n"
        f"Chi bộ Khoa 06:\n{EMPTY_BRANCH}\n"
        "\n"
        + SECOND_HEAD + SECOND_TARGET + NOTHING_OVERDUE + "\n"
        "\n"
        + MAIN_HEAD + MAIN_TARGET + NOTHING_OVERDUE)
    assert await captren.say("/tonghop 3") == "Không có trang 3; bản tổng hợp có 2 trang. Xem trang đầu: /tonghop"


async def test_a_committee_sees_nothing_outside_its_subtree(talk, demo):
    async with demo.sessions() as session, session.begin():
        other = await add_org(session=session, name="Đảng ủy Khối Doanh nghiệp", kind=OrgKind.committee,
                              parent=None, now=demo.clock.now())
        await add_org(session=session, name="Chi bộ Phân xưởng 1", kind=OrgKind.branch, parent=other,
                      now=demo.clock.now())
    # the same two branches as before, nothing of the other committee (Phân xưởng, Doanh nghiệp)
    assert await talk("captren").say("/tonghop") == DIGEST_ON_THE_FIRST_DAY


@pytest.mark.parametrize("account, expect", [
    ("bithu", NOT_ALLOWED), ("giupdo", NOT_ALLOWED), ("quanchung", NOT_ALLOWED), ("nguoila", NOT_LINKED)])
async def test_only_a_committee_gets_the_digest(talk, account, expect):
    assert await talk(account).say("/tonghop") == expect  # no candidate, no branch named


@pytest.mark.parametrize("command", ["/gap 3", "/cuatoi", "/toi", "/them"])
async def test_the_committee_reads_but_does_not_act_for_a_branch(talk, command):
    assert await talk("captren").say(command) == NOT_ALLOWED


async def test_after_the_school_year_the_committee_sees_its_last_target_ended_not_nothing(talk, demo, no):
    demo.clock.advance(days=(date(2026, 9, 5) - TODAY).days)  # the 2025-2026 target ended on 31/08/2026
    assert await talk("captren").say("/tonghop") == digest(
        "05/09/2026",
        TOP_ENDED,
        SECOND_HEAD + NO_TARGET + NOTHING_OVERDUE + stalled("20/02/2026"),
        MAIN_HEAD + NO_TARGET + overdue(huy_late(no), duc_late(no)) + stalled("15/02/2026"))
