"""Which reminders are due on a day, asked of models/reminders.py directly on the demo: who is
told, about which candidate, on which day (mutation testing of models/reminders.py: the chat
tests of reminders run a year of days and are too slow to judge each mutant)."""

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models import consent, reminders
from models.candidate import Candidate
from models.dossier import AdmissionRecord
from models.org import Organisation
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.people import Person, grant_role
from models.reports.submission import ReportSubmission
from models.roster import PartyMember
from models.stage import OrgKind, Role, Stage

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def due(db, today: date, *kinds) -> list[tuple]:
    """(kind, recipient, key, template, values, branch_id) of every row due on `today`, sorted."""
    names = dict((await db.exec(sa.select(Person.id, Person.full_name))).all())
    if kinds:
        day = reminders.Day(today, db.bind.dialect.name)
        statements = [stmt for kind in kinds for stmt in await kind(db, day)]
    else:
        statements = [stmt async for stmt in reminders.due_on(session=db, today=today)]
    out = []
    for stmt in statements:
        for row in (await db.exec(stmt)).mappings():  # by name, as models/outbox.py enqueue_from reads them
            key, person_id, k, template, values, branch_id = (row[c] for c in (
                "key", "person_id", "kind", "template", "values", "branch_id"))
            values = json.loads(values) if isinstance(values, str) else values
            if "candidates" in values:  # a JSON aggregate's order is not guaranteed: the template sorts
                values["candidates"].sort(key=lambda c: (c["since"], c["number"]))
            out.append((k, names.get(person_id, person_id), key, template, values, branch_id))
    return sorted(out, key=repr)


async def keys(db, today: date, *kinds) -> list[str]:
    return sorted(row[2] for row in await due(db, today, *kinds))


