"""The older model (legacy-2018): the year-end review and the commission."""

from .notices import NOTICES
from .router import create_router

__all__ = ["NOTICES", "create_router"]
