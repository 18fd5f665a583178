"""HR's tools: the roster import, invitation links, unlinking an account."""

from .notices import NOTICES
from .router import create_router, start_import

__all__ = ["NOTICES", "create_router", "start_import"]
