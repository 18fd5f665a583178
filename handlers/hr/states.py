"""What HR is typing, kept in the persistent FSM between messages (it survives a restart)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Unbind(StatesGroup):
    """HR is asked whose account to unlink; the next text is a personnel number."""

    personnel_no = State()
