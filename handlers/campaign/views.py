"""HR's campaign screens as pure functions: the menu, what opening did, progress, the
workbooks and the closing menu."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.callbacks import CampaignAction as Do
from handlers.common.callbacks import CampaignCb
from handlers.common.render import (
    format_date,
    format_score,
    grade_label,
    official,
    quarter_name,
)
from handlers.common.workbooks import xlsx
from scoring import Methodology, Quarter
from scoring.methodology import Parameter
from services.campaigns import (
    AnnualRow,
    Campaign,
    CampaignProgress,
    LateEvaluator,
    OpenReport,
    ResultRow,
)

View = tuple[str, InlineKeyboardMarkup]
LIMIT = 3900  # Telegram allows 4096 characters per message


def menu(today: date) -> View:
    builder = InlineKeyboardBuilder()
    last = Quarter.containing(today).previous()
    for quarter in (last.previous(), last):
        builder.button(text=_("Open {quarter}").format(quarter=quarter_name(quarter)),
                       callback_data=CampaignCb(action=Do.OPEN, period=str(quarter)))
    builder.button(text=_("Progress"), callback_data=CampaignCb(action=Do.PROGRESS))
    builder.button(text=_("Export results (XLSX)"), callback_data=CampaignCb(action=Do.EXPORT))
    for year in (today.year - 1, today.year):
        builder.button(text=_("Annual score {year}").format(year=year),
                       callback_data=CampaignCb(action=Do.ANNUAL, period=str(year)))
    builder.button(text=_("Close a quarter"), callback_data=CampaignCb(action=Do.CLOSE))
    builder.adjust(2, 2, 2, 1)
    return _("Evaluation campaigns: what would you like to do?"), builder.as_markup()


def sanction_reading(methodology: Methodology) -> str | None:
    """Which reading of the sanction caps the methodology uses and what it means for a
    servant with a sanction (app. 1, 2, parameter 5; ``sanctions.scope``; issue 15 item 8)."""
    sanctions = methodology.sanctions
    if sanctions is None:
        return None
    if sanctions.scope == "parameter" and sanctions.parameter is not None:
        form = next(f for f in methodology.forms.values() if f.kind == "parameters")
        lines = [_("<b>Sanction caps</b> ({clause}): this methodology caps only the score of "
                   "the parameter «{parameter}»; the average is not capped. The best a servant "
                   "with a disciplinary sanction in the quarter can reach:").format(
            clause=escape(sanctions.clause),
            parameter=escape(official(form.parameter(sanctions.parameter).title)))]
    else:
        lines = [_("<b>Sanction caps</b> ({clause}): this methodology caps the overall score. "
                   "The best a servant with a disciplinary sanction in the quarter can reach:"
                   ).format(clause=escape(sanctions.clause))]
    for cap in sanctions.caps:
        best = methodology.best_with(sorted(cap.sanctions)[0])
        if best is not None:
            lines.append(f"• {escape(official(cap.reason))}: {format_score(best.average)} — "
                         f"{escape(grade_label(methodology, best.grade))}")
    lines.append(_("The other reading — the caps of 2,99 and 1,99 on the parameter or on the "
                   "whole score — is the methodology setting <code>sanctions.scope</code> "
                   "(parameter or overall)."))
    return "\n".join(lines)


def opened(quarter: Quarter, report: OpenReport) -> str:
    key = _("{quarter} opened: {total} sheets, due {date}.") if report.created else \
        _("{quarter} was already open: {total} sheets, due {date}.")
    lines = [key.format(quarter=quarter_name(quarter), total=report.sheets_total,
                        date=format_date(report.campaign.deadline))]
    if not report.created:
        lines.append(ngettext("{n} new sheet added for servants new in the roster.",
                              "{n} new sheets added for servants new in the roster.",
                              report.sheets_added).format(n=report.sheets_added))
    lines.append(ngettext("{n} servant is not evaluated; see Progress for the reasons.",
                          "{n} servants are not evaluated; see Progress for the reasons.",
                          report.excluded).format(n=report.excluded))
    return "\n".join(lines)


def exclusion_reason(code: str) -> str:
    return {
        "not_in_position": _("not in the position during the quarter"),
        "too_short_in_position": _("less than a month in the position (cl. 6)"),
        "too_few_worked_days": _("fewer than 15 days actually worked (cl. 6)"),
        "no_evaluator": _("no evaluator: set the supervisor or the unit head in the roster"),
        "seconded": _("seconded: the receiving body evaluates the secondment period (cl. 4)"),
    }.get(code, code)


def late_lines(late: list[LateEvaluator]) -> list[str]:
    """One line per late evaluator: his pending sheets, and whether the bot can reach him."""
    return [ngettext("{name}: {n} sheet", "{name}: {n} sheets", e.pending).format(
        name=escape(e.name), n=e.pending)
        + ("" if e.reachable else " — " + _("not reachable in Telegram"))
        for e in late]


def progress(campaigns: list[CampaignProgress]) -> list[str]:
    lines: list[str] = []
    for found in campaigns:
        campaign = found.campaign
        lines.append(_("<b>{quarter}</b>, due {date}").format(
            quarter=quarter_name(campaign.quarter), date=format_date(campaign.deadline)))
        for unit in found.units:
            lines.append(_("{unit}: done {done}, in progress {in_progress}, not started "
                           "{not_started}, overdue {overdue}").format(
                unit=escape(unit.unit), done=unit.done, in_progress=unit.in_progress,
                not_started=unit.not_started, overdue=unit.overdue))
        if found.late:
            lines.append(_("<b>Late evaluators</b>"))
            lines += late_lines(found.late)
        if found.excluded:
            lines.append(_("<b>Not evaluated</b>"))
            lines += [f"{escape(name)} ({no}): {exclusion_reason(reason)}"
                      for no, name, reason in found.excluded]
        if found.by_letter:
            lines.append(_("<b>Dismissed: acquaint by letter or SMS within the month after "
                           "the quarter (cl. 10)</b>"))
            lines += [f"{escape(name)} ({no}): {'+' + phone if phone else '—'}"
                      for name, no, phone in found.by_letter]
    return lines or [_("No evaluation campaign is open.")]


def chunks(lines: list[str]) -> list[str]:
    """Lines joined into messages that fit Telegram's limit."""
    messages: list[str] = []
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > LIMIT:
            messages.append("\n".join(chunk))
            chunk = []
        chunk.append(line)
    if chunk:
        messages.append("\n".join(chunk))
    return messages


