"""/hoantac: a removal, a review decision or an enrolment made by mistake is taken back — by its
author on the same day, by the branch's secretary at any time — and the card shows it.

Demo branch: Nguyễn Văn An (source since 10/02/2026), Phạm Thu Hà (sympathizer since
02/11/2025); the secretary is Nguyễn Thị Thu, the deputy Phan Văn Hùng (linked here as
"phobithu"). The clock: 02/03/2026 09:00 in Hà Nội."""

from datetime import date

import pytest
from sqlmodel import select

from bot.channels.console import CONSOLE
from bot.clock import vn_time
from bot.demo import BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.org import Organisation
from models.party_class import Enrollment, PartyClass
from models.people import Person, link_chat
from models.review import MonthlyReview, SourceSurvey
from models.undo import UndoableAction
from tests.support import numbers_of
from tests.texts import CHOOSE_KEYED, NOT_ALLOWED, an_card, review_screen, survey_screen

TODAY = date(2026, 3, 2)
SECRETARY, DEPUTY = "Nguyễn Thị Thu", "Phan Văn Hùng"
# Register numbers are looked up by name (the `no` fixture, tests/support.py number_of).
AN, HA, MINH, KHOA = "Nguyễn Văn An", "Phạm Thu Hà", "Lê Hoàng Minh", "Đinh Văn Khoa"
ASK = "Hoàn tác việc nào? Mỗi người chỉ hoàn tác được việc gần nhất. Gõ số của người đó, hoặc /huy để thôi."
NOTHING = ("Không có việc nào bạn hoàn tác được. /hoantac hoàn tác việc đưa một người ra khỏi danh sách hay "
           "chuyển lên bước sau (ở /xet, /quy) và việc ghi danh vào lớp: người đã làm trong ngày, bí thư chi bộ "
           "bất cứ lúc nào.")
CONFIRM_CHOICES = "1. Lưu\n2. Sửa việc cần hoàn tác\n3. Hủy\n(Trả lời bằng số hoặc bằng chữ)"
REMOVAL = "Nguyễn Văn An — đưa ra khỏi danh sách (Chuyển công tác/chuyển trường), 02/03/2026, "


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers these tests type and expect, looked up by name."""
    return await numbers_of(demo, (AN, HA, MINH, KHOA, NGOC_NAME))


async def candidate(chibo, full_name: str) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(Organisation.name == BRANCH, Candidate.full_name == full_name))).one()


NGOC_NAME = "Trần Thị Bích Ngọc"
NGOC = NGOC_NAME + " (2008)"


def an_review(no: dict[str, int]) -> str:
    return review_screen(1, no[AN], "Nguyễn Văn An (1998)", "10/02/2026 (20 ngày)")


def ngoc_review(no: dict[str, int]) -> str:  # the next after An's removal
    return review_screen(2, no[NGOC_NAME], NGOC, "16/01/2026 (45 ngày)")


async def rows(chibo, table, candidate_id: int) -> list:
    async with chibo.sessions() as session:
        return list(await session.exec(select(table).where(table.candidate_id == candidate_id)))


async def deputy(talk, demo):
    """The branch's deputy, linked to a console account of their own."""
    async with demo.sessions() as session, session.begin():
        hung = (await session.exec(select(Person).where(Person.full_name == DEPUTY))).one()
        await link_chat(session=session, channel=CONSOLE, account_id="phobithu", person_id=hung.id,
                        now=demo.clock.now())
    return talk("phobithu")


async def remove_an(convo, no: dict[str, int]) -> None:
    """At the monthly review: Nguyễn Văn An (the first screen) off the list, moved away."""
    await convo.say("/xet")
    await convo.say("1")
    await convo.say("3")
    await convo.say("Chuyển công tác")
    assert await convo.say("Đồng ý") == (
        f"Đã đưa {no[AN]}. Nguyễn Văn An ra khỏi danh sách (lý do: Chuyển công tác/chuyển trường).\n\n"
        + ngoc_review(no))
    await convo.say("/huy")


AFTER_ENROLMENT = "\n1. Ghi danh thêm người khác\n2. Xem lớp này\n3. Danh sách lớp\n(Trả lời bằng số hoặc bằng chữ)"


