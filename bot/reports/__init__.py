"""Report writers (issue 15): one module per format, each turning a models/reports figure set
into a file. layout.py holds the sizes of the Party document form; document.py lays the figures
out as titled tables with their Vietnamese words, which every writer then draws."""

from datetime import date

from bot.render import environment
from models.reports.periods import PeriodError, ReportPeriod, parse_report_period


def period_phrases() -> dict[str, str]:
    """The words for a period that people type (messages/vi/reports/words.j2)."""
    return dict(environment().get_template("reports/words.j2").module.period_phrases)


def send_words() -> frozenset[str]:
    """The words after /baocao that send the report up ("gửi"), without accents."""
    return frozenset(environment().get_template("reports/words.j2").module.send)


def read_period(text: str, *, today: date) -> ReportPeriod | PeriodError:
    return parse_report_period(text, today=today, phrases=period_phrases())
