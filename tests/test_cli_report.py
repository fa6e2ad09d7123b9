"""`chibo report` as a script uses it: the paths written, one per line, and clear refusals."""

import os
import sqlite3
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from tests.test_cli import chibo
from PIL import Image



@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("cli_report")
    env = {**os.environ, "CHIBO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
           "CHIBO_TELEGRAM_TOKEN": "", "CHIBO_ZALO_TOKEN": "", "PYTHONUNBUFFERED": "1"}
    assert chibo(env, "demo", cwd=tmp_path).returncode == 0
    return env


def numbers(env) -> tuple[int, int]:
    """In the CLI's demo database: Nguyễn Văn An's register number in Trần Phú, and one past the highest number
    there (nobody's)."""
    path = env["CHIBO_DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT max(CASE WHEN c.full_name = 'Nguyễn Văn An' THEN c.number END), max(c.number) + 1 "
            "FROM candidate c JOIN organisation o ON o.id = c.branch_id WHERE o.name LIKE '%Trần Phú%'").fetchone()


def report(env, *args):
    return chibo(env, "report", *args)


def test_the_monthly_report_of_a_branch_prints_each_file_written(env, tmp_path):
    done = report(env, "monthly", "--org", "Trần Phú", "--period", "2026-03", "--format", "xlsx,docx",
                  "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(tmp_path / "monthly-TP-2026-03.xlsx"),
                                        str(tmp_path / "monthly-TP-2026-03.docx")]
    sheet = openpyxl.load_workbook(tmp_path / "monthly-TP-2026-03.xlsx")["Tổng hợp"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("BÁO CÁO THÁNG Tháng 3/2026",
                                                      "Chi bộ Trường THPT Trần Phú (demo)")
    heading = docx.Document(tmp_path / "monthly-TP-2026-03.docx").tables[0].rows[0].cells[0]
    assert heading.paragraphs[1].text == "CHI BỘ TRƯỜNG THPT TRẦN PHÚ (DEMO)"


def test_a_committee_gets_its_roll_up_in_one_format(env, tmp_path):
    done = report(env, "yearly", "--org", "1", "--period", "2025-2026", "--format", "xlsx", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert [line.rsplit("/", 1)[1] for line in done.stdout.splitlines()] == [
        "statistics-GD-2025-2026.xlsx", "rollup-GD-2025-2026.xlsx"]


@pytest.mark.parametrize("args, words", [
    (["monthly", "--org", "Trần Phú", "--period", "13/2026"], 'Không đọc được kỳ báo cáo "13/2026"'),
    (["monthly", "--org", "Trần Phú", "--period", "2099-01"], 'Kỳ báo cáo "2099-01" chưa bắt đầu.'),
    (["yearly", "--org", "Trần Phú", "--period", "2026-03"], "Báo cáo yearly cần kỳ là một năm (2026)"),
    (["monthly", "--org", "Không Có", "--period", "2026-03"], 'Không tìm thấy tổ chức "Không Có"'),
    (["list", "--org", "Trần Phú", "--format", "odt,xlsx"], 'Không biết định dạng "odt,xlsx"'),
])
def test_bad_input_is_refused_in_words(env, tmp_path, args, words):
    done = report(env, *args, "--out", str(tmp_path))
    assert done.returncode == 1 and words in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_one_candidates_file(env, tmp_path):
    an, nobody = numbers(env)
    done = report(env, "file", "--org", "Trần Phú", "--candidate", f"{an}", "--format", "docx", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(tmp_path / f"file-TP-{an}.docx")]
    document = docx.Document(tmp_path / f"file-TP-{an}.docx")
    assert "HỒ SƠ QUẦN CHÚNG" in [p.text for p in document.paragraphs]
    about, checklist = document.tables[1], document.tables[2]
    assert [c.text for c in about.rows[1].cells] == ["Họ và tên", "Nguyễn Văn An"]
    assert [c.text for c in checklist.rows[0].cells] == ["STT", "Mẫu", "Giấy tờ", "Ngày", "Tình trạng", "Người giữ"]
    assert checklist.rows[1].cells[1].text == "CN-NTVĐ"
    missing = report(env, "file", "--org", "Trần Phú", "--candidate", f"{nobody}", "--out", str(tmp_path))
    assert missing.returncode == 1
    assert f"Không có người số {nobody} trong Chi bộ Trường THPT Trần Phú (demo)." in missing.stdout
    unasked = report(env, "file", "--org", "Trần Phú", "--out", str(tmp_path))
    assert unasked.returncode == 1 and "cần --candidate SỐ" in unasked.stdout


@pytest.mark.parametrize("kind, org, period, title", [
    ("quarterly", "Trần Phú", "2026-Q1", "BÁO CÁO KHẢO SÁT NGUỒN PHÁT TRIỂN ĐẢNG VIÊN"),
    ("half-year", "Trần Phú", "2025-H2", "Thống kê"),
    ("yearly", "Trần Phú", "2025", "Thống kê"),
    ("rollup", "1", "2026-03", "Tổng hợp"),
    ("list", "Trần Phú", None, "DANH SÁCH QUẦN CHÚNG ƯU TÚ"),
])
def test_every_kind_in_every_format(env, tmp_path, kind, org, period, title):
    """Each KIND the issue names, with a PERIOD of each form, writes the four formats: each file
    opens with its own library, and the PDF's text keeps its Vietnamese letters."""
    done = report(env, kind, "--org", org, *(["--period", period] if period else []),
                  "--format", "xlsx,docx,pdf,png", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    written = [Path(line) for line in done.stdout.splitlines()]
    assert [p.suffix for p in written] == [".xlsx", ".docx", ".pdf", ".png"] and all(p.parent == tmp_path
                                                                                      for p in written)
    assert openpyxl.load_workbook(written[0]).worksheets[0]["A2"].value
    assert docx.Document(written[1]).sections[0].left_margin.mm == pytest.approx(30, abs=0.5)
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(written[2]).pages).split())
    assert title.casefold() in text.casefold() and "Chi bộ Trường THPT Trần Phú".casefold() in text.casefold()
    with Image.open(written[3]) as png:
        assert png.format == "PNG"
