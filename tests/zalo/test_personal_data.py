"""On Zalo, when the branch allows only Telegram to carry personal data (issue 16): pickers,
the dossier and confirmations name people by initials, end to end through the fake Zalo server."""

from sqlmodel import select

from models.org import Organisation
from tests.support import number_of
from tests.zalo.fake_zalo import fake_zalo, fake_time, zalo_channel, zalo_client  # noqa: F401
from tests.zalo.test_polling import BRANCH, polling, secretary_code


async def test_a_branch_that_keeps_names_off_zalo_shows_initials_there(demo, fake_zalo, zalo_channel):
    async with demo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        org.personal_data_channels = "telegram"
    # register numbers looked up by name, not the demo's numbering
    an, khoa, tai = [await number_of(demo, name) for name in ("Nguyễn Văn An", "Đinh Văn Khoa", "Mạc Văn Tài")]
    code = await secretary_code(demo)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.say("z-sec", f"/start {code}", name="Lê Thị Thu")
        assert await zalo.say("z-sec", "/xem văn") == [
            f"Có 3 người khớp \"văn\". Chọn một người.\n\n{an}. N.V.A. — Quần chúng ưu tú (nguồn)\n"
            f"{khoa}. Đ.V.K. — Cảm tình Đảng\n{tai}. M.V.T. — Đã đưa ra khỏi danh sách\n"
            "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)"]
        assert (await zalo.say("z-sec", f"/hoso {khoa}"))[0].splitlines()[0] == (
            f"Hồ sơ kết nạp của {khoa}. Đ.V.K. (Cảm tình Đảng từ 03/10/2025)")
    sent = "\n".join(b["text"] for b in fake_zalo.calls("sendMessage"))
    for name in ("Nguyễn Văn An", "Đinh Văn Khoa"):
        assert name not in sent
