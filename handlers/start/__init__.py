"""The way in: /start with an invitation or a phone number, the menu, the language."""

from .router import create_router

__all__ = ["create_router"]
