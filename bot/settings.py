"""Settings from the environment and an optional ``.env`` file."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
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
    # postgresql://user:password@host:5432/name for PostgreSQL (README, "Running on
    # PostgreSQL"); unset, or sqlite:///path, keeps SQLite at DATABASE_PATH.
    database_url: str | None = None
    database_pool_size: int = 10  # PostgreSQL connections per bot process (2–200)
    # The survey key file (docs/anonymity.md): never in the database nor in its backups.
    # Default: beside the database, <name>.survey-keys; better on a volume the backups skip.
    survey_keys_path: Path | None = None
    telegram_api_base: str | None = None  # a self-hosted Bot API server, or the tests' fake one
    telegram_proxy: str | None = None  # http://, https:// or socks5://[user:password@]host:port
    log_level: str = "INFO"  # DEBUG adds tracebacks and aiogram's own detail
    timezone: str = "Asia/Almaty"
    methodology: str = "typical-2025"  # a built-in name or a path to the agency's TOML file
    body_name: str = "Мемлекеттік орган"
    calendar_overrides: Path | None = None  # an extra scoring/calendars/kz.toml-style file
    default_language: str = "ru"
    invite_ttl_days: int = 30
    notify_rate: float = Field(25.0, gt=0, le=30)  # messages per second the bot starts
    quiet_hours: str = "10:00-18:00"  # reminders only then, on working days (local time)
    reminder_days: str = "5,2,1,0"  # working days before the evaluation deadline
    webhook_url: str | None = None  # set to run as a webhook instead of long polling
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    metrics_port: int | None = None  # /healthz and /metrics when polling (webhook: its port)
    metrics_host: str = "127.0.0.1"

    @property
    def database_target(self) -> str:
        """What ``Database.open`` is given: the PostgreSQL URL or the SQLite file."""
        return self.database_url or str(self.database_path)

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite file; None on PostgreSQL."""
        if not self.database_url:
            return self.database_path
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return None

    @property
    def database_name(self) -> str:
        """The database for messages: the file, or the URL without its password."""
        if self.sqlite_file is not None:
            return str(self.sqlite_file)
        return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", self.database_url or "")

    @field_validator("database_pool_size")
    @classmethod
    def _pool_size(cls, value: int) -> int:
        if not 2 <= value <= 200:
            raise ValueError("must be between 2 and 200")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgres://", "sqlite:///")):
            raise ValueError("must be postgresql://user:password@host:5432/name or "
                             "sqlite:///path/to/file.sqlite3")
        return value or None

    @property
    def survey_keys_file(self) -> Path:
        return self.survey_keys_path or self.database_path.with_name(
            f"{self.database_path.stem}.survey-keys")

    @field_validator("quiet_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        opens, closes = parse_window(value)
        if opens >= closes:
            raise ValueError("must be like 10:00-18:00, the start before the end")
        return value

    @field_validator("reminder_days")
    @classmethod
    def _days(cls, value: str) -> str:
        parse_days(value)
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("telegram_proxy")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://", "socks4://", "socks5://")):
            raise ValueError("must be a URL like http://host:3128 or socks5://user:pass@host:1080")
        return value or None

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("kk", "ru", "en"):
            raise ValueError("must be kk, ru or en")
        return value


def parse_window(text: str) -> tuple[time, time]:
    """'10:00-18:00' -> (10:00, 18:00)."""
    try:
        opens, closes = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValueError("must be like 10:00-18:00") from None
    return opens, closes


def parse_days(text: str) -> tuple[int, ...]:
    """'5,2,1,0' -> (5, 2, 1, 0)."""
    try:
        days = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ValueError("must be whole numbers separated by commas, like 5,2,1,0") from None
    if any(d < 0 for d in days):
        raise ValueError("days cannot be negative")
    return days


def secrets_of(settings: Settings) -> list[str]:
    """What must never reach a log line."""
    values = [settings.bot_token, settings.webhook_secret]
    found = [v.get_secret_value().strip() for v in values if v is not None]
    if settings.telegram_proxy and "@" in settings.telegram_proxy:
        found.append(settings.telegram_proxy.split("://", 1)[-1].rsplit("@", 1)[0])
    return found


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
