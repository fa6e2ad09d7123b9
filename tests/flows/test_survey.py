"""/quy: the quarterly survey of the source pool — an assessment per source, the inactive dropped."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.org import Organisation
from models.people import Person
from models.privacy import initials
from models.review import SourceSurvey
from tests.support import numbers_of
from tests.flows.test_members import on_telegram_not_allowed

NOT_LINKED = ("Tài khoản này chưa được liên kết với chibo nên chưa dùng được lệnh này. Xin bí thư chi bộ một mã mời "
              "rồi gõ: /start MÃ-MỜI")
NOT_ALLOWED = "Lệnh này không dành cho vai trò của bạn. Gõ /trogiup để xem các lệnh bạn dùng được."
PUZZLED = "chibo chưa hiểu tin nhắn này. Gõ /trogiup để xem các lệnh bạn dùng được."
PUZZLED_STRANGER = "chibo chưa hiểu tin nhắn này. Nếu bạn có mã mời, gõ: /start MÃ-MỜI. Gõ /trogiup để được hướng dẫn."
FOOT = "(Trả lời bằng số hoặc bằng chữ)"
KEPT = "/huy để dừng giữa chừng (những gì đã chọn vẫn được giữ)."
STOPPED = "Đã dừng khảo sát. Những đánh giá đã chọn trước đó vẫn được lưu; gõ /quy để tiếp tục."
# The demo branch's sources (not its sympathizers, who are not surveyed), in the order surveyed, their register
# numbers looked up by name (the `no` fixture): name: (name, birth year, category, a source since)
AN, NGOC, SON, XUAN = "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Trịnh Công Sơn", "Vũ Thị Thanh Xuân"
# the others /ds shows
MINH, HA, KHOA, TUNG, MY = "Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa", "Võ Thanh Tùng", "Lương Thị Mỹ"
LAN, HUY, DUC, ANH = "Đặng Ngọc Lan", "Bùi Quốc Huy", "Tạ Minh Đức", "Hoàng Mai Anh"
SOURCES = {AN: ("Nguyễn Văn An", 1998, "Giáo viên, giảng viên", "10/02/2026"),
           NGOC: ("Trần Thị Bích Ngọc", 2008, "Học sinh, sinh viên", "16/01/2026"),
           SON: ("Trịnh Công Sơn", 2008, "Học sinh, sinh viên", "02/12/2025"),
           XUAN: ("Vũ Thị Thanh Xuân", 1999, "Giáo viên, giảng viên", "26/01/2026")}


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register number of each demo candidate named here, looked up by name."""
    return await numbers_of(demo, (AN, NGOC, SON, XUAN, MINH, HA, KHOA, TUNG, MY, LAN, HUY,
                                                           DUC, ANH))


def who(no: dict[str, int], key: str) -> str:
    """A source as replies name them: register number and name."""
    return f"{no[key]}. {key}"


def intro(quarter: int = 1, assessed: str = "") -> str:
    """The survey's opening, then (no "start" to choose first) the first source's screen."""
    return (f"Khảo sát nguồn quý {quarter}/2026 — Chi bộ Trường THPT Trần Phú (demo)\n"
            f"4 quần chúng ưu tú (nguồn) cần đánh giá.{assessed}\n"
            "\n"
            "Mỗi người một màn hình: chọn Tốt, Khá, Trung bình, Chưa đạt, hoặc gõ lời nhận xét của chi bộ (tối đa 40 "
            "ký tự); người không còn tích cực thì đưa ra khỏi danh sách. Cuối cùng chibo tóm tắt kết quả.\n"
            "\n")


