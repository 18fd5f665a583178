"""What is being typed in a calibration session, kept in the persistent FSM between messages.

The stored keys are the ones the chat has always used ("sheet", "documents", "statement",
"calibration", "panel", "side", "round"; "prompts" is new and optional), so a conversation
under way survives an upgrade.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Self

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

from services.calibration import Attachment, Side


class CalibrationInput(StatesGroup):
    statement = State()
    documents = State()
    panel = State()
    argument = State()
    score = State()


class _Stored:
    """A frozen dataclass kept as the FSM data."""

    __slots__ = ()

    async def begin(self, state: FSMContext, step: State | None) -> None:
        """Enter ``step`` (``None``: no typed input expected) with this as the data."""
        await state.set_state(step)
        await state.set_data(asdict(self))  # type: ignore[call-overload]

    async def save(self, state: FSMContext) -> None:
        """Replace the data, staying in the current step."""
        await state.set_data(asdict(self))  # type: ignore[call-overload]

    @classmethod
    async def of(cls, state: FSMContext) -> Self | None:
        """The stored data, or None when they are not ours (then start over)."""
        try:
            return cls(**await state.get_data())
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class Request(_Stored):
    """The servant's request as he writes it: the result, then the statement, then files."""

    sheet: int
    documents: tuple[Attachment, ...] = ()
    statement: str | None = None
    prompts: tuple[int, ...] = ()  # the messages with the "Send the request" button

    def __post_init__(self) -> None:
        object.__setattr__(self, "documents", tuple(  # a list of objects (or ids) in JSON
            d if isinstance(d, Attachment) else Attachment.stored(d) for d in self.documents))
        object.__setattr__(self, "prompts", tuple(self.prompts))


@dataclass(frozen=True, slots=True)
class PanelDraft(_Stored):
    """The panel the official is looking at (proposed or typed) for one calibration."""

    calibration: int
    panel: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "panel", tuple(self.panel))


@dataclass(frozen=True, slots=True)
class Argument(_Stored):
    """Whose written argument the next message is."""

    calibration: int
    side: Side

    def __post_init__(self) -> None:
        object.__setattr__(self, "side", Side(self.side))


@dataclass(frozen=True, slots=True)
class Ballot(_Stored):
    """The round a member's typed score is for."""

    calibration: int
    round: str
