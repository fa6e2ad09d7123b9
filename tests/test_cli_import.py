"""`chibo import`, `chibo import --template` and `chibo export list` as a script runs them:
their exit status (0 done, 1 errors in the rows and nothing written, 2 a file chibo cannot
read) and the one line a bad file gets."""

import os
import sqlite3

import pytest

from tests.test_cli import chibo

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("cli_import")
    env = {**os.environ, "CHIBO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
           "CHIBO_TELEGRAM_TOKEN": "", "CHIBO_ZALO_TOKEN": "", "PYTHONUNBUFFERED": "1"}
    assert chibo(env, "demo", cwd=tmp_path).returncode == 0
    return env




def candidates(env) -> int:
    path = env["CHIBO_DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM candidate").fetchone()[0]


def test_template_then_dry_run_then_import_then_export_round_trip(env, tmp_path):
    template = tmp_path / "mau.xlsx"
    done = chibo(env, "import", "--template", str(template))
    assert (done.returncode, done.stdout.strip()) == (0, f"Đã ghi tệp mẫu {template}.")
    before = candidates(env)
    dry = chibo(env, "import", str(template), "--org", "Trần Phú", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "Dòng 4: sẽ thêm Nguyễn Thị Mai (Đang làm hồ sơ).",
        "Trang Đảng viên, dòng 2: sẽ thêm Phạm Văn Hùng (Đảng viên chính thức).",
        f"Nhập thử (chưa ghi gì) vào {BRANCH}: 2 người mới, 0 cập nhật, 0 không đổi."]
    assert candidates(env) == before
    done = chibo(env, "import", str(template), "--org", "Trần Phú")
    assert done.returncode == 0 and candidates(env) == before + 1
    out = tmp_path / "ds.xlsx"
    exported = chibo(env, "export", "list", "--org", "Trần Phú", "--out", str(out))
    assert exported.returncode == 0 and exported.stdout.strip() == (
        f"Đã xuất 16 người của {BRANCH} và 11 đảng viên (trang Đảng viên) ra {out}.")
    again = chibo(env, "import", str(out), "--org", "Trần Phú")
    assert again.returncode == 0
    assert again.stdout.strip() == f"Đã nhập vào {BRANCH}: 0 người mới, 0 cập nhật, 27 không đổi."
    assert candidates(env) == before + 1


def test_errors_exit_1_and_write_nothing(env, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên;Ngày sinh;Giới tính\nAn Văn Bình;31/02/2001;Nam\nCù Thị Dung;01/01/2000;Nữ\n",
                    encoding="utf-8-sig")
    before = candidates(env)
    done = chibo(env, "import", str(path), "--org", "Trần Phú")
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["Dòng 2, cột Ngày sinh: '31/02/2001' không phải là ngày có thật.",
                                        "Có 1 lỗi. Chưa ghi gì; sửa tệp rồi nhập lại."]
    assert candidates(env) == before


@pytest.mark.parametrize("content, line", [
    (b"", "Tệp ds.xlsx trống, không có dòng nào."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
     "Tệp ds.xlsx được đặt mật khẩu; hãy mở bằng Excel, bỏ mật khẩu, lưu lại rồi nhập lại."),
    (b"junk" * 1000, "Tệp ds.xlsx không phải là tệp Excel (.xlsx) hay CSV; chibo chỉ đọc hai loại này."),
])
def test_a_bad_file_exits_2_with_one_line(env, tmp_path, content, line):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(content)
    done = chibo(env, "import", str(path), "--org", "Trần Phú")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (2, line, "")


def test_no_file_no_org_and_not_a_branch(env, tmp_path):
    assert chibo(env, "import").returncode == 2
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh,Giới tính\n", encoding="utf-8")
    no_org = chibo(env, "import", str(path))
    assert (no_org.returncode, no_org.stdout.strip()) == (2, 'Cần chi bộ nhận danh sách: --org "TÊN CHI BỘ".')
    committee = chibo(env, "import", str(path), "--org", "Đảng ủy Khối")
    assert committee.returncode == 1 and "không phải là một chi bộ" in committee.stdout
