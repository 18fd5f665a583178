"""The evaluator's sheets: one parameter at a time, typed values, comments, submit, hand-over."""

from .notices import NOTICES
from .router import create_router

__all__ = ["NOTICES", "create_router"]