def undone(line: str, stage: str, number: int) -> str:
    """What /hoantac says once saved."""
    return (f"Đã hoàn tác: {number}. {line}.\n"
            f"Giai đoạn: {stage}.\n"
            f"Việc hoàn tác được ghi vào lịch sử trên thẻ. Xem lại: /xem {number}")


def confirm(line: str, stage: str, what: str, number: int) -> str:
    """/hoantac's screen before saving."""
    return (f"Xin kiểm tra lại trước khi hoàn tác — {number}. {line}:\n"
            f"- Giai đoạn trở lại: {stage}\n"
            f"- {what}\n"
            "Chọn Lưu để hoàn tác; việc hoàn tác được ghi vào lịch sử trên thẻ.\n\n" + CONFIRM_CHOICES)


SOURCE = "Quần chúng ưu tú (nguồn), từ 10/02/2026"
BACK_TO_REVIEW = "Bỏ việc đưa ra khỏi danh sách và lý do; chi bộ xét lại người này ở /xet"


async def enrol_ha(convo, demo, no: dict[str, int]) -> int:
    async with demo.sessions() as session:
        klass = (await session.exec(select(PartyClass).where(PartyClass.title.endswith("khóa 2")))).one().id
    await convo.say(f"/ghidanh {klass}")
    await convo.say(str(no[HA]))
    assert await convo.say("Lưu") == (
        f'Đã ghi danh {no[HA]}. Phạm Thu Hà vào lớp "Lớp nhận thức về Đảng khóa 2" (đã ghi danh 3/80 chỗ).\n'
        'Phạm Thu Hà chuyển sang giai đoạn "Học lớp nhận thức về Đảng" từ hôm nay.\n'
        + AFTER_ENROLMENT)
    return klass


async def test_nothing_to_undo_says_what_may_be_undone_and_by_whom(talk):
    bithu = talk()
    assert await bithu.say("/hoantac") == NOTHING
    assert await bithu.say("1") != ASK  # no conversation was left open


async def test_the_author_takes_back_a_removal_the_same_day_and_the_card_shows_it(talk, demo, no):
    bithu = talk()
    await remove_an(bithu, no)
    an = await candidate(demo, AN)
    assert an.stage == "removed"
    demo.clock.advance(hours=2)
    assert await bithu.say("/hoantac") == f"{ASK}\n\n{no[AN]}. {REMOVAL}{SECRETARY}\n{CHOOSE_KEYED}"
    assert await bithu.say(str(no[AN])) == (
        f"Xin kiểm tra lại trước khi hoàn tác — {no[AN]}. {REMOVAL}{SECRETARY}:\n"
        "- Giai đoạn trở lại: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
        "- Bỏ việc đưa ra khỏi danh sách và lý do; chi bộ xét lại người này ở /xet\n"
        "Chọn Lưu để hoàn tác; việc hoàn tác được ghi vào lịch sử trên thẻ.\n\n" + CONFIRM_CHOICES)
    assert (await candidate(demo, AN)).stage == "removed"  # nothing before "Lưu"
    assert await bithu.say("Lưu") == (
        f"Đã hoàn tác: {no[AN]}. {REMOVAL}{SECRETARY}.\n"
        "Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026.\n"
        f"Việc hoàn tác được ghi vào lịch sử trên thẻ. Xem lại: /xem {no[AN]}")
    an = await candidate(demo, AN)
    assert (an.stage, an.stage_since) == ("source", date(2026, 2, 10))
    assert [r.period for r in await rows(demo, MonthlyReview, an.id)] == ["2026-01"]  # March's is gone
    [action] = await rows(demo, UndoableAction, an.id)
    assert (action.undone_on, action.undone_by) == (TODAY, action.by_person_id)
    async with demo.sessions() as session:
        logged = list(await session.exec(select(AuditLog).where(AuditLog.action == "candidate.undo")))
    assert [(a.person_id, a.subject) for a in logged] == [(action.by_person_id, f"candidate:{an.id}")]
    assert await bithu.say(f"/xem {no[AN]}") == (
        an_card(no[AN]) + "\n\nLịch sử (mới nhất trước):\n"
        "- 02/03/2026: hoàn tác việc đưa ra khỏi danh sách: Đã đưa ra khỏi danh sách → Quần chúng ưu tú (nguồn)"
        f" — {SECRETARY}\n"
        "- 02/03/2026: Quần chúng ưu tú (nguồn) → Đã đưa ra khỏi danh sách (Chuyển công tác/chuyển trường)"
        f" — {SECRETARY}")
    assert await bithu.say("/hoantac") == NOTHING  # taken back once only
    await bithu.say("/xet")
    assert await bithu.say("1") == an_review(no)  # to be reviewed again this month


