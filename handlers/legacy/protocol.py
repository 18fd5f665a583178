"""The legacy commission's protocol (appendix 5 of the Typical methodology of 2018, as seeds 001
and 002 refer to it) as a PDF in Kazakh and Russian: one row per servant with the evaluation
result, the commission's correction where it revised it, and its recommendations.

fpdf2 is imported only when a protocol is drawn (the router imports this module lazily, and
the PDF type only for type checking), so starting the bot does not load it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from babel.dates import format_date

from handlers.calibration.protocol import new_pdf
from scoring import Methodology, Text
from services.legacy import APPROVE, ProtocolRecord

if TYPE_CHECKING:
    from fpdf import FPDF


@dataclass(frozen=True, slots=True)
class ProtocolRow:
    servant: str
    position: str
    result: Text  # the evaluator's grade, agreed by the superior manager
    correction: Text | None  # the commission's grade where it revised the result
    recommendation: str | None
    votes: tuple[tuple[str, Text | None], ...]  # member -> the grade proposed, None: approve
    vote_round: int  # the round that decided (cl. 33: repeated without a majority)


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
        "votes": "Ашық дауыс беру", "round": "{n}-тур", "approve": "бекіту",
        "checked": "Тексерілді:",
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
        "votes": "Открытое голосование", "round": "{n}-й тур", "approve": "утвердить",
        "checked": "Проверено:",
        "chair": "Председатель комиссии", "member": "Член комиссии",
        "secretary": "Секретарь комиссии", "sign": "(фамилия, инициалы, подпись)",
        "date": "Дата",
    },
}
WIDTHS = (10, 48, 38, 44, 50)
Labels = Mapping[str, Any]  # LABELS[language]: the texts, and the table's column titles


def _label(labels: Mapping[str, Text], code: str | None) -> Text:
    """A decided review's grade as the methodology names it (a decided review has both)."""
    if code is None or code not in labels:
        raise ValueError(f"no grade {code!r} in the methodology's KPI plan")
    return labels[code]


def commission_protocol(record: ProtocolRecord, methodology: Methodology) -> CommissionProtocol:
    """The protocol's facts: every decided result with its votes, members by name."""
    labels = {g.code: g.label for g in methodology.kpi_plan.grades} \
        if methodology.kpi_plan else {}
    names = {servant_id: person.full_name for servant_id, person in record.people.items()}
    rows = tuple(ProtocolRow(
        servant=r.servant_name, position=record.people[r.servant_id].position,
        result=_label(labels, r.grade),
        correction=_label(labels, r.final_grade) if r.final_grade != r.grade else None,
        recommendation=r.recommendation,
        votes=tuple((names[m], None if choice == APPROVE else _label(labels, choice))
                    for m, choice in sorted(record.votes[r.id].items(),
                                            key=lambda v: names[v[0]])),
        vote_round=r.vote_round)
        for r in record.decided)
    found = record.commission
    others = tuple(names[m] for m in found.members if m not in (found.chair_id,
                                                                 found.secretary_id))
    return CommissionProtocol(
        body=record.body, year=record.year, met_on=record.met_on, chair=names[found.chair_id],
        secretary=names[found.secretary_id], members=others,
        present=len(found.present or ()), total=len(found.members), rows=rows)


def render_commission_protocol(facts: CommissionProtocol) -> bytes:
    pdf = new_pdf()
    for language in ("kk", "ru"):
        labels = LABELS[language]
        pdf.add_page()
        _heading(pdf, facts, labels, language)
        _results(pdf, facts, labels, language)
        _conclusion(pdf, facts, labels, language)
        _signatures(pdf, facts, labels)
    return bytes(pdf.output())


def _heading(pdf: FPDF, facts: CommissionProtocol, labels: Labels, language: str) -> None:
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, labels["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in (facts.body, labels["period"].format(year=facts.year),
                 f"{labels['met']}: {format_date(facts.met_on, 'd MMMM y', locale=language)}",
                 labels["quorum"].format(present=facts.present, total=facts.total)):
        pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _results(pdf: FPDF, facts: CommissionProtocol, labels: Labels, language: str) -> None:
    """The table of appendix 5: one row per servant."""
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


def _conclusion(pdf: FPDF, facts: CommissionProtocol, labels: Labels, language: str) -> None:
    """How many results were approved and revised, and each open vote."""
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
        voting = labels["votes"] + (f" ({labels['round'].format(n=row.vote_round)})"
                                    if row.vote_round > 1 else "")
        pdf.multi_cell(0, 5, f"{voting} — {row.servant}: {votes}",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _signatures(pdf: FPDF, facts: CommissionProtocol, labels: Labels) -> None:
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
