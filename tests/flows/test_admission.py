"""/ketnap and /chinhthuc: the branch's vote, the committee's decision, the ceremony, the
personal history, recognition or striking off — each at the rules' edges, and who may not."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models import deadlines as d
from models.admission import FailedVote
from models.audit import AuditLog
from models.candidate import Candidate, NewCandidate, StageChange, register_candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.org import Organisation
from models.party_class import Enrollment
from models.people import ChatLink, Person
from models.introducers import IntroducerRecord
from models.roster import MemberStatus, PartyMember, add_member
from models.stage import Category, Gender, IntroducedBy, Stage
from models.statements import SessionStatements
from tests.support import number_of, numbers_of
from tests.texts import (CHOOSE, CHOOSE_KEYED, DATE_HINT, HINT, NO_NEW_MEMBER_CERTIFICATE,
                         NOT_ALLOWED, NOT_LINKED, NOT_UNDERSTOOD, NOT_UNDERSTOOD_STRANGER, ROSTER_11, VOTES_FOR,
                         anh_summary, lan_summary, lan_vote_day, recognition_day, today_choice)

TODAY = date(2026, 3, 2)  # the tests' Monday
# People at an admission step; their register numbers are looked up by name (the `no` fixture).
LAN, HUY, ANH, DUC = "Đặng Ngọc Lan", "Bùi Quốc Huy", "Hoàng Mai Anh", "Tạ Minh Đức"
AN, TUNG, HUYEN = "Nguyễn Văn An", "Võ Thanh Tùng", "Cao Thị Huyền"  # at no admission step


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers of Lan, Huy, Anh and Đức (and of An, Tùng and Huyền), looked up by name."""
    return await numbers_of(demo, (LAN, HUY, ANH, DUC, AN, TUNG, HUYEN))


def vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


async def state(demo, name: str):
    """The demo branch's candidate, their admission record and stage changes, from the database."""
    async with demo.sessions() as session:
        candidate = (await session.exec(
            select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Organisation.name == BRANCH, Candidate.full_name == name))).one()
        record = await session.get(AdmissionRecord, candidate.id)
        changes = list(await session.exec(
            select(StageChange).where(StageChange.candidate_id == candidate.id).order_by(StageChange.id)))
    return candidate, record, changes


async def update(demo, name: str, **values) -> None:
    async with demo.sessions() as session, session.begin():
        candidate, _, _ = await state(demo, name)
        await session.exec(sa.update(Candidate).where(Candidate.id == candidate.id).values(**values))


async def set_roster(demo, officials: int | None) -> None:
    """The demo branch's roster: this many official members since 2010 (None: no roster at all);
    the first introduces Lan (with the Youth Union's resolution), as her sponsor did."""
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        members = select(PartyMember.id).where(PartyMember.org_id == branch.id)
        await session.exec(sa.delete(IntroducerRecord).where(IntroducerRecord.member_id.in_(members)))
        await session.exec(sa.delete(PartyMember).where(PartyMember.org_id == branch.id))
        for i in range(officials or 0):
            member = await add_member(session, org_id=branch.id, full_name=f"Đảng Viên {i + 1}",
                                      status=MemberStatus.official, since=date(2010, 1, 1), now=demo.clock.now())
            if i == 0:
                lan = (await session.exec(select(Candidate).where(Candidate.full_name == "Đặng Ngọc Lan"))).one()
                session.add(IntroducerRecord(candidate_id=lan.id, member_id=member.id, together_since=date(2020, 1, 1),
                                             at=demo.clock.now()))


async def vote(talk, demo, votes: int, members: int, on: str = "hôm nay"):
    """The vote on Lan, the roster holding `members` official members."""
    await set_roster(demo, members)
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {await number_of(demo, LAN)}")
    await bithu.say(on)
    return bithu, await bithu.say(str(votes))


# ---- choosing whom ------------------------------------------------------------------------

WHOM = ("Ghi cho ai? Chọn một người dưới đây (số ở đầu dòng là số trong /ds), hoặc gõ số hay một phần họ tên của "
        f"người khác.\n{HINT}\n\n")


def ketnap_list(no: dict[str, int]) -> str:
    """/ketnap alone: the people at an admission step, by their register numbers."""
    return (WHOM
            + f"{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
            f"{no[HUY]}. Bùi Quốc Huy (1993) — Đã đề nghị kết nạp\n"
            f"{no[ANH]}. Hoàng Mai Anh (1996) — Đảng viên dự bị\n"
            f"{no[DUC]}. Tạ Minh Đức (1994) — Có quyết định kết nạp\n" + CHOOSE_KEYED)


def huy_decided(no: dict[str, int]) -> str:
    return f"Cấp ủy có thẩm quyền đã quyết định thế nào về việc kết nạp {no[HUY]}. Bùi Quốc Huy?\n{HINT}\n\n"


DECISIONS = "1. Kết nạp (đã có quyết định)\n2. Không kết nạp\n3. Gia hạn thêm 30 ngày làm việc\n" + CHOOSE


def huy_summary(no: dict[str, int], due: str = "hạn 12/05/2026") -> str:
    """/ketnap on Bùi Quốc Huy: he waits for the committee's decision."""
    return (f"{no[HUY]}. Bùi Quốc Huy — Đã đề nghị kết nạp từ 05/02/2026\n"
            "- Chi bộ ra nghị quyết đề nghị kết nạp ngày 05/02/2026 (9/11 đảng viên chính thức đồng ý).\n"
            f"- Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: {due}.\n"
            "\n"
            "Ghi quyết định của cấp ủy: kết nạp (ngày, số quyết định, ngày chi bộ nhận), không kết nạp (kèm lý do), "
            "hoặc gia hạn.\n"
            "\n" + huy_decided(no) + DECISIONS)


def lan_note(no: dict[str, int]) -> str:
    """The summary's note when Lan's file misses an item or holds one out of date ({} its code)."""
    return f"- Lưu ý: hồ sơ trong chibo còn thiếu hoặc quá hạn: {{}} (kiểm tra: /denghiketnap {no[LAN]})."


def anh_history_on(no: dict[str, int]) -> str:
    return (f"Ngày {no[ANH]}. Hoàng Mai Anh khai xong lý lịch đảng viên?\n"
            f"{DATE_HINT}\n{HINT}" + today_choice())


async def test_ketnap_alone_lists_the_people_at_an_admission_step(talk, no):
    bithu = talk("bithu")
    # Lan, Huy, Anh and Đức, at an admission step; not An (a source), Huyền (official), Thắng (another branch).
    assert await bithu.say("/ketnap") == ketnap_list(no)
    # A number is the register number, as in /ds: 6 is Lan (the first line), 1 is An (not listed).
    assert await bithu.say(str(no[LAN])) == lan_summary(lan=no[LAN])


async def test_a_number_at_the_list_is_the_register_number_not_the_place(talk, no):
    bithu = talk("bithu")
    await bithu.dialog([("/ketnap", ketnap_list(no))])
    assert await bithu.say(str(no[AN])) == (  # Nguyễn Văn An, his number in /ds: named, and why not
        f'{no[AN]}. Nguyễn Văn An đang ở giai đoạn "Quần chúng ưu tú (nguồn)". Việc này chỉ ghi được cho người ở '
        "giai đoạn: Đang làm hồ sơ, Đã đề nghị kết nạp, Có quyết định kết nạp, Đảng viên dự bị.\n" + ketnap_list(no))
    assert await bithu.say(str(no[HUY])) == huy_summary(no)


async def test_an_empty_list_says_what_to_do(talk, demo):
    for name in (LAN, HUY, ANH, DUC):
        await update(demo, name, stage=Stage.official)
    assert await talk("bithu").say("/ketnap") == (
        "Chưa có ai đang làm hồ sơ, chờ quyết định, chờ lễ kết nạp hay đang dự bị. Xem danh sách: /ds")


def in_dossier(number: int, i: int) -> str:
    """The /ketnap line of the i-th person added in the dossier step (0-based), `number` their register number."""
    return f"{number}. Người Hồ Sơ {chr(65 + i)} (2000) — Đang làm hồ sơ\n"


async def test_a_long_list_pages(talk, demo, no):
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        numbers = []
        for i in range(14):
            numbers.append((await register_candidate(
                db=SessionStatements(session), branch_id=branch.id, by_person_id=None, now=demo.clock.now(),
                today=TODAY,
                stage=Stage.dossier, new=NewCandidate(
                    full_name=f"Người Hồ Sơ {chr(65 + i)}", birth_date=date(2000, 1, 1), gender=Gender.male,
                    category=Category.staff, youth_union=False, introduced_by=IntroducedBy.branch, note=None))).number)
    bithu = talk("bithu")
    # 15 a page in register order: the demo's four, then A..K; L..N on page 2.
    first = ketnap_list(no).replace(CHOOSE_KEYED, "".join(in_dossier(numbers[i], i) for i in range(11))
                                + "– Xem thêm (gõ \"tiếp\")\n" + CHOOSE_KEYED)
    await bithu.dialog([
        ("/ketnap", first),
        ("tiep", "Những người tiếp theo (trang 2) ở danh sách bên dưới.\n" + WHOM
         + "".join(in_dossier(numbers[i], i) for i in range(11, 14)) + CHOOSE_KEYED),
    ])
    assert await bithu.say(str(numbers[13])) == (
        "Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn (Điều lệ Đảng, Điều 4; Hướng dẫn 12-HD/BTCTW):\n"
        "- Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng.\n"
        "- Còn thiếu 1-KNĐ (đơn xin vào Đảng).\n"
        "- Còn thiếu 2-KNĐ (lý lịch người xin vào Đảng và thẩm tra).\n"
        "- Còn thiếu 3-KNĐ (giấy giới thiệu của đảng viên chính thức).\n"
        "- Còn thiếu 5-KNĐ (tổng hợp ý kiến nhận xét).\n"
        f"Để ghi thêm giấy tờ: gõ /huy, ghi bằng /ghihoso {numbers[13]} rồi quay lại /ketnap {numbers[13]}; hoặc chọn "
        "người khác.\n"
        + first)


