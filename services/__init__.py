"""Use cases: one async function per user intent, each owning its one transaction.

A use case checks what the law allows by calling ``scoring``, writes through ``storage``,
enqueues the notices it causes in the same transaction and returns a typed outcome that a
handler renders. Nothing here knows about Telegram.
"""
