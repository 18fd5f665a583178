"""Who a Telegram user is (the account, the servant and the roles), linking an account to a
servant by invitation or phone number, HR's unlinking, and the language he reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storage import accounts, evaluation, invites, org
from storage.accounts import BindOutcome, Identity
from storage.evaluation import Sheet
from storage.models import Account, Role, Servant
from storage.roster_file import normalize_phone

from .context import Context
from .errors import Reason, Rejected

__all__ = ["Account", "BindOutcome", "Binding", "Home", "HrInvite", "Identity", "Invitations",
           "InviteLink", "Role", "Servant", "Unbound", "bind_by_phone", "home", "identify",
           "invite_hr", "issue_invites", "language_of", "mark_reachable", "redeem_invite",
           "remember_telegram_language", "set_language", "unbind"]


# ------------------------------------------------------------------ who is writing
async def identify(ctx: Context, telegram_id: int) -> Identity:
    """Account, servant and roles today, in one round trip (this runs for every update)."""
    return await accounts.identify(ctx.db, telegram_id, ctx.clock.today())


async def mark_reachable(ctx: Context, telegram_id: int) -> None:
    """He writes to the bot, so it can write to him again."""
    async with ctx.transaction() as tx:
        await accounts.mark_reachable(tx.conn, telegram_id)


async def remember_telegram_language(ctx: Context, telegram_id: int, language: str) -> None:
    """Keep his Telegram app's language for the messages the bot starts (one statement)."""
    await accounts.remember_telegram_language(ctx.db, telegram_id, language)


# ------------------------------------------------------------------ languages
async def language_of(ctx: Context, servant_id: int) -> str | None:
    """The language a servant reads the bot in, if he has chosen or been given one."""
    async with ctx.reading() as conn:
        return await accounts.language_of(conn, servant_id)


async def set_language(ctx: Context, telegram_id: int, language: str) -> None:
    """The user's own choice of language (he need not be linked to a servant yet)."""
    async with ctx.transaction() as tx:
        await accounts.set_language(tx.conn, telegram_id, language, at=tx.now)


# ------------------------------------------------------------------ the home screen
@dataclass(frozen=True, slots=True)
class Home:
    """What waits for a servant: his sheets to fill in and his results, newest first."""

    sheets: list[Sheet]
    results: list[Sheet]


async def home(ctx: Context, servant: Servant) -> Home:
    async with ctx.reading() as conn:
        sheets = await evaluation.evaluator_sheets(conn, servant.id)
        results = await evaluation.evaluatee_sheets(conn, servant.id)
    return Home(sheets, results)


# ------------------------------------------------------------------ linking an account
@dataclass(frozen=True, slots=True)
class Binding:
    """How linking went and, once the account is linked, who he is now."""

    outcome: BindOutcome
    servant: Servant | None = None
    roles: frozenset[Role] = frozenset()

    @property
    def linked(self) -> bool:
        return self.outcome in (BindOutcome.BOUND, BindOutcome.ALREADY_BOUND)


async def _binding(ctx: Context, outcome: BindOutcome, telegram_id: int) -> Binding:
    if outcome not in (BindOutcome.BOUND, BindOutcome.ALREADY_BOUND):
        return Binding(outcome)
    async with ctx.reading() as conn:
        servant = await accounts.servant_of(conn, telegram_id)
        roles = await org.roles(conn, servant, ctx.clock.today()) if servant else frozenset()
    return Binding(outcome, servant, roles)


async def redeem_invite(ctx: Context, telegram_id: int, token: str) -> Binding:
    """Open a personal invitation link: valid, unused and unexpired, it links the account."""
    async with ctx.transaction() as tx:
        redeemed = await invites.redeem(tx.conn, token, telegram_id, at=tx.now)
    return await _binding(ctx, redeemed.outcome, telegram_id)


async def bind_by_phone(ctx: Context, telegram_id: int, contact_user_id: int | None,
                        phone: str) -> Binding:
    """Link by the phone number he shared: his own contact, the number of exactly one active
    servant, and that servant not linked to another account."""
    if contact_user_id != telegram_id:
        return Binding(BindOutcome.NOT_OWN)
    normalized = normalize_phone(phone)
    async with ctx.transaction() as tx:
        found = await org.active_by_phone(tx.conn, normalized, tx.today) if normalized else []
        outcome = BindOutcome.NOT_FOUND
        if len(found) == 1:
            if await accounts.telegram_id_of(tx.conn, found[0].id) is not None:
                outcome = BindOutcome.SERVANT_TAKEN
            else:
                await accounts.bind(tx.conn, telegram_id, found[0].id, at=tx.now, how="phone")
                outcome = BindOutcome.BOUND
    return await _binding(ctx, outcome, telegram_id)


# ------------------------------------------------------------------ HR: invitations, unlinking
@dataclass(frozen=True, slots=True)
class InviteLink:
    servant: Servant
    unit_path: str | None
    token: str


@dataclass(frozen=True, slots=True)
class Invitations:
    """New personal tokens for everyone active and not linked yet; earlier ones stop working."""

    links: list[InviteLink]
    issued_on: date
    expires_on: date


async def issue_invites(ctx: Context, hr: Servant, ttl: timedelta) -> Invitations:
    async with ctx.transaction() as tx:
        links = []
        for row in await org.servants_for_invites(tx.conn, tx.today):
            if row.bound:
                continue
            token = await invites.issue(tx.conn, row.servant.id, at=tx.now, ttl=ttl,
                                        actor=f"servant:{hr.id}")
            links.append(InviteLink(row.servant, row.unit_path, token))
    return Invitations(links, tx.today, (tx.now + ttl).astimezone(ctx.clock.tz).date())


@dataclass(frozen=True, slots=True)
class HrInvite:
    """The command line's bootstrap link: the token, if exactly one HR officer matched."""

    token: str | None
    matching: list[Servant]


async def invite_hr(ctx: Context, name: str, ttl: timedelta) -> HrInvite:
    """A token for the one HR officer whose name contains ``name`` (none when no officer or
    several match: the command line names them)."""
    async with ctx.transaction() as tx:
        found = await org.hr_by_name(tx.conn, name)
        if len(found) != 1:
            return HrInvite(None, found)
        token = await invites.issue(tx.conn, found[0].id, at=tx.now, ttl=ttl, actor="cli")
    return HrInvite(token, found)


@dataclass(frozen=True, slots=True)
class Unbound:
    servant: Servant
    telegram_id: int | None  # the account that was linked; None: there was none


async def unbind(ctx: Context, hr: Servant, personnel_no: str) -> Unbound:
    """Free a servant's Telegram account so that he can link another one; ``Rejected(
    NO_SUCH_SERVANT)`` for a personnel number nobody has."""
    async with ctx.transaction() as tx:
        target = await org.by_personnel_no(tx.conn, personnel_no)
        if target is None:
            raise Rejected(Reason.NO_SUCH_SERVANT, value=personnel_no)
        telegram_id = await accounts.unbind(tx.conn, target.id, at=tx.now,
                                            actor=f"servant:{hr.id}")
    return Unbound(target, telegram_id)
