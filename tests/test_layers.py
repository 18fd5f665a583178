"""The layering we keep: scoring (law) ← storage (data) ← services (use cases) ← handlers
(chat) ← bot (composition root). Each test names the rule a change broke."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b",
                 re.IGNORECASE | re.DOTALL)


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("package, forbidden", [
    ("scoring", {"aiogram", "aiosqlite", "sqlite3", "storage", "services", "handlers", "bot",
                 "sandbox", "aiohttp"}),
    ("storage", {"aiogram", "services", "handlers", "bot", "sandbox"}),
    ("services", {"aiogram", "handlers", "bot", "sandbox"}),
    ("handlers", {"sqlite3", "aiosqlite", "storage", "bot", "sandbox"}),
    ("sandbox", {"bot", "handlers"}),
])
def test_imports_point_one_way(package: str, forbidden: set[str]) -> None:
    broken = {f"{path.relative_to(ROOT)} imports {name}"
              for path in _modules(package) for name in _imports(path)
              if _top(name) in forbidden}
    assert not broken, "\n".join(sorted(broken))


def test_handlers_hold_no_sql_and_no_transactions() -> None:
    broken = []
    for path in _modules("handlers"):
        text = path.read_text(encoding="utf-8")
        if any(SQL.search(s) for s in _strings(path)):
            broken.append(f"{path.relative_to(ROOT)}: SQL text")
        if re.search(r"\.(transaction|reading)\(\)", text):
            broken.append(f"{path.relative_to(ROOT)}: opens a transaction")
    assert not broken, "\n".join(broken)


def test_every_refusal_reason_has_words() -> None:
    from handlers.common.refusals import TEXTS
    from services.errors import Reason

    assert set(TEXTS) == set(Reason), sorted(set(Reason) - set(TEXTS))
