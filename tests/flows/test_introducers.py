"""Introducers are records (issue 13 item 2): chosen with the 3-KNĐ letters in /ghihoso from the
branch's official members, checked at the branch's vote (/ketnap, /denghiketnap), shown on /xem."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import Candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.introducers import IntroducerRecord
from models.org import Organisation
from models.roster import PartyMember
from tests.support import number_of
from tests.texts import CANCELLED, CHOOSE, ITEM_DATE, KEEPER, VOTES_FOR, lan_items, lan_summary, lan_vote_day

TODAY = date(2026, 3, 2)
# A Youth Union member with a complete file, introduced by Trần Văn Bình; her register number is looked up (the
# `no` fixture, tests/support.py number_of).
LAN = "Đặng Ngọc Lan"


async def lan(demo) -> Candidate:
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return (await session.exec(select(Candidate).where(Candidate.branch_id == branch.id,
                                                           Candidate.full_name == LAN))).one()


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """Lan's register number, looked up by name."""
    return {LAN: await number_of(demo, LAN)}


async def recorded(demo) -> list[tuple[str, date]]:
    c = await lan(demo)
    async with demo.sessions() as session:
        rows = await session.exec(select(PartyMember.full_name, IntroducerRecord.together_since)
                                  .join(PartyMember, PartyMember.id == IntroducerRecord.member_id)
                                  .where(IntroducerRecord.candidate_id == c.id).order_by(IntroducerRecord.id))
        return [tuple(r) for r in rows]


async def not_youth_union(demo) -> None:
    """Lan as if she were not a Youth Union member: two official members must introduce her."""
    c = await lan(demo)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(Candidate).where(Candidate.id == c.id).values(youth_union=False))


async def together_since(demo, day: date) -> None:
    c = await lan(demo)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(IntroducerRecord).where(IntroducerRecord.candidate_id == c.id)
                           .values(together_since=day))


OFFICIAL = (
    "1. Cao Thị Huyền — chính thức từ 31/01/2026\n2. Đỗ Thị Mai — chính thức từ 03/03/2020\n"
    "3. Đoàn Thị Thảo — chính thức từ 03/03/2023\n4. Hồ Thị Ngọc Hân — chính thức từ 04/03/2018\n"
    "5. Lê Thị Kim Oanh — chính thức từ 06/03/2011\n6. Nguyễn Hữu Phước — chính thức từ 07/03/2004\n"
    "7. Nguyễn Thị Thu — chính thức từ 05/03/2014\n8. Phan Văn Hùng — chính thức từ 04/03/2016\n"
    "9. Phùng Quang Vinh — chính thức từ 03/03/2021\n10. Trần Văn Bình — chính thức từ 04/03/2017\n"
    "11. Trương Văn Dũng — chính thức từ 05/03/2015\n" + CHOOSE)
FIRST = ("Ai là đảng viên chính thức thứ nhất viết thư giới thiệu (3-KNĐ)? Chọn trong danh sách đảng viên "
         "của chi bộ, gõ số thứ tự hoặc một phần họ tên.\n\n" + OFFICIAL)
ONLY = ("Ai là đảng viên chính thức viết thư giới thiệu (3-KNĐ)? Chọn trong danh sách đảng viên "
        "của chi bộ, gõ số thứ tự hoặc một phần họ tên.\n\n" + OFFICIAL)  # one introducer: no "thứ nhất"
SECOND = ("Ai là đảng viên chính thức thứ hai viết thư giới thiệu (3-KNĐ)? Chọn người khác với Đỗ Thị Mai.\n\n"
          + OFFICIAL)
ROUTE = ("Ai giới thiệu người này? Người không phải đoàn viên được hai đảng viên chính thức giới thiệu; nơi "
         "không có tổ chức Đoàn, Ban Chấp hành Công đoàn cơ sở và một đảng viên chính thức giới thiệu (Điều lệ "
         "Đảng, Điều 4).\n\n1. Hai đảng viên chính thức\n2. Ban Chấp hành Công đoàn cơ sở và một đảng viên "
         "chính thức (nơi không có tổ chức Đoàn)\n(Trả lời bằng số hoặc bằng chữ)")
SINCE = ("{who} công tác, học tập hoặc sinh sống cùng người này từ ngày nào? (ngày/tháng/năm; phải đủ 12 tháng "
         "trước ngày viết thư)")


# ---- recorded with the letters (/ghihoso 3-KNĐ) ---------------------------------------------

