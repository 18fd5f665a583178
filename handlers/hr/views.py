"""HR's tools in words: the roster's format, a rejected file, the import report, the
invitation links and unlinking."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.render import format_date, format_phone
from handlers.common.workbooks import xlsx
from services.accounts import Invitations
from services.roster import ImportReport, RowError

MAX_LISTED_ERRORS = 25


def roster_help() -> str:
    return _("Send me the staff roster as a CSV or XLSX file, one row per servant, with the "
             "columns personnel_no, full_name, position, category, unit, appointed_on and, "
             "where they apply, managerial, unit_head, supervisor, dismissed_on, phone, "
             "language, role, public_services. An XLSX file may add the sheets sanctions and "
             "absences. The whole file is checked first: if any row is wrong, nothing is "
             "imported and I list the rows to fix.")


def checking(filename: str) -> str:
    return _("Received {name}. Checking every row… I will answer here; you can go on using "
             "the bot meanwhile.").format(name=escape(filename))


def import_failed(filename: str) -> str:
    return _("Sorry, {name} could not be processed and nothing was changed. Please send it "
             "again; if it fails again, tell the administrator.").format(name=escape(filename))


def imported(report: ImportReport) -> list[str]:
    """The import report, and a line when the file left servants out."""
    texts = [_("Roster imported: {added} added, {updated} updated, {dismissed} dismissed, "
               "{unchanged} unchanged.").format(
        added=report.added, updated=report.updated, dismissed=report.dismissed,
        unchanged=report.unchanged)]
    if report.sanctions_added or report.absences_changed:
        texts.append(_("Sanctions added: {sanctions}; absences added or changed: "
                       "{absences}.").format(sanctions=report.sanctions_added,
                                             absences=report.absences_changed))
    if report.not_in_file:
        texts.append(ngettext(
            "{n} servant in the bot is not in this file and was left as is. Mark dismissals "
            "with dismissed_on.",
            "{n} servants in the bot are not in this file and were left as they are. Mark "
            "dismissals with dismissed_on.", report.not_in_file).format(n=report.not_in_file))
    return texts


def rejection(errors: list[RowError]) -> str:
    lines = [_("The roster was not imported, nothing was changed. Please fix these rows and "
               "send the file again:")]
    for error in errors[:MAX_LISTED_ERRORS]:
        where = _("row {row}, column {column}").format(row=error.row, column=error.column) \
            if error.column else _("row {row}").format(row=error.row)
        if error.sheet != "servants":
            where = _("sheet {sheet}, {where}").format(sheet=error.sheet, where=where)
        lines.append(f"• {where}: {escape(row_reason(error))}")
    if len(errors) > MAX_LISTED_ERRORS:
        lines.append(_("… and {n} more.").format(n=len(errors) - MAX_LISTED_ERRORS))
    return "\n".join(lines)


def row_reason(error: RowError) -> str:
    """The problem in words (the chat and the command line say the same)."""
    value = error.value if len(error.value) <= 60 else error.value[:59] + "…"
    return {
        "missing": _("empty, but required"),
        "bad_category": _("“{value}” is not a category code like C-4 or D-O-1"),
        "unknown_category": _("“{value}” is not a category of the methodology"),
        "too_long": _("longer than {value} characters"),
        "too_large": _("the file unpacks to more than {value} MB; split it"),
        "too_many_rows": _("more than {value} rows; split the file"),
        "bad_yes_no": _("“{value}” should be yes or no"),
        "bad_date": _("“{value}” is not a date; write 2024-03-15 or 15.03.2024"),
        "bad_phone": _("“{value}” is not a Kazakhstan phone number like +7 701 234 56 78"),
        "bad_language": _("“{value}” should be kk, ru or en"),
        "bad_role": _("“{value}” should be hr, hr_head or appointing"),
        "bad_sanction": _("“{value}” should be remark, reprimand, severe_reprimand or other"),
        "duplicate": _("“{value}” appears twice"),
        "duplicate_phone": _("the phone {value} belongs to another servant in the file"),
        "unknown_person": _("nobody in the file or in the bot has personnel number “{value}”"),
        "self_supervisor": _("a servant cannot be his own supervisor"),
        "supervisor_cycle": _("the supervisors form a loop through “{value}”"),
        "dates_order": _("{value} is earlier than the start date"),
        "missing_column": _("the column is missing"),
        "unknown_column": _("unknown column"),
        "empty": _("the file has no rows"),
        "unreadable": _("I cannot read this file; save it as CSV (UTF-8) or XLSX"),
    }[error.reason].format(value=value)


def invitations_workbook(invitations: Invitations, bot_username: str | None) -> bytes:
    header = (_("Personnel no."), _("Full name"), _("Position"), _("Unit"), _("Phone"),
              _("Invitation link"))
    rows = [(s.personnel_no, s.full_name, s.position, link.unit_path or "",
             format_phone(s.phone) if s.phone else "",
             f"https://t.me/{bot_username}?start={link.token}")
            for link in invitations.links for s in (link.servant,)]
    return xlsx(_("Invitations"), header, rows)


def invitations_caption(invitations: Invitations) -> str:
    return ngettext(
        "{n} personal invitation link. It works once, until {date}; earlier unused links "
        "no longer work. Send each person only his own link.",
        "{n} personal invitation links. Each works once, until {date}; earlier unused "
        "links no longer work. Send each person only his own link.",
        len(invitations.links)).format(n=len(invitations.links),
                                       date=format_date(invitations.expires_on))


def unbind_question() -> str:
    return _("Whose Telegram account should be unlinked? Send the servant's personnel number "
             "(or /cancel).")
