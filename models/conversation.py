"""Conversation state per chat, and the platform messages already processed."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Conversation(SQLModel, table=True):
    """Where a chat stands: the flow it is in, the step, the answers so far, the last choices."""

    channel: str = Field(primary_key=True, max_length=16)
    chat_id: str = Field(primary_key=True, max_length=64)
    flow: str | None = Field(default=None, max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    choices: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    updated_at: datetime


class ProcessedMessage(SQLModel, table=True):
    """A platform message id seen once; recorded in the same transaction as its effects."""

    channel: str = Field(primary_key=True, max_length=16)
    message_id: str = Field(primary_key=True, max_length=80)
    at: datetime = Field(index=True)
