"""/ketqualop: someone who did not complete the class goes back to sympathizer on the day of the
class's result (asked, today offered), never before the class began (issue 13 item 6)."""

from datetime import date

from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import Candidate, StageChange
from models.org import Organisation
from models.party_class import PartyClass
from tests.support import number_of
from tests.texts import CHOOSE


async def tung_number(chibo) -> int:
    """Võ Thanh Tùng's register number (at the demo's class "khóa 2"), looked up by name."""
    return await number_of(chibo, "Võ Thanh Tùng")


async def candidate(chibo, number: int) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(Organisation.name == BRANCH, Candidate.number == number))).one()


async def absent_with_a_reason(talk, demo):
    """The class "khóa 2" (01/04 to 05/04/2026), on 06/04: Tùng absent, back to sympathizer."""
    async with demo.sessions() as session:
        klass = (await session.exec(select(PartyClass).where(PartyClass.title.endswith("khóa 2")))).one().id
    demo.clock.advance(days=35)
    bithu = talk("bithu")
    await bithu.say(f"/ketqualop {klass}")
    await bithu.say(str(await tung_number(demo)))
    await bithu.say("vắng")
    return bithu


def ask_day(tung: int) -> str:
    return (f"Ngày có kết quả lớp của {tung}. Võ Thanh Tùng? Người này về lại cảm tình Đảng từ ngày đó "
            '(ngày/tháng/năm, không trước ngày khai giảng, hoặc "hôm nay").\n'
            "\n"
            "1. Hôm nay (06/04/2026)\n"
            + CHOOSE)


async def test_a_move_back_is_dated_on_the_class_result_s_day(talk, demo):
    bithu, number = await absent_with_a_reason(talk, demo), await tung_number(demo)
    assert await bithu.say("Ốm cả khóa, học lớp sau") == ask_day(number)
    assert await bithu.say("5/4/2026") == (
        "Xin kiểm tra lại:\n"
        "- Lớp: Lớp nhận thức về Đảng khóa 2\n"
        f"- Người: {number}. Võ Thanh Tùng\n"
        "- Kết quả: Vắng\n"
        "- Giai đoạn: đưa về lại cảm tình Đảng từ 05/04/2026, lý do: Ốm cả khóa, học lớp sau\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa lớp\n"
        "3. Sửa người\n"
        "4. Sửa kết quả\n"
        "5. Sửa việc đưa về cảm tình Đảng\n"
        "6. Sửa ngày về lại cảm tình Đảng\n"
        "7. Hủy\n"
        + CHOOSE)
    assert await bithu.say("Lưu") == (
        f'Đã ghi kết quả của {number}. Võ Thanh Tùng ở lớp "Lớp nhận thức về Đảng khóa 2": Vắng.\n'
        "Võ Thanh Tùng đã được đưa về lại cảm tình Đảng từ 05/04/2026.\n"
        "\n"
        "1. Ghi kết quả người khác\n"
        "2. Xem lớp này\n"
        "3. Danh sách lớp\n"
        + CHOOSE)
    tung = await candidate(demo, number)
    assert (tung.stage, tung.stage_since) == ("sympathizer", date(2026, 4, 5))
    async with demo.sessions() as session:
        change = (await session.exec(select(StageChange).where(StageChange.candidate_id == tung.id)
                                     .order_by(StageChange.id.desc()))).first()
    assert (change.to_stage, change.on) == ("sympathizer", date(2026, 4, 5))


async def test_the_result_s_day_is_never_before_the_class_began_nor_in_the_future(talk, demo):
    bithu, number = await absent_with_a_reason(talk, demo), await tung_number(demo)
    await bithu.say("Ốm cả khóa")
    assert await bithu.say("31/3/2026") == (
        "Ngày 31/03/2026 trước ngày lớp khai giảng (01/04/2026): kết quả lớp chỉ có từ ngày khai giảng trở đi.\n"
        + ask_day(number))
    assert await bithu.say("7/4/2026") == "Ngày 07/04/2026 chưa tới (hôm nay là 06/04/2026).\n" + ask_day(number)
    assert "- Giai đoạn: đưa về lại cảm tình Đảng từ 06/04/2026, lý do: Ốm cả khóa\n" in await bithu.say("hôm nay")
