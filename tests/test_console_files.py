"""A file sent to the console (the import template, an export) cannot be shown in a terminal:
it is saved in the data folder, owner-only, and the reply says where."""

import io
import stat

from bot.channels.console import ConsoleChannel
from bot.channels.port import Attachment, Outgoing

TEMPLATE = Attachment(name="mau-nhap-danh-sach.xlsx", mime="application/vnd.ms-excel", data=b"PK\x03\x04 book")


async def test_a_file_is_saved_in_the_data_folder_and_its_path_shown(tmp_path):
    out = io.StringIO()
    folder = tmp_path / "data" / "files"
    await ConsoleChannel(out, files_dir=folder).send("bithu", Outgoing(text="Tệp mẫu:", file=TEMPLATE))
    saved = folder / "mau-nhap-danh-sach.xlsx"
    assert out.getvalue() == f"Tệp mẫu:\nTệp \"mau-nhap-danh-sach.xlsx\" đã lưu tại: {saved}\n\n"
    assert saved.read_bytes() == TEMPLATE.data
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700


async def test_a_file_name_cannot_climb_out_of_the_folder(tmp_path):
    out = io.StringIO()
    folder = tmp_path / "files"
    sneaky = Attachment(name="../../etc/x.xlsx", mime="application/vnd.ms-excel", data=b"x")
    await ConsoleChannel(out, files_dir=folder).send("bithu", Outgoing(text="", file=sneaky))
    assert out.getvalue() == f"Tệp \"../../etc/x.xlsx\" đã lưu tại: {folder / 'x.xlsx'}\n\n"
    assert (folder / "x.xlsx").read_bytes() == b"x"


async def test_without_a_folder_the_reply_says_where_to_get_it():
    out = io.StringIO()
    await ConsoleChannel(out).send("bithu", Outgoing(text="Tệp mẫu:", file=TEMPLATE))
    assert out.getvalue() == ("Tệp mẫu:\nTệp \"mau-nhap-danh-sach.xlsx\" không hiện được ở đây; xin mở chibo trên "
                              "Telegram để nhận tệp.\n\n")
