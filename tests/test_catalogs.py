"""Every interface string is translated into Kazakh and Russian, placeholders intact."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[1]
KEYWORDS = {"_": None, "__": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)(?::\w+)?\}")  # {date:dat}: a declined date


def _source_ids() -> set[str]:
    ids = set()
    for folder in ("bot", "handlers"):
        for _, _, message, _, _ in extract_from_dir(ROOT / folder, keywords=KEYWORDS,
                                                    comment_tags=()):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _catalog(language: str):
    with (ROOT / "locales" / language / "LC_MESSAGES" / "bagalau.po").open("rb") as file:
        return read_po(file, locale=language)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_catalog_has_every_source_string(language):
    catalog = _catalog(language)
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    missing = _source_ids() - ids
    assert not missing, f"run pybabel extract/update and translate: {sorted(missing)[:5]}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_string_is_translated_with_its_placeholders(language):
    for message in _catalog(language):
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: untranslated {ids[0]!r}"
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, (language, ids[0], string)
