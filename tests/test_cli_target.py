"""`chibo target set` as a script uses it: a school or calendar year, composition, and clear refusals."""

import os
import sqlite3

import pytest

from tests.test_cli import chibo

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """One demo database for the module: each test writes its own period label."""
    tmp_path = tmp_path_factory.mktemp("cli_target")
    env = {**os.environ, "CHIBO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
           "CHIBO_TELEGRAM_TOKEN": "", "CHIBO_ZALO_TOKEN": "", "PYTHONUNBUFFERED": "1"}
    assert chibo(env, "demo", cwd=tmp_path).returncode == 0
    return env


def target(env, *args):
    return chibo(env, "target", *args)


def rows(env, label: str) -> list[tuple]:
    path = env["CHIBO_DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT o.name, t.period_kind, t.starts_on, t.ends_on, t.admissions, t.composition "
            "FROM orgtarget t JOIN organisation o ON o.id = t.org_id WHERE t.label = ?", (label,)).fetchall()


def test_a_school_year_target_is_set_then_replaced(env):
    done = target(env, "set", "--org", "Trần Phú", "--period", "2030-2031", "--admissions", "5",
                  "--min", "teacher=1", "--min", "youth_union=2")
    assert done.returncode == 0, done.stderr
    assert ("Đã đặt chỉ tiêu năm học 2030-2031 (01/09/2030–31/08/2031) cho "
            f"{BRANCH}: kết nạp ít nhất 5.") in done.stdout
    assert "Trong đó Đoàn viên: ít nhất 2" in done.stdout
    assert rows(env, "2030-2031") == [
        (BRANCH, "school_year", "2030-09-01", "2031-08-31", 5, '{"teacher": 1, "youth_union": 2}')]
    again = target(env, "set", "--org", BRANCH, "--period", "2030-2031", "--admissions", "3")
    assert again.returncode == 0 and "Đã sửa chỉ tiêu năm học 2030-2031" in again.stdout
    assert rows(env, "2030-2031") == [(BRANCH, "school_year", "2030-09-01", "2031-08-31", 3, "{}")]


def test_a_calendar_year_target(env):
    done = target(env, "set", "--org", "Khoa Toán", "--period", "2031", "--admissions", "2", "--min", "woman=1")
    assert done.returncode == 0 and "chỉ tiêu năm 2031 (01/01/2031–31/12/2031)" in done.stdout
    assert rows(env, "2031")[0][1:] == ("calendar_year", "2031-01-01", "2031-12-31", 2, '{"woman": 1}')


def test_a_term_target_with_shares(env):
    done = target(env, "set", "--org", "Khối Giáo dục", "--period", "2025-2030", "--admissions", "30",
                  "--share", "youth_union>60", "--share", "private_firm>=2", "--share", "branches>70",
                  "--share", "student_branches>=100")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Đã đặt chỉ tiêu nhiệm kỳ 2025-2030 (01/01/2025–31/12/2030) cho Đảng ủy Khối Giáo dục (demo): "
        "kết nạp ít nhất 30.\n"
        "- Đoàn viên: trên 60% số người được kết nạp\n"
        "- Làm ở doanh nghiệp ngoài nhà nước: ít nhất 2% số người được kết nạp\n"
        "- Chi bộ có kết nạp: trên 70% số chi bộ\n"
        "- Chi bộ sinh viên thành lập trên 12 tháng có kết nạp: ít nhất 100% số chi bộ\n")
    assert rows(env, "2025-2030")[0][1:] == ("term", "2025-01-01", "2030-12-31", 30, "{}")


@pytest.mark.parametrize("share", ["youth_union=60", "youth_union>101", "nobody>5"])
def test_a_wrong_share_is_refused(env, share):
    done = target(env, "set", "--org", "Trần Phú", "--period", "2030", "--admissions", "1", "--share", share)
    assert done.returncode == 1 and f"Không đọc được tỷ lệ {share}." in done.stdout
    assert rows(env, "2030") == []


@pytest.mark.parametrize("args, words", [
    (["--org", "Trần Phú", "--period", "2030-2032", "--admissions", "1"], 'Không đọc được thời gian "2030-2032"'),
    (["--org", "Trần Phú", "--period", "2030", "--admissions", "1", "--min", "teachers=1"], "Các nhóm: teacher"),
    (["--org", "Trần Phú", "--period", "2030", "--admissions", "1", "--min", "woman"], "--min NHÓM=SỐ"),
    (["--org", "Trần Phú", "--period", "2030", "--admissions", "1", "--min", "woman=2"],
     "vượt quá số kết nạp (1): Nữ 2"),
    (["--org", "Trần Phú", "--period", "2030", "--admissions", "-1"], "phải từ 0 đến"),
    (["--org", "Không có", "--period", "2030", "--admissions", "1"], 'Không tìm thấy tổ chức "Không có"'),
    (["--org", "Chi bộ", "--period", "2030", "--admissions", "1"], 'Có nhiều tổ chức khớp với "Chi bộ"'),
])
def test_a_wrong_argument_is_refused_and_nothing_is_saved(env, args, words):
    done = target(env, "set", *args)
    assert done.returncode == 1 and words in done.stdout
    assert rows(env, "2030") == []


def test_help_explains_the_options(env):
    out = target(env, "set", "--help").stdout
    for option in ("--org", "--period", "--admissions", "--min", "--share"):
        assert option in out
    assert "youth_union" in out and "Năm học 2026-2027" in out
