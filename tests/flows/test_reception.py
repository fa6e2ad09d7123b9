"""/nhanve (issue 13, item 8): a candidate received from another branch or place keeps their
history — where from, the stage reached there and since when, the awareness-class certificate,
the admission papers already made — shown on /xem and counted as chibo's own (the dossier's age,
the certificate); the rules refuse what cannot be (a date in the future, a certificate after
the reception, a dossier without a certificate, someone already at a later step here)."""

from datetime import date

from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import NewCandidate, register_candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.org import Organisation
from models.reception import CandidateReception
from models.stage import Category, Gender, IntroducedBy
from models.statements import SessionStatements
from tests.support import number_of
from tests.texts import CHOOSE, HINT, NOT_ALLOWED

TRANG = "Phan Thị Thu Trang"
LE_LOI = "Chi bộ Trường THPT Lê Lợi, Đà Nẵng"


async def add_trang(demo) -> int:
    """Trang, just added with /them (as the secretary does first): a source with no history here."""
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        c = await register_candidate(
            db=SessionStatements(session), branch_id=branch.id, by_person_id=None, now=demo.clock.now(),
            today=date(2026, 3, 2), new=NewCandidate(
                full_name=TRANG, birth_date=date(2001, 5, 10), gender=Gender.female, category=Category.teacher,
                youth_union=True, introduced_by=IntroducedBy.youth_union, note=None))
        return c.number


def came_from(n: int) -> str:
    return (f"{n}. Phan Thị Thu Trang chuyển đến từ đâu? Ghi chi bộ, trường, cơ quan hoặc địa phương cũ (tối đa "
            "200 ký tự).\n" + HINT)


RECEIVED_ON = ('Chi bộ nhận người này ngày nào? Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc "hôm nay".\n'
               + HINT + f"\n\n1. Hôm nay (02/03/2026)\n{CHOOSE}")
STAGE = ("Ở nơi cũ, người này đã tới giai đoạn nào?\n" + HINT + "\n\n1. Quần chúng ưu tú (nguồn)\n2. Cảm tình Đảng\n"
         f"3. Học lớp nhận thức về Đảng\n4. Đang làm hồ sơ kết nạp\n{CHOOSE}")
SINCE = "Ở giai đoạn đó từ ngày nào (theo hồ sơ nơi cũ)? Ghi ngày/tháng/năm, ví dụ 05/09/2025.\n" + HINT
NUMBER = ('Số giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng (tối đa 40 ký tự), hoặc chọn "Bỏ qua" nếu chưa '
          f'có.\n{HINT}\n\n1. Bỏ qua\n{CHOOSE}')
CERTIFIED_ON = "Giấy chứng nhận cấp ngày nào? Ghi ngày/tháng/năm, ví dụ 05/09/2025.\n" + HINT
PAPERS = ('Những giấy tờ kết nạp nào đã làm ở nơi cũ? Mỗi giấy một dòng: mã và ngày, ví dụ "1-KNĐ 12/01/2026" (các '
          f'mã 1-KNĐ đến 5-KNĐ), hoặc chọn "Bỏ qua".\n{HINT}\n\n1. Bỏ qua\n{CHOOSE}')


def confirm(n: int) -> str:
    return (f"Xin kiểm tra lại trước khi lưu — {n}. Phan Thị Thu Trang:\n"
            f"- Chuyển đến từ: {LE_LOI}\n- Ngày nhận: 20/02/2026\n"
            "- Ở nơi cũ: Đang làm hồ sơ kết nạp từ 15/12/2025\n"
            "- Giấy chứng nhận lớp nhận thức về Đảng: số CN-12/2025, cấp ngày 01/12/2025\n"
            "- Giấy tờ đã làm: 1-KNĐ 16/12/2025; 2-KNĐ 05/01/2026\n"
            'Khi lưu: người này ở giai đoạn "Đang làm hồ sơ kết nạp" từ 15/12/2025, như ở nơi cũ.\n\n'
            "1. Lưu\n2. Sửa người\n3. Sửa nơi chuyển đến\n4. Sửa ngày nhận\n5. Sửa giai đoạn ở nơi cũ\n"
            "6. Sửa ngày bắt đầu giai đoạn\n7. Sửa số giấy chứng nhận\n8. Sửa ngày cấp giấy chứng nhận\n"
            f"9. Sửa giấy tờ đã làm\n10. Hủy\n{CHOOSE}")