# Every reminder key due on these days (the demo, nothing changed): kind, subject, period, recipient
# (p1 Nguyễn Thị Thu, secretary; p5 Phan Văn Hùng, deputy; p2 Trần Văn Bình, sponsor).
DUE = {
    date(2026, 1, 1): ['survey_due:b2:2026-Q1:p1', 'survey_due:b2:2026-Q1:p5'],
    date(2026, 1, 7): ['survey_due:b2:2026-Q1:p1', 'survey_due:b2:2026-Q1:p5'],
    date(2026, 1, 8): [],
    date(2026, 1, 31): ['checkin_overdue:c6:2026-01-01:p1',
         'checkin_overdue:c6:2026-01-01:p2',
         'checkin_overdue:c6:2026-01-01:p5',
         'report_due:b2:2026-01:p1',
         'report_due:b2:2026-01:p5'],
    date(2026, 2, 19): ['checkin_overdue:c4:2026-01-20:p1', 'checkin_overdue:c4:2026-01-20:p2',
                        'checkin_overdue:c4:2026-01-20:p5'],
    date(2026, 2, 24): [],
    date(2026, 2, 25): ['report_due:b2:2026-02:p1', 'report_due:b2:2026-02:p5'],
    date(2026, 2, 27): ['checkin_overdue:c11:2026-01-28:p1',
         'checkin_overdue:c11:2026-01-28:p2',
         'checkin_overdue:c11:2026-01-28:p5',
         'report_due:b2:2026-02:p1',
         'report_due:b2:2026-02:p5'],
    date(2026, 3, 1): [],
    date(2026, 3, 2): ['checkin_list:b2:2026W10:p1',
         'checkin_list:b2:2026W10:p5',
         'checkin_list:s2:2026W10',
         'review_due:b2:2026-03:p1',
         'review_due:b2:2026-03:p5'],
    date(2026, 3, 5): ['review_due:b2:2026-03:p1', 'review_due:b2:2026-03:p5'],
    date(2026, 3, 6): [],
    date(2026, 3, 8): [],
    date(2026, 3, 9): ['checkin_list:b2:2026W11:p1',
         'checkin_list:b2:2026W11:p5',
         'checkin_list:s2:2026W11',
         'enrol_closing:k3:b2:p1',
         'enrol_closing:k3:b2:p5'],
    date(2026, 3, 16): ['checkin_list:b2:2026W12:p1',
         'checkin_list:b2:2026W12:p5',
         'checkin_list:s2:2026W12',
         'enrol_closing:k3:b2:p1',
         'enrol_closing:k3:b2:p5'],
    date(2026, 3, 17): [],
    date(2026, 3, 20): ['checkin_overdue:c3:2026-02-18:p1', 'checkin_overdue:c3:2026-02-18:p2',
                        'checkin_overdue:c3:2026-02-18:p5'],
    date(2026, 3, 26): ['report_due:b2:2026-03:p1', 'report_due:b2:2026-03:p5'],
    date(2026, 3, 27): ['ceremony_due:c13:2026-02-15:p1',
         'ceremony_due:c13:2026-02-15:p5',
         'report_due:b2:2026-03:p1',
         'report_due:b2:2026-03:p5'],
    date(2026, 4, 3): ['ceremony_due:c13:2026-02-15:p1',
         'ceremony_due:c13:2026-02-15:p5',
         'review_due:b2:2026-04:p1',
         'review_due:b2:2026-04:p5',
         'survey_due:b2:2026-Q2:p1',
         'survey_due:b2:2026-Q2:p5'],
    date(2026, 4, 4): ['ceremony_overdue:c13:2026-02-15:2026W14:p1',
         'ceremony_overdue:c13:2026-02-15:2026W14:p5',
         'review_due:b2:2026-04:p1',
         'review_due:b2:2026-04:p5',
         'survey_due:b2:2026-Q2:p1',
         'survey_due:b2:2026-Q2:p5'],
    date(2026, 5, 13): ['ceremony_overdue:c13:2026-02-15:2026W20:p1', 'ceremony_overdue:c13:2026-02-15:2026W20:p5'],
    date(2026, 5, 14): ['ceremony_overdue:c13:2026-02-15:2026W20:p1',
         'ceremony_overdue:c13:2026-02-15:2026W20:p5',
         'new_member_certificate:c8:2026W20:p1',
         'new_member_certificate:c8:2026W20:p5'],
    date(2026, 7, 14): ['ceremony_overdue:c13:2026-02-15:2026W29:p1',
         'ceremony_overdue:c13:2026-02-15:2026W29:p5',
         'new_member_certificate:c8:2026W29:p1',
         'new_member_certificate:c8:2026W29:p5'],
    date(2026, 7, 15): ['ceremony_overdue:c13:2026-02-15:2026W29:p1',
         'ceremony_overdue:c13:2026-02-15:2026W29:p5',
         'new_member_certificate:c8:2026W29:p1',
         'new_member_certificate:c8:2026W29:p5',
         'probation_ending:c8:2025-08-14:p1',
         'probation_ending:c8:2025-08-14:p5'],
    date(2026, 8, 13): ['ceremony_overdue:c13:2026-02-15:2026W33:p1',
         'ceremony_overdue:c13:2026-02-15:2026W33:p5',
         'new_member_certificate:c8:2026W33:p1',
         'new_member_certificate:c8:2026W33:p5',
         'probation_ending:c8:2025-08-14:p1',
         'probation_ending:c8:2025-08-14:p5'],
    date(2026, 8, 14): ['ceremony_overdue:c13:2026-02-15:2026W33:p1', 'ceremony_overdue:c13:2026-02-15:2026W33:p5'],
    date(2026, 9, 29): ['ceremony_overdue:c13:2026-02-15:2026W40:p1',
         'ceremony_overdue:c13:2026-02-15:2026W40:p5',
         'report_due:b2:2026-09:p1',
         'report_due:b2:2026-09:p5'],
    date(2026, 9, 30): ['ceremony_overdue:c13:2026-02-15:2026W40:p1',
         'ceremony_overdue:c13:2026-02-15:2026W40:p5',
         'recognition_overdue:c8:2026W40:p1',
         'recognition_overdue:c8:2026W40:p5',
         'report_due:b2:2026-09:p1',
         'report_due:b2:2026-09:p5'],
    date(2026, 11, 30): ['ceremony_overdue:c13:2026-02-15:2026W49:p1',
         'ceremony_overdue:c13:2026-02-15:2026W49:p5',
         'checkin_list:b2:2026W49:p1',
         'checkin_list:b2:2026W49:p5',
         'checkin_list:s2:2026W49',
         'recognition_overdue:c8:2026W49:p1',
         'recognition_overdue:c8:2026W49:p5',
         'report_due:b2:2026-11:p1',
         'report_due:b2:2026-11:p5',
         'turns_18:c2:p1',
         'turns_18:c2:p5'],
    date(2026, 12, 1): ['ceremony_overdue:c13:2026-02-15:2026W49:p1',
         'ceremony_overdue:c13:2026-02-15:2026W49:p5',
         'dossier_ageing:c6:2026-01-01:p1',
         'dossier_ageing:c6:2026-01-01:p5',
         'recognition_overdue:c8:2026W49:p1',
         'recognition_overdue:c8:2026W49:p5',
         'turns_18:c9:p1',
         'turns_18:c9:p5'],
    date(2027, 3, 31): ['ceremony_overdue:c13:2026-02-15:2027W13:p1',
         'ceremony_overdue:c13:2026-02-15:2027W13:p5',
         'dossier_ageing:c6:2026-01-01:p1',
         'dossier_ageing:c6:2026-01-01:p5',
         'recognition_overdue:c8:2027W13:p1',
         'recognition_overdue:c8:2027W13:p5',
         'report_due:b2:2027-03:p1',
         'report_due:b2:2027-03:p5'],
    date(2030, 7, 30): ['ceremony_overdue:c13:2026-02-15:2030W31:p1',
         'ceremony_overdue:c13:2026-02-15:2030W31:p5',
         'certificate_expiring:c6:2025-10-28:p1',
         'certificate_expiring:c6:2025-10-28:p5',
         'dossier_ageing:c6:2026-01-01:p1',
         'dossier_ageing:c6:2026-01-01:p5',
         'recognition_overdue:c8:2030W31:p1',
         'recognition_overdue:c8:2030W31:p5',
         'report_due:b2:2030-07:p1',
         'report_due:b2:2030-07:p5'],
    date(2030, 7, 29): ['ceremony_overdue:c13:2026-02-15:2030W31:p1',
         'ceremony_overdue:c13:2026-02-15:2030W31:p5',
         'checkin_list:b2:2030W31:p1',
         'checkin_list:b2:2030W31:p5',
         'checkin_list:s2:2030W31',
         'dossier_ageing:c6:2026-01-01:p1',
         'dossier_ageing:c6:2026-01-01:p5',
         'recognition_overdue:c8:2030W31:p1',
         'recognition_overdue:c8:2030W31:p5',
         'report_due:b2:2030-07:p1',
         'report_due:b2:2030-07:p5'],
    date(2030, 10, 28): ['ceremony_overdue:c13:2026-02-15:2030W44:p1',
         'ceremony_overdue:c13:2026-02-15:2030W44:p5',
         'certificate_expired:c6:2025-10-28:p1',
         'certificate_expired:c6:2025-10-28:p5',
         'checkin_list:b2:2030W44:p1',
         'checkin_list:b2:2030W44:p5',
         'checkin_list:s2:2030W44',
         'dossier_ageing:c6:2026-01-01:p1',
         'dossier_ageing:c6:2026-01-01:p5',
         'recognition_overdue:c8:2030W44:p1',
         'recognition_overdue:c8:2030W44:p5',
         'report_due:b2:2030-10:p1',
         'report_due:b2:2030-10:p5'],
    date(2030, 10, 27): ['ceremony_overdue:c13:2026-02-15:2030W43:p1',
         'ceremony_overdue:c13:2026-02-15:2030W43:p5',
         'certificate_expiring:c6:2025-10-28:p1',
         'certificate_expiring:c6:2025-10-28:p5',
         'dossier_ageing:c6:2026-01-01:p1',
         'dossier_ageing:c6:2026-01-01:p5',
         'recognition_overdue:c8:2030W43:p1',
         'recognition_overdue:c8:2030W43:p5',
         'report_due:b2:2030-10:p1',
         'report_due:b2:2030-10:p5'],
}


