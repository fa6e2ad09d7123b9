"""Targets as the seeds write them (issue 13 item 9): shares of admissions and of branches,
a term target, and a branch with no source left exempt; seen in /chitieu and /tonghop."""

from datetime import date

from sqlmodel import select

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.org import Organisation
from models.target_queries import parse_period, parse_share, upsert_target
from tests.texts import CHOOSE, SCHOOL_YEAR, TARGETS_SET_BELOW, TARGETS_VIEW

TERM = "Nhiệm kỳ 2025-2030 (01/01/2025–31/12/2030)"
SECOND_PROGRESS = (f"{SECOND_BRANCH}:\n"
                   f"- {SCHOOL_YEAR}: đã kết nạp 0/2 — còn thiếu 2\n"
                   "  + Học sinh, sinh viên: 0/2 (còn thiếu 2)\n")
MAIN_PROGRESS = (f"{BRANCH}:\n"
                 f"- {SCHOOL_YEAR}: đã kết nạp 0/3 — còn thiếu 3\n"
                 "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
                 "  + Đoàn viên: 0/2 (còn thiếu 2)\n")


async def set_target(chibo, org_name: str, period: str, admissions: int, shares: list[str]) -> None:
    label, span = parse_period(period)
    async with chibo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == org_name))).one()
        await upsert_target(session=session, org_id=org.id, label=label, period=span, admissions=admissions,
                            composition={}, set_by=None, now=chibo.clock.now(),
                            shares=tuple(parse_share(s) for s in shares))


async def set_branch(chibo, org_name: str, **values) -> None:
    async with chibo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == org_name))).one()
        for name, value in values.items():
            setattr(org, name, value)


async def test_a_committee_sees_its_term_target_with_shares_rolled_up_from_its_branches(talk, demo):
    # The demo's one ceremony since 2025 (Hoàng Mai Anh, 14/08/2025) was at Trần Phú: a teacher in the
    # Youth Union. The student branch has no founding date: it counts among the student branches.
    await set_target(demo, COMMITTEE, "2025-2030", 30,
                     ["youth_union>60", "private_firm>=2", "branches>70", "student_branches>=100"])
    term = (f"- {TERM}: đã kết nạp 1/30 — còn thiếu 29\n"
            "  + Đoàn viên: trên 60% số người được kết nạp — hiện 1/1, đã đạt\n"
            "  + Làm ở doanh nghiệp ngoài nhà nước: ít nhất 2% số người được kết nạp — hiện 0/1, còn thiếu 1 người\n"
            "  + Chi bộ có kết nạp: trên 70% số chi bộ — hiện 1/2, còn thiếu 1 chi bộ\n"
            "  + Chi bộ sinh viên thành lập trên 12 tháng có kết nạp: ít nhất 100% số chi bộ — hiện 0/1, "
            "còn thiếu 1 chi bộ\n")
    committee = (f"{COMMITTEE}:\n"  # the term started first
                 + term
                 + f"- {SCHOOL_YEAR}: đã kết nạp 0/5 — còn thiếu 5\n"
                 "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n")
    assert await talk("captren").say("/chitieu") == (
        TARGETS_VIEW + committee + "\nCác tổ chức trực thuộc (2):\n\n" + SECOND_PROGRESS + "\n" + MAIN_PROGRESS
        + TARGETS_SET_BELOW + CHOOSE)


async def test_a_student_branch_younger_than_12_months_is_not_counted_yet(talk, demo):
    # Founded 01/01/2030 + 12 months is after the term's last day: not counted; with no student branch to
    # count, the share has nothing to measure, and a branch with no source left leaves the branch share.
    await set_branch(demo, SECOND_BRANCH, founded_on=date(2030, 1, 1))
    await set_branch(demo, BRANCH, no_source_left=True)
    await set_target(demo, COMMITTEE, "2025-2030", 0, ["branches>70", "student_branches>=100"])
    term = (f"- {TERM}: đã kết nạp 1/0\n"  # no count asked, but a share is short
            "  + Chi bộ có kết nạp: trên 70% số chi bộ — hiện 0/1, còn thiếu 1 chi bộ\n"
            "  + Chi bộ sinh viên thành lập trên 12 tháng có kết nạp: ít nhất 100% số chi bộ — "
            "chưa có chi bộ nào thuộc diện tính\n")
    committee = (f"{COMMITTEE}:\n" + term
                 + f"- {SCHOOL_YEAR}: đã kết nạp 0/5 — còn thiếu 5\n"
                 "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n")
    main = (f"{BRANCH}:\n"
            f"- {SCHOOL_YEAR}: đã kết nạp 0/3 — được miễn vì không còn nguồn\n"
            "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
            "  + Đoàn viên: 0/2 (còn thiếu 2)\n")
    assert await talk("captren").say("/chitieu") == (
        TARGETS_VIEW + committee + "\nCác tổ chức trực thuộc (2):\n\n" + SECOND_PROGRESS + "\n" + main
        + TARGETS_SET_BELOW + CHOOSE)


