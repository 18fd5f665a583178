"""Calibration sessions (Typical cl. 11, 19–24): request, panel, arguments, votes, protocol."""

from .notices import NOTICES
from .router import create_router

__all__ = ["NOTICES", "create_router"]