def lan_file_saved(no: dict[str, int], introducers: str) -> str:
    """Saved: 3-KNĐ dated 20/02/2026 with its introducers, then Lan's file, complete for the vote."""
    return ("Đã ghi 3-KNĐ (giấy giới thiệu của đảng viên chính thức) ngày 20/02/2026 cho Đặng Ngọc Lan (thay ngày cũ "
            f"26/01/2026); người giới thiệu: {introducers}.\n"
            "\n"
            f"Hồ sơ kết nạp của {no[LAN]}. Đặng Ngọc Lan (Đang làm hồ sơ từ 01/01/2026)\n"
            "Bắt đầu làm hồ sơ: 01/01/2026\n"
            "\n"
            "Cần có trước khi chi bộ xét kết nạp:\n"
            '- CN-NTVĐ (giấy chứng nhận lớp nhận thức về Đảng): 28/10/2025, số CN-0101 (lớp "Lớp nhận thức về Đảng '
            'khóa 1")\n'
            "- 1-KNĐ (đơn xin vào Đảng): 03/01/2026\n"
            "- 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra): 21/01/2026\n"
            "- 3-KNĐ (giấy giới thiệu của đảng viên chính thức): 20/02/2026\n"
            "- 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)): 23/01/2026\n"
            "- 5-KNĐ (tổng hợp ý kiến nhận xét): 31/01/2026\n"
            "\n"
            "Sau khi chi bộ xét:\n"
            "- 6-KNĐ (nghị quyết của chi bộ): chưa có\n"
            "- 7-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
            "- 8-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
            "- 9-KNĐ (quyết định kết nạp): chưa có\n"
            "\n"
            "Đã đủ các giấy tờ cần có trước khi chi bộ xét.\n"
            "\n"
            "1. Ghi ngày một mục\n"
            "2. Sửa ngày bắt đầu làm hồ sơ\n"
            "3. Đề nghị kết nạp\n" + CHOOSE)



async def test_two_official_members_are_recorded_with_the_letters(talk, demo, no):
    await not_youth_union(demo)
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghihoso {no[LAN]}", lan_items(no[LAN])), ("3", KEEP), ("2", ITEM_DATE)])
    assert await bithu.say("20/2/2026") == ROUTE
    assert await bithu.say("1") == FIRST
    assert await bithu.say("Đỗ Thị Mai") == SINCE.format(who="Đỗ Thị Mai")
    assert await bithu.say("1/9/2023") == SECOND
    assert await bithu.say("10") == SINCE.format(who="Trần Văn Bình")
    assert await bithu.say("15/1/2024") == KEEPER
    assert await bithu.say("Bỏ qua") == (
        f"Xin kiểm tra lại:\n- Người: {no[LAN]}. Đặng Ngọc Lan\n"
        "- Mục: 3-KNĐ (giấy giới thiệu của đảng viên chính thức)\n- Ngày: 20/02/2026\n"
        "- Giới thiệu: Hai đảng viên chính thức\n"
        "- Người giới thiệu: Đỗ Thị Mai (cùng công tác từ 01/09/2023); Trần Văn Bình (cùng công tác từ 15/01/2024)\n"
        "- Người giữ: (không ghi)\n"
        "Nếu mục này đã có ngày, ngày mới sẽ thay ngày cũ, người giới thiệu mới thay người đã ghi.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa mục hồ sơ\n4. Sửa ghi thư hay chỉ người giới thiệu\n5. Sửa ngày\n"
        "6. Sửa đường giới thiệu\n7. Sửa người giới thiệu thứ nhất\n"
        "8. Sửa ngày cùng công tác của người thứ nhất\n9. Sửa người giới thiệu thứ hai\n"
        "10. Sửa ngày cùng công tác của người thứ hai\n11. Sửa người giữ\n12. Hủy\n(Trả lời bằng số hoặc bằng chữ)")
    saved = await bithu.say("Lưu")
    assert saved.startswith(
        "Đã ghi 3-KNĐ (giấy giới thiệu của đảng viên chính thức) ngày 20/02/2026 cho Đặng Ngọc Lan "
        "(thay ngày cũ 26/01/2026); người giới thiệu: Đỗ Thị Mai (cùng công tác từ 01/09/2023), "
        f"Trần Văn Bình (cùng công tác từ 15/01/2024).\n\nHồ sơ kết nạp của {no[LAN]}. Đặng Ngọc Lan")
    assert await recorded(demo) == [("Đỗ Thị Mai", date(2023, 9, 1)), ("Trần Văn Bình", date(2024, 1, 15))]


