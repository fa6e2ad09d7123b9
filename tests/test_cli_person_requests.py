"""`chibo person requests` and `chibo person answer` as an operator types them (issue 16): the
requests about people's data, those no one in chat answers (a committee member's) among them,
marked acknowledged or done, audited, and the person told; names on the terminal, not in logs."""

import json
import sqlite3

from bot.clock import Clock
from bot.render import text_of
from models.consent import request_due
from tests.test_cli import chibo, help_commands
from tests.test_cli_access import audit, demo_env, demo_file, env  # noqa: F401  (fixtures)

CUONG = "Lê Văn Cường"  # captren, person 3, committee of "Đảng ủy Khối Giáo dục (demo)"
MINH = "Lê Hoàng Minh"  # quanchung, person 4; his candidate id and register number are looked up (old_request)
FOOT = 'Ghi đã trả lời: chibo person answer SỐ; đã xử lý xong: chibo person answer SỐ --done --outcome "VIỆC ĐÃ LÀM"\n'


def vn(day) -> str:
    return day.strftime("%d/%m/%Y")


def old_request(tmp_path) -> int:
    """quanchung's request to erase, made in January: past both its days now. Returns Minh's register number."""
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    try:
        candidate, number = db.execute("SELECT id, number FROM candidate WHERE full_name = ?", (MINH,)).fetchone()
        db.execute("INSERT INTO datarequest (candidate_id, person_id, org_id, kind, made_on, acknowledge_by, act_by,"
                   " at) VALUES (?, 4, 2, 'erase', '2026-01-05', '2026-01-07', '2026-01-26', '2026-01-05 02:00:00')",
                   (candidate,))
        db.commit()
        return number
    finally:
        db.close()


def captren_asks(demo_env, tmp_path):
    return chibo(demo_env, "chat", "--as", "captren", stdin="/dulieu\n2\nTên đúng là Lê Văn Cương\n1\n", cwd=tmp_path)


def test_a_committee_members_request_goes_to_the_operator_who_lists_and_answers_it(demo_env, tmp_path):
    asked = captren_asks(demo_env, tmp_path)
    today = Clock().today()
    acknowledge_by, act_by = request_due(today)
    assert (f"Đã ghi yêu cầu của bạn và chuyển cho người quản trị chibo (cấp ủy không có bí thư chi bộ trên "
            f"chibo). Người quản trị trả lời trước ngày {vn(acknowledge_by)} và xử lý xong trước ngày "
            f"{vn(act_by)}.") in asked.stdout
    assert "data request 1 awaits the operator: chibo person requests" in asked.stderr  # where the operator looks
    assert CUONG not in asked.stderr and "Cương" not in asked.stderr  # ids only in the log
    minh = old_request(tmp_path)
    listed = chibo(demo_env, "person", "requests", cwd=tmp_path)
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, (
        "Yêu cầu về dữ liệu cá nhân đang chờ xử lý (2):\n"
        f"2. {MINH} (người số 4, quần chúng số {minh}): xin xoá dữ liệu ngày 05/01/2026 — "
        "Chi bộ Trường THPT Trần Phú (demo)\n"
        "   Ai trả lời: bí thư chi bộ, bằng /yeucau; hạn trả lời 07/01/2026, hạn xử lý 26/01/2026 — QUÁ HẠN\n"
        f'1. {CUONG} (người số 3): xin sửa thông tin ("Tên đúng là Lê Văn Cương") ngày {vn(today)} — '
        "Đảng ủy Khối Giáo dục (demo)\n"
        "   Ai trả lời: người quản trị (cấp ủy không có bí thư chi bộ trên chibo); "
        f"hạn trả lời {vn(acknowledge_by)}, hạn xử lý {vn(act_by)}\n" + FOOT), "")
    overdue = chibo(demo_env, "person", "requests", "--overdue", cwd=tmp_path)
    assert overdue.stdout.splitlines()[0] == "Yêu cầu về dữ liệu cá nhân quá hạn (1):"
    assert overdue.stdout.splitlines()[1].startswith(f"2. {MINH}")
    before = audit(tmp_path)

    acknowledged = chibo(demo_env, "person", "answer", "1", cwd=tmp_path)
    assert (acknowledged.returncode, acknowledged.stdout) == (0, (
        f"Đã ghi đã trả lời yêu cầu số 1. Còn phải xử lý xong trước ngày {vn(act_by)}: chibo person answer 1 "
        '--done --outcome "VIỆC ĐÃ LÀM" khi xong.\nNgười đó sẽ nhận tin báo trên chibo.\n'))
    done = chibo(demo_env, "person", "answer", "1", "--done", "--outcome", "Đã sửa họ tên", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, (
        "Đã ghi xong yêu cầu số 1: chibo không nhắc về yêu cầu này nữa.\nNgười đó sẽ nhận tin báo trên chibo.\n"))
    assert audit(tmp_path)[len(before):] == [(None, "data.request.acknowledged", "person:3"),
                                            (None, "data.request.done", "person:3")]
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    try:
        assert db.execute("SELECT acknowledged_on, done_on, outcome, answered_by FROM datarequest WHERE id = 1"
                          ).fetchone() == (today.isoformat(), today.isoformat(), "Đã sửa họ tên", None)
        told = db.execute("SELECT person_id, template FROM outbox WHERE kind = 'data_request_answer' ORDER BY id"
                          ).fetchall()
    finally:
        db.close()
    assert told == [(3, "data/request_answered"), (3, "data/request_answered")]  # captren, on the console
    left = chibo(demo_env, "person", "requests", cwd=tmp_path)
    assert left.stdout.splitlines()[0] == "Yêu cầu về dữ liệu cá nhân đang chờ xử lý (1):"
    every = chibo(demo_env, "person", "requests", "--all", cwd=tmp_path)
    assert every.stdout.splitlines()[4] == (
        "   Ai trả lời: người quản trị (cấp ủy không có bí thư chi bộ trên chibo); "
        f"xong ngày {vn(today)}: Đã sửa họ tên")


