"""A branch secretary sends the period's report up in one step (/baocao gửi); the sending is
recorded and the committee above sees who has sent and who has not (roll-up, digest)."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.config import Settings
from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.outbox import Outbox
from models.people import ChatLink
from models.reports.submission import ReportSubmission


@pytest.fixture
def settings(database_url, tmp_path):
    """Files go to the test's own folder, not the working directory."""
    return Settings(database_url=database_url, data_dir=str(tmp_path), _env_file=None)


async def person_of(demo, account: str) -> int:
    async with demo.sessions() as session:
        return (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == account))).one()


async def test_a_secretary_sends_the_month_due_in_one_step(talk, demo, settings):
    reply = await talk("bithu").say("/baocao gửi")
    folder = f"{settings.data_dir}/reports/sent/TP/2026-02/1"  # the branch, the period, the sending
    assert reply == (
        f"Báo cáo tháng — {BRANCH} — Tháng 2/2026\n\n"
        "- Theo giai đoạn: Quần chúng ưu tú (nguồn) 4; Cảm tình Đảng 3; Học lớp nhận thức về Đảng 2; "
        "Đang làm hồ sơ 1; Đã đề nghị kết nạp 1; Có quyết định kết nạp 1; Đảng viên dự bị 1\n"
        "- Trong tháng: thêm vào nguồn 3, sang cảm tình Đảng 0, đưa ra khỏi danh sách 0; chi bộ đã xét 0 người\n"
        "- Chưa được đảng viên giúp đỡ gặp trong tháng: 3\n"
        "- Hồ sơ đang làm: 1; việc đến hạn trong 30 ngày: 7; quá hạn: 0\n\n"
        "Đã ghi các tệp:\n"
        + "\n".join(f"{folder}/monthly-TP-2026-02.{x}" for x in ("xlsx", "docx", "pdf", "png"))
        + f"\n\nĐã gửi báo cáo này lên {COMMITTEE}.")
    async with demo.sessions() as session:
        [sent] = (await session.exec(select(ReportSubmission))).all()
        notices = (await session.exec(select(Outbox).where(Outbox.kind == "report_sent"))).all()
    assert (sent.period, sent.kind, sent.person_id, sent.at) == (
        "2026-02", "monthly", await person_of(demo, "bithu"), demo.clock.now())
    assert sent.files == [f"TP/2026-02/1/monthly-TP-2026-02.{x}" for x in ("xlsx", "docx", "pdf", "png")]
    assert sent.figures["added"] == 3 and sent.figures["dossiers"] == 1  # the figures as sent
    # the committee above hears of it
    assert [(n.person_id, n.values) for n in notices] == [(await person_of(demo, "captren"), {
        "branch": BRANCH, "kind": "monthly", "period": "Tháng 2/2026"})]


async def test_the_committee_sees_who_has_sent(talk):
    sent = await talk("bithu").say("gửi báo cáo")  # plain words: the month due
    assert sent.endswith(f"Đã gửi báo cáo này lên {COMMITTEE}.")
    captren = talk("captren")
    await captren.say("/baocao")
    await captren.say("1")
    await captren.say("Báo cáo tháng")
    reply = await captren.say("Tháng trước")
    assert reply.split("\n\nĐã ghi các tệp:")[0] == (
        f"Báo cáo tháng — {COMMITTEE} — Tháng 2/2026\n\n"
        "- Kết nạp: 0 (cùng kỳ năm trước 0)\n"
        "- 2 chi bộ, 0% chi bộ kết nạp được đảng viên; chưa kết nạp: 2; không thay đổi 90 ngày: 0\n"
        "- Đã gửi báo cáo kỳ này: 1/2 chi bộ")
    # March has its own: nobody has sent it
    await captren.say("/baocao")
    await captren.say("1")
    await captren.say("Báo cáo tháng")
    assert (await captren.say("Tháng này")).split("\n\nĐã ghi các tệp:")[0].endswith(
        "- Đã gửi báo cáo kỳ này: 0/2 chi bộ")


