"""Shared column helpers: enums are stored as their string values, times as naive UTC."""

import sqlalchemy as sa
from sqlmodel import Field


def enum_field(default=None, **kw):
    """A StrEnum stored as a short string (a new value needs no schema change)."""
    if default is None:
        return Field(sa_type=sa.String(24), **kw)
    return Field(default=default, sa_type=sa.String(24), **kw)