async def test_a_move_up_at_the_review_is_taken_back(talk, demo, no):
    bithu = talk()
    await bithu.say("/xet")
    await bithu.say("1")
    assert await bithu.say("2") == (f"Đã chuyển {no[AN]}. Nguyễn Văn An sang: Cảm tình Đảng.\n\n"
                                    + review_screen(2, no[NGOC_NAME], NGOC, "16/01/2026 (45 ngày)", back=True))
    await bithu.say("/huy")
    line = "Nguyễn Văn An — xét chuyển lên: Quần chúng ưu tú (nguồn) → Cảm tình Đảng, 02/03/2026, " + SECRETARY
    assert await bithu.say("/hoantac") == f"{ASK}\n\n{no[AN]}. {line}\n{CHOOSE_KEYED}"
    assert await bithu.say(str(no[AN])) == (
        f"Xin kiểm tra lại trước khi hoàn tác — {no[AN]}. {line}:\n"
        "- Giai đoạn trở lại: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
        "- Bỏ quyết định xét tháng này; chi bộ xét lại người này ở /xet\n"
        "Chọn Lưu để hoàn tác; việc hoàn tác được ghi vào lịch sử trên thẻ.\n\n" + CONFIRM_CHOICES)
    assert await bithu.say("Lưu") == (
        f"Đã hoàn tác: {no[AN]}. {line}.\n"
        "Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026.\n"
        f"Việc hoàn tác được ghi vào lịch sử trên thẻ. Xem lại: /xem {no[AN]}")
    an = await candidate(demo, AN)
    assert (an.stage, an.stage_since) == ("source", date(2026, 2, 10))
    assert [r.period for r in await rows(demo, MonthlyReview, an.id)] == ["2026-01"]


async def test_an_enrolment_is_taken_back_and_the_sympathizer_leaves_the_class(talk, demo, no):
    bithu = talk()
    klass = await enrol_ha(bithu, demo, no)
    line = "Phạm Thu Hà — ghi danh vào lớp \"Lớp nhận thức về Đảng khóa 2\", 02/03/2026, " + SECRETARY
    assert await bithu.say("/hoantac") == f"{ASK}\n\n{no[HA]}. {line}\n{CHOOSE_KEYED}"
    assert await bithu.say(str(no[HA])) == (
        f"Xin kiểm tra lại trước khi hoàn tác — {no[HA]}. {line}:\n"
        "- Giai đoạn trở lại: Cảm tình Đảng, từ 02/11/2025\n"
        "- Rút tên khỏi lớp \"Lớp nhận thức về Đảng khóa 2\"\n"
        "Chọn Lưu để hoàn tác; việc hoàn tác được ghi vào lịch sử trên thẻ.\n\n" + CONFIRM_CHOICES)
    assert await bithu.say("Lưu") == (
        f"Đã hoàn tác: {no[HA]}. {line}.\n"
        "Giai đoạn: Cảm tình Đảng, từ 02/11/2025.\n"
        f"Việc hoàn tác được ghi vào lịch sử trên thẻ. Xem lại: /xem {no[HA]}")
    ha = await candidate(demo, HA)
    assert (ha.stage, ha.stage_since) == ("sympathizer", date(2025, 11, 2))
    assert [e.class_id for e in await rows(demo, Enrollment, ha.id)] == []
    assert await bithu.say(f"/ghidanh {klass}") == (  # she may be enrolled again
        'Ghi danh vào lớp "Lớp nhận thức về Đảng khóa 2" (khai giảng 01/04/2026, hạn ghi danh 16/03/2026, còn 78 '
        "chỗ).\n"
        "Những người của chi bộ có thể ghi danh:\n"
        f"- {no[MINH]}. Lê Hoàng Minh (Cảm tình Đảng)\n"
        f"- {no[HA]}. Phạm Thu Hà (Cảm tình Đảng)\n"
        f"- {no[KHOA]}. Đinh Văn Khoa (Cảm tình Đảng)\n"
        'Cảm tình Đảng được ghi danh sẽ chuyển sang giai đoạn "Học lớp nhận thức về Đảng".\n'
        "Gõ /huy để hủy.\n"
        "\n"
        'Ghi danh ai vào lớp "Lớp nhận thức về Đảng khóa 2"? Gõ số của người đó trong danh sách trên, hoặc một phần '
        "họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7.")


