"""What a servant is typing for the annual review, kept in the persistent FSM between his
messages. The state names and the data keys are those the feature always stored, so a prompt
answered across a restart or an upgrade still finds its year or review."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Self

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup


class LegacyInput(StatesGroup):
    commission = State()  # the authorised person types the commission's personnel numbers
    attendance = State()  # the chair or the secretary types who is present
    reason = State()  # the superior manager types why he returns a review
    recommendation = State()  # the chair or the secretary types a recommendation


@dataclass(frozen=True, slots=True)
class _Typing:
    async def begin(self, state: FSMContext, step: State) -> None:
        await state.set_state(step)
        await state.set_data(asdict(self))

    @classmethod
    async def of(cls, state: FSMContext) -> Self | None:
        """What is being typed, or None when the stored data is not ours (then start over)."""
        try:
            return cls(**await state.get_data())
        except TypeError:
            return None


@dataclass(frozen=True, slots=True)
class ForYear(_Typing):
    """The year whose commission is set up or whose meeting is recorded."""

    year: int


@dataclass(frozen=True, slots=True)
class ForReview(_Typing):
    """The review being returned or recommended on."""

    review: int
