"""/chitieu and /datchitieu: targets and progress; a committee sets the targets of the branches below it."""

from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.audit import AuditLog
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.people import Person, grant_role, link_chat
from models.stage import OrgKind, Role
from tests.texts import CHOOSE, NOT_ALLOWED, NOT_LINKED, SCHOOL_YEAR, TARGETS_SET_BELOW, TARGETS_VIEW

NEXT_YEAR = "Năm học 2026-2027 (01/09/2026–31/08/2027)"

# /chitieu
SET_ABOVE = "\nChỉ tiêu do cấp ủy cấp trên đặt; có gì chưa đúng xin báo cấp ủy."
COMMITTEE_PROGRESS = (f"{COMMITTEE}:\n"
                      f"- {SCHOOL_YEAR}: đã kết nạp 0/5 — còn thiếu 5\n"
                      "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n")
SECOND_PROGRESS = (f"{SECOND_BRANCH}:\n"
                   f"- {SCHOOL_YEAR}: đã kết nạp 0/2 — còn thiếu 2\n"
                   "  + Học sinh, sinh viên: 0/2 (còn thiếu 2)\n")
MAIN_PROGRESS = (f"{BRANCH}:\n"
                 f"- {SCHOOL_YEAR}: đã kết nạp 0/3 — còn thiếu 3\n"
                 "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
                 "  + Đoàn viên: 0/2 (còn thiếu 2)\n")
CAPTREN_VIEW = (TARGETS_VIEW
                + COMMITTEE_PROGRESS
                + "\n"
                "Các tổ chức trực thuộc (2):\n"
                "\n"
                + SECOND_PROGRESS
                + "\n"
                + MAIN_PROGRESS
                + TARGETS_SET_BELOW
                + CHOOSE)

# /datchitieu
START = ('Đặt chỉ tiêu kết nạp cho một tổ chức trực thuộc. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu '
         "trước.\n"
         "\n")
ORGS = (f"1. {SECOND_BRANCH}\n"
        f"2. {BRANCH}\n")
WHICH_ORG = "Đặt chỉ tiêu cho tổ chức nào? Gõ số thứ tự trong danh sách hoặc một phần tên (không dấu cũng được)."
PICK_ORG = START + ORGS + "\n" + WHICH_ORG
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
               '"Không yêu cầu thêm".\n'
               + GROUPS)
MORE = ("Thêm yêu cầu khác về thành phần? Chọn hoặc gõ kèm số lượng (ví dụ: Nữ 1, Nữ ít nhất 30%), hoặc chọn "
        '"Không yêu cầu thêm".\n'
        + GROUPS)


PERIOD_HINT = ("Năm học ghi dạng 2026-2027 (hai năm liền nhau), năm dương lịch ghi dạng 2026, nhiệm kỳ ghi dạng "
               "2025-2030 (năm năm).")


def pick_again(why: str) -> str:
    return why + "\n" + WHICH_ORG + "\n\n" + ORGS + CHOOSE


def no_such_org(says: str) -> str:
    return pick_again(f'Không có tổ chức nào khớp với "{says}" trong các tổ chức trực thuộc cấp ủy của bạn. '
                      "Xin chọn trong danh sách dưới đây.")


def when(org: str = BRANCH) -> str:
    return (f"Chỉ tiêu cho {org} trong thời gian nào? Chọn, hoặc gõ năm học (ví dụ 2026-2027, tính từ 1/9), năm "
            "dương lịch (ví dụ 2026) hay nhiệm kỳ (ví dụ 2025-2030).\n"
            "\n"
            "1. Năm học này\n"
            "2. Năm học tới\n"
            "3. Năm dương lịch này\n"
            + CHOOSE)


def how_many(period: str, org: str = BRANCH) -> str:
    return f"Trong {period}, {org} cần kết nạp ít nhất bao nhiêu đảng viên? (từ 0 đến 1000)"


