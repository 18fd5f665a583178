"""Anonymous 360 and working-conditions surveys: respondents, reports, HR's side."""

from .notices import NOTICES
from .router import create_router

__all__ = ["NOTICES", "create_router"]
