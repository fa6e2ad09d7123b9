"""/bangiao (issue 14): the secretary hands the branch to a new secretary; when the new one
redeems the invite, the old one's role ends (or becomes a deputy's or a sponsor's), both are
told, and the audit log has it. The committee does the same for a branch with no secretary."""

import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, SECOND_BRANCH
from bot.render import text_of
from models.access import revoke_role
from models.audit import AuditLog
from models.outbox import Outbox
from models.people import RoleGrant
from models.roster import PartyMember
from models.stage import Role
from tests.flows.test_access_revoked import branch_id, person_of
from tests.flows.test_invite import HOW, MEMBERS, code_in
from tests.flows.test_members import on_telegram_not_allowed
from tests.support import Convo
from tests.texts import CHOOSE, NOT_ALLOWED, NOT_LINKED, SECRETARY_HELP_1

# The new secretary, once linked: the secretary's help, once (not again as the deputy he also is).
HUNG_HELP = SECRETARY_HELP_1.replace("Chào Nguyễn Thị Thu.", "Chào Phan Văn Hùng.")
# The last help page of the former secretary, now a deputy: no /bangiao (the secretary's has it).
DEPUTY_HELP_3 = (
    "Các lệnh khác của bạn (trang 3/3):\n"
    "\n"
    "1. /dangvien — Danh sách đảng viên của chi bộ: xem, thêm, nhận chuyển đến, ghi rời đi, xóa tên, khai trừ, "
    "tốt nghiệp\n"
    "2. /chibo — Cài đặt của chi bộ: ngày sinh hoạt, nhắc gặp quần chúng, nơi quyết định kết nạp\n"
    "3. /nhap — Nhập danh sách có sẵn của chi bộ (tệp Excel): tệp mẫu và cách nhập\n"
    "4. /baocao — Báo cáo tháng, quý, năm, danh sách, hồ sơ từng người ra Excel, Word, PDF; "
    "/baocao gửi: gửi lên cấp trên\n"
    "5. /dongy — Ghi giấy đồng ý về dữ liệu cá nhân\n"
    "6. /yeucau — Ghi đã trả lời hoặc đã xử lý xong yêu cầu về dữ liệu cá nhân\n"
    "7. /dulieu — Dữ liệu chibo giữ về tôi; xin sửa, rút đồng ý, xoá\n"
    "8. /nhanve — Nhận quần chúng từ nơi khác: ghi nơi chuyển đến và quá trình đã có\n"
    + CHOOSE)
ASK_MEMBER = (f"Ai là bí thư mới của {BRANCH}? Chọn một đảng viên chính thức của chi bộ, hoặc gõ một phần "
              "họ tên. Gõ /huy để thôi.\n\n")
ASK_KEEPS = ("Khi bí thư mới nhận bàn giao, vai trò bí thư của bạn kết thúc. Sau đó bạn giữ vai trò nào ở chi bộ?"
             f"\n\n1. Không giữ vai trò nào\n2. Phó bí thư\n3. Đảng viên giúp đỡ\n{HOW}")


def created(code: str, keeps: str | None, mine: bool = True) -> str:
    text = (f"Mã mời Phan Văn Hùng làm bí thư — {BRANCH}: {code}\n"
            "Mã dùng được một lần, đến 09:00 ngày 09/03/2026. Hãy gửi riêng mã này cho Phan Văn Hùng: "
            f"người đó nhắn cho chibo (trên Telegram, Zalo) \"/start {code}\".")
    if mine:
        text += ("\nKhi Phan Văn Hùng dùng mã, vai trò bí thư của bạn kết thúc"
                 + (f" và bạn là {keeps} của chi bộ" if keeps else "") + "; chibo sẽ báo cho bạn.")
    return text


async def hung_person(demo) -> int:
    async with demo.sessions() as session:
        return (await session.exec(select(PartyMember.person_id).where(
            PartyMember.full_name == "Phan Văn Hùng"))).one()