def too_many(wanted: int, total: int) -> str:
    return (f"Yêu cầu {wanted} người vượt quá tổng số cần kết nạp ({total}). Xin ghi số nhỏ hơn, hoặc sửa số "
            "kết nạp.\n")


def choices(edits: int) -> str:
    names = ["Lưu", "Sửa tổ chức", "Sửa thời gian", "Sửa số kết nạp",
             *(f"Sửa yêu cầu thành phần {i}" for i in range(1, edits + 1)), "Hủy"]
    return "\n" + "".join(f"{i}. {c}\n" for i, c in enumerate(names, 1)) + CHOOSE


def screen_new(period: str, admissions: int, rows: list[str], edits: int, org: str = BRANCH) -> str:
    """The confirmation of a first target for the period."""
    return (f"Xin kiểm tra lại trước khi lưu chỉ tiêu:\n- Tổ chức: {org}\n- Thời gian: {period}\n"
            f"- Kết nạp ít nhất: {admissions} người\n" + "".join(f"- {r}\n" for r in rows) + choices(edits))


def saved(verb: str, progress: str, org: str = BRANCH) -> str:
    return f"Đã {verb} chỉ tiêu cho {org}:\n" + progress + "Xem tất cả: /chitieu · Đặt chỉ tiêu khác: /datchitieu"


async def targets_of(chibo, org_name: str) -> dict[str, OrgTarget]:
    async with chibo.sessions() as session:
        org = (await session.exec(select(Organisation).where(Organisation.name == org_name))).one()
        return {t.label: t for t in await session.exec(select(OrgTarget).where(OrgTarget.org_id == org.id))}


async def test_a_secretary_sees_the_branch_target_and_progress(talk):
    # only the branch's own target, set by the committee above (not another branch's, not the committee's);
    # no /datchitieu offered
    assert await talk("bithu").say("/chitieu") == TARGETS_VIEW + MAIN_PROGRESS + SET_ABOVE


async def test_a_committee_sees_its_own_and_its_branches_targets(talk):
    assert await talk("captren").say("/chitieu") == CAPTREN_VIEW


async def test_a_committee_sets_next_years_target_for_a_branch(talk, demo):
    captren = talk("captren")
    assert await captren.say("/chitieu") == CAPTREN_VIEW
    assert await captren.say("1") == PICK_ORG
    assert await captren.say("tran phu") == when()
    assert await captren.say("Năm học tới") == how_many("năm học 2026-2027")
    assert await captren.say("5") == COMPOSITION
    assert await captren.say("giáo viên") == MORE
    assert await captren.say("doan vien 2") == MORE
    assert await captren.say("Nữ 1") == screen_new(
        "năm học 2026-2027", 5,
        ["Trong đó Giáo viên, giảng viên: ít nhất 1", "Trong đó Đoàn viên: ít nhất 2", "Trong đó Nữ: ít nhất 1"], 3)
    progress = (f"- {NEXT_YEAR}: đã kết nạp 0/5 — còn thiếu 5\n"
                "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
                "  + Đoàn viên: 0/2 (còn thiếu 2)\n"
                "  + Nữ: 0/1 (còn thiếu 1)\n")
    assert await captren.say("Lưu") == saved("đặt", progress)
    row = (await targets_of(demo, BRANCH))["2026-2027"]
    assert (row.period_kind, row.starts_on, row.ends_on) == ("school_year", date(2026, 9, 1), date(2027, 8, 31))
    assert row.admissions == 5 and row.composition == {"teacher": 1, "youth_union": 2, "woman": 1}
    async with demo.sessions() as session:
        assert (await session.exec(select(AuditLog).where(AuditLog.action == "target.set"))).one().subject == \
            f"org:{row.org_id}"
    # the branch sees it
    assert await talk("bithu").say("/chitieu") == TARGETS_VIEW + MAIN_PROGRESS + progress + SET_ABOVE


