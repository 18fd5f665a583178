"""Keyboards as pure functions of what the user may do (rendered in the current language)."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.callbacks import LanguageCb, MenuAction, MenuCb
from services.accounts import Role

Row = Iterable[tuple[str, CallbackData]]


_BUTTON = InlineKeyboardButton.model_construct(text="", callback_data="")


def inline(rows: Iterable[Row]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data), built without the builder's
    deep copies and re-validation: the sheet screens are redrawn on every tap, so each button
    is a copy of a template (a tenth of the cost of constructing one, same fields set)."""
    return InlineKeyboardMarkup.model_construct(inline_keyboard=[
        [_BUTTON.model_copy(update={"text": text, "callback_data": data.pack()})
         for text, data in row]
        for row in rows])


LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def main_menu(roles: frozenset[Role], *, has_sheets: bool = False,
              has_results: bool = False) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if has_sheets:
        builder.button(text=_("Evaluation sheets"), callback_data=MenuCb(action=MenuAction.SHEETS))
    if has_results:
        builder.button(text=_("My results"), callback_data=MenuCb(action=MenuAction.RESULTS))
    if Role.HR in roles:
        builder.button(text=_("Evaluation campaigns"),
                       callback_data=MenuCb(action=MenuAction.CAMPAIGN))
        builder.button(text=_("Import the roster"), callback_data=MenuCb(action=MenuAction.ROSTER))
        builder.button(text=_("Invitation links"), callback_data=MenuCb(action=MenuAction.INVITES))
        builder.button(text=_("Unlink an account"), callback_data=MenuCb(action=MenuAction.UNBIND))
    builder.button(text=_("Surveys"), callback_data=MenuCb(action=MenuAction.SURVEYS))
    builder.button(text=_("Language"), callback_data=MenuCb(action=MenuAction.LANGUAGE))
    builder.adjust(1)
    return builder.as_markup()


def languages() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        builder.button(text=name, callback_data=LanguageCb(code=code))
    builder.adjust(3)
    return builder.as_markup()


def share_contact() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=_("Share my phone number"), request_contact=True)]],
        resize_keyboard=True, one_time_keyboard=True,
    )
