"""/xet: the monthly review walks every source and sympathizer, one screen each, saving as it goes."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.channels.console import CONSOLE
from bot.demo import BRANCH, CANDIDATES, SECOND
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.org import Organisation
from models.people import Person, link_chat
from models.review import MonthlyReview

NOT_LINKED = "chưa được liên kết"
NOT_ALLOWED = "không dành cho vai trò"
EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]
# The demo branch's walk: sources 1, 2, 9, 10, then sympathizers 3, 4, 11.
ORDER = [1, 2, 9, 10, 3, 4, 11]


async def candidate(chibo, number: int) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(Organisation.name == BRANCH, Candidate.number == number))).one()


async def reviews(chibo, number: int) -> list[MonthlyReview]:
    c = await candidate(chibo, number)
    async with chibo.sessions() as session:
        return list(await session.exec(select(MonthlyReview).where(  # the demo's own are January's
            MonthlyReview.candidate_id == c.id, MonthlyReview.period >= "2026-03").order_by(MonthlyReview.period)))


async def changes(chibo, number: int) -> list[StageChange]:
    c = await candidate(chibo, number)
    async with chibo.sessions() as session:
        return list(await session.exec(select(StageChange).where(StageChange.candidate_id == c.id)
                                       .order_by(StageChange.id)))


async def person_id(chibo, name: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(Person.id).where(Person.full_name == name))).first()


async def this_month(chibo, number: int) -> MonthlyReview | None:
    return next((r for r in await reviews(chibo, number) if r.period == "2026-03"), None)


async def begin(talk, account: str = "bithu"):
    convo = talk(account)
    await convo.say("/xet")
    first = await convo.say("1")
    return convo, first


async def test_the_intro_counts_who_is_to_be_reviewed(talk):
    intro = await talk("bithu").say("/xet")
    assert "Xét duyệt tháng 03/2026 — Chi bộ Trường THPT Trần Phú (demo)" in intro
    assert "7 người cần xét: 4 quần chúng ưu tú (nguồn), 3 cảm tình Đảng" in intro
    assert "1. Xem người đến lượt" in intro and "/huy" in intro
    assert "đã xét tháng này" not in intro  # the demo's reviews are January's


async def test_each_screen_shows_stage_since_last_checkin_and_sponsor(talk):
    _, first = await begin(talk)
    assert "người 1/7" in first and "1. Nguyễn Văn An (1998)" in first
    assert "Quần chúng ưu tú (nguồn), từ 10/02/2026 (20 ngày)" in first
    assert "Gặp gần nhất: chưa có lần gặp nào được ghi" in first
    assert "Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo 1)" in first
    for choice in ("1. Giữ nguyên", "2. Chuyển lên cảm tình Đảng", "3. Đưa ra khỏi danh sách", "4. Bỏ qua",
                   "5. Giữ nguyên tất cả những người còn lại", "6. Dừng, xem tóm tắt"):
        assert choice in first
    assert "Người trước" not in first  # nobody before the first


async def test_a_sympathizer_screen_shows_the_last_checkin_with_its_note(talk):
    bithu, _ = await begin(talk)
    for _ in range(3):
        await bithu.say("bỏ qua")
    minh = await bithu.say("bỏ qua")
    assert "người 5/7" in minh and "3. Lê Hoàng Minh" in minh and "Cảm tình Đảng, từ 22/12/2025 (70 ngày)" in minh
    assert 'Gặp gần nhất: 18/02/2026, Gặp trực tiếp, đánh giá: Tốt — "Tích cực trong công tác chuyên môn"' in minh
    assert "Đảng viên giúp đỡ: Trần Văn Bình" in minh
    assert "2. Đề nghị học lớp nhận thức về Đảng" in minh and "Người trước" in minh


async def test_keep_is_saved_at_once_and_the_next_person_follows(talk, demo):
    bithu, _ = await begin(talk)
    reply = await bithu.say("1")
    assert "Đã ghi: 1. Nguyễn Văn An — giữ nguyên." in reply and "2. Trần Thị Bích Ngọc" in reply
    saved = await this_month(demo, 1)
    assert (saved.decision, saved.reason, saved.by_person_id) == (
        "keep", None, await person_id(demo, "Nguyễn Thị Thu"))
    assert (await candidate(demo, 1)).stage == "source"


async def test_moving_up_a_source_makes_them_a_sympathizer_today(talk, demo):
    bithu, _ = await begin(talk)
    reply = await bithu.say("2")
    assert "Đã chuyển 1. Nguyễn Văn An sang: Cảm tình Đảng." in reply
    an = await candidate(demo, 1)
    assert (an.stage, an.stage_since.isoformat()) == ("sympathizer", "2026-03-02")
    last = (await changes(demo, 1))[-1]
    assert (last.from_stage, last.to_stage, last.on.isoformat(), last.by_person_id) == (
        "source", "sympathizer", "2026-03-02", await person_id(demo, "Nguyễn Thị Thu"))
    assert (await this_month(demo, 1)).decision == "move_up"


async def test_moving_up_a_sympathizer_proposes_them_for_the_class(talk, demo):
    bithu, _ = await begin(talk)
    for _ in range(4):
        await bithu.say("4")
    reply = await bithu.say("Đề nghị học lớp nhận thức về Đảng")
    assert "Đã chuyển 3. Lê Hoàng Minh sang: Học lớp nhận thức về Đảng." in reply
    assert (await candidate(demo, 3)).stage == "awareness_class"
    assert (await this_month(demo, 3)).decision == "move_up"


async def test_removing_asks_for_the_reason_and_records_it_with_the_stage_change(talk, demo):
    bithu, _ = await begin(talk)
    asked = await bithu.say("3")
    assert "Lý do đưa 1. Nguyễn Văn An ra khỏi danh sách?" in asked and "6. Chọn lại" in asked
    await bithu.say("Khác")
    await bithu.say("Chuyển vùng, không liên lạc được")
    assert (await candidate(demo, 1)).stage == "source"  # nothing yet
    done = await bithu.say("Đồng ý")
    assert "Đã đưa 1. Nguyễn Văn An ra khỏi danh sách (lý do: Chuyển vùng, không liên lạc được)" in done
    assert "2. Trần Thị Bích Ngọc" in done
    last = (await changes(demo, 1))[-1]
    assert (last.to_stage, last.reason) == ("removed", "Chuyển vùng, không liên lạc được")
    saved = await this_month(demo, 1)
    assert (saved.decision, saved.reason) == ("remove", "Chuyển vùng, không liên lạc được")


@pytest.mark.parametrize("typed, says", [
    ("", "Chưa có câu trả lời"),
    ("x" * 501, "dài quá: 501 ký tự, tối đa 500"),
    ("7", "bằng chữ"),
])
async def test_a_removal_reason_that_is_empty_too_long_or_a_number_is_asked_again(talk, demo, typed, says):
    bithu, _ = await begin(talk)
    await bithu.say("3")
    await bithu.say("Khác")
    reply = await bithu.say(typed)
    assert says in reply and "Xin gõ lý do đưa 1. Nguyễn Văn An ra khỏi danh sách" in reply
    assert (await candidate(demo, 1)).stage == "source" and await this_month(demo, 1) is None


async def test_choosing_again_instead_of_a_reason_changes_nothing(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("3")
    again = await bithu.say("Chọn lại")
    assert "người 1/7" in again and "1. Nguyễn Văn An" in again and "Quyết định cho Nguyễn Văn An?" in again
    assert (await candidate(demo, 1)).stage == "source" and await this_month(demo, 1) is None
    assert "Đã ghi: 1. Nguyễn Văn An — giữ nguyên." in await bithu.say("giữ nguyên")


@pytest.mark.parametrize("typed", ["xyz", "9", "đồng ý"])
async def test_an_unknown_choice_is_explained_and_the_same_person_asked_again(talk, demo, typed):
    bithu, _ = await begin(talk)
    reply = await bithu.say(typed)
    assert "không có trong các lựa chọn" in reply
    assert "người 1/7" in reply and "Quyết định cho Nguyễn Văn An?" in reply and "1. Giữ nguyên" in reply
    assert await this_month(demo, 1) is None
    assert "Đã ghi: 1. Nguyễn Văn An" in await bithu.say("1")


async def test_skip_records_nothing_and_moves_on(talk, demo):
    bithu, _ = await begin(talk)
    reply = await bithu.say("bỏ qua")
    assert "Đã bỏ qua 1. Nguyễn Văn An" in reply and "người 2/7" in reply and "2. Trần Thị Bích Ngọc" in reply
    assert await this_month(demo, 1) is None


async def test_the_previous_person_can_be_decided_again_and_the_review_is_updated(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("giữ nguyên")
    back = await bithu.say("Người trước")
    assert "người 1/7" in back and "Đã xét tháng này: Giữ nguyên" in back
    moved = await bithu.say("2")
    assert "(Trước đó tháng này đã xét: Giữ nguyên; nay đã cập nhật.)" in moved
    assert "người 2/7" in moved
    assert [(r.period, r.decision) for r in await reviews(demo, 1)] == [("2026-03", "move_up")]


async def test_redoing_the_review_in_the_same_month_shows_and_updates_the_earlier_decision(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    await bithu.say("/huy")
    demo.clock.advance(days=3)
    intro = await bithu.say("/xet")
    assert "1 người đã xét tháng này" in intro
    first = await bithu.say("1")
    assert "1. Nguyễn Văn An" in first and "Đã xét tháng này: Giữ nguyên. Chọn lại sẽ thay quyết định này." in first
    await bithu.say("3")
    await bithu.say("Khác")
    await bithu.say("Không còn tham gia")
    reply = await bithu.say("Đồng ý")
    assert "nay đã cập nhật" in reply
    saved = await reviews(demo, 1)
    assert [(r.period, r.decision, r.reason) for r in saved] == [("2026-03", "remove", "Không còn tham gia")]


async def test_the_next_month_is_a_review_of_its_own(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    await bithu.say("/huy")
    demo.clock.advance(days=31)
    intro = await bithu.say("/xet")
    assert "Xét duyệt tháng 04/2026" in intro and "đã xét tháng này" not in intro
    assert "Đã xét tháng này" not in await bithu.say("1")
    await bithu.say("1")
    assert [(r.period, r.decision) for r in await reviews(demo, 1)] == [("2026-03", "keep"), ("2026-04", "keep")]


async def test_cancelling_keeps_every_decision_already_made(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    await bithu.say("2")
    assert "vẫn được lưu" in await bithu.say("/huy")  # not "nothing saved"
    assert (await this_month(demo, 1)).decision == "keep"
    assert (await this_month(demo, 2)).decision == "move_up"
    assert (await candidate(demo, 2)).stage == "sympathizer"
    assert "Danh sách quần chúng" in await bithu.say("/ds")  # the flow is over


async def test_the_whole_walk_ends_with_a_summary_per_decision(talk, demo):
    bithu, _ = await begin(talk)
    said = []
    for answer in ["1", "2", "3", "Khác", "Bỏ học", "Đồng ý", "4", "1", "2", "1"]:
        said.append(await bithu.say(answer))
    summary = said[-1]
    assert "Đã ghi: 11. Đinh Văn Khoa — giữ nguyên." in summary
    assert "Tóm tắt xét duyệt tháng 03/2026:" in summary
    assert ("- Chuyển lên bước sau: 2 người — 2. Trần Thị Bích Ngọc (nay: Cảm tình Đảng); "
            "4. Phạm Thu Hà (nay: Học lớp nhận thức về Đảng)") in summary
    assert "- Đưa ra khỏi danh sách: 1 người — 9. Trịnh Công Sơn" in summary
    assert "- Giữ nguyên: 3 người — 1. Nguyễn Văn An; 3. Lê Hoàng Minh; 11. Đinh Văn Khoa" in summary
    assert "- Bỏ qua (chưa xét): 1 người — 10. Vũ Thị Thanh Xuân" in summary
    assert "Chưa tới lượt" not in summary
    assert not any(other in text for text in said for other in ("Ngô Đức Thắng", "Lý Thị Hồng"))
    assert "Danh sách quần chúng" in await bithu.say("/ds")  # the flow is over


async def test_stopping_early_sums_up_and_says_who_is_left(talk):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    summary = await bithu.say("Dừng, xem tóm tắt")
    assert "- Giữ nguyên: 1 người — 1. Nguyễn Văn An" in summary
    assert "- Chưa tới lượt: 6 người. Gõ /xet để xét tiếp" in summary


async def test_a_person_moved_up_in_this_walk_is_not_shown_again(talk):
    bithu, _ = await begin(talk)
    said = [await bithu.say("2")]  # Nguyễn Văn An becomes a sympathizer
    for _ in range(6):
        said.append(await bithu.say("bỏ qua"))
    assert not any("Quyết định cho Nguyễn Văn An" in s for s in said)
    assert "Tóm tắt" in said[-1]


async def test_another_command_or_going_back_keeps_the_place(talk):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    interrupted = await bithu.say("/them")
    assert "chưa thể chạy /them" in interrupted and "1. Xem người đến lượt" in interrupted
    listed = await bithu.say("/ds")  # reading answers, and the walk waits where it was
    assert "Danh sách quần chúng" in listed
    assert listed.endswith("1. Xem người đến lượt\n(Trả lời bằng số hoặc bằng chữ)")
    assert "người 2/7" in await bithu.say("1")
    back = await bithu.say("quay lại")  # one question back: the person before
    assert "người 1/7" in back and "Quyết định cho Nguyễn Văn An?" in back
    first = await bithu.say("quay lại")
    assert "câu hỏi đầu tiên" in first and "1. Xem người đến lượt" in first
    assert "Quyết định cho Nguyễn Văn An?" in await bithu.say("1")


async def test_someone_changed_meanwhile_is_not_decided_on(talk, demo):
    bithu, _ = await begin(talk)
    an = await candidate(demo, 1)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(Candidate).where(Candidate.id == an.id).values(stage="dossier"))
    reply = await bithu.say("1")
    assert "người 2/7" in reply and "Đã ghi" not in reply
    assert await this_month(demo, 1) is None


async def test_every_decision_is_audited_with_ids_only(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    await bithu.say("3")
    await bithu.say("Tự xin rút")
    await bithu.say("Đồng ý")
    async with demo.sessions() as session:
        rows = list(await session.exec(select(AuditLog).where(AuditLog.action == "candidate.review")))
    an, ngoc = await candidate(demo, 1), await candidate(demo, 2)
    assert sorted(r.subject for r in rows) == sorted([f"candidate:{an.id}", f"candidate:{ngoc.id}"])


async def test_a_branch_with_nobody_to_review_says_so_and_suggests_adding(talk, demo):
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        await session.exec(sa.update(Candidate).where(
            Candidate.branch_id == branch.id, Candidate.stage.in_(["source", "sympathizer"])).values(stage="removed"))
    bithu = talk("bithu")
    reply = await bithu.say("/xet")
    assert "chưa có quần chúng ưu tú (nguồn) hay cảm tình Đảng nào để xét" in reply and "/them" in reply
    assert "Không có việc" in await bithu.say("/huy")


async def test_the_deputy_may_review_too(talk, demo):
    async with demo.sessions() as session, session.begin():
        hung = (await session.exec(select(Person).where(Person.full_name == "Phan Văn Hùng"))).one()
        await link_chat(session=session, channel=CONSOLE, account_id="phobithu", person_id=hung.id,
                        now=demo.clock.now())
    deputy, first = await begin(talk, "phobithu")
    assert "1. Nguyễn Văn An" in first
    await deputy.say("1")
    assert (await this_month(demo, 1)).by_person_id == await person_id(demo, "Phan Văn Hùng")


@pytest.mark.parametrize("account, refusal", [
    ("giupdo", NOT_ALLOWED), ("quanchung", NOT_ALLOWED), ("captren", NOT_ALLOWED), ("nguoila", NOT_LINKED),
])
async def test_others_are_refused_and_learn_no_names(talk, demo, account, refusal):
    person = talk(account)
    said = [await person.say(text) for text in ["/xet", "1", "2", "/xetduyet", "bỏ qua"]]
    assert refusal in said[0] and refusal in said[3]
    for name in EVERY_NAME:
        assert not any(name in s for s in said), name
    assert await this_month(demo, 1) is None and await this_month(demo, 2) is None


# --- a removal: back one question at a time, a reason from the list, a confirmation (issue 12, #1)

FOOT = "(Trả lời bằng số hoặc bằng chữ)"
SCREEN_CHOICES = ("1. Giữ nguyên\n2. Chuyển lên cảm tình Đảng\n3. Đưa ra khỏi danh sách\n4. Bỏ qua\n"
                  "5. Người trước\n6. Giữ nguyên tất cả những người còn lại\n7. Dừng, xem tóm tắt\n" + FOOT)
REASONS = ("1. Không còn phấn đấu\n2. Vi phạm tư cách, đạo đức\n3. Chuyển công tác/chuyển trường\n"
           "4. Tự xin rút\n5. Khác (gõ lý do)\n6. Chọn lại\n" + FOOT)


def source_screen(position: int, number: int, name: str, year: int, since: str, days: int) -> str:
    return (f"Xét duyệt tháng 03/2026 · người {position}/7\n"
            f"{number}. {name} ({year})\n"
            f"- Giai đoạn: Quần chúng ưu tú (nguồn), từ {since} ({days} ngày)\n"
            "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
            f"- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo {number})\n\n"
            f"Quyết định cho {name}? Mỗi quyết định được lưu ngay khi chọn; /huy để dừng giữa chừng "
            "(những gì đã chọn vẫn được giữ).\n\n" + SCREEN_CHOICES)


SON = source_screen(3, 9, "Trịnh Công Sơn", 2008, "02/12/2025", 90)
NGOC = source_screen(2, 2, "Trần Thị Bích Ngọc", 2008, "16/01/2026", 45)
XUAN = source_screen(4, 10, "Vũ Thị Thanh Xuân", 1999, "26/01/2026", 35)
SON_REASON = ('Lý do đưa 9. Trịnh Công Sơn ra khỏi danh sách? Chọn một lý do (chọn "Khác" để tự gõ lý do), '
              'hoặc "Chọn lại" để quay về màn hình của người này. /huy để dừng (những gì đã chọn vẫn được giữ).'
              "\n\n" + REASONS)
SON_OTHER = ('Xin gõ lý do đưa 9. Trịnh Công Sơn ra khỏi danh sách (tối đa 500 ký tự). "Quay lại" để chọn '
             "lý do trong danh sách; /huy để dừng (những gì đã chọn vẫn được giữ).\n\n1. Chọn lại\n" + FOOT)


def son_confirm(why: str) -> str:
    return (f"Đưa 9. Trịnh Công Sơn ra khỏi danh sách, lý do: {why}?\n"
            'Chọn "Đồng ý" để lưu, "Đổi lý do" để chọn lý do khác, hoặc "Chọn lại" để quay về màn hình '
            "của người này.\n\n1. Đồng ý\n2. Đổi lý do\n3. Chọn lại\n" + FOOT)


async def at_son(talk):
    bithu, _ = await begin(talk)
    await bithu.say("bỏ qua")
    assert await bithu.say("bỏ qua") == "Đã bỏ qua 2. Trần Thị Bích Ngọc (chưa xét tháng này).\n\n" + SON
    return bithu


async def test_back_at_the_reason_question_shows_the_same_person_and_the_next_answer_is_a_decision(talk, demo):
    bithu = await at_son(talk)
    assert await bithu.say("3") == SON_REASON
    assert await bithu.say("quay lại") == SON
    assert await bithu.say("giữ nguyên") == "Đã ghi: 9. Trịnh Công Sơn — giữ nguyên.\n\n" + XUAN
    assert (await candidate(demo, 9)).stage == "source"
    saved = await this_month(demo, 9)
    assert (saved.decision, saved.reason) == ("keep", None)


async def test_a_reason_is_chosen_from_the_list_and_confirmed_before_the_removal(talk, demo):
    bithu = await at_son(talk)
    await bithu.say("3")
    assert await bithu.say("3") == son_confirm("Chuyển công tác/chuyển trường")
    assert (await candidate(demo, 9)).stage == "source" and await this_month(demo, 9) is None
    assert await bithu.say("Đồng ý") == (
        "Đã đưa 9. Trịnh Công Sơn ra khỏi danh sách (lý do: Chuyển công tác/chuyển trường).\n\n" + XUAN)
    last = (await changes(demo, 9))[-1]
    assert (last.from_stage, last.to_stage, last.reason) == ("source", "removed", "Chuyển công tác/chuyển trường")
    saved = await this_month(demo, 9)
    assert (saved.decision, saved.reason) == ("remove", "Chuyển công tác/chuyển trường")


async def test_words_that_are_no_reason_on_the_list_remove_nobody(talk, demo):
    bithu = await at_son(talk)
    await bithu.say("3")
    assert await bithu.say("giữ nguyên") == (
        '"giữ nguyên" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        + SON_REASON)
    assert await bithu.say("9") == (
        '"9" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        + SON_REASON)
    assert (await candidate(demo, 9)).stage == "source" and await this_month(demo, 9) is None


async def test_another_reason_is_typed_after_choosing_other_and_back_steps_one_question_at_a_time(talk, demo):
    bithu = await at_son(talk)
    await bithu.say("3")
    assert await bithu.say("Khác") == SON_OTHER
    assert await bithu.say("Bỏ học, không liên lạc được") == son_confirm("Bỏ học, không liên lạc được")
    assert await bithu.say("quay lại") == SON_OTHER
    assert await bithu.say("quay lại") == SON_REASON
    assert await bithu.say("quay lại") == SON
    assert await bithu.say("quay lại") == NGOC  # on a screen, back is the person before
    assert (await candidate(demo, 9)).stage == "source" and await this_month(demo, 9) is None


async def test_at_the_confirmation_the_reason_can_be_changed_or_the_decision_chosen_again(talk, demo):
    bithu = await at_son(talk)
    await bithu.say("3")
    await bithu.say("Tự xin rút")
    assert await bithu.say("Đổi lý do") == SON_REASON
    await bithu.say("1")
    assert await bithu.say("Chọn lại") == SON
    assert (await candidate(demo, 9)).stage == "source" and await this_month(demo, 9) is None
    await bithu.say("3")
    await bithu.say("1")
    assert await bithu.say("không biết") == (
        '"không biết" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        + son_confirm("Không còn phấn đấu"))
    assert (await candidate(demo, 9)).stage == "source"
    assert (await bithu.say("1")).startswith("Đã đưa 9. Trịnh Công Sơn ra khỏi danh sách (lý do: Không còn phấn đấu).")
    assert (await this_month(demo, 9)).reason == "Không còn phấn đấu"


async def test_everyone_left_is_kept_in_one_answer(talk, demo):
    bithu, _ = await begin(talk)
    screen = await bithu.say("2")  # 1. Nguyễn Văn An moves up; 2. Trần Thị Bích Ngọc is next
    assert "6. Giữ nguyên tất cả những người còn lại\n7. Dừng, xem tóm tắt" in screen
    summary = await bithu.say("Giữ nguyên tất cả những người còn lại")
    assert summary.startswith("Đã ghi giữ nguyên cho 6 người còn lại.\n\nTóm tắt xét duyệt tháng 03/2026:")
    assert ("- Giữ nguyên: 6 người — 2. Trần Thị Bích Ngọc; 9. Trịnh Công Sơn; 10. Vũ Thị Thanh Xuân; "
            "3. Lê Hoàng Minh; 4. Phạm Thu Hà; 11. Đinh Văn Khoa") in summary
    assert "- Chuyển lên bước sau: 1 người — 1. Nguyễn Văn An" in summary
    for number in (2, 9, 10, 3, 4, 11):
        assert (await this_month(demo, number)).decision == "keep"
    assert "Danh sách quần chúng" in await bithu.say("/ds")  # the walk is over


async def test_the_last_person_has_no_batch_to_offer(talk):
    bithu, _ = await begin(talk)
    for _ in ORDER[:-1]:
        screen = await bithu.say("bỏ qua")
    assert "11. Đinh Văn Khoa" in screen and "Giữ nguyên tất cả" not in screen