async def test_setting_the_same_period_again_replaces_the_count_and_keeps_the_composition(talk, demo):
    captren = talk("captren")
    assert await captren.say("/datchitieu 2") == START + when()
    assert await captren.say("1") == how_many("năm học 2025-2026")
    assert await captren.say("4") == COMPOSITION
    assert await captren.say("Không yêu cầu thêm") == screen_again(
        "3 → 4 người", ["Giáo viên, giảng viên: ít nhất 1 (giữ nguyên)", "Đoàn viên: ít nhất 2 (giữ nguyên)"],
        ["Sửa yêu cầu thành phần 1"])
    assert await captren.say("Lưu") == saved("sửa", f"- {SCHOOL_YEAR}: đã kết nạp 0/4 — còn thiếu 4\n"
                                                    "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
                                                    "  + Đoàn viên: 0/2 (còn thiếu 2)\n")
    targets = await targets_of(demo, BRANCH)
    assert list(targets) == ["2025-2026"]
    assert targets["2025-2026"].admissions == 4
    assert targets["2025-2026"].composition == {"teacher": 1, "youth_union": 2}  # the demo's, kept


# ---- Setting a target again (issue 12, defect 7) ---------------------------------------------
# The demo's Trần Phú target for 2025-2026: at least 3, of whom 1 teacher and 2 Youth Union members.

def screen_again(admissions: str, rows: list[str], edits: list[str], kept: bool = True) -> str:
    choices = ["Lưu", "Sửa tổ chức", "Sửa thời gian", "Sửa số kết nạp", *edits, "Hủy"]
    return (f"Xin kiểm tra lại trước khi lưu chỉ tiêu:\n- Tổ chức: {BRANCH}\n- Thời gian: năm học 2025-2026\n"
            "Tổ chức đã có chỉ tiêu cho thời gian này. Trước → sau khi lưu:\n"
            f"- Kết nạp ít nhất: {admissions}\n" + "".join(f"- {r}\n" for r in rows)
            + ("Yêu cầu không nhắc lại được giữ nguyên; muốn bỏ một yêu cầu, chọn Sửa yêu cầu thành phần "
               "và gõ số 0 (ví dụ: Đoàn viên 0).\n" if kept else "")
            + "\n" + "\n".join(f"{i}. {c}" for i, c in enumerate(choices, 1)) + "\n(Trả lời bằng số hoặc bằng chữ)")


async def test_setting_a_target_again_shows_what_is_kept_and_what_changes_before_saving(talk, demo):
    captren = talk("captren")
    assert await captren.say("/datchitieu tran phu") == START + when()
    assert await captren.say("Năm học này") == how_many("năm học 2025-2026")
    assert await captren.say("4") == COMPOSITION
    assert await captren.say("nu 1") == MORE
    assert await captren.say("Không yêu cầu thêm") == screen_again(
        "3 → 4 người",
        ["Giáo viên, giảng viên: ít nhất 1 (giữ nguyên)", "Đoàn viên: ít nhất 2 (giữ nguyên)",
         "Nữ: chưa có → ít nhất 1 (mới)"],
        ["Sửa yêu cầu thành phần 1", "Sửa yêu cầu thành phần 2"])
    assert (await targets_of(demo, BRANCH))["2025-2026"].composition == {"teacher": 1, "youth_union": 2}
    assert await captren.say("Lưu") == saved("sửa", f"- {SCHOOL_YEAR}: đã kết nạp 0/4 — còn thiếu 4\n"
                                                    "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n"
                                                    "  + Đoàn viên: 0/2 (còn thiếu 2)\n"
                                                    "  + Nữ: 0/1 (còn thiếu 1)\n")
    row = (await targets_of(demo, BRANCH))["2025-2026"]
    assert row.admissions == 4 and row.composition == {"teacher": 1, "youth_union": 2, "woman": 1}


