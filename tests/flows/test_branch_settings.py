"""/chibo: a branch's settings in chat (issue 13 item 10, issue 14): each shown with its value,
changed one at a time with its own question and checks, and in force at once."""

from datetime import date

import pytest
from sqlmodel import select

from bot.clock import vn_time
from models.audit import AuditLog
from models.org import Organisation
from tests.support import number_of
from tests.test_reminders import days_with, run_days

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"
CHOICES = "(Trả lời bằng số hoặc bằng chữ)"


def settings_screen(nudge: str = "sau 30 ngày chưa gặp", meeting: str = "ngày 5 hằng tháng",
                    founded: str = "(chưa đặt)", decided_by: str = "(chưa đặt)", branch: str = BRANCH) -> str:
    return (f"Cài đặt của {branch}. Muốn đổi mục nào? (gõ /huy nếu chỉ xem)\n\n"
            f"1. Ngày sinh hoạt chi bộ: {meeting}\n"
            f"2. Ngày thành lập chi bộ: {founded}\n"
            f"3. Nhắc đảng viên giúp đỡ: {nudge}\n"
            "4. Đã hết nguồn phát triển đảng viên: không\n"
            f"5. Cấp ủy quyết định kết nạp: {decided_by}\n"
            "6. Nơi cấp giấy chứng nhận lớp bồi dưỡng: (chưa đặt)\n"
            f"7. Tên chi bộ: {branch}\n"
            "8. Kênh được gửi họ tên, ngày sinh: Zalo và Telegram\n"
            f"{CHOICES}")


def confirmation(label: str, old: str, new: str) -> str:
    return (f"Xin kiểm tra lại trước khi lưu — {BRANCH}:\n- {label}: {old} → {new}\n\n"
            f"1. Lưu\n2. Sửa mục cài đặt\n3. Sửa giá trị mới\n4. Hủy\n{CHOICES}")


NUDGE_QUESTION = ("Đảng viên giúp đỡ chưa gặp quần chúng bao nhiêu ngày thì chibo nhắc? (từ 7 đến 90 ngày; "
                  "thường là 30)")


async def test_a_secretary_sees_the_settings_and_changes_the_sponsor_nudge(talk, demo):
    bithu = talk("bithu")
    assert await bithu.say("/chibo") == settings_screen()
    assert await bithu.say("3") == NUDGE_QUESTION
    assert await bithu.say("5") == f"Số này phải từ 7 đến 90.\n{NUDGE_QUESTION}"
    assert await bithu.say("20") == confirmation("Nhắc đảng viên giúp đỡ", "sau 30 ngày chưa gặp",
                                                 "sau 20 ngày chưa gặp")
    assert await bithu.say("1") == (
        f"Đã lưu cài đặt của {BRANCH} — Nhắc đảng viên giúp đỡ: sau 30 ngày chưa gặp → sau 20 ngày chưa gặp.\n"
        "Xem lại hoặc đổi mục khác: /chibo")
    assert await bithu.say("/chibo") == settings_screen(nudge="sau 20 ngày chưa gặp")
    async with demo.sessions() as session:
        [entry] = (await session.exec(select(AuditLog).where(AuditLog.action == "org.settings"))).all()
        org = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
    assert (entry.subject, org.sponsor_nudge_days) == (f"org:{org.id}", 20)


