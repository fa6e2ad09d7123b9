"""/giupdo offers only the members who may sponsor (models/sponsors.py `may_sponsor`): an official
member who has left the branch's roster is not in the list, and its numbers skip nobody."""

from datetime import date, timedelta

import sqlalchemy as sa

from models.roster import PartyMember
from tests.support import number_of

TODAY = date(2026, 3, 2)


async def test_a_member_who_may_not_sponsor_is_not_offered(talk, demo):
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(PartyMember).where(PartyMember.full_name == "Đỗ Thị Mai")
                           .values(left_on=TODAY - timedelta(days=1)))
    bithu, minh = talk("bithu"), await number_of(demo, "Lê Hoàng Minh")
    assert await bithu.say(f"/giupdo {minh}") == (
        f"{minh}. Lê Hoàng Minh (Cảm tình Đảng) — đảng viên giúp đỡ hiện nay: Trần Văn Bình.\n"
        "Chọn một đảng viên chính thức của chi bộ:\n"
        "1. Nguyễn Thị Thu (bí thư) — đang giúp đỡ 0 người\n"
        "2. Phan Văn Hùng (phó bí thư) — đang giúp đỡ 0 người\n"
        "3. Trần Văn Bình — đang giúp đỡ 8 người\n"
        'Gõ số hoặc một phần họ tên (không dấu cũng được); "quay lại" để chọn quần chúng khác, /huy để hủy.')
    assert (await bithu.say("2")).startswith(  # the second line shown, no one else
        "Xin kiểm tra lại trước khi lưu:\n"
        f"- Quần chúng: {minh}. Lê Hoàng Minh (Cảm tình Đảng)\n"
        "- Người giúp đỡ hiện nay: Trần Văn Bình\n"
        "- Người giúp đỡ mới: Phan Văn Hùng")
