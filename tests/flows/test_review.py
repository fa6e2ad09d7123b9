"""/xet: the monthly review walks every source and sympathizer, one screen each, saving as it goes."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.channels.console import CONSOLE
from bot.demo import BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.org import Organisation
from models.people import Person, link_chat
from models.privacy import initials
from models.review import MonthlyReview
from tests.flows.test_members import on_telegram_not_allowed
from tests.support import numbers_of

NOT_LINKED = ("Tài khoản này chưa được liên kết với chibo nên chưa dùng được lệnh này. Xin bí thư chi bộ một mã mời "
              "rồi gõ: /start MÃ-MỜI")
NOT_ALLOWED = "Lệnh này không dành cho vai trò của bạn. Gõ /trogiup để xem các lệnh bạn dùng được."
NOT_UNDERSTOOD = "chibo chưa hiểu tin nhắn này. Gõ /trogiup để xem các lệnh bạn dùng được."
NOT_UNDERSTOOD_STRANGER = ("chibo chưa hiểu tin nhắn này. Nếu bạn có mã mời, gõ: /start MÃ-MỜI. "
                           "Gõ /trogiup để được hướng dẫn.")
# The demo branch's walk: its sources, then its sympathizers, in register order; their register numbers are
# looked up by name (the `no` fixture).
AN, NGOC, SON, XUAN = "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Trịnh Công Sơn", "Vũ Thị Thanh Xuân"
MINH, HA, KHOA = "Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa"
ORDER = [AN, NGOC, SON, XUAN, MINH, HA, KHOA]
TODAY = date(2026, 3, 2)
FOOT = "(Trả lời bằng số hoặc bằng chữ)"
SOURCE, SYMPATHIZER = "Quần chúng ưu tú (nguồn)", "Cảm tình Đảng"
NEVER_MET = "chưa có lần gặp nào được ghi"
GOOD = 'đánh giá: Tốt — "Tích cực trong công tác chuyên môn"'
# name: name, birth year, stage, since, last check-in, sponsor
PEOPLE = {
    AN: ("Nguyễn Văn An", 1998, SOURCE, date(2026, 2, 10), NEVER_MET, None),
    NGOC: ("Trần Thị Bích Ngọc", 2008, SOURCE, date(2026, 1, 16), NEVER_MET, None),
    SON: ("Trịnh Công Sơn", 2008, SOURCE, date(2025, 12, 2), NEVER_MET, None),
    XUAN: ("Vũ Thị Thanh Xuân", 1999, SOURCE, date(2026, 1, 26), NEVER_MET, None),
    MINH: ("Lê Hoàng Minh", 1995, SYMPATHIZER, date(2025, 12, 22), f"18/02/2026, Gặp trực tiếp, {GOOD}",
           "Trần Văn Bình"),
    HA: ("Phạm Thu Hà", 2000, SYMPATHIZER, date(2025, 11, 2), f"20/01/2026, Điện thoại, {GOOD}", "Trần Văn Bình"),
    KHOA: ("Đinh Văn Khoa", 1988, SYMPATHIZER, date(2025, 10, 3), f"28/01/2026, Trực tuyến, {GOOD}", "Trần Văn Bình"),
}


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register number of each person of the walk and of the other demo candidates /ds shows, looked up by name."""
    return await numbers_of(demo, ORDER + list(OTHERS))


KEEP_GOING = "Mỗi quyết định được lưu ngay khi chọn; /huy để dừng giữa chừng (những gì đã chọn vẫn được giữ)."


def ask_on(today: date = TODAY) -> str:
    """The meeting's day, asked first: a review is recorded for that day and its month."""
    return ('Chi bộ họp xét duyệt ngày nào? Quyết định được ghi cho ngày họp và tháng của ngày đó (ngày/tháng/năm, '
            'hoặc "hôm nay").\n'
            "\n"
            f"1. Hôm nay ({today.strftime('%d/%m/%Y')})\n"
            + FOOT)


def intro(today: date = TODAY) -> str:
    return ("Xét duyệt — Chi bộ Trường THPT Trần Phú (demo)\n"
            "7 người cần xét: 4 quần chúng ưu tú (nguồn), 3 cảm tình Đảng.\n"
            "\n"
            "Mỗi người một màn hình: giữ nguyên, chuyển lên bước sau, đưa ra khỏi danh sách (phải ghi lý do) hoặc bỏ "
            "qua. Mỗi quyết định được lưu ngay khi chọn; cuối cùng chibo tóm tắt những thay đổi.\n"
            "\n"
            + ask_on(today))


INTRO = intro()


