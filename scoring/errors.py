"""Errors raised by the scoring rules, with what a person needs to fix the input."""

from __future__ import annotations

from decimal import Decimal


class MethodologyError(ValueError):
    """A methodology file is missing a key or holds a value the rules cannot use."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")


class ScoreError(ValueError):
    """A score, percentage or sheet that breaks a rule of the methodology.

    ``code`` is stable for programs (the bot translates it); the message names the parameter,
    the bound or cap and why, in English.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        parameter: str | None = None,
        value: str | None = None,
        limit: Decimal | None = None,
        low: Decimal | None = None,
        high: Decimal | None = None,
        sanction: str | None = None,
    ) -> None:
        self.code = code
        self.parameter = parameter
        self.value = value
        self.limit = limit
        self.low = low
        self.high = high
        self.sanction = sanction
        super().__init__(message)
