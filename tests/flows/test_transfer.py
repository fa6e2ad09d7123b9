"""/chuyen: a candidate or probationary member moves or graduates — where to, when, a hand-over
note — and the stages that cannot be transferred are refused with the rule's reason."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.demo import BRANCH, CANDIDATES, SECOND
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.deadlines import member_transfer_due
from models.org import Organisation
from models.stage import Stage

TODAY = date(2026, 3, 2)
HA, ANH, DUC = 4, 8, 13  # a sympathizer, a probationary member, admitted (waiting for the ceremony)
WHERE = "Trường THPT Lê Lợi, Đà Nẵng"


async def state(demo, number: int):
    async with demo.sessions() as session:
        candidate = (await session.exec(
            select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Organisation.name == BRANCH, Candidate.number == number))).one()
        changes = list(await session.exec(
            select(StageChange).where(StageChange.candidate_id == candidate.id).order_by(StageChange.id)))
    return candidate, changes


async def test_chuyen_alone_lists_who_may_be_transferred(talk):
    reply = await talk("bithu").say("/chuyen")
    assert "Phạm Thu Hà" in reply and "Hoàng Mai Anh" in reply and "Nguyễn Văn An" in reply
    for name in ("Tạ Minh Đức", "Cao Thị Huyền", "Mạc Văn Tài", "Ngô Đức Thắng"):  # admitted, official, removed, other
        assert name not in reply


async def test_a_sympathizer_moves_with_a_hand_over_note(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/chuyen {HA}", "Chi bộ viết nhận xét"),
        (WHERE, "từ ngày nào"),
        ("27/02/2026", "Ghi chú bàn giao"),
        ("Đã gửi nhận xét và đơn", "Xin kiểm tra lại"),
    ])
    saved = await bithu.say("Lưu")
    assert f"Phạm Thu Hà chuyển đến {WHERE} từ ngày 27/02/2026" in saved and "Nhớ gửi nhận xét" in saved
    candidate, changes = await state(demo, HA)
    assert (candidate.stage, candidate.stage_since) == (Stage.transferred, date(2026, 2, 27))
    last = changes[-1]
    assert (last.from_stage, last.to_stage, last.on) == (Stage.sympathizer, Stage.transferred, date(2026, 2, 27))
    assert last.reason == f"{WHERE}: Đã gửi nhận xét và đơn"
    async with demo.sessions() as session:
        logged = list(await session.exec(select(AuditLog).where(AuditLog.subject == f"candidate:{candidate.id}")))
    assert [a.action for a in logged] == ["candidate.transfer"]
    assert "Phạm Thu Hà" not in await bithu.say("/ds")


async def test_without_a_note_the_reason_is_the_destination(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([(f"/chuyen {HA}", "đến đâu"), (WHERE, "ngày"), ("hôm nay", "Ghi chú"),
                        ("Bỏ qua", "Ghi chú bàn giao: (không có)")])
    await bithu.say("Lưu")
    _, changes = await state(demo, HA)
    assert changes[-1].reason == WHERE


async def test_a_probationary_member_is_told_the_transfer_deadline(talk, demo):
    bithu = talk("bithu")
    summary = await bithu.say(f"/chuyen {ANH}")
    assert summary == (
        "8. Hoàng Mai Anh — Đảng viên dự bị từ 14/08/2025\n"
        "Đảng viên dự bị chuyển sinh hoạt đảng trong 60 ngày làm việc kể từ khi chuyển đi "
        "(Quy định 294-QĐ/TW, mục 6.3).\n"
        "Ghi nơi chuyển đến, ngày chuyển đi và ghi chú bàn giao.\n"
        "\n"
        "8. Hoàng Mai Anh chuyển đến đâu? Ghi đơn vị, trường, chi bộ hoặc địa phương mới (tối đa 200 ký tự).\n"
        '(Gõ "quay lại" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)')
    await bithu.dialog([(WHERE, "ngày"), ("hôm nay", "Ghi chú"), ("-", "Xin kiểm tra")])
    saved = await bithu.say("Lưu")
    assert f"hạn {member_transfer_due(TODAY).strftime('%d/%m/%Y')}" in saved
    candidate, _ = await state(demo, ANH)
    assert candidate.stage == Stage.transferred


@pytest.mark.parametrize("number, reason", [
    (DUC, "Không thể chuyển từ Có quyết định kết nạp sang Đã chuyển đi. Từ giai đoạn này chỉ chuyển được sang: "
          "Đảng viên dự bị."),
    (14, "Không thể chuyển từ Đảng viên chính thức sang Đã chuyển đi."),
    (15, "Không thể chuyển từ Đã đưa ra khỏi danh sách sang Đã chuyển đi."),
])
async def test_a_stage_that_cannot_be_transferred_is_refused_with_the_rule(talk, demo, number, reason):
    bithu = talk("bithu")
    assert reason in await bithu.say(f"/chuyen {number}")
    assert "chưa hiểu" in await bithu.say(WHERE)  # nothing was started
    candidate, _ = await state(demo, number)
    assert candidate.stage != Stage.transferred


async def test_someone_already_transferred_is_said_so(talk):
    bithu = talk("bithu")
    await bithu.dialog([(f"/chuyen {HA}", "đến đâu"), (WHERE, "ngày"), ("hôm nay", "Ghi chú"), ("-", "Xin"),
                        ("Lưu", "Đã ghi")])
    assert "đang ở giai đoạn Đã chuyển đi rồi" in await bithu.say(f"/chuyen {HA}")


async def test_a_destination_too_long_is_asked_again(talk):
    bithu = talk("bithu")
    await bithu.say(f"/chuyen {HA}")
    reply = await bithu.say("x" * 201)
    assert "dài quá: 201 ký tự, tối đa 200" in reply and "chuyển đến đâu" in reply


async def test_the_note_shares_the_500_characters_with_the_destination(talk, demo):
    where = "Đ" * 200
    bithu = talk("bithu")
    await bithu.dialog([(f"/chuyen {HA}", "đến đâu"), (where, "ngày"), ("hôm nay", "Ghi chú")])
    assert "tối đa 298" in await bithu.say("n" * 299)
    assert "Xin kiểm tra lại" in await bithu.say("n" * 298)
    await bithu.say("Lưu")
    _, changes = await state(demo, HA)
    assert len(changes[-1].reason) == 500


async def test_a_longer_destination_after_the_note_is_caught_before_saving(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([(f"/chuyen {HA}", "đến đâu"), ("Hà Nội", "ngày"), ("hôm nay", "Ghi chú"),
                        ("n" * 400, "Xin kiểm tra lại"), ("Sửa nơi chuyển đến", "đến đâu")])
    screen = await bithu.say("Đ" * 150)
    assert "cộng lại dài 552 ký tự, quá 500" in screen
    assert "cộng lại dài" in await bithu.say("Lưu")
    candidate, _ = await state(demo, HA)
    assert candidate.stage == Stage.sympathizer


@pytest.mark.parametrize("answer, reason", [
    ("03/03/2026", "chưa tới"), ("tuần trước", "Chưa đọc được ngày"), ("29/02/2026", "Không có ngày 29/02/2026"),
    ((TODAY - timedelta(days=121)).strftime("%d/%m/%Y"), "sớm hơn lần thay đổi trước"),
])
async def test_a_wrong_date_is_explained_and_asked_again(talk, answer, reason):
    bithu = talk("bithu")
    await bithu.dialog([(f"/chuyen {HA}", "đến đâu"), (WHERE, "ngày")])
    reply = await bithu.say(answer)
    assert reason in reply and "Chuyển đi từ ngày nào" in reply


async def test_a_short_date_is_read(talk):
    bithu = talk("bithu")
    await bithu.dialog([(f"/chuyen {HA}", "đến đâu"), (WHERE, "ngày"), ("1/3/26", "Ghi chú")])
    assert "Ngày chuyển đi: 01/03/2026" in await bithu.say("-")


EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]


@pytest.mark.parametrize("account, expect", [
    ("giupdo", "không dành cho vai trò"), ("quanchung", "không dành cho vai trò"),
    ("captren", "không dành cho vai trò"), ("nguoila", "chưa được liên kết"),
])
async def test_only_the_branch_secretary_or_deputy_may_transfer(talk, demo, account, expect):
    person = talk(account)
    said = [await person.say(c) for c in ["/chuyen", f"/chuyen {HA}", WHERE, "/chuyen pham thu ha"]]
    assert expect in said[0] and expect in said[1] and expect in said[3]
    for name in EVERY_NAME:
        if account == "quanchung" and name == "Lê Hoàng Minh":
            continue
        assert not any(name in s for s in said), name
    candidate, _ = await state(demo, HA)
    assert candidate.stage == Stage.sympathizer


async def test_a_candidate_of_another_branch_is_not_found(talk):
    reply = await talk("bithu").say("/chuyen ngo duc thang")
    assert "Không tìm thấy" in reply and "Ngô Đức Thắng" not in reply
