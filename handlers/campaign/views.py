"""HR's campaign screens as pure functions: the menu, what opening did, progress, the
workbooks and the closing menu."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.callbacks import CampaignAction as Do
from handlers.common.callbacks import CampaignCb
from handlers.common.render import (
    format_date,
    format_phone,
    format_score,
    grade_label,
    official,
    quarter_name,
)
from handlers.common.workbooks import Column, Kind, Sheet, local, workbook
from scoring import Methodology, Quarter
from services.campaigns import (
    AnnualRow,
    Campaign,
    CampaignProgress,
    ExportRequest,
    ExportRow,
    LateEvaluator,
    OpenReport,
    UnitProgress,
)

View = tuple[str, InlineKeyboardMarkup]
LIMIT = 3900  # Telegram allows 4096 characters per message


def menu(today: date, opened: Mapping[Quarter, bool], *, results: bool) -> View:
    """``opened``: the quarters with a campaign, True when closed. A quarter not opened yet
    is offered to open, an open one to take in servants new in the roster. ``results``: he
    reads results (cl. 14, 26), so the export and the annual scores are offered."""
    builder = InlineKeyboardBuilder()
    last = Quarter.containing(today).previous()
    offered = 0
    for quarter in (last.previous(), last):
        if quarter not in opened:
            label = _("Open {quarter}")
        elif not opened[quarter]:
            label = _("Add newcomers to {quarter}")
        else:
            continue
        builder.button(text=label.format(quarter=quarter_name(quarter)),
                       callback_data=CampaignCb(action=Do.OPEN, period=str(quarter)))
        offered += 1
    builder.button(text=_("Progress"), callback_data=CampaignCb(action=Do.PROGRESS))
    if results:
        builder.button(text=_("Export results (XLSX)"),
                       callback_data=CampaignCb(action=Do.EXPORT))
        for year in (today.year - 1, today.year):
            builder.button(text=_("Annual score {year}").format(year=year),
                           callback_data=CampaignCb(action=Do.ANNUAL, period=str(year)))
    builder.button(text=_("Close a quarter"), callback_data=CampaignCb(action=Do.CLOSE))
    builder.adjust(*([offered] if offered else []), *((2, 2, 1) if results else (2,)))
    text = _("Evaluation campaigns: what would you like to do?")
    if not results:
        text += "\n" + _("Under this body's methodology, only the head of the personnel "
                         "service reads evaluation results and scores.")
    return text, builder.as_markup()


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


def opened(quarter: Quarter, report: OpenReport, today: date) -> str:
    key = _("{quarter} opened: {total} sheets, due {date}.") if report.created else \
        _("{quarter} was already open: {total} sheets, due {date}.")
    lines = [key.format(quarter=quarter_name(quarter), total=report.sheets_total,
                        date=format_date(report.campaign.deadline))]
    if today > report.campaign.deadline:
        lines.insert(0, _("⚠ The evaluation deadline, {date}, has already passed: every sheet "
                          "is overdue from today. Ask the evaluators to finish as soon as "
                          "possible.").format(date=format_date(report.campaign.deadline)))
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


def unit_line(unit: UnitProgress, overdue: bool) -> str:
    """One unit's sheets, each counted once."""
    if overdue:
        return _("{unit}: done {done} of {total}, overdue {overdue}").format(
            unit=escape(unit.unit), done=unit.done, total=unit.total, overdue=unit.overdue)
    return _("{unit}: done {done} of {total}, in progress {in_progress}, not started "
             "{not_started}").format(unit=escape(unit.unit), done=unit.done, total=unit.total,
                                     in_progress=unit.in_progress,
                                     not_started=unit.not_started)


def _attention(unit: UnitProgress) -> tuple[float, int]:
    """Least done first, then the most sheets left."""
    return unit.done / unit.total if unit.total else 1.0, -(unit.total - unit.done)


def _more(n: int) -> str:
    return _("… and {n} more: see the attached table.").format(n=n)


def _progress_lines(found: CampaignProgress, today: date, limit: int) -> tuple[list[str], bool]:
    """One quarter's part of the message, each list cut at ``limit``; True if anything was."""
    campaign, cut = found.campaign, False
    overdue = today > campaign.deadline
    total = UnitProgress("", *(sum(getattr(u, f) for u in found.units) for f in
                               ("done", "in_progress", "not_started", "overdue")))
    lines = [_("<b>{quarter}</b>, due {date}").format(
        quarter=quarter_name(campaign.quarter), date=format_date(campaign.deadline))]
    if overdue:
        lines.append(_("The deadline has passed. Sheets: done {done} of {total}, overdue "
                       "{overdue}.").format(done=total.done, total=total.total,
                                            overdue=total.overdue))
    else:
        lines.append(_("Sheets: done {done} of {total}, in progress {in_progress}, not "
                       "started {not_started}.").format(
            done=total.done, total=total.total, in_progress=total.in_progress,
            not_started=total.not_started))
    behind = sorted((u for u in found.units if u.done < u.total), key=_attention)
    if behind:
        lines.append(_("<b>Units to look at first</b>"))
        lines += [unit_line(u, overdue) for u in behind[:limit]]
        if len(behind) > limit:
            lines.append(_more(len(behind) - limit))
            cut = True
    sections = [
        (_("<b>Late evaluators</b>"), late_lines(found.late)),
        (_("<b>Not evaluated</b>"), [f"{escape(name)} ({no}): {exclusion_reason(reason)}"
                                     for no, name, reason in found.excluded]),
        (_("<b>Dismissed: acquaint by letter or SMS within the month after the quarter "
           "(cl. 10)</b>"), [f"{escape(name)} ({no}): {format_phone(phone)}"
                             for name, no, phone in found.by_letter]),
    ]
    for title, items in sections:
        if items:
            lines.append(title)
            lines += items[:limit]
            if len(items) > limit:
                lines.append(_more(len(items) - limit))
                cut = True
    return lines, cut


