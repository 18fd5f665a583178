"""HR's quarterly campaigns: opening, progress, exports, the annual score, the daily digest."""

from .notices import NOTICES
from .router import create_router, start_export

__all__ = ["NOTICES", "create_router", "start_export"]
