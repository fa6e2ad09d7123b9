"""/nhap: how a branch's existing register comes in, with the template to fill in.

Chat channels do not take files yet: chibo sends the template (on Zalo as a link) and the
command the operator runs (`chibo import`, bot/cli_import.py), with the branch's name in it.
"""

import io
from datetime import date

from bot.engine.flow import Command, Context
from bot.events import Attachment, Reply
from bot.register_file import book, example_row
from bot.spreadsheet import write_book
from models.policy import Action

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "mau-nhap-danh-sach.xlsx"


def template(today: date) -> Attachment:
    out = io.BytesIO()
    write_book(out, book([example_row(today)]))
    return Attachment(name=TEMPLATE_NAME, mime=XLSX, data=out.getvalue())


async def explain_import(ctx: Context, args: str) -> list[Reply]:
    branches = sorted({g.org_name for g in ctx.actor.grants_for(Action.import_register)})
    return [Reply("import/how", {"branches": branches, "file": TEMPLATE_NAME}, file=template(ctx.today))]


import_command = Command(name="import", commands=("/nhap", "/nhapdanhsach"), action=Action.import_register,
                         help="help/nhap", run=explain_import, reads=True)

routes = [import_command]
