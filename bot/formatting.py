"""Jinja2 filters: dates and times shown the Vietnamese way."""

from datetime import date, datetime

from bot.clock import local


def vn_date(value: date | datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return local(value).strftime("%H:%M ngày %d/%m/%Y")


FILTERS = {"vn_date": vn_date, "vn_datetime": vn_datetime}