def progress(campaigns: list[CampaignProgress], today: date) -> tuple[str, bytes | None]:
    """One message for every open quarter, and the full tables as a workbook when the
    message had to leave rows out to fit Telegram's limit."""
    if not campaigns:
        return _("No evaluation campaign is open."), None
    for limit in (10, 5, 3, 1, 0):
        parts = [_progress_lines(found, today, limit) for found in campaigns]
        text = "\n\n".join("\n".join(lines) for lines, _cut in parts)
        if len(text) <= LIMIT:
            break
    cut = any(was_cut for _lines, was_cut in parts)
    return text[:LIMIT], progress_workbook(campaigns) if cut else None


def progress_workbook(campaigns: list[CampaignProgress]) -> bytes:
    quarter = Column(_("Quarter"))
    units = [[quarter_name(f.campaign.quarter), u.unit, u.total, u.done, u.in_progress,
              u.not_started, u.overdue] for f in campaigns for u in f.units]
    late = [[quarter_name(f.campaign.quarter), e.name, e.personnel_no, e.pending,
             "" if e.reachable else _("not reachable in Telegram")]
            for f in campaigns for e in f.late]
    excluded = [[quarter_name(f.campaign.quarter), no, name, exclusion_reason(reason)]
                for f in campaigns for no, name, reason in f.excluded]
    letters = [[quarter_name(f.campaign.quarter), no, name, format_phone(phone)]
               for f in campaigns for name, no, phone in f.by_letter]
    number = Kind.NUMBER
    return workbook([
        Sheet(_("Units"), [quarter, Column(_("Unit"), Kind.LONG_TEXT),
                           Column(_("Sheets"), number), Column(_("Done"), number),
                           Column(_("In progress"), number), Column(_("Not started"), number),
                           Column(_("Overdue"), number)], units),
        Sheet(_("Late evaluators"), [quarter, Column(_("Evaluator"), Kind.LONG_TEXT),
                                     Column(_("Personnel no.")), Column(_("Pending"), number),
                                     Column(_("Telegram"))], late),
        Sheet(_("Not evaluated"), [quarter, Column(_("Personnel no.")),
                                   Column(_("Full name"), Kind.LONG_TEXT),
                                   Column(_("Reason"), Kind.LONG_TEXT)], excluded),
        Sheet(_("By letter"), [quarter, Column(_("Personnel no.")),
                               Column(_("Full name"), Kind.LONG_TEXT), Column(_("Phone"))],
              letters),
    ])


def preparing(quarter: Quarter) -> str:
    return _("Preparing the results of {quarter}… I will send the file here; you can go on "
             "using the bot meanwhile.").format(quarter=quarter_name(quarter))


def export_ready(quarter: Quarter) -> str:
    return _("The results of {quarter} are ready: the file is below.").format(
        quarter=quarter_name(quarter))


def export_caption(quarter: Quarter, rows: int) -> str:
    return ngettext("{quarter}: {n} servant in scope", "{quarter}: {n} servants in scope",
                    rows).format(quarter=quarter_name(quarter), n=rows)


def export_failed() -> str:
    return _("Sorry, the results file could not be prepared. Please try again; if it fails "
             "again, tell the administrator.")


def results_workbook(request: ExportRequest, methodology: Methodology) -> tuple[str, bytes]:
    """The quarter's workbook: a cover, one sheet per form with its own parameter titles in
    its order, and the servants who are not evaluated. Runs in the worker thread."""
    data = request.data
    by_form: dict[str, list[ExportRow]] = {}
    not_evaluated = []
    for row in data.rows:
        if row.form is None:
            not_evaluated.append(row)
        else:
            by_form.setdefault(row.form, []).append(row)
    sheets = [_cover(request, methodology, len(not_evaluated))]
    for number, (form_id, rows) in enumerate(sorted(
            by_form.items(), key=lambda item: list(methodology.forms).index(item[0])
            if item[0] in methodology.forms else len(methodology.forms)), start=1):
        sheets.append(_form_sheet(number, form_id, rows, request, methodology))
    person = [Column(_("Personnel no.")), Column(_("Full name"), Kind.LONG_TEXT),
              Column(_("Position"), Kind.LONG_TEXT), Column(_("Category"), Kind.CODE),
              Column(_("Unit"), Kind.LONG_TEXT)]
    sheets.append(Sheet(_("Not evaluated"), [*person, Column(_("Status"), Kind.LONG_TEXT)],
                        ([*_person(r), _status(r)] for r in not_evaluated)))
    return f"results-{data.quarter}.xlsx", workbook(sheets)


