"""A candidate's dossier: checklist entries with their dates, and the admission record
(the branch's vote, the committee's decision, the ceremony, recognition)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.dossier_items import CURRENT_VERSION


class DossierEntry(SQLModel, table=True):
    """One item of the checklist (models/dossier_items.py): its date and who holds the paper."""

    __table_args__ = (sa.UniqueConstraint("candidate_id", "item"),)
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    item: str = Field(max_length=16)
    dated: date
    holder: str | None = Field(default=None, max_length=120)
    number: str | None = Field(default=None, max_length=40)  # the paper's number (a certificate's)
    at: datetime


class AdmissionRecord(SQLModel, table=True):
    """The facts of one candidate's admission and recognition, as they are recorded."""

    candidate_id: int = Field(foreign_key="candidate.id", primary_key=True)
    version: str = Field(default=CURRENT_VERSION, max_length=32)
    dossier_started_on: date | None = None
    # The Trade Union committee introduces (with one official member) where the unit has no
    # Youth Union (Charter art. 4): recorded with the 3-KNĐ letters (/ghihoso).
    trade_union_route: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    resolution_on: date | None = None  # 6-KNĐ
    votes_for: int | None = None
    official_members: int | None = None
    # True: the secretary typed and confirmed the count (the branch kept no roster); False:
    # counted from the roster on the vote's day; None: recorded before the roster existed.
    official_members_typed: bool | None = None
    decision_on: date | None = None  # 9-KNĐ; party age counts from it
    decision_number: str | None = Field(default=None, max_length=40)
    refused_reason: str | None = Field(default=None, max_length=500)
    decision_received_on: date | None = None
    # The committee extends its time to decide by 30 working days (294-QĐ/TW 4.3): the day of
    # its extension and who gave it (the committee, its paper), as the secretary recorded them.
    decision_extended_on: date | None = None
    decision_extended_by: str | None = Field(default=None, max_length=200)
    ceremony_on: date | None = None  # starts the 12 months of probation
    # A ceremony later than 30 working days: the committee above's consent (294-QĐ/TW 4.1).
    ceremony_consent_on: date | None = None
    ceremony_consent_by: str | None = Field(default=None, max_length=200)
    personal_history_on: date | None = None
    recognition_resolution_on: date | None = None  # 13-KNĐ
    recognition_votes_for: int | None = None
    recognition_members: int | None = None
    # As official_members_typed, for the recognition vote (13-KNĐ).
    recognition_members_typed: bool | None = None
    # The committee extends its time to recognise by 30 working days (294-QĐ/TW 4.2).
    recognition_extended_on: date | None = None
    recognition_extended_by: str | None = Field(default=None, max_length=200)
    recognition_decision_on: date | None = None  # 16-KNĐ
    recognition_number: str | None = Field(default=None, max_length=40)
    struck_off_reason: str | None = Field(default=None, max_length=500)
    updated_at: datetime
