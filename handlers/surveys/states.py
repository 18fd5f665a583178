"""What HR is typing while setting up a 360, kept in the persistent FSM between messages."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup


class SurveyInput(StatesGroup):
    evaluatees = State()
    respondents = State()


@dataclass(frozen=True, slots=True)
class Choosing:
    """The 360 target whose respondents HR is typing."""

    target: int = 0

    async def begin(self, state: FSMContext, step: State) -> None:
        await state.set_state(step)
        await state.set_data(asdict(self))

    @classmethod
    async def of(cls, state: FSMContext) -> Choosing:
        """What is being chosen; a target of 0 (none) when the stored data is not ours."""
        try:
            return cls(**await state.get_data())
        except TypeError:
            return cls()