def test_the_person_is_told_the_operators_answers(demo_env, tmp_path):
    captren_asks(demo_env, tmp_path)
    chibo(demo_env, "person", "answer", "1", cwd=tmp_path)
    chibo(demo_env, "person", "answer", "1", "--done", "--outcome", "Đã sửa họ tên", cwd=tmp_path)
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    try:
        told = db.execute("SELECT template, \"values\" FROM outbox WHERE kind = 'data_request_answer' ORDER BY id"
                          ).fetchall()
    finally:
        db.close()
    today = Clock().today()
    assert [text_of(template, **json.loads(values)) for template, values in told] == [
        f'Người quản trị chibo đã nhận yêu cầu "xin sửa thông tin" của bạn ngày {vn(today)} và sẽ xử lý xong '
        f"trước ngày {vn(request_due(today)[1])}.",
        f'Yêu cầu "xin sửa thông tin" của bạn ngày {vn(today)} đã được người quản trị chibo xử lý xong: '
        "Đã sửa họ tên"]


def test_done_needs_what_was_done_and_an_answered_or_unknown_request_is_said_so(demo_env, tmp_path):
    captren_asks(demo_env, tmp_path)
    before = audit(tmp_path)
    no_outcome = chibo(demo_env, "person", "answer", "1", "--done", "--outcome", "  ", cwd=tmp_path)
    assert (no_outcome.returncode, no_outcome.stdout) == (1, (
        'Cần ghi việc đã làm: --outcome "..." (người yêu cầu sẽ đọc câu này). Không ghi gì cho yêu cầu số 1.\n'))
    missing = chibo(demo_env, "person", "answer", "7", cwd=tmp_path)
    assert (missing.returncode, missing.stdout) == (
        1, "Không có yêu cầu số 7. Xem các yêu cầu đang chờ: chibo person requests\n")
    assert audit(tmp_path) == before
    chibo(demo_env, "person", "answer", "1", "--done", "--outcome", "Đã sửa", cwd=tmp_path)
    again = chibo(demo_env, "person", "answer", "1", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (
        1, "Yêu cầu số 1 đã xử lý xong. Xem các yêu cầu đang chờ: chibo person requests\n")


def test_no_request_is_said_so(demo_env, tmp_path):
    assert chibo(demo_env, "person", "requests", cwd=tmp_path).stdout == (
        "Không có yêu cầu nào về dữ liệu cá nhân đang chờ xử lý.\n")
    assert chibo(demo_env, "person", "requests", "--overdue", cwd=tmp_path).stdout == (
        "Không có yêu cầu nào về dữ liệu cá nhân quá hạn.\n")
    assert chibo(demo_env, "person", "requests", "--all", cwd=tmp_path).stdout == (
        "Chưa có yêu cầu nào về dữ liệu cá nhân.\n")


def test_the_person_help_lists_requests_and_answer(env):
    assert help_commands(env, "person") == [
        ("list", "Xem những người có vai trò trong một tổ chức, với số người và tài khoản chat (list people holding a "
                 "role)."),
        ("export", "Xuất mọi dữ liệu chibo giữ về một người ra JSON và xlsx (export everything about one person)."),
        ("erase", "Xoá dữ liệu cá nhân của một người, giữ lại số liệu cho báo cáo (anonymise one person "
                  "everywhere)."),
        ("requests", "Xem các yêu cầu về dữ liệu cá nhân đang chờ xử lý (/dulieu), cả những yêu cầu không ai trên "
                     "chat trả lời (list data requests)."),
        ("answer", "Ghi một yêu cầu về dữ liệu là đã trả lời, hoặc đã xử lý xong với --done (mark a data request "
                   "answered)."),
    ]
