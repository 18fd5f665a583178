"""HR: importing the roster, invitation links, unlinking an account."""

from __future__ import annotations

import io
from datetime import timedelta
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.settings import Settings
from handlers.common.callbacks import MenuCb
from handlers.common.render import format_date
from handlers.common.workbooks import xlsx
from services.clock import Clock
from storage import accounts, invites, org, roster, roster_file
from storage.db import Database
from storage.models import Servant

MAX_ROSTER_BYTES = 10 * 1024 * 1024
MAX_LISTED_ERRORS = 25


class HasRole(Filter):
    def __init__(self, role: str) -> None:
        self.role = role

    async def __call__(self, event: TelegramObject, roles: frozenset[str]) -> bool:
        return self.role in roles




class Unbind(StatesGroup):
    personnel_no = State()


# ------------------------------------------------------------------ roster import
async def roster_help(message: Message) -> None:
    await message.answer(_roster_help())


async def roster_help_from_menu(callback: CallbackQuery) -> None:
    await callback.answer()
    await callback.message.answer(_roster_help())


def _roster_help() -> str:
    return _("Send me the staff roster as a CSV or XLSX file, one row per servant, with the "
             "columns personnel_no, full_name, position, category, unit, appointed_on and, "
             "where they apply, managerial, unit_head, supervisor, dismissed_on, phone, "
             "language, role, public_services. An XLSX file may add the sheets sanctions and "
             "absences. The whole file is checked first: if any row is wrong, nothing is "
             "imported and I list the rows to fix.")


async def import_roster(message: Message, bot: Bot, db: Database, clock: Clock,
                        servant: Servant) -> None:
    document = message.document
    name = document.file_name or ""
    if not name.lower().endswith((".csv", ".xlsx")):
        await message.answer(_("Please send the roster as a .csv or .xlsx file."))
        return
    if (document.file_size or 0) > MAX_ROSTER_BYTES:
        await message.answer(_("The file is larger than 10 MB; please split or trim it."))
        return
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    try:
        parsed = roster_file.parse(buffer.getvalue(), name)
    except roster_file.RosterError as exc:
        await message.answer(_rejection(exc.errors))
        return
    async with db.transaction() as conn:
        report = await roster.apply(conn, parsed, at=clock.now(), actor=f"servant:{servant.id}")
    await message.answer(_(
        "Roster imported: {added} added, {updated} updated, {dismissed} dismissed, "
        "{unchanged} unchanged.").format(**_report(report)))
    if report.not_in_file:
        await message.answer(ngettext(
            "{n} servant in the bot is not in this file and was left as is. Mark dismissals "
            "with dismissed_on.",
            "{n} servants in the bot are not in this file and were left as they are. Mark "
            "dismissals with dismissed_on.", report.not_in_file).format(n=report.not_in_file))


def _report(report: roster.ImportReport) -> dict[str, int]:
    return {"added": report.added, "updated": report.updated, "dismissed": report.dismissed,
            "unchanged": report.unchanged}


def _rejection(errors: list[roster_file.RowError]) -> str:
    lines = [_("The roster was not imported, nothing was changed. Please fix these rows and "
               "send the file again:")]
    for error in errors[:MAX_LISTED_ERRORS]:
        where = _("row {row}, column {column}").format(row=error.row, column=error.column) \
            if error.column else _("row {row}").format(row=error.row)
        if error.sheet != "servants":
            where = _("sheet {sheet}, {where}").format(sheet=error.sheet, where=where)
        lines.append(f"• {where}: {escape(_reason(error))}")
    if len(errors) > MAX_LISTED_ERRORS:
        lines.append(_("… and {n} more.").format(n=len(errors) - MAX_LISTED_ERRORS))
    return "\n".join(lines)


def _reason(error: roster_file.RowError) -> str:
    value = error.value
    return {
        "missing": _("empty, but required"),
        "bad_category": _("“{value}” is not a category code like C-4 or D-O-1"),
        "bad_yes_no": _("“{value}” should be yes or no"),
        "bad_date": _("“{value}” is not a date; write 2024-03-15 or 15.03.2024"),
        "bad_phone": _("“{value}” is not a Kazakhstan phone number like +7 701 234 56 78"),
        "bad_language": _("“{value}” should be kk, ru or en"),
        "bad_role": _("“{value}” should be hr or appointing"),
        "bad_sanction": _("“{value}” should be remark, reprimand, severe_reprimand or other"),
        "duplicate": _("“{value}” appears twice"),
        "duplicate_phone": _("the phone {value} belongs to another servant in the file"),
        "unknown_person": _("nobody in the file has personnel number “{value}”"),
        "self_supervisor": _("a servant cannot be his own supervisor"),
        "supervisor_cycle": _("the supervisors form a loop through “{value}”"),
        "dates_order": _("{value} is earlier than the start date"),
        "missing_column": _("the column is missing"),
        "unknown_column": _("unknown column"),
        "empty": _("the file has no rows"),
        "unreadable": _("I cannot read this file; save it as CSV (UTF-8) or XLSX"),
    }[error.reason].format(value=value)