async def test_a_probationary_member_too_short_a_time_or_the_same_member_twice_is_refused(talk, demo, no):
    await not_youth_union(demo)
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghihoso {no[LAN]}", lan_items(no[LAN])), ("3", KEEP), ("2", ITEM_DATE),
                        ("20/2/2026", ROUTE),
                        ("Hai đảng viên", FIRST)])
    assert await bithu.say("Hoàng Mai Anh") == (
        "Hoàng Mai Anh không phải đảng viên chính thức của chi bộ nên không được giới thiệu (Điều lệ Đảng, "
        "Điều 4). Xin chọn đảng viên chính thức.\n" + FIRST)
    await bithu.dialog([("Đỗ Thị Mai", SINCE.format(who="Đỗ Thị Mai"))])
    assert await bithu.say("1/3/2025") == (
        "Người giới thiệu phải công tác cùng người này ít nhất 12 tháng (Điều lệ Đảng, Điều 4): tính từ ngày "
        "này, Đỗ Thị Mai chỉ đủ 12 tháng từ ngày 01/03/2026, sau ngày viết thư 20/02/2026. Xin kiểm tra lại "
        "ngày.\n" + SINCE.format(who="Đỗ Thị Mai"))
    assert await bithu.say("20/2/2025") == SECOND  # exactly 12 months before the letters
    assert await bithu.say("Đỗ Thị Mai") == (
        "Đỗ Thị Mai đã là người giới thiệu thứ nhất; hai người giới thiệu phải là hai người khác nhau. "
        "Xin chọn người khác.\n" + SECOND)
    assert await recorded(demo) == [("Trần Văn Bình", date(2023, 3, 3))]  # the demo's, untouched


async def test_a_youth_union_member_is_asked_for_one_introducer(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ghihoso {no[LAN]}", lan_items(no[LAN])), ("3", KEEP), ("2", ITEM_DATE), ("20/2/2026", ONLY),
        ("Phan Văn Hùng", SINCE.format(who="Phan Văn Hùng")), ("1/1/2024", KEEPER),
        ("Bỏ qua",  # one introducer, with the Youth Union's resolution (4-KNĐ): no second asked
         f"Xin kiểm tra lại:\n- Người: {no[LAN]}. Đặng Ngọc Lan\n"
         "- Mục: 3-KNĐ (giấy giới thiệu của đảng viên chính thức)\n- Ngày: 20/02/2026\n"
         "- Người giới thiệu: Phan Văn Hùng (cùng công tác từ 01/01/2024)\n"
         "- Người giữ: (không ghi)\n"
         "Nếu mục này đã có ngày, ngày mới sẽ thay ngày cũ, người giới thiệu mới thay người đã ghi.\n\n"
         "1. Lưu\n2. Sửa người\n3. Sửa mục hồ sơ\n4. Sửa ghi thư hay chỉ người giới thiệu\n5. Sửa ngày\n"
         "6. Sửa người giới thiệu\n7. Sửa ngày cùng công tác của người giới thiệu\n8. Sửa người giữ\n9. Hủy\n"
         + CHOOSE),
        ("Lưu", lan_file_saved(no, "Phan Văn Hùng (cùng công tác từ 01/01/2024)")),
    ])
    assert await recorded(demo) == [("Phan Văn Hùng", date(2024, 1, 1))]


# ---- checked at the vote -------------------------------------------------------------------------

async def test_the_vote_refuses_an_introducer_with_less_than_12_months_together(talk, demo, no):
    await together_since(demo, date(2025, 6, 1))
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {no[LAN]}", lan_summary(lan=no[LAN]))])
    assert await bithu.say("hôm nay") == (
        "Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn vào ngày 02/03/2026 (Điều lệ Đảng, Điều 4; "
        "Hướng dẫn 12-HD/BTCTW):\n"
        "- Trần Văn Bình mới công tác cùng người này 9 tháng; đủ 12 tháng từ ngày 01/06/2026.\n"
        f"Để ghi thêm giấy tờ: gõ /huy, ghi bằng /ghihoso {no[LAN]} rồi quay lại /ketnap {no[LAN]}; nếu nhầm ngày "
        "họp, gõ lại ngày.\n" + lan_vote_day(no[LAN]))
    await bithu.dialog([("/huy", CANCELLED)])
    assert await bithu.say(f"/denghiketnap {no[LAN]}") == (
        f"Chưa thể đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan (tính đến hôm nay, 02/03/2026):\n"
        "- Trần Văn Bình mới công tác cùng người này 9 tháng; đủ 12 tháng từ ngày 01/06/2026.\n"
        "Ghi ngày giấy tờ bằng /ghihoso, xem lại hồ sơ bằng /hoso.\n"
        "\n"
        "1. Ghi ngày một mục\n"
        "2. Xem hồ sơ\n" + CHOOSE)


