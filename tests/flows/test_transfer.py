"""/chuyen: a candidate or probationary member moves or graduates — where to, when, a hand-over
note — and the stages that cannot be transferred are refused with the rule's reason."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.demo import BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.deadlines import member_transfer_due
from models.org import Organisation
from models.stage import Stage
from tests.support import numbers_of
from tests.texts import CHOOSE, HINT, NOT_ALLOWED, NOT_LINKED, NOT_UNDERSTOOD, NOT_UNDERSTOOD_STRANGER

TODAY = date(2026, 3, 2)
# Register numbers are looked up by name (the `no` fixture, tests/support.py number_of).
HA, ANH, DUC = "Phạm Thu Hà", "Hoàng Mai Anh", "Tạ Minh Đức"  # a sympathizer, a probationary member, admitted
HUYEN, TAI = "Cao Thị Huyền", "Mạc Văn Tài"  # an official member, removed from the list
AN, NGOC, MINH, TUNG, LAN, HUY = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Minh", "Võ Thanh Tùng",
                                  "Đặng Ngọc Lan", "Bùi Quốc Huy")
SON, XUAN, KHOA, MY = "Trịnh Công Sơn", "Vũ Thị Thanh Xuân", "Đinh Văn Khoa", "Lương Thị Mỹ"
WHERE = "Trường THPT Lê Lợi, Đà Nẵng"
SEE = "Xem những người ghi được: /chuyen · Xem cả danh sách: /ds"


def who(no: dict[str, int]) -> str:
    return ("Ai chuyển đi? Chọn một người dưới đây (số ở đầu dòng là số trong /ds), hoặc gõ số hay một phần họ "
            "tên.\n"
            + HINT + "\n"
            "\n"
            f"{no[AN]}. Nguyễn Văn An (1998) — Quần chúng ưu tú (nguồn)\n"
            f"{no[NGOC]}. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
            f"{no[MINH]}. Lê Hoàng Minh (1995) — Cảm tình Đảng\n"
            f"{no[HA]}. Phạm Thu Hà (2000) — Cảm tình Đảng\n"
            f"{no[TUNG]}. Võ Thanh Tùng (1990) — Học lớp nhận thức về Đảng\n"
            f"{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
            f"{no[HUY]}. Bùi Quốc Huy (1993) — Đã đề nghị kết nạp\n"
            f"{no[ANH]}. Hoàng Mai Anh (1996) — Đảng viên dự bị\n"
            f"{no[SON]}. Trịnh Công Sơn (2008) — Quần chúng ưu tú (nguồn)\n"
            f"{no[XUAN]}. Vũ Thị Thanh Xuân (1999) — Quần chúng ưu tú (nguồn)\n"
            f"{no[KHOA]}. Đinh Văn Khoa (1988) — Cảm tình Đảng\n"
            f"{no[MY]}. Lương Thị Mỹ (2001) — Học lớp nhận thức về Đảng\n"
            "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")


def where_to_ha(no: dict[str, int]) -> str:
    return (f"{no[HA]}. Phạm Thu Hà chuyển đến đâu? Ghi đơn vị, trường, chi bộ hoặc địa phương mới (tối đa 200 ký "
            "tự).\n"
            + HINT)


def start_ha(no: dict[str, int]) -> str:
    return (f"{no[HA]}. Phạm Thu Hà — Cảm tình Đảng từ 02/11/2025\n"
            "Chi bộ viết nhận xét và giới thiệu người này với nơi mới, kèm hồ sơ đã có.\n"
            "Ghi nơi chuyển đến, ngày chuyển đi và ghi chú bàn giao.\n"
            "\n"
            + where_to_ha(no))


WHEN = ('Chuyển đi từ ngày nào? Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc "hôm nay".\n'
        + HINT)
NOTE = ('Ghi chú bàn giao cho nơi mới (nhận xét ngắn, hồ sơ đã gửi những gì...)? Tối đa 500 ký tự, hoặc chọn '
        '"Bỏ qua".\n'
        + HINT + "\n"
        "\n"
        "1. Bỏ qua\n"
        + CHOOSE)
SENT = "Nhớ gửi nhận xét của chi bộ và hồ sơ đã có cho nơi mới.\nDanh sách còn lại: /ds"


def ds_without_ha(no: dict[str, int]) -> str:
    return ("Danh sách quần chúng và đảng viên dự bị (12 người):\n"
            "\n"
            "Quần chúng ưu tú (nguồn):\n"
            f"{no[AN]}. Nguyễn Văn An (1998)\n"
            f"{no[NGOC]}. Trần Thị Bích Ngọc (2008)\n"
            f"{no[SON]}. Trịnh Công Sơn (2008)\n"
            f"{no[XUAN]}. Vũ Thị Thanh Xuân (1999)\n"
            "\n"
            "Cảm tình Đảng:\n"
            f"{no[MINH]}. Lê Hoàng Minh (1995)\n"
            f"{no[KHOA]}. Đinh Văn Khoa (1988)\n"
            "\n"
            "Học lớp nhận thức về Đảng:\n"
            f"{no[TUNG]}. Võ Thanh Tùng (1990)\n"
            f"{no[MY]}. Lương Thị Mỹ (2001)\n"
            "\n"
            "Đang làm hồ sơ:\n"
            f"{no[LAN]}. Đặng Ngọc Lan (1997)\n"
            "\n"
            "Đã đề nghị kết nạp:\n"
            f"{no[HUY]}. Bùi Quốc Huy (1993)\n"
            "\n"
            "Có quyết định kết nạp:\n"
            f"{no[DUC]}. Tạ Minh Đức (1994)\n"
            "\n"
            "Đảng viên dự bị:\n"
            f"{no[ANH]}. Hoàng Mai Anh (1996)\n"
            "\n"
            "Xem một người: /xem SỐ hoặc /xem TÊN")


def ha_line(no: dict[str, int]) -> str:
    return f"{no[HA]}. Phạm Thu Hà"


def confirm(who: str, where: str = WHERE, day: str = "02/03/2026",
            note: str = "(không có)") -> str:
    return (f"Xin kiểm tra lại trước khi lưu — {who}:\n"
            f"- Chuyển đến: {where}\n"
            f"- Ngày chuyển đi: {day}\n"
            f"- Ghi chú bàn giao: {note}\n"
            'Khi lưu: chuyển sang giai đoạn "Đã chuyển đi"; người này không còn trong danh sách của chi bộ.\n'
            "\n"
            "1. Lưu\n"
            "2. Sửa người\n"
            "3. Sửa nơi chuyển đến\n"
            "4. Sửa ngày chuyển đi\n"
            "5. Sửa ghi chú bàn giao\n"
            "6. Hủy\n"
            + CHOOSE)


def too_long(length: int, most: int) -> str:
    return f"Câu trả lời dài quá: {length} ký tự, tối đa {most}.\n"


async def fill_in(bithu, no: dict[str, int], where: str = WHERE, day: str = "hôm nay") -> None:
    """/chuyen HA, where, day: up to the hand-over note."""
    assert await bithu.say(f"/chuyen {no[HA]}") == start_ha(no)
    assert await bithu.say(where) == WHEN
    assert await bithu.say(day) == NOTE


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register number of each candidate these tests type or expect, looked up by name."""
    return await numbers_of(demo, (AN, NGOC, MINH, HA, TUNG, LAN, HUY, ANH, SON, XUAN, KHOA, MY, DUC, HUYEN, TAI))


