"""How fast a branch's register comes in: `chibo import` of a 5,000-row .xlsx (read, every row
checked, planned against the branch, written set by set) into a fresh SQLite database, beside a
baseline in the same run: openpyxl reading the same file in read-only mode and nothing else.
A second import of the same file (every row "unchanged") is timed too.

    .venv/bin/python bench/import.py [--rows 5000]

It measures; it never fails. Issue 14 asks for 5,000 rows in <= 10 s on SQLite.
"""

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook  # noqa: E402

from bot.app import Chibo  # noqa: E402
from bot.clock import FixedClock, vn_time  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.migrate import upgrade_async  # noqa: E402
from bot.register_file import import_register, read_register  # noqa: E402
from models.org import add_org  # noqa: E402
from models.stage import OrgKind  # noqa: E402

TODAY = date(2026, 3, 2)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phương", "Sơn", "Tâm", "Trang", "Tú"]
STAGES = ["Nguồn", "Cảm tình Đảng", "Đã học lớp bồi dưỡng", "Làm hồ sơ"]


def write_register(path: Path, rows: int, seed: int = 7) -> None:
    """A register as a secretary's: two title rows, then headers, Excel dates and text dates."""
    rnd = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH QUẦN CHÚNG"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Tổ chuyên môn", "Đoàn viên", "Giai đoạn",
               "Số giấy chứng nhận", "Ngày cấp giấy chứng nhận", "Đơn xin vào Đảng", "Ghi chú"])
    seen = set()
    n = 0
    while n < rows:
        name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        birth = date(1975, 1, 1) + timedelta(days=rnd.randrange(30 * 365))
        if (name, birth) in seen:
            continue
        seen.add((name, birth))
        n += 1
        stage = rnd.choice(STAGES)
        certified = stage in STAGES[2:]
        ws.append([n, name, datetime(birth.year, birth.month, birth.day) if n % 2 else birth.strftime("%d/%m/%Y"),
                   "Nam" if n % 3 else "Nữ", f"Tổ {n % 12}", "x" if n % 4 else "", stage,
                   f"{n}/GCN" if certified else None, "15/05/2024" if certified else None,
                   "10/01/2026" if stage == "Làm hồ sơ" else None, None])
    wb.save(path)


def baseline(path: Path) -> tuple[float, int]:
    """openpyxl alone: the same file read in read-only mode, every cell's value."""
    started = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for row in wb.active.iter_rows(values_only=True))
    wb.close()
    return time.perf_counter() - started, cells


async def import_once(chibo: Chibo, path: Path, branch_id: int) -> tuple[float, str]:
    started = time.perf_counter()
    reading = read_register(path, chibo.clock.today())
    async with chibo.sessions() as session, session.begin():
        status, report = await import_register(
            session=session, reading=reading, branch_id=branch_id, branch_name="Bench", today=chibo.clock.today(),
            now=chibo.clock.now(), dry_run=False, accept_near=True, file_name=path.name)
    assert status == 0, report
    return time.perf_counter() - started, report.splitlines()[-1]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.xlsx"
        write_register(path, args.rows)
        url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        await upgrade_async(url)
        chibo = Chibo(Settings(database_url=url, _env_file=None), FixedClock(vn_time(2026, 3, 2, 9, 0)))
        async with chibo.sessions() as session, session.begin():
            branch = await add_org(session=session, name="Bench", kind=OrgKind.branch, parent=None,
                                   now=chibo.clock.now())
            branch_id = branch.id
        base_s, cells = baseline(path)
        first_s, first = await import_once(chibo, path, branch_id)
        again_s, again = await import_once(chibo, path, branch_id)
        await chibo.close()
    print(f"rows:     {args.rows} ({path.name}, {cells} cells)")
    print(f"baseline: {base_s:6.2f} s  openpyxl read-only, every cell read")
    print(f"import:   {first_s:6.2f} s  read, checked, planned, written  ({first})")
    print(f"again:    {again_s:6.2f} s  the same file again  ({again})")
    print(f"ratio:    the import costs {first_s / base_s:.1f}x reading the file with openpyxl alone")


if __name__ == "__main__":
    asyncio.run(main())