async def test_a_branch_with_no_source_left_is_exempt_from_its_target(talk, demo):
    await set_branch(demo, BRANCH, no_source_left=True)
    assert await talk("bithu").say("/chitieu") == (
        TARGETS_VIEW + f"{BRANCH}:\n"
        f"- {SCHOOL_YEAR}: đã kết nạp 0/3 — được miễn vì không còn nguồn\n"
        "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
        "  + Đoàn viên: 0/2 (còn thiếu 2)\n"
        "\nChỉ tiêu do cấp ủy cấp trên đặt; có gì chưa đúng xin báo cấp ủy.")


GROUPS = ("\n"
          "1. Không yêu cầu thêm\n"
          "2. Giáo viên, giảng viên\n"
          "3. Học sinh, sinh viên\n"
          "4. Cán bộ quản lý\n"
          "5. Nhân viên\n"
          "6. Công nhân, người lao động\n"
          "7. Bác sĩ, nhân viên y tế\n"
          "8. Khác\n"
          "9. Đoàn viên\n"
          "10. Nữ\n"
          "11. Người dân tộc thiểu số\n"
          "12. Người có đạo\n"
          "13. Làm ở doanh nghiệp ngoài nhà nước\n"
          + CHOOSE)
COMPOSITION = ("Có yêu cầu về thành phần không? Chọn một đối tượng (ít nhất 1 người), hoặc gõ kèm số lượng, ví dụ: "
               "Đoàn viên 2, hay một tỷ lệ, ví dụ: Đoàn viên trên 60%. Không có yêu cầu thì chọn "
               '"Không yêu cầu thêm".\n' + GROUPS)
MORE = ('Thêm yêu cầu khác về thành phần? Chọn hoặc gõ kèm số lượng (ví dụ: Nữ 1, Nữ ít nhất 30%), hoặc chọn '
        '"Không yêu cầu thêm".\n' + GROUPS)
CONFIRM_MENU = ("\n"
                "1. Lưu\n"
                "2. Sửa tổ chức\n"
                "3. Sửa thời gian\n"
                "4. Sửa số kết nạp\n"
                "5. Sửa yêu cầu thành phần 1\n"
                "6. Sửa yêu cầu thành phần 2\n"
                "7. Hủy\n"
                + CHOOSE)


async def test_a_committee_sets_a_new_target_with_a_share_in_chat(talk, demo):
    captren = talk("captren")
    await captren.say("/datchitieu tran phu")
    await captren.say("Năm học tới")
    assert await captren.say("4") == COMPOSITION
    assert await captren.say("Đoàn viên trên 60%") == MORE
    assert await captren.say("Không yêu cầu thêm") == (
        "Xin kiểm tra lại trước khi lưu chỉ tiêu:\n"
        f"- Tổ chức: {BRANCH}\n"
        "- Thời gian: năm học 2026-2027\n"
        "- Kết nạp ít nhất: 4 người\n"
        "- Trong đó Đoàn viên: trên 60% số người được kết nạp\n" + CONFIRM_MENU)
    assert await captren.say("Lưu") == (
        f"Đã đặt chỉ tiêu cho {BRANCH}:\n"
        "- Năm học 2026-2027 (01/09/2026–31/08/2027): đã kết nạp 0/4 — còn thiếu 4\n"
        "  + Đoàn viên: trên 60% số người được kết nạp — chưa có ai được kết nạp\n"
        "Xem tất cả: /chitieu · Đặt chỉ tiêu khác: /datchitieu")


async def test_a_share_over_100_is_refused_and_one_added_to_a_target_keeps_its_counts(talk, demo):
    captren = talk("captren")
    await captren.say("/datchitieu 2")
    await captren.say("1")
    assert await captren.say("3") == COMPOSITION
    assert await captren.say("Đoàn viên trên 120%") == "Số này phải từ 0 đến 100.\n" + COMPOSITION
    assert await captren.say("doan vien >= 60%") == MORE
    assert await captren.say("Không yêu cầu thêm") == (
        "Xin kiểm tra lại trước khi lưu chỉ tiêu:\n"
        f"- Tổ chức: {BRANCH}\n"
        "- Thời gian: năm học 2025-2026\n"
        "Tổ chức đã có chỉ tiêu cho thời gian này. Trước → sau khi lưu:\n"
        "- Kết nạp ít nhất: 3 người (giữ nguyên)\n"
        "- Giáo viên, giảng viên: ít nhất 1 (giữ nguyên)\n"
        "- Đoàn viên: ít nhất 2 (giữ nguyên)\n"
        "- Đoàn viên: ít nhất 60% số người được kết nạp\n"
        "Yêu cầu không nhắc lại được giữ nguyên; muốn bỏ một yêu cầu, chọn Sửa yêu cầu thành phần và gõ số 0 "
        "(ví dụ: Đoàn viên 0).\n" + CONFIRM_MENU)
    assert await captren.say("Lưu") == (
        f"Đã sửa chỉ tiêu cho {BRANCH}:\n"
        "- Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/3 — còn thiếu 3\n"
        "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
        "  + Đoàn viên: 0/2 (còn thiếu 2)\n"
        "  + Đoàn viên: ít nhất 60% số người được kết nạp — chưa có ai được kết nạp\n"
        "Xem tất cả: /chitieu · Đặt chỉ tiêu khác: /datchitieu")