async def test_a_name_without_diacritics_finds_the_person(talk, no):
    assert await talk("bithu").say("/ketnap dang ngoc lan") == (
        f"{no[LAN]}. Đặng Ngọc Lan — Đang làm hồ sơ từ 01/01/2026\n"
        "- Giấy chứng nhận lớp nhận thức về Đảng: cấp ngày 28/10/2025, hết hạn từ 28/10/2030\n"
        "- Danh sách đảng viên của chi bộ: 11 đảng viên chính thức hôm nay; chibo tính tổng số theo danh sách "
        "vào ngày biểu quyết.\n"
        "\n"
        "Ghi nghị quyết của chi bộ đề nghị kết nạp (6-KNĐ). Cần ít nhất 2/3 tổng số đảng viên chính thức của "
        "chi bộ đồng ý (không phải 2/3 số có mặt). Vào ngày chi bộ họp, người này phải đủ 18 tuổi (tính theo "
        "tháng) và giấy chứng nhận còn hạn.\n"
        "\n"
        f"Ngày chi bộ họp xét và biểu quyết đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan?\n"
        "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
        "\n"
        "1. Hôm nay (02/03/2026)\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_name_matching_several_offers_them_to_pick(talk, no):
    bithu = talk("bithu")
    assert await bithu.say("/ketnap an") == (  # đặng ngọc LAN, hoàng mai ANh
        f"Có 2 người khớp \"an\". Chọn một người.\n\n{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
        f"{no[ANH]}. Hoàng Mai Anh (1996) — Đảng viên dự bị\n" + CHOOSE_KEYED)
    assert await bithu.say(str(no[ANH])) == (
        f"{no[ANH]}. Hoàng Mai Anh — Đảng viên dự bị từ 14/08/2025\n"
        "- Lễ kết nạp ngày 14/08/2025; hết 12 tháng dự bị ngày 14/08/2026.\n"
        "- Tuổi đảng (tính từ ngày quyết định kết nạp 30/07/2025): 0 năm 7 tháng.\n"
        "- Đã khai lý lịch đảng viên ngày 03/09/2025.\n"
        f"Xét công nhận đảng viên chính thức hoặc xóa tên: /chinhthuc {no[ANH]}\n"
        "\n"
        "Ghi ngày khai lý lịch đảng viên (ghi ngày khác để sửa).\n"
        "\n" + anh_history_on(no))


async def test_a_name_typed_after_the_list_goes_on_with_the_command(talk, no):
    bithu = talk("bithu")
    await bithu.say("/ketnap an")
    assert await bithu.say("lan") == (
        f"{no[LAN]}. Đặng Ngọc Lan — Đang làm hồ sơ từ 01/01/2026\n"
        "- Giấy chứng nhận lớp nhận thức về Đảng: cấp ngày 28/10/2025, hết hạn từ 28/10/2030\n"
        "- Danh sách đảng viên của chi bộ: 11 đảng viên chính thức hôm nay; chibo tính tổng số theo danh sách "
        "vào ngày biểu quyết.\n"
        "\n"
        "Ghi nghị quyết của chi bộ đề nghị kết nạp (6-KNĐ). Cần ít nhất 2/3 tổng số đảng viên chính thức của "
        "chi bộ đồng ý (không phải 2/3 số có mặt). Vào ngày chi bộ họp, người này phải đủ 18 tuổi (tính theo "
        "tháng) và giấy chứng nhận còn hạn.\n"
        "\n"
        f"Ngày chi bộ họp xét và biểu quyết đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan?\n"
        "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
        "\n"
        "1. Hôm nay (02/03/2026)\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_people_at_the_right_step_come_first(talk, no):
    # "minh" is also Lê Hoàng Minh, a sympathizer: /ketnap means Tạ Minh Đức
    assert await talk("bithu").say("/ketnap minh") == (
        f"{no[DUC]}. Tạ Minh Đức — Có quyết định kết nạp từ 15/02/2026\n"
        "- Quyết định kết nạp số 125-QĐ/ĐU ngày 10/02/2026.\n"
        "- Chi bộ nhận quyết định ngày 15/02/2026; lễ kết nạp trong 30 ngày làm việc: hạn 03/04/2026.\n"
        "\n"
        "Ghi ngày lễ kết nạp.\n"
        "\n"
        f"Ngày tổ chức lễ kết nạp {no[DUC]}. Tạ Minh Đức? Từ ngày này người đó là đảng viên dự bị.\n"
        "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
        "\n"
        "1. Hôm nay (02/03/2026)\n"
        "(Trả lời bằng số hoặc bằng chữ)")


@pytest.mark.parametrize("command, who, stage", [
    ("/ketnap", AN, "Quần chúng ưu tú (nguồn)"),
    ("/ketnap", TUNG, "Học lớp nhận thức về Đảng"),
    ("/ketnap", HUYEN, "Đảng viên chính thức"),
    ("/chinhthuc", LAN, "Đang làm hồ sơ"),
])
async def test_a_person_at_another_step_is_refused_with_the_reason(talk, no, command, who, stage):
    refusal = f'{no[who]}. {who} đang ở giai đoạn "{stage}". '
    command = f"{command} {no[who]}"
    bithu = talk("bithu")
    if command.startswith("/ketnap"):
        allowed, listed = "Đang làm hồ sơ, Đã đề nghị kết nạp, Có quyết định kết nạp, Đảng viên dự bị", "/ketnap"
    else:
        allowed, listed = "Đảng viên dự bị", "/chinhthuc"
    assert await bithu.say(command) == (
        f"{refusal}Việc này chỉ ghi được cho người ở giai đoạn: {allowed}.\n"
        f"Xem những người ghi được: {listed} · Xem cả danh sách: /ds")
    assert await bithu.say("hôm nay") == NOT_UNDERSTOOD  # no conversation was started


@pytest.mark.parametrize("who", ["99", "ngo duc thang"])  # nobody; someone of the other branch
async def test_someone_out_of_reach_is_not_found(talk, who):
    assert await talk("bithu").say(f"/ketnap {who}") == (
        f'Không tìm thấy ai khớp với "{who}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ tên '
        "khác.\n"
        "Xem những người ghi được: /ketnap · Xem cả danh sách: /ds")


# ---- dossier: the branch's vote ------------------------------------------------------------

@pytest.mark.parametrize("votes, members", [(6, 9), (8, 11), (2, 2)])
async def test_exactly_two_thirds_of_the_official_members_passes(talk, demo, votes, members, no):
    bithu, screen = await vote(talk, demo, votes, members)
    assert screen == passed_screen(no, votes, members)
    assert await bithu.say("Lưu") == lan_proposed(no, votes, members, votes)
    candidate, record, changes = await state(demo, LAN)
    assert (candidate.stage, candidate.stage_since) == (Stage.proposed, TODAY)
    assert (record.resolution_on, record.votes_for, record.official_members) == (TODAY, votes, members)
    assert (changes[-1].from_stage, changes[-1].to_stage, changes[-1].on) == (Stage.dossier, Stage.proposed, TODAY)


def passed_screen(no: dict[str, int], votes: int, members: int, day: date = TODAY) -> str:
    """Lan's confirmation screen for a vote that passes, the roster counting `members` on `day`."""
    return (f"Xin kiểm tra lại trước khi lưu — {no[LAN]}. Đặng Ngọc Lan:\n"
            f"- Ngày chi bộ biểu quyết đề nghị kết nạp: {vn(day)}\n"
            f"- Số đảng viên chính thức đồng ý: {votes}\n"
            f"- Tổng số đảng viên chính thức của chi bộ: {members} (theo danh sách đảng viên ngày {vn(day)})\n"
            'Khi lưu: chuyển sang giai đoạn "Đã đề nghị kết nạp".\n'
            "\n"
            "1. Lưu\n2. Sửa người\n3. Sửa ngày biểu quyết\n4. Sửa số đồng ý\n5. Hủy\n" + CHOOSE)


def lan_proposed(no: dict[str, int], votes: int, members: int, needed: int, day: date = TODAY) -> str:
    """Saved: the branch proposes Lan; the committee's deadline counts from the vote's day."""
    return (f"Đã ghi nghị quyết của chi bộ ngày {vn(day)}: {votes}/{members} đảng viên chính thức đồng ý (cần ít "
            f"nhất {needed}).\n"
            f'Đặng Ngọc Lan chuyển sang giai đoạn "Đã đề nghị kết nạp" từ ngày {vn(day)}.\n'
            "Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: "
            f"hạn {vn(d.admission_decision_due(day))}.\n"
            f"Khi có quyết định: /ketnap {no[LAN]}")


def failed_vote_screen(no: dict[str, int], votes: int, members: int, needed: int) -> str:
    return (
        f"Xin kiểm tra lại trước khi lưu — {no[LAN]}. Đặng Ngọc Lan:\n"
        f"- Ngày chi bộ biểu quyết đề nghị kết nạp: {vn(TODAY)}\n"
        f"- Số đảng viên chính thức đồng ý: {votes}\n"
        f"- Tổng số đảng viên chính thức của chi bộ: {members} (theo danh sách đảng viên ngày {vn(TODAY)})\n"
        f"Chưa đạt: cần ít nhất {needed}/{members} đảng viên chính thức đồng ý (2/3 tổng số, không phải 2/3 số "
        f"có mặt); mới có {votes}.\n"
        'Khi lưu: ghi nhận biểu quyết không đạt (ngày, số phiếu); người này vẫn ở giai đoạn "Đang làm hồ sơ". '
        "Nếu nhập nhầm số, chọn Sửa.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa ngày biểu quyết\n4. Sửa số đồng ý\n5. Hủy\n(Trả lời bằng số hoặc bằng chữ)")


async def failed(demo, name: str) -> list[FailedVote]:
    candidate, _, _ = await state(demo, name)
    async with demo.sessions() as session:
        return list(await session.exec(select(FailedVote).where(FailedVote.candidate_id == candidate.id)
                                       .order_by(FailedVote.id)))


@pytest.mark.parametrize("votes, members, needed", [(3, 5, 4), (5, 9, 6), (7, 11, 8), (1, 2, 2)])
async def test_a_vote_below_two_thirds_is_saved_as_failed_and_the_person_stays_in_dossier(
        talk, demo, votes, members, needed, no):
    bithu, screen = await vote(talk, demo, votes, members)
    assert screen == failed_vote_screen(no, votes, members, needed)
    assert await failed(demo, LAN) == []  # nothing before "Lưu"
    assert await bithu.say("Lưu") == (
        f"Đã ghi biểu quyết của chi bộ ngày {vn(TODAY)}: không đạt — {votes}/{members} đảng viên chính thức "
        f"đồng ý (cần ít nhất {needed}).\n"
        f'Đặng Ngọc Lan vẫn ở giai đoạn "Đang làm hồ sơ"; biểu quyết này hiện trên thẻ: /xem {no[LAN]}\n'
        f"Khi chi bộ biểu quyết lại: /ketnap {no[LAN]}")
    candidate, record, changes = await state(demo, LAN)
    assert candidate.stage == Stage.dossier and record.resolution_on is None and len(changes) == 1
    [row] = await failed(demo, LAN)
    async with demo.sessions() as session:
        bithu_id = (await session.exec(select(Person.id).where(Person.full_name == "Nguyễn Thị Thu"))).one()
    assert (row.on, row.votes_for, row.official_members, row.by_person_id) == (TODAY, votes, members, bithu_id)


async def test_the_card_shows_a_failed_vote_and_a_later_vote_may_pass(talk, demo, no):
    bithu, _ = await vote(talk, demo, 3, 5)
    await bithu.say("Lưu")
    assert await bithu.say(f"/xem {no[LAN]}") == (
        f"{no[LAN]}. Đặng Ngọc Lan\n"
        "- Ngày sinh: 28/02/1997 · Nữ\n"
        "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Đang làm hồ sơ, từ 01/01/2026\n"
        f"- Biểu quyết đề nghị kết nạp ngày {vn(TODAY)}: không đạt (3/5 đảng viên chính thức đồng ý)\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Người giới thiệu: Đảng Viên 1 (cùng công tác từ 01/01/2020)\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Bước tiếp theo: hoàn thiện hồ sơ để chi bộ xét, biểu quyết đề nghị kết nạp, hạn 01/01/2027 "
        "(Điều lệ Đảng, Điều 4; Hướng dẫn 06-HD/TW, mục 3.6)")
    demo.clock.advance(days=30)
    bithu, _ = await vote(talk, demo, 4, 5)
    assert await bithu.say("Lưu") == (
        "Đã ghi nghị quyết của chi bộ ngày 01/04/2026: 4/5 đảng viên chính thức đồng ý (cần ít nhất 4).\n"
        "Đặng Ngọc Lan chuyển sang giai đoạn \"Đã đề nghị kết nạp\" từ ngày 01/04/2026.\n"
        "Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: hạn 29/06/2026.\n"
        f"Khi có quyết định: /ketnap {no[LAN]}")
    candidate, record, _ = await state(demo, LAN)
    assert candidate.stage == Stage.proposed and (record.votes_for, record.official_members) == (4, 5)
    assert [(v.on, v.votes_for) for v in await failed(demo, LAN)] == [(TODAY, 3)]  # still on record


async def test_a_typo_in_the_counts_is_fixed_on_the_confirmation_screen(talk, demo, no):
    bithu, _ = await vote(talk, demo, 5, 9)
    await bithu.dialog([("Sửa số đồng ý", VOTES_FOR), ("7", passed_screen(no, 7, 9))])  # no longer a failed vote
    assert await bithu.say("Lưu") == lan_proposed(no, 7, 9, 6)
    _, record, _ = await state(demo, LAN)
    assert record.votes_for == 7


async def test_more_votes_than_members_is_asked_again(talk, demo, no):
    bithu, reply = await vote(talk, demo, 12, 11)
    assert reply == "Số đồng ý (12) nhiều hơn số đảng viên chính thức (11).\n" + VOTES_FOR
    assert await bithu.say("8") == passed_screen(no, 8, 11)


@pytest.mark.parametrize("answer, reason", [
    ("03/03/2026", "Ngày 03/03/2026 chưa tới (hôm nay là 02/03/2026).\n"),
    ("tuần trước", 'Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 02/03/2026 hoặc 2/3, hoặc "hôm '
                   'nay", "hôm qua".\n'),
    ("30/02/2026", "Không có ngày 30/02/2026 trên lịch. Xin kiểm tra lại ngày và tháng.\n"),
    # Lan's dossier began 01/01/2026
    ("31/12/2025", "Ngày 31/12/2025 sớm hơn ngày người này bắt đầu giai đoạn hiện tại (01/01/2026).\n"),
    ("", "Chưa có câu trả lời.\n"),
])
async def test_a_wrong_meeting_date_is_explained_and_asked_again(talk, answer, reason, no):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {no[LAN]}", lan_summary(lan=no[LAN]))])
    assert await bithu.say(answer) == reason + lan_vote_day(no[LAN])


async def test_a_short_date_is_read(talk, no):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {no[LAN]}", lan_summary(lan=no[LAN])), ("27/2/26", VOTES_FOR)])
    assert await bithu.say("8") == passed_screen(no, 8, 11, date(2026, 2, 27))


async def test_under_18_on_the_meeting_day_is_refused(talk, demo, no):
    await update(demo, LAN, birth_date=date(2008, 3, 3))  # 18 tomorrow
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {no[LAN]}", lan_summary(lan=no[LAN]))])
    under_18 = "Chưa đủ 18 tuổi: người này đủ 18 tuổi từ ngày 03/03/2026.\n" + lan_vote_day(no[LAN])
    assert await bithu.say("hôm nay") == under_18
    assert await bithu.say("hôm nay") == under_18  # asked again, never the votes


async def test_the_certificate_must_be_valid_on_the_meeting_day(talk, demo, no):
    async with demo.sessions() as session, session.begin():
        candidate, _, _ = await state(demo, LAN)
        await session.exec(sa.update(Enrollment).where(Enrollment.candidate_id == candidate.id)
                           .values(certificate_on=date(2021, 3, 1)))  # 60 months end on 01/03/2026
        await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == candidate.id,
                                                         DossierEntry.item == "CN-NTVĐ"))
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[LAN]}")
    assert await bithu.say("hôm nay") == (
        "Giấy chứng nhận lớp nhận thức về Đảng cấp ngày 01/03/2021 đã hết hạn từ 01/03/2026 (giá trị 60 "
        "tháng); cần học lại.\n"
        f"Ngày chi bộ họp xét và biểu quyết đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan?\n"
        "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
        "\n"
        "1. Hôm nay (02/03/2026)\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("28/02/2026") == (
        "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)")  # its last valid day


