"""/baocao on Zalo (no files there): the summary and a signed, expiring link to the report's page
on chibo's own HTTP endpoint, for that person's organisation only; without a public address,
the summary and where to get the files."""

import io
import re
from datetime import timedelta
from pathlib import Path

import httpx
import openpyxl
import pytest
from docx import Document as read_docx
from sqlmodel import select

from bot.config import Settings
from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.access import revoke_role
from models.org import Organisation
from models.people import ChatLink
from models.stage import Role
from tests.conftest import START
from tests.reports.page_server import LINK, on_zalo, pages_served

SUMMARY = (
    f"Báo cáo tháng — {BRANCH} — Tháng 2/2026\n\n"
    "- Theo giai đoạn: Quần chúng ưu tú (nguồn) 4; Cảm tình Đảng 3; Học lớp nhận thức về Đảng 2; "
    "Đang làm hồ sơ 1; Đã đề nghị kết nạp 1; Có quyết định kết nạp 1; Đảng viên dự bị 1\n"
    "- Trong tháng: thêm vào nguồn 3, sang cảm tình Đảng 0, đưa ra khỏi danh sách 0; chi bộ đã xét 0 người\n"
    "- Chưa được đảng viên giúp đỡ gặp trong tháng: 3\n"
    "- Hồ sơ đang làm: 1; việc đến hạn trong 30 ngày: 7; quá hạn: 0")
SEND = "Gửi báo cáo này lên cấp ủy cấp trên: gõ /baocao gửi 2/2026"
EXPIRES = int((START + timedelta(hours=24)).timestamp())
REFUSED = "Không mở được báo cáo"


@pytest.fixture
def settings(database_url, tmp_path):
    return Settings(database_url=database_url, data_dir=str(tmp_path), _env_file=None)


async def org_id(demo, name: str) -> int:
    async with demo.sessions() as session:
        return (await session.exec(select(Organisation.id).where(Organisation.name == name))).one()


async def monthly_on_zalo(demo) -> str:
    zalo = await on_zalo(demo)
    await zalo.say("/baocao")
    await zalo.say("Báo cáo tháng")
    return await zalo.say("Tháng trước")


def link_in(reply: str) -> str:
    return LINK.search(reply).group(1)


async def test_zalo_gets_the_summary_and_a_signed_link_to_the_report_page(demo, settings):
    async with pages_served(demo, settings) as base:
        reply = await monthly_on_zalo(demo)
        link = link_in(reply)
        assert reply == (
            f"{SUMMARY}\n\n{SEND}\n\n"
            f"Xem báo cáo trên điện thoại (số liệu, biểu đồ, tải tệp Excel, Word, PDF): {link}\n"
            "Đường dẫn dùng được đến 09:00 ngày 03/03/2026, chỉ dành cho anh/chị: xin đừng chuyển tiếp.")
        assert link.startswith(f"{base}/baocao/")
        assert re.search(r"\?o=(\d+)&e=(\d+)&", link).groups() == (str(await org_id(demo, BRANCH)), str(EXPIRES))
        async with httpx.AsyncClient() as http:
            page = await http.get(link)
            assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
            assert page.headers["cache-control"] == "no-store"
            html = page.text
            for words in ("BÁO CÁO THÁNG", BRANCH, COMMITTEE, "Tháng 2/2026", "Quần chúng ưu tú (nguồn)",
                          "II. Thay đổi trong danh sách nguồn và cảm tình Đảng", "Tải tệp", "Biểu đồ",
                          "Đường dẫn này dùng được đến 09:00 ngày 03/03/2026"):
                assert words in html, words
            assert SECOND_BRANCH not in html
            files = dict(re.findall(r'<a href="([^"]+)" download="[^"]+">(\w+)</a>', html))
            assert sorted(files.values()) == ["Excel", "PDF", "Word"]
            got = {kind: await http.get(url.replace("&amp;", "&")) for url, kind in files.items()}
            assert {k: r.status_code for k, r in got.items()} == {"Excel": 200, "PDF": 200, "Word": 200}
            sheet = openpyxl.load_workbook(io.BytesIO(got["Excel"].content))["Tổng hợp"]
            assert sheet["A2"].value == BRANCH and sheet["C6"].value == 4
            assert read_docx(io.BytesIO(got["Word"].content)).tables[0].rows[0].cells[0].paragraphs[0].text == (
                COMMITTEE.upper())
            assert got["PDF"].content.startswith(b"%PDF")
            assert "monthly-TP-2026-02.xlsx" in got["Excel"].headers["content-disposition"]
            chart = re.search(r'<img class="chart" src="([^"]+)"', html).group(1).replace("&amp;", "&")
            image = await http.get(chart)
            assert image.status_code == 200 and image.headers["content-type"] == "image/png"
            assert image.content.startswith(b"\x89PNG")