def screen(no: dict[str, int], key: str, today: date = TODAY, reviewed: str | None = None, alone: bool = False,
           held_on: date | None = None) -> str:
    """The review screen of one person of the demo branch, as the walk shows it; "Người trước" while
    someone before them is still in the walk (not `alone`)."""
    name, year, stage, since, met, sponsor = PEOPLE[key]
    number = no[key]
    position = ORDER.index(key) + 1
    up = "Chuyển lên cảm tình Đảng" if stage == SOURCE else "Đề nghị học lớp nhận thức về Đảng"
    choices = ["Giữ nguyên", up, "Đưa ra khỏi danh sách", "Bỏ qua"]
    choices += ["Người trước"] if position > 1 and not alone else []
    choices += ["Giữ nguyên tất cả những người còn lại"] if position < len(ORDER) else []
    choices += ["Dừng, xem tóm tắt"]
    return (f"Xét duyệt tháng {(held_on or today).strftime('%m/%Y')} · người {position}/7\n"
            f"{number}. {name} ({year})\n"
            f"- Giai đoạn: {stage}, từ {since.strftime('%d/%m/%Y')} ({(today - since).days} ngày)\n"
            f"- Gặp gần nhất: {met}\n"
            f"- Đảng viên giúp đỡ: {sponsor or f'chưa phân công (phân công: /giupdo {number})'}\n"
            + (f"- Đã xét tháng này: {reviewed}. Chọn lại sẽ thay quyết định này.\n" if reviewed else "")
            + "\n"
            f"Quyết định cho {name}? " + KEEP_GOING + "\n"
            "\n"
            + "".join(f"{i}. {c}\n" for i, c in enumerate(choices, 1))
            + FOOT)


def who(no: dict[str, int], key: str) -> str:
    return f"{no[key]}. {PEOPLE[key][0]}"


def kept(no: dict[str, int], key: str) -> str:
    return f"Đã ghi: {who(no, key)} — giữ nguyên.\n\n"


def skipped(no: dict[str, int], key: str) -> str:
    return f"Đã bỏ qua {who(no, key)} (chưa xét tháng này).\n\n"


def moved(no: dict[str, int], key: str, to: str) -> str:
    return f"Đã chuyển {who(no, key)} sang: {to}.\n\n"


def removed(no: dict[str, int], key: str, why: str) -> str:
    return f"Đã đưa {who(no, key)} ra khỏi danh sách (lý do: {why}).\n\n"


def not_a_choice(typed: str) -> str:
    return f'"{typed}" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'


REASONS = ("1. Không còn phấn đấu\n2. Vi phạm tư cách, đạo đức\n3. Chuyển công tác/chuyển trường\n"
           "4. Tự xin rút\n5. Khác (gõ lý do)\n6. Chọn lại\n" + FOOT)


def reason_list(no: dict[str, int], key: str) -> str:
    return (f'Lý do đưa {who(no, key)} ra khỏi danh sách? Chọn một lý do (chọn "Khác" để tự gõ lý do), '
            'hoặc "Chọn lại" để quay về màn hình của người này. /huy để dừng (những gì đã chọn vẫn được giữ).'
            "\n\n" + REASONS)


def typed_reason(no: dict[str, int], key: str) -> str:
    return (f'Xin gõ lý do đưa {who(no, key)} ra khỏi danh sách (tối đa 500 ký tự). "Quay lại" để chọn '
            "lý do trong danh sách; /huy để dừng (những gì đã chọn vẫn được giữ).\n\n1. Chọn lại\n" + FOOT)


def removal_confirm(no: dict[str, int], key: str, why: str) -> str:
    return (f"Đưa {who(no, key)} ra khỏi danh sách, lý do: {why}?\n"
            'Chọn "Đồng ý" để lưu, "Đổi lý do" để chọn lý do khác, hoặc "Chọn lại" để quay về màn hình '
            "của người này.\n\n1. Đồng ý\n2. Đổi lý do\n3. Chọn lại\n" + FOOT)


STOPPED = ("Đã dừng xét duyệt. Những quyết định đã chọn trước đó vẫn được lưu; gõ /xet để tiếp tục người chưa "
           "xét.")
UPDATED = "(Trước đó tháng này đã xét: Giữ nguyên; nay đã cập nhật.)\n"
SUMMARY = "Tóm tắt xét duyệt tháng 03/2026:\n"
SEE_LIST = "Xem danh sách: /ds"


# The demo's other candidates /ds shows, with their birth years.
OTHERS = {"Võ Thanh Tùng": 1990, "Lương Thị Mỹ": 2001, "Đặng Ngọc Lan": 1997, "Bùi Quốc Huy": 1993,
          "Tạ Minh Đức": 1994, "Hoàng Mai Anh": 1996}


def lines(no: dict[str, int], *names: str) -> str:
    """/ds lines of these people, each with their register number."""
    years = {name: person[1] for name, person in PEOPLE.items()} | OTHERS
    return "\n".join(f"{no[name]}. {name} ({years[name]})" for name in names)


def ds(no: dict[str, int], sources: tuple[str, ...], sympathizers: tuple[str, ...],
       in_class: tuple[str, ...] = ("Võ Thanh Tùng", "Lương Thị Mỹ"), count: int = 13) -> str:
    return (f"Danh sách quần chúng và đảng viên dự bị ({count} người):\n"
            "\n"
            "Quần chúng ưu tú (nguồn):\n" + lines(no, *sources) + "\n"
            "\n"
            "Cảm tình Đảng:\n" + lines(no, *sympathizers) + "\n"
            "\n"
            "Học lớp nhận thức về Đảng:\n" + lines(no, *in_class) + "\n"
            "\n"
            "Đang làm hồ sơ:\n" + lines(no, "Đặng Ngọc Lan") + "\n"
            "\n"
            "Đã đề nghị kết nạp:\n" + lines(no, "Bùi Quốc Huy") + "\n"
            "\n"
            "Có quyết định kết nạp:\n" + lines(no, "Tạ Minh Đức") + "\n"
            "\n"
            "Đảng viên dự bị:\n" + lines(no, "Hoàng Mai Anh") + "\n"
            "\n"
            "Xem một người: /xem SỐ hoặc /xem TÊN")


