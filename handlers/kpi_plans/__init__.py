"""KPI work plans (justice-2023): drafting, approval, HR's actual values."""

from .notices import NOTICES
from .router import create_router

__all__ = ["NOTICES", "create_router"]