async def test_the_vote_refuses_letters_recorded_without_their_introducers(talk, demo, no):
    c = await lan(demo)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(IntroducerRecord).where(IntroducerRecord.candidate_id == c.id))
    reply = await talk("bithu").say(f"/ketnap {no[LAN]}")
    assert reply == (
        "Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn (Điều lệ Đảng, Điều 4; Hướng dẫn "
        "12-HD/BTCTW):\n"
        "- Chưa ghi người giới thiệu: cần 1 đảng viên chính thức (cùng nghị quyết giới thiệu của Ban Chấp hành "
        f"Đoàn cơ sở, 4-KNĐ), mới ghi 0. Ghi người giới thiệu bằng /ghihoso {no[LAN]} 3-KNĐ (thư đã có ngày thì "
        "chọn giữ ngày đã ghi).\n"
        f"Ghi từng giấy tờ bằng /ghihoso {no[LAN]}, rồi ghi biểu quyết bằng /ketnap {no[LAN]}.\n"
        "Xem những người ghi được: /ketnap · Xem cả danh sách: /ds")


async def test_the_vote_passes_on_the_day_the_12_months_are_complete(talk, demo, no):
    await together_since(demo, date(2025, 3, 2))
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {no[LAN]}", lan_summary(lan=no[LAN])), ("hôm nay", VOTES_FOR)])


async def test_the_card_shows_the_introducers(talk, no):
    assert await talk("bithu").say(f"/xem {no[LAN]}") == (
        f"{no[LAN]}. Đặng Ngọc Lan\n- Ngày sinh: 28/02/1997 · Nữ\n- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n- Giai đoạn: Đang làm hồ sơ, từ 01/01/2026\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n- Người giới thiệu: Trần Văn Bình (cùng công tác từ 03/03/2023)\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n- Bước tiếp theo: hoàn thiện hồ sơ để chi bộ xét, biểu quyết đề "
        "nghị kết nạp, hạn 01/01/2027 (Điều lệ Đảng, Điều 4; Hướng dẫn 06-HD/TW, mục 3.6)")


# ---- letters dated before introducers were records: the introducers added, the date kept -------

async def no_introducers(demo) -> None:
    """Lan's 3-KNĐ as recorded before introducers were records (or imported): dated, no one named."""
    c = await lan(demo)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(IntroducerRecord).where(IntroducerRecord.candidate_id == c.id))


async def letters_dated(demo) -> date:
    c = await lan(demo)
    async with demo.sessions() as session:
        return (await session.exec(select(DossierEntry.dated).where(
            DossierEntry.candidate_id == c.id, DossierEntry.item == "3-KNĐ"))).one()


async def trade_union_route(demo) -> bool:
    c = await lan(demo)
    async with demo.sessions() as session:
        record = await session.get(AdmissionRecord, c.id)
        return bool(record and record.trade_union_route)


KEEP = ("Thư giới thiệu (3-KNĐ) của người này đã có ngày. Chỉ ghi người giới thiệu (giữ ngày đã ghi của thư), "
        "hay ghi lại thư với ngày mới?\n\n1. Chỉ ghi người giới thiệu, giữ ngày đã ghi của thư\n"
        "2. Ghi lại thư với ngày mới\n(Trả lời bằng số hoặc bằng chữ)")