def results_workbook(rows: list[ResultRow], methodology: Methodology) -> bytes:
    parameters: list[Parameter] = []
    for form in methodology.forms.values():
        parameters += [p for p in form.parameters if p.id not in {q.id for q in parameters}]
    header = [_("Personnel no."), _("Full name"), _("Position"), _("Unit"), _("Form"),
              _("Evaluator"), _("Status"), *[official(p.title) for p in parameters],
              _("Average"), _("Calibrated score"), _("Grade"), _("Submitted"), _("Delivered"),
              _("Read"), _("Calibration")]
    body = []
    for r in rows:
        body.append([
            r.personnel_no, r.full_name, r.position, r.unit,
            official(methodology.forms[r.form].title), r.evaluator,
            _("submitted") if r.status == "submitted" else _("pending"),
            *[float(r.scores[p.id]) if p.id in r.scores else None for p in parameters],
            float(r.average) if r.average is not None else None,
            float(r.final_average) if r.final_average is not None else None,
            grade_label(methodology, r.grade) if r.grade else None,
            r.submitted_at, r.delivered_at, r.acknowledged_at,
            _("calibrated") if r.final_average is not None else "",
        ])
    return xlsx(_("Results"), header, body)


def annual_workbook(formed: list[AnnualRow], methodology: Methodology) -> bytes:
    body = [[r.personnel_no, r.full_name, r.quarters, float(r.average),
             grade_label(methodology, r.grade)] for r in formed]
    header = [_("Personnel no."), _("Full name"), _("Quarters"), _("Annual score"), _("Grade")]
    return xlsx(_("Annual"), header, body)


def annual_caption(year: int, formed: list[AnnualRow]) -> str:
    return ngettext("{year}: {n} annual score formed.", "{year}: {n} annual scores formed.",
                    len(formed)).format(year=year, n=len(formed))


def close_menu(campaigns: list[Campaign]) -> View:
    builder = InlineKeyboardBuilder()
    for campaign in campaigns:
        builder.button(text=_("Close {quarter}").format(quarter=quarter_name(campaign.quarter)),
                       callback_data=CampaignCb(action=Do.CLOSE_IT, period=str(campaign.id)))
    builder.adjust(1)
    return _("Closing a quarter stops all changes to its sheets."), builder.as_markup()
