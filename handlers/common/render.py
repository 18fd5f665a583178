"""Numbers, dates and official texts for the reader's locale (Babel): kk and ru write 4,75.

Dates decline: a translation picks the grammatical case its sentence needs with a format spec,
``{date:dat} дейін`` (dative), ``{date:acc} қоса алғанда`` (accusative), ``{date:loc}``
(locative), ``{date:abl}``, ``{date:gen}``; plain ``{date}`` is the nominative. Kazakh builds each
case from Babel's month name and the suffix vowel harmony and the last sound call for
("2026 жылғы 6 қазанға"); Russian and English dates have the month in the genitive (or none) in
every case ("6 октября 2026").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date as babel_date
from babel.dates import get_month_names
from babel.numbers import format_decimal

from scoring import Methodology, Quarter, Text


def locale() -> str:
    return get_i18n().current_locale


def format_date(day: date) -> DateText:
    """2026 жылғы 20 сәуір / 20 апреля 2026 / 20 April 2026 (fits mid-sentence, no "г."); in
    a translation ``{date:dat}`` and the other cases decline it (the module's docstring)."""
    return _date(day, locale())


CASES = ("", "gen", "dat", "acc", "loc", "abl")
_BACK, _FRONT = set("аоұыуя"), set("әеөүіэи")
_VOICELESS, _NASAL = set("кқпстфхцчшщ"), set("мнң")


def kk_declined(word: str, case: str) -> str:
    """A Kazakh word with the case suffix: vowel harmony by its last vowel, the suffix's first
    sound by its last sound (қазан → қазанға, қазанды, қазанда, қазаннан, қазанның;
    қыркүйек → қыркүйекке, қыркүйекті; шілде → шілдеге, шілдені)."""
    _check_case(case)
    if not case:
        return word
    last_vowel = next((c for c in reversed(word.lower()) if c in _BACK | _FRONT), "а")
    back = last_vowel in _BACK
    sound = _last_sound(word[-1].lower())
    first = {
        "dat": {"voiceless": "қк"}.get(sound, "ғг"),
        "acc": {"vowel": "нн", "voiceless": "тт"}.get(sound, "дд"),
        "loc": {"voiceless": "тт"}.get(sound, "дд"),
        "abl": {"voiceless": "тт", "nasal": "нн"}.get(sound, "дд"),
        "gen": {"vowel": "нн", "nasal": "нн", "voiceless": "тт"}.get(sound, "дд"),
    }[case][0 if back else 1]
    rest = {"dat": ("а", "е"), "acc": ("ы", "і"), "loc": ("а", "е"), "abl": ("ан", "ен"),
            "gen": ("ың", "ің")}[case][0 if back else 1]
    return word + first + rest


def _last_sound(end: str) -> str:
    """How a suffix's first sound follows a word's last one (у and и act as consonants)."""
    if end in (_BACK | _FRONT) - {"у", "и"}:
        return "vowel"
    if end in _VOICELESS:
        return "voiceless"
    return "nasal" if end in _NASAL else "voiced"


class DateText(str):
    """A date as the reader writes it; ``format(d, "dat")`` (``{date:dat}`` in a template)
    gives the grammatical case a Kazakh sentence needs."""

    day: date
    language: str

    def __new__(cls, day: date, language: str) -> DateText:
        text = super().__new__(cls, _spell(day, language, ""))
        text.day, text.language = day, language
        return text

    def __format__(self, spec: str) -> str:
        return _spell(self.day, self.language, spec) if spec else str(self)


def _check_case(case: str) -> None:
    if case not in CASES:
        raise ValueError(f"unknown grammatical case {case!r} (one of {', '.join(CASES[1:])})")


def _spell(day: date, language: str, case: str) -> str:
    _check_case(case)
    if language == "kk":
        month = get_month_names("wide", context="format", locale="kk")[day.month]
        return f"{day.year} жылғы {day.day} {kk_declined(month, case)}"
    return babel_date(day, format="d MMMM y", locale=language)


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
def _date(day: date, language: str) -> DateText:
    return DateText(day, language)


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
