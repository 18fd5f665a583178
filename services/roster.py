"""The staff roster: a CSV or XLSX file checked whole, then applied in one transaction."""

from __future__ import annotations

from storage import roster, roster_file
from storage.models import Servant
from storage.roster import ImportReport
from storage.roster_file import RosterError, RowError

from .context import Context

__all__ = ["MAX_BYTES", "SUFFIXES", "ImportReport", "RosterError", "RowError", "import_roster"]

MAX_BYTES = 10 * 1024 * 1024  # a larger file is refused before it is downloaded
SUFFIXES = (".csv", ".xlsx")


async def import_roster(ctx: Context, content: bytes, filename: str, *,
                        by: Servant | None) -> ImportReport:
    """Check every row first (``RosterError`` lists what to fix, nothing is changed), then
    add, update and dismiss servants by personnel number; a re-import changes nothing.
    ``by``: the HR officer who sent the file, ``None`` for the command line."""
    parsed = roster_file.parse(content, filename)
    async with ctx.transaction() as tx:
        return await roster.apply(tx.conn, parsed, at=tx.now,
                                  actor=f"servant:{by.id}" if by else "cli")
