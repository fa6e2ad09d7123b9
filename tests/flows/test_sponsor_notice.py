"""/giupdo tells the sponsors: the new one learns whom they help, where that person stands and how
to log a meeting; the one replaced learns it too; both through the outbox, on their own chat."""

import pytest
import sqlalchemy as sa

from bot.channels.memory import MemoryChannel
from bot.demo import BRANCH
from bot.dispatcher import Dispatcher
from models.outbox import Outbox, OutboxStatus
from models.people import ChatLink, Person
from tests.support import number_of, numbers_of

# The demo candidates named here; their register numbers are looked up (the `no` fixture)
AN, MINH, HA = "Nguyễn Văn An", "Lê Hoàng Minh", "Phạm Thu Hà"


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers of An, Minh and Hà, looked up by name."""
    return await numbers_of(demo, (AN, MINH, HA))


async def no_wait(_seconds: float) -> None:
    return None


async def deliver(demo) -> MemoryChannel:
    channel = MemoryChannel("console")
    run = Dispatcher(sessions=demo.sessions, channels={"console": channel}, clock=demo.clock, sleep=no_wait)
    await run.run_until_empty()
    return channel


async def outbox(demo) -> list[tuple[str, str, str]]:
    """(kind, person's name, status) of every row."""
    async with demo.sessions() as session:
        rows = (await session.exec(sa.select(Outbox.kind, Person.full_name, Outbox.status)
                                   .join(Person, Person.id == Outbox.person_id).order_by(Outbox.id))).all()
    return [(kind, name, OutboxStatus(status).value) for kind, name, status in rows]


def digest(*items: str) -> str:
    return "chibo nhắc việc:\n" + "".join(f"- {item}\n" for item in items) + "\nGõ /trogiup để xem các lệnh."


def assigned_an(no: dict[str, int]) -> str:
    return (f"{BRANCH} đã phân công anh/chị giúp đỡ quần chúng {no[AN]}. Nguyễn Văn An (giai đoạn: Quần chúng "
            "ưu tú (nguồn)). Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, "
            f"hạn 05/03/2026. Ghi lại mỗi buổi gặp: /gap {no[AN]}")


def assign(who: str, new: str, now: str = "chưa có") -> str:
    """/giupdo's screen before saving."""
    return ("Xin kiểm tra lại trước khi lưu:\n"
            f"- Quần chúng: {who}\n"
            f"- Người giúp đỡ hiện nay: {now}\n"
            f"- Người giúp đỡ mới: {new}\n"
            "\n"
            "1. Lưu\n2. Sửa quần chúng\n3. Sửa người giúp đỡ\n4. Hủy\n"
            "(Trả lời bằng số hoặc bằng chữ)")


def an_chosen(no: dict[str, int]) -> str:
    return f"{no[AN]}. Nguyễn Văn An (Quần chúng ưu tú (nguồn))"


MAI_UNLINKED = "Đỗ Thị Mai (chưa liên kết tài khoản chat với chibo: chibo sẽ không báo được, xin báo trực tiếp)"


async def test_a_first_sponsor_is_told_on_their_chat(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {no[AN]}")  # Nguyễn Văn An, no sponsor yet
    assert await bithu.say("4") == assign(an_chosen(no), "Trần Văn Bình")  # the console account "giupdo"
    assert await bithu.say("Lưu") == (
        f"Đã phân công Trần Văn Bình giúp đỡ {no[AN]}. Nguyễn Văn An. Xem: /xem {no[AN]}\n"
        "chibo sẽ nhắn Trần Văn Bình biết việc này.")
    assert await outbox(demo) == [("sponsor_assigned", "Trần Văn Bình", "pending")]
    channel = await deliver(demo)
    assert [m.text for m in channel.sent["giupdo"]] == [digest(assigned_an(no))]
    assert set(channel.sent) == {"giupdo"}
    assert await outbox(demo) == [("sponsor_assigned", "Trần Văn Bình", "sent")]
    # what the notice says can be done: the sponsor logs a meeting with the number given
    assert await talk("giupdo").say(f"/gap {no[AN]}") == (
        'Ghi một lần gặp với quần chúng bạn giúp đỡ. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu trước.\n'
        "\n"
        f'Gặp {no[AN]}. Nguyễn Văn An ngày nào? Chọn "Hôm nay" hoặc ghi ngày/tháng/năm, ví dụ 25/02/2026.\n'
        "\n"
        "1. Hôm nay\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_replaced_sponsor_is_told_too(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {no[MINH]}")  # Lê Hoàng Minh, helped by Trần Văn Bình
    await bithu.say("1")  # Nguyễn Thị Thu, the secretary (console account "bithu")
    assert await bithu.say("Lưu") == (
        f"Đã phân công Nguyễn Thị Thu giúp đỡ {no[MINH]}. Lê Hoàng Minh (thay Trần Văn Bình). Xem: /xem {no[MINH]}\n"
        "chibo sẽ nhắn Nguyễn Thị Thu biết việc này, và báo Trần Văn Bình thôi giúp đỡ.")
    assert await outbox(demo) == [("sponsor_assigned", "Nguyễn Thị Thu", "pending"),
                                  ("sponsor_released", "Trần Văn Bình", "pending")]
    channel = await deliver(demo)
    assert [m.text for m in channel.sent["bithu"]] == [digest(
        f"{BRANCH} đã phân công anh/chị giúp đỡ quần chúng {no[MINH]}. Lê Hoàng Minh (giai đoạn: Cảm tình Đảng). "
        "Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026. "
        f"Ghi lại mỗi buổi gặp: /gap {no[MINH]}")]
    assert [m.text for m in channel.sent["giupdo"]] == [digest(
        f"{BRANCH} đã phân công Nguyễn Thị Thu thay anh/chị giúp đỡ quần chúng {no[MINH]}. Lê Hoàng Minh. "
        "Cảm ơn anh/chị đã giúp đỡ thời gian qua.")]


async def test_an_unlinked_sponsor_gets_nothing_and_the_secretary_is_told_to_say_it_in_person(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {no[AN]}")
    assert await bithu.say("do thi mai") == assign(an_chosen(no), MAI_UNLINKED)  # a member with no chat account
    assert await bithu.say("Lưu") == (
        f"Đã phân công Đỗ Thị Mai giúp đỡ {no[AN]}. Nguyễn Văn An. Xem: /xem {no[AN]}\n"
        "Đỗ Thị Mai chưa liên kết tài khoản chat với chibo nên chưa nhận được tin báo: xin báo trực tiếp "
        "cho đồng chí.")
    assert await outbox(demo) == []
    assert not (await deliver(demo)).sent


async def test_replacing_a_linked_sponsor_by_an_unlinked_one_tells_only_the_former(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {no[MINH]}")
    await bithu.say("3")  # Đỗ Thị Mai
    assert await bithu.say("Lưu") == (
        f"Đã phân công Đỗ Thị Mai giúp đỡ {no[MINH]}. Lê Hoàng Minh (thay Trần Văn Bình). Xem: /xem {no[MINH]}\n"
        "Đỗ Thị Mai chưa liên kết tài khoản chat với chibo nên chưa nhận được tin báo: xin báo trực tiếp "
        "cho đồng chí (chibo sẽ báo Trần Văn Bình thôi giúp đỡ).")
    assert await outbox(demo) == [("sponsor_released", "Trần Văn Bình", "pending")]
    channel = await deliver(demo)
    assert set(channel.sent) == {"giupdo"}
    assert [m.text for m in channel.sent["giupdo"]] == [digest(
        f"{BRANCH} đã phân công Đỗ Thị Mai thay anh/chị giúp đỡ quần chúng {no[MINH]}. Lê Hoàng Minh. "
        "Cảm ơn anh/chị đã giúp đỡ thời gian qua.")]


async def test_a_sponsor_who_links_later_is_told_of_the_next_assignment(talk, demo, no):
    """The notice goes to whoever has a chat when it is saved: a later link gets the later ones."""
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {no[AN]}")
    await bithu.say("do thi mai")
    await bithu.say("Lưu")
    async with demo.sessions() as session, session.begin():
        mai = (await session.exec(sa.select(Person.id).where(Person.full_name == "Đỗ Thị Mai"))).scalar()
        session.add(ChatLink(channel="console", account_id="mai", person_id=mai, linked_at=demo.clock.now()))
    await bithu.say(f"/giupdo {no[HA]}")
    await bithu.say("do thi mai")
    assert await bithu.say("Lưu") == (
        f"Đã phân công Đỗ Thị Mai giúp đỡ {no[HA]}. Phạm Thu Hà (thay Trần Văn Bình). Xem: /xem {no[HA]}\n"
        "chibo sẽ nhắn Đỗ Thị Mai biết việc này, và báo Trần Văn Bình thôi giúp đỡ.")
    channel = await deliver(demo)
    assert [m.text for m in channel.sent["mai"]] == [digest(  # Phạm Thu Hà only, not Nguyễn Văn An
        f"{BRANCH} đã phân công anh/chị giúp đỡ quần chúng {no[HA]}. Phạm Thu Hà (giai đoạn: Cảm tình Đảng). "
        "Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026. "
        f"Ghi lại mỗi buổi gặp: /gap {no[HA]}")]


@pytest.mark.parametrize("name, stage", [
    ("Đặng Ngọc Lan", "Đang làm hồ sơ"), ("Bùi Quốc Huy", "Đã đề nghị kết nạp"), ("Hoàng Mai Anh", "Đảng viên dự bị"),
    ("Tạ Minh Đức", "Có quyết định kết nạp"), ("Lương Thị Mỹ", "Học lớp nhận thức về Đảng"),
])
async def test_the_notice_gives_the_next_step_the_card_shows_at_every_stage(talk, demo, name, stage):
    number = await number_of(demo, name)
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {number}")
    await bithu.say("nguyen thi thu")
    await bithu.say("Lưu")
    channel = await deliver(demo)
    [told] = [m.text for m in channel.sent["bithu"]]
    assert f"quần chúng {number}. " in told and f"(giai đoạn: {stage}). Bước tiếp theo: " in told
    assert told.endswith(f"Ghi lại mỗi buổi gặp: /gap {number}\n\nGõ /trogiup để xem các lệnh.")
    step = told.split("Bước tiếp theo: ", 1)[1].split(". Ghi lại mỗi buổi gặp", 1)[0]
    assert f"- Bước tiếp theo: {step}" in await bithu.say(f"/xem {number}")
