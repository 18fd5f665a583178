"""Plain rows returned by the repositories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .db import Row


class Role(StrEnum):
    """What a servant is to the bot today (``accounts.roles_of``); a StrEnum, so a role still
    equals its string ("hr" in roles)."""

    HR = "hr"
    APPOINTING = "appointing"
    EVALUATOR = "evaluator"
    EVALUATEE = "evaluatee"


@dataclass(frozen=True, slots=True)
class Servant:
    id: int
    personnel_no: str
    full_name: str
    position: str
    category: str
    managerial: bool
    unit_head: bool
    unit_id: int | None
    supervisor_id: int | None
    appointed_on: date
    dismissed_on: date | None
    phone: str | None
    language: str | None
    is_hr: bool
    is_appointing: bool
    public_services: bool

    @classmethod
    def from_row(cls, row: Row) -> Servant:
        return cls(
            id=row["id"], personnel_no=row["personnel_no"], full_name=row["full_name"],
            position=row["position"], category=row["category"],
            managerial=bool(row["managerial"]), unit_head=bool(row["unit_head"]),
            unit_id=row["unit_id"], supervisor_id=row["supervisor_id"],
            appointed_on=date.fromisoformat(row["appointed_on"]),
            dismissed_on=date.fromisoformat(row["dismissed_on"]) if row["dismissed_on"] else None,
            phone=row["phone"], language=row["language"], is_hr=bool(row["is_hr"]),
            is_appointing=bool(row["is_appointing"]),
            public_services=bool(row["public_services"]),
        )

    def active_on(self, day: date) -> bool:
        return self.appointed_on <= day and (self.dismissed_on is None or day <= self.dismissed_on)


@dataclass(frozen=True, slots=True)
class Account:
    telegram_id: int
    servant_id: int | None
    language: str | None
    unreachable: bool
    telegram_language: str | None = None
