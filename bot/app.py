"""The composition root: the bot, the dispatcher and everything handlers get injected."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from handlers import get_notice_registries, get_routers, resume_job
from handlers.common.commands import set_default_commands
from handlers.common.notices import Notices
from handlers.common.refusals import answer_callbacks
from scoring import Methodology, WorkCalendar, load_methodology, shipped_zone
from services import jobs, surveys, updates
from services.clock import Clock
from services.context import Context
from services.reminders import Schedule
from storage import org
from storage.db import Database
from storage.sealing import SurveyKeys
from storage.sqlite import loose_files

from .fsm_storage import DatabaseStorage, isolation_for
from .i18n import UserLanguageMiddleware, create_i18n, user_language
from .leader import Leader
from .metrics import MeasureUpdates, Metrics
from .middlewares import AccountMiddleware, PrivateChatGuard
from .network import RetryServerErrors, session_kwargs
from .notifier import Notifier
from .reminders import Reminders
from .scheduler import create_scheduler
from .settings import Settings, parse_days, parse_window
from .updates import SkipDuplicates

if TYPE_CHECKING:  # the sandbox (and its aiohttp web server) is imported only to run it
    from sandbox import AppRequest

log = logging.getLogger("bagalau")


@dataclass
class App:
    settings: Settings
    db: Database
    bot: Bot
    dispatcher: Dispatcher
    clock: Clock
    i18n: I18n
    methodology: Methodology
    calendar: WorkCalendar
    notifier: Notifier
    reminders: Reminders
    context: Context
    metrics: Metrics
    ticking: asyncio.Lock = field(default_factory=asyncio.Lock)  # held while a tick runs
    leader: Leader | None = None  # PostgreSQL: leads only while it holds the leader lock

    @property
    def default_language(self) -> str:
        return self.settings.default_language

    async def tick(self) -> int:
        """Enqueue what is due now (the scheduler does this every few minutes) and forget
        handled update ids too old to come back. Only the leading worker ticks."""
        if self.leader is not None and not self.leader.leading:
            return 0
        async with self.ticking:
            added = await self.reminders.tick()
            await updates.forget_old(self.context)
        self.metrics.ticks.inc()
        self.metrics.enqueued.inc(added)
        return added

    async def wait_sent(self) -> None:
        """Until the outbox worker has sent everything that is due."""
        await self.notifier.wait_idle()

    async def resume_jobs(self) -> None:
        """HR's files received or exports asked for before a restart, processed now."""
        for job in await jobs.unfinished(self.context):
            with self.i18n.context(), self.i18n.use_locale(job.language):
                resume_job(self.context, job)

    async def close(self) -> None:
        await self.context.jobs.close()
        await self.notifier.stop()
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        await self.db.close()


def create_bot(settings: Settings) -> Bot:
    """A bot talking to Telegram, or to the Bot API server at TELEGRAM_API_BASE, through
    TELEGRAM_PROXY if set; 5xx and network errors are retried with backoff."""
    api = {"api": TelegramAPIServer.from_base(settings.telegram_api_base)} \
        if settings.telegram_api_base else {}
    session = AiohttpSession(**api, **session_kwargs(settings.telegram_proxy))
    session.middleware(RetryServerErrors())
    return Bot(settings.bot_token.get_secret_value().strip(), session=session,
               default=DefaultBotProperties(parse_mode=ParseMode.HTML))


