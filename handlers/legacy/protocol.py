"""The legacy commission's protocol (appendix 5 of the Typical methodology of 2018, as seeds 001
and 002 refer to it) as a PDF in Kazakh and Russian: one row per servant with the evaluation
result, the commission's correction where it revised it, and its recommendations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from handlers.calibration.protocol import new_pdf
from scoring import Text


@dataclass(frozen=True, slots=True)
class ProtocolRow:
    servant: str
    position: str
    result: Text  # the evaluator's grade, agreed by the superior manager
    correction: Text | None  # the commission's grade where it revised the result
    recommendation: str | None
    votes: tuple[tuple[str, Text | None], ...]  # member -> the grade proposed, None: approve


@dataclass(frozen=True, slots=True)
class CommissionProtocol:
    body: str
    year: int
    met_on: date
    chair: str
    secretary: str
    members: tuple[str, ...]  # the other members
    present: int
    total: int
    rows: tuple[ProtocolRow, ...]


LABELS = {
    "kk": {
        "title": "Бағалау жөніндегі комиссия отырысының хаттамасы",
        "period": "{year} жылғы бағалау", "met": "Отырыс күні", "quorum":
        "Қатысқандар: {present} / {total} (кворум бар)",
        "columns": ("№", "Қызметшілердің тегі, аты, әкесінің аты (болған жағдайда)",
                    "Бағалау нәтижелері туралы мәлімет",
                    "Бағалау нәтижелері комиссиямен түзетілуі (бар болған жағдайда)",
                    "Комиссияның ұсыныстары"),
        "results": "Бағалау нәтижелері", "conclusion": "Комиссия қорытындысы",
        "summary": "{approved} нәтиже бекітілді, {revised} нәтиже қайта қаралды.",
        "votes": "Ашық дауыс беру", "approve": "бекіту", "checked": "Тексерілді:",
        "chair": "Комиссияның төрағасы", "member": "Комиссияның мүшесі",
        "secretary": "Комиссияның хатшысы", "sign": "(тегі, аты-жөні, қолы)", "date": "Күні",
    },
    "ru": {
        "title": "Протокол заседания комиссии по оценке",
        "period": "Оценка за {year} год", "met": "Дата заседания", "quorum":
        "Присутствовали: {present} из {total} (кворум имеется)",
        "columns": ("№ п/п", "Фамилия, имя, отчество (при наличии) служащих",
                    "Сведения о результатах оценки",
                    "Корректировка результатов оценки комиссией (при наличии)",
                    "Рекомендации комиссии"),
        "results": "Результаты оценки", "conclusion": "Заключение комиссии",
        "summary": "Утверждено результатов: {approved}, пересмотрено: {revised}.",
        "votes": "Открытое голосование", "approve": "утвердить", "checked": "Проверено:",
        "chair": "Председатель комиссии", "member": "Член комиссии",
        "secretary": "Секретарь комиссии", "sign": "(фамилия, инициалы, подпись)",
        "date": "Дата",
    },
}
WIDTHS = (10, 48, 38, 44, 50)


def render_commission_protocol(facts: CommissionProtocol) -> bytes:
    pdf = new_pdf()
    for language in ("kk", "ru"):
        labels = LABELS[language]
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(0, 7, labels["title"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for line in (facts.body, labels["period"].format(year=facts.year),
                     f"{labels['met']}: {format_date(facts.met_on, 'd MMMM y', locale=language)}",
                     labels["quorum"].format(present=facts.present, total=facts.total)):
            pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 7, labels["results"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)
        with pdf.table(col_widths=WIDTHS, text_align="LEFT", line_height=4.5) as table:
            header = table.row()
            for title in labels["columns"]:
                header.cell(title)
            for number, row in enumerate(facts.rows, start=1):
                cells = table.row()
                cells.cell(f"{number}.")
                cells.cell(f"{row.servant}, {row.position}")
                cells.cell(row.result.get(language))
                cells.cell(row.correction.get(language) if row.correction else "—")
                cells.cell(row.recommendation or "—")
        pdf.ln(3)
        revised = sum(1 for row in facts.rows if row.correction)
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 6, labels["conclusion"] + ":", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, labels["summary"].format(approved=len(facts.rows) - revised,
                                                      revised=revised),
                       new_x="LMARGIN", new_y="NEXT")
        for row in facts.rows:
            votes = "; ".join(f"{member}: {choice.get(language) if choice else labels['approve']}"
                              for member, choice in row.votes)
            pdf.multi_cell(0, 5, f"{labels['votes']} — {row.servant}: {votes}",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.multi_cell(0, 6, labels["checked"], new_x="LMARGIN", new_y="NEXT")
        signers = [(labels["chair"], facts.chair)] + \
            [(labels["member"], name) for name in facts.members] + \
            [(labels["secretary"], facts.secretary)]
        for role, name in signers:
            pdf.multi_cell(0, 6, f"{role}: {name} _______________   {labels['date']}: ________",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 7)
            pdf.multi_cell(0, 4, labels["sign"], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 10)
    return bytes(pdf.output())
