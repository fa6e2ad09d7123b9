"""/chitieu and /datchitieu: targets and progress; a committee sets the targets of the branches below it."""

from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH, CANDIDATES, COMMITTEE, SECOND, SECOND_BRANCH
from models.audit import AuditLog
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.people import Person, grant_role, link_chat
from models.stage import OrgKind, Role

NOT_ALLOWED = "không dành cho vai trò"
EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]


async def targets_of(chibo, org_name: str) -> dict[str, OrgTarget]:
    async with chibo.sessions() as session:
        org = (await session.exec(select(Organisation).where(Organisation.name == org_name))).one()
        return {t.label: t for t in await session.exec(select(OrgTarget).where(OrgTarget.org_id == org.id))}


async def test_a_secretary_sees_the_branch_target_and_progress(talk):
    reply = await talk("bithu").say("/chitieu")
    assert BRANCH in reply and SECOND_BRANCH not in reply and COMMITTEE not in reply
    assert "Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/3 — còn thiếu 3" in reply
    assert "Giáo viên, giảng viên: 0/1 (còn thiếu 1)" in reply and "Đoàn viên: 0/2" in reply
    assert "cấp ủy cấp trên đặt" in reply and "/datchitieu" not in reply


async def test_a_committee_sees_its_own_and_its_branches_targets(talk):
    reply = await talk("captren").say("/chitieu")
    assert reply.index(COMMITTEE) < reply.index("Các tổ chức trực thuộc (2)") < reply.index(SECOND_BRANCH)
    assert "đã kết nạp 0/5" in reply and "Học sinh, sinh viên: 0/2" in reply
    assert "1. Đặt chỉ tiêu cho tổ chức trực thuộc" in reply


async def test_a_committee_sets_next_years_target_for_a_branch(talk, demo):
    captren = talk("captren")
    await captren.dialog([
        ("/chitieu", "Đặt chỉ tiêu"),
        ("1", "Đặt chỉ tiêu cho tổ chức nào?"),
        ("tran phu", "trong thời gian nào?"),
        ("Năm học tới", "Trong năm học 2026-2027, Chi bộ Trường THPT Trần Phú (demo) cần kết nạp"),
        ("5", "Có yêu cầu về thành phần không?"),
        ("giáo viên", "Thêm yêu cầu khác"),
        ("doan vien 2", "Thêm yêu cầu khác"),
        ("Nữ 1", "Xin kiểm tra lại"),
    ])
    screen = captren.last[-1].text
    assert "Thời gian: năm học 2026-2027" in screen and "Kết nạp ít nhất: 5 người" in screen
    assert "Trong đó Giáo viên, giảng viên: ít nhất 1" in screen and "Trong đó Đoàn viên: ít nhất 2" in screen
    assert "Trong đó Nữ: ít nhất 1" in screen
    saved = await captren.say("Lưu")
    assert "Đã đặt chỉ tiêu cho Chi bộ Trường THPT Trần Phú (demo)" in saved
    assert "Năm học 2026-2027 (01/09/2026–31/08/2027): đã kết nạp 0/5" in saved
    row = (await targets_of(demo, BRANCH))["2026-2027"]
    assert (row.period_kind, row.starts_on, row.ends_on) == ("school_year", date(2026, 9, 1), date(2027, 8, 31))
    assert row.admissions == 5 and row.composition == {"teacher": 1, "youth_union": 2, "woman": 1}
    async with demo.sessions() as session:
        assert (await session.exec(select(AuditLog).where(AuditLog.action == "target.set"))).one().subject == \
            f"org:{row.org_id}"
    assert "Năm học 2026-2027" in await talk("bithu").say("/chitieu")  # the branch sees it


async def test_setting_the_same_period_again_replaces_the_count_and_keeps_the_composition(talk, demo):
    captren = talk("captren")
    await captren.dialog([("/datchitieu 2", "thời gian nào"), ("1", "kết nạp ít nhất"), ("4", "thành phần"),
                          ("Không yêu cầu thêm", "Tổ chức đã có chỉ tiêu"), ("Lưu", "Đã sửa chỉ tiêu")])
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
    await captren.dialog([("/datchitieu tran phu", "thời gian nào"), ("Năm học này", "kết nạp ít nhất"),
                          ("4", "thành phần"), ("nu 1", "Thêm yêu cầu khác")])
    assert await captren.say("Không yêu cầu thêm") == screen_again(
        "3 → 4 người",
        ["Giáo viên, giảng viên: ít nhất 1 (giữ nguyên)", "Đoàn viên: ít nhất 2 (giữ nguyên)",
         "Nữ: chưa có → ít nhất 1 (mới)"],
        ["Sửa yêu cầu thành phần 1", "Sửa yêu cầu thành phần 2"])
    assert (await targets_of(demo, BRANCH))["2025-2026"].composition == {"teacher": 1, "youth_union": 2}
    assert (await captren.say("Lưu")).startswith(f"Đã sửa chỉ tiêu cho {BRANCH}:")
    row = (await targets_of(demo, BRANCH))["2025-2026"]
    assert row.admissions == 4 and row.composition == {"teacher": 1, "youth_union": 2, "woman": 1}


