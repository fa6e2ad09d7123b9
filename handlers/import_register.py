"""/nhap: a branch's existing register brought in from chat.

On Telegram a secretary sends the .xlsx or .csv file (the channel turns it into "/nhap" with
the file attached; a caption names the branch when they have several): chibo keeps it, answers
with the dry run (counts and the first errors) and "Nhập" / "Huỷ" ("/nhap ghi N", "/nhap huy N").
Where files cannot be sent (Zalo, the console), /nhap sends the template (on Zalo as a link)
and explains how: on Telegram, or the operator's `chibo import` (bot/cli_import.py).
"""

import io
import tempfile
from datetime import date
from pathlib import Path

from bot.engine.flow import Command, Context
from bot.events import Attachment, Choice, Reply
from bot.register_file import bad_file_line, choice_words, import_register, read_register
from bot.register_file import template as template_book
from bot.spreadsheet import BadFile, write_book
from models.policy import Action, Grant, writes_for_branch
from models.register_upload import drop_upload, keep_upload, upload_of
from models.text import fold, number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "mau-nhap-danh-sach.xlsx"
CHAT_ERRORS = 10  # error lines shown in chat; the count says how many in all
SUFFIXES = (".xlsx", ".xlsm", ".csv", ".xls")


def template(today: date) -> Attachment:
    out = io.BytesIO()
    write_book(out, template_book(today))
    return Attachment(name=TEMPLATE_NAME, mime=XLSX, data=out.getvalue())


def _branches(ctx: Context) -> list[Grant]:
    seen: dict[int, Grant] = {}
    for g in ctx.actor.grants_for(Action.import_register):
        if writes_for_branch(ctx.actor, g.org_id):
            seen.setdefault(g.org_id, g)
    return sorted(seen.values(), key=lambda g: g.org_name)


async def run_import(ctx: Context, args: str) -> list[Reply]:
    word, _, rest = args.strip().partition(" ")
    if ctx.incoming.attachment is not None:
        return await _received(ctx, ctx.incoming.attachment, args.strip())
    if fold(word) in ("ghi", "huy") and (upload_id := number(rest)) is not None:
        return await _decided(ctx, fold(word) == "ghi", upload_id)
    names = [g.org_name for g in _branches(ctx)]
    return [Reply("import/how", {"branches": names, "file": TEMPLATE_NAME,
                                 "telegram": ctx.incoming.channel == "telegram"}, file=template(ctx.today))]


def _pick(branches: list[Grant], caption: str) -> Grant | None:
    if len(branches) == 1:
        return branches[0]
    wanted = fold(caption)
    found = [g for g in branches if wanted and wanted in fold(g.org_name)]
    return found[0] if len(found) == 1 else None


def _read(name: str, data: bytes, today: date):
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix if suffix in SUFFIXES else '.bin'}"
        path.write_bytes(data)
        return read_register(path, today)


async def _received(ctx: Context, file: Attachment, caption: str) -> list[Reply]:
    branches = _branches(ctx)
    branch = _pick(branches, caption)
    if branch is None:
        return [Reply("import/which_branch", {"branches": [g.org_name for g in branches]})]
    try:
        reading = _read(file.name, file.data, ctx.today)
    except BadFile as error:
        return [Reply("import/chat_bad_file", {"line": bad_file_line(error, file.name)})]
    status, report = await import_register(
        session=ctx.session, reading=reading, branch_id=branch.org_id, branch_name=branch.org_name,
        today=ctx.today, now=ctx.now, dry_run=True, accept_near=False, file_name=file.name,
        by_person_id=ctx.actor.person_id, shown_errors=CHAT_ERRORS, cli=False)
    if status != 0:
        return [Reply("import/chat_errors", {"report": report})]
    upload = await keep_upload(session=ctx.session, person_id=ctx.actor.person_id, org_id=branch.org_id,
                               name=file.name, data=file.data, now=ctx.now)
    words = choice_words()
    return [Reply("import/chat_dry_run", {"report": report},
                  choices=(Choice(words["go"], f"/nhap ghi {upload.id}"),
                           Choice(words["cancel"], f"/nhap huy {upload.id}")))]


async def _decided(ctx: Context, go: bool, upload_id: int) -> list[Reply]:
    upload = await upload_of(session=ctx.session, upload_id=upload_id, person_id=ctx.actor.person_id, now=ctx.now)
    if upload is None or not writes_for_branch(ctx.actor, upload.org_id):
        return [Reply("import/upload_gone")]
    name, data, org_id = upload.name, upload.data, upload.org_id
    await drop_upload(session=ctx.session, upload=upload)
    if not go:
        return [Reply("import/cancelled")]
    branch = next((g for g in _branches(ctx) if g.org_id == org_id), None)
    if branch is None:
        return [Reply("import/upload_gone")]
    try:
        reading = _read(name, data, ctx.today)
    except BadFile as error:
        return [Reply("import/chat_bad_file", {"line": bad_file_line(error, name)})]
    status, report = await import_register(
        session=ctx.session, reading=reading, branch_id=org_id, branch_name=branch.org_name, today=ctx.today,
        now=ctx.now, dry_run=False, accept_near=False, file_name=name, by_person_id=ctx.actor.person_id,
        shown_errors=CHAT_ERRORS, cli=False)
    return [Reply("import/chat_errors" if status else "import/chat_done", {"report": report})]


import_command = Command(name="import", commands=("/nhap", "/nhapdanhsach"), action=Action.import_register,
                         help="help/nhap", run=run_import, reads=False)

routes = [import_command]
