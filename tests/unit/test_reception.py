"""The rules of a candidate received from another place (models/reception.py), at their edges:
the stages one may bring, dates never in the future nor after the reception nor before birth,
the certificate before the dossier, the papers within the dossier's time."""

from datetime import date

import pytest

from models.reception import (
    RECEIVED_ITEMS, Reception, certificate_missing, certificate_refusal, items_refusal, receivable_refusal,
    received_on_refusal, reception_refusal, since_refusal, stage_refusal,
)
from models.rules import Refusal
from models.stage import Stage

TODAY, BIRTH, RECEIVED = date(2026, 3, 2), date(2001, 5, 10), date(2026, 2, 20)


def code(refusal) -> str | None:
    return refusal.code if refusal else None


@pytest.mark.parametrize("stage, received, expected", [
    (Stage.source, False, None), (Stage.source, True, "reception_already"),
    (Stage.sympathizer, False, "reception_not_new"), (Stage.dossier, False, "reception_not_new"),
])
def test_only_a_candidate_just_added_takes_a_history_once(stage, received, expected):
    assert code(receivable_refusal(stage, received=received)) == expected


@pytest.mark.parametrize("stage", list(Stage))
def test_a_received_person_brings_a_stage_before_the_branch_vote(stage):
    allowed = stage in (Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier)
    assert code(stage_refusal(stage)) == (None if allowed else "reception_stage")


@pytest.mark.parametrize("on, expected", [
    (TODAY, None), (date(2026, 3, 3), "date_in_future"), (BIRTH, "reception_before_birth"),
    (date(2001, 5, 11), None),
])
def test_the_day_received_is_past_and_after_birth(on, expected):
    assert code(received_on_refusal(on, today=TODAY, birth=BIRTH)) == expected


@pytest.mark.parametrize("since, expected", [
    (RECEIVED, None), (date(2026, 2, 21), "reception_after_received"), (date(2026, 3, 3), "date_in_future"),
    (BIRTH, "reception_before_birth"),
])
def test_since_when_is_the_other_places_history(since, expected):
    assert code(since_refusal(since, received_on=RECEIVED, today=TODAY, birth=BIRTH)) == expected


@pytest.mark.parametrize("on, stage, expected", [
    (date(2025, 12, 15), Stage.dossier, None),  # the day the dossier began
    (date(2025, 12, 16), Stage.dossier, "reception_certificate_after_dossier"),
    (date(2025, 12, 16), Stage.awareness_class, None),  # a class's certificate comes after it began
    (date(2026, 2, 21), Stage.awareness_class, "reception_after_received"),
    (date(2026, 3, 3), Stage.awareness_class, "date_in_future"),
])
def test_the_certificate_is_dated_before_the_dossier_and_the_reception(on, stage, expected):
    assert code(certificate_refusal(on, stage=stage, since=date(2025, 12, 15), received_on=RECEIVED, today=TODAY,
                                    birth=BIRTH)) == expected


def test_a_dossier_needs_the_certificate_a_class_does_not():
    assert code(certificate_missing(Stage.dossier, certified=False)) == "reception_needs_certificate"
    assert certificate_missing(Stage.dossier, certified=True) is None
    assert certificate_missing(Stage.awareness_class, certified=False) is None


@pytest.mark.parametrize("items, expected", [
    ({"1-KNĐ": date(2025, 12, 15)}, None), ({"1-KNĐ": date(2025, 12, 14)}, "reception_item_before_dossier"),
    ({"5-KNĐ": RECEIVED}, None), ({"5-KNĐ": date(2026, 2, 21)}, "reception_after_received"),
    ({"6-KNĐ": date(2026, 1, 5)}, "reception_item_unknown"),  # the branch's resolution is made here
])
def test_the_papers_fall_within_the_dossiers_time_there(items, expected):
    assert code(items_refusal(items, since=date(2025, 12, 15), received_on=RECEIVED, today=TODAY,
                              birth=BIRTH)) == expected


def test_the_papers_that_may_come_are_the_admission_forms_before_the_vote():
    assert RECEIVED_ITEMS == ("1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ")