async def test_a_requirement_named_again_changes_and_zero_drops_it(talk, demo):
    captren = talk("captren")
    await captren.dialog([("/datchitieu tran phu", "thời gian nào"), ("Năm học này", "kết nạp ít nhất"),
                          ("3", "thành phần"), ("doan vien 0", "Thêm yêu cầu khác"),
                          ("giao vien 2", "Thêm yêu cầu khác")])
    assert await captren.say("khong") == screen_again(
        "3 người (giữ nguyên)",
        ["Giáo viên, giảng viên: ít nhất 1 → ít nhất 2", "Đoàn viên: ít nhất 2 → bỏ"],
        ["Sửa yêu cầu thành phần 1", "Sửa yêu cầu thành phần 2", "Sửa yêu cầu thành phần 3"], kept=False)
    await captren.say("Lưu")
    row = (await targets_of(demo, BRANCH))["2025-2026"]
    assert row.admissions == 3 and row.composition == {"teacher": 2}


async def test_a_kept_requirement_above_a_lowered_count_is_caught_before_saving(talk, demo):
    captren = talk("captren")
    await captren.dialog([("/datchitieu tran phu", "thời gian nào"), ("Năm học này", "kết nạp ít nhất"),
                          ("1", "thành phần")])
    reply = await captren.say("Không yêu cầu thêm")
    assert reply.startswith("Yêu cầu 2 người vượt quá tổng số cần kết nạp (1).")
    assert "- Đoàn viên: ít nhất 2 (giữ nguyên)" in reply
    assert (await captren.say("Lưu")).startswith("Yêu cầu 2 người vượt quá")
    assert (await targets_of(demo, BRANCH))["2025-2026"].admissions == 3  # unchanged


async def test_a_first_target_for_a_period_is_shown_without_a_comparison(talk, demo):
    captren = talk("captren")
    await captren.dialog([("/datchitieu tran phu", "thời gian nào"), ("Năm học tới", "kết nạp ít nhất"),
                          ("2", "thành phần")])
    await captren.say("nu 1")
    assert await captren.say("khong") == (
        f"Xin kiểm tra lại trước khi lưu chỉ tiêu:\n- Tổ chức: {BRANCH}\n- Thời gian: năm học 2026-2027\n"
        "- Kết nạp ít nhất: 2 người\n- Trong đó Nữ: ít nhất 1\n\n"
        "1. Lưu\n2. Sửa tổ chức\n3. Sửa thời gian\n4. Sửa số kết nạp\n5. Sửa yêu cầu thành phần 1\n"
        "6. Sửa yêu cầu thành phần 2\n7. Hủy\n(Trả lời bằng số hoặc bằng chữ)")


async def test_a_calendar_year_and_zero_admissions_ask_no_composition(talk, demo):
    captren = talk("captren")
    await captren.dialog([("/datchitieu toan", "thời gian nào"), ("2026", "Trong năm 2026"),
                          ("0", "Xin kiểm tra lại"), ("Lưu", "Đã đặt")])
    row = (await targets_of(demo, SECOND_BRANCH))["2026"]
    assert (row.period_kind, row.starts_on, row.ends_on, row.admissions) == (
        "calendar_year", date(2026, 1, 1), date(2026, 12, 31), 0)


@pytest.mark.parametrize("says, reason", [
    ("2026-2028", 'Chưa đọc được "2026-2028"'),
    ("sang năm", "Chưa đọc được"),
    ("2024-2025", "Thời gian năm học 2024-2025 đã kết thúc (hôm nay là 02/03/2026)"),
    ("2025", "Thời gian năm 2025 đã kết thúc"),
    ("2028-2029", "Thời gian năm học 2028-2029 còn xa quá"),
])
async def test_a_bad_period_is_refused_with_its_reason(talk, says, reason):
    captren = talk("captren")
    await captren.say("/datchitieu 2")
    reply = await captren.say(says)
    assert reason in reply and "trong thời gian nào?" in reply and "Năm học này" in reply


@pytest.mark.parametrize("says, reason", [("1001", "từ 0 đến 1000"), ("năm", "không phải là một số")])
async def test_a_bad_admissions_count_is_asked_again(talk, says, reason):
    captren = talk("captren")
    await captren.dialog([("/datchitieu 2", "thời gian nào"), ("1", "kết nạp ít nhất")])
    reply = await captren.say(says)
    assert reason in reply and "kết nạp ít nhất bao nhiêu" in reply