# Whole rows (kind, recipient, key, template, values, branch) on two days.
ROWS = {
    date(2026, 2, 27): [
        ('checkin_overdue',
         'Nguyễn Thị Thu',
         'checkin_overdue:c11:2026-01-28:p1',
         'reminders/checkin_overdue_secretary',
         {'number': 11, 'name': 'Đinh Văn Khoa', 'since': '2026-01-28', 'days': 30},
         2),
        ('checkin_overdue',
         'Phan Văn Hùng',
         'checkin_overdue:c11:2026-01-28:p5',
         'reminders/checkin_overdue_secretary',
         {'number': 11, 'name': 'Đinh Văn Khoa', 'since': '2026-01-28', 'days': 30},
         2),
        ('checkin_overdue',
         'Trần Văn Bình',
         'checkin_overdue:c11:2026-01-28:p2',
         'reminders/checkin_overdue',
         {'number': 11, 'name': 'Đinh Văn Khoa', 'since': '2026-01-28', 'days': 30},
         2),
        ('report_due',
         'Nguyễn Thị Thu',
         'report_due:b2:2026-02:p1',
         'reminders/report_due',
         {'month': '02/2026', 'send': '2/2026', 'active': 13, 'added': 3, 'to_sympathizer': 0, 'removed': 0},
         2),
        ('report_due',
         'Phan Văn Hùng',
         'report_due:b2:2026-02:p5',
         'reminders/report_due',
         {'month': '02/2026', 'send': '2/2026', 'active': 13, 'added': 3, 'to_sympathizer': 0, 'removed': 0},
         2),
    ],
    date(2026, 3, 2): [
        ('checkin_list',
         'Nguyễn Thị Thu',
         'checkin_list:b2:2026W10:p1',
         'reminders/checkin_list_secretary',
         {'total': 3,
          'candidates': [{'number': 6,
                          'name': 'Đặng Ngọc Lan',
                          'since': '2026-01-01',
                          'days': 60,
                          'sponsor': 'Trần Văn Bình'},
                         {'number': 4,
                          'name': 'Phạm Thu Hà',
                          'since': '2026-01-20',
                          'days': 41,
                          'sponsor': 'Trần Văn Bình'},
                         {'number': 11,
                          'name': 'Đinh Văn Khoa',
                          'since': '2026-01-28',
                          'days': 33,
                          'sponsor': 'Trần Văn Bình'}],
          'after': 30},
         2),
        ('checkin_list',
         'Phan Văn Hùng',
         'checkin_list:b2:2026W10:p5',
         'reminders/checkin_list_secretary',
         {'total': 3,
          'candidates': [{'number': 6,
                          'name': 'Đặng Ngọc Lan',
                          'since': '2026-01-01',
                          'days': 60,
                          'sponsor': 'Trần Văn Bình'},
                         {'number': 4,
                          'name': 'Phạm Thu Hà',
                          'since': '2026-01-20',
                          'days': 41,
                          'sponsor': 'Trần Văn Bình'},
                         {'number': 11,
                          'name': 'Đinh Văn Khoa',
                          'since': '2026-01-28',
                          'days': 33,
                          'sponsor': 'Trần Văn Bình'}],
          'after': 30},
         2),
        ('checkin_list',
         'Trần Văn Bình',
         'checkin_list:s2:2026W10',
         'reminders/checkin_list',
         {'total': 3,
          'candidates': [{'number': 6, 'name': 'Đặng Ngọc Lan', 'since': '2026-01-01', 'days': 60},
                         {'number': 4, 'name': 'Phạm Thu Hà', 'since': '2026-01-20', 'days': 41},
                         {'number': 11, 'name': 'Đinh Văn Khoa', 'since': '2026-01-28', 'days': 33}],
          'after': 30},
         2),
        ('review_due',
         'Nguyễn Thị Thu',
         'review_due:b2:2026-03:p1',
         'reminders/review_due',
         {'meeting': '2026-03-05', 'count': 7},
         2),
        ('review_due',
         'Phan Văn Hùng',
         'review_due:b2:2026-03:p5',
         'reminders/review_due',
         {'meeting': '2026-03-05', 'count': 7},
         2),
    ],
}


