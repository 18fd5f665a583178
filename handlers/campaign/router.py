"""HR: opening the quarter, progress by unit, exports, the annual score, closing a quarter.
Each handler parses the tap, calls one use case of ``services.campaigns`` and draws the
answer."""

from __future__ import annotations

from functools import partial

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import CampaignAction, CampaignCb, MenuAction, MenuCb
from handlers.common.filters import HasRole
from handlers.common.refusals import Refusal, out_of_date
from handlers.common.render import locale, quarter_name
from scoring import Quarter
from services import campaigns, jobs
from services.accounts import Role, Servant
from services.context import Context
from services.reminders import Schedule

from . import views


def _chat(callback: CallbackQuery) -> Message:
    """The message the button was on (too old a message can no longer be answered under)."""
    if not isinstance(callback.message, Message):
        raise Refusal(out_of_date())
    return callback.message


async def campaign_command(message: Message, context: Context, servant: Servant) -> None:
    text, markup = await _menu(context, servant)
    await message.answer(text, reply_markup=markup)


async def campaign_from_menu(callback: CallbackQuery, context: Context,
                             servant: Servant) -> None:
    text, markup = await _menu(context, servant)
    await _chat(callback).answer(text, reply_markup=markup)


async def _menu(context: Context, servant: Servant) -> views.View:
    """The campaign menu, with the reading of the sanction caps the methodology uses; the
    results (export, annual workbook) only for the HR circle of the methodology."""
    text, markup = views.menu(context.clock.today(), await campaigns.quarters_opened(context),
                              results=await campaigns.reads_results(context, servant))
    reading = views.sanction_reading(context.methodology)
    return (f"{text}\n\n{reading}" if reading else text), markup


async def open_quarter(callback: CallbackQuery, callback_data: CampaignCb, context: Context,
                       schedule: Schedule, servant: Servant) -> None:
    try:
        quarter = Quarter.parse(callback_data.period)
    except ValueError:
        raise Refusal(out_of_date()) from None
    report = await campaigns.open_quarter(context, servant, quarter, schedule)
    await _chat(callback).answer(views.opened(quarter, report, context.clock.today()))


async def progress(callback: CallbackQuery, context: Context) -> None:
    """One message; the full tables as a file when the message could not hold them."""
    today = context.clock.today()
    text, table = views.progress(await campaigns.progress(context), today)
    await _chat(callback).answer(text)
    if table is not None:
        await _chat(callback).answer_document(
            BufferedInputFile(table, f"progress-{today.isoformat()}.xlsx"),
            caption=_("Progress: every unit, evaluator and servant"))


async def export(callback: CallbackQuery, context: Context, servant: Servant) -> None:
    """One background job per open quarter: a "preparing…" message now, the file through
    the outbox when it is built (the bot answers everyone meanwhile)."""
    requested = await campaigns.request_exports(context, servant, locale())
    if not requested:
        await _chat(callback).answer(_("No evaluation campaign is open."))
        return
    for job_id, campaign in requested:
        preparing = await _chat(callback).answer(views.preparing(campaign.quarter))
        await jobs.set_message(context, job_id, preparing.message_id)
        start_export(context, job_id)


def start_export(context: Context, job_id: int) -> None:
    """Build the export job's workbook in the background (also when a restart resumes it)."""
    context.jobs.start(campaigns.run_export(
        context, job_id, partial(views.results_workbook, methodology=context.methodology)))


async def annual(callback: CallbackQuery, callback_data: CampaignCb, context: Context,
                 servant: Servant) -> None:
    if not callback_data.period.isdigit():
        raise Refusal(out_of_date())
    year = int(callback_data.period)
    formed = await campaigns.form_annual(context, servant, year)
    await _chat(callback).answer_document(
        BufferedInputFile(views.annual_workbook(formed, context.methodology),
                          f"annual-{year}.xlsx"),
        caption=views.annual_caption(year, formed))


async def ask_close(callback: CallbackQuery, context: Context) -> None:
    text, markup = views.close_menu(await campaigns.open_campaigns(context))
    await _chat(callback).answer(text, reply_markup=markup)


async def close(callback: CallbackQuery, callback_data: CampaignCb, context: Context,
                servant: Servant, callback_answer: CallbackAnswer) -> None:
    campaign_id = int(callback_data.period) if callback_data.period.isdigit() else 0
    campaign = await campaigns.close_quarter(context, servant, campaign_id)
    callback_answer.text = _("{quarter} is closed.").format(
        quarter=quarter_name(campaign.quarter))
    callback_answer.show_alert = True


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="campaign")
    router.message.filter(HasRole(Role.HR))
    router.callback_query.filter(HasRole(Role.HR))
    router.message.register(campaign_command, Command("campaign"))
    router.callback_query.register(campaign_from_menu,
                                   MenuCb.filter(F.action == MenuAction.CAMPAIGN))
    router.callback_query.register(open_quarter,
                                   CampaignCb.filter(F.action == CampaignAction.OPEN))
    router.callback_query.register(progress,
                                   CampaignCb.filter(F.action == CampaignAction.PROGRESS))
    router.callback_query.register(export, CampaignCb.filter(F.action == CampaignAction.EXPORT))
    router.callback_query.register(annual, CampaignCb.filter(F.action == CampaignAction.ANNUAL))
    router.callback_query.register(ask_close, CampaignCb.filter(F.action == CampaignAction.CLOSE))
    router.callback_query.register(close, CampaignCb.filter(F.action == CampaignAction.CLOSE_IT))
    return router