def _cover(request: ExportRequest, methodology: Methodology, not_evaluated: int) -> Sheet:
    data = request.data
    generated = request.generated_at.astimezone(request.tz)
    rows = [
        (_("Body"), data.body),
        (_("Period"), quarter_name(data.quarter)),
        (_("Methodology"), official(methodology.title)),
        (_("Evaluation deadline"), format_date(data.deadline)),
        (_("Generated at"), f"{format_date(generated.date())} {generated:%H:%M}"),
        (_("Generated by"), request.by),
        (_("Servants in scope"), str(len(data.rows))),
        (_("Evaluated (submitted)"), str(sum(1 for r in data.rows if r.submitted))),
        (_("Not evaluated"), str(not_evaluated)),
    ]
    return Sheet(_("Cover"), [Column(_("Item"), Kind.LONG_TEXT),
                              Column(_("Value"), Kind.LONG_TEXT)], rows)


def _form_sheet(number: int, form_id: str, rows: list[ExportRow], request: ExportRequest,
                methodology: Methodology) -> Sheet:
    form = methodology.forms.get(form_id)
    parameters = form.parameters if form else ()
    title = f"{number}. {official(form.title)}" if form else f"{number}. {form_id}"
    columns = [Column(_("Personnel no.")), Column(_("Full name"), Kind.LONG_TEXT),
               Column(_("Position"), Kind.LONG_TEXT), Column(_("Category"), Kind.CODE),
               Column(_("Unit"), Kind.LONG_TEXT), Column(_("Evaluator"), Kind.LONG_TEXT),
               Column(_("Status"), Kind.LONG_TEXT),
               *[Column(f"{i}. {official(p.title)}", Kind.SCORE)
                 for i, p in enumerate(parameters, start=1)],
               Column(_("Average"), Kind.SCORE), Column(_("Grade"), Kind.LONG_TEXT),
               Column(_("Calibrated score"), Kind.SCORE),
               Column(_("Final grade (after calibration)"), Kind.LONG_TEXT),
               Column(_("Submitted"), Kind.MOMENT), Column(_("Delivered"), Kind.MOMENT),
               Column(_("Read"), Kind.MOMENT)]
    tz = request.tz

    def body() -> Iterator[list[object]]:
        for r in rows:
            final = r.final_grade or r.grade
            yield [*_person(r), r.evaluator or "", _status(r),
                   *[_number(r.scores.get(p.id)) for p in parameters],
                   _number(r.average), grade_label(methodology, r.grade) if r.grade else None,
                   _number(r.final_average),
                   grade_label(methodology, final) if final else None,
                   local(r.submitted_at, tz), local(r.delivered_at, tz),
                   local(r.acknowledged_at, tz)]

    return Sheet(title, columns, body())


def _person(row: ExportRow) -> list[object]:
    return [row.personnel_no, row.full_name, row.position, row.category, row.unit]


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _status(row: ExportRow) -> str:
    if row.excluded is not None:
        return _("not evaluated: {reason}").format(reason=exclusion_reason(row.excluded))
    if row.without_participation:
        return _("dismissed — evaluated without participation (cl. 7)") if row.submitted \
            else _("dismissed — to be evaluated without participation (cl. 7)")
    return _("evaluated") if row.submitted else _("not evaluated yet")


def annual_workbook(formed: list[AnnualRow], methodology: Methodology) -> bytes:
    """Cl. 5: each servant's quarters (a calibrated one marked), the annual score and grade."""
    columns = [Column(_("Personnel no.")), Column(_("Full name"), Kind.LONG_TEXT)]
    for number in range(1, 5):
        columns += [Column(_("Q{n}").format(n=number), Kind.SCORE),
                    Column(_("Q{n} calibrated").format(n=number), Kind.CODE)]
    columns += [Column(_("Quarters"), Kind.NUMBER), Column(_("Annual score"), Kind.SCORE),
                Column(_("Grade"), Kind.LONG_TEXT)]

    def row(r: AnnualRow) -> list[object]:
        by_number = {q.quarter: q for q in r.by_quarter}
        cells: list[object] = [r.personnel_no, r.full_name]
        for number in range(1, 5):
            found = by_number.get(number)
            cells += [float(found.score) if found else None,
                      _("yes") if found and found.calibrated else None]
        return [*cells, r.quarters, float(r.average), grade_label(methodology, r.grade)]

    return workbook([Sheet(_("Annual"), columns, (row(r) for r in formed))])


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