async def test_the_introducers_are_added_to_letters_already_dated_keeping_their_date(talk, demo, no):
    await no_introducers(demo)
    bithu = talk("bithu")
    assert await bithu.say(f"/ghihoso {no[LAN]} 3-KNĐ") == KEEP  # the command the vote's refusal names
    assert await bithu.say("1") == ONLY
    assert await bithu.say("Phan Văn Hùng") == SINCE.format(who="Phan Văn Hùng")
    assert await bithu.say("1/1/2024") == (
        f"Xin kiểm tra lại:\n- Người: {no[LAN]}. Đặng Ngọc Lan\n"
        "- Mục: 3-KNĐ (giấy giới thiệu của đảng viên chính thức)\n"
        "- Ngày: 26/01/2026 (giữ ngày đã ghi, chỉ ghi người giới thiệu)\n"
        "- Người giới thiệu: Phan Văn Hùng (cùng công tác từ 01/01/2024)\n"
        "Người giới thiệu mới thay người đã ghi; ngày của thư giữ nguyên.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa mục hồ sơ\n4. Sửa ghi thư hay chỉ người giới thiệu\n"
        "5. Sửa người giới thiệu\n6. Sửa ngày cùng công tác của người giới thiệu\n7. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    saved = await bithu.say("Lưu")
    assert saved.startswith(
        "Đã ghi người giới thiệu cho Đặng Ngọc Lan, thư giới thiệu (3-KNĐ) giữ ngày 26/01/2026; người giới "
        f"thiệu: Phan Văn Hùng (cùng công tác từ 01/01/2024).\n\nHồ sơ kết nạp của {no[LAN]}. Đặng Ngọc Lan")
    assert await recorded(demo) == [("Phan Văn Hùng", date(2024, 1, 1))]
    assert await letters_dated(demo) == date(2026, 1, 26)
    await bithu.say(f"/ketnap {no[LAN]}")
    assert "Bao nhiêu" in await bithu.say("hôm nay")  # the vote is no longer refused


async def test_an_introducer_added_to_dated_letters_needs_12_months_before_their_date(talk, demo, no):
    await no_introducers(demo)
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghihoso {no[LAN]} 3-KNĐ", KEEP), ("1", ONLY),
                        ("Phan Văn Hùng", SINCE.format(who="Phan Văn Hùng"))])
    assert await bithu.say("1/3/2025") == (
        "Người giới thiệu phải công tác cùng người này ít nhất 12 tháng (Điều lệ Đảng, Điều 4): tính từ ngày "
        "này, Phan Văn Hùng chỉ đủ 12 tháng từ ngày 01/03/2026, sau ngày viết thư 26/01/2026. Xin kiểm tra lại "
        "ngày.\n" + SINCE.format(who="Phan Văn Hùng"))
    await bithu.say("/huy")
    assert await recorded(demo) == []


async def test_an_item_typed_after_an_unknown_candidate_is_part_of_the_name(talk, demo, no):
    reply = await talk("bithu").say("/ghihoso Không Có Ai 3-KNĐ")
    assert reply.startswith("Không tìm thấy")


# ---- the Trade Union route (Charter art. 4: where there is no Youth Union) ---------------------

def trade_union_confirm(no: dict[str, int]) -> str:
    return (
        f"Xin kiểm tra lại:\n- Người: {no[LAN]}. Đặng Ngọc Lan\n"
        "- Mục: 3-KNĐ (giấy giới thiệu của đảng viên chính thức)\n"
        "- Ngày: 26/01/2026 (giữ ngày đã ghi, chỉ ghi người giới thiệu)\n"
        "- Giới thiệu: Ban Chấp hành Công đoàn cơ sở và một đảng viên chính thức (nơi không có tổ chức Đoàn)\n"
        "- Người giới thiệu: Phan Văn Hùng (cùng công tác từ 01/01/2024)\n"
        "Người giới thiệu mới thay người đã ghi; ngày của thư giữ nguyên.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa mục hồ sơ\n4. Sửa ghi thư hay chỉ người giới thiệu\n"
        "5. Sửa đường giới thiệu\n6. Sửa người giới thiệu\n7. Sửa ngày cùng công tác của người giới thiệu\n"
        "8. Hủy\n(Trả lời bằng số hoặc bằng chữ)")


async def test_the_trade_union_committee_and_one_member_introduce_where_there_is_no_youth_union(talk, demo, no):
    await not_youth_union(demo)
    await no_introducers(demo)
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghihoso {no[LAN]} 3-KNĐ", KEEP), ("1", ROUTE), ("2", ONLY),
                        ("Phan Văn Hùng", SINCE.format(who="Phan Văn Hùng"))])
    assert await bithu.say("1/1/2024") == trade_union_confirm(no)
    saved = await bithu.say("Lưu")
    assert saved.startswith(
        "Đã ghi người giới thiệu cho Đặng Ngọc Lan, thư giới thiệu (3-KNĐ) giữ ngày 26/01/2026; người giới "
        "thiệu: Ban Chấp hành Công đoàn cơ sở (nghị quyết 4-KNĐ) và Phan Văn Hùng (cùng công tác từ 01/01/2024).")
    assert await trade_union_route(demo) and await recorded(demo) == [("Phan Văn Hùng", date(2024, 1, 1))]
    await bithu.say(f"/ketnap {no[LAN]}")
    assert "Bao nhiêu" in await bithu.say("hôm nay")  # one member beside the Trade Union's resolution