async def test_without_a_certificate_there_is_no_vote(talk, demo, no):
    async with demo.sessions() as session, session.begin():
        candidate, _, _ = await state(demo, LAN)
        await session.exec(sa.delete(Enrollment).where(Enrollment.candidate_id == candidate.id))
        await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == candidate.id,
                                                         DossierEntry.item == "CN-NTVĐ"))
    bithu = talk("bithu")
    assert await bithu.say(f"/ketnap {no[LAN]}") == (
        "Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn (Điều lệ Đảng, Điều 4; Hướng dẫn "
        "12-HD/BTCTW):\n"
        "- Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng.\n"
        f"Ghi từng giấy tờ bằng /ghihoso {no[LAN]}, rồi ghi biểu quyết bằng /ketnap {no[LAN]}.\n"
        "Xem những người ghi được: /ketnap · Xem cả danh sách: /ds")
    assert await bithu.say("hôm nay") == (
        "chibo chưa hiểu tin nhắn này. Gõ /trogiup để xem các lệnh bạn dùng được.")  # no conversation was started


async def test_a_certificate_typed_with_the_dossier_counts_as_a_class_result(talk, demo, no):
    # Lan's class was held before chibo: no class in chibo, only the certificate typed with /ghihoso.
    async with demo.sessions() as session, session.begin():
        candidate, _, _ = await state(demo, LAN)
        await session.exec(sa.delete(Enrollment).where(Enrollment.candidate_id == candidate.id))
        await session.exec(sa.update(DossierEntry).where(DossierEntry.candidate_id == candidate.id,
                                                         DossierEntry.item == "CN-NTVĐ")
                           .values(dated=date(2024, 5, 10)))
    bithu = talk("bithu")
    assert await bithu.say(f"/ketnap {no[LAN]}") == lan_summary(
        lan=no[LAN], certificate="10/05/2024, hết hạn từ 10/05/2029")
    assert await bithu.say("hôm nay") == (
        "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)")  # the vote goes on


async def test_the_summary_says_the_count_comes_from_the_roster(talk, no):
    assert await talk("bithu").say(f"/ketnap {no[LAN]}") == lan_summary((
        "- Danh sách đảng viên của chi bộ: 11 đảng viên chính thức hôm nay; chibo tính tổng số theo danh sách vào "
        "ngày biểu quyết."), lan=no[LAN])


# ---- the file: complete and valid on the vote's day (the one list /denghiketnap shows) ----------

async def set_entry(demo, item: str, dated: date | None) -> None:
    """Lan's entry for this item dated so (None: not recorded)."""
    async with demo.sessions() as session, session.begin():
        candidate, _, _ = await state(demo, LAN)
        await session.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == candidate.id,
                                                         DossierEntry.item == item))
        if dated is not None:
            session.add(DossierEntry(candidate_id=candidate.id, item=item, dated=dated, at=demo.clock.now()))


async def test_a_vote_is_refused_while_items_are_missing_naming_each_and_how_to_record_it(talk, demo, no):
    await set_entry(demo, "3-KNĐ", None)
    await set_entry(demo, "4-KNĐ", None)
    bithu = talk("bithu")
    assert await bithu.say(f"/ketnap {no[LAN]}") == (
        "Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn (Điều lệ Đảng, Điều 4; Hướng dẫn "
        "12-HD/BTCTW):\n"
        "- Còn thiếu 3-KNĐ (giấy giới thiệu của đảng viên chính thức).\n"
        "- Còn thiếu 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)).\n"
        f"Ghi từng giấy tờ bằng /ghihoso {no[LAN]}, rồi ghi biểu quyết bằng /ketnap {no[LAN]}.\n"
        "Xem những người ghi được: /ketnap · Xem cả danh sách: /ds")
    assert await bithu.say(f"/denghiketnap {no[LAN]}") == (  # the same list
        f"Chưa thể đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan (tính đến hôm nay, 02/03/2026):\n"
        "- Còn thiếu 3-KNĐ (giấy giới thiệu của đảng viên chính thức).\n"
        "- Còn thiếu 4-KNĐ (nghị quyết giới thiệu của Đoàn (Công đoàn)).\n"
        "Ghi ngày giấy tờ bằng /ghihoso, xem lại hồ sơ bằng /hoso.\n"
        "\n"
        "1. Ghi ngày một mục\n"
        "2. Xem hồ sơ\n" + CHOOSE)
    candidate, record, _ = await state(demo, LAN)
    assert candidate.stage == Stage.dossier and record.resolution_on is None


def stale_3(no: dict[str, int]) -> str:
    return f"""\
Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn vào ngày 02/03/2026 (Điều lệ Đảng, Điều 4; Hướng \
dẫn 12-HD/BTCTW; Hướng dẫn 01-HD/TW):
- 3-KNĐ (giấy giới thiệu của đảng viên chính thức) ngày 01/03/2025 đã quá 12 tháng (hạn 01/03/2026); cần làm lại.
Để ghi thêm giấy tờ: gõ /huy, ghi bằng /ghihoso {no[LAN]} rồi quay lại /ketnap {no[LAN]}; nếu nhầm ngày họp, gõ lại \
ngày.
Ngày chi bộ họp xét và biểu quyết đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan?
Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc "hôm nay".
(Gõ "quay lại" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)

1. Hôm nay (02/03/2026)
(Trả lời bằng số hoặc bằng chữ)"""


async def test_introducers_letters_more_than_12_months_old_on_the_vote_s_day_are_refused(talk, demo, no):
    await set_entry(demo, "3-KNĐ", date(2025, 3, 1))  # 12 months ended on 01/03/2026
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[LAN]}")
    assert await bithu.say("hôm nay") == stale_3(no)
    assert await bithu.say("01/03/2026") == (  # its last day: allowed
        "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)")


async def test_introducers_letters_exactly_12_months_old_are_still_valid(talk, demo, no):
    await set_entry(demo, "3-KNĐ", date(2025, 3, 2))
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[LAN]}")
    assert await bithu.say("hôm nay") == (
        "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)")
    assert await bithu.say("8") == (
        f"Xin kiểm tra lại trước khi lưu — {no[LAN]}. Đặng Ngọc Lan:\n"
        "- Ngày chi bộ biểu quyết đề nghị kết nạp: 02/03/2026\n"
        "- Số đảng viên chính thức đồng ý: 8\n"
        "- Tổng số đảng viên chính thức của chi bộ: 11 (theo danh sách đảng viên ngày 02/03/2026)\n"
        "Khi lưu: chuyển sang giai đoạn \"Đã đề nghị kết nạp\".\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa ngày biểu quyết\n"
        "4. Sửa số đồng ý\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (
        "Đã ghi nghị quyết của chi bộ ngày 02/03/2026: 8/11 đảng viên chính thức đồng ý (cần ít nhất 8).\n"
        "Đặng Ngọc Lan chuyển sang giai đoạn \"Đã đề nghị kết nạp\" từ ngày 02/03/2026.\n"
        "Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: hạn 28/05/2026.\n"
        f"Khi có quyết định: /ketnap {no[LAN]}")


