"""One-time invitation links: the token goes to the person, only its hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import accounts, audit
from .accounts import BindOutcome
from .db import Connection, query

TOKEN_BYTES = 24  # 32 characters of [A-Za-z0-9_-]: fits Telegram's 64-character start parameter


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(conn: Connection, servant_id: int, *, at: datetime, ttl: timedelta,
                actor: str) -> str:
    """A new token for the servant; earlier unused ones stop working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = at.isoformat(timespec="seconds")
    await conn.execute(
        "UPDATE invite SET revoked_at = ? WHERE servant_id = ? AND used_at IS NULL "
        "AND revoked_at IS NULL", (now, servant_id))
    await conn.execute(
        "INSERT INTO invite (servant_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (servant_id, _hash(token), now, (at + ttl).isoformat(timespec="seconds")))
    await audit.record(conn, at=at, actor=actor, action="invite", subject=f"servant:{servant_id}")
    return token


@dataclass(frozen=True, slots=True)
class Redemption:
    """``outcome``: bound | already_bound | unknown | used | expired | servant_taken |
    account_taken | dismissed (see ``accounts.BindOutcome``)."""

    outcome: BindOutcome
    servant_id: int | None = None


async def redeem(conn: Connection, token: str, telegram_id: int, *,
                 at: datetime) -> Redemption:
    """Bind ``telegram_id`` to the invited servant if the token is valid, unused and unexpired."""
    rows = await query(
        conn, "SELECT i.id, i.servant_id, i.expires_at, i.used_at, i.revoked_at, s.dismissed_on "
        "FROM invite i JOIN servant s ON s.id = i.servant_id WHERE i.token_hash = ?",
        (_hash(token),))
    if not rows:
        return Redemption(BindOutcome.UNKNOWN)
    row = rows[0]
    servant_id = row["servant_id"]
    account = await accounts.get(conn, telegram_id)
    if account and account.servant_id == servant_id:
        return Redemption(BindOutcome.ALREADY_BOUND, servant_id)
    if row["used_at"] or row["revoked_at"]:
        return Redemption(BindOutcome.USED, servant_id)
    if datetime.fromisoformat(row["expires_at"]) < at:
        return Redemption(BindOutcome.EXPIRED, servant_id)
    if row["dismissed_on"] and row["dismissed_on"] < at.date().isoformat():
        return Redemption(BindOutcome.DISMISSED, servant_id)
    if account and account.servant_id is not None:
        return Redemption(BindOutcome.ACCOUNT_TAKEN, servant_id)
    if await accounts.telegram_id_of(conn, servant_id) is not None:
        return Redemption(BindOutcome.SERVANT_TAKEN, servant_id)
    await conn.execute("UPDATE invite SET used_at = ? WHERE id = ?",
                       (at.isoformat(timespec="seconds"), row["id"]))
    await accounts.bind(conn, telegram_id, servant_id, at=at, how="invite")
    return Redemption(BindOutcome.BOUND, servant_id)