@pytest.mark.parametrize("today", list(DUE), ids=str)
async def test_each_reminder_on_its_days_to_the_branch_officers_and_the_sponsor(db, today):
    assert await keys(db, today) == DUE[today]


@pytest.mark.parametrize("today", list(ROWS), ids=str)
async def test_the_rows_name_the_recipient_the_candidate_the_template_and_the_branch(db, today):
    numbers = dict((await db.exec(sa.select(Candidate.full_name, Candidate.number))).all())
    assert await due(db, today) == with_numbers(ROWS[today], numbers)


def with_numbers(value, numbers: dict[str, int]):
    """ROWS with each candidate's register number looked up by their name: the rows above name the
    demo's people, and tests never type the demo's numbering."""
    if isinstance(value, dict):
        found = {k: with_numbers(v, numbers) for k, v in value.items()}
        return found | {"number": numbers[found["name"]]} if "number" in found and "name" in found else found
    if isinstance(value, (list, tuple)):
        return type(value)(with_numbers(v, numbers) for v in value)
    return value


SHOWN = {  # kind: (subject, shown, the date shown for a subject date of 14/08/2025)
    "certificate_expiring": ("issued", "expires", date(2030, 8, 14)),
    "certificate_expired": ("issued", "expires", date(2030, 8, 14)),
    "dossier_ageing": ("started", "stale", date(2026, 8, 14)),
    "ceremony_due": ("received", "due", date(2025, 9, 29)),  # 30 working days, 2/9 a holiday
    "ceremony_overdue": ("received", "due", date(2025, 9, 29)),
    "personal_history_due": ("ceremony", "due", date(2025, 9, 29)),
    "personal_history_overdue": ("ceremony", "due", date(2025, 9, 29)),
    "probation_ending": ("ceremony", "due", date(2026, 8, 14)),
    "new_member_certificate": ("ceremony", "due", date(2026, 8, 14)),
    "recognition_overdue": ("ceremony", "due", date(2026, 9, 29)),
    "graduate_stay_ending": ("graduated", "until", date(2026, 8, 14)),
    "graduate_stay_over": ("graduated", "until", date(2026, 8, 14)),
    "turns_18": ("born", "on", date(2043, 8, 14)),
    "turns_16": ("born", "on", date(2041, 8, 14)),
}


@pytest.mark.parametrize("kind", list(SHOWN))
def test_a_message_shows_the_date_its_rule_gives_from_the_subject_date(kind):
    subject, shown, on = SHOWN[kind]
    assert reminders.describe(kind, {subject: "2025-08-14", "name": "A"}) == {subject: "2025-08-14", "name": "A",
                                                                              shown: on}
    # a row written before the kind carried its subject date already holds the date shown
    assert reminders.describe(kind, {"name": "A", shown: "14/08/2026"}) == {"name": "A", shown: "14/08/2026"}
    assert reminders.describe(kind, {subject: None, "name": "A"}) == {subject: None, "name": "A"}


def test_a_kind_showing_no_derived_date_keeps_its_values():
    assert reminders.describe("review_due", {"meeting": "2026-03-05", "count": 7}) == {"meeting": "2026-03-05",
                                                                                        "count": 7}
    assert set(reminders.DERIVED) == set(SHOWN)


async def candidate(db, name: str) -> Candidate:
    return (await db.exec(sa.select(Candidate).where(Candidate.full_name == name))).scalar_one()


def officers(*keys: str) -> list[str]:
    """The key of a reminder to each officer of the demo branch (secretary p1, deputy p5)."""
    return sorted(f"{key}:p{p}" for key in keys for p in (1, 5))


async def test_a_new_member_is_reminded_to_enrol_once_and_of_the_personal_history_then_weekly(db):
    duc = await candidate(db, "Tạ Minh Đức")  # ceremony 02/03/2026: enrol from 01/04 (30 days), history by 13/04
    duc.stage = Stage.probationary
    record = await db.get(AdmissionRecord, duc.id)
    record.ceremony_on, record.personal_history_on = date(2026, 3, 2), None
    await db.flush()
    enrol, history = f"new_member_enrol:c{duc.id}:2026-03-02", f"personal_history_due:c{duc.id}:2026-03-02"
    expected = {date(2026, 3, 31): [], date(2026, 4, 1): officers(enrol), date(2026, 4, 5): officers(enrol),
                date(2026, 4, 6): officers(enrol, history), date(2026, 4, 7): officers(enrol, history),
                date(2026, 4, 8): officers(history), date(2026, 4, 13): officers(history),
                date(2026, 4, 14): officers(f"personal_history_overdue:c{duc.id}:2026-03-02:2026W16")}
    for today, keys_then in expected.items():
        assert await keys(db, today, reminders.personal_history, reminders.new_member_class) == keys_then, today
    assert (await due(db, date(2026, 4, 6), reminders.personal_history))[0] == (
        "personal_history_due", "Nguyễn Thị Thu", f"{history}:p1", "reminders/personal_history_due",
        {"number": duc.number, "name": "Tạ Minh Đức", "ceremony": "2026-03-02"}, duc.branch_id)
    record.personal_history_on = date(2026, 4, 10)  # done: no more reminders of it
    await db.flush()
    assert await keys(db, date(2026, 4, 14), reminders.personal_history) == []