async def test_a_paper_dated_after_the_meeting_is_refused(talk, demo, no):
    await set_entry(demo, "5-KNĐ", date(2026, 2, 20))
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {no[LAN]}", lan_summary(lan=no[LAN]))])  # dated before today: nothing to note
    assert await bithu.say("19/02/2026") == (
        "Chưa thể biểu quyết kết nạp: hồ sơ chưa đủ hoặc đã quá hạn vào ngày 19/02/2026 (Điều lệ Đảng, Điều 4; "
        "Hướng dẫn 12-HD/BTCTW):\n"
        "- 5-KNĐ (tổng hợp ý kiến nhận xét) ghi ngày 20/02/2026, sau ngày chi bộ họp 19/02/2026.\n"
        f"Để ghi thêm giấy tờ: gõ /huy, ghi bằng /ghihoso {no[LAN]} rồi quay lại /ketnap {no[LAN]}; nếu nhầm ngày họp, "
        "gõ lại "
        "ngày.\n" + lan_vote_day(no[LAN]))
    assert await bithu.say("20/02/2026") == (
        "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)")


# ---- the official members: from the roster, or typed and confirmed --------------------------

async def test_the_count_is_the_roster_s_official_members_on_the_vote_s_day(talk, demo, no):
    await set_roster(demo, 9)
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        await add_member(session, org_id=branch.id, full_name="Người Mới", status=MemberStatus.official,
                         since=date(2026, 2, 28), now=demo.clock.now())
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ketnap {no[LAN]}", lan_summary(ROSTER_11.replace("11", "10"), lan=no[LAN])),
        ("27/02/2026", VOTES_FOR),
        ("7", passed_screen(no, 7, 9, date(2026, 2, 27))),  # the roster on that day; the total is not asked
        ("Sửa ngày biểu quyết", lan_vote_day(no[LAN])),
        ("hôm nay", passed_screen(no, 7, 10)),  # counted again for the new day
    ])
    await bithu.say("Lưu")
    _, record, _ = await state(demo, LAN)
    assert (record.votes_for, record.official_members, record.official_members_typed) == (7, 10, False)


async def test_without_a_roster_the_secretary_types_and_confirms_the_count_and_the_record_says_so(talk, demo, no):
    await set_roster(demo, None)
    bithu = talk("bithu")
    assert await bithu.say(f"/ketnap {no[LAN]}") == lan_summary((
        "- Chi bộ chưa có danh sách đảng viên trong chibo (/dangvien): bạn nhập và xác nhận tổng số đảng viên "
        "chính thức."), lan=no[LAN])
    await bithu.dialog([
        ("hôm nay",
         "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("8",
         "Chi bộ có tổng cộng bao nhiêu đảng viên chính thức, kể cả người vắng mặt? Nghị quyết cần ít nhất 2/3 "
         "tổng số này đồng ý (không phải 2/3 số có mặt).\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
    ])
    assert await bithu.say("12") == (
        "Chi bộ chưa có danh sách đảng viên trong chibo (/dangvien) nên chibo không kiểm được con số này. Bạn xác "
        'nhận chi bộ có 12 đảng viên chính thức vào ngày biểu quyết? Nếu nhầm, gõ "quay lại".\n\n'
        "1. Xác nhận số đảng viên chính thức\n(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("11") == (
        "\"11\" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n"
        "Chi bộ chưa có danh sách đảng viên trong chibo (/dangvien) nên chibo không kiểm được con số này. Bạn "
        "xác nhận chi bộ có 12 đảng viên chính thức vào ngày biểu quyết? Nếu nhầm, gõ \"quay lại\".\n"
        "\n"
        "1. Xác nhận số đảng viên chính thức\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Xác nhận") == (
        f"Xin kiểm tra lại trước khi lưu — {no[LAN]}. Đặng Ngọc Lan:\n"
        "- Ngày chi bộ biểu quyết đề nghị kết nạp: 02/03/2026\n"
        "- Số đảng viên chính thức đồng ý: 8\n"
        "- Tổng số đảng viên chính thức của chi bộ: 12 (bí thư xác nhận: chi bộ chưa có danh sách đảng viên trong "
        "chibo)\n"
        'Khi lưu: chuyển sang giai đoạn "Đã đề nghị kết nạp".\n'
        "\n"
        "1. Lưu\n2. Sửa người\n3. Sửa ngày biểu quyết\n4. Sửa số đồng ý\n5. Sửa số đảng viên chính thức\n"
        "6. Sửa xác nhận số đảng viên\n7. Hủy\n" + CHOOSE)
    assert await bithu.say("Lưu") == (
        "Đã ghi nghị quyết của chi bộ ngày 02/03/2026: 8/12 đảng viên chính thức đồng ý (cần ít nhất 8).\n"
        "Đặng Ngọc Lan chuyển sang giai đoạn \"Đã đề nghị kết nạp\" từ ngày 02/03/2026.\n"
        "Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: hạn 28/05/2026.\n"
        f"Khi có quyết định: /ketnap {no[LAN]}")
    _, record, _ = await state(demo, LAN)
    assert (record.votes_for, record.official_members, record.official_members_typed) == (8, 12, True)


async def test_a_failed_vote_without_a_roster_is_kept_as_typed(talk, demo, no):
    await set_roster(demo, None)
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ketnap {no[LAN]}",
         f"{no[LAN]}. Đặng Ngọc Lan — Đang làm hồ sơ từ 01/01/2026\n"
         "- Giấy chứng nhận lớp nhận thức về Đảng: cấp ngày 28/10/2025, hết hạn từ 28/10/2030\n"
         "- Chi bộ chưa có danh sách đảng viên trong chibo (/dangvien): bạn nhập và xác nhận tổng số đảng viên "
         "chính thức.\n"
         "\n"
         "Ghi nghị quyết của chi bộ đề nghị kết nạp (6-KNĐ). Cần ít nhất 2/3 tổng số đảng viên chính thức của "
         "chi bộ đồng ý (không phải 2/3 số có mặt). Vào ngày chi bộ họp, người này phải đủ 18 tuổi (tính theo "
         "tháng) và giấy chứng nhận còn hạn.\n"
         "\n"
         f"Ngày chi bộ họp xét và biểu quyết đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan?\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (02/03/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("3",
         "Chi bộ có tổng cộng bao nhiêu đảng viên chính thức, kể cả người vắng mặt? Nghị quyết cần ít nhất 2/3 "
         "tổng số này đồng ý (không phải 2/3 số có mặt).\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("5",
         "Chi bộ chưa có danh sách đảng viên trong chibo (/dangvien) nên chibo không kiểm được con số này. Bạn "
         "xác nhận chi bộ có 5 đảng viên chính thức vào ngày biểu quyết? Nếu nhầm, gõ \"quay lại\".\n"
         "\n"
         "1. Xác nhận số đảng viên chính thức\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("1",
         f"Xin kiểm tra lại trước khi lưu — {no[LAN]}. Đặng Ngọc Lan:\n"
         "- Ngày chi bộ biểu quyết đề nghị kết nạp: 02/03/2026\n"
         "- Số đảng viên chính thức đồng ý: 3\n"
         "- Tổng số đảng viên chính thức của chi bộ: 5 (bí thư xác nhận: chi bộ chưa có danh sách đảng viên "
         "trong chibo)\n"
         "Chưa đạt: cần ít nhất 4/5 đảng viên chính thức đồng ý (2/3 tổng số, không phải 2/3 số có mặt); mới "
         "có 3.\n"
         "Khi lưu: ghi nhận biểu quyết không đạt (ngày, số phiếu); người này vẫn ở giai đoạn \"Đang làm hồ sơ\". "
         "Nếu nhập nhầm số, chọn Sửa.\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa ngày biểu quyết\n"
         "4. Sửa số đồng ý\n"
         "5. Sửa số đảng viên chính thức\n"
         "6. Sửa xác nhận số đảng viên\n"
         "7. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    await bithu.say("Lưu")
    [row] = await failed(demo, LAN)
    assert (row.votes_for, row.official_members, row.official_members_typed) == (3, 5, True)


async def test_back_goes_to_the_previous_question(talk, no):
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[LAN]}")
    await bithu.say("hôm nay")
    assert await bithu.say("quay lại") == (
        f"Ngày chi bộ họp xét và biểu quyết đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan?\n"
        "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
        "\n"
        "1. Hôm nay (02/03/2026)\n"
        "(Trả lời bằng số hoặc bằng chữ)")


# ---- proposed: the committee's decision --------------------------------------------------

RESOLUTION = TODAY - timedelta(days=25)


async def test_the_decision_deadline_is_shown_and_overdue_said(talk, demo, no):
    due = d.admission_decision_due(RESOLUTION)
    bithu = talk("bithu")
    assert await bithu.say(f"/ketnap {no[HUY]}") == huy_summary(no, f"hạn {vn(due)}")
    await bithu.say("/huy")
    demo.clock.advance(days=(due - TODAY).days)
    assert await bithu.say(f"/ketnap {no[HUY]}") == huy_summary(no, f"hạn {vn(due)}")  # its last day: not overdue
    await bithu.say("/huy")
    demo.clock.advance(days=1)
    assert await bithu.say(f"/ketnap {no[HUY]}") == huy_summary(no, f"hạn {vn(due)} — ĐÃ QUÁ HẠN")


async def test_an_admission_decision_moves_to_admitted(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ketnap {no[HUY]}",
         f"{no[HUY]}. Bùi Quốc Huy — Đã đề nghị kết nạp từ 05/02/2026\n"
         "- Chi bộ ra nghị quyết đề nghị kết nạp ngày 05/02/2026 (9/11 đảng viên chính thức đồng ý).\n"
         "- Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: hạn 12/05/2026.\n"
         "\n"
         "Ghi quyết định của cấp ủy: kết nạp (ngày, số quyết định, ngày chi bộ nhận), không kết nạp (kèm lý "
         "do), hoặc gia hạn.\n"
         "\n"
         f"Cấp ủy có thẩm quyền đã quyết định thế nào về việc kết nạp {no[HUY]}. Bùi Quốc Huy?\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Kết nạp (đã có quyết định)\n"
         "2. Không kết nạp\n"
         "3. Gia hạn thêm 30 ngày làm việc\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Kết nạp",
         "Ngày ký quyết định kết nạp (9-KNĐ)? Tuổi đảng được tính từ ngày này.\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (02/03/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("25/02/2026",
         "Số quyết định? (ví dụ 125-QĐ/ĐU, tối đa 40 ký tự)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("130-QĐ/ĐU",
         "Ngày chi bộ nhận được quyết định? Lễ kết nạp phải tổ chức trong 30 ngày làm việc kể từ ngày này.\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (02/03/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("27/02/2026",
         f"Xin kiểm tra lại trước khi lưu — {no[HUY]}. Bùi Quốc Huy:\n"
         "- Quyết định của cấp ủy: Kết nạp (đã có quyết định)\n"
         "- Ngày quyết định kết nạp: 25/02/2026\n"
         "- Số quyết định: 130-QĐ/ĐU\n"
         "- Ngày chi bộ nhận quyết định: 27/02/2026\n"
         "Khi lưu: chuyển sang giai đoạn \"Có quyết định kết nạp\".\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa quyết định\n"
         "4. Sửa ngày quyết định\n"
         "5. Sửa số quyết định\n"
         "6. Sửa ngày nhận quyết định\n"
         "7. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("Lưu") == (
        "Đã ghi quyết định kết nạp số 130-QĐ/ĐU ngày 25/02/2026; chi bộ nhận ngày 27/02/2026.\n"
        'Bùi Quốc Huy chuyển sang giai đoạn "Có quyết định kết nạp". Tuổi đảng sẽ tính từ ngày 25/02/2026.\n'
        "Tổ chức lễ kết nạp trong 30 ngày làm việc kể từ ngày nhận: "
        f"hạn {vn(d.ceremony_due(date(2026, 2, 27)))}.\n"
        f"Sau lễ kết nạp: /ketnap {no[HUY]}")
    candidate, record, changes = await state(demo, HUY)
    assert (candidate.stage, candidate.stage_since) == (Stage.admitted, date(2026, 2, 27))
    assert (record.decision_on, record.decision_number, record.decision_received_on) == (
        date(2026, 2, 25), "130-QĐ/ĐU", date(2026, 2, 27))
    assert changes[-1].to_stage == Stage.admitted


