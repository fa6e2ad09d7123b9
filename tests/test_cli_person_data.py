"""`chibo person export`, `chibo person erase` and `chibo purge` as an operator types them
(issue 16): whole outputs, the files written, and what the database holds afterwards."""

import json
import sqlite3

from openpyxl import load_workbook

from tests.test_cli import chibo
from tests.test_cli_access import audit, demo_env, demo_file, env  # noqa: F401  (fixtures)

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"
MINH = "Lê Hoàng Minh"  # person 4, the console account quanchung; his register number is looked up (register)
ANH = "Hoàng Mai Anh"  # a candidate with no person (no chat account)
WHAT = ('Sẽ xoá dữ liệu cá nhân của người số 4 (Lê Hoàng Minh): họ tên, ngày sinh (giữ năm sinh cho thống kê), '
        'ghi chú, dân tộc thiểu số, tôn giáo, tài khoản chat, tin nhắn và câu trả lời đang dở. Số liệu báo cáo '
        '(giai đoạn, lớp học, biểu quyết) được giữ, dưới tên "(đã xoá dữ liệu)". Không hoàn tác được.\n'
        f'Lê Hoàng Minh đang ở giai đoạn "Cảm tình Đảng" ở {BRANCH}: việc phát triển đảng của người này sẽ kết '
        'thúc trong chibo (đưa ra khỏi danh sách).\n')
ERASED = ("Đã xoá dữ liệu cá nhân của người số 4: 1 hồ sơ quần chúng (1 dừng phát triển đảng trong chibo), "
          "1 tài khoản chat gỡ liên kết. Nhật ký ghi lần xoá này với lý do.\n")


def register(tmp_path, full_name: str) -> tuple[int, int]:
    """A demo candidate's (id, register number) in the file's database, looked up by name: the operator types
    the number the person has, not the demo's numbering."""
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    try:
        return db.execute("SELECT id, number FROM candidate WHERE full_name = ?", (full_name,)).fetchone()
    finally:
        db.close()


def highest_number(tmp_path) -> int:
    """The highest register number in the demo branch, so that one above it is surely nobody's."""
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    try:
        return db.execute("SELECT max(c.number) FROM candidate c JOIN organisation o ON o.id = c.branch_id "
                          "WHERE o.name = ?", (BRANCH,)).fetchone()[0]
    finally:
        db.close()


def text_holding(tmp_path, text: str) -> list[str]:
    """Every "table.column" of the file's database whose value holds the text."""
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    try:
        found = []
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            cursor = db.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                for name, value in zip(names, row):
                    shown = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    if text in shown or text in json.dumps(shown):
                        found.append(f"{table}.{name}")
        return sorted(set(found))
    finally:
        db.close()


def test_export_writes_json_and_a_workbook_for_the_owner_only(demo_env, tmp_path):
    _, minh = register(tmp_path, MINH)
    done = chibo(demo_env, "person", "export", f"TP-{minh}", "--out", "out", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, (
        "Đã xuất 8 dòng dữ liệu của người số 4:\nout/person-4.json\nout/person-4.xlsx\n"
        "Các file chứa dữ liệu cá nhân: chỉ trao cho chính người đó, rồi xoá bản trên máy này.\n")), done.stderr
    data = json.loads((tmp_path / "out/person-4.json").read_text(encoding="utf-8"))
    assert [p["full_name"] for p in data["person"]] == [MINH]
    assert [(c["number"], c["full_name"], c["birth_date"], c["stage"]) for c in data["candidates"]] == [
        (minh, MINH, "1995-01-30", "sympathizer")]
    assert [(r["role"], r["org_id"]) for r in data["roles"]] == [("candidate", 2)]
    assert [(a["channel"], a["account_id"]) for a in data["chat_accounts"]] == [("console", "quanchung")]
    assert [c["how"] for c in data["checkins"]] == ["in_person"] and len(data["reviews"]) == 1
    assert [s["to_stage"] for s in data["stage_changes"]] == ["sympathizer"]
    assert (tmp_path / "out/person-4.json").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "out/person-4.xlsx").stat().st_mode & 0o777 == 0o600
    book = load_workbook(tmp_path / "out/person-4.xlsx")
    assert book.sheetnames[:4] == ["Người dùng", "Vai trò", "Tài khoản chat", "Hồ sơ quần chúng"]
    sheet = book["Hồ sơ quần chúng"]
    row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]]))
    assert (row["full_name"], row["birth_date"]) == (MINH, "1995-01-30")
    assert book["Tài khoản chat"]["A1"].value == "id" and book["Mã mời"]["A1"].value == "(không có)"
    assert audit(tmp_path) == [(None, "person.export", "person:4")]  # reading the file is recorded
    again = chibo(demo_env, "person", "export", "4", "--out", "out", cwd=tmp_path)
    audits = json.loads((tmp_path / "out/person-4.json").read_text(encoding="utf-8"))["audit"]
    assert again.returncode == 0 and [(a["action"], a["subject"]) for a in audits] == [("person.export", "person:4")]