async def state(demo, full_name: str):
    async with demo.sessions() as session:
        candidate = (await session.exec(
            select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Organisation.name == BRANCH, Candidate.full_name == full_name))).one()
        changes = list(await session.exec(
            select(StageChange).where(StageChange.candidate_id == candidate.id).order_by(StageChange.id)))
    return candidate, changes


async def test_chuyen_alone_lists_who_may_be_transferred(talk, no):
    # not listed: admitted (Tạ Minh Đức), official (Cao Thị Huyền), removed (Mạc Văn Tài), other branch
    assert await talk("bithu").say("/chuyen") == who(no)


async def test_a_sympathizer_moves_with_a_hand_over_note(talk, demo, no):
    bithu = talk("bithu")
    await fill_in(bithu, no, day="27/02/2026")
    assert await bithu.say("Đã gửi nhận xét và đơn") == confirm(ha_line(no), day="27/02/2026",
                                                                note="Đã gửi nhận xét và đơn")
    assert await bithu.say("Lưu") == (f"Đã ghi: Phạm Thu Hà chuyển đến {WHERE} từ ngày 27/02/2026.\n"
                                      "Ghi chú bàn giao: Đã gửi nhận xét và đơn\n"
                                      + SENT)
    candidate, changes = await state(demo, HA)
    assert (candidate.stage, candidate.stage_since) == (Stage.transferred, date(2026, 2, 27))
    last = changes[-1]
    assert (last.from_stage, last.to_stage, last.on) == (Stage.sympathizer, Stage.transferred, date(2026, 2, 27))
    assert last.reason == f"{WHERE}: Đã gửi nhận xét và đơn"
    async with demo.sessions() as session:
        logged = list(await session.exec(select(AuditLog).where(AuditLog.subject == f"candidate:{candidate.id}")))
    assert [a.action for a in logged] == ["candidate.transfer"]
    assert await bithu.say("/ds") == ds_without_ha(no)