async def test_composition_refuses_repeats_excess_and_unknown_groups(talk):
    captren = talk("captren")
    await captren.dialog([("/datchitieu 2", "thời gian"), ("1", "kết nạp ít nhất"), ("3", "thành phần"),
                          ("doan vien 2", "Thêm yêu cầu khác")])
    assert 'Đã có yêu cầu về "Đoàn viên"' in await captren.say("đoàn viên 1")
    assert "Yêu cầu 4 người vượt quá tổng số cần kết nạp (3)" in await captren.say("nu 4")
    assert "không có trong các lựa chọn" in await captren.say("người ngoài hành tinh")
    assert "Thêm yêu cầu khác" in await captren.say("giao vien 1")
    assert "Xin kiểm tra lại" in await captren.say("khong")


async def test_lowering_the_count_below_the_composition_is_caught_before_saving(talk, demo):
    captren = talk("captren")
    await captren.dialog([("/datchitieu 2", "thời gian"), ("1", "kết nạp ít nhất"), ("3", "thành phần"),
                          ("doan vien 3", "Thêm yêu cầu khác"), ("khong", "Xin kiểm tra lại"),
                          ("Sửa số kết nạp", "kết nạp ít nhất")])
    reply = await captren.say("2")
    assert "Yêu cầu 3 người vượt quá tổng số cần kết nạp (2)" in reply and "Xin kiểm tra lại" in reply
    assert "Yêu cầu 3 người vượt quá" in await captren.say("Lưu")
    assert (await targets_of(demo, BRANCH))["2025-2026"].admissions == 3  # unchanged


async def test_an_unknown_branch_offers_the_list_to_pick_from(talk):
    captren = talk("captren")
    first = await captren.say("/datchitieu")
    assert f"1. {SECOND_BRANCH}" in first and f"2. {BRANCH}" in first
    reply = await captren.say("phan xuong")
    assert 'Không có tổ chức nào khớp với "phan xuong"' in reply and f"2. {BRANCH}" in reply
    assert "Chi bộ Trường THPT Trần Phú (demo) trong thời gian nào" in await captren.say("2")


async def test_an_ambiguous_name_asks_which(talk):
    captren = talk("captren")
    await captren.say("/datchitieu")
    assert "Có 2 tổ chức khớp" in await captren.say("chi bo")
    assert "trong thời gian nào" in await captren.say("1")


async def test_a_committee_cannot_set_its_own_or_an_outside_target(talk, demo):
    async with demo.sessions() as session, session.begin():
        await add_org(session=session, name="Chi bộ Phân xưởng 1", kind=OrgKind.branch, parent=None,
                      now=demo.clock.now())
    captren = talk("captren")
    await captren.say("/datchitieu")
    for says in ["Đảng ủy Khối Giáo dục", "phan xuong", "3"]:
        assert "Không có tổ chức nào khớp" in await captren.say(says)


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
    assert "Chưa có chi bộ hay đảng bộ nào trực thuộc" in await moi.say("/datchitieu")
    reply = await moi.say("/chitieu")
    assert "Đảng ủy Khối Mới" in reply and "Chưa có chỉ tiêu cho thời gian tới" in reply
    assert "Không có chi bộ" not in reply and BRANCH not in reply


async def test_many_branches_page_in_the_targets_view(talk, demo):
    async with demo.sessions() as session, session.begin():
        top = (await session.exec(select(Organisation).where(Organisation.name == COMMITTEE))).one()
        for i in range(5):
            await add_org(session=session, name=f"Chi bộ Khoa {i + 1:02d}", kind=OrgKind.branch, parent=top,
                          now=demo.clock.now())
    captren = talk("captren")
    first = await captren.say("/chitieu")
    assert "Các tổ chức trực thuộc (7, trang 1/2)" in first and "Xem thêm" in first
    second = await captren.say("Xem thêm")
    assert "trang 2/2" in second and COMMITTEE + ":" not in second
    assert "Không có trang 4" in await captren.say("/chitieu 4")


@pytest.mark.parametrize("account, command, expect", [
    ("bithu", "/datchitieu", NOT_ALLOWED), ("giupdo", "/datchitieu", NOT_ALLOWED),
    ("giupdo", "/chitieu", NOT_ALLOWED), ("quanchung", "/chitieu", NOT_ALLOWED),
    ("quanchung", "/datchitieu", NOT_ALLOWED), ("nguoila", "/chitieu", "chưa được liên kết"),
    ("nguoila", "/datchitieu 1", "chưa được liên kết"),
])
async def test_who_may_not_see_or_set_targets_learns_nothing(talk, account, command, expect):
    reply = await talk(account).say(command)
    assert expect in reply and "Chi bộ" not in reply and not any(n in reply for n in EVERY_NAME)