TODAY_CHOICE = "\n\n1. Hôm nay (02/03/2026)\n(Trả lời bằng số hoặc bằng chữ)"  # a date question's default
SIGNED_ON = ("Ngày ký quyết định kết nạp (9-KNĐ)? Tuổi đảng được tính từ ngày này.\n"
             'Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc "hôm nay".\n' + HINT + TODAY_CHOICE)
RECEIVED_ON = ("Ngày chi bộ nhận được quyết định? Lễ kết nạp phải tổ chức trong 30 ngày làm việc kể từ ngày này.\n"
               'Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc "hôm nay".\n' + HINT + TODAY_CHOICE)


@pytest.mark.parametrize("decided, received, expect", [
    ("04/02/2026", None, "Ngày 04/02/2026 sớm hơn ngày chi bộ ra nghị quyết đề nghị kết nạp (05/02/2026). Xin kiểm tra "
                         "lại.\n" + SIGNED_ON),
    ("25/02/2026", "24/02/2026", "Ngày 24/02/2026 sớm hơn ngày ký quyết định kết nạp (25/02/2026). Xin kiểm tra lại.\n"
                                 + RECEIVED_ON),
])
async def test_decision_dates_keep_their_order(talk, decided, received, expect, no):
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[HUY]}")
    assert await bithu.say("1") == SIGNED_ON
    reply = await bithu.say(decided)
    if received:
        await bithu.say("130-QĐ/ĐU")
        reply = await bithu.say(received)
    assert reply == expect


async def test_a_refusal_goes_back_to_dossier_with_its_reason(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ketnap {no[HUY]}",
         f"{no[HUY]}. Bùi Quốc Huy — Đã đề nghị kết nạp từ 05/02/2026\n"
         "- Chi bộ ra nghị quyết đề nghị kết nạp ngày 05/02/2026 (9/11 đảng viên chính thức đồng ý).\n"
         "- Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: hạn 12/05/2026.\n"
         "\n"
         "Ghi quyết định của cấp ủy: kết nạp (ngày, số quyết định, ngày chi bộ nhận), không kết nạp (kèm lý "
         "do), hoặc gia hạn.\n"
         "\n"
         f"Cấp ủy có thẩm quyền đã quyết định thế nào về việc kết nạp {no[HUY]}. Bùi Quốc Huy?\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Kết nạp (đã có quyết định)\n"
         "2. Không kết nạp\n"
         "3. Gia hạn thêm 30 ngày làm việc\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("không kết nạp",
         "Ngày cấp ủy trả lời không kết nạp?\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (02/03/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         f"Lý do cấp ủy không kết nạp? (bắt buộc, tối đa 500 ký tự) Sau khi lưu, {no[HUY]}. Bùi Quốc Huy trở lại giai "
         "đoạn làm hồ sơ.\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("",
         "Chưa có câu trả lời.\n"
         f"Lý do cấp ủy không kết nạp? (bắt buộc, tối đa 500 ký tự) Sau khi lưu, {no[HUY]}. Bùi Quốc Huy trở lại giai "
         "đoạn làm hồ sơ.\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("Chưa đủ thời gian thẩm tra lý lịch",
         f"Xin kiểm tra lại trước khi lưu — {no[HUY]}. Bùi Quốc Huy:\n"
         "- Quyết định của cấp ủy: Không kết nạp\n"
         "- Ngày cấp ủy trả lời: 02/03/2026\n"
         "- Lý do: Chưa đủ thời gian thẩm tra lý lịch\n"
         "Khi lưu: trở lại giai đoạn \"Đang làm hồ sơ\".\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa quyết định\n"
         "4. Sửa ngày trả lời\n"
         "5. Sửa lý do không kết nạp\n"
         "6. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("Lưu") == (
        "Đã ghi: cấp ủy không kết nạp Bùi Quốc Huy (trả lời ngày 02/03/2026). Lý do: Chưa đủ thời gian thẩm "
        "tra lý lịch\n"
        f"Bùi Quốc Huy trở lại giai đoạn \"Đang làm hồ sơ\". Khi chi bộ xét lại: /ketnap {no[HUY]}")
    candidate, record, changes = await state(demo, HUY)
    assert candidate.stage == Stage.dossier and record.refused_reason == "Chưa đủ thời gian thẩm tra lý lịch"
    assert (changes[-1].from_stage, changes[-1].reason) == (Stage.proposed, "Chưa đủ thời gian thẩm tra lý lịch")


async def test_the_outcome_cannot_be_switched_on_the_confirmation_screen(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ketnap {no[HUY]}",
         f"{no[HUY]}. Bùi Quốc Huy — Đã đề nghị kết nạp từ 05/02/2026\n"
         "- Chi bộ ra nghị quyết đề nghị kết nạp ngày 05/02/2026 (9/11 đảng viên chính thức đồng ý).\n"
         "- Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: hạn 12/05/2026.\n"
         "\n"
         "Ghi quyết định của cấp ủy: kết nạp (ngày, số quyết định, ngày chi bộ nhận), không kết nạp (kèm lý "
         "do), hoặc gia hạn.\n"
         "\n"
         f"Cấp ủy có thẩm quyền đã quyết định thế nào về việc kết nạp {no[HUY]}. Bùi Quốc Huy?\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Kết nạp (đã có quyết định)\n"
         "2. Không kết nạp\n"
         "3. Gia hạn thêm 30 ngày làm việc\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("1",
         "Ngày ký quyết định kết nạp (9-KNĐ)? Tuổi đảng được tính từ ngày này.\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (02/03/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Số quyết định? (ví dụ 125-QĐ/ĐU, tối đa 40 ký tự)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("1-QĐ",
         "Ngày chi bộ nhận được quyết định? Lễ kết nạp phải tổ chức trong 30 ngày làm việc kể từ ngày này.\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (02/03/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         f"Xin kiểm tra lại trước khi lưu — {no[HUY]}. Bùi Quốc Huy:\n"
         "- Quyết định của cấp ủy: Kết nạp (đã có quyết định)\n"
         "- Ngày quyết định kết nạp: 02/03/2026\n"
         "- Số quyết định: 1-QĐ\n"
         "- Ngày chi bộ nhận quyết định: 02/03/2026\n"
         "Khi lưu: chuyển sang giai đoạn \"Có quyết định kết nạp\".\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa quyết định\n"
         "4. Sửa ngày quyết định\n"
         "5. Sửa số quyết định\n"
         "6. Sửa ngày nhận quyết định\n"
         "7. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    await bithu.say("Sửa quyết định")
    assert await bithu.say("Không kết nạp") == (
        f"Đổi lựa chọn này thì các câu hỏi sau sẽ khác. Xin chọn lại như cũ, hoặc gõ /huy rồi /ketnap {no[HUY]} để ghi "
        "lại từ đầu.\n"
        f"Cấp ủy có thẩm quyền đã quyết định thế nào về việc kết nạp {no[HUY]}. Bùi Quốc Huy?\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
        "\n"
        "1. Kết nạp (đã có quyết định)\n"
        "2. Không kết nạp\n"
        "3. Gia hạn thêm 30 ngày làm việc\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Kết nạp") == (
        f"Xin kiểm tra lại trước khi lưu — {no[HUY]}. Bùi Quốc Huy:\n"
        "- Quyết định của cấp ủy: Kết nạp (đã có quyết định)\n"
        "- Ngày quyết định kết nạp: 02/03/2026\n"
        "- Số quyết định: 1-QĐ\n"
        "- Ngày chi bộ nhận quyết định: 02/03/2026\n"
        "Khi lưu: chuyển sang giai đoạn \"Có quyết định kết nạp\".\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa quyết định\n"
        "4. Sửa ngày quyết định\n"
        "5. Sửa số quyết định\n"
        "6. Sửa ngày nhận quyết định\n"
        "7. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    candidate, _, _ = await state(demo, HUY)
    assert candidate.stage == Stage.proposed  # nothing saved yet


async def test_an_unknown_option_is_asked_again(talk, no):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {no[HUY]}", huy_summary(no))])
    assert await bithu.say("hoãn lại") == (
        '"hoãn lại" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'
        + huy_decided(no) + DECISIONS)


# ---- admitted: the ceremony ------------------------------------------------------------------

RECEIVED = TODAY - timedelta(days=15)


def duc_ceremony_day(no: dict[str, int], today: str = "02/03/2026") -> str:
    return (f"Ngày tổ chức lễ kết nạp {no[DUC]}. Tạ Minh Đức? Từ ngày này người đó là đảng viên dự bị.\n"
            f"{DATE_HINT}\n{HINT}" + today_choice(today))


def duc_summary(no: dict[str, int], overdue: str = "", today: str = "02/03/2026") -> str:
    """/ketnap on Tạ Minh Đức: he has the committee's decision and waits for the ceremony."""
    return (f"{no[DUC]}. Tạ Minh Đức — Có quyết định kết nạp từ 15/02/2026\n"
            "- Quyết định kết nạp số 125-QĐ/ĐU ngày 10/02/2026.\n"
            f"- Chi bộ nhận quyết định ngày 15/02/2026; lễ kết nạp trong 30 ngày làm việc: hạn 03/04/2026{overdue}.\n"
            "\n"
            "Ghi ngày lễ kết nạp.\n"
            "\n" + duc_ceremony_day(no, today))


def late_consent(day: str) -> str:
    return (f"Lưu ý: ngày {day} đã quá hạn 30 ngày làm việc kể từ ngày chi bộ nhận quyết định kết nạp. Tổ chức lễ "
            "kết nạp muộn phải được cấp ủy cấp trên đồng ý.\n"
            "Cấp ủy nào đã đồng ý, bằng văn bản nào? (ví dụ: Ban Thường vụ Đảng ủy, Công văn 15-CV/ĐU; tối đa 200 ký "
            f"tự)\n{HINT}")  # no "Bỏ qua": skipping is always refused here


async def test_a_ceremony_on_the_last_allowed_working_day_needs_no_consent(talk, demo, no):
    due = d.ceremony_due(RECEIVED)
    demo.clock.advance(days=(due - TODAY).days + 3)
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ketnap {no[DUC]}", duc_summary(no, " — ĐÃ QUÁ HẠN: tổ chức muộn phải được cấp ủy cấp trên đồng ý",
                                       vn(demo.clock.today()))),
        (vn(due),  # in time: no consent asked
         f"Xin kiểm tra lại trước khi lưu — {no[DUC]}. Tạ Minh Đức:\n"
         f"- Ngày lễ kết nạp: {vn(due)}\n"
         'Khi lưu: chuyển sang giai đoạn "Đảng viên dự bị" từ ngày lễ kết nạp.\n'
         "\n"
         "1. Lưu\n2. Sửa người\n3. Sửa ngày lễ kết nạp\n4. Hủy\n" + CHOOSE),
        ("Lưu",
         f"Đã ghi lễ kết nạp Tạ Minh Đức ngày {vn(due)}; từ ngày này Tạ Minh Đức là đảng viên dự bị.\n"
         f"- Hết 12 tháng dự bị: {vn(d.probation_end(due))}.\n"
         "- Khai lý lịch đảng viên trong 30 ngày làm việc: "
         f"hạn {vn(d.personal_history_due(due))} (khi khai xong: /ketnap {no[DUC]}).\n"
         "- Tuổi đảng tính từ ngày quyết định kết nạp 10/02/2026."),
    ])
    candidate, record, changes = await state(demo, DUC)
    assert (candidate.stage, candidate.stage_since, record.ceremony_on) == (Stage.probationary, due, due)
    assert changes[-1].reason is None