def card(n: int) -> str:
    return (f"{n}. Phan Thị Thu Trang\n"
            "- Ngày sinh: 10/05/2001 · Nữ\n- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
            "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n- Giai đoạn: Đang làm hồ sơ, từ 15/12/2025\n"
            f"- Chuyển đến từ: {LE_LOI}, chi bộ nhận ngày 20/02/2026\n"
            "- Quá trình ở nơi cũ: Đang làm hồ sơ từ 15/12/2025; giấy chứng nhận lớp nhận thức về Đảng số CN-12/2025 "
            "ngày 01/12/2025; giấy tờ đã làm: 1-KNĐ (16/12/2025), 2-KNĐ (05/01/2026)\n"
            "- Đảng viên giúp đỡ: chưa phân công\n- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: hoàn thiện hồ sơ để chi bộ xét, biểu quyết đề nghị kết nạp, hạn 15/12/2026 (Điều lệ "
            "Đảng, Điều 4; Hướng dẫn 06-HD/TW, mục 3.6)\n\n"
            "Lịch sử (mới nhất trước):\n"
            "- 15/12/2025: Quần chúng ưu tú (nguồn) → Đang làm hồ sơ — Nguyễn Thị Thu")


async def test_a_candidate_received_with_a_dossier_keeps_the_stage_certificate_and_papers(talk, demo):
    n = await add_trang(demo)
    bithu = talk("bithu")
    assert await bithu.say(f"/nhanve {n}") == came_from(n)
    await bithu.dialog([
        (LE_LOI, RECEIVED_ON), ("20/02/2026", STAGE), ("Đang làm hồ sơ", SINCE),
        # since when: never in the future, never after the day received (the other place's history)
        ("10/03/2026", "Ngày 10/03/2026 chưa tới (hôm nay là 02/03/2026).\n" + SINCE),
        ("25/02/2026", "Ngày 25/02/2026 muộn hơn ngày chi bộ nhận người này (20/02/2026); đây là quá trình ở nơi "
                       "cũ.\n" + SINCE),
        ("15/12/2025", NUMBER),
        # a dossier is made only with the certificate
        ("Bỏ qua", "Người đang làm hồ sơ kết nạp phải có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng: xin "
                   "ghi số giấy.\n" + NUMBER),
        ("CN-12/2025", CERTIFIED_ON),
        ("20/12/2025", "Giấy chứng nhận ngày 20/12/2025 muộn hơn ngày bắt đầu làm hồ sơ (15/12/2025): hồ sơ chỉ làm "
                       "khi đã có giấy chứng nhận.\n" + CERTIFIED_ON),
        ("01/12/2025", PAPERS),
        ("1-KNĐ hôm kia", 'Chưa đọc được "1-KNĐ hôm kia". Mỗi giấy một dòng: mã (1-KNĐ, 2-KNĐ, 3-KNĐ, 4-KNĐ, 5-KNĐ) '
                          'và ngày, ví dụ "1-KNĐ 12/01/2026"; mỗi mã một lần.\n' + PAPERS),
        ("1-KNĐ 10/12/2025", "1-KNĐ ngày 10/12/2025 sớm hơn ngày bắt đầu làm hồ sơ (15/12/2025).\n" + PAPERS),
        ("1-KNĐ 16/12/2025\n2-KNĐ 05/01/2026", confirm(n)),
    ])
    assert await bithu.say("Lưu") == (
        f"Đã ghi: {n}. Phan Thị Thu Trang chuyển đến từ {LE_LOI}, chi bộ nhận ngày 20/02/2026; giữ quá trình ở nơi "
        "cũ: Đang làm hồ sơ từ 15/12/2025.\n"
        "Giấy chứng nhận lớp nhận thức về Đảng số CN-12/2025 ngày 01/12/2025 được tính như kết quả lớp học.\n"
        f"Xem hồ sơ: /xem {n} · Các bước tiếp theo: /hoso {n}")
    assert await bithu.say(f"/xem {n}") == card(n)
    async with demo.sessions() as session:
        kept = await session.get(CandidateReception, (await bithu_candidate(demo, n)))
        papers = {e.item: (e.dated, e.number) for e in await session.exec(
            select(DossierEntry).where(DossierEntry.candidate_id == kept.candidate_id))}
        record = await session.get(AdmissionRecord, kept.candidate_id)
    assert (kept.came_from, kept.received_on, kept.since) == (LE_LOI, date(2026, 2, 20), date(2025, 12, 15))
    assert papers == {"CN-NTVĐ": (date(2025, 12, 1), "CN-12/2025"), "1-KNĐ": (date(2025, 12, 16), None),
                      "2-KNĐ": (date(2026, 1, 5), None)}
    assert record.dossier_started_on == date(2025, 12, 15)  # the dossier's 12 months count from there
    # once only
    assert await bithu.say(f"/nhanve {n}") == (
        "Người này đã được ghi nhận chuyển đến từ nơi khác (xem /xem); ngày của giấy tờ thì sửa bằng /ghihoso.\n"
        "Lệnh /nhanve đã dừng. Gõ lại /nhanve kèm số hoặc tên khác, hoặc chỉ gõ /nhanve để chibo hỏi từng bước.")


