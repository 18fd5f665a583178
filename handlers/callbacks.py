"""Callback data factories; the prefix carries a version so old buttons never misparse."""

from aiogram.filters.callback_data import CallbackData


class MenuCb(CallbackData, prefix="m1"):
    action: str


class LanguageCb(CallbackData, prefix="l1"):
    code: str
