"""/them: a secretary registers a candidate; every wrong answer is explained and asked again."""

import re

import pytest
from sqlmodel import select

from bot.app import Chibo
from bot.demo import BRANCH, SECOND_BRANCH
from models.candidate import Candidate, StageChange
from models.org import Organisation
from models.people import ChatLink, grant_role
from models.stage import Role
from tests.support import Convo

GOOD = [
    ("/them", "Họ và tên đầy đủ"),
    ("nguyễn   thị hoa", "Ngày sinh của Nguyễn Thị Hoa"),
    ("05/09/2004", "Giới tính?"),
    ("2", "thuộc đối tượng nào"),
    ("giáo viên", "đoàn viên"),
    ("có", "Ai giới thiệu"),
    ("Đoàn Thanh niên", "Ghi chú thêm"),
    ("Tổ Toán, tích cực", "Xin kiểm tra lại trước khi lưu"),
]


async def candidates(chibo: Chibo) -> list[Candidate]:
    async with chibo.sessions() as session:
        return list(await session.exec(select(Candidate).order_by(Candidate.id)))


async def test_full_registration_saves_a_source(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog(GOOD)
    screen = await bithu.say("1")  # not yet saved before this
    assert "Đã lưu Nguyễn Thị Hoa" in screen and "số 16" in screen  # the branch had 15
    saved = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert len(saved) == 1
    c = saved[0]
    assert (c.birth_date.isoformat(), c.gender, c.category, c.youth_union, c.introduced_by) == (
        "2004-09-05", "female", "teacher", True, "youth_union")
    assert c.stage == "source" and c.note == "Tổ Toán, tích cực" and c.number == 16
    async with demo.sessions() as session:
        history = list(await session.exec(select(StageChange).where(StageChange.candidate_id == c.id)))
    assert [(h.from_stage, h.to_stage) for h in history] == [(None, "source")]
    assert "Nguyễn Thị Hoa" in await bithu.say("/ds")


async def test_confirmation_shows_every_answer_before_saving(talk, demo):
    before = len(await candidates(demo))
    bithu = talk()
    await bithu.dialog(GOOD[:-1])
    screen = await bithu.say("Tổ Toán, tích cực")
    for shown in ("Nguyễn Thị Hoa", "05/09/2004", "Nữ", "Giáo viên", "Có", "Đoàn Thanh niên", "Tổ Toán"):
        assert shown in screen
    assert "1. Lưu" in screen and "Sửa ngày sinh" in screen and "Hủy" in screen
    assert len(await candidates(demo)) == before  # nothing saved yet


async def test_any_field_can_be_changed_on_the_confirmation_screen(talk, demo):
    bithu = talk()
    await bithu.dialog(GOOD)
    assert "Ngày sinh của Nguyễn Thị Hoa" in await bithu.say("Sửa ngày sinh")
    screen = await bithu.say("06/10/2003")
    assert "06/10/2003" in screen and "Xin kiểm tra lại" in screen and "Nữ" in screen
    await bithu.say("Lưu")
    [c] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert c.birth_date.isoformat() == "2003-10-06"


@pytest.mark.parametrize("answer, reason", [
    ("31/02/2000", "Không có ngày 31/02/2000"),
    ("hôm qua", "Chưa đọc được ngày"),
    ("", "Chưa có câu trả lời"),
    ("01/01/2030", "chưa tới"),
    ("01/01/2015", "mới 11 tuổi"),
    ("01/01/1950", "76 tuổi"),
    ("1/1/1850", "có vẻ nhầm"),
])
async def test_a_wrong_birth_date_is_explained_and_asked_again(talk, answer, reason):
    bithu = talk()
    await bithu.dialog(GOOD[:2])
    reply = await bithu.say(answer)
    assert reason in reply
    assert reply.rstrip().endswith("(ngày/tháng/năm, ví dụ 05/09/2004)")
    # the name given before is kept
    assert "Ngày sinh của Nguyễn Thị Hoa" in reply


async def test_over_sixty_names_the_rules_in_vietnamese(talk):
    bithu = talk()
    await bithu.dialog(GOOD[:2])
    assert await bithu.say("01/01/1950") == (
        "Người này đã 76 tuổi, quá 60 tuổi; trên 60 tuổi chỉ kết nạp khi có ý kiến của cấp ủy cấp tỉnh "
        "(Điều lệ Đảng, Điều 1; Quy định 294-QĐ/TW, mục 1.1). Xin kiểm tra lại năm sinh.\n"
        "Ngày sinh của Nguyễn Thị Hoa? (ngày/tháng/năm, ví dụ 05/09/2004)")


async def test_short_dates_and_other_separators_are_read(talk):
    bithu = talk()
    await bithu.dialog(GOOD[:2])
    await bithu.say("5-9-04")
    for says, expect in GOOD[3:]:
        await bithu.say(says)
    assert "05/09/2004" in bithu.last[-1].text


@pytest.mark.parametrize("answer, reason", [
    ("Hoa", "ít nhất hai chữ"),
    ("Nguyen Van 3", "chỉ gồm chữ cái"),
    ("A" * 60 + " " + "B" * 60, "dài quá: 121 ký tự, tối đa 100"),
    ("   ", "Chưa có câu trả lời"),
])
async def test_a_wrong_name_is_explained_and_asked_again(talk, answer, reason):
    bithu = talk()
    await bithu.say("/them")
    reply = await bithu.say(answer)
    assert reason in reply and "Họ và tên đầy đủ" in reply


async def test_an_unknown_choice_is_explained_with_the_choices_again(talk):
    bithu = talk()
    await bithu.dialog(GOOD[:3])
    reply = await bithu.say("9")
    assert '"9" không có trong các lựa chọn' in reply and "1. Nam" in reply and "2. Nữ" in reply
    reply = await bithu.say("khong biet")
    assert "không có trong các lựa chọn" in reply
    assert "thuộc đối tượng nào" in await bithu.say("nữ")


async def test_yes_no_accepts_words_and_refuses_others(talk):
    bithu = talk()
    await bithu.dialog(GOOD[:5])
    assert "không phải có hay không" in await bithu.say("có lẽ")
    assert "Ai giới thiệu" in await bithu.say("khong")


async def test_a_note_too_long_is_refused_and_can_be_skipped(talk):
    bithu = talk()
    await bithu.dialog(GOOD[:7])
    assert "dài quá: 501 ký tự, tối đa 500" in await bithu.say("x" * 501)
    screen = await bithu.say("Bỏ qua")
    assert "Ghi chú: (không có)" in screen


async def test_back_goes_to_the_previous_question_and_keeps_earlier_answers(talk, demo):
    bithu = talk()
    await bithu.dialog(GOOD[:4])  # gender answered: Nữ
    assert "Giới tính?" in await bithu.say("quay lại")
    assert "Ngày sinh của Nguyễn Thị Hoa" in await bithu.say("quay lại")
    assert "Giới tính?" in await bithu.say("01/01/2001")
    await bithu.dialog([("nam", "đối tượng"), ("1", "đoàn viên"), ("không", "Ai giới thiệu"),
                        ("4", "Ghi chú"), ("-", "Xin kiểm tra lại")])
    await bithu.say("Lưu")
    [c] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert (c.birth_date.isoformat(), c.gender, c.youth_union, c.introduced_by) == (
        "2001-01-01", "male", False, "branch")


async def test_back_at_the_first_question_says_so(talk):
    bithu = talk()
    await bithu.say("/them")
    reply = await bithu.say("quay lại")
    assert "câu hỏi đầu tiên" in reply and "Họ và tên đầy đủ" in reply


async def test_cancel_from_any_step_saves_nothing(talk, demo):
    before = len(await candidates(demo))
    for steps in range(1, len(GOOD) + 1):
        bithu = talk()
        await bithu.dialog(GOOD[:steps])
        assert "Đã hủy, không lưu gì" in await bithu.say("/huy")
        assert "Chưa có câu trả lời" not in await bithu.say("/trogiup")
    assert len(await candidates(demo)) == before


async def test_a_duplicate_name_and_birth_date_is_caught_before_saving(talk, demo):
    before = len(await candidates(demo))
    bithu = talk()
    await bithu.dialog([("/them", "Họ và tên"), ("nguyen van an", "Ngày sinh"),
                        ("12/04/1998", "Giới tính")])
    await bithu.dialog([("1", "đối tượng"), ("1", "đoàn viên"), ("có", "giới thiệu"), ("1", "Ghi chú")])
    screen = await bithu.say("-")
    assert "đã có người cùng họ tên và ngày sinh" in screen and "/xem 1" in screen
    again = await bithu.say("Lưu")
    assert "Chưa lưu" in again
    assert len(await candidates(demo)) == before
    await bithu.say("Sửa ngày sinh")
    assert "đã có người" not in await bithu.say("13/04/1998")
    assert "Đã lưu Nguyen Van An" in await bithu.say("Lưu")


async def test_another_command_in_the_middle_keeps_the_answers(talk):
    bithu = talk()
    await bithu.dialog(GOOD[:3])
    reply = await bithu.say("/xet")
    assert "đang làm dở" in reply and "Giới tính?" in reply
    listed = await bithu.say("/ds")  # reading answers, then the question again
    assert "Danh sách quần chúng" in listed and "Giới tính?" in listed
    help_ = await bithu.say("/trogiup")
    assert "/huy" in help_ and "Giới tính?" in help_
    assert "thuộc đối tượng nào" in await bithu.say("nam")


async def test_a_conversation_silent_for_a_day_expires(talk, demo):
    bithu = talk()
    await bithu.dialog(GOOD[:3])
    demo.clock.advance(hours=23)
    assert "thuộc đối tượng nào" in await bithu.say("nam")
    demo.clock.advance(hours=24, minutes=1)
    reply = await bithu.say("1")
    assert "bỏ dở hơn một ngày" in reply
    assert "đối tượng" not in reply
    assert "Họ và tên" in await bithu.say("/them")


async def test_a_restart_in_the_middle_keeps_every_answer(talk, demo, settings):
    bithu = talk()
    await bithu.dialog(GOOD[:5])
    await demo.close()
    restarted = Chibo(settings, demo.clock)
    try:
        again = Convo(restarted, account="bithu")
        await again.dialog(GOOD[5:])
        assert "Đã lưu Nguyễn Thị Hoa" in await again.say("Lưu")
    finally:
        await restarted.close()


async def test_the_same_platform_message_is_processed_once(talk, demo):
    before = len(await candidates(demo))
    bithu = talk()
    await bithu.dialog(GOOD)
    first = await bithu.say("Lưu", message_id="dup-1")
    assert "Đã lưu" in first
    assert await bithu.say("Lưu", message_id="dup-1") == ""
    assert len(await candidates(demo)) == before + 1


async def test_a_changed_answer_asks_the_questions_that_now_apply(demo):
    """Engine rule: after "Sửa X", a question whose condition now holds is asked, and an
    answer whose condition no longer holds is dropped (a tiny flow with a conditional step)."""
    from bot.engine.fields import ChoiceField, TextField
    from bot.engine.flow import Ask, Flow
    from models.policy import Action

    seen = {}

    async def done(ctx, answers):
        seen.update(answers)
        return []

    flow = Flow(name="t", commands=("/t",), action=Action.register_candidate, help="help/them",
                steps=(Ask("gender", "register/ask_gender", ChoiceField("gender")),
                       Ask("note", "register/ask_note", TextField(), when=lambda a: a.get("gender") == "female")),
                confirm="common/back_at_first", done=done)  # any static screen will do
    demo.engine.flows[flow.name] = flow
    demo.engine.by_command["/t"] = flow
    bithu = Convo(demo, account="bithu")
    await bithu.say("/t")
    assert "1. Lưu" in await bithu.say("nam")  # no note asked for "Nam"
    await bithu.say("Sửa giới tính")
    assert "Ghi chú thêm" in await bithu.say("nữ")  # now the note applies: asked
    assert "1. Lưu" in await bithu.say("tổ Văn")
    await bithu.say("Sửa giới tính")
    screen = await bithu.say("nam")  # the note no longer applies: dropped
    assert "1. Lưu" in screen and "Sửa ghi chú" not in screen
    await bithu.say("Lưu")
    assert seen == {"gender": "male"}


# ---- A secretary of two branches (issue 12, defect 3) ---------------------------------------

TWO_BRANCHES = (
    "Bạn phụ trách nhiều chi bộ. Việc này làm cho chi bộ nào? Trả lời bằng số hoặc một phần tên chi bộ "
    "(không dấu cũng được).\n\n"
    f"1. {SECOND_BRANCH}\n"
    f"2. {BRANCH}\n"
    "(Trả lời bằng số hoặc bằng chữ)")


def asks_name(branch: str) -> str:
    return (f"Thêm quần chúng ưu tú vào danh sách nguồn của {branch}. Gõ /huy bất cứ lúc nào để hủy, "
            "\"quay lại\" để sửa câu trước.\n\nHọ và tên đầy đủ của người này?")


def confirm_screen(branch: str, edits: tuple[str, ...]) -> str:
    choices = ("Lưu",) + edits + ("Sửa họ tên", "Sửa ngày sinh", "Sửa giới tính", "Sửa đối tượng",
                                  "Sửa đoàn viên", "Sửa nguồn giới thiệu", "Sửa ghi chú", "Hủy")
    return (f"Xin kiểm tra lại trước khi lưu vào danh sách nguồn của {branch}:\n"
            "- Họ tên: Nguyễn Thị Hoa\n- Ngày sinh: 05/09/2004\n- Giới tính: Nữ\n"
            "- Đối tượng: Giáo viên, giảng viên\n- Đoàn viên: Có\n- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Ghi chú: Tổ Toán, tích cực\n\n"
            + "\n".join(f"{i}. {c}" for i, c in enumerate(choices, 1))
            + "\n(Trả lời bằng số hoặc bằng chữ)")


async def secretary_of_both(chibo: Chibo, account: str = "bithu") -> None:
    """Gives the demo secretary a second grant: secretary of the second demo branch too."""
    async with chibo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == SECOND_BRANCH))).one()
        link = (await session.exec(select(ChatLink).where(ChatLink.account_id == account))).one()
        await grant_role(session=session, person_id=link.person_id, org_id=org.id, role=Role.secretary)


