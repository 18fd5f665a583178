"""The calibration session's protocol as a PDF in Kazakh and Russian (cl. 23).

fpdf2 lays it out; the DejaVu Sans font that ships with matplotlib has every Kazakh letter.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import matplotlib
from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

from services.calibration import ProtocolFacts

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

__all__ = ["ProtocolFacts", "new_pdf", "render_protocol"]


LABELS = {
    "kk": {
        "title": "Калибрлеу сессиясының хаттамасы",
        "body": "Мемлекеттік орган", "servant": "Бағаланатын қызметші",
        "period": "Бағаланатын кезең", "quarter": "{year} жылғы {number}-тоқсан",
        "requested": "Өтініш берілген күн", "original": "Бағалаушының бағасы",
        "members": "Калибрлеу сессиясының мүшелері", "evaluator": "Бағалаушы адам",
        "statement": "Қызметшінің өтініші", "evaluator_argument": "Бағалаушының дәлелдері",
        "appellant_argument": "Қызметшінің дәлелдері", "votes": "Дауыс беру",
        "round": "{round}-тур", "final": "Қорытынды баға (басым дауыспен қабылданды)",
        "date": "Хаттамаға қол қойылған күн", "none": "ұсынылмады",
    },
    "ru": {
        "title": "Протокол калибровочной сессии",
        "body": "Государственный орган", "servant": "Оцениваемый служащий",
        "period": "Оцениваемый период", "quarter": "{number}-й квартал {year} г.",
        "requested": "Дата обращения", "original": "Оценка оценивающего лица",
        "members": "Члены калибровочной сессии", "evaluator": "Оценивающее лицо",
        "statement": "Заявление служащего", "evaluator_argument": "Аргументы оценивающего лица",
        "appellant_argument": "Аргументы служащего", "votes": "Голосование",
        "round": "Тур {round}", "final": "Итоговая оценка (принята большинством голосов)",
        "date": "Дата подписания протокола", "none": "не представлены",
    },
}
SHORT = 700  # "arguments in short"


def _short(text: str | None, none: str) -> str:
    if not text:
        return none
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[:SHORT].rsplit(" ", 1)[0] + " …"


def new_pdf() -> FPDF:
    """An A4 document with DejaVu Sans (regular and bold) registered as "DejaVu"."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    return pdf


def render_protocol(facts: ProtocolFacts) -> bytes:
    pdf = new_pdf()
    for language in ("kk", "ru"):
        labels = LABELS[language]
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 14)
        pdf.multi_cell(0, 8, labels["title"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        def score(value: Decimal, language: str = language) -> str:
            return format_decimal(value, format="0.00", locale=language)

        year, number = facts.quarter
        rows = [
            (labels["body"], facts.body),
            (labels["servant"], f"{facts.servant}, {facts.position}"),
            (labels["period"], labels["quarter"].format(year=year, number=number)),
            (labels["requested"], format_date(facts.requested_on, "d MMMM y", locale=language)),
            (labels["evaluator"], facts.evaluator),
            (labels["original"], score(facts.original)),
            (labels["members"], "; ".join(facts.members)),
            (labels["statement"], _short(facts.statement, labels["none"])),
            (labels["evaluator_argument"], _short(facts.evaluator_argument, labels["none"])),
            (labels["appellant_argument"], _short(facts.appellant_argument, labels["none"])),
        ]
        for round_number, votes in facts.rounds:
            rows.append((f"{labels['votes']}, {labels['round'].format(round=round_number)}",
                         "; ".join(f"{name}: {score(value)}" for name, value in votes)))
        rows += [(labels["final"], score(facts.final)),
                 (labels["date"], format_date(facts.decided_on, "d MMMM y", locale=language))]
        for label, value in rows:
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    return bytes(pdf.output())
