"""Interface translations: ``<lang>/LC_MESSAGES/bagalau.po`` for kk, ru and en."""
