"""/hoso, /ghihoso, /lamhoso, /denghiketnap: the admission dossier as a checklist, recording
its items, starting it, and refusing to propose while something is missing or too old."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord, DossierEntry
from models.org import Organisation
from models.party_class import Enrollment
from tests.support import number_of, numbers_of
from tests.texts import CHOOSE, NOT_ALLOWED, NOT_LINKED, NOT_UNDERSTOOD, NOT_UNDERSTOOD_STRANGER
from tests.texts import lan_items as items_of

TODAY = date(2026, 3, 2)
# Register numbers are looked up by name (the `no` fixture, tests/support.py number_of).
LAN, MY, TUNG, MINH, DUC, HUY = ("Đặng Ngọc Lan", "Lương Thị Mỹ", "Võ Thanh Tùng", "Lê Hoàng Minh", "Tạ Minh Đức",
                                 "Bùi Quốc Huy")


def lan_items(no: dict[str, int]) -> str:
    return items_of(no[LAN])


ITEM_DATE = "Giấy tờ này đề ngày nào? (ngày/tháng/năm, ví dụ 12/2/2026, hoặc \"hôm nay\")"
HOLDER = ('Ai đang giữ bản giấy tờ này (ví dụ: văn phòng chi bộ)? Tối đa 120 ký tự, hoặc chọn "Bỏ qua".\n'
          "\n"
          "1. Bỏ qua\n"
          + CHOOSE)
AFTER_THE_VOTE = ("Sau khi chi bộ xét:\n"
                  "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
                  "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
                  "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
                  "- 9-KNĐ (quyết định kết nạp): chưa có\n")
FILE_CHOICES = ("1. Ghi ngày một mục\n"
                "2. Sửa ngày bắt đầu làm hồ sơ\n"
                "3. Đề nghị kết nạp\n"
                + CHOOSE)
LAN_CERTIFICATE = '28/10/2025, số CN-0101 (lớp "Lớp nhận thức về Đảng khóa 1")'


def lan_file(no: dict[str, int], *, started: str = "Bắt đầu làm hồ sơ: 01/01/2026", certificate: str = LAN_CERTIFICATE,
             first: str = "03/01/2026", letter: str = "còn thiếu", due: int = 3, notice: str = "",
             start_choice: str = "Sửa ngày bắt đầu làm hồ sơ") -> str:
    """Đặng Ngọc Lan's checklist as /hoso shows it here (CN-NTVĐ, 1- and 2-KNĐ recorded);
    each argument is a line a test changes (test_each_missing_item_is_listed_once spells it out)."""
    return (f"Hồ sơ kết nạp của {no[LAN]}. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
            f"{started}\n"
            "\n"
            "Cần có trước khi chi bộ xét kết nạp:\n"
            f"- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): {certificate}\n"
            f"- 1-KNĐ (đơn xin vào Đảng): {first}\n"
            "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
            f"- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): {letter}\n"
            "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
            "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
            "\n"
            + AFTER_THE_VOTE
            + "\n"
            f"Chưa đủ để chi bộ xét: còn {due} mục phải bổ sung hoặc làm lại.\n"
            "\n"
            + (f"Lưu ý:\n{notice}\n" if notice else "")
            + FILE_CHOICES.replace("Sửa ngày bắt đầu làm hồ sơ", start_choice))


# Tạ Minh Đức, admitted ({} his number, looked up): what came after the vote is read from the admission
# record. (A probationary member's /hoso is the recognition file: tests/flows/test_recognition_file.py.)
DUC_FILE = (
    "Hồ sơ kết nạp của {}. Tạ Minh Đức (Có quyết định kết nạp từ 15/02/2026)\n"
    "Bắt đầu làm hồ sơ: 02/11/2025\n"
    "\n"
    "Cần có trước khi chi bộ xét kết nạp:\n"
    '- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0087 (lớp "Lớp nhận thức về Đảng khóa 1")\n'
    "- 1-KNĐ (đơn xin vào Đảng): chưa ghi\n"
    "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): chưa ghi\n"
    "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): chưa ghi\n"
    "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): không bắt buộc\n"
    "- 5-KNĐ (tổng hợp ý kiến nhận xét): chưa ghi\n"
    "\n"
    "Sau khi chi bộ xét:\n"
    "- 6-KNĐ (nghị quyết của chi bộ): 12/12/2025 (ghi bằng /ketnap)\n"
    "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
    "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
    "- 9-KNĐ (quyết định kết nạp): 10/02/2026 (ghi bằng /ketnap)\n"
    "\n"
    "Chi bộ đã xét kết nạp người này; các mục chưa có ngày chỉ là chưa được ghi vào chibo.\n"
    "\n"
    "1. Ghi ngày một mục\n"
    + CHOOSE)
# Bùi Quốc Huy, proposed ({} his number): voted on, the committee has not decided.
HUY_FILE = (
    "Hồ sơ kết nạp của {}. Bùi Quốc Huy (Đã đề nghị kết nạp từ 05/02/2026)\n"
    "Bắt đầu làm hồ sơ: 22/11/2025\n"
    "\n"
    "Cần có trước khi chi bộ xét kết nạp:\n"
    '- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0102 (lớp "Lớp nhận thức về Đảng khóa 1")\n'
    "- 1-KNĐ (đơn xin vào Đảng): chưa ghi\n"
    "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): chưa ghi\n"
    "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): chưa ghi\n"
    "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): không bắt buộc\n"
    "- 5-KNĐ (tổng hợp ý kiến nhận xét): chưa ghi\n"
    "\n"
    "Sau khi chi bộ xét:\n"
    "- 6-KNĐ (nghị quyết của chi bộ): 05/02/2026 (ghi bằng /ketnap)\n"
    "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
    "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
    "- 9-KNĐ (quyết định kết nạp): chưa có\n"
    "\n"
    "Chi bộ đã xét kết nạp người này; các mục chưa có ngày chỉ là chưa được ghi vào chibo.\n"
    "\n"
    "1. Ghi ngày một mục\n"
    + CHOOSE)

# /lamhoso for Lương Thị Mỹ, in the awareness class stage.
def my_start(no: dict[str, int]) -> str:
    return (f"Ngày bắt đầu làm hồ sơ của {no[MY]}. Lương Thị Mỹ? (thường là ngày viết đơn xin vào Đảng; "
            "ngày/tháng/năm hoặc \"hôm nay\")")


def my_confirm(no: dict[str, int], on: str) -> str:
    return ("Xin kiểm tra lại:\n"
            f"- Người: {no[MY]}. Lương Thị Mỹ\n"
            f"- Ngày bắt đầu làm hồ sơ: {on}\n"
            "Người đang học lớp nhận thức sẽ chuyển sang giai đoạn \"Đang làm hồ sơ\" từ ngày này (cần giấy chứng "
            "nhận lớp nhận thức về Đảng còn hạn).\n"
            "\n"
            "1. Lưu\n"
            "2. Sửa người\n"
            "3. Sửa ngày bắt đầu\n"
            "4. Hủy\n"
            + CHOOSE)


def my_file(no: dict[str, int], certificate_on: date) -> str:
    """Lương Thị Mỹ's checklist once her dossier is started today, with only her certificate."""
    return (f"Hồ sơ kết nạp của {no[MY]}. Lương Thị Mỹ (Đang làm hồ sơ từ 02/03/2026)\n"
            "Bắt đầu làm hồ sơ: 02/03/2026\n"
            "\n"
            "Cần có trước khi chi bộ xét kết nạp:\n"
            f"- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): {certificate_on:%d/%m/%Y}\n"
            "- 1-KNĐ (đơn xin vào Đảng): còn thiếu\n"
            "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): còn thiếu\n"
            "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
            "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): còn thiếu\n"
            "- 5-KNĐ (tổng hợp ý kiến nhận xét): còn thiếu\n"
            "\n"
            + AFTER_THE_VOTE
            + "\n"
            "Chưa đủ để chi bộ xét: còn 5 mục phải bổ sung hoặc làm lại.\n"
            "\n"
            + FILE_CHOICES)


# Under every refusal of /denghiketnap.
NOT_READY_END = ("Ghi ngày giấy tờ bằng /ghihoso, xem lại hồ sơ bằng /hoso.\n"
                 "\n"
                 "1. Ghi ngày một mục\n"
                 "2. Xem hồ sơ\n"
                 + CHOOSE)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
async def no(demo) -> dict[str, int]:
    return await numbers_of(demo, (LAN, MY, TUNG, MINH, DUC, HUY))


async def candidate(chibo, name: str) -> Candidate:
    async with chibo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return (await session.exec(select(Candidate).where(
            Candidate.branch_id == branch.id, Candidate.full_name == name))).one()


async def entries(chibo, name: str) -> dict[str, DossierEntry]:
    c = await candidate(chibo, name)
    async with chibo.sessions() as session:
        return {e.item: e for e in await session.exec(select(DossierEntry).where(DossierEntry.candidate_id == c.id))}


async def put_entries(chibo, name: str, **dated: date) -> None:
    """put_entries(demo, LAN, KND3=date) records items; the name KNDn stands for n-KNĐ."""
    c = await candidate(chibo, name)
    async with chibo.sessions() as session, session.begin():
        for key, day in dated.items():
            item = "CN-NTVĐ" if key == "CNNTVD" else f"{key[3:]}-KNĐ"
            await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == c.id,
                                                             DossierEntry.item == item))
            session.add(DossierEntry(candidate_id=c.id, item=item, dated=day, at=chibo.clock.now()))


