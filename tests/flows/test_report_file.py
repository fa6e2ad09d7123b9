"""/baocao, one candidate's file: the candidate picked within the person's reach (a secretary's
branch, a committee's subtree), then the format; written (console) or sent (Telegram)."""

import re

import httpx

import openpyxl
import pytest
from sqlmodel import select

from bot.channels.port import Capabilities
from bot.config import Settings
from bot.demo import BRANCH, SECOND_BRANCH
from models.people import ChatLink, link_chat
from tests.reports.page_server import on_zalo, pages_served
from tests.support import Convo, number_of


@pytest.fixture
def settings(database_url, tmp_path):
    """Files go to the test's own folder, not the working directory."""
    return Settings(database_url=database_url, data_dir=str(tmp_path), _env_file=None)


WHO = "Hồ sơ của ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được)."
FORMAT = ("Ghi ra loại tệp nào?\n\n1. Excel (xlsx)\n2. Word (docx)\n3. PDF\n4. Cả ba loại tệp\n"
          "(Trả lời bằng số hoặc bằng chữ)")


ABOUT = (f"Hồ sơ một quần chúng — {BRANCH}\n\n"
         "Giấy tờ kết nạp (có ngày) và quá trình phấn đấu của Nguyễn Văn An.")


def written(name: str, paths: list[str]) -> str:
    return (f"Hồ sơ một quần chúng — {BRANCH}\n\n"
            f"Giấy tờ kết nạp (có ngày) và quá trình phấn đấu của {name}.\n\n"
            "Đã ghi các tệp:\n" + "\n".join(paths))


async def an_number(demo) -> int:
    return await number_of(demo, "Nguyễn Văn An")


async def test_a_secretary_gets_a_candidates_file(talk, demo, settings):
    an = await an_number(demo)
    bithu = talk("bithu")
    await bithu.say("/baocao")  # one branch: not asked which
    assert await bithu.say("Hồ sơ một quần chúng") == WHO
    assert await bithu.say(f"{an}") == FORMAT
    assert await bithu.say("PDF, Word hay Excel?") == (
        '"PDF, Word hay Excel?" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một '
        f"lựa chọn.\n{FORMAT}")
    folder = f"{settings.data_dir}/reports"
    assert await bithu.say("Excel") == written("Nguyễn Văn An", [f"{folder}/file-TP-{an}.xlsx"])
    book = openpyxl.load_workbook(f"{folder}/file-TP-{an}.xlsx")
    assert book.sheetnames == ["Bản thân", "Hồ sơ", "Quá trình"]
    assert book["Bản thân"]["A1"].value == "HỒ SƠ QUẦN CHÚNG"


async def test_a_committee_picks_within_the_chosen_organisation(talk, demo, settings):
    an = await an_number(demo)
    captren = talk("captren")
    await captren.say("/baocao")
    await captren.say(SECOND_BRANCH)
    await captren.say("Hồ sơ một quần chúng")
    assert await captren.say(f"TP-{an}") == (  # in the subtree, but not in the branch chosen
        f"Nguyễn Văn An không thuộc {SECOND_BRANCH}. Xin chọn người khác, hoặc gõ /huy rồi /baocao để chọn "
        f"tổ chức khác.\n{WHO}")
    await captren.say("/huy")
    await captren.say("/baocao")
    await captren.say("1")  # the committee: its whole subtree
    await captren.say("7")
    assert await captren.say(f"TP-{an}") == FORMAT
    folder = f"{settings.data_dir}/reports"
    assert await captren.say("Cả ba") == written(
        "Nguyễn Văn An", [f"{folder}/file-TP-{an}.{x}" for x in ("xlsx", "docx", "pdf")])


async def test_a_candidate_out_of_reach_is_not_found(talk):
    bithu = talk("bithu")
    await bithu.say("/baocao")
    await bithu.say("7")
    outside = await bithu.say("Ngô Đức Thắng")  # in the other branch
    assert outside == (
        'Không tìm thấy ai khớp với "Ngô Đức Thắng" trong danh sách bạn được xem. Xin gõ số (xem /ds) '
        f"hoặc một phần họ tên khác.\n{WHO}")
    assert await bithu.say("Không Có Ai") == outside.replace("Ngô Đức Thắng", "Không Có Ai")


async def test_telegram_gets_the_file_as_a_document(demo):
    async with demo.sessions() as session, session.begin():
        console = (await session.exec(select(ChatLink).where(ChatLink.account_id == "bithu"))).one()
        await link_chat(session=session, channel="telegram", account_id="555", person_id=console.person_id,
                        now=demo.clock.now())
    telegram = Convo(demo, account="555", channel="telegram",
                     caps=Capabilities(buttons=True, max_text=4096, markup="html", files=True, photos=True))
    await telegram.say("/baocao")
    await telegram.say("Hồ sơ một quần chúng")
    await telegram.say("Nguyễn Văn An")
    await telegram.say("Word")
    sent, an = telegram.last, await an_number(demo)
    assert sent[0].text == ABOUT
    assert [(m.text, m.file.name, m.file.mime) for m in sent[1:]] == [
        (f"Tệp file-TP-{an}.docx", f"file-TP-{an}.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    assert sent[1].file.data[:2] == b"PK"


async def file_on_zalo(demo) -> str:
    zalo = await on_zalo(demo)
    await zalo.say("/baocao")
    await zalo.say("Hồ sơ một quần chúng")
    await zalo.say(f"{await an_number(demo)}")
    return await zalo.say("Cả ba")


async def test_zalo_without_a_public_address_says_where_to_get_the_file(demo, settings):
    assert await file_on_zalo(demo) == (
        f"{ABOUT}\n\n"
        "Zalo không gửi được tệp. Để nhận tệp Excel, Word và PDF, xin mở chibo trên Telegram và gõ "
        "/baocao, hoặc nhờ người quản trị chạy trên máy chủ:\n"
        f'chibo report file --org "{BRANCH}" --candidate {await an_number(demo)} --format xlsx,docx,pdf')


async def test_zalo_gets_a_link_to_the_files_page(demo, settings):
    async with pages_served(demo, settings) as base:
        reply = await file_on_zalo(demo)
        link = re.search(r"https?://\S+", reply).group(0)
        assert link.startswith(f"{base}/baocao/") and reply == (
            f"{ABOUT}\n\n"
            f"Xem báo cáo trên điện thoại (số liệu, tải tệp Excel, Word, PDF): {link}\n"
            "Đường dẫn dùng được đến 09:00 ngày 03/03/2026, chỉ dành cho anh/chị: xin đừng chuyển tiếp.")
        async with httpx.AsyncClient() as http:
            page = await http.get(link)
        assert page.status_code == 200 and "HỒ SƠ QUẦN CHÚNG" in page.text and "Nguyễn Văn An" in page.text