async def test_a_drop_at_the_survey_is_taken_back(talk, demo, no):
    bithu = talk()
    await bithu.say("/quy")  # the first source's screen at once
    await bithu.say("5")
    await bithu.say("1")
    assert await bithu.say("Đồng ý") == (
        f"Đã đưa {no[AN]}. Nguyễn Văn An ra khỏi danh sách nguồn (lý do: Không còn tích cực, theo khảo sát nguồn hằng "
        "quý).\n\n"
        + survey_screen(2, no[NGOC_NAME], NGOC + " · Học sinh, sinh viên · đoàn viên", "16/01/2026 (45 ngày)"))
    await bithu.say("/huy")
    dropped = ("Nguyễn Văn An — đưa ra khỏi danh sách (Không còn tích cực, theo khảo sát nguồn hằng quý), 02/03/2026, "
               + SECRETARY)
    await bithu.dialog([
        ("/hoantac", f"{ASK}\n\n{no[AN]}. {dropped}\n{CHOOSE_KEYED}"),
        (str(no[AN]), confirm(dropped, SOURCE,
                              "Bỏ việc đưa ra khỏi danh sách và lý do; chi bộ xét lại người này ở /quy", no[AN])),
        ("Lưu", undone(dropped, SOURCE, no[AN])),
    ])
    an = await candidate(demo, AN)
    assert an.stage == "source" and await rows(demo, SourceSurvey, an.id) == []


async def test_the_deputy_takes_back_their_own_action_the_same_day(talk, demo, no):
    hung = await deputy(talk, demo)
    await remove_an(hung, no)
    demo.clock.advance(hours=14, minutes=59)  # 23:59 in Hà Nội
    assert await hung.say("/hoantac") == f"{ASK}\n\n{no[AN]}. {REMOVAL}{DEPUTY}\n{CHOOSE_KEYED}"
    await hung.dialog([
        (str(no[AN]), confirm(REMOVAL + DEPUTY, SOURCE, BACK_TO_REVIEW, no[AN])),
        ("Lưu", undone(REMOVAL + DEPUTY, SOURCE, no[AN])),
    ])
    assert (await candidate(demo, AN)).stage == "source"


async def test_the_next_day_only_the_secretary_takes_back_the_deputys_action(talk, demo, no):
    hung = await deputy(talk, demo)
    await remove_an(hung, no)
    demo.clock.current = vn_time(2026, 3, 3, 0, 1)  # past midnight in Hà Nội
    assert await hung.say("/hoantac") == (
        NOTHING + "\n\nViệc gần đây không hoàn tác được:\n"
        f"- {no[AN]}. {REMOVAL}{DEPUTY}: việc của ngày trước chỉ bí thư chi bộ hoàn tác được.")
    bithu = talk()
    demo.clock.advance(days=20)
    assert await bithu.say("/hoantac") == f"{ASK}\n\n{no[AN]}. {REMOVAL}{DEPUTY}\n{CHOOSE_KEYED}"
    await bithu.say(str(no[AN]))
    assert await bithu.say("Lưu") == (
        f"Đã hoàn tác: {no[AN]}. {REMOVAL}{DEPUTY}.\n"
        "Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026.\n"
        f"Việc hoàn tác được ghi vào lịch sử trên thẻ. Xem lại: /xem {no[AN]}")
    assert await bithu.say(f"/xem {no[AN]}") == (
        an_card(no[AN]).replace("hạn 05/03/2026", "hạn 05/04/2026")  # 20 days later: the April meeting
        + "\n\nLịch sử (mới nhất trước):\n"
        "- 23/03/2026: hoàn tác việc đưa ra khỏi danh sách: Đã đưa ra khỏi danh sách → Quần chúng ưu tú (nguồn) — "
        f"{SECRETARY}\n"
        "- 02/03/2026: Quần chúng ưu tú (nguồn) → Đã đưa ra khỏi danh sách (Chuyển công tác/chuyển trường) — "
        "Phan Văn Hùng")