async def test_the_secretary_hands_over_and_stays_a_deputy(talk, demo):
    bithu = talk("bithu")
    assert await bithu.say("/bangiao") == ASK_MEMBER + MEMBERS + HOW
    assert await bithu.say("hùng") == ASK_KEEPS
    assert await bithu.say("phó bí thư") == (
        "Xin kiểm tra lại trước khi bàn giao:\n"
        f"- Chi bộ: {BRANCH}\n- Bí thư mới: Phan Văn Hùng\n- Vai trò của bạn sau bàn giao: Phó bí thư\n"
        "chibo sẽ tạo mã mời cho bí thư mới. Khi người đó dùng mã, việc bàn giao có hiệu lực: vai trò bí thư "
        "của bạn kết thúc và được ghi vào nhật ký.\n\n"
        f"1. Lưu\n2. Sửa bí thư mới\n3. Sửa vai trò của bạn sau bàn giao\n4. Hủy\n{HOW}")
    reply = await bithu.say("Lưu")
    code = code_in(reply)
    assert reply == created(code, "phó bí thư")
    assert await bithu.say("/trogiup") == SECRETARY_HELP_1  # still the secretary until the code is used

    hung = Convo(demo, account="hung-phone")
    linked = await hung.say(f"/start {code}")
    assert linked == (
        f"Đã liên kết tài khoản. Vai trò: bí thư — {BRANCH}.\n"
        "Bạn nhận bàn giao chi bộ từ Nguyễn Thị Thu, từ nay là phó bí thư của chi bộ. "
        "chibo đã báo cho Nguyễn Thị Thu.\n\n"
        + HUNG_HELP)
    old, new, branch = await person_of(demo, "bithu"), await person_of(demo, "hung-phone"), await branch_id(demo)
    assert new == await hung_person(demo)
    async with demo.sessions() as session:
        roles = {(g.person_id, Role(g.role)) for g in (await session.exec(
            select(RoleGrant).where(RoleGrant.org_id == branch, RoleGrant.person_id.in_([old, new])))).all()}
        [notice] = (await session.exec(select(Outbox).where(Outbox.kind == "hand_over"))).all()
        audit = [tuple(a) for a in (await session.exec(
            sa.select(AuditLog.person_id, AuditLog.action, AuditLog.subject).order_by(AuditLog.id))).all()]
    assert roles == {(old, Role.deputy), (new, Role.secretary), (new, Role.deputy)}
    assert notice.person_id == old
    assert text_of(notice.template, **notice.values) == (
        f"Phan Văn Hùng đã nhận bàn giao {BRANCH} và từ nay là bí thư chi bộ.\n"
        "Vai trò bí thư của bạn ở chi bộ đã kết thúc; bạn là phó bí thư của chi bộ.")
    invite_subject = audit[0][2]
    assert audit == [(old, "invite.create", invite_subject), (old, "branch.hand_over", invite_subject),
                     (new, "invite.redeem", invite_subject),
                     (new, "role.revoke", f"person:{old}@org:{branch}:secretary"),
                     (new, "branch.hand_over", f"org:{branch}")]
    assert await bithu.say("/trogiup 3") == DEPUTY_HELP_3  # no /bangiao


