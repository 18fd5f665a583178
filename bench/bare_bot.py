"""The baseline of ``bench/http_load.py``: a bare aiogram 3 bot that answers a message with a
button and a press by answering the callback and editing the message — the least any bot does.

    BOT_TOKEN=… TELEGRAM_API_BASE=http://127.0.0.1:PORT python bench/bare_bot.py
"""

from __future__ import annotations

import asyncio
import os
from itertools import count

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

KEYBOARD = InlineKeyboardMarkup(inline_keyboard=[[
    InlineKeyboardButton(text=str(score), callback_data=f"score:{score}") for score in range(6)
]])
router = Router()
edits = count(1)


@router.message(F.text)
async def reply(message: Message) -> None:
    await message.answer("Sheet", reply_markup=KEYBOARD)


@router.callback_query()
async def tap(callback: CallbackQuery) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_text(f"Sheet, step {next(edits)}", reply_markup=KEYBOARD)


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    await dispatcher.start_polling(bot, allowed_updates=dispatcher.resolve_used_update_types())


if __name__ == "__main__":
    asyncio.run(main())
