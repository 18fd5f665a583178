"""Interface languages: gettext catalogs from ``locales/`` compiled in memory, per-user locale."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("kk", "ru", "en")
DOMAIN = "bagalau"


def compile_catalogs(source: Path, target: Path) -> None:
    """Compile every ``<lang>/LC_MESSAGES/bagalau.po`` under ``source`` into ``target``."""
    for language in LANGUAGES:
        po = source / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.exists():
            continue
        with po.open("rb") as file:
            catalog = read_po(file, locale=language, domain=DOMAIN)
        mo = target / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as file:
            write_mo(file, catalog)


def create_i18n(default_language: str) -> I18n:
    """aiogram's I18n over catalogs compiled at start from ``locales/`` (no build step, no
    stale ``.mo`` files: a fresh checkout just works)."""
    target = Path(tempfile.mkdtemp(prefix="bagalau-locales-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    compile_catalogs(Path(str(resources.files("locales"))), target)
    return I18n(path=target, default_locale=default_language, domain=DOMAIN)


def telegram_language(user: User | None, default: str) -> str:
    """kk, ru or en from Telegram's ``language_code``; the default for anything else."""
    code = (user.language_code or "").split("-")[0].lower() if user else ""
    return code if code in LANGUAGES else default


def user_language(data: dict[str, Any], default: str) -> str:
    """The user's chosen language, else his servant record's, else Telegram's."""
    account = data.get("account")
    if account is not None and account.language:
        return account.language
    servant = data.get("servant")
    if servant is not None and servant.language:
        return servant.language
    return telegram_language(data.get("event_from_user"), default)


class UserLanguageMiddleware(I18nMiddleware):
    """Sets the locale of every update to the user's language (``user_language``)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        return user_language(data, self.i18n.default_locale)
