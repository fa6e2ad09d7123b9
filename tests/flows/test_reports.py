"""/baocao: a secretary's branch, a committee's subtree; the files written (console) or sent."""

import io

import openpyxl
import pytest
from docx import Document as read_docx
from sqlmodel import select

from bot.channels.port import Capabilities
from bot.config import Settings
from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.org import add_org
from models.people import ChatLink, link_chat
from models.stage import OrgKind
from tests.support import Convo
from tests.texts import SPONSOR_HELP


@pytest.fixture
def settings(database_url, tmp_path):
    """Files go to the test's own folder, not the working directory."""
    return Settings(database_url=database_url, data_dir=str(tmp_path), _env_file=None)


KINDS = ("Báo cáo gì?\n\n1. Báo cáo tháng\n2. Khảo sát nguồn theo quý\n3. Thống kê 6 tháng\n4. Thống kê năm\n"
         "5. Tổng hợp theo chi bộ\n6. Danh sách quần chúng ưu tú\n7. Hồ sơ một quần chúng\n"
         "(Trả lời bằng số hoặc bằng chữ)")
PERIOD = "Kỳ báo cáo nào? Chọn trong danh sách, hoặc gõ ví dụ 11/2026, Q3/2026, 6 tháng đầu năm 2026, 2026, 2025-2026."
ORGS = ("Báo cáo của tổ chức nào? Gõ số thứ tự trong danh sách hoặc một phần tên (không dấu cũng được).\n\n"
        f"1. {COMMITTEE}\n2. {SECOND_BRANCH}\n3. {BRANCH}\n(Trả lời bằng số hoặc bằng chữ)")


async def test_a_secretary_gets_the_branch_monthly_report_as_files(talk, settings):
    bithu = talk("bithu")
    assert await bithu.say("/baocao") == KINDS  # one branch: not asked which
    assert await bithu.say("1") == (f"{PERIOD}\n\n1. Tháng này (Tháng 3/2026)\n2. Tháng trước (Tháng 2/2026)\n"
                                    "(Trả lời bằng số hoặc bằng chữ)")
    reply = await bithu.say("Tháng trước")
    folder = f"{settings.data_dir}/reports"
    assert reply == (
        f"Báo cáo tháng — {BRANCH} — Tháng 2/2026\n\n"
        "- Theo giai đoạn: Quần chúng ưu tú (nguồn) 4; Cảm tình Đảng 3; Học lớp nhận thức về Đảng 2; "
        "Đang làm hồ sơ 1; Đã đề nghị kết nạp 1; Có quyết định kết nạp 1; Đảng viên dự bị 1\n"
        "- Trong tháng: thêm vào nguồn 3, sang cảm tình Đảng 0, đưa ra khỏi danh sách 0; chi bộ đã xét 0 người\n"
        "- Chưa được đảng viên giúp đỡ gặp trong tháng: 3\n"
        "- Hồ sơ đang làm: 1; việc đến hạn trong 30 ngày: 7; quá hạn: 0\n\n"
        "Đã ghi các tệp:\n"
        + "\n".join(f"{folder}/monthly-TP-2026-02.{x}" for x in ("xlsx", "docx", "pdf", "png"))
        + "\n\nGửi báo cáo này lên cấp ủy cấp trên: gõ /baocao gửi 2/2026")
    sheet = openpyxl.load_workbook(f"{folder}/monthly-TP-2026-02.xlsx")["Tổng hợp"]
    assert sheet["A2"].value == BRANCH and sheet["C6"].value == 4
    assert read_docx(f"{folder}/monthly-TP-2026-02.docx").tables[0].rows[0].cells[0].paragraphs[0].text == (
        COMMITTEE.upper())


async def test_bad_periods_are_asked_again(talk):
    bithu = talk("bithu")
    await bithu.say("/baocao")
    await bithu.say("Báo cáo tháng")
    again = f"{PERIOD}\n\n1. Tháng này (Tháng 3/2026)\n2. Tháng trước (Tháng 2/2026)\n(Trả lời bằng số hoặc bằng chữ)"
    assert await bithu.say("13/2026") == f'Không đọc được kỳ báo cáo "13/2026".\n{again}'
    assert await bithu.say("4/2026") == f'Kỳ báo cáo "4/2026" chưa bắt đầu.\n{again}'
    assert await bithu.say("2025") == f'"2025" không phải là một tháng (ví dụ 11/2026).\n{again}'

    assert (await bithu.say("1/2026")).startswith(f"Báo cáo tháng — {BRANCH} — Tháng 1/2026\n")


async def test_a_committee_picks_within_its_subtree_only(talk, demo):
    async with demo.sessions() as session, session.begin():
        await add_org(session=session, name="Chi bộ Ở Nơi Khác", kind=OrgKind.branch, parent=None,
                      now=demo.clock.now())
    captren = talk("captren")
    assert await captren.say("/baocao") == ORGS
    outside = await captren.say("Nơi Khác")
    nowhere = await captren.say("Không Có Đâu")
    assert outside == nowhere.replace("Không Có Đâu", "Nơi Khác") == (
        f'Không có tổ chức nào của bạn khớp với "Nơi Khác". Xin chọn trong danh sách dưới đây.\n{ORGS}')
    assert await captren.say("1") == KINDS
    assert await captren.say("5") == (f"{PERIOD}\n\n1. Năm 2026\n2. Năm học 2025-2026\n3. Năm 2025\n"
                                      "(Trả lời bằng số hoặc bằng chữ)")
    reply = await captren.say("năm học 2025-2026")
    assert reply.split("\n\nĐã ghi các tệp:")[0] == (
        f"Tổng hợp theo chi bộ — {COMMITTEE} — Năm học 2025-2026\n\n"
        "- Kết nạp: 0 (cùng kỳ năm trước 2, bằng 0%)\n"
        "- 2 chi bộ, 0% chi bộ kết nạp được đảng viên; chưa kết nạp: 2; không thay đổi 90 ngày: 0\n"
        "- Đã gửi báo cáo kỳ này: 0/2 chi bộ")