async def test_sending_again_and_other_periods(talk, demo, settings):
    bithu = talk("bithu")
    await bithu.say("/baocao gửi")
    first = settings.data_dir + "/reports/sent/TP/2026-02/1/monthly-TP-2026-02.xlsx"
    kept = Path(first).read_bytes()
    demo.clock.advance(hours=1)
    again = await bithu.say("/baocao gui 2/2026")
    assert again.endswith(f"\n\nĐã gửi lại báo cáo này lên {COMMITTEE}. Cấp trên xem bản gửi sau cùng.")
    # each sending keeps its own files: the first ones are still there, as they were sent
    second = first.replace("/1/", "/2/")
    assert f"\n{second}\n" in again and first not in again
    assert Path(first).read_bytes() == kept and Path(second).is_file()
    quarter = await bithu.say("/baocao gửi Q4/2025")
    assert quarter.startswith(f"Khảo sát nguồn theo quý — {BRANCH} — Quý 4 năm 2025\n")
    async with demo.sessions() as session:
        rows = (await session.exec(select(ReportSubmission.period, ReportSubmission.kind)
                                   .order_by(ReportSubmission.id))).all()
    assert rows == [("2026-02", "monthly"), ("2026-02", "monthly"), ("2025-Q4", "quarterly")]


async def test_what_cannot_be_sent(talk, demo):
    bithu = talk("bithu")
    assert await bithu.say("/baocao gửi 13/2026") == (
        'Không đọc được kỳ báo cáo "13/2026". Gõ ví dụ: /baocao gửi 2/2026, /baocao gửi Q1/2026, /baocao gửi 2026.')
    assert await bithu.say("/baocao gửi 4/2026") == 'Kỳ báo cáo "4/2026" chưa bắt đầu. Gõ ví dụ: /baocao gửi 2/2026.'
    assert await talk("captren").say("/baocao gửi") == (
        "Chỉ bí thư, phó bí thư chi bộ gửi báo cáo lên cấp trên. Gõ /baocao để lập báo cáo.")
    assert await talk("giupdo").say("/baocao gửi") == await talk("giupdo").say("/tonghop")  # not allowed
    async with demo.sessions() as session:
        assert (await session.exec(sa.select(sa.func.count()).select_from(ReportSubmission))).scalar() == 0


async def test_a_branch_with_nobody_above(talk, demo):
    async with demo.sessions() as session, session.begin():
        from models.org import Organisation

        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        branch.parent_id = None
    assert await talk("bithu").say("/baocao gửi") == f"{BRANCH} chưa có cấp ủy cấp trên trong chibo để gửi báo cáo."
    assert SECOND_BRANCH


async def reminders_on(demo, day: int) -> dict[str, list[str]]:
    """A morning's messages in March 2026, by account."""
    from bot.channels.memory import MemoryChannel
    from bot.clock import vn_time
    from bot.dispatcher import Dispatcher
    from bot.scheduler import tick

    async def no_wait(_seconds: float) -> None:
        return None

    channel = MemoryChannel("console")
    dispatcher = Dispatcher(sessions=demo.sessions, channels={"console": channel}, clock=demo.clock, sleep=no_wait)
    demo.clock.current = vn_time(2026, 3, day, 8)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    return {chat: [m.text for m in messages] for chat, messages in channel.sent.items()}


async def test_the_report_due_reminder_carries_the_report_and_the_command_that_sends_it(demo):
    [text] = (await reminders_on(demo, 25))["bithu"]
    item = next(line for line in text.splitlines() if "Đến hạn báo cáo" in line)
    assert item == (
        "- Đến hạn báo cáo tháng 03/2026 lên cấp ủy cấp trên. Trong tháng: thêm vào nguồn 0, sang cảm tình Đảng 0, "
        "đưa ra khỏi danh sách 0; đang theo dõi 13 người. chibo đã lập sẵn báo cáo: gõ /baocao gửi 3/2026 để gửi "
        "ngay (kèm tệp Excel, Word, PDF), hoặc /baocao để xem trước.")


async def test_a_branch_that_has_sent_is_not_reminded_and_the_digest_says_who_has(talk, demo):
    await talk("bithu").say("/baocao gửi 3/2026")
    received = await reminders_on(demo, 25)
    assert not any("Đến hạn báo cáo" in t for t in received.get("bithu", []))
    received = await reminders_on(demo, 30)  # Monday: the committee's weekly digest
    [digest] = received["captren"]
    assert ("  Báo cáo tháng 3/2026: 1/2 chi bộ đã gửi; chưa gửi: Chi bộ Khoa Toán, ĐH Sư phạm (demo).\n"
            in digest)
