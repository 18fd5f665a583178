"""Numbers, dates and official texts for the reader's locale (Babel): kk and ru write 4,75."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal

from scoring import Methodology, Quarter, Text


def locale() -> str:
    return get_i18n().current_locale


def format_date(day: date) -> str:
    """20 сәуір 2026 / 20 апреля 2026 / 20 April 2026 (fits mid-sentence, no "г.")."""
    return _date(day, locale())


def format_score(value: Decimal) -> str:
    """A score with two decimals in the reader's locale: 4,75 / 4.75."""
    return _decimal(value, "0.00", locale())


def format_number(value: Decimal) -> str:
    """A score as typed, without trailing zeros: 4 / 4,5 / 4,75."""
    return _decimal(value, "0.##", locale())


@lru_cache(maxsize=4096)
def _decimal(value: Decimal, pattern: str, language: str) -> str:
    return format_decimal(value, format=pattern, locale=language)


@lru_cache(maxsize=1024)
def _date(day: date, language: str) -> str:
    return babel_date(day, format="d MMMM y", locale=language)


def format_phone(digits: str | None) -> str:
    """A stored Kazakhstan number (77010000010) as people write it: +7 701 000 00 10."""
    if not digits:
        return "—"
    if len(digits) != 11:
        return f"+{digits}"
    return f"+{digits[0]} {digits[1:4]} {digits[4:7]} {digits[7:9]} {digits[9:]}"


def official(text: Text) -> str:
    """A text of the methodology (parameter, hint, grade) in the reader's language."""
    return text.get(locale())


def quarter_name(quarter: Quarter) -> str:
    return _("Q{quarter} {year}").format(quarter=quarter.number, year=quarter.year)


def grade_label(methodology: Methodology, code: str | None) -> str:
    for band in methodology.grades:
        if band.code == code:
            return official(band.label)
    return code or "—"