async def update(chibo, table, name: str, **values) -> None:
    c = await candidate(chibo, name)
    key = table.id if table is Candidate else table.candidate_id
    async with chibo.sessions() as session, session.begin():
        await session.exec(sa.update(table).where(key == c.id).values(**values))


@pytest.fixture(autouse=True)
async def lan_half_done(demo):
    """These tests read Đặng Ngọc Lan's file halfway: CN-NTVĐ, 1- and 2-KNĐ only. (The demo
    gives her a complete file, for the branch's vote, which refuses an incomplete one.)"""
    c = await candidate(demo, LAN)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == c.id,
                                                         DossierEntry.item.in_(["3-KNĐ", "4-KNĐ", "5-KNĐ"])))


async def complete_lan(chibo) -> None:
    """Đặng Ngọc Lan has CN-NTVĐ, 1- and 2-KNĐ here; add the rest."""
    await put_entries(chibo, LAN, KND3=ago(10), KND4=ago(9), KND5=ago(8))


# ---- /hoso ------------------------------------------------------------------------------------------

async def test_the_checklist_shows_each_item_with_its_date_or_what_is_missing(no, talk):
    assert await talk("bithu").say(f"/hoso {no[LAN]}") == lan_file(no)


async def test_each_missing_item_is_listed_once(no, talk):
    assert await talk("bithu").say(f"/hoso {no[LAN]}") == (
        f"Hồ sơ kết nạp của {no[LAN]}. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
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


async def test_the_checklist_asks_whose_and_finds_a_name_without_diacritics(no, talk):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/hoso",
         "Xem hồ sơ kết nạp của ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được)."),
        ("dang ngoc lan", lan_file(no)),
    ])


async def test_the_union_resolution_is_required_only_of_a_youth_union_member(no, talk):
    bithu = talk("bithu")
    assert await bithu.say(f"/hoso {no[LAN]}") == lan_file(no)
    assert await bithu.say(f"/hoso {no[TUNG]}") == (  # Võ Thanh Tùng, not a Youth Union member, still in class
        f"Hồ sơ kết nạp của {no[TUNG]}. Võ Thanh Tùng (Học lớp nhận thức về Đảng từ 31/01/2026)\n"
        "Chưa ghi ngày bắt đầu làm hồ sơ.\n"
        "\n"
        "Cần có trước khi chi bộ xét kết nạp:\n"
        "- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): còn thiếu\n"
        "- 1-KNĐ (đơn xin vào Đảng): còn thiếu\n"
        "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): còn thiếu\n"
        "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): còn thiếu\n"
        "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): không bắt buộc\n"
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
        + CHOOSE)


async def test_items_after_the_vote_come_from_the_admission_record(talk):
    duc = await number_of(talk("bithu").chibo, "Tạ Minh Đức")  # admitted
    assert await talk("bithu").say(f"/hoso {duc}") == DUC_FILE.replace("{}", str(duc), 1)