async def test_the_secretary_hands_over_and_keeps_no_role(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/bangiao")
    await bithu.say("7")
    await bithu.say("1")
    code = code_in(await bithu.say("1"))
    await Convo(demo, account="hung-phone").say(f"/start {code}")
    assert await bithu.say("/ds") == NOT_LINKED
    async with demo.sessions() as session:
        [notice] = (await session.exec(select(Outbox).where(Outbox.kind == "hand_over"))).all()
    assert text_of(notice.template, **notice.values) == (
        f"Phan Văn Hùng đã nhận bàn giao {BRANCH} và từ nay là bí thư chi bộ.\n"
        "Vai trò bí thư của bạn ở chi bộ đã kết thúc. Cảm ơn anh/chị đã lãnh đạo chi bộ thời gian qua.")


async def test_a_new_hand_over_takes_back_the_earlier_unused_code(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/bangiao")
    await bithu.say("Phan Văn Hùng")
    await bithu.say("1")
    first = code_in(await bithu.say("1"))
    await bithu.say("/bangiao")
    await bithu.say("Phùng Quang Vinh")
    await bithu.say("1")
    reply = await bithu.say("1")
    second = code_in(reply)
    assert reply == (
        f"Mã mời Phùng Quang Vinh làm bí thư — {BRANCH}: {second}\n"
        "Mã dùng được một lần, đến 09:00 ngày 09/03/2026. Hãy gửi riêng mã này cho Phùng Quang Vinh: "
        f"người đó nhắn cho chibo (trên Telegram, Zalo) \"/start {second}\".\n"
        "Khi Phùng Quang Vinh dùng mã, vai trò bí thư của bạn kết thúc; chibo sẽ báo cho bạn.\n"
        "Mã mời bàn giao trước đó (Phan Văn Hùng) đã bị huỷ, không dùng được nữa.")
    assert await Convo(demo, account="hung-phone").say(f"/start {first}") == text_of("start/code_revoked", until=None)
    assert (await Convo(demo, account="vinh-phone").say(f"/start {second}")).startswith(
        f"Đã liên kết tài khoản. Vai trò: bí thư — {BRANCH}.\n")
    async with demo.sessions() as session:
        revoked = (await session.exec(sa.select(AuditLog.action, AuditLog.detail).where(
            AuditLog.action == "invite.revoke"))).all()
    assert [tuple(r) for r in revoked] == [("invite.revoke", "replaced by a new hand-over")]


async def test_the_committee_hands_over_a_branch_whose_secretary_is_gone(talk, demo):
    captren = talk("captren")
    # The second branch has no secretary, but nobody on its roster to take over.
    assert await captren.say("/bangiao") == (
        f"{SECOND_BRANCH} chưa có đảng viên chính thức nào khác trong danh sách đảng viên để làm bí thư mới. "
        "Cần đưa đảng viên của chi bộ vào danh sách trước (lệnh /dangvien của chi bộ, hoặc nhập danh sách: "
        "chibo import).")
    async with demo.sessions() as session, session.begin():
        await revoke_role(session=session, person_id=await person_of(demo, "bithu"), org_id=await branch_id(demo),
                          role=Role.secretary, now=demo.clock.now(), by_person_id=None)
    # Two branches below have no secretary now: the demo branch and the second one.
    choices = f"1. {SECOND_BRANCH}\n2. {BRANCH}\n{HOW}"
    assert await captren.say("/bangiao") == f"Bàn giao chi bộ nào?\n\n{choices}"
    assert await captren.say("1") == (
        f"{SECOND_BRANCH} chưa có đảng viên chính thức nào khác trong danh sách đảng viên để làm bí thư mới. "
        f"Xin chọn chi bộ khác, hoặc gõ /huy để thôi.\nBàn giao chi bộ nào?\n\n{choices}")
    assert await captren.say("Trần Phú") == ASK_MEMBER + "1. Cao Thị Huyền\n2. Đỗ Thị Mai\n3. Đoàn Thị Thảo\n" \
        "4. Hồ Thị Ngọc Hân\n5. Lê Thị Kim Oanh\n6. Nguyễn Hữu Phước\n7. Nguyễn Thị Thu\n8. Phan Văn Hùng\n" \
        f"9. Phùng Quang Vinh\n10. Trần Văn Bình\n11. Trương Văn Dũng\n{HOW}"
    assert await captren.say("Phan Văn Hùng") == (
        "Xin kiểm tra lại trước khi bàn giao:\n"
        f"- Chi bộ: {BRANCH}\n- Bí thư mới: Phan Văn Hùng\n"
        "chibo sẽ tạo mã mời cho bí thư mới. Khi người đó dùng mã, việc bàn giao có hiệu lực và được ghi vào "
        f"nhật ký.\n\n1. Lưu\n2. Sửa chi bộ\n3. Sửa bí thư mới\n4. Hủy\n{HOW}")
    code = code_in(await captren.say("1"))
    assert await Convo(demo, account="hung-phone").say(f"/start {code}") == (
        f"Đã liên kết tài khoản. Vai trò: bí thư — {BRANCH}.\n\n" + HUNG_HELP)
    async with demo.sessions() as session:
        assert (await session.exec(select(Outbox).where(Outbox.kind == "hand_over"))).all() == []


async def test_a_sponsor_and_a_candidate_may_not_hand_over(talk):
    for account in ("giupdo", "quanchung"):
        assert await talk(account).say("/bangiao") == NOT_ALLOWED


async def test_on_a_channel_the_branch_does_not_allow_the_members_are_initials(talk, demo):
    """Issue 16: on Telegram, which the branch does not allow, /bangiao lists the official members
    by initials (found still by words of the name); the console keeps the full names."""
    telegram = await on_telegram_not_allowed(demo)
    await telegram.dialog([
        ("/bangiao", ASK_MEMBER + "1. C.T.H.\n2. Đ.T.M.\n3. Đ.T.T.\n4. H.T.N.H.\n5. L.T.K.O.\n6. N.H.P.\n7. P.V.H.\n"
                                  "8. P.Q.V.\n9. T.V.B.\n10. T.V.D.\n" + HOW),
        ("hùng", ASK_KEEPS),
        ("phó bí thư", "Xin kiểm tra lại trước khi bàn giao:\n"
                       f"- Chi bộ: {BRANCH}\n- Bí thư mới: P.V.H.\n- Vai trò của bạn sau bàn giao: Phó bí thư\n"
                       "chibo sẽ tạo mã mời cho bí thư mới. Khi người đó dùng mã, việc bàn giao có hiệu lực: vai trò "
                       "bí thư của bạn kết thúc và được ghi vào nhật ký.\n\n"
                       f"1. Lưu\n2. Sửa bí thư mới\n3. Sửa vai trò của bạn sau bàn giao\n4. Hủy\n{HOW}"),
    ])
    reply = await telegram.say("Lưu")
    assert reply == created(code_in(reply), "phó bí thư").replace("Phan Văn Hùng", "P.V.H.")
    assert await talk("bithu").say("/bangiao") == ASK_MEMBER + MEMBERS + HOW  # the console: always allowed