def screen(no: dict[str, int], key: str, days: int, *, quarter: int = 1, earlier: str | None = None,
           alone: bool = False) -> str:
    """One source's screen: who, since when (days), whom they last met, and the assessments to choose;
    "Người trước" while someone before them is still in the walk (not `alone`)."""
    name, year, category, since = SOURCES[key]
    number = no[key]
    position = list(SOURCES).index(key) + 1
    return (f"Khảo sát nguồn quý {quarter}/2026 · người {position}/4\n"
            f"{number}. {name} ({year}) · {category} · đoàn viên\n"
            f"- Là nguồn từ {since} ({days} ngày)\n"
            "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
            f"- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo {number})\n"
            + (f"- Đã đánh giá quý này: {earlier}. Chọn lại sẽ thay đánh giá này.\n" if earlier else "")
            + "\n"
            f"Đánh giá {name}? Chọn một mức, hoặc gõ lời nhận xét ngắn (tối đa 40 ký tự). Mỗi đánh giá "
            "được lưu ngay; " + KEPT + "\n"
            "\n"
            "1. Tốt\n"
            "2. Khá\n"
            "3. Trung bình\n"
            "4. Chưa đạt\n"
            "5. Đưa ra khỏi danh sách\n"
            "6. Bỏ qua\n"
            + ("7. Người trước\n8. Dừng, xem tóm tắt\n" if position > 1 and not alone else "7. Dừng, xem tóm tắt\n")
            + FOOT)




def reason_question(who: str) -> str:
    return (f'Lý do đưa {who} ra khỏi danh sách nguồn? Chọn một lý do (chọn "Khác" để tự gõ lý do), '
            'hoặc "Chọn lại" để quay về màn hình của người này. /huy để dừng (những gì đã chọn vẫn được giữ).\n'
            "\n"
            "1. Không còn tích cực\n"
            "2. Không còn phấn đấu\n"
            "3. Vi phạm tư cách, đạo đức\n"
            "4. Chuyển công tác/chuyển trường\n"
            "5. Tự xin rút\n"
            "6. Khác (gõ lý do)\n"
            "7. Chọn lại\n"
            + FOOT)


INACTIVE = "Không còn tích cực, theo khảo sát nguồn hằng quý"  # the reason "1. Không còn tích cực", as saved


def confirm(who: str, why: str) -> str:
    return (f"Đưa {who} ra khỏi danh sách nguồn, lý do: {why}?\n"
            'Chọn "Đồng ý" để lưu, "Đổi lý do" để chọn lý do khác, hoặc "Chọn lại" để quay về màn hình '
            "của người này.\n"
            "\n"
            "1. Đồng ý\n"
            "2. Đổi lý do\n"
            "3. Chọn lại\n"
            + FOOT)


def recorded(who: str, what: str) -> str:
    return f"Đã ghi: {who} — {what}.\n\n"


def dropped(who: str, why: str) -> str:
    return f"Đã đưa {who} ra khỏi danh sách nguồn (lý do: {why}).\n\n"


def not_a_choice(says: str) -> str:
    return f'"{says}" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'


async def candidate(chibo, name: str) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(Organisation.name == BRANCH, Candidate.full_name == name))).one()


async def surveys(chibo, name: str) -> list[SourceSurvey]:
    c = await candidate(chibo, name)
    async with chibo.sessions() as session:
        return list(await session.exec(select(SourceSurvey).where(SourceSurvey.candidate_id == c.id)
                                       .order_by(SourceSurvey.period)))


async def begin(talk, account: str = "bithu"):
    """/quy: the opening and the first screen; returns the first screen."""
    convo = talk(account)
    reply = await convo.say("/quy")
    assert reply.startswith(intro())
    return convo, reply[len(intro()):]


async def test_the_intro_counts_the_sources(talk, no):
    assert await talk("bithu").say("/quy") == intro() + screen(no, AN, 20)


async def test_a_screen_shows_the_source_and_the_assessments_to_choose(talk, no):
    _, first = await begin(talk)
    assert first == screen(no, AN, 20)  # the first one: no "Người trước"