async def branch_of(chibo: Chibo, candidate: Candidate) -> str:
    async with chibo.sessions() as session:
        return (await session.get(Organisation, candidate.branch_id)).name


async def test_a_secretary_of_two_branches_is_asked_which_and_every_screen_names_it(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    assert await bithu.say("/them") == TWO_BRANCHES
    assert await bithu.say("toan") == asks_name(SECOND_BRANCH)  # words of the name, no accents
    for says, _ in GOOD[1:-1]:
        await bithu.say(says)
    assert await bithu.say(GOOD[-1][0]) == confirm_screen(SECOND_BRANCH, ("Sửa chi bộ",))
    saved = await bithu.say("Lưu")
    [hoa] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert await branch_of(demo, hoa) == SECOND_BRANCH
    assert saved == (f"Đã lưu Nguyễn Thị Hoa vào danh sách quần chúng ưu tú (nguồn) của {SECOND_BRANCH}, "
                     f"số {hoa.number}.\nXem lại: /xem {hoa.number} · Thêm người khác: /them · Danh sách: /ds")


async def test_the_branch_is_chosen_by_its_number_and_can_be_changed_before_saving(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/them")
    assert await bithu.say("1") == asks_name(SECOND_BRANCH)
    assert await bithu.say("quay lại") == TWO_BRANCHES  # back to the branch question
    assert await bithu.say("2") == asks_name(BRANCH)
    for says, _ in GOOD[1:]:
        await bithu.say(says)
    assert await bithu.say("Sửa chi bộ") == TWO_BRANCHES
    assert await bithu.say("khoa toan") == confirm_screen(SECOND_BRANCH, ("Sửa chi bộ",))
    await bithu.say("Lưu")
    [hoa] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert await branch_of(demo, hoa) == SECOND_BRANCH


async def test_an_unknown_or_ambiguous_branch_is_explained_with_the_list_again(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/them")
    assert await bithu.say("phan xuong") == (
        'Không có chi bộ nào của bạn khớp với "phan xuong". Xin chọn trong danh sách dưới đây.\n'
        + TWO_BRANCHES)
    assert await bithu.say("3") == (
        'Không có chi bộ nào của bạn khớp với "3". Xin chọn trong danh sách dưới đây.\n' + TWO_BRANCHES)
    assert await bithu.say("demo") == (
        "Có 2 chi bộ khớp. Bạn muốn chọn chi bộ nào?\n" + TWO_BRANCHES.split("\n")[0] + "\n\n"
        + "\n".join(TWO_BRANCHES.split("\n")[2:]))
    assert await bithu.say("tran phu") == asks_name(BRANCH)


async def test_a_secretary_of_one_branch_is_not_asked_but_the_branch_is_named(talk, demo):
    bithu = talk()
    assert await bithu.say("/them") == asks_name(BRANCH)
    for says, _ in GOOD[1:-1]:
        await bithu.say(says)
    assert await bithu.say(GOOD[-1][0]) == confirm_screen(BRANCH, ())
    assert await bithu.say("Lưu") == (
        f"Đã lưu Nguyễn Thị Hoa vào danh sách quần chúng ưu tú (nguồn) của {BRANCH}, số 16.\n"
        "Xem lại: /xem 16 · Thêm người khác: /them · Danh sách: /ds")


async def test_the_list_names_the_branch_of_each_row_for_a_secretary_of_two(talk, demo):
    await secretary_of_both(demo)
    listed = await talk().say("/ds")
    rows = [line for line in listed.split("\n") if re.match(r"^[A-Z]+\d*-\d+\. ", line)]
    assert rows and all(line.endswith((f" — {BRANCH}", f" — {SECOND_BRANCH}")) for line in rows)
    assert "TSP-1. Ngô Đức Thắng (2004) — " + SECOND_BRANCH in listed  # numbers repeat: each has its branch's code
    assert "TP-1. Nguyễn Văn An (1998) — " + BRANCH in listed
    alone = await talk("giupdo").say("/ds")  # one branch: no labels
    assert " — " not in alone
