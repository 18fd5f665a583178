"""Numbers and dates for the reader's locale (Babel): kk and ru write 4,75, en 4.75."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from aiogram.utils.i18n import get_i18n
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal


def _locale() -> str:
    return get_i18n().current_locale


def format_date(day: date) -> str:
    """20 сәуір 2026 ж. / 20 апреля 2026 г. / April 20, 2026."""
    return babel_date(day, format="long", locale=_locale())


def format_score(value: Decimal) -> str:
    """A score with two decimals in the reader's locale: 4,75 / 4.75."""
    return format_decimal(value, format="0.00", locale=_locale())
