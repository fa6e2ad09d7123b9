"""/hoso, /ghihoso, /lamhoso, /denghiketnap: the admission dossier as a checklist, recording
its items, starting it, and refusing to propose while something is missing or too old."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, CANDIDATES, SECOND
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord, DossierEntry
from models.org import Organisation
from models.party_class import Enrollment

NOT_ALLOWED = "không dành cho vai trò"
NOT_LINKED = "chưa được liên kết"
TODAY = date(2026, 3, 2)
LAN_ITEMS = (
    "Ghi mục nào trong hồ sơ của 6. Đặng Ngọc Lan? Gõ số thứ tự (số 1 đến 9 trùng với mẫu 1-KNĐ đến 9-KNĐ) "
    "hoặc mã mẫu. Gõ /huy để hủy, \"quay lại\" để sửa câu trước.\n"
    "\n"
    "1. 1-KNĐ đơn xin vào Đảng\n"
    "2. 2-KNĐ lý lịch người xin vào Đảng và thẩm tra\n"
    "3. 3-KNĐ giấy giới thiệu của đảng viên chính thức\n"
    "4. 4-KNĐ nghị quyết giới thiệu của Đoàn (Công đoàn)\n"
    "5. 5-KNĐ tổng hợp ý kiến nhận xét\n"
    "6. 6-KNĐ nghị quyết của chi bộ\n"
    "7. 7-KNĐ báo cáo thẩm định của đảng ủy bộ phận\n"
    "8. 8-KNĐ nghị quyết của đảng ủy cơ sở\n"
    "9. 9-KNĐ quyết định kết nạp\n"
    "10. CN-NTVĐ giấy chứng nhận lớp nhận thức về Đảng\n"
    "(Trả lời bằng số hoặc bằng chữ)")
ITEM_DATE = "Giấy tờ này đề ngày nào? (ngày/tháng/năm, ví dụ 12/2/2026, hoặc \"hôm nay\")"


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


async def candidate(chibo, number: int) -> Candidate:
    async with chibo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return (await session.exec(select(Candidate).where(
            Candidate.branch_id == branch.id, Candidate.number == number))).one()


async def entries(chibo, number: int) -> dict[str, DossierEntry]:
    c = await candidate(chibo, number)
    async with chibo.sessions() as session:
        return {e.item: e for e in await session.exec(select(DossierEntry).where(DossierEntry.candidate_id == c.id))}


async def put_entries(chibo, number: int, **dated: date) -> None:
    """put_entries(demo, 6, KND3=date) records items; the name KNDn stands for n-KNĐ."""
    c = await candidate(chibo, number)
    async with chibo.sessions() as session, session.begin():
        for key, day in dated.items():
            item = "CN-NTVĐ" if key == "CNNTVD" else f"{key[3:]}-KNĐ"
            await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == c.id,
                                                             DossierEntry.item == item))
            session.add(DossierEntry(candidate_id=c.id, item=item, dated=day, at=chibo.clock.now()))


async def update(chibo, table, number: int, **values) -> None:
    c = await candidate(chibo, number)
    key = table.id if table is Candidate else table.candidate_id
    async with chibo.sessions() as session, session.begin():
        await session.exec(sa.update(table).where(key == c.id).values(**values))


@pytest.fixture(autouse=True)
async def lan_half_done(demo):
    """These tests read Đặng Ngọc Lan's (6) file halfway: CN-NTVĐ, 1- and 2-KNĐ only. (The demo
    gives her a complete file, for the branch's vote, which refuses an incomplete one.)"""
    c = await candidate(demo, 6)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == c.id,
                                                         DossierEntry.item.in_(["3-KNĐ", "4-KNĐ", "5-KNĐ"])))


async def complete_lan(chibo) -> None:
    """Đặng Ngọc Lan (6) has CN-NTVĐ, 1- and 2-KNĐ here; add the rest."""
    await put_entries(chibo, 6, KND3=ago(10), KND4=ago(9), KND5=ago(8))