def test_a_candidate_without_a_person_is_exported_by_branch_code_and_number(demo_env, tmp_path):
    anh_id, anh = register(tmp_path, ANH)
    done = chibo(demo_env, "person", "export", f"tp {anh}", "--out", str(tmp_path / "x"), cwd=tmp_path)
    # the file is named by the candidate's id (mã), which is not the register number
    assert done.returncode == 0 and done.stdout.startswith(
        f"Đã xuất 5 dòng dữ liệu của hồ sơ quần chúng mã {anh_id}:\n")
    data = json.loads((tmp_path / f"x/candidate-{anh_id}.json").read_text(encoding="utf-8"))
    assert [c["full_name"] for c in data["candidates"]] == [ANH] and data["person"] == []
    assert [m["status"] for m in data["roster"]] == ["probationary"]


def test_someone_not_there_is_said_so(demo_env, tmp_path):
    for ref in ("77", f"TP-{highest_number(tmp_path) + 1}", MINH):  # no person 77, no such register number
        done = chibo(demo_env, "person", "export", ref, cwd=tmp_path)
        assert (done.returncode, done.stdout) == (1, (
            f'Không tìm thấy "{ref}": gõ số người (xem chibo person list --org TỔ_CHỨC) hoặc mã quần chúng gồm '
            "mã chi bộ và số thứ tự, như TP-7.\n"))
    assert audit(tmp_path) == []


def test_erase_asks_first_and_a_no_changes_nothing(demo_env, tmp_path):
    _, minh = register(tmp_path, MINH)
    done = chibo(demo_env, "person", "erase", f"TP-{minh}", "--reason", "Đơn đề nghị ngày 01/12", stdin="n\n",
                 cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, WHAT + "Xoá? [y/N]: Không xoá gì.\n")
    assert text_holding(tmp_path, MINH) != [] and audit(tmp_path) == []


def test_erase_confirmed_leaves_the_name_nowhere_and_records_number_and_reason(demo_env, tmp_path):
    _, minh = register(tmp_path, MINH)
    done = chibo(demo_env, "person", "erase", f"TP-{minh}", "--reason", "Đơn đề nghị ngày 01/12", stdin="y\n",
                 cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, WHAT + "Xoá? [y/N]: " + ERASED), done.stderr
    assert text_holding(tmp_path, MINH) == [] and text_holding(tmp_path, "le hoang minh") == []
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    try:
        assert db.execute("SELECT person_id, action, subject, detail FROM auditlog").fetchall() == [
            (None, "person.erase", "person:4", "Đơn đề nghị ngày 01/12")]
        assert db.execute("SELECT count(*) FROM candidate").fetchone() == (17,)
    finally:
        db.close()
    chatted = chibo(demo_env, "chat", "--as", "quanchung", stdin="/ds\n", cwd=tmp_path)
    assert "chưa được liên kết" in chatted.stdout


def test_erase_with_yes_does_not_ask(demo_env, tmp_path):
    done = chibo(demo_env, "person", "erase", "4", "--reason", "Theo yêu cầu", "--yes", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, WHAT + ERASED)


def test_erase_needs_a_reason(demo_env, tmp_path):
    done = chibo(demo_env, "person", "erase", "4", "--reason", "  ", "--yes", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, (
        'Cần ghi lý do xoá: --reason "..." (chỉ lý do và số người được ghi vào nhật ký). Không xoá gì.\n'))
    assert audit(tmp_path) == []


def test_purge_says_what_it_did(demo_env, tmp_path):
    done = chibo({**demo_env, "CHIBO_RETENTION_YEARS": "2"}, "purge", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, (
        "Đã dọn: 0 mã tin nhắn cũ, 0 nội dung tin đã gửi, 0 cuộc trò chuyện bỏ dở, 0 người rời danh sách quá "
        "2 năm được ẩn danh.\n"))