# ------------------------------------------------------------------ invitation links
async def invites_command(message: Message, bot: Bot, db: Database, clock: Clock,
                          settings: Settings, servant: Servant) -> None:
    await _send_invites(message, bot, db, clock, settings, servant)


async def invites_from_menu(callback: CallbackQuery, bot: Bot, db: Database, clock: Clock,
                            settings: Settings, servant: Servant) -> None:
    await callback.answer()
    await _send_invites(callback.message, bot, db, clock, settings, servant)


async def _send_invites(message: Message, bot: Bot, db: Database, clock: Clock,
                        settings: Settings, servant: Servant) -> None:
    me = await bot.me()
    ttl = timedelta(days=settings.invite_ttl_days)
    now = clock.now()
    rows = []
    async with db.transaction() as conn:
        for row in await org.servants_for_invites(conn, clock.today()):
            if row.bound:
                continue
            token = await invites.issue(conn, row.servant.id, at=now, ttl=ttl,
                                        actor=f"servant:{servant.id}")
            s = row.servant
            rows.append((s.personnel_no, s.full_name, s.position, row.unit_path or "",
                         f"+{s.phone}" if s.phone else "",
                         f"https://t.me/{me.username}?start={token}"))
    if not rows:
        await message.answer(_("Everyone in the roster already uses the bot."))
        return
    expires = format_date((now + ttl).astimezone(clock.tz).date())
    header = (_("Personnel no."), _("Full name"), _("Position"), _("Unit"), _("Phone"),
              _("Invitation link"))
    content = xlsx(_("Invitations"), header, rows)
    filename = f"invitations-{clock.today().isoformat()}.xlsx"
    await message.answer_document(
        BufferedInputFile(content, filename),
        caption=ngettext(
            "{n} personal invitation link. It works once, until {date}; earlier unused links "
            "no longer work. Send each person only his own link.",
            "{n} personal invitation links. Each works once, until {date}; earlier unused "
            "links no longer work. Send each person only his own link.", len(rows)).format(
            n=len(rows), date=expires))


# ------------------------------------------------------------------ unlinking
async def unbind_ask(message: Message, state: FSMContext) -> None:
    await state.set_state(Unbind.personnel_no)
    await message.answer(_unbind_question())


async def unbind_ask_from_menu(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await state.set_state(Unbind.personnel_no)
    await callback.message.answer(_unbind_question())


def _unbind_question() -> str:
    return _("Whose Telegram account should be unlinked? Send the servant's personnel number "
             "(or /cancel).")


async def unbind(message: Message, state: FSMContext, db: Database, clock: Clock,
                 servant: Servant) -> None:
    async with db.transaction() as conn:
        target = await org.by_personnel_no(conn, message.text)
        unbound = await accounts.unbind(conn, target.id, at=clock.now(),
                                        actor=f"servant:{servant.id}") if target else None
    if target is None:
        await message.answer(_("Nobody has personnel number “{value}”. Send another one or "
                               "/cancel.").format(value=escape(message.text)))
        return
    await state.clear()
    if unbound is None:
        await message.answer(_("{name} has no linked Telegram account.").format(
            name=escape(target.full_name)))
        return
    await message.answer(_("Done: {name}'s Telegram account is unlinked. Send him a new "
                           "invitation link (/invites) to link another one.").format(
        name=escape(target.full_name)))


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="hr")
    router.message.filter(HasRole("hr"))
    router.callback_query.filter(HasRole("hr"))
    router.message.register(roster_help, Command("roster"))
    router.callback_query.register(roster_help_from_menu, MenuCb.filter(F.action == "roster"))
    router.message.register(import_roster, F.document)
    router.message.register(invites_command, Command("invites"))
    router.callback_query.register(invites_from_menu, MenuCb.filter(F.action == "invites"))
    router.message.register(unbind_ask, Command("unbind"))
    router.callback_query.register(unbind_ask_from_menu, MenuCb.filter(F.action == "unbind"))
    router.message.register(unbind, StateFilter(Unbind.personnel_no), F.text)
    return router
