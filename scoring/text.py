"""Texts in the three languages users read: Kazakh, Russian, English."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "ru"


@dataclass(frozen=True, slots=True)
class Text:
    """One text in kk, ru and en; official wording where the act has it, except in the
    ``translated`` languages: the methodology file marks those as the project's own
    translation although the language is official (the act has no such text)."""

    kk: str
    ru: str
    en: str
    translated: frozenset[str] = frozenset()

    def is_translation(self, language: str) -> bool:
        """True if the text in ``language`` is the project's translation, not the act's."""
        return language in self.translated

    def get(self, language: str) -> str:
        """The text in ``language``; Russian for a language we do not have."""
        return getattr(self, language) if language in LANGUAGES else self.ru
