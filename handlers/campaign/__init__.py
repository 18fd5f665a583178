"""HR's quarterly campaigns: opening, progress, exports, the annual score, the daily digest."""

from .notices import NOTICES
from .router import create_router

__all__ = ["NOTICES", "create_router"]
