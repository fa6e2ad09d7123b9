"""What chibo keeps about a candidate before they consent (issue 16, docs/personal-data.md).

The branch's register entry, typed by the secretary from the papers the person handed to the
branch (/them, /nhap), is the branch's own record and is kept as typed; ethnicity and religion
are never part of it without a consent naming them. What the person types in their own chat
before they agree is kept nowhere: chibo answers with the notice and stores no word of it."""

from sqlmodel import select

from models.candidate import Candidate
from models.stage import Role
from tests.flows.test_start import invite
from tests.test_erasure import everywhere

TYPED = ["Em là An, số điện thoại 0912345678", "Em người dân tộc Tày, theo đạo Phật", "/toi", "3",
         "Nhà em ở số 7 Lý Thường Kiệt"]
PRIVATE = ["0912345678", "dân tộc Tày", "đạo Phật", "Lý Thường Kiệt"]


async def _an(demo) -> Candidate:
    async with demo.sessions() as session:
        return (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()


def _entry(c: Candidate) -> tuple:
    return (c.full_name, c.birth_date, c.gender, c.category, c.unit, c.youth_union, c.introduced_by, c.note,
            c.private_firm, c.ethnic_minority, c.religious, c.stage)


async def test_nothing_a_candidate_types_before_consenting_is_kept(talk, demo):
    before = await _an(demo)
    an = talk("an")
    await an.say(f"/start {await invite(demo, role=Role.candidate, candidate_id=before.id)}")
    for text in TYPED:
        await an.say(text)
    for value in PRIVATE:
        assert await everywhere(demo, value) == [], value
    after = await _an(demo)
    assert (after.ethnic_minority, after.religious) == (False, False)
    # the branch's register entry is as the secretary typed it from the papers
    assert _entry(after) == _entry(before)


async def test_a_secretary_registers_from_the_papers_before_any_consent_and_the_entry_is_kept(talk, demo):
    bithu = talk("bithu")
    for text in ["/them", "Phan Thị Yến", "03/05/2003", "2", "giáo viên", "Tổ Toán", "có", "Đoàn Thanh niên",
                 "Bỏ qua", "1"]:
        await bithu.say(text)
    async with demo.sessions() as session:
        yen = (await session.exec(select(Candidate).where(Candidate.full_name == "Phan Thị Yến"))).one()
    assert (str(yen.birth_date), yen.gender, yen.category, yen.unit, yen.youth_union) == (
        "2003-05-03", "female", "teacher", "Tổ Toán", True)
    assert (yen.ethnic_minority, yen.religious) == (False, False)  # never asked at registration