async def test_a_requirement_named_again_changes_and_zero_drops_it(talk, demo):
    captren = talk("captren")
    assert await captren.say("/datchitieu tran phu") == START + when()
    assert await captren.say("Năm học này") == how_many("năm học 2025-2026")
    assert await captren.say("3") == COMPOSITION
    assert await captren.say("doan vien 0") == MORE
    assert await captren.say("giao vien 2") == MORE
    assert await captren.say("khong") == screen_again(
        "3 người (giữ nguyên)",
        ["Giáo viên, giảng viên: ít nhất 1 → ít nhất 2", "Đoàn viên: ít nhất 2 → bỏ"],
        ["Sửa yêu cầu thành phần 1", "Sửa yêu cầu thành phần 2", "Sửa yêu cầu thành phần 3"], kept=False)
    assert await captren.say("Lưu") == saved("sửa", f"- {SCHOOL_YEAR}: đã kết nạp 0/3 — còn thiếu 3\n"
                                                    "  + Giáo viên, giảng viên: 0/2 (còn thiếu 2)\n")
    row = (await targets_of(demo, BRANCH))["2025-2026"]
    assert row.admissions == 3 and row.composition == {"teacher": 2}


async def test_a_kept_requirement_above_a_lowered_count_is_caught_before_saving(talk, demo):
    captren = talk("captren")
    assert await captren.say("/datchitieu tran phu") == START + when()
    assert await captren.say("Năm học này") == how_many("năm học 2025-2026")
    assert await captren.say("1") == COMPOSITION
    caught = too_many(2, 1) + screen_again(
        "3 → 1 người", ["Giáo viên, giảng viên: ít nhất 1 (giữ nguyên)", "Đoàn viên: ít nhất 2 (giữ nguyên)"],
        ["Sửa yêu cầu thành phần 1"])
    assert await captren.say("Không yêu cầu thêm") == caught
    assert await captren.say("Lưu") == caught
    assert (await targets_of(demo, BRANCH))["2025-2026"].admissions == 3  # unchanged


async def test_a_first_target_for_a_period_is_shown_without_a_comparison(talk, demo):
    captren = talk("captren")
    assert await captren.say("/datchitieu tran phu") == START + when()
    assert await captren.say("Năm học tới") == how_many("năm học 2026-2027")
    assert await captren.say("2") == COMPOSITION
    assert await captren.say("nu 1") == MORE
    assert await captren.say("khong") == (
        f"Xin kiểm tra lại trước khi lưu chỉ tiêu:\n- Tổ chức: {BRANCH}\n- Thời gian: năm học 2026-2027\n"
        "- Kết nạp ít nhất: 2 người\n- Trong đó Nữ: ít nhất 1\n\n"
        "1. Lưu\n2. Sửa tổ chức\n3. Sửa thời gian\n4. Sửa số kết nạp\n5. Sửa yêu cầu thành phần 1\n"
        "6. Sửa yêu cầu thành phần 2\n7. Hủy\n(Trả lời bằng số hoặc bằng chữ)")


async def test_a_calendar_year_and_zero_admissions_ask_no_composition(talk, demo):
    captren = talk("captren")
    assert await captren.say("/datchitieu toan") == START + when(SECOND_BRANCH)
    assert await captren.say("2026") == how_many("năm 2026", SECOND_BRANCH)
    assert await captren.say("0") == screen_new("năm 2026", 0, ["Không có yêu cầu về thành phần"], 0, SECOND_BRANCH)
    assert await captren.say("Lưu") == saved(
        "đặt", "- Năm 2026 (01/01/2026–31/12/2026): đã kết nạp 0/0 — đã đạt\n", SECOND_BRANCH)
    row = (await targets_of(demo, SECOND_BRANCH))["2026"]
    assert (row.period_kind, row.starts_on, row.ends_on, row.admissions) == (
        "calendar_year", date(2026, 1, 1), date(2026, 12, 31), 0)