async def test_a_graduate_on_the_roster_once_before_the_twelve_months_end_then_every_week(db):
    member = (await db.exec(sa.select(PartyMember).where(PartyMember.full_name == "Nguyễn Thị Thu"))).scalar_one()
    member.graduated_on = date(2025, 4, 10)  # may stay until 10/04/2026
    await db.flush()
    ending, over = f"graduate_stay_ending:m{member.id}:2025-04-10", f"graduate_stay_over:m{member.id}:2025-04-10"
    expected = {date(2026, 3, 10): [], date(2026, 3, 11): officers(ending), date(2026, 4, 10): officers(ending),
                date(2026, 4, 11): officers(f"{over}:2026W15"), date(2026, 4, 13): officers(f"{over}:2026W16")}
    for today, keys_then in expected.items():
        assert await keys(db, today, reminders.graduate_stay) == keys_then, today
    assert (await due(db, date(2026, 3, 11), reminders.graduate_stay))[0] == (
        "graduate_stay_ending", "Nguyễn Thị Thu", f"{ending}:p1", "reminders/graduate_stay_ending",
        {"name": "Nguyễn Thị Thu", "graduated": "2025-04-10"}, member.org_id)
    member.left_on = date(2026, 4, 12)  # moved on: no more reminders
    await db.flush()
    assert await keys(db, date(2026, 4, 13), reminders.graduate_stay) == []


async def test_a_child_without_a_guardians_consent_every_week_and_turning_16_once(db):
    minh = await candidate(db, "Lê Hoàng Minh")  # registered 02/03/2026
    minh.birth_date = date(2010, 5, 15)  # 15 then: a guardian's consent is needed; 16 in May 2026
    await db.flush()
    missing, sixteen = f"guardian_consent_missing:c{minh.id}", f"turns_16:c{minh.id}"
    expected = {date(2026, 4, 30): officers(f"{missing}:2026W18"),
                date(2026, 5, 1): officers(f"{missing}:2026W18", sixteen),
                date(2026, 5, 31): officers(f"{missing}:2026W22", sixteen),
                date(2026, 6, 1): officers(f"{missing}:2026W23")}
    for today, keys_then in expected.items():
        assert await keys(db, today, reminders.children_consent) == keys_then, today
    assert (await due(db, date(2026, 6, 1), reminders.children_consent))[0] == (
        "guardian_consent_missing", "Nguyễn Thị Thu", f"{missing}:2026W23:p1", "reminders/guardian_consent_missing",
        {"number": minh.number, "name": "Lê Hoàng Minh", "born": "2010-05-15"}, minh.branch_id)
    given = consent.record(session=db, candidate_id=minh.id, given_by=consent.GivenBy.guardian,
                           method=consent.Method.paper, given_on=date(2026, 5, 2), sensitive=False, now=NOW)
    consent.record(session=db, candidate_id=minh.id, given_by=consent.GivenBy.self, method=consent.Method.paper,
                   given_on=date(2026, 5, 2), sensitive=False, now=NOW)
    await db.flush()
    assert await keys(db, date(2026, 5, 4), reminders.children_consent) == officers(sixteen)
    given.withdrawn_at = NOW  # withdrawn: missing again
    await db.flush()
    assert await keys(db, date(2026, 5, 4), reminders.children_consent) == officers(f"{missing}:2026W19", sixteen)
    minh.birth_date = date(2010, 3, 1)  # 16 on the day of registration: nothing needed from a guardian
    await db.flush()
    assert await keys(db, date(2026, 3, 2), reminders.children_consent) == officers(f"turns_16:c{minh.id}")
    assert await keys(db, date(2026, 3, 2), reminders.children_consent, reminders.turning_18) == officers(
        f"turns_16:c{minh.id}")


