"""What the evaluator is typing, kept in the persistent FSM between his messages."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup


class SheetInput(StatesGroup):
    value = State()  # an item is on screen: a typed message is its score
    comment = State()
    colleague = State()


@dataclass(frozen=True, slots=True)
class Typing:
    """The sheet and item a typed message answers, the sheet message to replace, and a
    comment written before the item's score (saved with it)."""

    sheet: int
    message_id: int
    index: int = 0
    comment: str | None = None

    async def begin(self, state: FSMContext, step: State) -> None:
        await state.set_state(step)
        await state.set_data(asdict(self))

    @classmethod
    async def of(cls, state: FSMContext) -> Typing | None:
        """What is being typed, or None when the stored data is not ours (then start over)."""
        try:
            return cls(**await state.get_data())
        except TypeError:
            return None
