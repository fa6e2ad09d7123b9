"""/quy: the quarterly survey of the source pool — an assessment per source, the inactive dropped."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, CANDIDATES, SECOND
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.org import Organisation
from models.people import Person
from models.review import SourceSurvey

NOT_LINKED = "chưa được liên kết"
NOT_ALLOWED = "không dành cho vai trò"
EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]
# The demo branch's sources: 1, 2, 9, 10 (3, 4, 11 are sympathizers and not surveyed).


async def candidate(chibo, number: int) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(Organisation.name == BRANCH, Candidate.number == number))).one()


async def surveys(chibo, number: int) -> list[SourceSurvey]:
    c = await candidate(chibo, number)
    async with chibo.sessions() as session:
        return list(await session.exec(select(SourceSurvey).where(SourceSurvey.candidate_id == c.id)
                                       .order_by(SourceSurvey.period)))


async def begin(talk, account: str = "bithu"):
    convo = talk(account)
    await convo.say("/quy")
    return convo, await convo.say("1")


async def test_the_intro_counts_the_sources(talk):
    intro = await talk("bithu").say("/quy")
    assert "Khảo sát nguồn quý 1/2026 — Chi bộ Trường THPT Trần Phú (demo)" in intro
    assert "4 quần chúng ưu tú (nguồn) cần đánh giá." in intro and "1. Xem người đến lượt" in intro


async def test_a_screen_shows_the_source_and_the_assessments_to_choose(talk):
    _, first = await begin(talk)
    assert "người 1/4" in first and "1. Nguyễn Văn An (1998) · Giáo viên, giảng viên · đoàn viên" in first
    assert "Là nguồn từ 10/02/2026 (20 ngày)" in first and "chưa có lần gặp nào" in first
    for choice in ("1. Tốt", "2. Khá", "3. Trung bình", "4. Chưa đạt",
                   "5. Đưa ra khỏi danh sách", "6. Bỏ qua", "7. Dừng, xem tóm tắt"):
        assert choice in first


async def test_an_assessment_is_saved_for_the_quarter(talk, demo):
    bithu, _ = await begin(talk)
    reply = await bithu.say("2")
    assert "Đã ghi: 1. Nguyễn Văn An — Khá." in reply and "2. Trần Thị Bích Ngọc" in reply
    [saved] = await surveys(demo, 1)
    assert (saved.period, saved.assessment, saved.note) == ("2026-Q1", "fair", None)
    async with demo.sessions() as session:
        bithu_id = (await session.exec(select(Person.id).where(Person.full_name == "Nguyễn Thị Thu"))).first()
    assert saved.by_person_id == bithu_id
    assert (await candidate(demo, 1)).stage == "source"


async def test_the_branch_s_own_words_are_kept_as_typed(talk, demo):
    bithu, _ = await begin(talk)
    reply = await bithu.say("Tích cực, cần rèn thêm")
    assert "Đã ghi: 1. Nguyễn Văn An — Tích cực, cần rèn thêm." in reply
    assert [s.assessment for s in await surveys(demo, 1)] == ["Tích cực, cần rèn thêm"]


async def test_words_longer_than_40_characters_are_asked_again(talk, demo):
    bithu, _ = await begin(talk)
    reply = await bithu.say("a" * 41)
    assert "dài quá: 41 ký tự, tối đa 40" in reply and "Đánh giá Nguyễn Văn An?" in reply
    assert await surveys(demo, 1) == []
    assert await bithu.say("a" * 40) == (
        f"Đã ghi: 1. Nguyễn Văn An — {'a' * 40}.\n"
        "\n"
        "Khảo sát nguồn quý 1/2026 · người 2/4\n"
        "2. Trần Thị Bích Ngọc (2008) · Học sinh, sinh viên · đoàn viên\n"
        "- Là nguồn từ 16/01/2026 (45 ngày)\n"
        "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
        "- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo 2)\n"
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
    [saved] = await surveys(demo, 1)
    assert (saved.period, saved.assessment) == ("2026-Q1", "a" * 40)


@pytest.mark.parametrize("typed", ["9", "0", ""])
async def test_a_number_that_is_no_choice_is_asked_again(talk, demo, typed):
    bithu, _ = await begin(talk)
    reply = await bithu.say(typed)
    assert ("không có trong các lựa chọn" in reply or "Chưa có câu trả lời" in reply)
    assert "Đánh giá Nguyễn Văn An?" in reply and await surveys(demo, 1) == []


async def test_dropping_the_inactive_removes_them_with_the_reason(talk, demo):
    bithu, _ = await begin(talk)
    asked = await bithu.say("5")
    assert "Lý do đưa 1. Nguyễn Văn An ra khỏi danh sách nguồn?" in asked
    assert "1. Không còn tích cực" in asked and "7. Chọn lại" in asked
    await bithu.say("1")
    assert (await candidate(demo, 1)).stage == "source"  # not before the confirmation
    done = await bithu.say("Đồng ý")
    assert "Đã đưa 1. Nguyễn Văn An ra khỏi danh sách nguồn" in done and "2. Trần Thị Bích Ngọc" in done
    an = await candidate(demo, 1)
    assert an.stage == "removed"
    async with demo.sessions() as session:
        last = (await session.exec(select(StageChange).where(StageChange.candidate_id == an.id)
                                   .order_by(StageChange.id.desc()))).first()
    assert (last.from_stage, last.to_stage) == ("source", "removed") and "Không còn tích cực" in last.reason
    [saved] = await surveys(demo, 1)
    assert saved.assessment == "poor" and "Không còn tích cực" in saved.note


async def test_a_drop_may_give_its_own_reason_or_be_taken_back(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("Đưa ra khỏi danh sách")
    back = await bithu.say("Chọn lại")
    assert "Đánh giá Nguyễn Văn An?" in back and (await candidate(demo, 1)).stage == "source"
    await bithu.say("5")
    await bithu.say("Khác")
    await bithu.say("Đã chuyển công tác nơi khác")
    await bithu.say("Đồng ý")
    assert [s.note for s in await surveys(demo, 1)] == ["Đã chuyển công tác nơi khác"]


async def test_redoing_the_survey_in_the_same_quarter_updates_it(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("Tốt")
    await bithu.say("/huy")
    demo.clock.advance(days=20)
    assert "1 người đã được đánh giá quý này" in await bithu.say("/quy")
    first = await bithu.say("1")
    assert "Đã đánh giá quý này: Tốt. Chọn lại sẽ thay đánh giá này." in first
    reply = await bithu.say("trung binh")
    assert "Đã ghi: 1. Nguyễn Văn An — Trung bình." in reply and "(Trước đó quý này đã đánh giá: Tốt" in reply
    assert [(s.period, s.assessment) for s in await surveys(demo, 1)] == [("2026-Q1", "average")]


async def test_the_next_quarter_is_a_survey_of_its_own(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    await bithu.say("/huy")
    demo.clock.advance(days=31)  # 2 April 2026
    assert "Khảo sát nguồn quý 2/2026" in await bithu.say("/quy")
    await bithu.say("1")
    await bithu.say("2")
    assert [(s.period, s.assessment) for s in await surveys(demo, 1)] == [("2026-Q1", "good"), ("2026-Q2", "fair")]


async def test_the_survey_ends_with_a_summary_and_skips_sympathizers(talk, demo):
    bithu, _ = await begin(talk)
    said = [await bithu.say(a) for a in ["1", "Chăm chỉ", "bỏ qua", "5", "1", "Đồng ý"]]
    summary = said[-1]
    assert "Tóm tắt khảo sát nguồn quý 1/2026:" in summary
    assert "- Đưa ra khỏi danh sách: 1 người — 10. Vũ Thị Thanh Xuân" in summary
    assert "- Tốt: 1 người — 1. Nguyễn Văn An" in summary
    assert '- "Chăm chỉ": 1 người — 2. Trần Thị Bích Ngọc' in summary
    assert "- Bỏ qua (chưa đánh giá): 1 người — 9. Trịnh Công Sơn" in summary
    for sympathizer in ("Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa", "Ngô Đức Thắng", "Lý Thị Hồng"):
        assert not any(sympathizer in s for s in said)
    assert await surveys(demo, 9) == []
    assert "Danh sách quần chúng" in await bithu.say("/ds")


async def test_stopping_early_says_who_is_left(talk):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    summary = await bithu.say("Dừng")
    assert "- Tốt: 1 người — 1. Nguyễn Văn An" in summary and "Chưa tới lượt: 3 người" in summary


async def test_cancelling_keeps_what_was_assessed(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    assert "vẫn được lưu" in await bithu.say("/huy")
    assert [s.assessment for s in await surveys(demo, 1)] == ["good"]


async def test_each_assessment_is_audited(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("1")
    an = await candidate(demo, 1)
    async with demo.sessions() as session:
        subjects = list(await session.exec(select(AuditLog.subject).where(AuditLog.action == "candidate.review")))
    assert subjects == [f"candidate:{an.id}"]


async def test_no_sources_says_so_and_suggests_adding(talk, demo):
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        await session.exec(sa.update(Candidate).where(
            Candidate.branch_id == branch.id, Candidate.stage == "source").values(stage="sympathizer"))
    bithu = talk("bithu")
    reply = await bithu.say("/quy")
    assert "chưa có quần chúng ưu tú (nguồn) nào để khảo sát" in reply and "/them" in reply
    assert "Không có việc" in await bithu.say("/huy")


@pytest.mark.parametrize("account, refusal", [
    ("giupdo", NOT_ALLOWED), ("quanchung", NOT_ALLOWED), ("captren", NOT_ALLOWED), ("nguoila", NOT_LINKED),
])
async def test_others_are_refused_and_learn_no_names(talk, demo, account, refusal):
    person = talk(account)
    said = [await person.say(text) for text in ["/quy", "1", "Tốt", "/khaosat"]]
    assert refusal in said[0] and refusal in said[3]
    for name in EVERY_NAME:
        assert not any(name in s for s in said), name
    assert await surveys(demo, 1) == []


# --- a removal: a reason from the list, a confirmation, back one question (issue 12, #1)

FOOT = "(Trả lời bằng số hoặc bằng chữ)"
AN = ("Khảo sát nguồn quý 1/2026 · người 1/4\n"
      "1. Nguyễn Văn An (1998) · Giáo viên, giảng viên · đoàn viên\n"
      "- Là nguồn từ 10/02/2026 (20 ngày)\n"
      "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
      "- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo 1)\n\n"
      "Đánh giá Nguyễn Văn An? Chọn một mức, hoặc gõ lời nhận xét ngắn (tối đa 40 ký tự). Mỗi đánh giá "
      "được lưu ngay; /huy để dừng giữa chừng (những gì đã chọn vẫn được giữ).\n\n"
      "1. Tốt\n2. Khá\n3. Trung bình\n4. Chưa đạt\n5. Đưa ra khỏi danh sách\n6. Bỏ qua\n"
      "7. Dừng, xem tóm tắt\n" + FOOT)
NGOC = ("Khảo sát nguồn quý 1/2026 · người 2/4\n"
        "2. Trần Thị Bích Ngọc (2008) · Học sinh, sinh viên · đoàn viên\n"
        "- Là nguồn từ 16/01/2026 (45 ngày)\n"
        "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
        "- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo 2)\n\n"
        "Đánh giá Trần Thị Bích Ngọc? Chọn một mức, hoặc gõ lời nhận xét ngắn (tối đa 40 ký tự). Mỗi đánh giá "
        "được lưu ngay; /huy để dừng giữa chừng (những gì đã chọn vẫn được giữ).\n\n"
        "1. Tốt\n2. Khá\n3. Trung bình\n4. Chưa đạt\n5. Đưa ra khỏi danh sách\n6. Bỏ qua\n"
        "7. Người trước\n8. Dừng, xem tóm tắt\n" + FOOT)
AN_REASON = ('Lý do đưa 1. Nguyễn Văn An ra khỏi danh sách nguồn? Chọn một lý do (chọn "Khác" để tự gõ lý do), '
             'hoặc "Chọn lại" để quay về màn hình của người này. /huy để dừng (những gì đã chọn vẫn được giữ).'
             "\n\n1. Không còn tích cực\n2. Không còn phấn đấu\n3. Vi phạm tư cách, đạo đức\n"
             "4. Chuyển công tác/chuyển trường\n5. Tự xin rút\n6. Khác (gõ lý do)\n7. Chọn lại\n" + FOOT)


def an_confirm(why: str) -> str:
    return (f"Đưa 1. Nguyễn Văn An ra khỏi danh sách nguồn, lý do: {why}?\n"
            'Chọn "Đồng ý" để lưu, "Đổi lý do" để chọn lý do khác, hoặc "Chọn lại" để quay về màn hình '
            "của người này.\n\n1. Đồng ý\n2. Đổi lý do\n3. Chọn lại\n" + FOOT)


async def test_text_at_the_reason_question_removes_nobody(talk, demo):
    bithu, first = await begin(talk)
    assert first == AN
    assert await bithu.say("Đưa ra khỏi danh sách") == AN_REASON
    assert await bithu.say("Tốt") == (
        '"Tốt" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        + AN_REASON)
    assert (await candidate(demo, 1)).stage == "source" and await surveys(demo, 1) == []


async def test_a_drop_names_its_reason_and_is_confirmed_before_the_removal(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("5")
    assert await bithu.say("Tự xin rút") == an_confirm("Tự xin rút")
    assert (await candidate(demo, 1)).stage == "source" and await surveys(demo, 1) == []
    done = await bithu.say("1")
    assert done.startswith("Đã đưa 1. Nguyễn Văn An ra khỏi danh sách nguồn (lý do: Tự xin rút).\n\n")
    [saved] = await surveys(demo, 1)
    assert (saved.assessment, saved.note) == ("poor", "Tự xin rút")
    assert (await candidate(demo, 1)).stage == "removed"


async def test_back_goes_one_question_back_from_the_confirmation_to_the_screen(talk, demo):
    bithu, _ = await begin(talk)
    await bithu.say("5")
    await bithu.say("1")
    assert await bithu.say("quay lại") == AN_REASON
    assert await bithu.say("quay lại") == AN
    assert await bithu.say("Khá") == "Đã ghi: 1. Nguyễn Văn An — Khá.\n\n" + NGOC
    [saved] = await surveys(demo, 1)
    assert (saved.assessment, saved.note) == ("fair", None)
    assert (await candidate(demo, 1)).stage == "source"
