"""Dates decline: a Kazakh sentence picks the case its postposition needs ("дейін" takes the
dative, "қоса алғанда" the accusative), Russian has the month in the genitive."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from handlers.common.render import CASES, DateText, kk_declined

ROOT = Path(__file__).parents[1]
SPEC = re.compile(r"\{(\w+):(\w+)\}")

MONTHS = {  # nominative: dative, accusative, locative, ablative, genitive
    "қаңтар": ("қаңтарға", "қаңтарды", "қаңтарда", "қаңтардан", "қаңтардың"),
    "ақпан": ("ақпанға", "ақпанды", "ақпанда", "ақпаннан", "ақпанның"),
    "наурыз": ("наурызға", "наурызды", "наурызда", "наурыздан", "наурыздың"),
    "сәуір": ("сәуірге", "сәуірді", "сәуірде", "сәуірден", "сәуірдің"),
    "мамыр": ("мамырға", "мамырды", "мамырда", "мамырдан", "мамырдың"),
    "маусым": ("маусымға", "маусымды", "маусымда", "маусымнан", "маусымның"),
    "шілде": ("шілдеге", "шілдені", "шілдеде", "шілдеден", "шілденің"),
    "тамыз": ("тамызға", "тамызды", "тамызда", "тамыздан", "тамыздың"),
    "қыркүйек": ("қыркүйекке", "қыркүйекті", "қыркүйекте", "қыркүйектен", "қыркүйектің"),
    "қазан": ("қазанға", "қазанды", "қазанда", "қазаннан", "қазанның"),
    "қараша": ("қарашаға", "қарашаны", "қарашада", "қарашадан", "қарашаның"),
    "желтоқсан": ("желтоқсанға", "желтоқсанды", "желтоқсанда", "желтоқсаннан",
                  "желтоқсанның"),
}


@pytest.mark.parametrize(("month", "forms"), MONTHS.items())
def test_every_kazakh_month_takes_its_case_endings(month, forms):
    assert tuple(kk_declined(month, case) for case in ("dat", "acc", "loc", "abl", "gen")) \
        == forms


@pytest.mark.parametrize(("template", "expected"), [
    ("{date} дейін", "2026 жылғы 6 қазан дейін"),  # the nominative: what was wrong
    ("{date:dat} дейін", "2026 жылғы 6 қазанға дейін"),
    ("{date:acc} қоса алғанда", "2026 жылғы 6 қазанды қоса алғанда"),
    ("{date:loc} аяқталды", "2026 жылғы 6 қазанда аяқталды"),
])
def test_a_kazakh_template_chooses_the_case(template, expected):
    assert template.format(date=DateText(date(2026, 10, 6), "kk")) == expected


@pytest.mark.parametrize("case", CASES)
def test_russian_and_english_dates_do_not_change_with_the_case(case):
    assert format(DateText(date(2026, 10, 8), "ru"), case) == "8 октября 2026"
    assert format(DateText(date(2026, 10, 8), "en"), case) == "8 October 2026"


def test_an_unknown_case_is_refused():
    with pytest.raises(ValueError, match="unknown grammatical case"):
        format(DateText(date(2026, 10, 8), "kk"), "dative")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_case_a_translation_asks_for_exists(language):
    with (ROOT / "locales" / language / "LC_MESSAGES" / "bagalau.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            for name, case in SPEC.findall(string or ""):
                assert case in CASES, (language, message.id, name, case)