async def test_an_expired_certificate_is_flagged(no, talk, demo):
    await update(demo, Enrollment, LAN, certificate_on=date(2021, 1, 10))
    await put_entries(demo, LAN, CNNTVD=date(2021, 1, 10))
    assert await talk("bithu").say(f"/hoso {no[LAN]}") == lan_file(no,   # told on its own line, not again below
        certificate='10/01/2021, số CN-0101 (lớp "Lớp nhận thức về Đảng khóa 1") — đã hết hạn từ 10/01/2026', due=4)


async def test_a_certificate_about_to_expire_is_a_notice(no, talk, demo):
    await update(demo, Enrollment, LAN, certificate_on=date(2021, 4, 20))
    await put_entries(demo, LAN, CNNTVD=date(2021, 4, 20))
    assert await talk("bithu").say(f"/hoso {no[LAN]}") == lan_file(no,
        certificate='20/04/2021, số CN-0101 (lớp "Lớp nhận thức về Đảng khóa 1") — sắp quá hạn',
        notice="- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng) sẽ hết hạn ngày 20/04/2026.\n")


async def test_items_older_than_twelve_months_must_be_redone(no, talk, demo):
    await put_entries(demo, LAN, KND3=date(2025, 2, 1))
    assert await talk("bithu").say(f"/hoso {no[LAN]}") == lan_file(no,   # told on its own line, not again below
        letter="01/02/2025 — đã quá 12 tháng (hạn 01/02/2026), phải làm lại")


async def test_an_ageing_dossier_is_a_notice(no, talk, demo):
    await update(demo, AdmissionRecord, LAN, dossier_started_on=date(2025, 3, 20))
    assert await talk("bithu").say(f"/hoso {no[LAN]}") == lan_file(no,
        started="Bắt đầu làm hồ sơ: 20/03/2025",
        notice="- Hồ sơ chuẩn bị từ 20/03/2025; chi bộ cần xét trước 20/03/2026, nếu không phải làm lại một số tài "
               "liệu.\n")


# ---- /ghihoso ----------------------------------------------------------------------------------------

async def test_recording_an_item_saves_its_date_and_holder(no, talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/hoso {no[LAN]}", lan_file(no)),
        ("Ghi ngày một mục", lan_items(no)),
        ("3", ITEM_DATE),
        ("25/2/26",
         "Ai là đảng viên chính thức viết thư giới thiệu (3-KNĐ)? Chọn trong danh sách đảng viên của chi bộ, "
         "gõ số thứ tự hoặc một phần họ tên.\n"
         "\n"
         "1. Cao Thị Huyền — chính thức từ 31/01/2026\n"
         "2. Đỗ Thị Mai — chính thức từ 03/03/2020\n"
         "3. Đoàn Thị Thảo — chính thức từ 03/03/2023\n"
         "4. Hồ Thị Ngọc Hân — chính thức từ 04/03/2018\n"
         "5. Lê Thị Kim Oanh — chính thức từ 06/03/2011\n"
         "6. Nguyễn Hữu Phước — chính thức từ 07/03/2004\n"
         "7. Nguyễn Thị Thu — chính thức từ 05/03/2014\n"
         "8. Phan Văn Hùng — chính thức từ 04/03/2016\n"
         "9. Phùng Quang Vinh — chính thức từ 03/03/2021\n"
         "10. Trần Văn Bình — chính thức từ 04/03/2017\n"
         "11. Trương Văn Dũng — chính thức từ 05/03/2015\n"
         + CHOOSE),
        ("Bình",
         "Trần Văn Bình công tác, học tập hoặc sinh sống cùng người này từ ngày nào? (ngày/tháng/năm; phải đủ 12 tháng "
         "trước ngày viết thư)"),
        ("1/9/2022", HOLDER),
        ("Văn phòng chi bộ",
         "Xin kiểm tra lại:\n"
         f"- Người: {no[LAN]}. Đặng Ngọc Lan\n"
         "- Mục: 3-KNĐ (giấy giới thiệu của đảng viên chính thức)\n"
         "- Ngày: 25/02/2026\n"
         "- Người giới thiệu: Trần Văn Bình (cùng công tác từ 01/09/2022)\n"
         "- Người giữ: Văn phòng chi bộ\n"
         "Nếu mục này đã có ngày, ngày mới sẽ thay ngày cũ, người giới thiệu mới thay người đã ghi.\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục hồ sơ\n"
         "4. Sửa ngày\n"
         "5. Sửa người giới thiệu\n"
         "6. Sửa ngày cùng công tác của người giới thiệu\n"
         "7. Sửa người giữ\n"
         "8. Hủy\n"
         + CHOOSE),
        ("Lưu",
         "Đã ghi 3-KNĐ (giấy giới thiệu của đảng viên chính thức) ngày 25/02/2026 cho Đặng Ngọc Lan; người giới "
         "thiệu: Trần Văn Bình (cùng công tác từ 01/09/2022).\n"
         "\n"
         + lan_file(no, letter="25/02/2026, người giữ: Văn phòng chi bộ", due=2)),
    ])
    entry = (await entries(demo, LAN))["3-KNĐ"]
    assert (entry.dated, entry.holder) == (date(2026, 2, 25), "Văn phòng chi bộ")
    async with demo.sessions() as session:
        logged = (await session.exec(select(AuditLog).where(
            AuditLog.subject == f"candidate:{entry.candidate_id}", AuditLog.action == "candidate.dossier"))).all()
    assert len(logged) >= 2  # the checklist was read, then the item written