def test_every_rule_is_checked_again_before_saving():
    ok = Reception(came_from="X", received_on=RECEIVED, stage=Stage.dossier, since=date(2025, 12, 15),
                   certificate_number="1", certificate_on=date(2025, 12, 1), items={"1-KNĐ": date(2026, 1, 2)})
    assert reception_refusal(ok, today=TODAY, birth=BIRTH) is None
    no_certificate = Reception(came_from="X", received_on=RECEIVED, stage=Stage.dossier, since=date(2025, 12, 15))
    assert code(reception_refusal(no_certificate, today=TODAY, birth=BIRTH)) == "reception_needs_certificate"
    member = Reception(came_from="X", received_on=RECEIVED, stage=Stage.probationary, since=date(2025, 12, 15))
    assert code(reception_refusal(member, today=TODAY, birth=BIRTH)) == "reception_stage"


# ---- Each refusal whole, with what its message shows (mutation testing found only codes compared)

def test_each_refusal_carries_the_dates_and_stage_its_message_shows():
    assert receivable_refusal(Stage.source, received=True) == Refusal("reception_already", {})
    assert receivable_refusal(Stage.sympathizer, received=False) == Refusal("reception_not_new",
                                                                             {"stage": "sympathizer"})
    assert stage_refusal(Stage.probationary) == Refusal("reception_stage", {"stage": "probationary"})
    assert received_on_refusal(date(2026, 3, 3), today=TODAY, birth=BIRTH) == Refusal(
        "date_in_future", {"on": date(2026, 3, 3), "today": TODAY})
    assert received_on_refusal(BIRTH, today=TODAY, birth=BIRTH) == Refusal(
        "reception_before_birth", {"on": BIRTH, "birth_date": BIRTH})
    assert since_refusal(date(2026, 2, 21), received_on=RECEIVED, today=TODAY, birth=BIRTH) == Refusal(
        "reception_after_received", {"on": date(2026, 2, 21), "received_on": RECEIVED})
    assert certificate_refusal(date(2025, 12, 16), stage=Stage.dossier, since=date(2025, 12, 15),
                               received_on=RECEIVED, today=TODAY, birth=BIRTH) == Refusal(
        "reception_certificate_after_dossier", {"on": date(2025, 12, 16), "since": date(2025, 12, 15)})
    assert certificate_missing(Stage.dossier, certified=False) == Refusal("reception_needs_certificate", {})


def test_a_paper_refused_names_the_paper():
    since = date(2025, 12, 15)
    assert items_refusal({"6-KNĐ": RECEIVED}, since=since, received_on=RECEIVED, today=TODAY,
                         birth=BIRTH) == Refusal("reception_item_unknown", {"item": "6-KNĐ"})
    assert items_refusal({"2-KNĐ": date(2026, 2, 21)}, since=since, received_on=RECEIVED, today=TODAY,
                         birth=BIRTH) == Refusal("reception_after_received",
                                                 {"on": date(2026, 2, 21), "received_on": RECEIVED, "item": "2-KNĐ"})
    assert items_refusal({"1-KNĐ": date(2025, 12, 14)}, since=since, received_on=RECEIVED, today=TODAY,
                         birth=BIRTH) == Refusal("reception_item_before_dossier",
                                                 {"item": "1-KNĐ", "on": date(2025, 12, 14), "since": since})


@pytest.mark.parametrize("changes, expected", [
    ({"since": date(2026, 2, 21)}, Refusal("reception_after_received",
                                           {"on": date(2026, 2, 21), "received_on": RECEIVED})),
    ({"certificate_on": date(2025, 12, 16)}, Refusal("reception_certificate_after_dossier",
                                                     {"on": date(2025, 12, 16), "since": date(2025, 12, 15)})),
    ({"stage": Stage.awareness_class, "certificate_on": date(2026, 2, 21)},
     Refusal("reception_after_received", {"on": date(2026, 2, 21), "received_on": RECEIVED})),
    ({"items": {"2-KNĐ": date(2026, 2, 21)}},
     Refusal("reception_after_received", {"on": date(2026, 2, 21), "received_on": RECEIVED, "item": "2-KNĐ"})),
    ({"stage": Stage.awareness_class, "items": {"6-KNĐ": date(2026, 2, 21)}}, None),  # a class brings no papers
])
def test_before_saving_each_rule_is_checked_with_the_reception_day(changes, expected):
    fields = dict(came_from="X", received_on=RECEIVED, stage=Stage.dossier, since=date(2025, 12, 15),
                  certificate_number="1", certificate_on=date(2025, 12, 1), items={})
    assert reception_refusal(Reception(**{**fields, **changes}), today=TODAY, birth=BIRTH) == expected
