"""A branch new to chibo, nobody on its roster yet: its secretary is shown the first steps
(members, then candidates, then targets) on /start and /trogiup, until a member is there."""

from datetime import date

from sqlmodel import select

from bot.demo import COMMITTEE
from models.org import Organisation, add_org
from models.people import Person, grant_role, link_chat
from models.roster import add_member
from models.stage import OrgKind, Role
from tests.support import Convo, number_of
from tests.texts import SECRETARY_HELP_1, SECRETARY_HELP_2

NEW = "Chi bộ Trường THCS Lê Lợi"
# Its secretary's help, as the demo secretary's but for Vũ Văn Lâm of this branch.
LAM_HELP = SECRETARY_HELP_1.replace("Nguyễn Thị Thu", "Vũ Văn Lâm").replace("Chi bộ Trường THPT Trần Phú (demo)", NEW)


def guide(candidates: str = "có thể nhập cùng tệp đó, hoặc thêm từng người: /them") -> str:
    return (f"{NEW} mới bắt đầu dùng chibo. Ba bước đầu:\n"
            "1. Đảng viên của chi bộ: nhập danh sách có sẵn (trên Telegram gửi tệp Excel cho chibo; cách nhập và "
            "tệp mẫu: /nhap), hoặc thêm từng người: /dangvien\n"
            f"2. Quần chúng ưu tú: {candidates}\n"
            "3. Chỉ tiêu kết nạp của năm: /chitieu\n"
            "Sau đó mời phó bí thư và đảng viên giúp đỡ dùng chibo: /moi")


async def new_branch(demo) -> int:
    async with demo.sessions() as session, session.begin():
        committee = (await session.exec(select(Organisation).where(Organisation.name == COMMITTEE))).one()
        branch = await add_org(session=session, name=NEW, kind=OrgKind.branch, parent=committee, now=demo.clock.now())
        person = Person(full_name="Vũ Văn Lâm", created_at=demo.clock.now())
        session.add(person)
        await session.flush()
        await grant_role(session=session, person_id=person.id, org_id=branch.id, role=Role.secretary)
        await link_chat(session=session, channel="console", account_id="lam", person_id=person.id,
                        now=demo.clock.now())
        return branch.id


async def test_the_secretary_of_an_empty_branch_sees_the_first_steps_until_a_member_is_there(demo):
    branch = await new_branch(demo)
    lam = Convo(demo, account="lam")
    await lam.dialog([
        ("/trogiup", guide() + "\n\n" + LAM_HELP),
        ("/start", guide() + "\n\n" + LAM_HELP),
        ("/trogiup 2", SECRETARY_HELP_2),  # page 1 only
    ])
    async with demo.sessions() as session, session.begin():
        await add_member(session, org_id=branch, full_name="Vũ Văn Lâm", status="official", since=date(2015, 1, 1),
                         now=demo.clock.now())
    assert await lam.say("/trogiup") == LAM_HELP


async def test_the_guide_counts_the_candidates_already_there(demo):
    await new_branch(demo)
    lam = Convo(demo, account="lam")
    for says in ("/them", "Trần Thị Hoa", "05/09/2004", "Nữ", "Giáo viên", "Bỏ qua", "Có", "Đoàn", "Bỏ qua"):
        await lam.say(says)
    saved = await lam.say("Lưu")
    hoa = await number_of(demo, "Trần Thị Hoa", branch=NEW)  # the branch's first number, as the register gave it
    assert saved == (
        f"Đã lưu Trần Thị Hoa vào danh sách quần chúng ưu tú (nguồn) của {NEW}, số {hoa}.\n"
        "Dân tộc thiểu số, tôn giáo: chỉ ghi khi có giấy đồng ý ghi rõ hai mục này (/dongy), rồi sửa bằng "
        f"/sua {hoa}.\n"
        f"Xem lại: /xem {hoa} · Thêm người khác: /them · Danh sách: /ds")
    assert await lam.say("/trogiup") == guide("đã có 1 người (/ds); thêm người: /them") + "\n\n" + LAM_HELP


async def test_the_demo_secretary_whose_branch_has_its_roster_sees_no_guide(talk):
    assert await talk("bithu").say("/trogiup") == SECRETARY_HELP_1