async def test_recording_an_item_again_replaces_its_date(no, talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghihoso {no[LAN]}",
         lan_items(no)),
        ("1-KNĐ",
         ITEM_DATE),
        ("hôm nay",
         HOLDER),
        ("Bỏ qua",
         "Xin kiểm tra lại:\n"
         f"- Người: {no[LAN]}. Đặng Ngọc Lan\n"
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
         + CHOOSE),
        ("Lưu",
         "Đã ghi 1-KNĐ (đơn xin vào Đảng) ngày 02/03/2026 cho Đặng Ngọc Lan (thay ngày cũ 03/01/2026).\n"
         "\n"
         + lan_file(no, first="02/03/2026")),
    ])
    entries_now = await entries(demo, LAN)
    assert entries_now["1-KNĐ"].dated == TODAY and entries_now["1-KNĐ"].holder is None
    assert len(entries_now) == 3


async def test_an_unknown_item_is_refused(no, talk):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghihoso {no[LAN]}", lan_items(no)),
        ("giấy khai sinh",
         'Không có mục "giấy khai sinh" trong danh mục hồ sơ kết nạp. Xin gõ số thứ tự trong danh sách, hoặc mã mẫu '
         "như 3-KNĐ.\n"
         + lan_items(no)),
    ])


async def test_the_branch_resolution_is_recorded_with_the_vote_not_here(no, talk):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghihoso {no[LAN]}", lan_items(no)),
        ("6",
         "6-KNĐ (nghị quyết của chi bộ) được ghi cùng biểu quyết của chi bộ và quyết định của cấp ủy (/ketnap), không "
         "ghi ở đây. Xin chọn mục khác.\n"
         + lan_items(no)),
    ])


@pytest.mark.parametrize("typed, why", [
    ("3/4/2026", "Ngày 03/04/2026 chưa tới (hôm nay là 02/03/2026).\n"),
    ("30/2/2026", "Không có ngày 30/2/2026 trên lịch. Xin kiểm tra lại ngày và tháng.\n"),
    ("tuần trước", 'Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, hoặc "hôm '
                   'nay", "hôm qua".\n'),
    ("1/1/1990", "Ngày này sớm hơn ngày sinh của người này (28/02/1997).\n")])
async def test_a_bad_item_date_is_explained(no, talk, demo, typed, why):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghihoso {no[LAN]}", lan_items(no)), ("3", ITEM_DATE)])
    assert await bithu.say(typed) == why + ITEM_DATE
    assert "3-KNĐ" not in await entries(demo, LAN)


async def test_a_holder_too_long_is_refused(no, talk):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghihoso {no[LAN]}", lan_items(no)),
        ("1", ITEM_DATE),
        ("hôm nay", HOLDER),
        ("x" * 121, "Câu trả lời dài quá: 121 ký tự, tối đa 120.\n" + HOLDER),
    ])


# ---- /lamhoso -----------------------------------------------------------------------------------------

