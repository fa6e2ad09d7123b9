"""The report page in a real browser at a phone's size: headless Chromium from Debian's packages
(.ci/run installs it) loads the link chibo gave on Zalo, at 390x844, writes a screenshot and
dumps the page as it rendered it. Skipped only where chromium is not installed and CI is not
set; in CI (CI=true) a missing chromium fails."""

import asyncio
import os
import re
import shutil
import struct

import pytest

from bot.config import Settings
from bot.demo import BRANCH, SECOND_BRANCH
from tests.reports.page_server import LINK, on_zalo, pages_served

PHONE = (390, 844)
BROWSER_SECONDS = 180  # the first start of a cold browser on a loaded machine


@pytest.fixture
def settings(database_url, tmp_path):
    return Settings(database_url=database_url, data_dir=str(tmp_path / "data"), _env_file=None)


@pytest.fixture
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed, and CI must run this test: .ci/run installs it with apt-get")
    pytest.skip("chromium is not installed on this machine (apt-get install -y chromium); CI runs this test")


async def browse(chromium: str, url: str, tmp_path, *args: str) -> str:
    """Chromium's standard output for one page load (--dump-dom: the page as rendered)."""
    proc = await asyncio.create_subprocess_exec(
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--hide-scrollbars", f"--window-size={PHONE[0]},{PHONE[1]}", f"--user-data-dir={tmp_path / 'profile'}",
        *args, url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), BROWSER_SECONDS)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    return out.decode()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def text_of_dom(dom: str) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&amp;", "&")


async def test_the_report_page_reads_on_a_phone(demo, settings, chromium, tmp_path):
    async with pages_served(demo, settings):
        zalo = await on_zalo(demo)
        await zalo.say("/baocao")
        await zalo.say("Báo cáo tháng")
        link = LINK.search(await zalo.say("Tháng trước")).group(1)

        dom = await browse(chromium, link, tmp_path, "--dump-dom")
        shot = tmp_path / "page.png"
        await browse(chromium, link, tmp_path, f"--screenshot={shot}")
        refused = await browse(chromium, link.replace("&s=", "&s=0"), tmp_path, "--dump-dom")

    text = text_of_dom(dom)
    assert f"BÁO CÁO THÁNG {BRANCH} Công tác tạo nguồn và phát triển đảng viên — Tháng 2/2026 Tóm tắt" in text
    assert "- Hồ sơ đang làm: 1; việc đến hạn trong 30 ngày: 7; quá hạn: 0" in text
    assert "Tải tệp Excel Word PDF Biểu đồ" in text
    assert "I. Số lượng theo giai đoạn (ngày lập báo cáo) và biến động trong tháng" in text
    assert "1 Quần chúng ưu tú (nguồn) 4" in text
    assert "Đường dẫn này dùng được đến 09:00 ngày 03/03/2026." in text
    assert SECOND_BRANCH not in text
    assert shot.is_file() and png_size(shot.read_bytes()) == PHONE
    assert "Không mở được báo cáo Đường dẫn này không đúng" in text_of_dom(refused)
    assert BRANCH not in text_of_dom(refused)