async def create_app(settings: Settings, *, clock: Clock | None = None,
                     schedule: bool = True) -> App:
    """Open the database (migrating it), load the methodology and wire the dispatcher, the
    outbox worker and (unless ``schedule`` is off, as in tests that tick by hand) the
    reminders scheduler."""
    methodology = load_methodology(settings.methodology)
    overrides = [settings.calendar_overrides] if settings.calendar_overrides else []
    calendar = WorkCalendar.kazakhstan(overrides)
    clock = clock or Clock(shipped_zone(settings.timezone))
    db = await Database.open(settings.database_target, pool_size=settings.database_pool_size)
    for path, mode in loose_files(settings.sqlite_file) if settings.sqlite_file else ():
        log.warning("%s can be read by other users of this machine (mode %o); it holds phone "
                    "numbers and scores: chmod 600 it", path, mode)
    async with db.transaction() as conn:
        await org.ensure_body(conn, settings.body_name, methodology.id)
    i18n = create_i18n(settings.default_language)
    bot = create_bot(settings)
    context = Context(db, clock, calendar, methodology, wake_outbox=lambda: notifier.wake(),
                      survey_keys=SurveyKeys.open(settings.survey_keys_file))
    await surveys.seal_unsealed(context)
    await surveys.forget_closed_keys(context)
    notices = Notices(context, i18n, get_notice_registries())
    metrics = Metrics()
    notifier = Notifier(bot, db, clock, notices.render, notices.on_sent,
                        rate=settings.notify_rate, on_result=metrics.sends_by_result)
    reminders = Reminders(context, Schedule(*parse_window(settings.quiet_hours),
                                            days_before=parse_days(settings.reminder_days)))
    dispatcher = Dispatcher(
        storage=DatabaseStorage(db), events_isolation=isolation_for(db),
        context=context, i18n=i18n, schedule=reminders.schedule,
        invite_ttl=timedelta(days=settings.invite_ttl_days),
    )
    dispatcher.update.outer_middleware(MeasureUpdates(metrics))
    dispatcher.update.outer_middleware(SkipDuplicates(context))
    dispatcher.update.outer_middleware(AccountMiddleware())
    dispatcher.update.outer_middleware(UserLanguageMiddleware(i18n))
    dispatcher.update.outer_middleware(PrivateChatGuard())
    answer_callbacks(dispatcher)
    dispatcher.include_routers(*get_routers())
    dispatcher.errors.register(on_error)
    scheduler = None

    async def lead() -> None:
        metrics.leading.set(1)
        notifier.start()
        await app.resume_jobs()

    async def step_down() -> None:
        metrics.leading.set(0)
        await notifier.stop()

    async def on_startup(bot: Bot) -> None:
        await set_default_commands(bot, i18n)
        if app.leader is None:
            await lead()
        else:
            app.leader.start()
        if scheduler is not None:
            scheduler.start()

    async def on_shutdown() -> None:
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        with suppress(TimeoutError):  # a tick under way finishes its transactions first
            async with asyncio.timeout(30), app.ticking:
                pass
        if app.leader is not None:
            await app.leader.stop()
        await notifier.stop()

    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)
    app = App(settings, db, bot, dispatcher, clock, i18n, methodology, calendar, notifier,
              reminders, context, metrics)
    if db.engine == "postgresql":
        from storage.postgres import Leadership

        async def take_over() -> None:  # the sender starts, a tick catches up what is due
            await lead()
            if scheduler is not None:
                await app.tick()

        app.leader = Leader(Leadership(settings.database_target), begin=take_over,
                            end=step_down, wake=notifier.wake)
    if schedule:
        scheduler = create_scheduler(app.tick, clock)
    return app


async def sandbox_app(request: AppRequest) -> App:
    """The real app on the sandbox's emulator, database, demo methodology and clock."""
    settings = Settings(_env_file=None, bot_token=request.token,
                        telegram_api_base=request.api_base, database_path=request.database,
                        methodology=str(request.methodology),
                        default_language=request.language, body_name=request.body_name)
    return await create_app(settings, clock=request.clock)


async def on_error(event: ErrorEvent, i18n: I18n, **data: Any) -> None:
    """Log it and tell the user; the failed transaction was rolled back, nothing changed."""
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    with i18n.context(), i18n.use_locale(user_language(data, i18n.default_locale)):
        text = _("Sorry, something went wrong and nothing was changed. Please try again.")
        update = event.update
        try:
            if update.callback_query:
                await update.callback_query.answer(text, show_alert=True)
            elif update.message and update.message.chat.type == "private":
                await update.message.answer(text)
        except Exception:  # the apology itself failed: the log has the cause
            log.warning("could not tell the user about the failure", exc_info=True)
