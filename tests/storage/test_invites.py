"""Invitation tokens: hashed, single use, expiring; one Telegram account per servant."""

from datetime import timedelta
from pathlib import Path

import pytest

from storage import accounts, invites, roster
from storage.roster_file import parse

from .conftest import NOW

SAMPLE = Path(__file__).parents[2] / "docs" / "sample-roster.csv"
TTL = timedelta(days=30)


@pytest.fixture
async def org(db):
    async with db.transaction() as conn:
        await roster.apply(conn, parse(SAMPLE.read_bytes(), "s.csv"), at=NOW, actor="cli")
    return db


async def _issue(db, servant_id, at=NOW):
    async with db.transaction() as conn:
        return await invites.issue(conn, servant_id, at=at, ttl=TTL, actor="cli")


async def _redeem(db, token, telegram_id, at=NOW):
    async with db.transaction() as conn:
        return (await invites.redeem(conn, token, telegram_id, at=at)).outcome


async def test_token_shape_and_hash_only(org):
    token = await _issue(org, 1)
    assert len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()
    async with org.reading() as conn:
        stored = [r[0] for r in await conn.execute_fetchall("SELECT token_hash FROM invite")]
    assert token not in stored and len(stored[0]) == 64


async def test_single_use_and_one_account_per_servant(org):
    token = await _issue(org, 1)
    assert await _redeem(org, token, 555) == "bound"
    assert await _redeem(org, token, 555) == "already_bound"
    assert await _redeem(org, token, 556) == "used"
    second = await _issue(org, 1)
    assert await _redeem(org, second, 556) == "servant_taken"
    other = await _issue(org, 2)
    assert await _redeem(org, other, 555) == "account_taken"
    assert await _redeem(org, "forged-token", 557) == "unknown"


async def test_expiry_and_revocation(org):
    token = await _issue(org, 3)
    assert await _redeem(org, token, 600, at=NOW + TTL + timedelta(seconds=1)) == "expired"
    newer = await _issue(org, 3)
    assert await _redeem(org, token, 600) == "used"  # replaced by the newer link
    assert await _redeem(org, newer, 600) == "bound"


async def test_hr_unbinds_and_the_servant_links_again(org):
    assert await _redeem(org, await _issue(org, 4), 700) == "bound"
    async with org.transaction() as conn:
        assert await accounts.unbind(conn, 4, at=NOW, actor="servant:2") == 700
    assert await _redeem(org, await _issue(org, 4), 701) == "bound"


async def test_dismissed_servant_cannot_link(org):
    token = await _issue(org, 9)  # 1015, dismissed 2026-02-27
    assert await _redeem(org, token, 800) == "dismissed"