async def test_starting_the_dossier_moves_the_candidate_to_the_dossier_stage(no, talk, demo):
    await put_entries(demo, MY, CNNTVD=ago(20))  # Lương Thị Mỹ, in the awareness class stage
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/lamhoso {no[MY]}", my_start(no)),
        ("hôm nay", my_confirm(no, "02/03/2026")),
        ("Lưu",
         'Lương Thị Mỹ chuyển sang giai đoạn "Đang làm hồ sơ" từ ngày 02/03/2026.\n'
         "\n"
         + my_file(no, ago(20))),
    ])
    my = await candidate(demo, MY)
    async with demo.sessions() as session:
        record = await session.get(AdmissionRecord, my.id)
        change = (await session.exec(select(StageChange).where(StageChange.candidate_id == my.id)
                                     .order_by(StageChange.id.desc()))).first()
    assert my.stage == "dossier" and record.dossier_started_on == TODAY
    assert (change.from_stage, change.to_stage, change.on) == ("awareness_class", "dossier", TODAY)


async def test_a_dossier_needs_a_certificate(no, talk, demo):
    assert await talk("bithu").say(f"/lamhoso {no[TUNG]}") == (  # Võ Thanh Tùng is still in class
        "Võ Thanh Tùng chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng nên chưa làm hồ sơ được. Ghi kết "
        "quả lớp bằng /ketqualop, hoặc ghi ngày giấy chứng nhận (CN-NTVĐ) bằng /ghihoso.\n"
        "Lệnh /lamhoso đã dừng. Gõ lại /lamhoso kèm số hoặc tên khác, hoặc chỉ gõ /lamhoso để chibo hỏi từng bước.")
    assert (await candidate(demo, TUNG)).stage == "awareness_class"


async def test_an_expired_certificate_cannot_start_a_dossier(no, talk, demo):
    await put_entries(demo, MY, CNNTVD=date(2020, 1, 1))
    expired = ("Giấy chứng nhận lớp nhận thức về Đảng cấp ngày 01/01/2020 đã hết hạn từ 01/01/2025 (giá trị 60 "
               "tháng); cần học lại.\n")
    await talk("bithu").dialog([
        (f"/lamhoso {no[MY]}", my_start(no)),
        ("hôm nay", expired + my_confirm(no, "02/03/2026")),
        ("Lưu", expired + my_confirm(no, "02/03/2026")),
    ])
    assert (await candidate(demo, MY)).stage == "awareness_class"


async def test_a_start_before_the_last_stage_change_is_refused(no, talk, demo):
    await put_entries(demo, MY, CNNTVD=ago(100))
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/lamhoso {no[MY]}", my_start(no)),
        ("01/01/2026",  # 60 days ago; in the class stage only since 50 days ago
         "Ngày 01/01/2026 sớm hơn ngày người này bắt đầu giai đoạn hiện tại (11/01/2026).\n"
         + my_confirm(no, "01/01/2026")),
        ("Sửa ngày bắt đầu", my_start(no)),
        ("hôm nay", my_confirm(no, "02/03/2026")),
        ("Lưu",
         "Lương Thị Mỹ chuyển sang giai đoạn \"Đang làm hồ sơ\" từ ngày 02/03/2026.\n"
         "\n"
         + my_file(no, ago(100))),
    ])
    assert (await candidate(demo, MY)).stage == "dossier"


async def test_a_sympathizer_cannot_start_a_dossier(no, talk):
    assert await talk("bithu").say(f"/lamhoso {no[MINH]}") == (
        'Lê Hoàng Minh đang ở giai đoạn "Cảm tình Đảng". Chỉ làm hồ sơ cho người đang học lớp nhận thức về Đảng (đã '
        "có giấy chứng nhận) hoặc đang làm hồ sơ. Xin chọn người khác.\n"
        "Lệnh /lamhoso đã dừng. Gõ lại /lamhoso kèm số hoặc tên khác, hoặc chỉ gõ /lamhoso để chibo hỏi từng bước.")


