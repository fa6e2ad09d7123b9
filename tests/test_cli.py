"""The `chibo` command as scripts use it: chat over a pipe, organisations, invites, help."""

import contextlib
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.logs import CHIBO_LOGGERS, LIBRARY_LOGGERS

CHIBO = [sys.executable, "-m", "bot"]


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "CHIBO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
            "CHIBO_TELEGRAM_TOKEN": "", "CHIBO_ZALO_TOKEN": "", "PYTHONUNBUFFERED": "1"}


def chibo(env, *args, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`chibo ARGS` with `env` in `cwd`: its exit code, standard output and error, as a script
    sees them. Run in this process (typer's CliRunner): a new Python starting chibo cost seconds
    of CPU, over half the suite's. The tests that need a real process (a pipe read line by line,
    `python -m bot`) start one with CHIBO, and so does a command answering a prompt: CliRunner
    echoes the answer typed, which a pipe does not."""
    if stdin and args[0] != "chat":
        return subprocess.run([*CHIBO, *args], input=stdin, capture_output=True, text=True, env=env,
                              cwd=cwd, timeout=120)
    return run_in_process(env, list(args), stdin=stdin, cwd=cwd)


def run_in_process(env, args: list[str], *, stdin: str = "", cwd: Path | None = None,
                   ) -> subprocess.CompletedProcess:
    from bot.cli import app

    loggers = [logging.getLogger(name) for name in ("", *CHIBO_LOGGERS, *LIBRARY_LOGGERS)]
    saved = [(logger, logger.level, logger.handlers[:]) for logger in loggers]
    unset = {name: None for name in os.environ if name not in env}  # what the process would not have
    try:
        with contextlib.chdir(cwd or os.getcwd()):
            result = CliRunner().invoke(app, args, input=stdin, env={**unset, **env}, catch_exceptions=False)
    finally:  # the command's log setup undone: its stream is gone with the runner
        for logger, level, handlers in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers
    return subprocess.CompletedProcess(["chibo", *args], result.exit_code, result.stdout, result.stderr)


def test_chat_over_a_pipe_answers_each_line_and_exits_cleanly(env, tmp_path):
    done = chibo(env, "chat", stdin="/trogiup\n/ds\n/xem nguyen van an\n", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Đã tạo dữ liệu mẫu" in out  # the first run makes the demo
    assert out.index("bí thư") < out.index("Danh sách quần chúng") < out.index("12/04/1998")


def test_each_reply_is_flushed_before_the_next_line_is_read(env, tmp_path):
    chibo(env, "demo", cwd=tmp_path)
    proc = subprocess.Popen([*CHIBO, "chat", "--as", "giupdo"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        proc.stdin.write("/trogiup\n")
        proc.stdin.flush()
        seen = ""
        while "(Trả lời bằng số" not in seen:  # the end of the help reply
            line = proc.stdout.readline()
            assert line, "chibo closed its output before answering"
            seen += line
        assert "Trần Văn Bình" in seen
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()


def test_demo_again_says_the_demo_data_is_there_and_keeps_it(env, tmp_path):
    first = chibo(env, "demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    added = chibo(env, "chat", stdin="/them\nNguyễn Thị Hoa\n05/09/2004\n2\n1\nBỏ qua\ncó\n1\n-\nLưu\n", cwd=tmp_path)
    assert "Đã lưu Nguyễn Thị Hoa" in added.stdout, added.stdout
    again = chibo(env, "demo", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout == (
        "Dữ liệu mẫu đã có sẵn trong cơ sở dữ liệu này; chibo giữ nguyên, không tạo lại, "
        "để không mất những gì đã ghi thêm. "
        "Tài khoản console: bithu (bí thư), giupdo (đảng viên giúp đỡ), quanchung (quần chúng), "
        "captren (cấp ủy cấp trên).\n")
    listing = chibo(env, "chat", stdin="/ds\n", cwd=tmp_path).stdout
    assert ". Nguyễn Thị Hoa (2004)\n" in listing  # what was added since is still there


def test_a_stranger_on_the_console_learns_nothing(env, tmp_path):
    out = chibo(env, "chat", "--as", "someone", stdin="/ds\n/xem 1\n", cwd=tmp_path).stdout
    assert out.count("chưa được liên kết") == 2 and "Nguyễn Văn An" not in out


def test_a_real_deployment_builds_its_tree_and_invites_a_secretary(env, tmp_path):
    assert chibo(env, "db", "upgrade").returncode == 0
    top = chibo(env, "org", "add", "Đảng ủy Khối Doanh nghiệp", "--kind", "committee")
    assert top.returncode == 0 and "Đã thêm" in top.stdout
    branch = chibo(env, "org", "add", "Chi bộ Phân xưởng 1", "--parent", "Đảng ủy Khối Doanh nghiệp")
    assert "thuộc Đảng ủy Khối Doanh nghiệp" in branch.stdout
    tree = chibo(env, "org", "list").stdout
    assert re.search(r"1\. Đảng ủy Khối Doanh nghiệp.*\n  2\. Chi bộ Phân xưởng 1", tree)
    missing = chibo(env, "org", "add", "X", "--parent", "Không có")
    assert missing.returncode == 1 and "Không tìm thấy tổ chức" in missing.stdout

    made = chibo(env, "invite", "create", "--role", "secretary", "--org", "Chi bộ Phân xưởng 1",
                 "--name", "Đỗ Văn Mạnh")
    code = re.search(r"Mã mời: (\w+)", made.stdout).group(1)
    talk = chibo(env, "chat", "--as", "manh", stdin=f"/start {code}\n/ds\n", cwd=tmp_path).stdout
    assert "Vai trò: bí thư — Chi bộ Phân xưởng 1" in talk and "Chưa có quần chúng nào" in talk
    assert "Đã tạo dữ liệu mẫu" not in talk  # a real deployment gets no demo data


def help_commands(env, *args) -> list[tuple[str, str]]:
    """The (command, description) rows of the Commands panel of `chibo ... --help`, one line each:
    a wide terminal so that no description wraps, and no colour codes whatever the caller's terminal."""
    wide = {**env, "TERMINAL_WIDTH": "240", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}
    done = chibo(wide, *args, "--help")
    assert done.returncode == 0, done.stderr
    panel = done.stdout[done.stdout.index("─ Commands ─"):]
    return re.findall(r"^│ (\S+) +(.+?) *│$", panel, re.MULTILINE)


def test_help_explains_every_command(env):
    assert help_commands(env) == [
        ("run", "Chạy chibo. Không có token: trò chuyện trên console với dữ liệu mẫu "
                "(Run chibo; with no token, the console channel with demo data)."),
        ("chat", "Trò chuyện với chibo trên console, mỗi dòng một tin nhắn "
                 "(Talk to chibo in the terminal, one message per line)."),
        ("demo", "Tạo dữ liệu mẫu nếu chưa có (create the demo data unless it is there)."),
        ("tick", "Tính các nhắc việc đến hạn vào một thời điểm rồi gửi đi "
                 "(compute due reminders as of a moment and dispatch)."),
        ("outbox", "Xem các tin nhắn chờ gửi, đã gửi, gửi lỗi (list pending, sent and failed messages)."),
        ("purge", "Dọn dữ liệu hết hạn lưu giữ; chibo cũng tự làm mỗi ngày (apply the retention rules)."),
        ("import", "Nhập danh sách quần chúng của chi bộ từ tệp .xlsx hoặc .csv (import a branch's register)."),
        ("report", "Báo cáo ra tệp xlsx, docx, pdf, png: tháng, quý, 6 tháng, năm, tổng hợp theo chi bộ, "
                   "danh sách, hồ sơ một người (reports as files)."),
        ("db", "Cơ sở dữ liệu (database)."),
        ("org", "Tổ chức đảng: thêm, xem cây (organisations: add, list the tree)."),
        ("invite", "Mã mời liên kết tài khoản chat (invite codes)."),
        ("person", "Người: vai trò, xuất và xoá dữ liệu cá nhân, yêu cầu về dữ liệu "
                   "(people: roles, export, erasure, data requests)."),
        ("role", "Vai trò của một người (roles)."),
        ("account", "Tài khoản chat liên kết với một người (chat accounts)."),
        ("target", "Chỉ tiêu kết nạp đảng viên của tổ chức (targets)."),
        ("export", "Xuất dữ liệu ra tệp (export)."),
    ]
    assert "Tạo mã mời" in chibo(env, "invite", "create", "--help").stdout


def test_debug_logs_hold_no_name_birth_date_or_phone_typed_in(env, tmp_path):
    typed = ("/them\nNguyễn Thị Zêta\n05/09/2004\n2\ngiáo viên\nTổ Toán\ncó\nĐoàn Thanh niên\nsố 0987654321\n1\n"
             "/xem zeta\n")
    done = chibo({**env, "CHIBO_LOG_LEVEL": "DEBUG"}, "chat", stdin=typed, cwd=tmp_path)
    assert done.returncode == 0 and "Đã lưu Nguyễn Thị Zêta" in done.stdout
    assert "DEBUG" in done.stderr  # debug logging was on
    for private in ("Zêta", "Z\\u00eata", "0987654321", "2004-09-05", "05/09/2004"):
        assert private not in done.stderr, private
    assert "INSERT INTO" not in done.stderr and "SELECT" not in done.stderr  # no SQL statements either


def test_a_console_run_at_the_usual_log_level_shows_no_sql(env, tmp_path):
    done = chibo(env, "chat", stdin="/ds\n", cwd=tmp_path)
    assert done.returncode == 0 and "Danh sách quần chúng" in done.stdout
    assert "sqlalchemy" not in done.stderr and "CREATE TABLE" not in done.stderr