async def test_the_trade_union_route_needs_its_resolution_and_two_members_without_it(talk, demo, no):
    await not_youth_union(demo)
    await no_introducers(demo)
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghihoso {no[LAN]} 3-KNĐ", KEEP), ("1", ROUTE), ("2", ONLY),
                        ("Phan Văn Hùng", SINCE.format(who="Phan Văn Hùng")), ("1/1/2024", trade_union_confirm(no))])
    assert (await bithu.say("Lưu")).startswith("Đã ghi người giới thiệu cho Đặng Ngọc Lan")
    c = await lan(demo)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == c.id,
                                                         DossierEntry.item == "4-KNĐ"))
    assert await bithu.say(f"/ketnap {no[LAN]}") == (
        "Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn (Điều lệ Đảng, Điều 4; Hướng dẫn "
        "12-HD/BTCTW):\n"
        "- Còn thiếu 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)).\n"
        f"Ghi từng giấy tờ bằng /ghihoso {no[LAN]}, rồi ghi biểu quyết bằng /ketnap {no[LAN]}.\n"
        "Xem những người ghi được: /ketnap · Xem cả danh sách: /ds")
    # The route taken back (two members): the one recorded is not enough.
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(AdmissionRecord).where(AdmissionRecord.candidate_id == c.id)
                           .values(trade_union_route=False))
    assert await bithu.say(f"/ketnap {no[LAN]}") == (
        "Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn (Điều lệ Đảng, Điều 4; Hướng dẫn "
        "12-HD/BTCTW):\n"
        "- Chưa ghi người giới thiệu: cần 2 đảng viên chính thức, mới ghi 1. Ghi người giới thiệu bằng "
        f"/ghihoso {no[LAN]} 3-KNĐ (thư đã có ngày thì chọn giữ ngày đã ghi).\n"
        f"Ghi từng giấy tờ bằng /ghihoso {no[LAN]}, rồi ghi biểu quyết bằng /ketnap {no[LAN]}.\n"
        "Xem những người ghi được: /ketnap · Xem cả danh sách: /ds")


async def test_the_card_shows_the_trade_union_route(talk, demo, no):
    """Issue 13 item 8: the Trade Union committee chosen with the letters is shown on /xem."""
    await not_youth_union(demo)
    await no_introducers(demo)
    bithu = talk("bithu")
    await bithu.dialog([(f"/ghihoso {no[LAN]} 3-KNĐ", KEEP), ("1", ROUTE), ("2", ONLY),
                        ("Phan Văn Hùng", SINCE.format(who="Phan Văn Hùng")), ("1/1/2024", trade_union_confirm(no))])
    await bithu.say("Lưu")
    assert await bithu.say(f"/xem {no[LAN]}") == (
        f"{no[LAN]}. Đặng Ngọc Lan\n- Ngày sinh: 28/02/1997 · Nữ\n- Đối tượng: Giáo viên, giảng viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n- Giai đoạn: Đang làm hồ sơ, từ 01/01/2026\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n- Người giới thiệu: Ban Chấp hành Công đoàn cơ sở (nghị quyết "
        "4-KNĐ) và Phan Văn Hùng (cùng công tác từ 01/01/2024)\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n- Bước tiếp theo: hoàn thiện hồ sơ để chi bộ xét, biểu quyết đề "
        "nghị kết nạp, hạn 01/01/2027 (Điều lệ Đảng, Điều 4; Hướng dẫn 06-HD/TW, mục 3.6)")


async def test_the_card_names_no_trade_union_for_two_members(talk, demo, no):
    """Without the route (two members, not a Youth Union member), the card names only them."""
    await not_youth_union(demo)
    reply = await talk("bithu").say(f"/xem {no[LAN]}")
    assert "- Người giới thiệu: Trần Văn Bình (cùng công tác từ 03/03/2023)\n" in reply
    assert "Công đoàn" not in reply
