"""`chibo invite`, `chibo person list`, `chibo role revoke`, `chibo account unlink` as an operator
types them (issue 16): whole outputs, and what the chat says afterwards."""

import os
import re
import shutil
import sqlite3

import pytest

from tests.test_cli import chibo

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "CHIBO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
            "CHIBO_TELEGRAM_TOKEN": "", "CHIBO_ZALO_TOKEN": "", "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """`chibo demo` once for the module; each test gets a copy of the file it made."""
    folder = tmp_path_factory.mktemp("cli_access_demo")
    env = {**os.environ, "CHIBO_DATABASE_URL": f"sqlite+aiosqlite:///{folder}/cli.sqlite3",
           "CHIBO_TELEGRAM_TOKEN": "", "CHIBO_ZALO_TOKEN": "", "PYTHONUNBUFFERED": "1"}
    assert chibo(env, "demo", cwd=folder).returncode == 0
    return folder / "cli.sqlite3"


@pytest.fixture
def demo_env(env, tmp_path, demo_file):
    shutil.copyfile(demo_file, tmp_path / "cli.sqlite3")
    return env


def audit(tmp_path) -> list[tuple]:
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    try:
        return db.execute("SELECT person_id, action, subject FROM auditlog ORDER BY id").fetchall()
    finally:
        db.close()


@pytest.mark.parametrize("args, env_days, said", [
    (["--days", "0"], None, "--days 0 không hợp lệ"),
    (["--days", "91"], None, "--days 91 không hợp lệ"),
    (["--days", "-3"], None, "--days -3 không hợp lệ"),
    ([], "120", "CHIBO_INVITE_DAYS=120 không hợp lệ"),
])
def test_days_out_of_1_to_90_are_refused_not_replaced(demo_env, tmp_path, args, env_days, said):
    env = {**demo_env, "CHIBO_INVITE_DAYS": env_days} if env_days else demo_env
    done = chibo(env, "invite", "create", "--role", "sponsor", "--org", "2", *args, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (
        1, f"{said}: mã mời sống từ 1 đến 90 ngày. Không tạo mã nào.\n")
    assert audit(tmp_path) == []


@pytest.mark.parametrize("days", ["1", "90"])
def test_days_at_the_limits_are_taken(demo_env, tmp_path, days):
    done = chibo(demo_env, "invite", "create", "--role", "sponsor", "--org", "2", "--days", days, cwd=tmp_path)
    assert done.returncode == 0 and "Mã mời: " in done.stdout
    assert audit(tmp_path) == [(None, "invite.create", "invite:1")]


def test_without_a_secret_no_invite_is_made(demo_env, tmp_path):
    done = chibo({**demo_env, "CHIBO_SECRET": ""}, "invite", "create", "--role", "sponsor", "--org", "2",
                 cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, (
        "Chưa đặt CHIBO_SECRET: chibo cần khóa này để lưu mã mời dưới dạng băm có khóa. Đặt nó trong môi "
        "trường hoặc .env (xem .env.example) rồi chạy lại. Không tạo mã nào.\n"))


def test_invites_are_listed_revoked_and_a_revoked_code_no_longer_links(demo_env, tmp_path):
    made = chibo(demo_env, "invite", "create", "--role", "deputy", "--org", "2", "--days", "3",
                 "--name", "Đỗ Văn Mạnh", cwd=tmp_path)
    code = re.search(r"Mã mời: (\w+)", made.stdout).group(1)
    chibo(demo_env, "invite", "create", "--role", "sponsor", "--org", "3", cwd=tmp_path)
    listed = chibo(demo_env, "invite", "list", "--org", "2", cwd=tmp_path).stdout
    created = re.search(r"tạo (\d\d:\d\d ngày \d\d/\d\d/\d{4})", listed).group(1)
    expires = re.search(r"hết hạn (\d\d:\d\d ngày \d\d/\d\d/\d{4})", listed).group(1)
    assert listed == (f"1. phó bí thư — {BRANCH}, cho Đỗ Văn Mạnh: chưa dùng; tạo {created}, hết hạn {expires}\n"
                      "Thu hồi mã chưa dùng: chibo invite revoke SỐ\n")
    assert chibo(demo_env, "invite", "list", cwd=tmp_path).stdout.count(": chưa dùng;") == 2
    revoked = chibo(demo_env, "invite", "revoke", "1", cwd=tmp_path)
    assert (revoked.returncode, revoked.stdout) == (0, "Đã thu hồi mã mời số 1: không ai dùng được nữa.\n")
    again = chibo(demo_env, "invite", "revoke", "1", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (1, "Mã mời số 1 đã được thu hồi trước đó.\n")
    missing = chibo(demo_env, "invite", "revoke", "9", cwd=tmp_path)
    assert (missing.returncode, missing.stdout) == (1, "Không có mã mời số 9. Xem: chibo invite list --all\n")
    assert chibo(demo_env, "invite", "list", "--org", "2", cwd=tmp_path).stdout == (
        "Không có mã mời nào chưa dùng.\n")
    assert "1. phó bí thư — " + BRANCH + ", cho Đỗ Văn Mạnh: đã thu hồi;" in chibo(
        demo_env, "invite", "list", "--all", cwd=tmp_path).stdout
    talk = chibo(demo_env, "chat", "--as", "moi", stdin=f"/start {code}\n", cwd=tmp_path).stdout
    assert talk.strip() == "Mã mời này đã bị thu hồi. Xin bí thư chi bộ cấp mã mới."
    assert audit(tmp_path) == [(None, "invite.create", "invite:1"), (None, "invite.create", "invite:2"),
                               (None, "invite.revoke", "invite:1")]


def test_a_secretary_s_role_revoked_from_the_command_line_makes_them_a_stranger(demo_env, tmp_path):
    listed = chibo(demo_env, "person", "list", "--org", "2", cwd=tmp_path)
    assert listed.stdout == (
        f"Người có vai trò ở {BRANCH}:\n"
        "1. Nguyễn Thị Thu — bí thư; liên kết console\n"
        "2. Trần Văn Bình — đảng viên giúp đỡ; liên kết console\n"
        "4. Lê Hoàng Minh — quần chúng; liên kết console\n"
        "5. Phan Văn Hùng — phó bí thư; chưa liên kết tài khoản chat\n"
        "6. Đỗ Thị Mai — đảng viên giúp đỡ; chưa liên kết tài khoản chat\n"
        "Thu hồi vai trò: chibo role revoke --person SỐ --org TỔ_CHỨC --role VAI_TRÒ\n")
    done = chibo(demo_env, "role", "revoke", "--person", "1", "--org", "2", "--role", "secretary", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (
        0, f"Đã thu hồi vai trò bí thư của Nguyễn Thị Thu (người số 1) ở {BRANCH}.\n")
    again = chibo(demo_env, "role", "revoke", "--person", "1", "--org", "2", "--role", "secretary", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (1, (
        f"Nguyễn Thị Thu (người số 1) không có vai trò bí thư ở {BRANCH}. "
        f"Xem: chibo person list --org \"{BRANCH}\"\n"))
    talk = chibo(demo_env, "chat", "--as", "bithu", stdin="/ds\n", cwd=tmp_path).stdout
    assert talk.strip() == ("Tài khoản này chưa được liên kết với chibo nên chưa dùng được lệnh này. "
                            "Xin bí thư chi bộ một mã mời rồi gõ: /start MÃ-MỜI")
    assert audit(tmp_path) == [(None, "role.revoke", "person:1@org:2:secretary")]


def test_a_sponsor_s_role_revoked_leaves_their_candidates_for_a_new_sponsor(demo_env, tmp_path):
    done = chibo(demo_env, "role", "revoke", "--person", "2", "--org", "2", "--role", "sponsor", cwd=tmp_path)
    assert done.stdout == (f"Đã thu hồi vai trò đảng viên giúp đỡ của Trần Văn Bình (người số 2) ở {BRANCH}. "
                           "9 quần chúng do người này giúp đỡ ở đó cần người giúp đỡ mới (/giupdo).\n")


def test_an_account_unlinked_after_a_lost_phone_is_a_stranger_but_keeps_its_role(demo_env, tmp_path):
    done = chibo(demo_env, "account", "unlink", "--person", "2", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, (
        "Đã gỡ 1 tài khoản chat của Trần Văn Bình (người số 2): từ tin nhắn tới, chibo coi đó là người lạ. "
        "Vai trò vẫn giữ; cấp mã mời mới để liên kết tài khoản khác.\n"))
    again = chibo(demo_env, "account", "unlink", "--person", "2", "--channel", "zalo", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (
        1, "Trần Văn Bình (người số 2) không có tài khoản chat zalo nào được liên kết.\n")
    nobody = chibo(demo_env, "account", "unlink", "--person", "99", cwd=tmp_path)
    assert (nobody.returncode, nobody.stdout) == (1, "Không có người số 99.\n")
    talk = chibo(demo_env, "chat", "--as", "giupdo", stdin="/cuatoi\n", cwd=tmp_path).stdout
    assert "chưa được liên kết" in talk and "Trần Văn Bình" not in talk
    assert "2. Trần Văn Bình — đảng viên giúp đỡ; chưa liên kết tài khoản chat" in chibo(
        demo_env, "person", "list", "--org", "2", cwd=tmp_path).stdout
    assert audit(tmp_path) == [(None, "account.unlink", "person:2@console")]
