"""Messages the bot starts: results to the servant, new sheets to evaluators — each in the
recipient's language, with delivery recorded only once Telegram accepted the message."""

from __future__ import annotations

import logging
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.clock import Clock
from scoring import Methodology, WorkCalendar
from storage import accounts, evaluation
from storage.db import Database
from storage.evaluation import Sheet

from .callbacks import MenuCb, ResultCb
from .render import format_date, format_number, format_score, grade_label, official, quarter_name

log = logging.getLogger("bagalau")


async def send_to_servant(bot: Bot, db: Database, clock: Clock, servant_id: int,
                          render) -> bool:
    """Render ``render()`` in the servant's language and send it; False if he cannot be reached
    (no linked account, or he blocked the bot — then he is marked unreachable for HR)."""
    i18n = get_i18n()
    async with db.reading() as conn:
        telegram_id = await accounts.telegram_id_of(conn, servant_id)
        language = await accounts.language_of(conn, servant_id) or i18n.default_locale
    if telegram_id is None:
        return False
    with i18n.use_locale(language):
        text, markup = render()
    try:
        await bot.send_message(telegram_id, text, reply_markup=markup)
    except TelegramForbiddenError:
        async with db.transaction() as conn:
            await accounts.mark_unreachable(conn, telegram_id, at=clock.now())
        return False
    except TelegramAPIError:
        log.warning("could not send to servant %s", servant_id, exc_info=True)
        return False
    return True


def result_view(sheet: Sheet, methodology: Methodology, deadline_text: str | None
                ) -> tuple[str, InlineKeyboardMarkup]:
    form = methodology.forms[sheet.form]
    lines = [_("<b>Your evaluation for {quarter}</b>").format(
        quarter=quarter_name(sheet.campaign.quarter)), escape(official(form.title))]
    for number, item in enumerate(form.parameters, start=1):
        answer = sheet.answers.get(item.id)
        lines.append(f"{number}. {escape(official(item.title))}: "
                     f"<b>{format_number(answer.score) if answer else '—'}</b>")
        if answer and answer.comment:
            lines.append(f"    <i>{escape(answer.comment)}</i>")
    score = sheet.score
    grade = sheet.final_grade or sheet.grade
    lines.append(_("Average: <b>{average}</b> — {grade}").format(
        average=format_score(score), grade=grade_label(methodology, grade)))
    if sheet.final_average is not None:
        lines.append(_("This is the score adopted by the calibration session."))
    if deadline_text:
        lines.append(deadline_text)
    builder = InlineKeyboardBuilder()
    if sheet.acknowledged_at is None:
        builder.button(text=_("I have read it"), callback_data=ResultCb(sheet=sheet.id,
                                                                        action="ack"))
    builder.button(text=_("☰ Menu"), callback_data=MenuCb(action="home"))
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()


def calibration_window_text(sheet: Sheet, methodology: Methodology, clock: Clock,
                            calendar: WorkCalendar) -> str | None:
    """Until when a calibration session can be requested (cl. 11), if the window started."""
    rules = methodology.calibration
    if rules is None:
        return None
    delivered = sheet.delivered_at.astimezone(clock.tz).date() if sheet.delivered_at \
        else clock.today()
    acknowledged = sheet.acknowledged_at.astimezone(clock.tz).date() \
        if sheet.acknowledged_at else None
    last = rules.request_window_working_days
    deadline = rules.request_deadline(delivered, acknowledged, calendar)
    if deadline is None:
        return _("If you disagree, you may request a calibration session within {days} working "
                 "days of confirming that you have read the result.").format(days=last)
    return _("If you disagree, you may request a calibration session until {date} inclusive "
             "({days} working days, cl. 11).").format(date=format_date(deadline), days=last)


async def deliver_result(bot: Bot, db: Database, clock: Clock, calendar: WorkCalendar,
                         methodology: Methodology, sheet: Sheet) -> bool:
    """Send the submitted result to the servant and record the moment Telegram took it."""
    now = clock.now()
    delivered = await send_to_servant(bot, db, clock, sheet.evaluatee_id, lambda: result_view(
        sheet, methodology, calibration_window_text(sheet, methodology, clock, calendar)))
    if delivered:
        async with db.transaction() as conn:
            await evaluation.mark_delivered(conn, sheet.id, at=now)
    return delivered


async def notify_handover(bot: Bot, db: Database, clock: Clock, colleague_id: int,
                          sheet: Sheet) -> None:
    def render():
        builder = InlineKeyboardBuilder()
        builder.button(text=_("Evaluation sheets"), callback_data=MenuCb(action="sheets"))
        return _("You have been asked to evaluate {name} for {quarter} (cl. 18).").format(
            name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter)), \
            builder.as_markup()

    await send_to_servant(bot, db, clock, colleague_id, render)
