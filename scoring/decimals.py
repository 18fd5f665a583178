"""Exact decimal numbers: parsing what people type and the one rounding rule.

Rounding rule (docs/decisions.md): every computed score (an average, a KPI mean) is rounded
half-up to 0.01 before it is banded into a grade. Typed scores must already have at most two
decimals; "4,75" and "4.75" are the same number.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .errors import ScoreError

CENT = Decimal("0.01")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$", re.ASCII)


def round_score(value: Decimal) -> Decimal:
    """Round half-up to two decimals (3.995 -> 4.00)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def truncate_percent(value: Decimal) -> Decimal:
    """Cut a percentage to 0.01 without rounding up into a higher table row (99.996 -> 99.99)."""
    return value.quantize(CENT, rounding=ROUND_DOWN)


def parse_decimal(value: object, *, what: str, places: int | None = 2) -> Decimal:
    """Read a number typed with a comma or a point; refuse more than ``places`` decimals."""
    if isinstance(value, bool):
        raise ScoreError("not_a_number", f"{what}: {value!r} is not a number", value=str(value))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if not _NUMBER.match(text):
            raise ScoreError(
                "not_a_number", f"{what}: {value!r} is not a number", value=value
            )
        number = Decimal(text.replace(",", "."))
    else:
        raise ScoreError("not_a_number", f"{what}: {value!r} is not a number", value=str(value))
    if not number.is_finite():
        raise ScoreError("not_a_number", f"{what}: {value!r} is not a number", value=str(value))
    if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
        raise ScoreError(
            "too_many_decimals",
            f"{what}: {value} has more than {places} decimals",
            value=str(value),
        )
    return number + 0  # drop a negative zero


def format_plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 4.50 -> '4.5', 5.00 -> '5'."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
