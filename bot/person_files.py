"""A person's data (models/person_data.py) as files: JSON for machines, and a workbook with one
sheet per section for people (the `chibo person export` command writes both)."""

import json
from pathlib import Path
from typing import Any

from bot.private import private_dir, private_file
from bot.render import labels

SHEET_TITLE_MAX = 31  # Excel's limit


def write_person_files(data: dict[str, list[dict[str, Any]]], out: Path, stem: str) -> list[Path]:
    """Write `stem`.json and `stem`.xlsx into `out` (made if missing), readable by their owner only."""
    # openpyxl is loaded on first use, as the report writers do: every start of chibo paid for it
    from openpyxl import Workbook
    from openpyxl.styles import Font

    private_dir(out)
    as_json, as_xlsx = out / f"{stem}.json", out / f"{stem}.xlsx"
    private_file(as_json)
    as_json.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    titles = labels("data_section")
    book = Workbook()
    book.remove(book.active)
    for section, rows in data.items():
        sheet = book.create_sheet(titles.get(section, section)[:SHEET_TITLE_MAX])
        if not rows:
            sheet.append([labels("data_words")["none"]])
            continue
        columns = list(rows[0])
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(row.get(c)) for c in columns])
        for index, column in enumerate(columns, start=1):
            width = max(len(str(column)), *(len(str(_cell(r.get(column)) or "")) for r in rows))
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, width + 2)
    private_file(as_xlsx)
    book.save(as_xlsx)
    return [as_json, as_xlsx]


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
