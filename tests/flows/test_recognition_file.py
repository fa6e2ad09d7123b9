"""The recognition file (issue 13 item 4): the new-member class certificate and 10-KNĐ..12-KNĐ
recorded with /ghihoso for a probationary member, and required before the branch's
recognition vote (/chinhthuc)."""

from datetime import date, timedelta

from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import Candidate
from models.dossier import DossierEntry
from models.org import Organisation
from tests.support import number_of
from tests.texts import ITEM_DATE, KEEPER, NO_NEW_MEMBER_CERTIFICATE, VOTES_FOR, anh_summary, recognition_day

TODAY = date(2026, 3, 2)
ANH = "Hoàng Mai Anh"  # probationary since her ceremony on 14/08/2025; her number is looked up (number_of)
PROBATION_END = date(2026, 8, 14)


async def anh(demo) -> Candidate:
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return (await session.exec(select(Candidate).where(Candidate.branch_id == branch.id,
                                                           Candidate.full_name == ANH))).one()


async def put(demo, on: date, *items: str) -> None:
    c = await anh(demo)
    async with demo.sessions() as session, session.begin():
        session.add_all([DossierEntry(candidate_id=c.id, item=i, dated=on, at=demo.clock.now()) for i in items])


async def test_a_probationary_member_s_recognition_items_are_recorded(talk, demo):
    bithu = talk("bithu")
    n = await number_of(demo, ANH)
    assert await bithu.say(f"/ghihoso {n}") == (
        f"Ghi mục nào trong hồ sơ công nhận đảng viên chính thức của {n}. Hoàng Mai Anh? Gõ số thứ tự hoặc mã mẫu "
        "(CN-ĐVM là giấy chứng nhận lớp bồi dưỡng đảng viên mới). Gõ /huy để hủy, \"quay lại\" để sửa câu trước."
        "\n\n1. 10-KNĐ bản tự kiểm điểm\n2. 11-KNĐ nhận xét của đảng viên giúp đỡ\n"
        "3. 12-KNĐ tổng hợp ý kiến nhận xét\n4. 14-KNĐ báo cáo thẩm định của đảng ủy bộ phận\n"
        "5. 15-KNĐ nghị quyết của đảng ủy cơ sở\n6. CN-ĐVM giấy chứng nhận lớp bồi dưỡng đảng viên mới\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    await bithu.dialog([("10", ITEM_DATE), ("20/2/2026", KEEPER)])
    assert await bithu.say("Bỏ qua") == (
        f"Xin kiểm tra lại:\n- Người: {n}. Hoàng Mai Anh\n- Mục: 10-KNĐ (bản tự kiểm điểm)\n- Ngày: 20/02/2026\n"
        "- Người giữ: (không ghi)\nNếu mục này đã có ngày, ngày mới sẽ thay ngày cũ.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa mục hồ sơ\n4. Sửa ngày\n5. Sửa người giữ\n6. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (  # the recognition file follows, with 10-KNĐ in it
        "Đã ghi 10-KNĐ (bản tự kiểm điểm) ngày 20/02/2026 cho Hoàng Mai Anh.\n\n"
        + recognition_file(n, self_review="20/02/2026", to_do=3))
    c = await anh(demo)
    async with demo.sessions() as session:
        entry = (await session.exec(select(DossierEntry).where(DossierEntry.candidate_id == c.id,
                                                               DossierEntry.item == "10-KNĐ"))).one()
    assert entry.dated == date(2026, 2, 20)


def recognition_file(n: int, self_review: str = "còn thiếu", to_do: int = 4, certificate: str = "còn thiếu",
                     resolution: str = "chưa có", end: str = "") -> str:
    """/hoso: Hoàng Mai Anh's (number `n`) recognition file; her admission file is closed, summarised in a line."""
    return (f"Hồ sơ công nhận đảng viên chính thức của {n}. Hoàng Mai Anh (Đảng viên dự bị từ 14/08/2025)\n"
            "Hồ sơ kết nạp: đã xong — nghị quyết của chi bộ 6-KNĐ ngày 15/06/2025, quyết định kết nạp 9-KNĐ ngày "
            "30/07/2025, lễ kết nạp ngày 14/08/2025.\n"
            "Hết 12 tháng dự bị: 14/08/2026.\n"
            "\n"
            "Cần có trước khi chi bộ xét công nhận:\n"
            f"- CN-ĐVM (giấy chứng nhận lớp bồi dưỡng đảng viên mới): {certificate}\n"
            f"- 10-KNĐ (bản tự kiểm điểm): {self_review}\n"
            f"- 11-KNĐ (nhận xét của đảng viên giúp đỡ): {'còn thiếu' if to_do else '01/08/2026'}\n"
            f"- 12-KNĐ (tổng hợp ý kiến nhận xét): {'còn thiếu' if to_do else '01/08/2026'}\n"
            "\n"
            "Sau khi chi bộ xét:\n"
            f"- 13-KNĐ (nghị quyết của chi bộ đề nghị công nhận): {resolution}\n"
            "- 14-KNĐ (báo cáo thẩm định của đảng ủy bộ phận): chưa có\n"
            "- 15-KNĐ (nghị quyết của đảng ủy cơ sở): chưa có\n"
            "- 16-KNĐ (quyết định công nhận đảng viên chính thức): chưa có\n"
            "\n"
            + (end or f"Chưa đủ để chi bộ xét công nhận: còn {to_do} mục phải bổ sung.") + "\n"
            "\n"
            "1. Ghi ngày một mục\n"
            "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_probationary_member_s_file_is_the_recognition_file(talk, demo):
    bithu = talk("bithu")
    n = await number_of(demo, ANH)
    assert await bithu.say(f"/hoso {n}") == recognition_file(n)
    await put(demo, date(2026, 8, 1), "CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    complete = recognition_file(n, certificate="01/08/2026", self_review="01/08/2026", to_do=0,
                                end="Đã đủ các giấy tờ cần có trước khi chi bộ xét công nhận.")
    assert await bithu.say(f"/hoso {n}") == complete


async def test_after_the_recognition_vote_the_file_names_its_resolution(talk, demo):
    await put(demo, date(2026, 8, 1), "CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    bithu = talk("bithu")
    n = await number_of(demo, ANH)
    for says in (f"/chinhthuc {n}", "1", "hôm nay", "9", "Lưu"):
        await bithu.say(says)
    assert await bithu.say(f"/hoso {n}") == recognition_file(
        n, certificate="01/08/2026", self_review="01/08/2026", to_do=0, resolution="14/08/2026 (ghi bằng /chinhthuc)",
        end="Chi bộ đã xét công nhận người này; các mục chưa có ngày chỉ là chưa được ghi vào chibo.")


async def test_the_recognition_vote_waits_for_the_file(talk, demo):
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    await put(demo, PROBATION_END - timedelta(days=10), "CN-ĐVM", "10-KNĐ")
    bithu = talk("bithu")
    n = await number_of(demo, ANH)
    await bithu.dialog([(f"/chinhthuc {n}", anh_summary(anh=n)), ("1", recognition_day(anh=n))])
    assert await bithu.say("hôm nay") == (
        "Chưa thể biểu quyết đề nghị công nhận đảng viên chính thức: hồ sơ chưa đủ vào ngày 14/08/2026 "
        "(Hướng dẫn 06-HD/TW, mục 4.1; Hướng dẫn 12-HD/BTCTW):\n"
        "- Còn thiếu 11-KNĐ (nhận xét của đảng viên giúp đỡ).\n- Còn thiếu 12-KNĐ (tổng hợp ý kiến nhận xét).\n"
        f"Để ghi thêm giấy tờ: gõ /huy, ghi bằng /ghihoso {n} rồi quay lại /chinhthuc {n}; nếu nhầm ngày họp, gõ lại "
        "ngày.\n" + recognition_day(anh=n))


async def test_the_new_member_class_certificate_is_required_too(talk, demo):
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    await put(demo, PROBATION_END - timedelta(days=10), "10-KNĐ", "11-KNĐ", "12-KNĐ")
    bithu = talk("bithu")
    n = await number_of(demo, ANH)
    await bithu.dialog([(f"/chinhthuc {n}", anh_summary(NO_NEW_MEMBER_CERTIFICATE, anh=n)),
                        ("1", recognition_day(anh=n))])
    assert await bithu.say("hôm nay") == (
        "Chưa thể biểu quyết đề nghị công nhận đảng viên chính thức: hồ sơ chưa đủ vào ngày 14/08/2026 "
        "(Hướng dẫn 06-HD/TW, mục 4.1; Hướng dẫn 12-HD/BTCTW):\n"
        "- Còn thiếu CN-ĐVM (giấy chứng nhận lớp bồi dưỡng đảng viên mới).\n"
        f"Để ghi thêm giấy tờ: gõ /huy, ghi bằng /ghihoso {n} rồi quay lại /chinhthuc {n}; nếu nhầm ngày họp, gõ lại "
        "ngày.\n" + recognition_day(anh=n))


async def test_with_the_file_complete_the_vote_is_asked_for(talk, demo):
    demo.clock.advance(days=(PROBATION_END - TODAY).days)
    await put(demo, PROBATION_END, "CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")  # dated the vote's day: counts
    bithu = talk("bithu")
    n = await number_of(demo, ANH)
    await bithu.dialog([(f"/chinhthuc {n}", anh_summary(anh=n)), ("1", recognition_day(anh=n)), ("hôm nay", VOTES_FOR)])
