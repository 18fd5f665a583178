"""Who evaluates a servant and with which form (Typical cl. 3 p. 3, cl. 17)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .errors import ScoreError

_CATEGORY = re.compile(r"^[A-E](-[A-Z])?-\d{1,2}$")
# Cyrillic letters the acts and rosters use for the Latin ones of category codes.
_LOOKALIKES = str.maketrans("АВСДЕОР", "ABCDEOR")


# The groups of corps "B" categories in the register of posts (A, B and C central bodies,
# -O and -R their regional and district offices, D oblast, E district, E-G rural akimats),
# each with levels 1 to 6 at most: a code of the right shape outside these ("C-9") is a typo.
# A methodology lists exactly its own in [routing] categories (docs/decisions.md).
CORPS_B_CATEGORIES = frozenset(
    f"{group}-{level}" for group in ("A", "B", "C", "C-O", "C-R", "D", "D-O", "D-R", "E",
                                     "E-R", "E-G") for level in range(1, 7))


@cache
def normalize_category(code: str) -> str:
    """'с-о-1', 'C–O–1' and 'C-O-1' (Cyrillic or Latin, any dash) are all 'C-O-1'."""
    text = code.strip().upper().translate(_LOOKALIKES)
    text = re.sub(r"[\s\u2010-\u2015\u2212_]+", "-", text).strip("-")
    if not _CATEGORY.match(text):
        raise ScoreError(
            "bad_category",
            f"{code!r} is not a corps \"B\" category code (like C-4, D-O-1, E-R-2)",
            value=code,
        )
    return text


@dataclass(frozen=True, slots=True)
class Route:
    """The result of routing: the form, the evaluator's role, and the clause that decided."""

    form: str
    evaluator: str
    clause: str
    unit_head: bool


@dataclass(frozen=True, slots=True)
class RoutingRule:
    clause: str
    form: str
    evaluator: str
    unit_head: bool | None = None
    managerial: bool | None = None
    categories: frozenset[str] | None = None

    def matches(self, category: str, managerial: bool, unit_head: bool) -> bool:
        return (
            (self.unit_head is None or self.unit_head == unit_head)
            and (self.managerial is None or self.managerial == managerial)
            and (self.categories is None or category in self.categories)
        )


@dataclass(frozen=True, slots=True)
class Routing:
    """Ordered rules, first match wins; the last rule always matches."""

    clause: str
    unit_head_categories: frozenset[str]
    unit_head_flagged_categories: frozenset[str]
    rules: tuple[RoutingRule, ...]
    categories: frozenset[str] = CORPS_B_CATEGORIES  # the codes a roster may use

    def is_unit_head(self, category: str, unit_head: bool) -> bool:
        """A unit head by the methodology's definition: by category, or flagged in the roster."""
        code = normalize_category(category)
        return code in self.unit_head_categories or (
            unit_head and code in self.unit_head_flagged_categories
        )

    def route(self, *, category: str, managerial: bool, unit_head: bool) -> Route:
        code = normalize_category(category)
        head = self.is_unit_head(code, unit_head)
        for rule in self.rules:
            if rule.matches(code, managerial or head, head):
                return Route(rule.form, rule.evaluator, rule.clause, head)
        raise AssertionError("the last routing rule has no condition (checked on load)")
