"""Settings from the environment and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_HELP = """\
bagalau needs a Telegram bot token in BOT_TOKEN{problem}.
Get one from @BotFather in Telegram: send /newbot, choose a name and a username, and copy the
token it gives you (it looks like 123456789:AAH...). Then run, for example:
    BOT_TOKEN=123456789:AAH... python -m bot
or put BOT_TOKEN=... into a .env file in this folder."""


class Settings(BaseSettings):
    """Every setting can be given as an environment variable of the same name in capitals."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_path: Path = Path("data/bagalau.sqlite3")
    telegram_api_base: str | None = None  # a self-hosted Bot API server, or the tests' fake one
    timezone: str = "Asia/Almaty"
    methodology: str = "typical-2025"  # a built-in name or a path to the agency's TOML file
    body_name: str = "Мемлекеттік орган"
    calendar_overrides: Path | None = None  # an extra scoring/calendars/kz.toml-style file
    default_language: str = "ru"
    invite_ttl_days: int = 30
    webhook_url: str | None = None  # set to run as a webhook instead of long polling
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("kk", "ru", "en"):
            raise ValueError("must be kk, ru or en")
        return value


def token_problem(settings: Settings) -> str | None:
    """A one-paragraph explanation when the token is missing or malformed, else ``None``."""
    from aiogram.utils.token import TokenValidationError, validate_token

    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        return TOKEN_HELP.format(problem=", and it is not set")
    try:
        validate_token(settings.bot_token.get_secret_value().strip())
    except TokenValidationError:
        return TOKEN_HELP.format(problem=", and the value given does not look like a token")
    return None
