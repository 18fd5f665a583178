"""Interface languages: gettext catalogs from ``locales/`` compiled in memory, per-user locale."""

from __future__ import annotations

import gettext
import io
from importlib import resources
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("kk", "ru", "en")
DOMAIN = "bagalau"


class CatalogI18n(I18n):
    """aiogram's I18n reading the ``.po`` files directly: no compile step, no stale ``.mo``."""

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        translations = {}
        for language in LANGUAGES:
            po = self.path / language / "LC_MESSAGES" / f"{self.domain}.po"
            if not po.exists():
                continue
            with po.open("rb") as source:
                catalog = read_po(source, locale=language, domain=self.domain)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            translations[language] = gettext.GNUTranslations(compiled)
        return translations


def create_i18n(default_language: str) -> CatalogI18n:
    path = Path(str(resources.files("locales")))
    return CatalogI18n(path=path, default_locale=default_language, domain=DOMAIN)


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
