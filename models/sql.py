"""The few SQL pieces that differ between SQLite and PostgreSQL, for set-based queries.

Each takes plain Python values or column expressions and returns an expression that runs on
both databases, so a query is written once.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def is_sql(item: Any) -> bool:
    """A column or expression (a model's attribute included), not a Python constant."""
    return isinstance(item, sa.ColumnElement) or hasattr(item, "__clause_element__")


def value(item: Any) -> sa.ColumnElement:
    """A Python constant as a typed SQL value (PostgreSQL will not guess an untyped one)."""
    if is_sql(item):
        return item
    if item is None:
        return sa.null()
    if isinstance(item, bool):
        return sa.cast(sa.literal(item), sa.Boolean)
    if isinstance(item, int):
        return sa.cast(sa.literal(item), sa.Integer)
    if isinstance(item, date):
        return sa.literal(item, sa.Date)  # compares as a date; JSON shows it as ISO text
    return sa.cast(sa.literal(str(item)), sa.String)


def concat(*parts: Any) -> sa.ColumnElement:
    """Text joined from constants and columns (numbers and dates as their ISO text)."""
    joined = None
    for part in parts:
        text = sa.cast(part, sa.String) if is_sql(part) else value(part)
        joined = text if joined is None else joined.op("||")(text)
    return joined


def json_object(dialect: str, **fields: Any) -> sa.ColumnElement:
    """A JSON object built in the database: dates come out as ISO text on both."""
    build = sa.func.json_build_object if dialect == "postgresql" else sa.func.json_object
    args: list[sa.ColumnElement] = []
    for name, item in fields.items():
        if dialect != "postgresql" and is_sql(item) and isinstance(getattr(item, "type", None), sa.JSON):
            item = sa.func.json(item)  # SQLite forgets a value is JSON once it leaves its subquery
        args += [sa.literal_column(f"'{name}'"), value(item)]
    return build(*args, type_=sa.JSON)


def json_list(dialect: str, element: sa.ColumnElement) -> sa.ColumnElement:
    """The JSON array of a group's elements (an aggregate; the order is not guaranteed)."""
    collect = sa.func.json_agg if dialect == "postgresql" else sa.func.json_group_array
    return collect(element, type_=sa.JSON)


def days_between(dialect: str, earlier: sa.ColumnElement, later: date) -> sa.ColumnElement:
    """Whole days from a date column to a given day."""
    if dialect == "postgresql":
        return sa.cast(sa.literal(later), sa.Date) - earlier
    return sa.cast(sa.func.julianday(later.isoformat()) - sa.func.julianday(earlier), sa.Integer)


def choose(condition: sa.ColumnElement, when_true: Any, otherwise: Any) -> sa.ColumnElement:
    """One of two values, row by row."""
    return sa.case((condition, value(when_true)), else_=value(otherwise))


def dialect_insert(session):
    """INSERT with ON CONFLICT for the session's database (PostgreSQL or SQLite)."""
    return insert_for(session.bind.dialect.name)


def insert_for(dialect: str):
    """INSERT with ON CONFLICT for a database, by its dialect's name (PostgreSQL or SQLite)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert
