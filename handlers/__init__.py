"""aiogram routers: parse the update, call storage and scoring, render the answer."""

from aiogram import Router

from . import fallback, hr, language, start


def get_routers() -> list[Router]:
    """All routers, in the order they are tried; the fallback comes last."""
    return [start.router, language.router, hr.router, fallback.router]