async def bithu_candidate(demo, number: int) -> int:
    from models.candidate import Candidate
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return (await session.exec(select(Candidate.id).where(Candidate.branch_id == branch.id,
                                                              Candidate.number == number))).one()


async def test_a_sympathizer_received_needs_no_certificate_and_the_card_says_where_from(talk, demo):
    n = await add_trang(demo)
    bithu = talk("bithu")
    await bithu.say(f"/nhanve {n}")
    await bithu.dialog([(LE_LOI, RECEIVED_ON), ("hôm nay", STAGE), ("2", SINCE)])
    assert await bithu.say("01/10/2025") == (
        f"Xin kiểm tra lại trước khi lưu — {n}. Phan Thị Thu Trang:\n"
        f"- Chuyển đến từ: {LE_LOI}\n- Ngày nhận: 02/03/2026\n- Ở nơi cũ: Cảm tình Đảng từ 01/10/2025\n"
        'Khi lưu: người này ở giai đoạn "Cảm tình Đảng" từ 01/10/2025, như ở nơi cũ.\n\n'
        "1. Lưu\n2. Sửa người\n3. Sửa nơi chuyển đến\n4. Sửa ngày nhận\n5. Sửa giai đoạn ở nơi cũ\n"
        f"6. Sửa ngày bắt đầu giai đoạn\n7. Hủy\n{CHOOSE}")
    assert await bithu.say("Lưu") == (
        f"Đã ghi: {n}. Phan Thị Thu Trang chuyển đến từ {LE_LOI}, chi bộ nhận ngày 02/03/2026; giữ quá trình ở nơi "
        f"cũ: Cảm tình Đảng từ 01/10/2025.\nXem hồ sơ: /xem {n} · Các bước tiếp theo: /hoso {n}")
    shown = await bithu.say(f"/xem {n}")
    assert (f"- Giai đoạn: Cảm tình Đảng, từ 01/10/2025\n- Chuyển đến từ: {LE_LOI}, chi bộ nhận ngày 02/03/2026\n"
            "- Quá trình ở nơi cũ: Cảm tình Đảng từ 01/10/2025\n") in shown


async def test_someone_already_at_a_later_step_here_is_refused(talk, demo):
    ha = await number_of(demo, "Phạm Thu Hà")
    assert await talk("bithu").say(f"/nhanve {ha}") == (
        "Chỉ ghi quá trình ở nơi cũ cho người vừa thêm bằng /them (còn là quần chúng ưu tú, chưa có bước nào ở chi "
        "bộ này).\n"
        "Lệnh /nhanve đã dừng. Gõ lại /nhanve kèm số hoặc tên khác, hoặc chỉ gõ /nhanve để chibo hỏi từng bước.")


