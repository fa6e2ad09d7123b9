"""A file on Zalo: a signed link to chibo's own endpoint, that works until it expires."""

import re

import httpx
from aiohttp import web

from bot.channels.port import Attachment, Outgoing
from bot.files import FileLinks
from tests.zalo.fake_zalo import fake_time, fake_zalo, make_channel, serve, zalo_client  # noqa: F401

REPORT = Attachment(name="bao-cao-thang-3.xlsx", mime="application/vnd.ms-excel", data=b"PK\x03\x04 report")


async def test_a_file_goes_to_zalo_as_a_signed_link_that_expires(fake_zalo, zalo_client, fake_time, clock, tmp_path):
    app = web.Application()
    links = FileLinks(directory=tmp_path, secret="s3cret-webhook", public_url="", now=clock.now)
    links.add_route(app)
    runner, url = await serve(app)
    links.public_url = url
    try:
        channel = make_channel(zalo_client, fake_time, clock, file_links=links)
        await channel.send("z-1", Outgoing(text="Báo cáo tháng 3", file=REPORT))
        [*_, note] = fake_zalo.texts("z-1")
        assert "bao-cao-thang-3.xlsx" in note and "dùng được đến" in note
        link = re.search(r"(http://\S+)", note).group(1)
        async with httpx.AsyncClient() as http:
            got = await http.get(link)
            assert got.status_code == 200 and got.content == REPORT.data
            assert "bao-cao-thang-3.xlsx" in got.headers["content-disposition"]
            forged = await http.get(link.replace("s=", "s=0"))
            assert forged.status_code == 403
            stretched = await http.get(re.sub(r"e=\d+", "e=9999999999", link))
            assert stretched.status_code == 403
            clock.advance(days=2, seconds=1)
            assert (await http.get(link)).status_code == 410
    finally:
        await runner.cleanup()


async def test_without_a_public_url_the_note_says_where_to_get_the_file(fake_zalo, zalo_client, fake_time, clock):
    channel = make_channel(zalo_client, fake_time, clock)
    await channel.send("z-2", Outgoing(text="Báo cáo", file=REPORT))
    assert "Telegram" in fake_zalo.texts("z-2")[-1]