async def test_a_ceremony_the_day_after_warns_that_the_committee_above_must_agree(talk, demo, no):
    due = d.ceremony_due(RECEIVED)
    late = due + timedelta(days=1)
    demo.clock.advance(days=(late - TODAY).days + 3)
    today = vn(demo.clock.today())
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ketnap {no[DUC]}", duc_summary(no, " — ĐÃ QUÁ HẠN: tổ chức muộn phải được cấp ủy cấp trên đồng ý", today)),
        (vn(late), late_consent(vn(late))),
        ("Công văn 15-CV/ĐU",
         f"Ngày cấp ủy cấp trên đồng ý cho tổ chức lễ muộn?\n{DATE_HINT}\n{HINT}" + today_choice(today)),
        (vn(late),
         f"Xin kiểm tra lại trước khi lưu — {no[DUC]}. Tạ Minh Đức:\n"
         f"- Ngày lễ kết nạp: {vn(late)}\n"
         f"- Cấp ủy cấp trên đồng ý cho lễ muộn: Công văn 15-CV/ĐU, ngày {vn(late)}\n"
         'Khi lưu: chuyển sang giai đoạn "Đảng viên dự bị" từ ngày lễ kết nạp.\n'
         "\n"
         "1. Lưu\n2. Sửa người\n3. Sửa ngày lễ kết nạp\n4. Sửa văn bản đồng ý\n5. Sửa ngày đồng ý\n6. Hủy\n" + CHOOSE),
        ("Lưu",
         f"Đã ghi lễ kết nạp Tạ Minh Đức ngày {vn(late)}; từ ngày này Tạ Minh Đức là đảng viên dự bị.\n"
         f"Lưu ý: lễ kết nạp muộn hơn hạn {vn(due)} (30 ngày làm việc kể từ ngày nhận quyết định) — đã ghi cấp ủy "
         f"cấp trên đồng ý: Công văn 15-CV/ĐU, ngày {vn(late)}.\n"
         f"- Hết 12 tháng dự bị: {vn(d.probation_end(late))}.\n"
         "- Khai lý lịch đảng viên trong 30 ngày làm việc: "
         f"hạn {vn(d.personal_history_due(late))} (khi khai xong: /ketnap {no[DUC]}).\n"
         "- Tuổi đảng tính từ ngày quyết định kết nạp 10/02/2026."),
    ])
    candidate, record, changes = await state(demo, DUC)
    assert candidate.stage == Stage.probationary and record.ceremony_on == late
    assert changes[-1].reason == "Công văn 15-CV/ĐU"


async def test_a_late_ceremony_without_consent_is_not_recorded(talk, demo, no):
    # (issue 13: more in tests/flows/test_committee_decisions.py)
    demo.clock.advance(days=60)
    today = vn(demo.clock.today())
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/ketnap {no[DUC]}", duc_summary(no, " — ĐÃ QUÁ HẠN: tổ chức muộn phải được cấp ủy cấp trên đồng ý", today)),
        ("hôm nay", late_consent(today)),
    ])
    assert await bithu.say("Bỏ qua") == (
        f"Lễ kết nạp ngày {today} muộn hơn hạn {vn(d.ceremony_due(RECEIVED))} (30 ngày làm việc kể từ ngày chi bộ "
        "nhận quyết định) nên chỉ được ghi khi có cấp ủy cấp trên đồng ý (Quy định 294-QĐ/TW, mục 4.1).\n"
        + late_consent(today))
    candidate, _, _ = await state(demo, DUC)
    assert candidate.stage == Stage.admitted


async def test_a_ceremony_before_the_decision_arrived_is_refused(talk, no):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {no[DUC]}", duc_summary(no))])
    assert await bithu.say(vn(RECEIVED - timedelta(days=1))) == (
        f"Ngày {vn(RECEIVED - timedelta(days=1))} sớm hơn ngày chi bộ nhận quyết định kết nạp ({vn(RECEIVED)}). "
        "Xin kiểm tra lại.\n" + duc_ceremony_day(no))


# ---- probationary: personal history and party age -------------------------------------------

async def test_the_probationary_summary_shows_party_age_and_probation_end(talk, no):
    decision = TODAY - timedelta(days=215)
    assert await talk("bithu").say(f"/ketnap {no[ANH]}") == (
        f"{no[ANH]}. Hoàng Mai Anh — Đảng viên dự bị từ 14/08/2025\n"
        "- Lễ kết nạp ngày 14/08/2025; hết 12 tháng dự bị ngày 14/08/2026.\n"
        f"- Tuổi đảng (tính từ ngày quyết định kết nạp {vn(decision)}): 0 năm 7 tháng.\n"
        "- Đã khai lý lịch đảng viên ngày 03/09/2025.\n"
        f"Xét công nhận đảng viên chính thức hoặc xóa tên: /chinhthuc {no[ANH]}\n"
        "\n"
        "Ghi ngày khai lý lịch đảng viên (ghi ngày khác để sửa).\n"
        "\n" + anh_history_on(no))


async def test_the_personal_history_date_is_recorded(talk, demo, no):
    bithu = talk("bithu")
    await bithu.say(f"/ketnap {no[ANH]}")
    assert await bithu.say("13/08/2025") == (
        "Ngày 13/08/2025 sớm hơn ngày lễ kết nạp (14/08/2025). Xin kiểm tra lại.\n"
        f"Ngày {no[ANH]}. Hoàng Mai Anh khai xong lý lịch đảng viên?\n"
        "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
        "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
        "\n"
        "1. Hôm nay (02/03/2026)\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("20/8/25") == (
        f"Xin kiểm tra lại trước khi lưu — {no[ANH]}. Hoàng Mai Anh:\n"
        "- Ngày khai lý lịch đảng viên: 20/08/2025\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa ngày khai lý lịch\n"
        "4. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (  # in time: no word of lateness
        "Đã ghi: Hoàng Mai Anh khai lý lịch đảng viên ngày 20/08/2025.\n"
        f"Hết 12 tháng dự bị ngày 14/08/2026; khi đó xét công nhận: /chinhthuc {no[ANH]}")
    candidate, record, _ = await state(demo, ANH)
    assert record.personal_history_on == date(2025, 8, 20) and candidate.stage == Stage.probationary
    async with demo.sessions() as session:
        logged = list(await session.exec(select(AuditLog).where(AuditLog.subject == f"candidate:{candidate.id}")))
    assert [a.action for a in logged] == ["candidate.admission"]


# ---- /chinhthuc ------------------------------------------------------------------------------

PROBATION_END = date(2026, 8, 14)  # 12 months after Hoàng Mai Anh's ceremony


async def test_chinhthuc_lists_probationary_members_only(talk, no):
    # Only Hoàng Mai Anh: not Tạ Minh Đức (admitted, no ceremony yet) nor Đặng Ngọc Lan (dossier).
    assert await talk("bithu").say("/chinhthuc") == (
        "Đảng viên dự bị nào? Chọn một người dưới đây (số ở đầu dòng là số trong /ds), hoặc gõ số hay một phần họ "
        f"tên.\n{HINT}\n"
        "\n"
        f"{no[ANH]}. Hoàng Mai Anh (1996) — Đảng viên dự bị\n" + CHOOSE_KEYED)


async def recognition_file(demo, on: date = date(2026, 8, 1)) -> None:
    """Anh's recognition file, complete: the new-member class certificate, 10-, 11- and 12-KNĐ."""
    candidate, _, _ = await state(demo, ANH)
    async with demo.sessions() as session, session.begin():
        session.add_all([DossierEntry(candidate_id=candidate.id, item=item, dated=on, at=demo.clock.now())
                         for item in ("CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")])


async def test_a_recognition_vote_before_the_probation_ends_is_refused(talk, demo, no):
    await recognition_file(demo)
    demo.clock.advance(days=(PROBATION_END - TODAY).days + 5)
    bithu = talk("bithu")
    await bithu.dialog([(f"/chinhthuc {no[ANH]}", anh_summary(anh=no[ANH])),
                        ("1", recognition_day("19/08/2026", anh=no[ANH]))])
    assert await bithu.say("13/08/2026") == (
        "Chưa hết 12 tháng dự bị: đến ngày 14/08/2026 mới đủ, nên chi bộ chưa xét công nhận vào ngày 13/08/2026 "
        "được (Điều lệ Đảng, Điều 5).\n" + recognition_day("19/08/2026", anh=no[ANH]))
    # the official members come from the roster (11 on that day), not typed
    await bithu.dialog([
        ("14/08/2026", VOTES_FOR),
        ("8", recognition_screen(no, 8, "11 (theo danh sách đảng viên ngày 14/08/2026)") + RECOGNITION_MENU
         + "6. Hủy\n" + CHOOSE),
    ])
    assert await bithu.say("Lưu") == recognition_proposed(no, 8, 11, 8, PROBATION_END)  # in time: no warning
    candidate, record, _ = await state(demo, ANH)
    assert candidate.stage == Stage.probationary
    assert (record.recognition_resolution_on, record.recognition_votes_for, record.recognition_members) == (
        PROBATION_END, 8, 11)


async def test_a_late_recognition_vote_is_recorded_with_a_warning(talk, demo, no):
    await recognition_file(demo)
    due = d.recognition_branch_due(date(2025, 8, 14))
    demo.clock.advance(days=(due - TODAY).days + 2)
    today, voted = vn(demo.clock.today()), due + timedelta(days=1)
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/chinhthuc {no[ANH]}", anh_summary(anh=no[ANH]).replace(f"hạn {vn(due)}.", f"hạn {vn(due)} — ĐÃ QUÁ HẠN.")
         .replace("1 năm 0 tháng", "1 năm 2 tháng")),
        ("1", recognition_day(today, anh=no[ANH])),
        (vn(voted), VOTES_FOR),
        ("9", recognition_screen(no, 9, f"11 (theo danh sách đảng viên ngày {vn(voted)})", vn(voted)) + RECOGNITION_MENU
         + "6. Hủy\n" + CHOOSE),
    ])
    assert await bithu.say("Lưu") == recognition_proposed(no,
        9, 11, 8, voted, f"Lưu ý: chi bộ xét muộn hơn hạn {vn(due)} (30 ngày làm việc sau khi hết 12 tháng dự bị).\n")