@pytest.mark.parametrize("says, reason", [
    ("2026-2028", 'Chưa đọc được "2026-2028". ' + PERIOD_HINT),
    ("sang năm", 'Chưa đọc được "sang năm". ' + PERIOD_HINT),
    ("2024-2025", "Thời gian năm học 2024-2025 đã kết thúc (hôm nay là 02/03/2026); chỉ đặt được chỉ tiêu cho thời "
                  "gian hiện tại hoặc sắp tới."),
    ("2025", "Thời gian năm 2025 đã kết thúc (hôm nay là 02/03/2026); chỉ đặt được chỉ tiêu cho thời gian hiện tại "
             "hoặc sắp tới."),
    ("2028-2029", "Thời gian năm học 2028-2029 còn xa quá; chỉ đặt được chỉ tiêu cho năm học này và 2 năm học tiếp "
                  "theo."),
])
async def test_a_bad_period_is_refused_with_its_reason(talk, says, reason):
    captren = talk("captren")
    await captren.say("/datchitieu 2")
    assert await captren.say(says) == reason + "\n" + when()


@pytest.mark.parametrize("says, reason", [
    ("1001", "Số này phải từ 0 đến 1000."), ("năm", '"năm" không phải là một số. Xin chỉ ghi chữ số, ví dụ 12.')])
async def test_a_bad_admissions_count_is_asked_again(talk, says, reason):
    captren = talk("captren")
    await captren.say("/datchitieu 2")
    assert await captren.say("1") == how_many("năm học 2025-2026")
    assert await captren.say(says) == reason + "\n" + how_many("năm học 2025-2026")


async def test_composition_refuses_repeats_excess_and_unknown_groups(talk):
    captren = talk("captren")
    await captren.say("/datchitieu 2")
    await captren.say("1")
    assert await captren.say("3") == COMPOSITION
    assert await captren.say("doan vien 2") == MORE
    assert await captren.say("đoàn viên 1") == (
        'Đã có yêu cầu về "Đoàn viên" ở trên. Xin chọn một đối tượng khác, hoặc "Không yêu cầu thêm".\n' + MORE)
    assert await captren.say("nu 4") == too_many(4, 3) + MORE
    assert await captren.say("người ngoài hành tinh") == (
        '"người ngoài hành tinh" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa '
        "chọn.\n" + MORE)
    assert await captren.say("giao vien 1") == MORE
    assert await captren.say("khong") == screen_again(
        "3 người (giữ nguyên)", ["Giáo viên, giảng viên: ít nhất 1 (giữ nguyên)", "Đoàn viên: ít nhất 2 (giữ nguyên)"],
        ["Sửa yêu cầu thành phần 1", "Sửa yêu cầu thành phần 2", "Sửa yêu cầu thành phần 3"], kept=False)


async def test_lowering_the_count_below_the_composition_is_caught_before_saving(talk, demo):
    captren = talk("captren")
    await captren.say("/datchitieu 2")
    await captren.say("1")
    await captren.say("3")
    assert await captren.say("doan vien 3") == MORE
    rows = ["Giáo viên, giảng viên: ít nhất 1 (giữ nguyên)", "Đoàn viên: ít nhất 2 → ít nhất 3"]
    edits = ["Sửa yêu cầu thành phần 1", "Sửa yêu cầu thành phần 2"]
    assert await captren.say("khong") == screen_again("3 người (giữ nguyên)", rows, edits)
    assert await captren.say("Sửa số kết nạp") == how_many("năm học 2025-2026")
    caught = too_many(3, 2) + screen_again("3 → 2 người", rows, edits)
    assert await captren.say("2") == caught
    assert await captren.say("Lưu") == caught
    assert (await targets_of(demo, BRANCH))["2025-2026"].admissions == 3  # unchanged


async def test_an_unknown_branch_offers_the_list_to_pick_from(talk):
    captren = talk("captren")
    assert await captren.say("/datchitieu") == PICK_ORG
    assert await captren.say("phan xuong") == no_such_org("phan xuong")
    assert await captren.say("2") == when()