async def test_the_deputy_may_not_take_back_the_secretarys_action(talk, demo, no):
    await remove_an(talk(), no)
    hung = await deputy(talk, demo)
    assert await hung.say("/hoantac") == (
        NOTHING + "\n\nViệc gần đây không hoàn tác được:\n"
        f"- {no[AN]}. {REMOVAL}{SECRETARY}: việc của người khác: chỉ người đã làm (trong ngày) hoặc bí thư chi bộ "
        "hoàn tác được.")


async def test_only_the_latest_action_of_a_person_and_none_a_class_result_depends_on(talk, demo, no):
    bithu = talk()
    await bithu.say("/xet")
    await bithu.say("1")
    await bithu.say("3")
    await bithu.say("Chuyển công tác")
    await bithu.say("Đồng ý")  # An off the list; the next screen is Ngọc's
    await bithu.say("/huy")
    klass = await enrol_ha(bithu, demo, no)
    enrolment = "Phạm Thu Hà — ghi danh vào lớp \"Lớp nhận thức về Đảng khóa 2\", 02/03/2026, " + SECRETARY
    assert await bithu.say("/hoantac") == (
        f"{ASK}\n\n{no[HA]}. {enrolment}\n{no[AN]}. {REMOVAL}{SECRETARY}\n{CHOOSE_KEYED}")
    await bithu.say("/huy")
    async with demo.sessions() as session, session.begin():
        ha = await candidate(demo, HA)
        row = (await session.exec(select(Enrollment).where(Enrollment.class_id == klass,
                                                           Enrollment.candidate_id == ha.id))).one()
        row.status = "failed"
        session.add(row)
    assert await bithu.say("/hoantac") == (
        "Việc gần đây không hoàn tác được:\n"
        f"- {no[HA]}. {enrolment}: đã ghi kết quả lớp của người này.\n\n"
        f"{ASK}\n\n{no[AN]}. {REMOVAL}{SECRETARY}\n{CHOOSE_KEYED}")


async def test_an_action_taken_back_meanwhile_is_not_taken_back_twice(talk, demo, no):
    bithu = talk()
    await remove_an(bithu, no)
    await bithu.say("/hoantac")
    await bithu.say(str(no[AN]))  # the confirmation waits
    async with demo.sessions() as session, session.begin():
        an = await candidate(demo, AN)
        action = (await session.exec(select(UndoableAction).where(UndoableAction.candidate_id == an.id))).one()
        action.undone_at, action.undone_on = demo.clock.now(), TODAY
        session.add(action)
    assert await bithu.say("Lưu") == (
        "Không hoàn tác được nữa: việc này đã được hoàn tác.\n"
        + confirm(REMOVAL + SECRETARY, SOURCE, BACK_TO_REVIEW, no[AN]))
    assert (await candidate(demo, AN)).stage == "removed"


async def test_the_number_may_come_with_the_command_and_a_wrong_one_is_asked_again(talk, demo, no):
    bithu = talk()
    await remove_an(bithu, no)
    wrong = no[AN] + 1  # a number, but not a line of the list (only An's removal is there)
    assert await bithu.say(f"/hoantac {wrong}") == (
        f'"{wrong}" không có trong danh sách. Xin gõ số ở đầu dòng của việc cần hoàn tác.\n\n'
        f"{no[AN]}. {REMOVAL}{SECRETARY}\n{CHOOSE_KEYED}")
    assert await bithu.say(str(no[AN])) == confirm(REMOVAL + SECRETARY, SOURCE, BACK_TO_REVIEW, no[AN])
    await bithu.say("/huy")
    await bithu.say("/hoantac")
    assert await bithu.say(str(wrong)) == (
        f'"{wrong}" không có trong danh sách. Xin gõ số ở đầu dòng của việc cần hoàn tác.\n'
        f"{ASK}\n\n{no[AN]}. {REMOVAL}{SECRETARY}\n{CHOOSE_KEYED}")
    await bithu.say("/huy")
    assert await bithu.say(f"/hoantac {no[AN]}") == confirm(REMOVAL + SECRETARY, SOURCE, BACK_TO_REVIEW, no[AN])


