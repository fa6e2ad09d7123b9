"""The new-member class's own reminders (issue 13 item 4): enrol the probationary member a
month after the ceremony; from 9 months into probation, every week until it ends, the
certificate missing. Hoàng Mai Anh: ceremony 14/08/2025, probation ends 14/08/2026."""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import Candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.org import Organisation
from tests.test_reminders import days_with, run_days

CERTIFICATE = "chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới"
ENROL = "chưa được cử đi học lớp bồi dưỡng đảng viên mới"


async def anh(demo) -> Candidate:
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return (await session.exec(select(Candidate).where(Candidate.branch_id == branch.id,
                                                           Candidate.full_name == "Hoàng Mai Anh"))).one()


async def test_the_certificate_missing_from_9_months_every_week_until_probation_ends(demo):
    seen = await run_days(demo, date(2026, 5, 12), date(2026, 8, 20))
    days = days_with(seen, "bithu", CERTIFICATE)
    mondays = [date(2026, 5, 18) + timedelta(weeks=w) for w in range(13)]
    assert days == [date(2026, 5, 14)] + mondays  # 14/05 (9 months), then each week to 10/08
    [text] = [t for t in seen[("bithu", date(2026, 5, 14))] if CERTIFICATE in t]
    number = (await anh(demo)).number
    assert (
        f"Hoàng Mai Anh (số {number}) đã qua 9 tháng dự bị mà chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới; "
        "giấy này cần có trong hồ sơ trước khi chi bộ xét công nhận (hết 12 tháng dự bị ngày 14/08/2026). "
        f"Ghi kết quả lớp, hoặc ghi giấy chứng nhận bằng /ghihoso {number}.") in text  # one message holds the day's


async def test_a_typed_certificate_stops_the_reminder(demo):
    c = await anh(demo)
    async with demo.sessions() as session, session.begin():
        session.add(DossierEntry(candidate_id=c.id, item="CN-ĐVM", dated=date(2026, 4, 1), at=demo.clock.now()))
    seen = await run_days(demo, date(2026, 5, 12), date(2026, 5, 20))
    assert days_with(seen, "bithu", CERTIFICATE) == []


async def test_enrolment_is_reminded_once_a_month_after_the_ceremony(demo):
    c = await anh(demo)
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(AdmissionRecord).where(AdmissionRecord.candidate_id == c.id)
                           .values(ceremony_on=date(2026, 3, 2)))
    seen = await run_days(demo, date(2026, 3, 25), date(2026, 4, 20))
    assert days_with(seen, "bithu", ENROL) == [date(2026, 4, 1)]
    [text] = [t for t in seen[("bithu", date(2026, 4, 1))] if ENROL in t]
    assert (
        f"Hoàng Mai Anh (số {c.number}) là đảng viên dự bị từ lễ kết nạp ngày 02/03/2026 nhưng chưa được cử đi học lớp "
        "bồi dưỡng đảng viên mới: đăng ký cho đảng viên này vào lớp sắp mở (gõ /ghidanh).") in text