async def test_without_a_note_the_reason_is_the_destination(talk, demo, no):
    bithu = talk("bithu")
    await fill_in(bithu, no)
    assert await bithu.say("Bỏ qua") == confirm(ha_line(no))
    assert await bithu.say("Lưu") == f"Đã ghi: Phạm Thu Hà chuyển đến {WHERE} từ ngày 02/03/2026.\n" + SENT
    _, changes = await state(demo, HA)
    assert changes[-1].reason == WHERE


async def test_a_probationary_member_is_told_the_transfer_deadline(talk, demo, no):
    bithu = talk("bithu")
    summary = await bithu.say(f"/chuyen {no[ANH]}")
    assert summary == (
        f"{no[ANH]}. Hoàng Mai Anh — Đảng viên dự bị từ 14/08/2025\n"
        "Đảng viên dự bị chuyển sinh hoạt đảng trong 60 ngày làm việc kể từ khi chuyển đi "
        "(Quy định 294-QĐ/TW, mục 6.3).\n"
        "Ghi nơi chuyển đến, ngày chuyển đi và ghi chú bàn giao.\n"
        "\n"
        f"{no[ANH]}. Hoàng Mai Anh chuyển đến đâu? Ghi đơn vị, trường, chi bộ hoặc địa phương mới (tối đa 200 ký tự).\n"
        + HINT)
    assert await bithu.say(WHERE) == WHEN
    assert await bithu.say("hôm nay") == NOTE
    assert await bithu.say("-") == confirm(f"{no[ANH]}. Hoàng Mai Anh")
    due = member_transfer_due(TODAY).strftime("%d/%m/%Y")
    assert due == "28/05/2026"
    assert await bithu.say("Lưu") == (f"Đã ghi: Hoàng Mai Anh chuyển đến {WHERE} từ ngày 02/03/2026.\n"
                                      f"Đảng viên dự bị chuyển sinh hoạt đảng trong 60 ngày làm việc: hạn {due}.\n"
                                      "Danh sách còn lại: /ds")
    candidate, _ = await state(demo, ANH)
    assert candidate.stage == Stage.transferred


@pytest.mark.parametrize("name, reason", [
    (DUC, "Không thể chuyển từ Có quyết định kết nạp sang Đã chuyển đi. Từ giai đoạn này chỉ chuyển được sang: "
          "Đảng viên dự bị."),
    (HUYEN, "Không thể chuyển từ Đảng viên chính thức sang Đã chuyển đi."),
    (TAI, "Không thể chuyển từ Đã đưa ra khỏi danh sách sang Đã chuyển đi. Từ giai đoạn này chỉ chuyển được sang: "
         "Quần chúng ưu tú (nguồn)."),
])
async def test_a_stage_that_cannot_be_transferred_is_refused_with_the_rule(talk, demo, no, name, reason):
    bithu = talk("bithu")
    assert await bithu.say(f"/chuyen {no[name]}") == reason + "\n" + SEE
    assert await bithu.say(WHERE) == NOT_UNDERSTOOD  # nothing was started
    candidate, _ = await state(demo, name)
    assert candidate.stage != Stage.transferred


async def test_someone_already_transferred_is_said_so(talk, no):
    bithu = talk("bithu")
    await fill_in(bithu, no)
    assert await bithu.say("-") == confirm(ha_line(no))
    assert await bithu.say("Lưu") == f"Đã ghi: Phạm Thu Hà chuyển đến {WHERE} từ ngày 02/03/2026.\n" + SENT
    assert await bithu.say(f"/chuyen {no[HA]}") == "Người này đang ở giai đoạn Đã chuyển đi rồi.\n" + SEE


