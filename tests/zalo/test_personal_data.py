"""On Zalo, when the branch allows only Telegram to carry personal data (issue 16): pickers,
the dossier and confirmations name people by initials, end to end through the fake Zalo server."""

from sqlmodel import select

from models.org import Organisation
from tests.zalo.fake_zalo import fake_zalo, fake_time, zalo_channel, zalo_client  # noqa: F401
from tests.zalo.test_polling import BRANCH, polling, secretary_code


async def test_a_branch_that_keeps_names_off_zalo_shows_initials_there(demo, fake_zalo, zalo_channel):
    async with demo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        org.personal_data_channels = "telegram"
    code = await secretary_code(demo)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-sec", f"/start {code}", name="Lê Thị Thu")
        assert await zalo.say("z-sec", "/xem văn") == [
            "Có 3 người khớp \"văn\". Chọn một người.\n\n1. N.V.A. — Quần chúng ưu tú (nguồn)\n"
            "11. Đ.V.K. — Cảm tình Đảng\n15. M.V.T. — Đã đưa ra khỏi danh sách\n"
            "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)"]
        assert (await zalo.say("z-sec", "/hoso 11"))[0].splitlines()[0] == (
            "Hồ sơ kết nạp của 11. Đ.V.K. (Cảm tình Đảng từ 03/10/2025)")
    sent = "\n".join(b["text"] for b in fake_zalo.calls("sendMessage"))
    for name in ("Nguyễn Văn An", "Đinh Văn Khoa"):
        assert name not in sent
