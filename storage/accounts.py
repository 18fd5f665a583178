"""Telegram accounts: language, binding to a servant, reachability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from . import audit
from .db import Connection, Database, query
from .models import Account, Role, Servant


class BindOutcome(StrEnum):
    """What became of an attempt to link a Telegram account to a servant."""

    BOUND = "bound"
    ALREADY_BOUND = "already_bound"  # this account, this servant: nothing to do
    UNKNOWN = "unknown"  # no such invitation
    USED = "used"  # the invitation was used or revoked
    EXPIRED = "expired"
    DISMISSED = "dismissed"  # the servant no longer works here
    SERVANT_TAKEN = "servant_taken"  # the servant is linked to another account
    ACCOUNT_TAKEN = "account_taken"  # the account is linked to another servant
    NOT_FOUND = "not_found"  # no active servant with the phone number shared
    NOT_OWN = "not_own"  # someone else's contact was shared


async def get(conn: Connection, telegram_id: int) -> Account | None:
    rows = await query(
        conn, "SELECT telegram_id, servant_id, language, unreachable_at FROM account "
        "WHERE telegram_id = ?", (telegram_id,))
    if not rows:
        return None
    row = rows[0]
    return Account(row["telegram_id"], row["servant_id"], row["language"],
                   row["unreachable_at"] is not None)


async def servant_of(conn: Connection, telegram_id: int) -> Servant | None:
    rows = await query(conn, "SELECT s.* FROM servant s JOIN account a ON a.servant_id = s.id "
        "WHERE a.telegram_id = ?", (telegram_id,))
    return Servant.from_row(rows[0]) if rows else None


async def telegram_id_of(conn: Connection, servant_id: int) -> int | None:
    rows = await query(conn, "SELECT telegram_id FROM account WHERE servant_id = ?", (servant_id,))
    return rows[0]["telegram_id"] if rows else None


async def set_language(conn: Connection, telegram_id: int, language: str,
                       *, at: datetime) -> None:
    await conn.execute(
        "INSERT INTO account (telegram_id, language) VALUES (?, ?) "
        "ON CONFLICT (telegram_id) DO UPDATE SET language = excluded.language",
        (telegram_id, language))
    await audit.record(conn, at=at, actor=f"telegram:{telegram_id}", action="language",
                       after=language)


async def bind(conn: Connection, telegram_id: int, servant_id: int, *,
               at: datetime, how: str) -> None:
    """Bind an account to a servant (callers have checked both are free)."""
    await conn.execute(
        "INSERT INTO account (telegram_id, servant_id, bound_at) VALUES (?, ?, ?) "
        "ON CONFLICT (telegram_id) DO UPDATE SET servant_id = excluded.servant_id, "
        "bound_at = excluded.bound_at, unreachable_at = NULL",
        (telegram_id, servant_id, at.isoformat(timespec="seconds")))
    await audit.record(conn, at=at, actor=f"telegram:{telegram_id}", action="bind",
                       subject=f"servant:{servant_id}", after=how)


async def unbind(conn: Connection, servant_id: int, *, at: datetime,
                 actor: str) -> int | None:
    """HR's rebinding: free the servant's account; returns the Telegram id that was bound."""
    telegram_id = await telegram_id_of(conn, servant_id)
    if telegram_id is None:
        return None
    await conn.execute(
        "UPDATE account SET servant_id = NULL, bound_at = NULL WHERE telegram_id = ?",
        (telegram_id,))
    await audit.record(conn, at=at, actor=actor, action="unbind",
                       subject=f"servant:{servant_id}", before=telegram_id)
    return telegram_id


async def mark_unreachable(conn: Connection, telegram_id: int, *,
                           at: datetime) -> None:
    await conn.execute(
        "UPDATE account SET unreachable_at = ? WHERE telegram_id = ? AND unreachable_at IS NULL",
        (at.isoformat(timespec="seconds"), telegram_id))


async def mark_reachable(conn: Connection, telegram_id: int) -> None:
    await conn.execute("UPDATE account SET unreachable_at = NULL WHERE telegram_id = ?",
                       (telegram_id,))


async def remember_telegram_language(db: Database, telegram_id: int, language: str) -> None:
    """Keep the language of a known account's Telegram app for messages the bot starts."""
    await db.change("UPDATE account SET telegram_language = ? WHERE telegram_id = ?",
                    (language, telegram_id))


async def language_of(conn: Connection, servant_id: int) -> str | None:
    """The language to write to a servant in: his choice, else the roster's, else his
    Telegram app's."""
    rows = await query(
        conn, "SELECT coalesce(a.language, s.language, a.telegram_language) FROM servant s "
        "LEFT JOIN account a ON a.servant_id = s.id WHERE s.id = ?", (servant_id,))
    return rows[0][0] if rows else None


@dataclass(frozen=True, slots=True)
class Identity:
    """Who sent an update: his account, the servant it is bound to, and what he is now."""

    account: Account | None
    servant: Servant | None
    roles: frozenset[Role]


async def identify(db: Database, telegram_id: int, today: date) -> Identity:
    """Account, servant and roles in one round trip (this runs for every update)."""
    rows = await db.peek(
        "SELECT a.telegram_id, a.servant_id AS bound_to, a.language AS chosen_language, "
        "a.unreachable_at, a.telegram_language, s.*, "
        "EXISTS (SELECT 1 FROM sheet sh JOIN campaign c ON c.id = sh.campaign_id "
        "        WHERE sh.evaluator_id = s.id AND c.closed_at IS NULL) AS evaluates, "
        "EXISTS (SELECT 1 FROM servant x WHERE x.supervisor_id = s.id "
        "        AND (x.dismissed_on IS NULL OR x.dismissed_on >= ?)) AS supervises "
        "FROM account a LEFT JOIN servant s ON s.id = a.servant_id WHERE a.telegram_id = ?",
        (today.isoformat(), telegram_id))
    if not rows:
        return Identity(None, None, frozenset())
    row = rows[0]
    account = Account(row["telegram_id"], row["bound_to"], row["chosen_language"],
                      row["unreachable_at"] is not None, row["telegram_language"])
    if row["bound_to"] is None:
        return Identity(account, None, frozenset())
    servant = Servant.from_row(row)
    return Identity(account, servant, roles_of(servant, today, evaluates=bool(row["evaluates"]),
                                               supervises=bool(row["supervises"])))


def roles_of(servant: Servant, today: date, *, evaluates: bool, supervises: bool
             ) -> frozenset[Role]:
    """What the roster and the open campaigns make of a servant: evaluatee; evaluator (he has
    sheets to fill in or subordinates); hr; appointing — the last three only while in office."""
    if servant.dismissed_on is not None and servant.dismissed_on < today:
        return frozenset({Role.EVALUATEE})
    found = {Role.EVALUATEE}
    if servant.is_hr:
        found.add(Role.HR)
    if servant.is_appointing:
        found.add(Role.APPOINTING)
    if evaluates or supervises:
        found.add(Role.EVALUATOR)
    return frozenset(found)
