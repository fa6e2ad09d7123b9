"""/tonghop: the committee's read-only digest of its branches — stages, targets, overdue, stalled."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.demo import BRANCH, CANDIDATES, COMMITTEE, SECOND, SECOND_BRANCH
from models.candidate import Candidate
from models.deadlines import admission_decision_due, ceremony_due, recognition_decision_due
from models.dossier import AdmissionRecord
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.stage import OrgKind, Stage

EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]
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


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


async def record_of(chibo, name: str) -> tuple[Candidate, AdmissionRecord]:
    async with chibo.sessions() as session:
        c = (await session.exec(select(Candidate).where(Candidate.full_name == name))).one()
        return c, await session.get(AdmissionRecord, c.id)


def section(reply: str, branch: str) -> str:
    """The part of the digest about one branch: from its name to the next blank line."""
    [part] = [p for p in reply.split("\n\n") if p.startswith(f"{branch}:\n")]
    return part


async def test_the_digest_shows_each_branch_by_stage_with_its_target(talk):
    reply = await talk("captren").say("/tonghop")
    assert "Tổng hợp ngày 02/03/2026: 2 chi bộ (chỉ xem)" in reply
    main = section(reply, BRANCH)
    assert "Quần chúng ưu tú (nguồn) 4; Cảm tình Đảng 3; Học lớp nhận thức về Đảng 2" in main
    assert "Đảng viên dự bị 1" in main and "Đã đưa ra khỏi danh sách 1" in main
    assert "Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/3 — còn thiếu 3" in main
    assert "Đoàn viên: 0/2 (còn thiếu 2)" in main and "Không có việc quá hạn" in main
    other = section(reply, SECOND_BRANCH)
    assert "Quần chúng ưu tú (nguồn) 1; Cảm tình Đảng 1" in other and "Học sinh, sinh viên: 0/2" in other
    assert f"Chỉ tiêu của {COMMITTEE}" in reply and "đã kết nạp 0/5" in reply
    assert "Không có chuyển biến" not in reply


async def test_a_ceremony_in_the_period_counts_for_the_branch_and_the_committee(talk, demo):
    async with demo.sessions() as session, session.begin():
        duc = (await session.exec(select(Candidate).where(Candidate.full_name == "Tạ Minh Đức"))).one()
        record = await session.get(AdmissionRecord, duc.id)
        record.ceremony_on, duc.stage = TODAY, Stage.probationary
        session.add_all([record, duc])
    reply = await talk("captren").say("/tonghop")
    main = section(reply, BRANCH)
    assert "đã kết nạp 1/3 — còn thiếu 2" in main
    assert "Giáo viên, giảng viên: 1/1\n" in main  # met: nothing missing
    assert "Đoàn viên: 0/2 (còn thiếu 2)" in main  # Tạ Minh Đức is not a Youth Union member
    assert "đã kết nạp 1/5 — còn thiếu 4" in reply  # the committee's own target counts its subtree


async def test_a_committee_decision_is_overdue_the_day_after_sixty_working_days(talk, demo):
    huy, record = await record_of(demo, "Bùi Quốc Huy")
    due = admission_decision_due(record.resolution_on)
    demo.clock.advance(days=(due - TODAY).days)
    assert "Bùi Quốc Huy" not in await talk("captren").say("/tonghop")
    demo.clock.advance(days=1)
    main = section(await talk("captren").say("/tonghop"), BRANCH)
    assert (f"7. Bùi Quốc Huy: chưa có quyết định kết nạp; nghị quyết chi bộ ngày {dmy(record.resolution_on)}, "
            f"hạn {dmy(due)}") in main


async def test_a_ceremony_is_overdue_after_thirty_working_days_of_receiving_the_decision(talk, demo):
    duc, record = await record_of(demo, "Tạ Minh Đức")
    due = ceremony_due(record.decision_received_on)
    demo.clock.advance(days=(due - TODAY).days)
    assert "chưa tổ chức lễ kết nạp" not in await talk("captren").say("/tonghop")
    demo.clock.advance(days=1)
    reply = await talk("captren").say("/tonghop")
    assert f"13. Tạ Minh Đức: chưa tổ chức lễ kết nạp; nhận quyết định ngày {dmy(record.decision_received_on)}" in reply


async def test_a_recognition_decision_waiting_too_long_is_overdue(talk, demo):
    resolved = TODAY - timedelta(days=60)
    async with demo.sessions() as session, session.begin():
        anh = (await session.exec(select(Candidate).where(Candidate.full_name == "Hoàng Mai Anh"))).one()
        record = await session.get(AdmissionRecord, anh.id)
        record.recognition_resolution_on = resolved
        session.add(record)
    reply = await talk("captren").say("/tonghop")
    assert (f"8. Hoàng Mai Anh: chưa có quyết định công nhận đảng viên chính thức; nghị quyết chi bộ ngày "
            f"{dmy(resolved)}, hạn {dmy(recognition_decision_due(resolved))}") in reply


async def test_a_refused_proposal_is_not_overdue(talk, demo):
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
        "  + 13. Tạ Minh Đức: chưa tổ chức lễ kết nạp; nhận quyết định ngày 15/02/2026, hạn 03/04/2026 "
        "(Quy định 294-QĐ/TW, mục 4.1)\n"
        "- (!) Không có chuyển biến nào trong 90 ngày qua (lần cuối 15/02/2026).")


async def test_a_branch_with_no_stage_change_in_ninety_days_is_flagged(talk, demo):
    last = TODAY - timedelta(days=10)  # Lý Thị Hồng joined the second branch 10 days ago
    demo.clock.advance(days=90 - 10)  # 90 days since the last change: still fine
    reply = await talk("captren").say("/tonghop")
    assert "Không có chuyển biến" not in section(reply, SECOND_BRANCH)
    demo.clock.advance(days=1)
    reply = await talk("captren").say("/tonghop")
    assert (f"(!) Không có chuyển biến nào trong 90 ngày qua (lần cuối {dmy(last)})"
            in section(reply, SECOND_BRANCH))


async def test_a_branch_without_a_current_target_says_so(talk, demo):
    async with demo.sessions() as session, session.begin():
        second = (await session.exec(select(Organisation).where(Organisation.name == SECOND_BRANCH))).one()
        for row in await session.exec(select(OrgTarget).where(OrgTarget.org_id == second.id)):
            await session.delete(row)
    other = section(await talk("captren").say("/tonghop"), SECOND_BRANCH)
    assert "Chưa có chỉ tiêu cho thời gian này; đã kết nạp 0 trong năm học này" in other


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
    first = await captren.say("/tonghop")
    assert "8 chi bộ, trang 1/2" in first and "Còn 3 chi bộ ở trang sau" in first and "Xem thêm" in first
    assert "Chi bộ Khoa 01" in first and "Chưa có quần chúng nào trong danh sách" in first
    second = await captren.say("Xem thêm")
    assert "trang 2/2" in second and "Chi bộ Trường THPT Trần Phú" in second and "Xem thêm" not in second
    assert "(!) Không có chuyển biến" in section(first, "Chi bộ Khoa 01")  # never any movement
    assert "Không có trang 3" in await captren.say("/tonghop 3")


async def test_a_committee_sees_nothing_outside_its_subtree(talk, demo):
    async with demo.sessions() as session, session.begin():
        other = await add_org(session=session, name="Đảng ủy Khối Doanh nghiệp", kind=OrgKind.committee,
                              parent=None, now=demo.clock.now())
        await add_org(session=session, name="Chi bộ Phân xưởng 1", kind=OrgKind.branch, parent=other,
                      now=demo.clock.now())
    reply = await talk("captren").say("/tonghop")
    assert reply == DIGEST_ON_THE_FIRST_DAY  # the same two branches as before, nothing of the other committee
    assert "Phân xưởng" not in reply and "Doanh nghiệp" not in reply


@pytest.mark.parametrize("account, expect", [
    ("bithu", "không dành cho vai trò"), ("giupdo", "không dành cho vai trò"),
    ("quanchung", "không dành cho vai trò"), ("nguoila", "chưa được liên kết")])
async def test_only_a_committee_gets_the_digest(talk, account, expect):
    reply = await talk(account).say("/tonghop")
    assert expect in reply and not any(name in reply for name in EVERY_NAME)
    assert "Chi bộ" not in reply


@pytest.mark.parametrize("command", ["/gap 3", "/cuatoi", "/toi", "/them"])
async def test_the_committee_reads_but_does_not_act_for_a_branch(talk, command):
    assert "không dành cho vai trò" in await talk("captren").say(command)


async def test_after_the_school_year_the_committee_sees_its_last_target_ended_not_nothing(talk, demo):
    demo.clock.advance(days=(date(2026, 9, 5) - TODAY).days)  # the 2025-2026 target ended on 31/08/2026
    reply = await talk("captren").say("/tonghop")
    top = next(p for p in reply.split("\n\n") if p.startswith(f"Chỉ tiêu của {COMMITTEE}"))
    assert top == (f"Chỉ tiêu của {COMMITTEE}: chưa có chỉ tiêu cho thời gian này. Đặt chỉ tiêu: /datchitieu\n"
                   "- Đã kết thúc: Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/5 — còn thiếu 5\n"
                   "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)")