async def test_a_sponsor_may_not_receive(talk):
    assert await talk("giupdo").say("/nhanve") == NOT_ALLOWED


async def test_a_certificate_brought_from_another_place_counts_for_the_next_step_and_toi(talk, demo):
    """Issue 13 item 3: a certificate typed in (here brought with the person) counts as a class result does."""
    from tests.flows.test_me import become

    n = await add_trang(demo)
    bithu = talk("bithu")
    await bithu.say(f"/nhanve {n}")
    await bithu.dialog([(LE_LOI, RECEIVED_ON), ("hôm nay", STAGE), ("Học lớp", SINCE), ("01/09/2025", NUMBER),
                        ("CN-09/2025", CERTIFIED_ON)])
    await bithu.say("20/09/2025")
    await bithu.say("Lưu")
    step = ("- Bước tiếp theo: làm hồ sơ kết nạp trong khi giấy chứng nhận lớp nhận thức về Đảng còn giá trị, hạn "
            "19/09/2030")
    assert await bithu.say(f"/xem {n}") == (
        f"{n}. Phan Thị Thu Trang\n"
        "- Ngày sinh: 10/05/2001 · Nữ\n- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n- Giai đoạn: Học lớp nhận thức về Đảng, từ 01/09/2025\n"
        f"- Chuyển đến từ: {LE_LOI}, chi bộ nhận ngày 02/03/2026\n"
        "- Quá trình ở nơi cũ: Học lớp nhận thức về Đảng từ 01/09/2025; giấy chứng nhận lớp nhận thức về Đảng số "
        "CN-09/2025 ngày 20/09/2025\n"
        "- Đảng viên giúp đỡ: chưa phân công\n- Nguồn giới thiệu: Đoàn Thanh niên\n"
        f"{step} (Hướng dẫn 06-HD/TW, mục 5.4)\n\n"
        "Lịch sử (mới nhất trước):\n"
        "- 01/09/2025: Quần chúng ưu tú (nguồn) → Học lớp nhận thức về Đảng — Nguyễn Thị Thu")
    await become(demo, TRANG)
    assert await talk("quanchung").say("/toi") == (
        "Phan Thị Thu Trang — Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Học lớp nhận thức về Đảng, từ 01/09/2025\n- Đảng viên giúp đỡ: chưa phân công\n"
        f"{step}\n\nCó gì chưa đúng, xin báo bí thư chi bộ.")
    assert await bithu.say(f"/lamhoso {n}") == (  # the dossier may start: the certificate counts
        f"Ngày bắt đầu làm hồ sơ của {n}. Phan Thị Thu Trang? (thường là ngày viết đơn xin vào Đảng; ngày/tháng/năm "
        'hoặc "hôm nay")')


async def test_erasing_a_received_candidate_removes_where_they_came_from(talk, demo):
    from models.erasure import erase, subject_of

    n = await add_trang(demo)
    bithu = talk("bithu")
    await bithu.say(f"/nhanve {n}")
    await bithu.dialog([(LE_LOI, RECEIVED_ON), ("hôm nay", STAGE), ("2", SINCE)])
    await bithu.say("01/10/2025")
    assert (await bithu.say("Lưu")).startswith(f"Đã ghi: {n}. Phan Thị Thu Trang chuyển đến từ")
    trang = await bithu_candidate(demo, n)
    async with demo.sessions() as session, session.begin():
        assert await session.get(CandidateReception, trang) is not None
        subject = await subject_of(session=session, candidate_id=trang)
        await erase(session=session, subject=subject, placeholder="(đã xoá)", now=demo.clock.now(),
                    today=demo.clock.today(), reason="Yêu cầu xoá")
    async with demo.sessions() as session:
        assert await session.get(CandidateReception, trang) is None
