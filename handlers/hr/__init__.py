"""HR's tools: the roster import, invitation links, unlinking an account."""

from .router import create_router

__all__ = ["create_router"]