async def test_an_assessment_is_saved_for_the_quarter(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("2") == recorded(who(no, AN), "Khá") + screen(no, NGOC, 45)
    [saved] = await surveys(demo, AN)
    assert (saved.period, saved.assessment, saved.note) == ("2026-Q1", "fair", None)
    async with demo.sessions() as session:
        bithu_id = (await session.exec(select(Person.id).where(Person.full_name == "Nguyễn Thị Thu"))).first()
    assert saved.by_person_id == bithu_id
    assert (await candidate(demo, AN)).stage == "source"


async def test_the_branch_s_own_words_are_kept_as_typed(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("Tích cực, cần rèn thêm") == (
        recorded(who(no, AN), "Tích cực, cần rèn thêm") + screen(no, NGOC, 45))
    assert [s.assessment for s in await surveys(demo, AN)] == ["Tích cực, cần rèn thêm"]


async def test_words_longer_than_40_characters_are_asked_again(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("a" * 41) == "Câu trả lời dài quá: 41 ký tự, tối đa 40.\n" + screen(no, AN, 20)
    assert await surveys(demo, AN) == []
    assert await bithu.say("a" * 40) == (
        f"Đã ghi: {no[AN]}. Nguyễn Văn An — {'a' * 40}.\n"
        "\n"
        "Khảo sát nguồn quý 1/2026 · người 2/4\n"
        f"{no[NGOC]}. Trần Thị Bích Ngọc (2008) · Học sinh, sinh viên · đoàn viên\n"
        "- Là nguồn từ 16/01/2026 (45 ngày)\n"
        "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
        f"- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo {no[NGOC]})\n"
        "\n"
        "Đánh giá Trần Thị Bích Ngọc? Chọn một mức, hoặc gõ lời nhận xét ngắn (tối đa 40 ký tự). Mỗi đánh giá "
        "được lưu ngay; /huy để dừng giữa chừng (những gì đã chọn vẫn được giữ).\n"
        "\n"
        "1. Tốt\n"
        "2. Khá\n"
        "3. Trung bình\n"
        "4. Chưa đạt\n"
        "5. Đưa ra khỏi danh sách\n"
        "6. Bỏ qua\n"
        "7. Người trước\n"
        "8. Dừng, xem tóm tắt\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    [saved] = await surveys(demo, AN)
    assert (saved.period, saved.assessment) == ("2026-Q1", "a" * 40)


@pytest.mark.parametrize("typed, why", [
    ("9", not_a_choice("9")), ("0", not_a_choice("0")), ("", "Chưa có câu trả lời.\n")])
async def test_a_number_that_is_no_choice_is_asked_again(talk, demo, typed, why, no):
    bithu, _ = await begin(talk)
    assert await bithu.say(typed) == why + screen(no, AN, 20)
    assert await surveys(demo, AN) == []


async def test_dropping_the_inactive_removes_them_with_the_reason(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("5") == reason_question(who(no, AN))
    assert await bithu.say("1") == confirm(who(no, AN), INACTIVE)
    assert (await candidate(demo, AN)).stage == "source"  # not before the confirmation
    assert await bithu.say("Đồng ý") == dropped(who(no, AN), INACTIVE) + screen(no, NGOC, 45, alone=True)
    an = await candidate(demo, AN)
    assert an.stage == "removed"
    async with demo.sessions() as session:
        last = (await session.exec(select(StageChange).where(StageChange.candidate_id == an.id)
                                   .order_by(StageChange.id.desc()))).first()
    assert (last.from_stage, last.to_stage, last.reason) == ("source", "removed", INACTIVE)
    [saved] = await surveys(demo, AN)
    assert (saved.assessment, saved.note) == ("poor", INACTIVE)


async def test_a_drop_may_give_its_own_reason_or_be_taken_back(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("Đưa ra khỏi danh sách") == reason_question(who(no, AN))
    assert await bithu.say("Chọn lại") == screen(no, AN, 20)
    assert (await candidate(demo, AN)).stage == "source"
    assert await bithu.say("5") == reason_question(who(no, AN))
    assert await bithu.say("Khác") == (
        f'Xin gõ lý do đưa {no[AN]}. Nguyễn Văn An ra khỏi danh sách nguồn (tối đa 500 ký tự). "Quay lại" để chọn '
        "lý do trong danh sách; /huy để dừng (những gì đã chọn vẫn được giữ).\n"
        "\n"
        "1. Chọn lại\n"
        + FOOT)
    assert await bithu.say("Đã chuyển công tác nơi khác") == confirm(who(no, AN), "Đã chuyển công tác nơi khác")
    assert await bithu.say("Đồng ý") == (
        dropped(who(no, AN), "Đã chuyển công tác nơi khác") + screen(no, NGOC, 45, alone=True))
    assert [s.note for s in await surveys(demo, AN)] == ["Đã chuyển công tác nơi khác"]


async def test_redoing_the_survey_in_the_same_quarter_updates_it(talk, demo, no):
    bithu, _ = await begin(talk)
    assert await bithu.say("Tốt") == recorded(who(no, AN), "Tốt") + screen(no, NGOC, 45)
    assert await bithu.say("/huy") == STOPPED
    demo.clock.advance(days=20)
    assert await bithu.say("/quy") == intro(
        assessed=" 1 người đã được đánh giá quý này: đánh giá lại sẽ thay đánh giá cũ.") + screen(
        no, AN, 40, earlier="Tốt")
    assert await bithu.say("trung binh") == (
        f"Đã ghi: {no[AN]}. Nguyễn Văn An — Trung bình.\n"
        "(Trước đó quý này đã đánh giá: Tốt; nay đã cập nhật.)\n"
        "\n"
        + screen(no, NGOC, 65))
    assert [(s.period, s.assessment) for s in await surveys(demo, AN)] == [("2026-Q1", "average")]


async def test_the_next_quarter_is_a_survey_of_its_own(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    await bithu.say("/huy")
    demo.clock.advance(days=31)  # 2 April 2026
    # nobody assessed yet this quarter
    assert await bithu.say("/quy") == intro(quarter=2) + screen(no, AN, 51, quarter=2)
    assert await bithu.say("2") == recorded(who(no, AN), "Khá") + screen(no, NGOC, 76, quarter=2)
    assert [(s.period, s.assessment) for s in await surveys(demo, AN)] == [("2026-Q1", "good"), ("2026-Q2", "fair")]


async def test_the_survey_ends_with_a_summary_and_skips_sympathizers(talk, demo, no):
    # Only the four sources come, one after another: no sympathizer (Lê Hoàng Minh, Phạm Thu Hà, Đinh Văn Khoa),
    # nobody of the other branch (Ngô Đức Thắng, Lý Thị Hồng).
    bithu, _ = await begin(talk)
    assert await bithu.say("1") == recorded(who(no, AN), "Tốt") + screen(no, NGOC, 45)
    assert await bithu.say("Chăm chỉ") == recorded(who(no, NGOC), "Chăm chỉ") + screen(no, SON, 90)
    assert await bithu.say("bỏ qua") == (
        f"Đã bỏ qua {no[SON]}. Trịnh Công Sơn (chưa đánh giá quý này).\n"
        "\n"
        + screen(no, XUAN, 35))
    assert await bithu.say("5") == reason_question(who(no, XUAN))
    assert await bithu.say("1") == confirm(who(no, XUAN), INACTIVE)
    assert await bithu.say("Đồng ý") == (
        dropped(who(no, XUAN), INACTIVE)
        + "Tóm tắt khảo sát nguồn quý 1/2026:\n"
        f"- Đưa ra khỏi danh sách: 1 người — {no[XUAN]}. Vũ Thị Thanh Xuân\n"
        f"- Tốt: 1 người — {no[AN]}. Nguyễn Văn An\n"
        f'- "Chăm chỉ": 1 người — {no[NGOC]}. Trần Thị Bích Ngọc\n'
        f"- Bỏ qua (chưa đánh giá): 1 người — {no[SON]}. Trịnh Công Sơn\n"
        "Xem danh sách: /ds")
    assert await surveys(demo, SON) == []
    assert await bithu.say("/ds") == (  # the survey is over: chibo takes commands again; Vũ Thị Thanh Xuân is gone
        "Danh sách quần chúng và đảng viên dự bị (12 người):\n"
        "\n"
        "Quần chúng ưu tú (nguồn):\n"
        f"{no[AN]}. Nguyễn Văn An (1998)\n"
        f"{no[NGOC]}. Trần Thị Bích Ngọc (2008)\n"
        f"{no[SON]}. Trịnh Công Sơn (2008)\n"
        "\n"
        "Cảm tình Đảng:\n"
        f"{no[MINH]}. Lê Hoàng Minh (1995)\n"
        f"{no[HA]}. Phạm Thu Hà (2000)\n"
        f"{no[KHOA]}. Đinh Văn Khoa (1988)\n"
        "\n"
        "Học lớp nhận thức về Đảng:\n"
        f"{no[TUNG]}. Võ Thanh Tùng (1990)\n"
        f"{no[MY]}. Lương Thị Mỹ (2001)\n"
        "\n"
        "Đang làm hồ sơ:\n"
        f"{no[LAN]}. Đặng Ngọc Lan (1997)\n"
        "\n"
        "Đã đề nghị kết nạp:\n"
        f"{no[HUY]}. Bùi Quốc Huy (1993)\n"
        "\n"
        "Có quyết định kết nạp:\n"
        f"{no[DUC]}. Tạ Minh Đức (1994)\n"
        "\n"
        "Đảng viên dự bị:\n"
        f"{no[ANH]}. Hoàng Mai Anh (1996)\n"
        "\n"
        "Xem một người: /xem SỐ hoặc /xem TÊN")


async def test_stopping_early_says_who_is_left(talk, no):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    assert await bithu.say("Dừng") == (
        "Tóm tắt khảo sát nguồn quý 1/2026:\n"
        f"- Tốt: 1 người — {no[AN]}. Nguyễn Văn An\n"
        "- Chưa tới lượt: 3 người. Gõ /quy để khảo sát tiếp (người đã đánh giá sẽ hiện đánh giá cũ).\n"
        "Xem danh sách: /ds")


async def test_cancelling_keeps_what_was_assessed(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    assert await bithu.say("/huy") == STOPPED
    assert [s.assessment for s in await surveys(demo, AN)] == ["good"]


async def test_each_assessment_is_audited(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    an = await candidate(demo, AN)
    async with demo.sessions() as session:
        subjects = list(await session.exec(select(AuditLog.subject).where(AuditLog.action == "candidate.review")))
    assert subjects == [f"candidate:{an.id}"]


async def test_no_sources_says_so_and_suggests_adding(talk, demo):
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        await session.exec(sa.update(Candidate).where(
            Candidate.branch_id == branch.id, Candidate.stage == "source").values(stage="sympathizer"))
    bithu = talk("bithu")
    assert await bithu.say("/quy") == (
        "Chi bộ Trường THPT Trần Phú (demo) chưa có quần chúng ưu tú (nguồn) nào để khảo sát. Thêm nguồn mới: /them")
    assert await bithu.say("/huy") == "Không có việc gì đang làm dở để hủy. Gõ /trogiup để xem các lệnh."


@pytest.mark.parametrize("account, refusal, puzzled", [
    ("giupdo", NOT_ALLOWED, PUZZLED), ("quanchung", NOT_ALLOWED, PUZZLED), ("captren", NOT_ALLOWED, PUZZLED),
    ("nguoila", NOT_LINKED, PUZZLED_STRANGER),
])
async def test_others_are_refused_and_learn_no_names(talk, demo, account, refusal, puzzled, no):
    person = talk(account)
    said = [await person.say(text) for text in ["/quy", "1", "Tốt", "/khaosat"]]
    assert said == [refusal, puzzled, puzzled, refusal]  # no names
    assert await surveys(demo, AN) == []


# --- a removal: a reason from the list, a confirmation, back one question (issue 12, #1)

async def test_text_at_the_reason_question_removes_nobody(talk, demo, no):
    bithu, first = await begin(talk)
    assert first == screen(no, AN, 20)
    assert await bithu.say("Đưa ra khỏi danh sách") == reason_question(who(no, AN))
    assert await bithu.say("Tốt") == not_a_choice("Tốt") + reason_question(who(no, AN))
    assert (await candidate(demo, AN)).stage == "source" and await surveys(demo, AN) == []


async def test_a_drop_names_its_reason_and_is_confirmed_before_the_removal(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("5")
    assert await bithu.say("Tự xin rút") == confirm(who(no, AN), "Tự xin rút")
    assert (await candidate(demo, AN)).stage == "source" and await surveys(demo, AN) == []
    assert await bithu.say("1") == dropped(who(no, AN), "Tự xin rút") + screen(no, NGOC, 45, alone=True)
    [saved] = await surveys(demo, AN)
    assert (saved.assessment, saved.note) == ("poor", "Tự xin rút")
    assert (await candidate(demo, AN)).stage == "removed"


async def test_back_goes_one_question_back_from_the_confirmation_to_the_screen(talk, demo, no):
    bithu, _ = await begin(talk)
    await bithu.say("5")
    await bithu.say("1")
    assert await bithu.say("quay lại") == reason_question(who(no, AN))
    assert await bithu.say("quay lại") == screen(no, AN, 20)
    assert await bithu.say("Khá") == f"Đã ghi: {no[AN]}. Nguyễn Văn An — Khá.\n\n" + screen(no, NGOC, 45)
    [saved] = await surveys(demo, AN)
    assert (saved.assessment, saved.note) == ("fair", None)
    assert (await candidate(demo, AN)).stage == "source"


def masked(text: str) -> str:
    """A reply as a channel the branch does not allow shows it: initials, no birth year."""
    for name, year, _, _ in SOURCES.values():
        text = text.replace(f"{name} ({year})", initials(name)).replace(name, initials(name))
    return text


async def test_on_a_channel_the_branch_does_not_allow_the_sources_are_initials(talk, demo, no):
    """Issue 16: on Telegram, which the branch does not allow, every screen of /quy names the
    sources by initials and shows no birth year; the console keeps the full names."""
    telegram = await on_telegram_not_allowed(demo)
    await telegram.dialog([
        ("/quy", intro() + masked(screen(no, AN, 20))),
        ("2", recorded(f"{no[AN]}. N.V.A.", "Khá") + masked(screen(no, NGOC, 45))),
        ("5", reason_question(f"{no[NGOC]}. T.T.B.N.")),
        ("1", confirm(f"{no[NGOC]}. T.T.B.N.", INACTIVE)),
        ("Đồng ý", dropped(f"{no[NGOC]}. T.T.B.N.", INACTIVE) + masked(screen(no, SON, 90))),
        ("Dừng", "Tóm tắt khảo sát nguồn quý 1/2026:\n"
                 f"- Đưa ra khỏi danh sách: 1 người — {no[NGOC]}. T.T.B.N.\n"
                 f"- Khá: 1 người — {no[AN]}. N.V.A.\n"
                 "- Chưa tới lượt: 2 người. Gõ /quy để khảo sát tiếp (người đã đánh giá sẽ hiện đánh giá cũ).\n"
                 "Xem danh sách: /ds"),
    ])
    assert await talk("bithu").say("/quy") == (  # the console: always allowed; Ngọc no longer a source
        intro(assessed=" 1 người đã được đánh giá quý này: đánh giá lại sẽ thay đánh giá cũ.")
        + screen(no, AN, 20, earlier="Khá")).replace("4 quần chúng", "3 quần chúng").replace("người 1/4", "người 1/3")