async def test_a_branch_has_no_roll_up(talk):
    captren = talk("captren")
    await captren.say("/baocao")
    await captren.say("Trần Phú")
    assert await captren.say("Tổng hợp theo chi bộ") == (
        f"{BRANCH} là một chi bộ: tổng hợp theo chi bộ chỉ dành cho đảng ủy. Xin chọn loại báo cáo khác.\n{KINDS}")


async def test_a_sponsor_or_a_stranger_may_not(talk):
    assert await talk("giupdo").say("/trogiup") == SPONSOR_HELP  # no /baocao
    assert await talk("giupdo").say("/baocao") == await talk("giupdo").say("/tonghop")


async def test_telegram_gets_the_files_as_documents(demo):
    async with demo.sessions() as session, session.begin():
        console = (await session.exec(select(ChatLink).where(ChatLink.account_id == "bithu"))).one()
        await link_chat(session=session, channel="telegram", account_id="555", person_id=console.person_id,
                        now=demo.clock.now())
    telegram = Convo(demo, account="555", channel="telegram",
                     caps=Capabilities(buttons=True, max_text=4096, markup="html", files=True, photos=True))
    await telegram.say("/baocao")
    await telegram.say("Danh sách quần chúng ưu tú")
    sent = telegram.last
    assert sent[0].text == (f"Danh sách quần chúng ưu tú — {BRANCH}\n\nCó 11 người trong danh sách: Quần chúng ưu tú "
                            "(nguồn) 4; Cảm tình Đảng 3; Học lớp nhận thức về Đảng 2; Đang làm hồ sơ 1; "
                            "Đã đề nghị kết nạp 1.")
    files = [m.file for m in sent[1:]]
    assert [(f.name, f.mime.split("/")[0]) for f in files] == [
        ("list-TP-2026-03-02.xlsx", "application"), ("list-TP-2026-03-02.docx", "application"),
        ("list-TP-2026-03-02.pdf", "application"), ("list-TP-2026-03-02.png", "image")]
    sheet = openpyxl.load_workbook(io.BytesIO(files[0].data)).worksheets[0]
    assert sheet["A1"].value == "DANH SÁCH QUẦN CHÚNG ƯU TÚ" and sheet.max_row == 6 + 11
    assert files[1].mime.endswith("wordprocessingml.document")


async def test_the_quarterly_survey_in_chat(talk):
    bithu = talk("bithu")
    await bithu.say("/baocao")
    assert await bithu.say("Khảo sát nguồn theo quý") == (
        f"{PERIOD}\n\n1. Quý này (Quý 1 năm 2026)\n2. Quý trước (Quý 4 năm 2025)\n(Trả lời bằng số hoặc bằng chữ)")
    reply = await bithu.say("quý 1/2026")
    assert reply.split("\n\nĐã ghi các tệp:")[0] == (
        f"Khảo sát nguồn theo quý — {BRANCH} — Quý 1 năm 2026\n\n"
        "- 10 người trong danh sách, ở 1 đơn vị; nguồn chưa khảo sát trong quý: 4\n"
        "- Đơn vị chưa có nguồn: 0; đơn vị có ít nguồn: 0")


async def test_the_statistics_in_chat(talk, settings):
    """The half-year and the yearly statistics: the periods offered, and the admissions beside the
    same period a year earlier (the demo's ceremonies: 14/08/2025 and 13/12/2024)."""
    bithu = talk("bithu")
    folder = f"{settings.data_dir}/reports"

    def written(label: str) -> str:
        return "\n".join(f"{folder}/statistics-TP-{label}.{x}" for x in ("xlsx", "docx", "pdf", "png"))

    await bithu.say("/baocao")
    assert await bithu.say("Thống kê 6 tháng") == (
        f"{PERIOD}\n\n1. 6 tháng đầu năm 2026\n2. 6 tháng cuối năm 2025\n(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("6 tháng cuối năm 2025") == (
        f"Thống kê 6 tháng — {BRANCH} — 6 tháng cuối năm 2025\n\n"
        "- Kết nạp: 1 (cùng kỳ năm trước 1, bằng 100%)\n\n"
        f"Đã ghi các tệp:\n{written('2025-H2')}\n\n"
        "Gửi báo cáo này lên cấp ủy cấp trên: gõ /baocao gửi 2025-H2")
    await bithu.say("/baocao")
    assert await bithu.say("Thống kê năm") == (
        f"{PERIOD}\n\n1. Năm 2026\n2. Năm học 2025-2026\n3. Năm 2025\n(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("2") == (
        f"Thống kê năm — {BRANCH} — Năm học 2025-2026\n\n"
        "- Kết nạp: 0 (cùng kỳ năm trước 2, bằng 0%)\n\n"
        f"Đã ghi các tệp:\n{written('2025-2026')}\n\n"
        "Gửi báo cáo này lên cấp ủy cấp trên: gõ /baocao gửi 2025-2026")