async def test_a_sponsor_may_not_undo(talk):
    assert await talk("giupdo").say("/hoantac") == NOT_ALLOWED


async def test_a_chain_is_taken_back_from_the_latest_step(talk, demo, no):
    bithu = talk()
    await bithu.say("/xet")
    await bithu.say("1")
    await bithu.say("2")  # An: source → sympathizer
    await bithu.say("/huy")
    demo.clock.advance(minutes=10)
    async with demo.sessions() as session:
        klass = (await session.exec(select(PartyClass).where(PartyClass.title.endswith("khóa 2")))).one().id
    await bithu.say(f"/ghidanh {klass}")
    await bithu.say(str(no[AN]))
    assert await bithu.say("Lưu") == (  # sympathizer → the class
        f'Đã ghi danh {no[AN]}. Nguyễn Văn An vào lớp "Lớp nhận thức về Đảng khóa 2" (đã ghi danh 3/80 chỗ).\n'
        'Nguyễn Văn An chuyển sang giai đoạn "Học lớp nhận thức về Đảng" từ hôm nay.\n'
        + AFTER_ENROLMENT)
    demo.clock.advance(minutes=10)
    enrolment = "Nguyễn Văn An — ghi danh vào lớp \"Lớp nhận thức về Đảng khóa 2\", 02/03/2026, " + SECRETARY
    move_up = "Nguyễn Văn An — xét chuyển lên: Quần chúng ưu tú (nguồn) → Cảm tình Đảng, 02/03/2026, " + SECRETARY
    assert await bithu.say("/hoantac") == f"{ASK}\n\n{no[AN]}. {enrolment}\n{CHOOSE_KEYED}"
    await bithu.say(str(no[AN]))
    assert await bithu.say("Lưu") == undone(enrolment, "Cảm tình Đảng, từ 02/03/2026", no[AN])
    demo.clock.advance(minutes=10)
    assert await bithu.say("/hoantac") == f"{ASK}\n\n{no[AN]}. {move_up}\n{CHOOSE_KEYED}"
    await bithu.say(str(no[AN]))
    assert await bithu.say("Lưu") == undone(move_up, SOURCE, no[AN])
    an = await candidate(demo, AN)
    assert (an.stage, an.stage_since) == ("source", date(2026, 2, 10))
    assert await rows(demo, Enrollment, an.id) == []
    assert await bithu.say(f"/xem {no[AN]}") == an_card(no[AN]) + "\n\nLịch sử (mới nhất trước):\n" + (
        f"- 02/03/2026: hoàn tác việc xét chuyển lên bước sau: Cảm tình Đảng → Quần chúng ưu tú (nguồn) — {SECRETARY}\n"
        f"- 02/03/2026: hoàn tác việc ghi danh vào lớp: Học lớp nhận thức về Đảng → Cảm tình Đảng — {SECRETARY}\n"
        f"- 02/03/2026: Cảm tình Đảng → Học lớp nhận thức về Đảng — {SECRETARY}\n"
        f"- 02/03/2026: Quần chúng ưu tú (nguồn) → Cảm tình Đảng — {SECRETARY}")


async def test_nothing_is_taken_back_once_a_later_stage_change_depends_on_it(talk, demo, no):
    bithu = talk()
    await remove_an(bithu, no)
    async with demo.sessions() as session, session.begin():
        an = await candidate(demo, AN)
        session.add(StageChange(candidate_id=an.id, from_stage="removed", to_stage="transferred", on=TODAY,
                                at=demo.clock.now()))
        an.stage = "transferred"
        session.add(an)
    assert await bithu.say("/hoantac") == (
        NOTHING + "\n\nViệc gần đây không hoàn tác được:\n"
        f"- {no[AN]}. {REMOVAL}{SECRETARY}: người này đã sang bước khác sau việc này.")