async def candidate(chibo, name: str) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(Organisation.name == BRANCH, Candidate.full_name == name))).one()


async def reviews(chibo, name: str) -> list[MonthlyReview]:
    c = await candidate(chibo, name)
    async with chibo.sessions() as session:
        return list(await session.exec(select(MonthlyReview).where(  # the demo's own are January's
            MonthlyReview.candidate_id == c.id, MonthlyReview.period >= "2026-03").order_by(MonthlyReview.period)))


async def changes(chibo, name: str) -> list[StageChange]:
    c = await candidate(chibo, name)
    async with chibo.sessions() as session:
        return list(await session.exec(select(StageChange).where(StageChange.candidate_id == c.id)
                                       .order_by(StageChange.id)))


async def person_id(chibo, name: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(Person.id).where(Person.full_name == name))).first()


async def this_month(chibo, name: str) -> MonthlyReview | None:
    return next((r for r in await reviews(chibo, name) if r.period == "2026-03"), None)


async def begin(talk, account: str = "bithu"):
    convo = talk(account)
    await convo.say("/xet")
    first = await convo.say("1")
    return convo, first


async def test_the_intro_counts_who_is_to_be_reviewed(talk):
    assert await talk("bithu").say("/xet") == INTRO


async def test_each_screen_shows_stage_since_last_checkin_and_sponsor(talk, no):
    _, first = await begin(talk)
    assert first == screen(no, AN) == (  # spelled out once, to hold screen() to the words; no "Người trước" yet
        "Xét duyệt tháng 03/2026 · người 1/7\n"
        f"{no[AN]}. Nguyễn Văn An (1998)\n"
        "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026 (20 ngày)\n"
        "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
        f"- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo {no[AN]})\n"
        "\n"
        "Quyết định cho Nguyễn Văn An? Mỗi quyết định được lưu ngay khi chọn; /huy để dừng giữa chừng (những gì "
        "đã chọn vẫn được giữ).\n"
        "\n"
        "1. Giữ nguyên\n"
        "2. Chuyển lên cảm tình Đảng\n"
        "3. Đưa ra khỏi danh sách\n"
        "4. Bỏ qua\n"
        "5. Giữ nguyên tất cả những người còn lại\n"
        "6. Dừng, xem tóm tắt\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_sympathizer_screen_shows_the_last_checkin_with_its_note(talk, no):
    bithu, _ = await begin(talk)
    for name, following in zip(ORDER[:3], ORDER[1:4], strict=True):
        assert await bithu.say("bỏ qua") == skipped(no, name) + screen(no, following)
    assert await bithu.say("bỏ qua") == skipped(no, XUAN) + screen(no, MINH) == (
        f"Đã bỏ qua {no[XUAN]}. Vũ Thị Thanh Xuân (chưa xét tháng này).\n"
        "\n"
        "Xét duyệt tháng 03/2026 · người 5/7\n"
        f"{no[MINH]}. Lê Hoàng Minh (1995)\n"
        "- Giai đoạn: Cảm tình Đảng, từ 22/12/2025 (70 ngày)\n"
        '- Gặp gần nhất: 18/02/2026, Gặp trực tiếp, đánh giá: Tốt — "Tích cực trong công tác chuyên môn"\n'
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "\n"
        "Quyết định cho Lê Hoàng Minh? Mỗi quyết định được lưu ngay khi chọn; /huy để dừng giữa chừng (những gì "
        "đã chọn vẫn được giữ).\n"
        "\n"
        "1. Giữ nguyên\n"
        "2. Đề nghị học lớp nhận thức về Đảng\n"
        "3. Đưa ra khỏi danh sách\n"
        "4. Bỏ qua\n"
        "5. Người trước\n"
        "6. Giữ nguyên tất cả những người còn lại\n"
        "7. Dừng, xem tóm tắt\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_keep_is_saved_at_once_and_the_next_person_follows(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("1") == kept(no, AN) + screen(no, NGOC)
    saved = await this_month(demo, AN)
    assert (saved.decision, saved.reason, saved.by_person_id) == (
        "keep", None, await person_id(demo, "Nguyễn Thị Thu"))
    assert (await candidate(demo, AN)).stage == "source"


async def test_moving_up_a_source_makes_them_a_sympathizer_today(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("2") == moved(no, AN, "Cảm tình Đảng") + screen(no, NGOC)
    an = await candidate(demo, AN)
    assert (an.stage, an.stage_since.isoformat()) == ("sympathizer", "2026-03-02")
    last = (await changes(demo, AN))[-1]
    assert (last.from_stage, last.to_stage, last.on.isoformat(), last.by_person_id) == (
        "source", "sympathizer", "2026-03-02", await person_id(demo, "Nguyễn Thị Thu"))
    assert (await this_month(demo, AN)).decision == "move_up"


async def test_moving_up_a_sympathizer_proposes_them_for_the_class(talk, demo, no):
    bithu, _ = await begin(talk)
    for _ in range(4):
        await bithu.say("4")
    assert await bithu.say("Đề nghị học lớp nhận thức về Đảng") == (
        moved(no, MINH, "Học lớp nhận thức về Đảng") + screen(no, HA))
    assert (await candidate(demo, MINH)).stage == "awareness_class"
    assert (await this_month(demo, MINH)).decision == "move_up"


async def test_removing_asks_for_the_reason_and_records_it_with_the_stage_change(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("3") == reason_list(no, AN)
    assert await bithu.say("Khác") == typed_reason(no, AN)
    assert await bithu.say("Chuyển vùng, không liên lạc được") == removal_confirm(
        no, AN, "Chuyển vùng, không liên lạc được")
    assert (await candidate(demo, AN)).stage == "source"  # nothing yet
    assert await bithu.say("Đồng ý") == (
        removed(no, AN, "Chuyển vùng, không liên lạc được") + screen(no, NGOC, alone=True))
    last = (await changes(demo, AN))[-1]
    assert (last.to_stage, last.reason) == ("removed", "Chuyển vùng, không liên lạc được")
    saved = await this_month(demo, AN)
    assert (saved.decision, saved.reason) == ("remove", "Chuyển vùng, không liên lạc được")


@pytest.mark.parametrize("typed, says", [
    ("", "Chưa có câu trả lời.\n"),
    ("x" * 501, "Câu trả lời dài quá: 501 ký tự, tối đa 500.\n"),
    ("7", "Lý do cần ghi bằng chữ (không chỉ là số).\n"),
])
async def test_a_removal_reason_that_is_empty_too_long_or_a_number_is_asked_again(talk, demo, typed, says, no):
    bithu, _ = await begin(talk)
    await bithu.say("3")
    await bithu.say("Khác")
    assert await bithu.say(typed) == says + typed_reason(no, AN)
    assert (await candidate(demo, AN)).stage == "source" and await this_month(demo, AN) is None


async def test_choosing_again_instead_of_a_reason_changes_nothing(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("3")
    assert await bithu.say("Chọn lại") == screen(no, AN)
    assert (await candidate(demo, AN)).stage == "source" and await this_month(demo, AN) is None
    assert await bithu.say("giữ nguyên") == kept(no, AN) + screen(no, NGOC)


@pytest.mark.parametrize("typed", ["xyz", "9", "đồng ý"])
async def test_an_unknown_choice_is_explained_and_the_same_person_asked_again(talk, demo, typed, no):
    bithu, _ = await begin(talk)
    assert await bithu.say(typed) == not_a_choice(typed) + screen(no, AN)
    assert await this_month(demo, AN) is None
    assert await bithu.say("1") == kept(no, AN) + screen(no, NGOC)


async def test_skip_records_nothing_and_moves_on(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("bỏ qua") == skipped(no, AN) + screen(no, NGOC)
    assert await this_month(demo, AN) is None


async def test_the_previous_person_can_be_decided_again_and_the_review_is_updated(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("giữ nguyên")
    assert await bithu.say("Người trước") == screen(no, AN, reviewed="Giữ nguyên")
    assert await bithu.say("2") == (
        f"Đã chuyển {no[AN]}. Nguyễn Văn An sang: Cảm tình Đảng.\n" + UPDATED + "\n" + screen(no, NGOC))
    assert [(r.period, r.decision) for r in await reviews(demo, AN)] == [("2026-03", "move_up")]


async def test_redoing_the_review_in_the_same_month_shows_and_updates_the_earlier_decision(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    assert await bithu.say("/huy") == STOPPED
    demo.clock.advance(days=3)
    later = date(2026, 3, 5)
    assert await bithu.say("/xet") == intro(today=later)
    assert await bithu.say("1") == screen(no, AN, today=later, reviewed="Giữ nguyên")
    await bithu.say("3")
    await bithu.say("Khác")
    assert await bithu.say("Không còn tham gia") == removal_confirm(no, AN, "Không còn tham gia")
    assert await bithu.say("Đồng ý") == (
        f"Đã đưa {no[AN]}. Nguyễn Văn An ra khỏi danh sách (lý do: Không còn tham gia).\n" + UPDATED + "\n"
        + screen(no, NGOC, today=later, alone=True))
    saved = await reviews(demo, AN)
    assert [(r.period, r.decision, r.reason) for r in saved] == [("2026-03", "remove", "Không còn tham gia")]


async def test_the_next_month_is_a_review_of_its_own(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    await bithu.say("/huy")
    demo.clock.advance(days=31)
    april = date(2026, 4, 2)
    assert await bithu.say("/xet") == intro(today=april)
    assert await bithu.say("1") == screen(no, AN, today=april)
    assert await bithu.say("1") == kept(no, AN) + screen(no, NGOC, today=april)
    assert [(r.period, r.decision) for r in await reviews(demo, AN)] == [("2026-03", "keep"), ("2026-04", "keep")]


async def test_cancelling_keeps_every_decision_already_made(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    assert await bithu.say("2") == moved(no, NGOC, "Cảm tình Đảng") + screen(no, SON)
    assert await bithu.say("/huy") == STOPPED  # not "nothing saved"
    assert (await this_month(demo, AN)).decision == "keep"
    assert (await this_month(demo, NGOC)).decision == "move_up"
    assert (await candidate(demo, NGOC)).stage == "sympathizer"
    assert await bithu.say("/ds") == ds(no, (AN, SON, XUAN), (NGOC, MINH, HA, KHOA))  # the flow is over


async def test_the_whole_walk_ends_with_a_summary_per_decision(talk, demo, no):
    bithu, _ = await begin(talk)
    said = []
    for answer in ["1", "2", "3", "Khác", "Bỏ học", "Đồng ý", "4", "1", "2", "1"]:
        said.append(await bithu.say(answer))
    assert said[:-1] == [
        kept(no, AN) + screen(no, NGOC), moved(no, NGOC, "Cảm tình Đảng") + screen(no, SON), reason_list(no, SON),
        typed_reason(no, SON), removal_confirm(no, SON, "Bỏ học"), removed(no, SON, "Bỏ học") + screen(no, XUAN),
        skipped(no, XUAN) + screen(no, MINH),
        kept(no, MINH) + screen(no, HA), moved(no, HA, "Học lớp nhận thức về Đảng") + screen(no, KHOA)]
    assert said[-1] == (
        kept(no, KHOA)
        + SUMMARY
        + f"- Chuyển lên bước sau: 2 người — {no[NGOC]}. Trần Thị Bích Ngọc (nay: Cảm tình Đảng); "
          f"{no[HA]}. Phạm Thu Hà (nay: Học lớp nhận thức về Đảng)\n"
          f"- Đưa ra khỏi danh sách: 1 người — {no[SON]}. Trịnh Công Sơn\n"
          f"- Giữ nguyên: 3 người — {no[AN]}. Nguyễn Văn An; {no[MINH]}. Lê Hoàng Minh; {no[KHOA]}. Đinh Văn Khoa\n"
          f"- Bỏ qua (chưa xét): 1 người — {no[XUAN]}. Vũ Thị Thanh Xuân\n"
        + SEE_LIST)  # no "Chưa tới lượt"; no one of another branch (Ngô Đức Thắng, Lý Thị Hồng)
    assert await bithu.say("/ds") == ds(  # the flow is over
        no, (AN, XUAN), (NGOC, MINH, KHOA), in_class=(HA, "Võ Thanh Tùng", "Lương Thị Mỹ"), count=12)


async def test_stopping_early_sums_up_and_says_who_is_left(talk, no):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    assert await bithu.say("Dừng, xem tóm tắt") == (
        SUMMARY
        + f"- Giữ nguyên: 1 người — {no[AN]}. Nguyễn Văn An\n"
          "- Chưa tới lượt: 6 người. Gõ /xet để xét tiếp (người đã xét sẽ hiện quyết định cũ).\n"
        + SEE_LIST)


async def test_a_person_moved_up_in_this_walk_is_not_shown_again(talk, no):
    bithu, _ = await begin(talk)
    said = [await bithu.say("2")]  # Nguyễn Văn An becomes a sympathizer
    for _ in range(6):
        said.append(await bithu.say("bỏ qua"))
    assert said[:-1] == [moved(no, AN, "Cảm tình Đảng") + screen(no, NGOC), skipped(no, NGOC) + screen(no, SON),
                         skipped(no, SON) + screen(no, XUAN), skipped(no, XUAN) + screen(no, MINH),
                         skipped(no, MINH) + screen(no, HA), skipped(no, HA) + screen(no, KHOA)]
    assert said[-1] == (
        skipped(no, KHOA)
        + SUMMARY
        + f"- Chuyển lên bước sau: 1 người — {no[AN]}. Nguyễn Văn An (nay: Cảm tình Đảng)\n"
          f"- Bỏ qua (chưa xét): 6 người — {no[NGOC]}. Trần Thị Bích Ngọc; {no[SON]}. Trịnh Công Sơn; "
          f"{no[XUAN]}. Vũ Thị Thanh Xuân; "
          f"{no[MINH]}. Lê Hoàng Minh; {no[HA]}. Phạm Thu Hà; {no[KHOA]}. Đinh Văn Khoa\n"
        + SEE_LIST)


async def test_another_command_or_going_back_keeps_the_place(talk, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("1") == kept(no, AN) + screen(no, NGOC)
    assert await bithu.say("/them") == (
        "Bạn đang làm dở một việc nên chưa thể chạy /them. Trả lời câu hỏi dưới đây, hoặc gõ /huy để hủy rồi chạy "
        "lệnh khác. Các lệnh chỉ để xem (/ds, /xem, /lop, /chitieu) thì dùng được ngay.\n"
        "\n"
        + screen(no, NGOC))  # the person on the screen again, without the note of the decision before
    listed = await bithu.say("/ds")  # reading answers, and the walk waits where it was
    assert listed == ds(no, (AN, NGOC, SON, XUAN), (MINH, HA, KHOA)) + "\n\n" + screen(no, NGOC)
    back = await bithu.say("quay lại")  # one question back: the person before
    assert back == screen(no, AN, reviewed="Giữ nguyên")
    assert await bithu.say("quay lại") == (  # nobody before: said, and the same person again
        "Không còn ai trước người này trong danh sách xét.\n" + screen(no, AN, reviewed="Giữ nguyên"))
    assert await bithu.say("1") == kept(no, AN)[:-1] + UPDATED + "\n" + screen(no, NGOC)


async def test_someone_changed_meanwhile_is_not_decided_on(talk, demo, no):
    bithu, _ = await begin(talk)
    an = await candidate(demo, AN)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(Candidate).where(Candidate.id == an.id).values(stage="dossier"))
    assert await bithu.say("1") == screen(no, NGOC, alone=True)  # no "Đã ghi", and nobody before her
    assert await this_month(demo, AN) is None


async def test_every_decision_is_audited_with_ids_only(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    assert await bithu.say("3") == reason_list(no, NGOC)
    assert await bithu.say("Tự xin rút") == removal_confirm(no, NGOC, "Tự xin rút")
    assert await bithu.say("Đồng ý") == removed(no, NGOC, "Tự xin rút") + screen(no, SON)
    async with demo.sessions() as session:
        rows = list(await session.exec(select(AuditLog).where(AuditLog.action == "candidate.review")))
    an, ngoc = await candidate(demo, AN), await candidate(demo, NGOC)
    assert sorted(r.subject for r in rows) == sorted([f"candidate:{an.id}", f"candidate:{ngoc.id}"])


async def test_a_branch_with_nobody_to_review_says_so_and_suggests_adding(talk, demo):
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        await session.exec(sa.update(Candidate).where(
            Candidate.branch_id == branch.id, Candidate.stage.in_(["source", "sympathizer"])).values(stage="removed"))
    bithu = talk("bithu")
    assert await bithu.say("/xet") == (
        "Chi bộ Trường THPT Trần Phú (demo) chưa có quần chúng ưu tú (nguồn) hay cảm tình Đảng nào để xét. "
        "Thêm nguồn mới: /them")
    assert await bithu.say("/huy") == "Không có việc gì đang làm dở để hủy. Gõ /trogiup để xem các lệnh."


async def test_the_deputy_may_review_too(talk, demo, no):
    async with demo.sessions() as session, session.begin():
        hung = (await session.exec(select(Person).where(Person.full_name == "Phan Văn Hùng"))).one()
        await link_chat(session=session, channel=CONSOLE, account_id="phobithu", person_id=hung.id,
                        now=demo.clock.now())
    deputy, first = await begin(talk, "phobithu")
    assert first == screen(no, AN)
    assert await deputy.say("1") == kept(no, AN) + screen(no, NGOC)
    assert (await this_month(demo, AN)).by_person_id == await person_id(demo, "Phan Văn Hùng")


@pytest.mark.parametrize("account, refusal, not_understood", [
    ("giupdo", NOT_ALLOWED, NOT_UNDERSTOOD), ("quanchung", NOT_ALLOWED, NOT_UNDERSTOOD),
    ("captren", NOT_ALLOWED, NOT_UNDERSTOOD), ("nguoila", NOT_LINKED, NOT_UNDERSTOOD_STRANGER),
])
async def test_others_are_refused_and_learn_no_names(talk, demo, account, refusal, not_understood, no):
    person = talk(account)
    said = [await person.say(text) for text in ["/xet", "1", "2", "/xetduyet", "bỏ qua"]]
    assert said == [refusal, not_understood, not_understood, refusal, not_understood]  # names no one
    assert await this_month(demo, AN) is None and await this_month(demo, NGOC) is None


# --- a removal: back one question at a time, a reason from the list, a confirmation (issue 12, #1)



async def at_son(talk, no):
    bithu, _ = await begin(talk)
    await bithu.say("bỏ qua")
    assert await bithu.say("bỏ qua") == (
        f"Đã bỏ qua {no[NGOC]}. Trần Thị Bích Ngọc (chưa xét tháng này).\n\n" + screen(no, SON))
    return bithu


async def test_back_at_the_reason_question_shows_the_same_person_and_the_next_answer_is_a_decision(talk, demo, no):
    bithu = await at_son(talk, no)
    assert await bithu.say("3") == reason_list(no, SON)
    assert await bithu.say("quay lại") == screen(no, SON)
    assert await bithu.say("giữ nguyên") == f"Đã ghi: {no[SON]}. Trịnh Công Sơn — giữ nguyên.\n\n" + screen(no, XUAN)
    assert (await candidate(demo, SON)).stage == "source"
    saved = await this_month(demo, SON)
    assert (saved.decision, saved.reason) == ("keep", None)


async def test_a_reason_is_chosen_from_the_list_and_confirmed_before_the_removal(talk, demo, no):
    bithu = await at_son(talk, no)
    await bithu.say("3")
    assert await bithu.say("3") == removal_confirm(no, SON, "Chuyển công tác/chuyển trường")
    assert (await candidate(demo, SON)).stage == "source" and await this_month(demo, SON) is None
    assert await bithu.say("Đồng ý") == (
        f"Đã đưa {no[SON]}. Trịnh Công Sơn ra khỏi danh sách (lý do: Chuyển công tác/chuyển trường).\n\n"
        + screen(no, XUAN))
    last = (await changes(demo, SON))[-1]
    assert (last.from_stage, last.to_stage, last.reason) == ("source", "removed", "Chuyển công tác/chuyển trường")
    saved = await this_month(demo, SON)
    assert (saved.decision, saved.reason) == ("remove", "Chuyển công tác/chuyển trường")


async def test_words_that_are_no_reason_on_the_list_remove_nobody(talk, demo, no):
    bithu = await at_son(talk, no)
    await bithu.say("3")
    assert await bithu.say("giữ nguyên") == (
        '"giữ nguyên" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        + reason_list(no, SON))
    assert await bithu.say("9") == (
        '"9" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        + reason_list(no, SON))
    assert (await candidate(demo, SON)).stage == "source" and await this_month(demo, SON) is None


async def test_another_reason_is_typed_after_choosing_other_and_back_steps_one_question_at_a_time(talk, demo, no):
    bithu = await at_son(talk, no)
    await bithu.say("3")
    assert await bithu.say("Khác") == typed_reason(no, SON)
    assert await bithu.say("Bỏ học, không liên lạc được") == removal_confirm(no, SON, "Bỏ học, không liên lạc được")
    assert await bithu.say("quay lại") == typed_reason(no, SON)
    assert await bithu.say("quay lại") == reason_list(no, SON)
    assert await bithu.say("quay lại") == screen(no, SON)
    assert await bithu.say("quay lại") == screen(no, NGOC)  # on a screen, back is the person before
    assert (await candidate(demo, SON)).stage == "source" and await this_month(demo, SON) is None


async def test_at_the_confirmation_the_reason_can_be_changed_or_the_decision_chosen_again(talk, demo, no):
    bithu = await at_son(talk, no)
    await bithu.say("3")
    await bithu.say("Tự xin rút")
    assert await bithu.say("Đổi lý do") == reason_list(no, SON)
    await bithu.say("1")
    assert await bithu.say("Chọn lại") == screen(no, SON)
    assert (await candidate(demo, SON)).stage == "source" and await this_month(demo, SON) is None
    await bithu.say("3")
    await bithu.say("1")
    assert await bithu.say("không biết") == (
        '"không biết" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        + removal_confirm(no, SON, "Không còn phấn đấu"))
    assert (await candidate(demo, SON)).stage == "source"
    assert await bithu.say("1") == removed(no, SON, "Không còn phấn đấu") + screen(no, XUAN)
    assert (await this_month(demo, SON)).reason == "Không còn phấn đấu"


async def test_everyone_left_is_kept_in_one_answer(talk, demo, no):
    bithu, _ = await begin(talk)
    # Nguyễn Văn An moves up; Trần Thị Bích Ngọc is next, with "6. Giữ nguyên tất cả những người còn lại"
    assert await bithu.say("2") == moved(no, AN, "Cảm tình Đảng") + screen(no, NGOC)
    assert await bithu.say("Giữ nguyên tất cả những người còn lại") == (
        "Đã ghi giữ nguyên cho 6 người còn lại.\n"
        "\n"
        + SUMMARY
        + f"- Chuyển lên bước sau: 1 người — {no[AN]}. Nguyễn Văn An (nay: Cảm tình Đảng)\n"
          f"- Giữ nguyên: 6 người — {no[NGOC]}. Trần Thị Bích Ngọc; {no[SON]}. Trịnh Công Sơn; "
          f"{no[XUAN]}. Vũ Thị Thanh Xuân; "
          f"{no[MINH]}. Lê Hoàng Minh; {no[HA]}. Phạm Thu Hà; {no[KHOA]}. Đinh Văn Khoa\n"
        + SEE_LIST)
    for name in (NGOC, SON, XUAN, MINH, HA, KHOA):
        assert (await this_month(demo, name)).decision == "keep"
    assert await bithu.say("/ds") == ds(no, (NGOC, SON, XUAN), (AN, MINH, HA, KHOA))  # the walk is over


async def test_the_last_person_has_no_batch_to_offer(talk, no):
    bithu, _ = await begin(talk)
    for _ in ORDER[:-1]:
        last = await bithu.say("bỏ qua")
    assert last == skipped(no, HA) + screen(no, KHOA)
    assert last.endswith("4. Bỏ qua\n5. Người trước\n6. Dừng, xem tóm tắt\n(Trả lời bằng số hoặc bằng chữ)")


# ---- the meeting's day (issue 13 item 6) -------------------------------------------------------

async def test_a_review_is_recorded_for_the_meeting_s_day_and_month(talk, demo, no):
    """A meeting on 27/02 typed in on 02/03: February's review, the move up dated 27/02."""
    bithu = talk("bithu")
    await bithu.say("/xet")
    held = date(2026, 2, 27)
    assert await bithu.say("27/02/2026") == screen(no, AN, held_on=held)
    assert await bithu.say("2") == moved(no, AN, "Cảm tình Đảng") + screen(no, NGOC, held_on=held)
    an = await candidate(demo, AN)
    assert (an.stage, an.stage_since) == ("sympathizer", held)
    assert [(c.to_stage, c.on) for c in await changes(demo, AN)][-1] == ("sympathizer", held)
    [saved] = await reviews_since(demo, AN, "2026-02")
    assert (saved.period, saved.decision, saved.held_on) == ("2026-02", "move_up", held)


async def test_the_meeting_s_day_is_never_in_the_future(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say("/xet")
    assert await bithu.say("3/3/2026") == "Ngày 03/03/2026 chưa tới (hôm nay là 02/03/2026).\n" + ask_on()
    assert await bithu.say("hôm nay") == screen(no, AN)


async def test_the_meeting_s_day_is_never_before_the_previous_review(talk, demo, no):
    bithu, _ = await begin(talk)  # today's meeting
    await bithu.say("1")
    await bithu.say("/huy")
    await bithu.say("/xet")
    assert await bithu.say("28/2/2026") == (
        "Ngày 28/02/2026 trước lần xét duyệt gần nhất của chi bộ (02/03/2026): một lần xét chỉ ghi từ ngày đó trở "
        "đi.\n" + ask_on())
    assert await bithu.say("2/3/2026") == screen(no, AN, reviewed="Giữ nguyên")  # the same meeting, resumed


async def test_a_review_recorded_before_the_day_was_asked_counts_from_its_month_s_first_day(talk, demo, no):
    """The demo's reviews are January's, recorded before chibo asked the day: a meeting in
    February is after them, one in December before."""
    bithu = talk("bithu")
    await bithu.say("/xet")
    assert await bithu.say("20/12/2025") == (
        "Ngày 20/12/2025 trước lần xét duyệt gần nhất của chi bộ (01/01/2026): một lần xét chỉ ghi từ ngày đó trở "
        "đi.\n" + ask_on())
    assert await bithu.say("1/2/2026") == screen(no, AN, held_on=date(2026, 2, 1))


async def test_a_person_gone_while_their_removal_is_asked_is_not_the_next_one_removed(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("3")  # An: the reasons
    an = await candidate(demo, AN)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(Candidate).where(Candidate.id == an.id).values(stage="dossier"))
    assert await bithu.say("1") == screen(no, NGOC, alone=True)  # not "Lý do" for Ngọc, nobody removed
    assert (await candidate(demo, NGOC)).stage == "source" and await this_month(demo, NGOC) is None


async def test_a_refused_move_is_said_and_the_same_person_asked_again(talk, demo, no):
    """A rule of the pipeline refuses (here: a meeting before the person's last change): the
    refusal as a retry message, then the same screen."""
    bithu = talk("bithu")
    await bithu.say("/xet")
    assert await bithu.say("1/2/2026") == screen(no, AN, held_on=date(2026, 2, 1))  # An a source since 10/02
    reply = await bithu.say("2")
    assert reply.endswith(screen(no, AN, held_on=date(2026, 2, 1)))
    assert reply.startswith("Ngày 01/02/2026 sớm hơn ngày người này bắt đầu giai đoạn hiện tại (10/02/2026).\n")
    assert (await candidate(demo, AN)).stage == "source"


async def reviews_since(chibo, name: str, period: str) -> list[MonthlyReview]:
    c = await candidate(chibo, name)
    async with chibo.sessions() as session:
        return list(await session.exec(select(MonthlyReview).where(
            MonthlyReview.candidate_id == c.id, MonthlyReview.period >= period).order_by(MonthlyReview.period)))


def masked(text: str) -> str:
    """A reply as a channel the branch does not allow shows it: initials, no birth year."""
    for name, year, *_ in PEOPLE.values():
        text = text.replace(f"{name} ({year})", initials(name)).replace(name, initials(name))
    return text.replace("Trần Văn Bình", "T.V.B.")


async def test_on_a_channel_the_branch_does_not_allow_the_people_are_initials(talk, demo, no):
    """Issue 16: on Telegram, which the branch does not allow, every screen of /xet names the
    people (and their sponsor) by initials and shows no birth year, down to the summary."""
    telegram = await on_telegram_not_allowed(demo)
    await telegram.dialog([
        ("/xet", INTRO),
        ("1", masked(screen(no, AN))),
        ("2", masked(moved(no, AN, SYMPATHIZER) + screen(no, NGOC))),
        ("3", masked(reason_list(no, NGOC))),
        ("4", masked(removal_confirm(no, NGOC, "Tự xin rút"))),
        ("Đồng ý", masked(removed(no, NGOC, "Tự xin rút") + screen(no, SON))),
        ("4", masked(skipped(no, SON) + screen(no, XUAN))),
        ("Giữ nguyên tất cả những người còn lại", "Đã ghi giữ nguyên cho 4 người còn lại.\n\n" + SUMMARY
         + f"- Chuyển lên bước sau: 1 người — {no[AN]}. N.V.A. (nay: Cảm tình Đảng)\n"
           f"- Đưa ra khỏi danh sách: 1 người — {no[NGOC]}. T.T.B.N.\n"
           f"- Giữ nguyên: 4 người — {no[XUAN]}. V.T.T.X.; {no[MINH]}. L.H.M.; {no[HA]}. P.T.H.; {no[KHOA]}. Đ.V.K.\n"
           f"- Bỏ qua (chưa xét): 1 người — {no[SON]}. T.C.S.\n"
         + SEE_LIST),
    ])
    assert "Tự xin rút" == (await this_month(demo, NGOC)).reason
