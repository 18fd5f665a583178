"""What the scheduler reads to decide what is due that no feature's module offers yet."""

from __future__ import annotations

from datetime import date

import aiosqlite

from .db import query


async def survey_started_on(conn: aiosqlite.Connection, survey_id: int) -> date | None:
    """The day the survey was started (its invitations sent), if it was."""
    rows = list(await query(conn, "SELECT started_on FROM survey WHERE id = ?",
                                            (survey_id,)))
    return date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None


async def unanswered_invitations(conn: aiosqlite.Connection, survey_id: int
                                 ) -> list[tuple[int, int]]:
    """(invitation, respondent) of everyone who has not answered the survey yet."""
    rows = await query(
        conn, "SELECT i.id, i.respondent_id FROM survey_invitation i JOIN survey_target t "
        "ON t.id = i.target_id WHERE t.survey_id = ? AND i.done = 0", (survey_id,))
    return [(r[0], r[1]) for r in rows]
