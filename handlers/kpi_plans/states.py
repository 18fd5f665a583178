"""What is being typed about a plan, kept in the persistent FSM between messages: a KPI
(name, unit, planned values, deadline, expected result), the reason a plan is returned, or
HR's actual values one KPI after another. The stored keys are those the bot always used."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

T = TypeVar("T", bound="Typed")


class PlanInput(StatesGroup):
    name = State()
    unit = State()
    planned = State()
    deadline = State()
    expected = State()
    reason = State()
    actual = State()


class Typed:
    """The typed data of one flow, stored as a dict of its fields."""

    __slots__ = ()

    async def begin(self, state: FSMContext, step: State) -> None:
        await state.set_state(step)
        await state.set_data(asdict(self))  # type: ignore[call-overload]

    @classmethod
    async def of(cls: type[T], state: FSMContext) -> T | None:
        """What is being typed, or None when the stored data is not ours (then start over)."""
        data: dict[str, Any] = await state.get_data()
        try:
            return cls(**data)
        except TypeError:
            return None


@dataclass(frozen=True, slots=True)
class Drafting(Typed):
    """A KPI being added to ``plan``, filled in step by step."""

    plan: int
    name: str = ""
    unit: str = ""
    planned: list[str] = field(default_factory=list)  # decimals as text (JSON in the FSM)
    deadline: str = ""


@dataclass(frozen=True, slots=True)
class Returning(Typed):
    """The superior manager is typing why ``plan`` is returned."""

    plan: int


@dataclass(frozen=True, slots=True)
class EnteringActuals(Typed):
    """HR enters ``plan``'s actual values for ``period`` (like 2026Q1), KPI ``next`` now."""

    plan: int
    period: str
    next: int = 0