async def test_a_dossier_already_started_gets_its_date_corrected(no, talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/lamhoso {no[LAN]}",
         f"Ngày bắt đầu làm hồ sơ của {no[LAN]}. Đặng Ngọc Lan? (thường là ngày viết đơn xin vào Đảng; ngày/tháng/năm "
         "hoặc \"hôm nay\")"),
        ("5/1/2026",
         "Xin kiểm tra lại:\n"
         f"- Người: {no[LAN]}. Đặng Ngọc Lan\n"
         "- Ngày bắt đầu làm hồ sơ: 05/01/2026\n"
         "Người này đang làm hồ sơ: ngày này sẽ thay ngày bắt đầu đã ghi (01/01/2026).\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa ngày bắt đầu\n"
         "4. Hủy\n"
         + CHOOSE),
        ("Lưu",
         "Đã sửa ngày bắt đầu làm hồ sơ của Đặng Ngọc Lan từ 01/01/2026 thành 05/01/2026.\n"
         "\n"
         + lan_file(no, started="Bắt đầu làm hồ sơ: 05/01/2026")),
    ])
    lan = await candidate(demo, LAN)
    async with demo.sessions() as session:
        assert (await session.get(AdmissionRecord, lan.id)).dossier_started_on == date(2026, 1, 5)
    assert lan.stage == "dossier"


async def test_the_admission_record_is_created_when_missing(no, talk, demo):
    lan = await candidate(demo, LAN)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(AdmissionRecord).where(AdmissionRecord.candidate_id == lan.id))
    await talk("bithu").dialog([
        (f"/hoso {no[LAN]}",
         lan_file(no, started="Chưa ghi ngày bắt đầu làm hồ sơ.", start_choice="Bắt đầu làm hồ sơ")),
        (f"/lamhoso {no[LAN]}",
         f"Ngày bắt đầu làm hồ sơ của {no[LAN]}. Đặng Ngọc Lan? (thường là ngày viết đơn xin vào Đảng; ngày/tháng/năm "
         "hoặc \"hôm nay\")"),
        ("hôm nay",
         "Xin kiểm tra lại:\n"
         f"- Người: {no[LAN]}. Đặng Ngọc Lan\n"
         "- Ngày bắt đầu làm hồ sơ: 02/03/2026\n"
         "Người này đang làm hồ sơ nhưng chưa ghi ngày bắt đầu: chibo ghi ngày này, không đổi giai đoạn.\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa ngày bắt đầu\n"
         "4. Hủy\n"
         + CHOOSE),
        ("Lưu",
         "Đã ghi ngày bắt đầu làm hồ sơ của Đặng Ngọc Lan: 02/03/2026.\n"
         "\n"
         + lan_file(no, started="Bắt đầu làm hồ sơ: 02/03/2026")),
    ])
    async with demo.sessions() as session:
        assert (await session.get(AdmissionRecord, lan.id)).dossier_started_on == TODAY


# ---- /denghiketnap -----------------------------------------------------------------------------------

async def test_proposing_is_refused_while_items_are_missing_and_says_which(no, talk, demo):
    await talk("bithu").dialog([
        (f"/hoso {no[LAN]}", lan_file(no)),
        ("Đề nghị kết nạp",
         f"Chưa thể đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan (tính đến hôm nay, 02/03/2026):\n"
         "- Còn thiếu 3-KNĐ (giấy giới thiệu của đảng viên chính thức).\n"
         "- Còn thiếu 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)).\n"
         "- Còn thiếu 5-KNĐ (tổng hợp ý kiến nhận xét).\n"
         + NOT_READY_END),
    ])
    assert (await candidate(demo, LAN)).stage == "dossier"


async def test_a_complete_dossier_is_ready_for_the_branch_vote(no, talk, demo):
    await complete_lan(demo)
    assert await talk("bithu").say(f"/denghiketnap {no[LAN]}") == (
        f"Hồ sơ của {no[LAN]}. Đặng Ngọc Lan đã đủ để chi bộ xét kết nạp (tính đến hôm nay, 02/03/2026).\n"
        "Bước tiếp theo: chi bộ họp và biểu quyết (cần ít nhất 2/3 tổng số đảng viên chính thức đồng ý), rồi ghi kết "
        f"quả bằng /ketnap {no[LAN]}.\n"
        "\n"
        "1. Xem hồ sơ\n"
        + CHOOSE)
    assert (await candidate(demo, LAN)).stage == "dossier"  # the vote is recorded with /ketnap