async def test_a_linked_candidate_hears_of_the_class_and_again_the_day_before(db):
    minh = await candidate(db, "Lê Hoàng Minh")  # linked to quanchung; the class starts 01/04/2026
    enrolment = Enrollment(class_id=(await db.exec(sa.select(PartyClass.id).where(
        PartyClass.title == "Lớp nhận thức về Đảng khóa 2"))).scalar_one(), candidate_id=minh.id, at=NOW)
    db.add(enrolment)
    await db.flush()
    notice, tomorrow = f"class_notice:e{enrolment.id}", f"class_tomorrow:e{enrolment.id}"
    expected = {date(2026, 3, 30): [notice], date(2026, 3, 31): [notice, tomorrow],
                date(2026, 4, 1): [notice, tomorrow], date(2026, 4, 2): []}
    for today, keys_then in expected.items():
        assert await keys(db, today, reminders.class_notices) == keys_then, today
    person = (await db.get(Person, minh.person_id)).full_name
    assert await due(db, date(2026, 3, 31), reminders.class_notices) == [
        (kind, person, f"{kind}:e{enrolment.id}", f"reminders/{kind}",
         {"title": "Lớp nhận thức về Đảng khóa 2", "place": "Hội trường Đảng ủy Khối", "starts_on": "2026-04-01",
          "ends_on": "2026-04-05"}, minh.branch_id) for kind in ("class_notice", "class_tomorrow")]
    enrolment.status = EnrollmentStatus.passed  # no longer only enrolled
    await db.flush()
    assert await keys(db, date(2026, 3, 31), reminders.class_notices) == []


async def test_a_data_request_overdue_every_week_until_done(db):
    minh = await candidate(db, "Lê Hoàng Minh")  # made 02/03/2026: acknowledge by 04/03, act by 23/03
    request = consent.new_request(session=db, candidate_id=minh.id, person_id=minh.person_id,
                                  kind=consent.RequestKind.correct, detail=None, today=date(2026, 3, 2), now=NOW)
    await db.flush()
    key = f"data_request_overdue:r{request.id}"
    assert await keys(db, date(2026, 3, 4), reminders.data_requests_overdue) == []
    assert await keys(db, date(2026, 3, 5), reminders.data_requests_overdue) == officers(f"{key}:2026W10")
    assert (await due(db, date(2026, 3, 5), reminders.data_requests_overdue))[0] == (
        "data_request_overdue", "Nguyễn Thị Thu", f"{key}:2026W10:p1", "reminders/data_request_overdue",
        {"number": minh.number, "name": "Lê Hoàng Minh", "kind": "correct", "made_on": "2026-03-02",
         "acknowledge_by": "2026-03-04", "act_by": "2026-03-23", "acknowledged": 0}, minh.branch_id)
    request.acknowledged_on = date(2026, 3, 3)
    await db.flush()
    assert await keys(db, date(2026, 3, 23), reminders.data_requests_overdue) == []
    assert await keys(db, date(2026, 3, 24), reminders.data_requests_overdue) == officers(f"{key}:2026W13")
    request.done_on = date(2026, 3, 24)
    await db.flush()
    assert await keys(db, date(2026, 3, 25), reminders.data_requests_overdue) == []


async def test_the_nudge_on_the_branchs_day_and_the_list_from_the_day_after(db):
    branch = await db.get(Organisation, (await candidate(db, "Phạm Thu Hà")).branch_id)
    branch.sponsor_nudge_days = 41  # Phạm Thu Hà: 41 days on 02/03/2026; Đặng Ngọc Lan 60
    await db.flush()
    rows = await due(db, date(2026, 3, 2), reminders.checkin_overdue)
    ha = await candidate(db, "Phạm Thu Hà")
    nudge = {"number": ha.number, "name": "Phạm Thu Hà", "since": "2026-01-20", "days": 41}
    lan_no = (await candidate(db, "Đặng Ngọc Lan")).number
    lan = {"number": lan_no, "name": "Đặng Ngọc Lan", "since": "2026-01-01", "days": 60}
    listed = {"total": 1, "candidates": [{**lan, "sponsor": "Trần Văn Bình"}], "after": 41}
    assert rows == sorted([
        ("checkin_list", "Nguyễn Thị Thu", "checkin_list:b2:2026W10:p1", "reminders/checkin_list_secretary", listed, 2),
        ("checkin_list", "Phan Văn Hùng", "checkin_list:b2:2026W10:p5", "reminders/checkin_list_secretary", listed, 2),
        ("checkin_list", "Trần Văn Bình", "checkin_list:s2:2026W10", "reminders/checkin_list",
         {"total": 1, "candidates": [lan], "after": 41}, 2),
        ("checkin_overdue", "Nguyễn Thị Thu", f"checkin_overdue:c{ha.id}:2026-01-20:p1",
         "reminders/checkin_overdue_secretary", nudge, 2),
        ("checkin_overdue", "Phan Văn Hùng", f"checkin_overdue:c{ha.id}:2026-01-20:p5",
         "reminders/checkin_overdue_secretary", nudge, 2),
        ("checkin_overdue", "Trần Văn Bình", f"checkin_overdue:c{ha.id}:2026-01-20:p2", "reminders/checkin_overdue",
         nudge, 2)], key=repr)


async def test_a_long_list_names_the_longest_not_met_and_counts_them_all(db, monkeypatch):
    monkeypatch.setattr(reminders, "NAMED_IN_LIST", 2)
    rows = await due(db, date(2026, 3, 2), reminders.checkin_overdue)
    assert [(r[2], r[4]["total"], [c["name"] for c in r[4]["candidates"]]) for r in rows] == [
        ("checkin_list:b2:2026W10:p1", 3, ["Đặng Ngọc Lan", "Phạm Thu Hà"]),
        ("checkin_list:b2:2026W10:p5", 3, ["Đặng Ngọc Lan", "Phạm Thu Hà"]),
        ("checkin_list:s2:2026W10", 3, ["Đặng Ngọc Lan", "Phạm Thu Hà"])]


