"""The servant's results: the quarter's score, reading it, the way to a calibration session."""

from .notices import NOTICES
from .router import create_router

__all__ = ["NOTICES", "create_router"]
