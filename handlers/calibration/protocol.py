"""The calibration session's protocol as a PDF in Kazakh and Russian (cl. 23): the body as
its header, the facts, a table of the votes in each round, the decision and a signature line
for each member.

fpdf2 lays it out; the DejaVu Sans font that ships with matplotlib has every Kazakh letter.
Both are imported only when a protocol is drawn, not at every start of the bot.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from babel.numbers import format_decimal

from handlers.common.render import DateText
from services.calibration import ProtocolFacts

if TYPE_CHECKING:
    from fpdf import FPDF

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
        "documents": "Өтінішке қоса берілген құжаттар", "member": "Мүше",
        "score": "Ұсынылған баға", "signatures": "Калибрлеу сессиясы мүшелерінің қолдары",
        "signature": "(қолы)", "session_due": "Сессияны өткізу мерзімі (21-т.)",
        "late": "мерзімі бұзылды",
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
        "documents": "Документы, приложенные к обращению", "member": "Член сессии",
        "score": "Предложенная оценка", "signatures": "Подписи членов калибровочной сессии",
        "signature": "(подпись)", "session_due": "Срок проведения сессии (п. 21)",
        "late": "срок нарушен",
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
    from fpdf import FPDF

    fonts = _fonts()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    return pdf


def _fonts() -> Path:
    """matplotlib's font folder, found without importing matplotlib."""
    spec = find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations, "matplotlib is a dependency"
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def render_protocol(facts: ProtocolFacts) -> bytes:
    pdf = new_pdf()
    for language in ("kk", "ru"):
        _page(pdf, facts, LABELS[language], language)
    return bytes(pdf.output())


def _page(pdf: FPDF, facts: ProtocolFacts, labels: dict[str, str], language: str) -> None:
    def score(value: Decimal) -> str:
        return format_decimal(value, format="0.00", locale=language)

    def day(value: date) -> str:
        return str(DateText(value, language))  # 2026 жылғы 30 наурыз / 30 марта 2026

    pdf.add_page()
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, facts.body, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, labels["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    year, number = facts.quarter
    _rows(pdf, [
        (labels["servant"], f"{facts.servant}, {facts.position}"),
        (labels["period"], labels["quarter"].format(year=year, number=number)),
        (labels["requested"], day(facts.requested_on)),
        (labels["evaluator"], facts.evaluator),
        (labels["original"], score(facts.original)),
        (labels["members"], "; ".join(facts.members)),
        (labels["statement"], _short(facts.statement, labels["none"])),
        (labels["documents"], "; ".join(facts.documents) or labels["none"]),
        (labels["evaluator_argument"], _short(facts.evaluator_argument, labels["none"])),
        (labels["appellant_argument"], _short(facts.appellant_argument, labels["none"])),
    ])
    for round_number, votes in facts.rounds:
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 6, f"{labels['votes']}, {labels['round'].format(round=round_number)}",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        with pdf.table(col_widths=(3, 1), text_align=("LEFT", "CENTER"),
                       first_row_as_headings=True) as table:
            table.row((labels["member"], labels["score"]))
            for name, value in votes:
                table.row((name, score(value)))
        pdf.ln(2)
    closing = [(labels["final"], score(facts.final)), (labels["date"], day(facts.decided_on))]
    if facts.session_due is not None:
        late = f" — {labels['late']}" if facts.decided_on > facts.session_due else ""
        closing.append((labels["session_due"], day(facts.session_due) + late))
    _rows(pdf, closing)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 6, labels["signatures"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for member in facts.members:
        pdf.ln(4)
        pdf.cell(95, 6, member)
        pdf.cell(0, 6, f"____________________ {labels['signature']}", new_x="LMARGIN",
                 new_y="NEXT")


def _rows(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