async def test_an_ambiguous_name_asks_which(talk):
    captren = talk("captren")
    await captren.say("/datchitieu")
    assert await captren.say("chi bo") == pick_again("Có 2 tổ chức khớp. Bạn muốn đặt chỉ tiêu cho tổ chức nào?")
    assert await captren.say("1") == when(SECOND_BRANCH)


async def test_a_committee_cannot_set_its_own_or_an_outside_target(talk, demo):
    async with demo.sessions() as session, session.begin():
        await add_org(session=session, name="Chi bộ Phân xưởng 1", kind=OrgKind.branch, parent=None,
                      now=demo.clock.now())
    captren = talk("captren")
    await captren.say("/datchitieu")
    for says in ["Đảng ủy Khối Giáo dục", "phan xuong", "3"]:
        assert await captren.say(says) == no_such_org(says)


async def test_a_committee_with_nothing_below_is_told_so(talk, demo):
    async with demo.sessions() as session, session.begin():
        lonely = await add_org(session=session, name="Đảng ủy Khối Mới", kind=OrgKind.committee, parent=None,
                               now=demo.clock.now())
        person = Person(full_name="Hồ Văn Mới", created_at=demo.clock.now())
        session.add(person)
        await session.flush()
        await grant_role(session=session, person_id=person.id, org_id=lonely.id, role=Role.committee)
        await link_chat(session=session, channel="console", account_id="moi", person_id=person.id,
                        now=demo.clock.now())
    moi = talk("moi")
    assert await moi.say("/datchitieu") == (
        "Chưa có chi bộ hay đảng bộ nào trực thuộc cấp ủy của bạn nên chưa có chỗ để đặt chỉ tiêu. Gõ /chitieu để "
        "xem chỉ tiêu hiện có.")
    # its own (empty) target only: no "Không có chi bộ" section, no other committee's branch
    assert await moi.say("/chitieu") == (
        TARGETS_VIEW + "Đảng ủy Khối Mới:\n- Chưa có chỉ tiêu cho thời gian tới.\n" + SET_ABOVE)


async def test_many_branches_page_in_the_targets_view(talk, demo):
    async with demo.sessions() as session, session.begin():
        top = (await session.exec(select(Organisation).where(Organisation.name == COMMITTEE))).one()
        for i in range(5):
            await add_org(session=session, name=f"Chi bộ Khoa {i + 1:02d}", kind=OrgKind.branch, parent=top,
                          now=demo.clock.now())
    captren = talk("captren")
    assert await captren.say("/chitieu") == (
        TARGETS_VIEW
        + COMMITTEE_PROGRESS
        + "\n"
        "Các tổ chức trực thuộc (7, trang 1/2):\n"
        "\n"
        + "\n".join(f"Chi bộ Khoa {i:02d}:\n- Chưa có chỉ tiêu cho thời gian tới.\n" for i in range(1, 6))
        + TARGETS_SET_BELOW
        + "2. Xem thêm\n"
        + CHOOSE)
    assert await captren.say("Xem thêm") == (  # the committee's own target is not repeated
        "Các tổ chức trực thuộc (7, trang 2/2):\n"
        "\n"
        + SECOND_PROGRESS
        + "\n"
        + MAIN_PROGRESS
        + TARGETS_SET_BELOW
        + CHOOSE)
    assert await captren.say("/chitieu 4") == "Không có trang 4; danh sách có 2 trang. Xem trang đầu: /chitieu"


@pytest.mark.parametrize("account, command, expect", [
    ("bithu", "/datchitieu", NOT_ALLOWED), ("giupdo", "/datchitieu", NOT_ALLOWED),
    ("giupdo", "/chitieu", NOT_ALLOWED), ("quanchung", "/chitieu", NOT_ALLOWED),
    ("quanchung", "/datchitieu", NOT_ALLOWED), ("nguoila", "/chitieu", NOT_LINKED),
    ("nguoila", "/datchitieu 1", NOT_LINKED),
])
async def test_who_may_not_see_or_set_targets_learns_nothing(talk, account, command, expect):
    assert await talk(account).say(command) == expect  # no branch, no name