async def test_the_branch_is_renamed_and_its_new_name_shows_at_once(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/chibo")
    question = "Tên đầy đủ mới của chi bộ là gì? (như trên giấy tờ, ví dụ: Chi bộ Trường THPT Trần Phú)"
    assert await bithu.say("7") == question
    assert await bithu.say("   ") == f"Chưa có câu trả lời.\n{question}"
    new = "Chi bộ Trường THPT Trần Phú (Hà Nội)"
    assert await bithu.say(new) == confirmation("Tên chi bộ", BRANCH, new)
    assert await bithu.say("1") == (
        f"Đã lưu cài đặt của {new} — Tên chi bộ: {BRANCH} → {new}.\nXem lại hoặc đổi mục khác: /chibo")
    async with demo.sessions() as session:
        [entry] = (await session.exec(select(AuditLog).where(AuditLog.action == "org.settings"))).all()
        org = await session.get(Organisation, int(entry.subject.removeprefix("org:")))
    assert org.name == new
    assert await bithu.say("/chibo") == settings_screen(branch=new)


async def test_the_committee_that_decides_and_the_founding_date_are_kept(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/chibo")
    assert await bithu.say("5") == ("Cấp ủy nào ra quyết định kết nạp đảng viên cho chi bộ? (ví dụ: Đảng ủy Khối "
                                    "các cơ quan tỉnh)")
    await bithu.say("Đảng ủy Khối các cơ quan tỉnh")
    await bithu.say("Lưu")
    await bithu.say("/chibo")
    assert await bithu.say("ngay thanh lap") == "Chi bộ được thành lập ngày nào? (ngày/tháng/năm)"
    assert await bithu.say("01/01/2030") == ("Ngày 01/01/2030 chưa tới (hôm nay là 02/03/2026).\n"
                                             "Chi bộ được thành lập ngày nào? (ngày/tháng/năm)")
    await bithu.say("15/03/1998")
    assert await bithu.say("Lưu") == (
        f"Đã lưu cài đặt của {BRANCH} — Ngày thành lập chi bộ: (chưa đặt) → 15/03/1998.\n"
        "Xem lại hoặc đổi mục khác: /chibo")
    assert await bithu.say("/chibo") == settings_screen(founded="15/03/1998",
                                                        decided_by="Đảng ủy Khối các cơ quan tỉnh")


async def test_the_same_value_again_changes_nothing(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/chibo")
    await bithu.say("1")
    assert await bithu.say("5") == (f"Xin kiểm tra lại trước khi lưu — {BRANCH}:\n"
                                    "- Ngày sinh hoạt chi bộ: ngày 5 hằng tháng → ngày 5 hằng tháng\n"
                                    "Giá trị mới giống hệt giá trị đang ghi: lưu cũng không thay đổi gì.\n\n"
                                    f"1. Lưu\n2. Sửa mục cài đặt\n3. Sửa giá trị mới\n4. Hủy\n{CHOICES}")
    assert await bithu.say("1") == f"Không có gì thay đổi: Ngày sinh hoạt chi bộ của {BRANCH} vẫn là ngày 5 hằng tháng."
    async with demo.sessions() as session:
        assert (await session.exec(select(AuditLog).where(AuditLog.action == "org.settings"))).all() == []


@pytest.mark.parametrize("account", ["giupdo", "quanchung", "captren"])
async def test_only_the_branchs_officers_change_its_settings(talk, account):
    assert await talk(account).say("/chibo") == ("Lệnh này không dành cho vai trò của bạn. Gõ /trogiup để xem các "
                                                 "lệnh bạn dùng được.")


async def test_a_branchs_own_nudge_days_time_the_sponsors_reminder(talk, demo):
    # Lê Hoàng Minh was last met on 18/02/2026: nudged on day 20 (10/03), not day 30 (20/03)
    bithu = talk("bithu")
    for says in ("/chibo", "3", "20", "1"):
        await bithu.say(says)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 21))
    assert days_with(seen, "giupdo", "chưa gặp Lê Hoàng Minh") == [date(2026, 3, 10)]
    minh = await number_of(demo, "Lê Hoàng Minh")
    assert days_with(seen, "bithu", f"Lê Hoàng Minh (số {minh}): đảng viên giúp đỡ chưa gặp 20 ngày") == [
        date(2026, 3, 10)]


async def test_the_no_source_left_exemption_is_set_in_chat_and_shows_in_the_targets(talk, demo):
    """Issue 13 item 9: the branch's "no source left" exemption is set in /chibo, not only in the database."""
    bithu = talk("bithu")
    assert "được miễn" not in await bithu.say("/chitieu")
    await bithu.say("/chibo")
    assert await bithu.say("4") == ("Chi bộ đã hết nguồn để phát triển đảng viên (không còn quần chúng nào để bồi "
                                    f"dưỡng)?\n\n1. Có\n2. Không\n{CHOICES}")
    assert await bithu.say("Có") == confirmation("Đã hết nguồn phát triển đảng viên", "không", "có")
    assert await bithu.say("Lưu") == (
        f"Đã lưu cài đặt của {BRANCH} — Đã hết nguồn phát triển đảng viên: không → có.\n"
        "Xem lại hoặc đổi mục khác: /chibo")
    assert await bithu.say("/chitieu") == (
        "Chỉ tiêu kết nạp đảng viên và tiến độ (tính theo ngày lễ kết nạp):\n\n"
        f"{BRANCH}:\n"
        "- Năm học 2025-2026 (01/09/2025–31/08/2026): đã kết nạp 0/3 — được miễn vì không còn nguồn\n"
        "  + Giáo viên, giảng viên: 0/1 (còn thiếu 1)\n  + Đoàn viên: 0/2 (còn thiếu 2)\n\n"
        "Chỉ tiêu do cấp ủy cấp trên đặt; có gì chưa đúng xin báo cấp ủy.")


async def test_the_meeting_day_set_in_chat_times_the_next_review(talk, demo):
    """Issue 13 item 10: the monthly meeting is a setting; a source's next step is due at the next meeting."""
    bithu = talk("bithu")
    step = ("- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn {} (Hướng dẫn "
            "12-HD/BTCTW)")
    assert step.format("05/03/2026") in await bithu.say("/xem Nguyễn Văn An")
    await bithu.say("/chibo")
    await bithu.say("1")
    assert await bithu.say("32") == (
        "Số này phải từ 1 đến 31.\n"
        "Chi bộ sinh hoạt vào ngày nào hằng tháng? (một số từ 1 đến 31; tháng ngắn hơn thì là ngày cuối tháng)")
    assert await bithu.say("10") == confirmation("Ngày sinh hoạt chi bộ", "ngày 5 hằng tháng", "ngày 10 hằng tháng")
    await bithu.say("Lưu")
    assert step.format("10/03/2026") in await bithu.say("/xem Nguyễn Văn An")
