"""Which reminders are due on a day, asked of models/reminders.py directly on the demo: who is
told, about which candidate, on which day (mutation testing of models/reminders.py: the chat
tests of reminders run a year of days and are too slow to judge each mutant)."""

import json
from datetime import date

import pytest
import sqlalchemy as sa

from models import reminders
from models.people import Person


@pytest.fixture
async def db(demo):
    async with demo.sessions() as session, session.begin():
        yield session


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
        for key, person_id, k, template, values, branch_id in (await db.exec(stmt)).all():
            values = json.loads(values) if isinstance(values, str) else values
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
    assert await due(db, today) == ROWS[today]


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