async def test_a_tampered_or_expired_link_gets_a_vietnamese_refusal(demo, settings):
    async with pages_served(demo, settings):
        link = link_in(await monthly_on_zalo(demo))
        second = await org_id(demo, SECOND_BRANCH)
        altered = {
            "signature": re.sub(r"s=([0-9a-f])", lambda m: "s=" + ("0" if m.group(1) != "0" else "1"), link),
            "another organisation": re.sub(r"o=\d+", f"o={second}", link),
            "stretched": re.sub(r"e=\d+", f"e={EXPIRES + 86400}", link),
            "another token": re.sub(r"/baocao/[A-Za-z0-9_-]+", "/baocao/AAAAAAAAAAAAAAAAAAAAAAAA", link),
            "a file not signed": link.replace("?", "/monthly-TP-2026-02.xlsx?"),
            "no signature": link.split("&s=")[0],
        }
        async with httpx.AsyncClient() as http:
            for why, url in altered.items():
                got = await http.get(url)
                assert got.status_code == 403, why
                assert REFUSED in got.text and "không đúng (có thể đã bị sửa hoặc chép thiếu)" in got.text, why
                assert BRANCH not in got.text and "Quần chúng" not in got.text, why
            assert (await http.get(link)).status_code == 200
            demo.clock.advance(hours=24)
            expired = await http.get(link)
            assert expired.status_code == 403
            assert "Đường dẫn này đã hết hạn. Xin gõ lại /baocao trong Zalo để nhận đường dẫn mới." in expired.text
            assert BRANCH not in expired.text
        # an expired page and its copies of the files go when the next page is made
        pages = Path(settings.data_dir) / "reports" / "pages"
        assert len(list(pages.iterdir())) == 1
        fresh = link_in(await monthly_on_zalo(demo))
        assert [f.name for f in pages.iterdir()] == [re.search(r"/baocao/([^?]+)", fresh).group(1)]


async def test_a_link_shows_only_its_own_organisation_and_only_while_the_role_lasts(demo, settings, tmp_path):
    async with pages_served(demo, settings):
        captren = await on_zalo(demo, "captren")
        await captren.say("/baocao")
        await captren.say(SECOND_BRANCH)
        await captren.say("Danh sách quần chúng ưu tú")
        theirs = link_in(captren.last[-1].text)
        mine = link_in(await monthly_on_zalo(demo))
        async with httpx.AsyncClient() as http:
            page = (await http.get(theirs)).text
            assert SECOND_BRANCH in page and BRANCH not in page
            branch = await org_id(demo, BRANCH)
            async with demo.sessions() as session, session.begin():
                person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
                await revoke_role(session=session, person_id=person, org_id=branch,
                                  role=Role.secretary, now=demo.clock.now(), by_person_id=None)
            refused = await http.get(mine)
            assert refused.status_code == 403
            assert "Bạn không còn phụ trách tổ chức của báo cáo này, nên không xem được báo cáo." in refused.text
            assert BRANCH not in refused.text
            assert (await http.get(theirs)).status_code == 200  # the committee's own still opens
    # the pages' copies of the files are readable by chibo's user only
    folders = sorted((tmp_path / "reports" / "pages").iterdir())
    assert len(folders) == 2 and all(oct(f.stat().st_mode)[-3:] == "700" for f in folders)


async def test_without_a_public_address_zalo_says_where_to_get_the_files(demo, settings):
    reply = await monthly_on_zalo(demo)
    assert reply == (
        f"{SUMMARY}\n\n{SEND}\n\n"
        "Zalo không gửi được tệp. Để nhận tệp Excel, Word, PDF và biểu đồ, xin mở chibo trên Telegram và gõ "
        "/baocao, hoặc nhờ người quản trị chạy trên máy chủ:\n"
        f'chibo report monthly --org "{BRANCH}" --period 2026-02 --format xlsx,docx,pdf,png')
    assert not (Path(settings.data_dir) / "reports").exists()  # no file written: none could be fetched


async def test_a_report_sent_up_from_zalo_links_to_its_page(demo, settings):
    async with pages_served(demo, settings):
        zalo = await on_zalo(demo)
        reply = await zalo.say("/baocao gửi")
        link = link_in(reply)
        assert reply == (
            f"{SUMMARY}\n\nĐã gửi báo cáo này lên {COMMITTEE}.\n\n"
            f"Xem báo cáo trên điện thoại (số liệu, biểu đồ, tải tệp Excel, Word, PDF): {link}\n"
            "Đường dẫn dùng được đến 09:00 ngày 03/03/2026, chỉ dành cho anh/chị: xin đừng chuyển tiếp.")
        async with httpx.AsyncClient() as http:
            page = await http.get(link)
        assert page.status_code == 200 and "BÁO CÁO THÁNG" in page.text and "Đã gửi" not in page.text
