"""The composition root: settings, the app factory, middlewares, scheduler, ``python -m bot``."""