async def test_a_report_sent_ends_its_reminder(db):
    assert await keys(db, date(2026, 3, 24), reminders.report_due) == []
    assert await keys(db, date(2026, 3, 25), reminders.report_due) == officers("report_due:b2:2026-03")
    db.add(ReportSubmission(org_id=2, period="2026-03", kind="month", person_id=1, at=NOW))
    await db.flush()
    assert await keys(db, date(2026, 3, 25), reminders.report_due) == []
    assert await keys(db, date(2026, 4, 25), reminders.report_due) == officers("report_due:b2:2026-04")


async def test_each_sponsor_gets_a_list_of_their_own_candidates_only(db, monkeypatch):
    monkeypatch.setattr(reminders, "NAMED_IN_LIST", 1)
    lan = await candidate(db, "Đặng Ngọc Lan")
    lan.sponsor_id = (await db.exec(sa.select(Person.id).where(Person.full_name == "Phan Văn Hùng"))).scalar_one()
    await db.flush()
    rows = await due(db, date(2026, 3, 2), reminders.checkin_overdue)
    assert [(r[1], r[2], r[4]["total"], [(c["name"], c.get("sponsor")) for c in r[4]["candidates"]]) for r in rows] == [
        ("Nguyễn Thị Thu", "checkin_list:b2:2026W10:p1", 3, [("Đặng Ngọc Lan", "Phan Văn Hùng")]),
        ("Phan Văn Hùng", "checkin_list:b2:2026W10:p5", 3, [("Đặng Ngọc Lan", "Phan Văn Hùng")]),
        ("Phan Văn Hùng", f"checkin_list:s{lan.sponsor_id}:2026W10", 1, [("Đặng Ngọc Lan", None)]),
        ("Trần Văn Bình", "checkin_list:s2:2026W10", 2, [("Phạm Thu Hà", None)])]


async def test_each_branch_is_told_of_its_own_meeting(db):
    committee = (await db.exec(sa.select(Organisation).where(Organisation.id != 2).order_by(Organisation.id))).scalars()
    for org in committee:
        org.meeting_day = 3  # the committee above meets on the 3rd, the branch on the 5th
    await db.flush()
    assert [(r[2], r[4]) for r in await due(db, date(2026, 3, 2), reminders.review_due)] == [
        ("review_due:b2:2026-03:p1", {"meeting": "2026-03-05", "count": 7}),
        ("review_due:b2:2026-03:p5", {"meeting": "2026-03-05", "count": 7})]


async def test_the_survey_in_the_first_week_of_each_quarter(db):
    expected = {date(2026, 7, 1): officers("survey_due:b2:2026-Q3"), date(2026, 8, 1): [],
                date(2026, 10, 7): officers("survey_due:b2:2026-Q4"), date(2026, 11, 1): []}
    for today, keys_then in expected.items():
        assert await keys(db, today, reminders.survey_due) == keys_then, today
    assert (await due(db, date(2026, 4, 1), reminders.survey_due))[0] == (
        "survey_due", "Nguyễn Thị Thu", "survey_due:b2:2026-Q2:p1", "reminders/survey_due",
        {"quarter": "2026-Q2", "count": 4}, 2)


async def test_a_failed_delivery_is_told_to_each_secretary_and_deputy_of_the_branch_in_person_order(db):
    """branch_officers (bot/dispatcher.py tells them of an undelivered message): officers only, by branch."""
    branch, second = (await db.exec(sa.select(Organisation.id).where(Organisation.kind == OrgKind.branch)
                                    .order_by(Organisation.id))).scalars().all()
    names = dict((await db.exec(sa.select(Person.id, Person.full_name))).all())

    async def officers_by_name() -> dict[int, list[str]]:
        return {org: [names[p] for p in people] for org, people in (await reminders.branch_officers(db)).items()}

    # the demo: a secretary and a deputy; the sponsors, the committee member and the candidate are not told
    assert await officers_by_name() == {branch: ["Nguyễn Thị Thu", "Phan Văn Hùng"]}
    # the sponsor made deputy too, after the deputy: listed by person, not by when they were made one
    binh = (await db.exec(sa.select(Person.id).where(Person.full_name == "Trần Văn Bình"))).scalar_one()
    await grant_role(session=db, person_id=binh, org_id=branch, role=Role.deputy)
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.secretary)
    assert await officers_by_name() == {branch: ["Nguyễn Thị Thu", "Trần Văn Bình", "Phan Văn Hùng"],
                                        second: ["Trần Văn Bình"]}


async def second_branch_with_a_secretary(db) -> tuple[int, int]:
    """The demo's second branch (one source, one sympathizer, no officer yet), with Trần Văn Bình its
    secretary: (the branch, Trần Văn Bình)."""
    second = (await db.exec(sa.select(Organisation.id).where(Organisation.name == SECOND_BRANCH))).scalar_one()
    binh = (await db.exec(sa.select(Person.id).where(Person.full_name == "Trần Văn Bình"))).scalar_one()
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.secretary)
    return second, binh