# ---- /hoso ------------------------------------------------------------------------------------------

async def test_the_checklist_shows_each_item_with_its_date_or_what_is_missing(talk):
    reply = await talk("bithu").say("/hoso 6")
    assert "Hồ sơ kết nạp của 6. Đặng Ngọc Lan (Đang làm hồ sơ" in reply
    assert "Bắt đầu làm hồ sơ: 01/01/2026" in reply
    assert 'CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp "Lớp nhận thức' in reply
    assert "- 1-KNĐ (đơn xin vào Đảng): 03/01/2026" in reply
    assert "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu" in reply
    assert "- 6-KNĐ (nghị quyết của chi bộ): chưa có" in reply
    assert "1. Ghi ngày một mục" in reply and "Đề nghị kết nạp" in reply


async def test_each_missing_item_is_listed_once(talk):
    assert await talk("bithu").say("/hoso 6") == (
        "Hồ sơ kết nạp của 6. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
        "Bắt đầu làm hồ sơ: 01/01/2026\n"
        "\n"
        "Cần có trước khi chi bộ xét kết nạp:\n"
        '- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp "Lớp nhận thức về Đảng '
        'khóa 1")\n'
        "- 1-KNĐ (đơn xin vào Đảng): 03/01/2026\n"
        "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
        "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
        "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
        "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
        "\n"
        "Sau khi chi bộ xét:\n"
        "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
        "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
        "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
        "- 9-KNĐ (quyết định kết nạp): chưa có\n"
        "\n"
        "Chưa đủ để chi bộ xét: còn 3 mục phải bổ sung hoặc làm lại.\n"
        "\n"
        "1. Ghi ngày một mục\n"
        "2. Sửa ngày bắt đầu làm hồ sơ\n"
        "3. Đề nghị kết nạp\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_the_checklist_asks_whose_and_finds_a_name_without_diacritics(talk):
    bithu = talk("bithu")
    assert await bithu.say("/hoso") == (
        "Xem hồ sơ kết nạp của ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được).")
    assert await bithu.say("dang ngoc lan") == (
        "Hồ sơ kết nạp của 6. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
        "Bắt đầu làm hồ sơ: 01/01/2026\n"
        "\n"
        "Cần có trước khi chi bộ xét kết nạp:\n"
        "- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp \"Lớp nhận thức về Đảng "
        "khóa 1\")\n"
        "- 1-KNĐ (đơn xin vào Đảng): 03/01/2026\n"
        "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
        "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
        "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
        "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
        "\n"
        "Sau khi chi bộ xét:\n"
        "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
        "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
        "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
        "- 9-KNĐ (quyết định kết nạp): chưa có\n"
        "\n"
        "Chưa đủ để chi bộ xét: còn 3 mục phải bổ sung hoặc làm lại.\n"
        "\n"
        "1. Ghi ngày một mục\n"
        "2. Sửa ngày bắt đầu làm hồ sơ\n"
        "3. Đề nghị kết nạp\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_the_union_resolution_is_required_only_of_a_youth_union_member(talk):
    bithu = talk("bithu")
    assert await bithu.say("/hoso 6") == (
        "Hồ sơ kết nạp của 6. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
        "Bắt đầu làm hồ sơ: 01/01/2026\n"
        "\n"
        "Cần có trước khi chi bộ xét kết nạp:\n"
        "- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp \"Lớp nhận thức về Đảng "
        "khóa 1\")\n"
        "- 1-KNĐ (đơn xin vào Đảng): 03/01/2026\n"
        "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
        "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
        "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
        "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
        "\n"
        "Sau khi chi bộ xét:\n"
        "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
        "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
        "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
        "- 9-KNĐ (quyết định kết nạp): chưa có\n"
        "\n"
        "Chưa đủ để chi bộ xét: còn 3 mục phải bổ sung hoặc làm lại.\n"
        "\n"
        "1. Ghi ngày một mục\n"
        "2. Sửa ngày bắt đầu làm hồ sơ\n"
        "3. Đề nghị kết nạp\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    tung = await bithu.say("/hoso 5")  # not a Youth Union member
    assert "4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): không bắt buộc" in tung
    assert "Còn thiếu 4-KNĐ" not in tung


async def test_items_after_the_vote_come_from_the_admission_record(talk):
    reply = await talk("bithu").say("/hoso 8")  # Hoàng Mai Anh, probationary
    assert f"- 6-KNĐ (nghị quyết của chi bộ): {ago(260):%d/%m/%Y} (ghi bằng /ketnap)" in reply
    assert f"- 9-KNĐ (quyết định kết nạp): {ago(215):%d/%m/%Y} (ghi bằng /ketnap)" in reply


async def test_an_expired_certificate_is_flagged(talk, demo):
    await update(demo, Enrollment, 6, certificate_on=date(2021, 1, 10))
    await put_entries(demo, 6, CNNTVD=date(2021, 1, 10))
    reply = await talk("bithu").say("/hoso 6")
    assert ('- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 10/01/2021, số CN-0101 (lớp "Lớp nhận thức về '
            'Đảng khóa 1") — đã hết hạn từ 10/01/2026\n') in reply
    assert reply.count("CN-NTVĐ") == 1  # told on its own line, not again below
    assert "Chưa đủ để chi bộ xét: còn 4 mục phải bổ sung hoặc làm lại." in reply


async def test_a_certificate_about_to_expire_is_a_notice(talk, demo):
    await update(demo, Enrollment, 6, certificate_on=date(2021, 4, 20))
    await put_entries(demo, 6, CNNTVD=date(2021, 4, 20))
    reply = await talk("bithu").say("/hoso 6")
    assert "— sắp quá hạn" in reply and "Lưu ý:" in reply and "sẽ hết hạn ngày 20/04/2026" in reply


async def test_items_older_than_twelve_months_must_be_redone(talk, demo):
    await put_entries(demo, 6, KND3=date(2025, 2, 1))
    reply = await talk("bithu").say("/hoso 6")
    assert ("- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): 01/02/2025 — đã quá 12 tháng (hạn 01/02/2026), "
            "phải làm lại\n") in reply
    assert reply.count("3-KNĐ") == 1  # told on its own line, not again below


async def test_an_ageing_dossier_is_a_notice(talk, demo):
    await update(demo, AdmissionRecord, 6, dossier_started_on=date(2025, 3, 20))
    reply = await talk("bithu").say("/hoso 6")
    assert "Hồ sơ chuẩn bị từ 20/03/2025; chi bộ cần xét trước 20/03/2026" in reply


# ---- /ghihoso ----------------------------------------------------------------------------------------

async def test_recording_an_item_saves_its_date_and_holder(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/hoso 6")
    assert "Ghi mục nào" in await bithu.say("Ghi ngày một mục")
    await bithu.dialog_in([("3", "đề ngày nào"), ("25/2/26", "viết thư giới thiệu"), ("Bình", "từ ngày nào"),
                        ("1/9/2022", "Ai đang giữ"), ("Văn phòng chi bộ", "Xin kiểm tra lại")])
    saved = await bithu.say("Lưu")
    assert ("Đã ghi 3-KNĐ (giấy giới thiệu của đảng viên chính thức) ngày 25/02/2026 cho Đặng Ngọc Lan; "
            "người giới thiệu: Trần Văn Bình (cùng công tác từ 01/09/2022).") in saved
    assert "3-KNĐ (giấy giới thiệu của đảng viên chính thức): 25/02/2026, người giữ: Văn phòng chi bộ" in saved
    entry = (await entries(demo, 6))["3-KNĐ"]
    assert (entry.dated, entry.holder) == (date(2026, 2, 25), "Văn phòng chi bộ")
    async with demo.sessions() as session:
        logged = (await session.exec(select(AuditLog).where(
            AuditLog.subject == f"candidate:{entry.candidate_id}", AuditLog.action == "candidate.dossier"))).all()
    assert len(logged) >= 2  # the checklist was read, then the item written


async def test_recording_an_item_again_replaces_its_date(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/ghihoso 6",
         LAN_ITEMS),
        ("1-KNĐ",
         ITEM_DATE),
        ("hôm nay",
         "Ai đang giữ bản giấy tờ này (ví dụ: văn phòng chi bộ)? Tối đa 120 ký tự, hoặc chọn \"Bỏ qua\".\n"
         "\n"
         "1. Bỏ qua\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Bỏ qua",
         "Xin kiểm tra lại:\n"
         "- Người: 6. Đặng Ngọc Lan\n"
         "- Mục: 1-KNĐ (đơn xin vào Đảng)\n"
         "- Ngày: 02/03/2026\n"
         "- Người giữ: (không ghi)\n"
         "Nếu mục này đã có ngày, ngày mới sẽ thay ngày cũ.\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục hồ sơ\n"
         "4. Sửa ngày\n"
         "5. Sửa người giữ\n"
         "6. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("Lưu") == (
        "Đã ghi 1-KNĐ (đơn xin vào Đảng) ngày 02/03/2026 cho Đặng Ngọc Lan (thay ngày cũ 03/01/2026).\n"
        "\n"
        "Hồ sơ kết nạp của 6. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
        "Bắt đầu làm hồ sơ: 01/01/2026\n"
        "\n"
        "Cần có trước khi chi bộ xét kết nạp:\n"
        "- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp \"Lớp nhận thức về Đảng "
        "khóa 1\")\n"
        "- 1-KNĐ (đơn xin vào Đảng): 02/03/2026\n"
        "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
        "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
        "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
        "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
        "\n"
        "Sau khi chi bộ xét:\n"
        "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
        "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
        "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
        "- 9-KNĐ (quyết định kết nạp): chưa có\n"
        "\n"
        "Chưa đủ để chi bộ xét: còn 3 mục phải bổ sung hoặc làm lại.\n"
        "\n"
        "1. Ghi ngày một mục\n"
        "2. Sửa ngày bắt đầu làm hồ sơ\n"
        "3. Đề nghị kết nạp\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    entries_now = await entries(demo, 6)
    assert entries_now["1-KNĐ"].dated == TODAY and entries_now["1-KNĐ"].holder is None
    assert len(entries_now) == 3


async def test_an_unknown_item_is_refused(talk):
    bithu = talk("bithu")
    await bithu.say("/ghihoso 6")
    reply = await bithu.say("giấy khai sinh")
    assert 'Không có mục "giấy khai sinh" trong danh mục hồ sơ kết nạp' in reply and "Ghi mục nào" in reply


async def test_the_branch_resolution_is_recorded_with_the_vote_not_here(talk):
    bithu = talk("bithu")
    await bithu.say("/ghihoso 6")
    reply = await bithu.say("6")
    assert "6-KNĐ (nghị quyết của chi bộ) được ghi cùng biểu quyết" in reply and "/ketnap" in reply


@pytest.mark.parametrize("typed, why", [
    ("3/4/2026", "Ngày 03/04/2026 chưa tới (hôm nay là 02/03/2026).\n"),
    ("30/2/2026", "Không có ngày 30/2/2026 trên lịch. Xin kiểm tra lại ngày và tháng.\n"),
    ("tuần trước", 'Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, hoặc "hôm '
                   'nay", "hôm qua".\n'),
    ("1/1/1990", "Ngày này sớm hơn ngày sinh của người này (28/02/1997).\n")])
async def test_a_bad_item_date_is_explained(talk, demo, typed, why):
    bithu = talk("bithu")
    await bithu.dialog([("/ghihoso 6", LAN_ITEMS), ("3", ITEM_DATE)])
    assert await bithu.say(typed) == why + ITEM_DATE
    assert "3-KNĐ" not in await entries(demo, 6)


async def test_a_holder_too_long_is_refused(talk):
    bithu = talk("bithu")
    await bithu.dialog_in([("/ghihoso 6", "Ghi mục nào"), ("1", "đề ngày nào"), ("hôm nay", "Ai đang giữ")])
    assert "tối đa 120" in await bithu.say("x" * 121)


# ---- /lamhoso -----------------------------------------------------------------------------------------

async def test_starting_the_dossier_moves_the_candidate_to_the_dossier_stage(talk, demo):
    await put_entries(demo, 12, CNNTVD=ago(20))  # Lương Thị Mỹ, in the awareness class stage
    bithu = talk("bithu")
    await bithu.dialog([
        ("/lamhoso 12",
         "Ngày bắt đầu làm hồ sơ của 12. Lương Thị Mỹ? (thường là ngày viết đơn xin vào Đảng; ngày/tháng/năm "
         "hoặc \"hôm nay\")"),
        ("hôm nay",
         "Xin kiểm tra lại:\n"
         "- Người: 12. Lương Thị Mỹ\n"
         "- Ngày bắt đầu làm hồ sơ: 02/03/2026\n"
         "Người đang học lớp nhận thức sẽ chuyển sang giai đoạn \"Đang làm hồ sơ\" từ ngày này (cần giấy chứng "
         "nhận lớp nhận thức về Đảng còn hạn).\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa ngày bắt đầu\n"
         "4. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    reply = await bithu.say("Lưu")
    assert 'Lương Thị Mỹ chuyển sang giai đoạn "Đang làm hồ sơ" từ ngày 02/03/2026' in reply
    assert "Hồ sơ kết nạp của 12. Lương Thị Mỹ" in reply
    my = await candidate(demo, 12)
    async with demo.sessions() as session:
        record = await session.get(AdmissionRecord, my.id)
        change = (await session.exec(select(StageChange).where(StageChange.candidate_id == my.id)
                                     .order_by(StageChange.id.desc()))).first()
    assert my.stage == "dossier" and record.dossier_started_on == TODAY
    assert (change.from_stage, change.to_stage, change.on) == ("awareness_class", "dossier", TODAY)


async def test_a_dossier_needs_a_certificate(talk, demo):
    bithu = talk("bithu")
    reply = await bithu.say("/lamhoso 5")  # Võ Thanh Tùng is still in class
    assert "Võ Thanh Tùng chưa có giấy chứng nhận" in reply and "Lệnh /lamhoso đã dừng" in reply
    assert (await candidate(demo, 5)).stage == "awareness_class"


async def test_an_expired_certificate_cannot_start_a_dossier(talk, demo):
    await put_entries(demo, 12, CNNTVD=date(2020, 1, 1))
    bithu = talk("bithu")
    await bithu.say("/lamhoso 12")
    reply = await bithu.say("hôm nay")
    assert "cấp ngày 01/01/2020 đã hết hạn từ 01/01/2025" in reply and "Sửa ngày bắt đầu" in reply
    assert await bithu.say("Lưu") == (
        "Giấy chứng nhận lớp nhận thức về Đảng cấp ngày 01/01/2020 đã hết hạn từ 01/01/2025 (giá trị 60 "
        "tháng); cần học lại.\n"
        "Xin kiểm tra lại:\n"
        "- Người: 12. Lương Thị Mỹ\n"
        "- Ngày bắt đầu làm hồ sơ: 02/03/2026\n"
        "Người đang học lớp nhận thức sẽ chuyển sang giai đoạn \"Đang làm hồ sơ\" từ ngày này (cần giấy chứng "
        "nhận lớp nhận thức về Đảng còn hạn).\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa ngày bắt đầu\n"
        "4. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert (await candidate(demo, 12)).stage == "awareness_class"


async def test_a_start_before_the_last_stage_change_is_refused(talk, demo):
    await put_entries(demo, 12, CNNTVD=ago(100))
    bithu = talk("bithu")
    await bithu.say("/lamhoso 12")
    reply = await bithu.say(ago(60).strftime("%d/%m/%Y"))  # in the class stage only since 50 days ago
    assert "sớm hơn ngày người này bắt đầu giai đoạn hiện tại (" in reply
    await bithu.dialog([
        ("Sửa ngày bắt đầu",
         "Ngày bắt đầu làm hồ sơ của 12. Lương Thị Mỹ? (thường là ngày viết đơn xin vào Đảng; ngày/tháng/năm "
         "hoặc \"hôm nay\")"),
        ("hôm nay",
         "Xin kiểm tra lại:\n"
         "- Người: 12. Lương Thị Mỹ\n"
         "- Ngày bắt đầu làm hồ sơ: 02/03/2026\n"
         "Người đang học lớp nhận thức sẽ chuyển sang giai đoạn \"Đang làm hồ sơ\" từ ngày này (cần giấy chứng "
         "nhận lớp nhận thức về Đảng còn hạn).\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa ngày bắt đầu\n"
         "4. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Lương Thị Mỹ chuyển sang giai đoạn \"Đang làm hồ sơ\" từ ngày 02/03/2026.\n"
         "\n"
         "Hồ sơ kết nạp của 12. Lương Thị Mỹ (Đang làm hồ sơ từ 02/03/2026)\n"
         "Bắt đầu làm hồ sơ: 02/03/2026\n"
         "\n"
         "Cần có trước khi chi bộ xét kết nạp:\n"
         "- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 22/11/2025\n"
         "- 1-KNĐ (đơn xin vào Đảng): còn thiếu\n"
         "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): còn thiếu\n"
         "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
         "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
         "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
         "\n"
         "Sau khi chi bộ xét:\n"
         "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
         "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
         "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
         "- 9-KNĐ (quyết định kết nạp): chưa có\n"
         "\n"
         "Chưa đủ để chi bộ xét: còn 5 mục phải bổ sung hoặc làm lại.\n"
         "\n"
         "1. Ghi ngày một mục\n"
         "2. Sửa ngày bắt đầu làm hồ sơ\n"
         "3. Đề nghị kết nạp\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert (await candidate(demo, 12)).stage == "dossier"


async def test_a_sympathizer_cannot_start_a_dossier(talk):
    reply = await talk("bithu").say("/lamhoso 3")
    assert 'Lê Hoàng Minh đang ở giai đoạn "Cảm tình Đảng"' in reply and "Lệnh /lamhoso đã dừng" in reply


async def test_a_dossier_already_started_gets_its_date_corrected(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/lamhoso 6",
         "Ngày bắt đầu làm hồ sơ của 6. Đặng Ngọc Lan? (thường là ngày viết đơn xin vào Đảng; ngày/tháng/năm "
         "hoặc \"hôm nay\")"),
        ("5/1/2026",
         "Xin kiểm tra lại:\n"
         "- Người: 6. Đặng Ngọc Lan\n"
         "- Ngày bắt đầu làm hồ sơ: 05/01/2026\n"
         "Người đang học lớp nhận thức sẽ chuyển sang giai đoạn \"Đang làm hồ sơ\" từ ngày này (cần giấy chứng "
         "nhận lớp nhận thức về Đảng còn hạn).\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa ngày bắt đầu\n"
         "4. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("Lưu") == (
        "Đã sửa ngày bắt đầu làm hồ sơ của Đặng Ngọc Lan từ 01/01/2026 thành 05/01/2026.\n"
        "\n"
        "Hồ sơ kết nạp của 6. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
        "Bắt đầu làm hồ sơ: 05/01/2026\n"
        "\n"
        "Cần có trước khi chi bộ xét kết nạp:\n"
        "- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp \"Lớp nhận thức về Đảng "
        "khóa 1\")\n"
        "- 1-KNĐ (đơn xin vào Đảng): 03/01/2026\n"
        "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
        "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
        "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
        "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
        "\n"
        "Sau khi chi bộ xét:\n"
        "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
        "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
        "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
        "- 9-KNĐ (quyết định kết nạp): chưa có\n"
        "\n"
        "Chưa đủ để chi bộ xét: còn 3 mục phải bổ sung hoặc làm lại.\n"
        "\n"
        "1. Ghi ngày một mục\n"
        "2. Sửa ngày bắt đầu làm hồ sơ\n"
        "3. Đề nghị kết nạp\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    lan = await candidate(demo, 6)
    async with demo.sessions() as session:
        assert (await session.get(AdmissionRecord, lan.id)).dossier_started_on == date(2026, 1, 5)
    assert lan.stage == "dossier"


async def test_the_admission_record_is_created_when_missing(talk, demo):
    lan = await candidate(demo, 6)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(AdmissionRecord).where(AdmissionRecord.candidate_id == lan.id))
    assert await talk("bithu").say("/hoso 6") == (
        "Hồ sơ kết nạp của 6. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
        "Chưa ghi ngày bắt đầu làm hồ sơ.\n"
        "\n"
        "Cần có trước khi chi bộ xét kết nạp:\n"
        "- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp \"Lớp nhận thức về Đảng "
        "khóa 1\")\n"
        "- 1-KNĐ (đơn xin vào Đảng): 03/01/2026\n"
        "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
        "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
        "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
        "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
        "\n"
        "Sau khi chi bộ xét:\n"
        "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
        "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
        "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
        "- 9-KNĐ (quyết định kết nạp): chưa có\n"
        "\n"
        "Chưa đủ để chi bộ xét: còn 3 mục phải bổ sung hoặc làm lại.\n"
        "\n"
        "1. Ghi ngày một mục\n"
        "2. Bắt đầu làm hồ sơ\n"
        "3. Đề nghị kết nạp\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    bithu = talk("bithu")
    await bithu.dialog([
        ("/lamhoso 6",
         "Ngày bắt đầu làm hồ sơ của 6. Đặng Ngọc Lan? (thường là ngày viết đơn xin vào Đảng; ngày/tháng/năm "
         "hoặc \"hôm nay\")"),
        ("hôm nay",
         "Xin kiểm tra lại:\n"
         "- Người: 6. Đặng Ngọc Lan\n"
         "- Ngày bắt đầu làm hồ sơ: 02/03/2026\n"
         "Người đang học lớp nhận thức sẽ chuyển sang giai đoạn \"Đang làm hồ sơ\" từ ngày này (cần giấy chứng "
         "nhận lớp nhận thức về Đảng còn hạn).\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa ngày bắt đầu\n"
         "4. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã ghi ngày bắt đầu làm hồ sơ của Đặng Ngọc Lan: 02/03/2026.\n"
         "\n"
         "Hồ sơ kết nạp của 6. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
         "Bắt đầu làm hồ sơ: 02/03/2026\n"
         "\n"
         "Cần có trước khi chi bộ xét kết nạp:\n"
         "- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp \"Lớp nhận thức về "
         "Đảng khóa 1\")\n"
         "- 1-KNĐ (đơn xin vào Đảng): 03/01/2026\n"
         "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
         "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
         "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
         "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
         "\n"
         "Sau khi chi bộ xét:\n"
         "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
         "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
         "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
         "- 9-KNĐ (quyết định kết nạp): chưa có\n"
         "\n"
         "Chưa đủ để chi bộ xét: còn 3 mục phải bổ sung hoặc làm lại.\n"
         "\n"
         "1. Ghi ngày một mục\n"
         "2. Sửa ngày bắt đầu làm hồ sơ\n"
         "3. Đề nghị kết nạp\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    async with demo.sessions() as session:
        assert (await session.get(AdmissionRecord, lan.id)).dossier_started_on == TODAY


# ---- /denghiketnap -----------------------------------------------------------------------------------

async def test_proposing_is_refused_while_items_are_missing_and_says_which(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/hoso 6")
    reply = await bithu.say("Đề nghị kết nạp")
    assert "Chưa thể đề nghị kết nạp 6. Đặng Ngọc Lan" in reply
    for item in ("3-KNĐ", "4-KNĐ", "5-KNĐ"):
        assert f"Còn thiếu {item}" in reply
    assert "Còn thiếu 1-KNĐ" not in reply
    assert (await candidate(demo, 6)).stage == "dossier"


async def test_a_complete_dossier_is_ready_for_the_branch_vote(talk, demo):
    await complete_lan(demo)
    reply = await talk("bithu").say("/denghiketnap 6")
    assert "Hồ sơ của 6. Đặng Ngọc Lan đã đủ để chi bộ xét kết nạp" in reply and "/ketnap 6" in reply
    assert (await candidate(demo, 6)).stage == "dossier"  # the vote is recorded with /ketnap


async def test_proposing_is_refused_with_an_expired_certificate(talk, demo):
    await complete_lan(demo)
    await update(demo, Enrollment, 6, certificate_on=date(2021, 1, 10))
    await put_entries(demo, 6, CNNTVD=date(2021, 1, 10))
    reply = await talk("bithu").say("/denghiketnap 6")
    assert "Giấy chứng nhận lớp nhận thức về Đảng cấp ngày 10/01/2021 đã hết hạn từ 10/01/2026" in reply
    assert reply.count("10/01/2021") == 1  # said once, not again as a checklist item


async def test_proposing_is_refused_under_eighteen(talk, demo):
    await complete_lan(demo)
    await update(demo, Candidate, 6, birth_date=date(2008, 6, 1))
    reply = await talk("bithu").say("/denghiketnap 6")
    assert "Chưa đủ 18 tuổi: người này đủ 18 tuổi từ ngày 01/06/2026" in reply


async def test_proposing_is_refused_with_stale_letters(talk, demo):
    await complete_lan(demo)
    await put_entries(demo, 6, KND3=date(2025, 1, 5))
    reply = await talk("bithu").say("/denghiketnap 6")
    assert "3-KNĐ (giấy giới thiệu của đảng viên chính thức) ngày 05/01/2025 đã quá 12 tháng" in reply


async def test_only_someone_making_a_dossier_can_be_proposed(talk):
    bithu = talk("bithu")
    reply = await bithu.say("/denghiketnap 5")
    assert "chỉ đề nghị kết nạp người đang làm hồ sơ" in reply and "/lamhoso" in reply
    assert "Lệnh /denghiketnap đã dừng" in reply


# ---- who may do what ---------------------------------------------------------------------------------

EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]


@pytest.mark.parametrize("account, refusal", [
    ("captren", NOT_ALLOWED), ("giupdo", NOT_ALLOWED), ("quanchung", NOT_ALLOWED), ("nguoila", NOT_LINKED)])
async def test_only_the_branch_secretary_works_on_dossiers(talk, demo, account, refusal):
    person = talk(account)
    said = [await person.say(c) for c in
            ["/hoso 6", "/hoso", "/ghihoso 6", "/lamhoso 12", "/denghiketnap 6", "3", "hôm nay", "Lưu"]]
    assert all(refusal in s for s in said[:5])
    for name in EVERY_NAME:
        if account == "quanchung" and name == "Lê Hoàng Minh":
            continue
        assert not any(name in s for s in said), name
    assert "3-KNĐ" not in await entries(demo, 6) and (await candidate(demo, 12)).stage == "awareness_class"


async def test_a_secretary_does_not_see_another_branch_dossier(talk):
    reply = await talk("bithu").say("/hoso ngo duc")
    assert 'Không tìm thấy ai khớp với "ngo duc"' in reply and "Ngô Đức Thắng" not in reply


async def test_after_the_vote_nothing_is_due_only_unrecorded(talk):
    reply = await talk("bithu").say("/hoso 8")  # Hoàng Mai Anh, probationary
    assert "1-KNĐ (đơn xin vào Đảng): chưa ghi" in reply and "Chi bộ đã xét kết nạp người này" in reply
    assert "còn thiếu" not in reply and "Còn phải bổ sung" not in reply and "Đề nghị kết nạp" not in reply
