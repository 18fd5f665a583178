"""Texts in the three languages users read: Kazakh, Russian, English."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "ru"


@dataclass(frozen=True, slots=True)
class Text:
    """One text in kk, ru and en; official wording where the act has it."""

    kk: str
    ru: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language``; Russian for a language we do not have."""
        return getattr(self, language) if language in LANGUAGES else self.ru