# /chinhthuc on Anh's last day of probation (the clock moved there), up to the votes for.
def vote_on_probation_end(no: dict[str, int]) -> list[tuple[str, str]]:
    return [
        (f"/chinhthuc {no[ANH]}",
         f"{no[ANH]}. Hoàng Mai Anh — đảng viên dự bị\n"
         "- Lễ kết nạp ngày 14/08/2025; hết 12 tháng dự bị ngày 14/08/2026.\n"
         "- Tuổi đảng (tính từ ngày quyết định kết nạp 30/07/2025): 1 năm 0 tháng.\n"
         "- Chi bộ xét công nhận trong 30 ngày làm việc sau khi hết 12 tháng dự bị: hạn 29/09/2026.\n"
         "\n"
         "Ghi biểu quyết của chi bộ đề nghị công nhận (cần ít nhất 2/3 tổng số đảng viên chính thức đồng ý), "
         "hoặc xóa tên nếu người này không đủ tư cách đảng viên.\n"
         "\n"
         f"Ghi việc gì cho đảng viên dự bị {no[ANH]}. Hoàng Mai Anh?\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Biểu quyết của chi bộ đề nghị công nhận\n"
         "2. Xóa tên\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("1",
         f"Ngày chi bộ họp xét, biểu quyết đề nghị công nhận {no[ANH]}. Hoàng Mai Anh là đảng viên chính thức? Không "
         "sớm hơn ngày hết 12 tháng dự bị.\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (14/08/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
    ]


async def test_a_failed_recognition_vote_is_saved_as_failed_and_shown_on_the_card(talk, demo, no):
    await recognition_file(demo)
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    today = demo.clock.today()
    bithu = talk("bithu")
    await bithu.dialog(vote_on_probation_end(no))
    assert await bithu.say("7") == (  # of the roster's 11 official members
        recognition_screen(no, 7, "11 (theo danh sách đảng viên ngày 14/08/2026)").replace(
            "Khi lưu: ghi nghị quyết đề nghị công nhận đảng viên chính thức; chờ quyết định của cấp ủy.\n",
            "Chưa đạt: cần ít nhất 8/11 đảng viên chính thức đồng ý (2/3 tổng số, không phải 2/3 số có mặt); mới có "
            "7.\nKhi lưu: ghi nhận biểu quyết không đạt (ngày, số phiếu); người này vẫn là đảng viên dự bị. Nếu nhập "
            "nhầm số, chọn Sửa.\n")
        + RECOGNITION_MENU + "6. Hủy\n" + CHOOSE)
    assert await failed(demo, ANH) == []  # nothing before "Lưu"
    assert await bithu.say("Lưu") == (
        f"Đã ghi biểu quyết của chi bộ ngày {vn(today)} đề nghị công nhận đảng viên chính thức: không đạt — "
        "7/11 đảng viên chính thức đồng ý (cần ít nhất 8).\n"
        f"Hoàng Mai Anh vẫn là đảng viên dự bị; biểu quyết này hiện trên thẻ: /xem {no[ANH]}\n"
        f"Khi chi bộ biểu quyết lại: /chinhthuc {no[ANH]} · Nếu chi bộ đề nghị xóa tên: /chinhthuc {no[ANH]} rồi "
        "chọn xóa tên.")
    candidate, record, _ = await state(demo, ANH)
    assert candidate.stage == Stage.probationary and record.recognition_resolution_on is None
    [row] = await failed(demo, ANH)
    assert (row.kind, row.on, row.votes_for, row.official_members) == ("recognition", today, 7, 11)
    assert await bithu.say(f"/xem {no[ANH]}") == (
        f"{no[ANH]}. Hoàng Mai Anh\n"
        "- Ngày sinh: 20/08/1996 · Nữ\n"
        "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
        f"- Chi bộ: {BRANCH}\n"
        "- Giai đoạn: Đảng viên dự bị, từ 14/08/2025\n"
        f"- Biểu quyết đề nghị công nhận đảng viên chính thức ngày {vn(today)}: không đạt "
        "(7/11 đảng viên chính thức đồng ý)\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Bước tiếp theo: chi bộ xét công nhận đảng viên chính thức (hết 12 tháng dự bị ngày 14/08/2026), hạn "
        "29/09/2026 (Điều lệ Đảng, Điều 5; Quy định 294-QĐ/TW, mục 4.2)")
    # The branch votes again later and the vote passes.
    await bithu.dialog(vote_on_probation_end(no) + [
        ("9", recognition_screen(no, 9, "11 (theo danh sách đảng viên ngày 14/08/2026)") + RECOGNITION_MENU
         + "6. Hủy\n" + CHOOSE),
        ("Lưu", recognition_proposed(no, 9, 11, 8, today)),
    ])


async def recognised_by_the_branch(demo, on: date) -> None:
    async with demo.sessions() as session, session.begin():
        candidate, _, _ = await state(demo, ANH)
        await session.exec(sa.update(AdmissionRecord).where(AdmissionRecord.candidate_id == candidate.id).values(
            recognition_resolution_on=on, recognition_votes_for=9, recognition_members=11))


async def test_the_committee_recognises_and_membership_counts_from_probation_end(talk, demo, no):
    demo.clock.advance(days=(PROBATION_END - TODAY).days + 40)
    resolution = PROBATION_END + timedelta(days=10)
    await recognised_by_the_branch(demo, resolution)
    bithu = talk("bithu")
    assert await bithu.say(f"/chinhthuc {no[ANH]}") == (
        f"{no[ANH]}. Hoàng Mai Anh — đảng viên dự bị\n"
        "- Lễ kết nạp ngày 14/08/2025; hết 12 tháng dự bị ngày 14/08/2026.\n"
        "- Tuổi đảng (tính từ ngày quyết định kết nạp 30/07/2025): 1 năm 1 tháng.\n"
        + NO_NEW_MEMBER_CERTIFICATE
        + f"- Chi bộ đã ra nghị quyết đề nghị công nhận ngày {vn(resolution)} (9/11 đảng viên chính thức đồng ý); "
        f"cấp ủy quyết định trong 30 ngày làm việc: hạn {vn(d.recognition_decision_due(resolution))}.\n"
        "\n"
        "Ghi quyết định của cấp ủy: công nhận đảng viên chính thức (ngày, số quyết định), xóa tên (kèm lý do), hoặc "
        "gia hạn.\n"
        "\n"
        f"Cấp ủy đã quyết định thế nào về đảng viên dự bị {no[ANH]}. Hoàng Mai Anh?\n{HINT}\n"
        "\n"
        "1. Công nhận đảng viên chính thức\n"
        "2. Xóa tên\n"
        "3. Gia hạn thêm 30 ngày làm việc\n" + CHOOSE)
    await bithu.dialog([
        ("Công nhận",
         "Ngày ký quyết định công nhận đảng viên chính thức (16-KNĐ)?\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (23/09/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("23/08/2026",
         "Ngày 23/08/2026 sớm hơn ngày chi bộ ra nghị quyết đề nghị công nhận (24/08/2026). Xin kiểm tra lại.\n"
         "Ngày ký quyết định công nhận đảng viên chính thức (16-KNĐ)?\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (23/09/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Số quyết định? (ví dụ 125-QĐ/ĐU, tối đa 40 ký tự)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("52-QĐ/ĐU",
         f"Xin kiểm tra lại trước khi lưu — {no[ANH]}. Hoàng Mai Anh:\n"
         "- Việc cần ghi: Công nhận đảng viên chính thức\n"
         "- Ngày quyết định công nhận: 23/09/2026\n"
         "- Số quyết định: 52-QĐ/ĐU\n"
         "Khi lưu: chuyển sang giai đoạn \"Đảng viên chính thức\".\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa việc cần ghi\n"
         "4. Sửa ngày quyết định\n"
         "5. Sửa số quyết định\n"
         "6. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",  # a member from the probation's end, though the decision came later
         "Hoàng Mai Anh đã được công nhận là đảng viên chính thức (quyết định số 52-QĐ/ĐU ngày 23/09/2026).\n"
         "Đảng viên chính thức kể từ ngày 14/08/2026, ngày hết 12 tháng dự bị (kể cả khi quyết định ra sau ngày "
         "đó).\n"
         "Tuổi đảng tính từ ngày quyết định kết nạp 30/07/2025: đến nay 1 năm 1 tháng."),
    ])


async def test_striking_off_needs_a_reason_and_removes(talk, demo, no):
    bithu = talk("bithu")
    await bithu.dialog([
        (f"/chinhthuc {no[ANH]}",
         f"{no[ANH]}. Hoàng Mai Anh — đảng viên dự bị\n"
         "- Lễ kết nạp ngày 14/08/2025; hết 12 tháng dự bị ngày 14/08/2026 (chưa hết).\n"
         "- Tuổi đảng (tính từ ngày quyết định kết nạp 30/07/2025): 0 năm 7 tháng.\n"
         "- Lưu ý: chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới (cần cho hồ sơ công nhận).\n"
         "- Chi bộ xét công nhận trong 30 ngày làm việc sau khi hết 12 tháng dự bị: hạn 29/09/2026.\n"
         "\n"
         "Ghi biểu quyết của chi bộ đề nghị công nhận (cần ít nhất 2/3 tổng số đảng viên chính thức đồng ý), "
         "hoặc xóa tên nếu người này không đủ tư cách đảng viên.\n"
         "\n"
         f"Ghi việc gì cho đảng viên dự bị {no[ANH]}. Hoàng Mai Anh?\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Biểu quyết của chi bộ đề nghị công nhận\n"
         "2. Xóa tên\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Xóa tên",
         f"Ngày quyết định xóa tên {no[ANH]}. Hoàng Mai Anh?\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (02/03/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Lý do xóa tên? (bắt buộc, tối đa 500 ký tự)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("   ",
         "Chưa có câu trả lời.\n"
         "Lý do xóa tên? (bắt buộc, tối đa 500 ký tự)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("Không sinh hoạt đảng 3 tháng liền",
         f"Xin kiểm tra lại trước khi lưu — {no[ANH]}. Hoàng Mai Anh:\n"
         "- Việc cần ghi: Xóa tên\n"
         "- Ngày xóa tên: 02/03/2026\n"
         "- Lý do: Không sinh hoạt đảng 3 tháng liền\n"
         "Khi lưu: chuyển sang giai đoạn \"Đã đưa ra khỏi danh sách\".\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa việc cần ghi\n"
         "4. Sửa ngày xóa tên\n"
         "5. Sửa lý do xóa tên\n"
         "6. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await bithu.say("Lưu") == (
        "Đã ghi: xóa tên Hoàng Mai Anh khỏi danh sách đảng viên dự bị (ngày 02/03/2026). Lý do: Không sinh "
        "hoạt đảng 3 tháng liền.\n"
        "Giai đoạn mới: \"Đã đưa ra khỏi danh sách\".")
    candidate, record, changes = await state(demo, ANH)
    assert candidate.stage == Stage.removed and record.struck_off_reason == "Không sinh hoạt đảng 3 tháng liền"
    assert changes[-1].reason == "Không sinh hoạt đảng 3 tháng liền"
    assert await bithu.say("/chinhthuc") == (
        "Chi bộ chưa có đảng viên dự bị nào. Khi ghi lễ kết nạp một người (/ketnap), người đó sẽ có ở đây.")


# ---- who may not --------------------------------------------------------------------------


@pytest.mark.parametrize("account, refusal, not_understood", [
    ("giupdo", NOT_ALLOWED, NOT_UNDERSTOOD), ("quanchung", NOT_ALLOWED, NOT_UNDERSTOOD),
    ("captren", NOT_ALLOWED, NOT_UNDERSTOOD), ("nguoila", NOT_LINKED, NOT_UNDERSTOOD_STRANGER),
])
async def test_only_the_branch_secretary_or_deputy_may_record(talk, demo, account, refusal, not_understood, no):
    person = talk(account)
    said = [await person.say(c) for c in
            ["/ketnap", f"/ketnap {no[LAN]}", "hôm nay", "/chinhthuc", f"/chinhthuc {no[ANH]}", "1", "/ketnap lan"]]
    # The refusal alone, no name; nothing started, so an answer afterwards is not understood.
    assert said == [refusal, refusal, not_understood, refusal, refusal, not_understood, refusal]
    candidate, _, _ = await state(demo, LAN)
    assert candidate.stage == Stage.dossier


async def test_the_deputy_records_too(talk, demo, no):
    async with demo.sessions() as session, session.begin():
        deputy = (await session.exec(select(Person).where(Person.full_name == "Phan Văn Hùng"))).one()
        session.add(ChatLink(channel="console", account_id="phobithu", person_id=deputy.id,
                             linked_at=demo.clock.now()))
    phobithu = talk("phobithu")
    await phobithu.dialog([
        (f"/ketnap {no[LAN]}",
         f"{no[LAN]}. Đặng Ngọc Lan — Đang làm hồ sơ từ 01/01/2026\n"
         "- Giấy chứng nhận lớp nhận thức về Đảng: cấp ngày 28/10/2025, hết hạn từ 28/10/2030\n"
         "- Danh sách đảng viên của chi bộ: 11 đảng viên chính thức hôm nay; chibo tính tổng số theo danh sách "
         "vào ngày biểu quyết.\n"
         "\n"
         "Ghi nghị quyết của chi bộ đề nghị kết nạp (6-KNĐ). Cần ít nhất 2/3 tổng số đảng viên chính thức của "
         "chi bộ đồng ý (không phải 2/3 số có mặt). Vào ngày chi bộ họp, người này phải đủ 18 tuổi (tính theo "
         "tháng) và giấy chứng nhận còn hạn.\n"
         "\n"
         f"Ngày chi bộ họp xét và biểu quyết đề nghị kết nạp {no[LAN]}. Đặng Ngọc Lan?\n"
         "Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc \"hôm nay\".\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)\n"
         "\n"
         "1. Hôm nay (02/03/2026)\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("hôm nay",
         "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n"
         "(Gõ \"quay lại\" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)"),
        ("8",
         f"Xin kiểm tra lại trước khi lưu — {no[LAN]}. Đặng Ngọc Lan:\n"
         "- Ngày chi bộ biểu quyết đề nghị kết nạp: 02/03/2026\n"
         "- Số đảng viên chính thức đồng ý: 8\n"
         "- Tổng số đảng viên chính thức của chi bộ: 11 (theo danh sách đảng viên ngày 02/03/2026)\n"
         "Khi lưu: chuyển sang giai đoạn \"Đã đề nghị kết nạp\".\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa ngày biểu quyết\n"
         "4. Sửa số đồng ý\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert await phobithu.say("Lưu") == (
        "Đã ghi nghị quyết của chi bộ ngày 02/03/2026: 8/11 đảng viên chính thức đồng ý (cần ít nhất 8).\n"
        "Đặng Ngọc Lan chuyển sang giai đoạn \"Đã đề nghị kết nạp\" từ ngày 02/03/2026.\n"
        "Cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc: hạn 28/05/2026.\n"
        f"Khi có quyết định: /ketnap {no[LAN]}")
    _, _, changes = await state(demo, LAN)
    assert changes[-1].by_person_id == deputy.id


RECOGNITION_MENU = ("\n"
                    "1. Lưu\n"
                    "2. Sửa người\n"
                    "3. Sửa việc cần ghi\n"
                    "4. Sửa ngày biểu quyết\n"
                    "5. Sửa số đồng ý\n")
STEP_FOOT = '(Gõ "quay lại" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)'


def recognition_screen(no: dict[str, int], votes: int, members: str, day: str = "14/08/2026") -> str:
    return (f"Xin kiểm tra lại trước khi lưu — {no[ANH]}. Hoàng Mai Anh:\n"
            "- Việc cần ghi: Biểu quyết của chi bộ đề nghị công nhận\n"
            f"- Ngày chi bộ biểu quyết đề nghị công nhận: {day}\n"
            f"- Số đảng viên chính thức đồng ý: {votes}\n"
            f"- Tổng số đảng viên chính thức của chi bộ: {members}\n"
            "Khi lưu: ghi nghị quyết đề nghị công nhận đảng viên chính thức; chờ quyết định của cấp ủy.\n")


def recognition_proposed(no: dict[str, int], votes: int, members: int, needed: int, day: date, late: str = "") -> str:
    """Saved: the branch proposes Anh's recognition; the committee's deadline counts from the vote's day."""
    return (f"Đã ghi nghị quyết của chi bộ ngày {vn(day)} đề nghị công nhận Hoàng Mai Anh là đảng viên chính thức: "
            f"{votes}/{members} đảng viên chính thức đồng ý (cần ít nhất {needed}).\n"
            f"{late}Cấp ủy có thẩm quyền quyết định trong 30 ngày làm việc: hạn {vn(d.recognition_decision_due(day))}. "
            f"Khi có quyết định: /chinhthuc {no[ANH]}")


async def test_a_recognition_vote_counts_the_roster_and_refuses_more_votes_than_members(talk, demo, no):
    await recognition_file(demo)
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    await set_roster(demo, 9)
    bithu = talk("bithu")
    await bithu.dialog(vote_on_probation_end(no))
    assert await bithu.say("10") == (
        "Số đồng ý (10) nhiều hơn số đảng viên chính thức (9).\n"
        "Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n" + STEP_FOOT)
    assert await bithu.say("6") == (  # 6 of 9 is 2/3; the total is not asked
        recognition_screen(no, 6, "9 (theo danh sách đảng viên ngày 14/08/2026)") + RECOGNITION_MENU
        + "6. Hủy\n(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == recognition_proposed(no, 6, 9, 6, PROBATION_END)
    _, record, _ = await state(demo, ANH)
    assert (record.recognition_votes_for, record.recognition_members, record.recognition_members_typed) == (
        6, 9, False)


async def test_a_recognition_vote_where_the_branch_keeps_no_roster_asks_the_members(talk, demo, no):
    await recognition_file(demo)
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    await set_roster(demo, None)
    bithu = talk("bithu")
    await bithu.dialog(vote_on_probation_end(no))
    assert await bithu.say("6") == (
        "Chi bộ có tổng cộng bao nhiêu đảng viên chính thức, kể cả người vắng mặt? Nghị quyết cần ít nhất 2/3 "
        "tổng số này đồng ý (không phải 2/3 số có mặt).\n" + STEP_FOOT)
    assert await bithu.say("8") == confirm_members(8)
    assert await bithu.say("9") == (  # not a choice: the count is confirmed, or changed by going back
        "\"9\" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n"
        + confirm_members(8))
    assert await bithu.say("Xác nhận") == (
        recognition_screen(no, 6, TYPED.format(8)) + RECOGNITION_MENU + TYPED_MENU + CHOOSE)
    assert await bithu.say("Lưu") == recognition_proposed(no, 6, 8, 6, PROBATION_END)
    _, record, _ = await state(demo, ANH)
    assert (record.recognition_votes_for, record.recognition_members, record.recognition_members_typed) == (
        6, 8, True)


TYPED = "{} (bí thư xác nhận: chi bộ chưa có danh sách đảng viên trong chibo)"
TYPED_MENU = "6. Sửa số đảng viên chính thức\n7. Sửa xác nhận số đảng viên\n8. Hủy\n"


def confirm_members(members: int) -> str:
    """Where the branch keeps no roster, the typed total is confirmed, as at /ketnap."""
    return ("Chi bộ chưa có danh sách đảng viên trong chibo (/dangvien) nên chibo không kiểm được con số này. Bạn "
            f"xác nhận chi bộ có {members} đảng viên chính thức vào ngày biểu quyết? Nếu nhầm, gõ \"quay lại\".\n"
            "\n"
            "1. Xác nhận số đảng viên chính thức\n" + CHOOSE)


async def test_a_failed_recognition_vote_without_a_roster_is_kept_as_typed_and_confirmed(talk, demo, no):
    await recognition_file(demo)
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    await set_roster(demo, None)
    bithu = talk("bithu")
    await bithu.dialog(vote_on_probation_end(no))
    await bithu.dialog([
        ("5", "Chi bộ có tổng cộng bao nhiêu đảng viên chính thức, kể cả người vắng mặt? Nghị quyết cần ít nhất "
              "2/3 tổng số này đồng ý (không phải 2/3 số có mặt).\n" + STEP_FOOT),
        ("9", confirm_members(9)),
        ("quay lại", "Chi bộ có tổng cộng bao nhiêu đảng viên chính thức, kể cả người vắng mặt? Nghị quyết cần ít "
                     "nhất 2/3 tổng số này đồng ý (không phải 2/3 số có mặt).\n" + STEP_FOOT),
        ("8", confirm_members(8)),
    ])
    assert await bithu.say("1") == (
        f"Xin kiểm tra lại trước khi lưu — {no[ANH]}. Hoàng Mai Anh:\n"
        "- Việc cần ghi: Biểu quyết của chi bộ đề nghị công nhận\n"
        "- Ngày chi bộ biểu quyết đề nghị công nhận: 14/08/2026\n"
        "- Số đảng viên chính thức đồng ý: 5\n"
        f"- Tổng số đảng viên chính thức của chi bộ: {TYPED.format(8)}\n"
        "Chưa đạt: cần ít nhất 6/8 đảng viên chính thức đồng ý (2/3 tổng số, không phải 2/3 số có mặt); mới có 5.\n"
        "Khi lưu: ghi nhận biểu quyết không đạt (ngày, số phiếu); người này vẫn là đảng viên dự bị. Nếu nhập nhầm "
        "số, chọn Sửa.\n" + RECOGNITION_MENU + TYPED_MENU + CHOOSE)
    assert await bithu.say("Lưu") == (
        "Đã ghi biểu quyết của chi bộ ngày 14/08/2026 đề nghị công nhận đảng viên chính thức: không đạt — 5/8 đảng "
        "viên chính thức đồng ý (cần ít nhất 6).\n"
        f"Hoàng Mai Anh vẫn là đảng viên dự bị; biểu quyết này hiện trên thẻ: /xem {no[ANH]}\n"
        f"Khi chi bộ biểu quyết lại: /chinhthuc {no[ANH]} · Nếu chi bộ đề nghị xóa tên: /chinhthuc {no[ANH]} rồi "
        "chọn xóa tên.")
    [row] = await failed(demo, ANH)
    assert (row.kind, row.votes_for, row.official_members, row.official_members_typed) == ("recognition", 5, 8, True)