async def test_two_branches_meeting_in_two_months_each_review_their_own_month(db):
    second, binh = await second_branch_with_a_secretary(db)
    branch = (await db.exec(sa.select(Organisation).where(Organisation.name == BRANCH))).scalar_one()
    branch.meeting_day = 2  # Monday 02/03/2026
    (await db.get(Organisation, second)).meeting_day = 28  # Saturday 28/02/2026, the day after
    await db.flush()
    assert [(r[1], r[2], r[4]) for r in await due(db, date(2026, 2, 27), reminders.review_due)] == [
        ("Nguyễn Thị Thu", "review_due:b2:2026-03:p1", {"meeting": "2026-03-02", "count": 7}),
        ("Phan Văn Hùng", "review_due:b2:2026-03:p5", {"meeting": "2026-03-02", "count": 7}),
        ("Trần Văn Bình", f"review_due:b{second}:2026-02:p{binh}", {"meeting": "2026-02-28", "count": 2})]


async def test_a_branch_with_a_single_source_is_asked_for_its_survey(db):
    second, binh = await second_branch_with_a_secretary(db)  # its one source: Lý Thị Hồng
    assert [(r[1], r[2], r[4]) for r in await due(db, date(2026, 4, 1), reminders.survey_due)] == [
        ("Nguyễn Thị Thu", "survey_due:b2:2026-Q2:p1", {"quarter": "2026-Q2", "count": 4}),
        ("Phan Văn Hùng", "survey_due:b2:2026-Q2:p5", {"quarter": "2026-Q2", "count": 4}),
        ("Trần Văn Bình", f"survey_due:b{second}:2026-Q2:p{binh}", {"quarter": "2026-Q2", "count": 1})]


async def test_enrolment_closing_names_the_awareness_class_and_its_deadline_not_a_new_member_class(db):
    committee = (await db.exec(sa.select(Organisation.id).where(Organisation.kind == OrgKind.committee))).scalar_one()
    db.add(PartyClass(org_id=committee, kind=ClassKind.new_member, title="Lớp đảng viên mới khóa 1", place="Hội trường",
                      starts_on=date(2026, 3, 25), ends_on=date(2026, 3, 27), enrol_by=date(2026, 3, 18), capacity=40,
                      created_at=NOW))
    await db.flush()
    awareness = (await db.exec(sa.select(PartyClass.id).where(
        PartyClass.title == "Lớp nhận thức về Đảng khóa 2"))).scalar_one()  # enrol by 16/03/2026
    values = {"title": "Lớp nhận thức về Đảng khóa 2", "enrol_by": "2026-03-16", "count": 3}
    assert [(r[1], r[2], r[4]) for r in await due(db, date(2026, 3, 16), reminders.enrolment_closing)] == [
        ("Nguyễn Thị Thu", f"enrol_closing:k{awareness}:b2:p1", values),
        ("Phan Văn Hùng", f"enrol_closing:k{awareness}:b2:p5", values)]


async def class_id(db, title: str) -> int:
    return (await db.exec(sa.select(PartyClass.id).where(PartyClass.title == title))).scalar_one()


async def closing(db, today: date) -> list[tuple]:
    return [(r[1], r[2], r[4]["count"]) for r in await due(db, today, reminders.enrolment_closing)]


async def test_enrolment_closing_counts_each_branchs_sympathizers_not_enrolled_in_that_class(db):
    second, binh = await second_branch_with_a_secretary(db)  # its sympathizer: Ngô Đức Thắng
    k = await class_id(db, "Lớp nhận thức về Đảng khóa 2")  # the committee's, enrol by 16/03/2026
    assert await closing(db, date(2026, 3, 16)) == [
        ("Nguyễn Thị Thu", f"enrol_closing:k{k}:b2:p1", 3), ("Phan Văn Hùng", f"enrol_closing:k{k}:b2:p5", 3),
        ("Trần Văn Bình", f"enrol_closing:k{k}:b{second}:p{binh}", 1)]
    db.add(Enrollment(class_id=k, candidate_id=(await candidate(db, "Lê Hoàng Minh")).id, at=NOW))
    await db.flush()
    counts = [2, 2, 1]
    assert [row[2] for row in await closing(db, date(2026, 3, 16))] == counts
    # enrolled in another class: still to enrol in this one
    db.add(Enrollment(class_id=await class_id(db, "Lớp nhận thức về Đảng khóa 1"),
                      candidate_id=(await candidate(db, "Phạm Thu Hà")).id, at=NOW))
    await db.flush()
    assert [row[2] for row in await closing(db, date(2026, 3, 16))] == counts


async def test_a_class_of_one_branch_is_closing_for_that_branch_only(db):
    await second_branch_with_a_secretary(db)
    branch = (await db.exec(sa.select(Organisation.id).where(Organisation.name == BRANCH))).scalar_one()
    own = PartyClass(org_id=branch, kind=ClassKind.awareness, title="Lớp của chi bộ", place="Phòng họp",
                     starts_on=date(2026, 3, 28), ends_on=date(2026, 3, 29), enrol_by=date(2026, 3, 20), capacity=20,
                     created_at=NOW)
    db.add(own)
    await db.flush()
    assert await closing(db, date(2026, 3, 19)) == [  # the committee's class closed on 16/03
        ("Nguyễn Thị Thu", f"enrol_closing:k{own.id}:b2:p1", 3), ("Phan Văn Hùng", f"enrol_closing:k{own.id}:b2:p5", 3)]