async def test_proposing_is_refused_with_an_expired_certificate(no, talk, demo):
    await complete_lan(demo)
    await update(demo, Enrollment, LAN, certificate_on=date(2021, 1, 10))
    await put_entries(demo, LAN, CNNTVD=date(2021, 1, 10))
    assert await talk("bithu").say(f"/denghiketnap {no[LAN]}") == (  # said once, not again as a checklist item
        f"Chưa thể đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan (tính đến hôm nay, 02/03/2026):\n"
        "- Giấy chứng nhận lớp nhận thức về Đảng cấp ngày 10/01/2021 đã hết hạn từ 10/01/2026 (giá trị 60 tháng); cần "
        "học lại.\n"
        + NOT_READY_END)


async def test_proposing_is_refused_under_eighteen(no, talk, demo):
    await complete_lan(demo)
    await update(demo, Candidate, LAN, birth_date=date(2008, 6, 1))
    assert await talk("bithu").say(f"/denghiketnap {no[LAN]}") == (
        f"Chưa thể đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan (tính đến hôm nay, 02/03/2026):\n"
        "- Chưa đủ 18 tuổi: người này đủ 18 tuổi từ ngày 01/06/2026.\n"
        + NOT_READY_END)


async def test_proposing_is_refused_with_stale_letters(no, talk, demo):
    await complete_lan(demo)
    await put_entries(demo, LAN, KND3=date(2025, 1, 5))
    assert await talk("bithu").say(f"/denghiketnap {no[LAN]}") == (
        f"Chưa thể đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan (tính đến hôm nay, 02/03/2026):\n"
        "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức) ngày 05/01/2025 đã quá 12 tháng (hạn 05/01/2026); cần làm "
        "lại.\n"
        + NOT_READY_END)


async def test_only_someone_making_a_dossier_can_be_proposed(no, talk):
    assert await talk("bithu").say(f"/denghiketnap {no[TUNG]}") == (
        'Võ Thanh Tùng đang ở giai đoạn "Học lớp nhận thức về Đảng"; chỉ đề nghị kết nạp người đang làm hồ sơ. Bắt '
        "đầu làm hồ sơ bằng /lamhoso. Xin chọn người khác.\n"
        "Lệnh /denghiketnap đã dừng. Gõ lại /denghiketnap kèm số hoặc tên khác, hoặc chỉ gõ /denghiketnap để chibo "
        "hỏi từng bước.")


# ---- who may do what ---------------------------------------------------------------------------------

@pytest.mark.parametrize("account, refusal, stray", [
    ("captren", NOT_ALLOWED, NOT_UNDERSTOOD), ("giupdo", NOT_ALLOWED, NOT_UNDERSTOOD),
    ("quanchung", NOT_ALLOWED, NOT_UNDERSTOOD), ("nguoila", NOT_LINKED, NOT_UNDERSTOOD_STRANGER)])
async def test_only_the_branch_secretary_works_on_dossiers(no, talk, demo, account, refusal, stray):
    person = talk(account)
    await person.dialog([(command, refusal) for command in
                         [f"/hoso {no[LAN]}", "/hoso", f"/ghihoso {no[LAN]}", f"/lamhoso {no[MY]}",
                          f"/denghiketnap {no[LAN]}"]]
                        + [(answer, stray) for answer in ["3", "hôm nay", "Lưu"]])
    assert "3-KNĐ" not in await entries(demo, LAN) and (await candidate(demo, MY)).stage == "awareness_class"


async def test_a_secretary_does_not_see_another_branch_dossier(talk):
    assert await talk("bithu").say("/hoso ngo duc") == (  # Ngô Đức Thắng, of the other demo branch
        'Không tìm thấy ai khớp với "ngo duc" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ '
        "tên khác.\n"
        "Lệnh /hoso đã dừng. Gõ lại /hoso kèm số hoặc tên khác, hoặc chỉ gõ /hoso để chibo hỏi từng bước.")


async def test_after_the_vote_nothing_is_due_only_unrecorded(talk):
    # Bùi Quốc Huy, proposed: the items before the vote are "chưa ghi", never "còn thiếu", and no
    # "Đề nghị kết nạp" is offered.
    huy = await number_of(talk("bithu").chibo, "Bùi Quốc Huy")
    assert await talk("bithu").say(f"/hoso {huy}") == HUY_FILE.replace("{}", str(huy), 1)
