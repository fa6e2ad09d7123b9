"""The database file and the data folder are for their owner only, and `chibo db backup` copies a
live SQLite database consistently (issue 16)."""

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.db import backup_sqlite, make_engine
from bot.events import Attachment
from bot.files import FileLinks
from tests.test_cli import chibo
from tests.zalo.fake_zalo import free_port


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    before = os.umask(0o022)  # the usual default: files 0644, folders 0755
    yield
    os.umask(before)


async def test_a_new_database_its_wal_and_its_folders_are_readable_by_their_owner_only(tmp_path, usual_umask):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/data/db/chibo.sqlite3")
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text("CREATE TABLE t (x TEXT)"))
            await conn.execute(sa.text("INSERT INTO t VALUES ('Nguyễn Thị Zêta')"))
        database = tmp_path / "data" / "db" / "chibo.sqlite3"
        assert mode(tmp_path / "data") == mode(tmp_path / "data" / "db") == 0o700
        assert mode(database) == 0o600
        assert mode(database.with_name("chibo.sqlite3-wal")) == 0o600
    finally:
        await engine.dispose()


async def test_an_existing_folder_is_left_as_it_was(tmp_path, usual_umask):
    os.chmod(tmp_path, 0o755)
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/chibo.sqlite3")
    async with engine.begin() as conn:
        await conn.execute(sa.text("SELECT 1"))
    await engine.dispose()
    assert mode(tmp_path) == 0o755 and mode(tmp_path / "chibo.sqlite3") == 0o600


def test_files_behind_signed_links_are_for_the_owner_only(tmp_path, usual_umask):
    links = FileLinks(directory=tmp_path / "data" / "files", secret="s" * 16, public_url="https://x",
                      now=lambda: datetime(2026, 3, 2, tzinfo=UTC))
    links.put(Attachment(name="ds.xlsx", mime="application/octet-stream", data=b"names"))
    folder = tmp_path / "data" / "files"
    assert mode(tmp_path / "data") == mode(folder) == 0o700
    files = list(folder.iterdir())
    assert len(files) == 2 and all(mode(f) == 0o600 for f in files)


def test_a_backup_taken_during_a_write_holds_what_was_committed_and_stands_alone(tmp_path, usual_umask):
    source = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(source, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE person (full_name TEXT)")
    writer.execute("INSERT INTO person VALUES ('committed')")  # in the WAL, not yet checkpointed
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO person VALUES ('in flight')")  # chibo mid-transaction
    target = tmp_path / "copy.sqlite3"
    try:
        assert backup_sqlite(source, target) == (1, "ok")
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert mode(target) == 0o600
    assert not target.with_name("copy.sqlite3-wal").exists()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT full_name FROM person").fetchall() == [("committed",)]
    copy.close()


def test_chibo_db_backup_copies_the_database_and_never_overwrites(tmp_path):
    env = {**os.environ, "CHIBO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/data/chibo.sqlite3"}
    assert chibo(env, "demo", cwd=tmp_path).returncode == 0
    done = chibo(env, "db", "backup", "saved.sqlite3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Đã sao lưu cơ sở dữ liệu vào saved.sqlite3: ")
    assert "đã kiểm tra toàn vẹn. Chỉ chủ tệp đọc được." in done.stdout
    copy = sqlite3.connect(tmp_path / "saved.sqlite3")
    assert copy.execute("SELECT count(*) FROM candidate").fetchone()[0] > 10
    copy.close()
    again = chibo(env, "db", "backup", "saved.sqlite3", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (
        1, "Tệp saved.sqlite3 đã có; chibo không ghi đè. Chọn một tên khác.\n")


def test_chibo_db_backup_sends_postgresql_to_pg_dump(tmp_path):
    env = {**os.environ, "CHIBO_DATABASE_URL": f"postgresql+asyncpg://chibo:secret@127.0.0.1:{free_port()}/none"}
    done = chibo(env, "db", "backup", "x.dump", cwd=tmp_path)
    assert done.returncode == 1 and not (tmp_path / "x.dump").exists()
    assert done.stdout == (
        "Lệnh này chỉ sao lưu cơ sở dữ liệu SQLite. Với PostgreSQL, dùng pg_dump, ví dụ: pg_dump "
        "--format=custom --file=chibo.dump \"postgresql://NGƯỜI_DÙNG@MÁY:5432/TÊN_CSDL\" "
        "(xem README, mục sao lưu).\n")


def test_chibo_db_backup_says_when_there_is_no_database(tmp_path):
    env = {**os.environ, "CHIBO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/none.sqlite3"}
    done = chibo(env, "db", "backup", "x.sqlite3", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, f"Không có cơ sở dữ liệu SQLite tại {tmp_path}/none.sqlite3.\n")