async def test_a_destination_too_long_is_asked_again(talk, no):
    bithu = talk("bithu")
    await bithu.say(f"/chuyen {no[HA]}")
    assert await bithu.say("x" * 201) == too_long(201, 200) + where_to_ha(no)


async def test_the_note_shares_the_500_characters_with_the_destination(talk, demo, no):
    where = "Đ" * 200
    bithu = talk("bithu")
    await fill_in(bithu, no, where=where)
    assert await bithu.say("n" * 299) == too_long(299, 298) + NOTE
    assert await bithu.say("n" * 298) == confirm(ha_line(no), where=where, note="n" * 298)
    assert await bithu.say("Lưu") == (f"Đã ghi: Phạm Thu Hà chuyển đến {where} từ ngày 02/03/2026.\n"
                                      f"Ghi chú bàn giao: {'n' * 298}\n"
                                      + SENT)
    _, changes = await state(demo, HA)
    assert len(changes[-1].reason) == 500


async def test_a_longer_destination_after_the_note_is_caught_before_saving(talk, demo, no):
    bithu = talk("bithu")
    await fill_in(bithu, no, where="Hà Nội")
    assert await bithu.say("n" * 400) == confirm(ha_line(no), where="Hà Nội", note="n" * 400)
    assert await bithu.say("Sửa nơi chuyển đến") == where_to_ha(no)
    too_much = ("Nơi chuyển đến và ghi chú bàn giao cộng lại dài 552 ký tự, quá 500. Xin rút gọn ghi chú "
                "(chọn Sửa ghi chú bàn giao).\n"
                + confirm(ha_line(no), where="Đ" * 150, note="n" * 400))
    assert await bithu.say("Đ" * 150) == too_much
    assert await bithu.say("Lưu") == too_much
    candidate, _ = await state(demo, HA)
    assert candidate.stage == Stage.sympathizer


@pytest.mark.parametrize("answer, reason", [
    ("03/03/2026", "Ngày 03/03/2026 chưa tới (hôm nay là 02/03/2026).\n"),
    ("tuần trước", "Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, "
                   'hoặc "hôm nay", "hôm qua".\n'),
    ("29/02/2026", "Không có ngày 29/02/2026 trên lịch. Xin kiểm tra lại ngày và tháng.\n"),
    ((TODAY - timedelta(days=121)).strftime("%d/%m/%Y"),
     "Ngày 01/11/2025 sớm hơn ngày người này bắt đầu giai đoạn hiện tại (02/11/2025).\n"),
])
async def test_a_wrong_date_is_explained_and_asked_again(talk, answer, reason, no):
    bithu = talk("bithu")
    assert await bithu.say(f"/chuyen {no[HA]}") == start_ha(no)
    assert await bithu.say(WHERE) == WHEN
    assert await bithu.say(answer) == reason + WHEN


async def test_a_short_date_is_read(talk, no):
    bithu = talk("bithu")
    await fill_in(bithu, no, day="1/3/26")
    assert await bithu.say("-") == confirm(ha_line(no), day="01/03/2026")


@pytest.mark.parametrize("account, expect, not_understood", [
    ("giupdo", NOT_ALLOWED, NOT_UNDERSTOOD), ("quanchung", NOT_ALLOWED, NOT_UNDERSTOOD),
    ("captren", NOT_ALLOWED, NOT_UNDERSTOOD), ("nguoila", NOT_LINKED, NOT_UNDERSTOOD_STRANGER),
])
async def test_only_the_branch_secretary_or_deputy_may_transfer(talk, demo, account, expect, not_understood, no):
    person = talk(account)
    said = [await person.say(c) for c in ["/chuyen", f"/chuyen {no[HA]}", WHERE, "/chuyen pham thu ha"]]
    assert said == [expect, expect, not_understood, expect]  # names no one
    candidate, _ = await state(demo, HA)
    assert candidate.stage == Stage.sympathizer


async def test_a_candidate_of_another_branch_is_not_found(talk):
    assert await talk("bithu").say("/chuyen ngo duc thang") == (
        'Không tìm thấy ai khớp với "ngo duc thang" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một '
        "phần họ tên khác.\n"
        + SEE)
