"""KPI work plans: the direct supervisor drafts a subordinate's annual plan, the superior
manager approves it or returns it with a reason, HR enters the quarter's actual values
(justice cl. 27–33; legacy seeds 001, 002 cl. 9–18).

Each use case checks who acts and where the plan is inside its own transaction, so a plan
submitted or approved meanwhile is refused rather than changed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from scoring import Quarter, parse_decimal
from scoring.kpi_plans import PlanRules, evaluated_by_kpi, plan_rules
from storage import calibration, evaluation, kpi, org
from storage.db import Connection
from storage.kpi import Item, Plan, PlanStatus
from storage.models import Servant

from .context import Context
from .errors import Reason, Rejected
from .notices import NoticeKind

__all__ = ["Item", "Plan", "PlanRules", "PlanStatus", "Servant"]

# what is kept of a typed answer
MAX_NAME = 300
MAX_UNIT = 50
MAX_DEADLINE = 100
MAX_EXPECTED = 500
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class PlanScreen:
    """A plan as the one who opened it may act on it."""

    plan: Plan
    may_add: bool  # the drafter may add a KPI
    may_drop: bool  # … remove the last one
    may_submit: bool  # … send it for approval
    may_decide: bool  # the superior manager may approve or return it


@dataclass(frozen=True, slots=True)
class Subordinate:
    servant: Servant
    plan: Plan | None


@dataclass(frozen=True, slots=True)
class Overview:
    """A supervisor's subordinates evaluated by KPI, with their plans for ``year``."""

    year: int
    subordinates: tuple[Subordinate, ...]


@dataclass(frozen=True, slots=True)
class ItemDraft:
    """A KPI as the drafter typed it."""

    name: str
    unit: str
    planned: tuple[Decimal, ...]
    deadline: str
    expected: str


@dataclass(frozen=True, slots=True)
class ActualsMenu:
    """The approved plans whose actual values HR enters for the quarter just ended."""

    quarter: Quarter
    plans: tuple[Plan, ...]


@dataclass(frozen=True, slots=True)
class ActualSaved:
    plan: Plan
    following: int | None  # the index of the next KPI to ask for, or None: all are in


@dataclass(frozen=True, slots=True)
class ActualsReminder:
    """The quarter's actual values are due (or overdue) and some approved plans lack them."""

    quarter: Quarter
    due: date
    deadline: date  # the evaluation's
    missing: int
    overdue: bool


# ------------------------------------------------------------------ the rules
def rules(ctx: Context) -> PlanRules:
    """The running methodology's plan rules; refused when it has no KPI work plans."""
    found = plan_rules(ctx.methodology)
    if found is None:
        raise Rejected(Reason.NO_KPI_PLANS)
    return found


def _screen(plan: Plan, found: PlanRules, viewer_id: int) -> PlanScreen:
    """What the viewer may do: the drafter edits a draft or a returned plan, the superior
    manager decides a submitted one."""
    drafting = viewer_id == plan.drafter_id and plan.status.editable
    count = len(plan.items)
    return PlanScreen(plan, may_add=drafting and found.may_add(count),
                      may_drop=drafting and count > 0,
                      may_submit=drafting and found.accepts(count),
                      may_decide=viewer_id != plan.drafter_id and viewer_id == plan.approver_id
                      and plan.status is PlanStatus.SUBMITTED)


def _actor(servant: Servant) -> str:
    return f"servant:{servant.id}"


# ------------------------------------------------------------------ reading
async def plan(ctx: Context, plan_id: int) -> Plan | None:
    async with ctx.reading() as conn:
        return await kpi.plan(conn, plan_id)


async def overview(ctx: Context, supervisor: Servant) -> Overview:
    """The supervisor's subordinates whose methodology evaluates them by KPI."""
    rules(ctx)
    today = ctx.clock.today()
    found = []
    async with ctx.reading() as conn:
        for subordinate in await kpi.subordinates(conn, supervisor.id, today):
            if evaluated_by_kpi(ctx.methodology, category=subordinate.category,
                                managerial=subordinate.managerial,
                                unit_head=subordinate.unit_head):
                found.append(Subordinate(subordinate,
                                         await kpi.plan_of(conn, subordinate.id, today.year)))
    return Overview(today.year, tuple(found))


async def _existing(conn: Connection, plan_id: int) -> Plan:
    found = await kpi.plan(conn, plan_id)
    if found is None:
        raise Rejected(Reason.OUT_OF_DATE)
    return found


async def view(ctx: Context, viewer: Servant, plan_id: int, *, hr: bool) -> PlanScreen:
    """A plan for its servant, its drafter, its approver or HR."""
    found_rules = rules(ctx)
    async with ctx.reading() as conn:
        found = await _existing(conn, plan_id)
    if viewer.id not in (found.drafter_id, found.approver_id, found.servant_id) and not hr:
        raise Rejected(Reason.PLAN_NOT_AVAILABLE)
    return _screen(found, found_rules, viewer.id)


async def _drafting(conn: Connection, drafter: Servant, plan_id: int) -> Plan:
    found = await _existing(conn, plan_id)
    if drafter.id != found.drafter_id:
        raise Rejected(Reason.PLAN_NOT_YOURS_TO_DRAFT)
    if not found.status.editable:
        raise Rejected(Reason.PLAN_NOT_EDITABLE, status=found.status)
    return found


async def editable(ctx: Context, drafter: Servant, plan_id: int) -> Plan:
    """The plan, if this drafter may change it now."""
    async with ctx.reading() as conn:
        return await _drafting(conn, drafter, plan_id)


async def _awaiting(conn: Connection, approver: Servant, plan_id: int) -> Plan:
    found = await _existing(conn, plan_id)
    if approver.id != found.approver_id or found.status is not PlanStatus.SUBMITTED:
        raise Rejected(Reason.PLAN_NOT_AWAITING_YOU)
    return found


async def awaiting(ctx: Context, approver: Servant, plan_id: int) -> Plan:
    """The plan, if it awaits this superior manager's decision."""
    async with ctx.reading() as conn:
        return await _awaiting(conn, approver, plan_id)


# ------------------------------------------------------------------ drafting
async def _approver(conn: Connection, drafter: Servant, today: date) -> int | None:
    """Decision 50: the drafter's own supervisor; without one, the appointing official."""
    if drafter.supervisor_id is not None:
        return drafter.supervisor_id
    officials = await calibration.appointing_officials(conn, today)
    return officials[0] if officials else None


async def open_plan(ctx: Context, drafter: Servant, subordinate_id: int) -> PlanScreen:
    """The subordinate's plan for this year, created (due within N working days of the year's
    start or his appointment) the first time his supervisor opens it."""
    found_rules = rules(ctx)
    async with ctx.transaction() as tx:
        subordinate = await org.servant(tx.conn, subordinate_id)
        if subordinate is None or subordinate.supervisor_id != drafter.id:
            raise Rejected(Reason.PLAN_NOT_YOURS_TO_DRAFT)
        year = tx.today.year
        start = found_rules.period_start(year, subordinate.appointed_on)
        if found_rules.too_late(year, start):
            raise Rejected(Reason.NO_KPI_SO_LATE,
                           months=found_rules.no_kpi_when_months_left_below)
        found = await kpi.plan_of(tx.conn, subordinate.id, year)
        if found is None:
            plan_id = await kpi.create(tx.conn, subordinate.id, year, drafter.id,
                                       await _approver(tx.conn, drafter, tx.today),
                                       found_rules.due_on(start, ctx.calendar), at=tx.now)
            found = await _existing(tx.conn, plan_id)
    return _screen(found, found_rules, drafter.id)


async def add_item(ctx: Context, drafter: Servant, plan_id: int, draft: ItemDraft
                   ) -> PlanScreen:
    """Append a KPI to a plan its drafter may still change."""
    found_rules = rules(ctx)
    async with ctx.transaction() as tx:
        found = await _drafting(tx.conn, drafter, plan_id)
        await kpi.add_item(tx.conn, found.id, draft.name.strip()[:MAX_NAME],
                           draft.unit.strip()[:MAX_UNIT], list(draft.planned),
                           draft.deadline.strip()[:MAX_DEADLINE],
                           draft.expected.strip()[:MAX_EXPECTED], at=tx.now,
                           actor=_actor(drafter))
        found = await _existing(tx.conn, found.id)
    return _screen(found, found_rules, drafter.id)


async def drop_last_item(ctx: Context, drafter: Servant, plan_id: int) -> PlanScreen | None:
    """Remove the plan's last KPI; None when it has none."""
    found_rules = rules(ctx)
    async with ctx.transaction() as tx:
        found = await _drafting(tx.conn, drafter, plan_id)
        if not found.items:
            return None
        await kpi.remove_item(tx.conn, found.id, found.items[-1].position)
        found = await _existing(tx.conn, found.id)
    return _screen(found, found_rules, drafter.id)


async def submit(ctx: Context, drafter: Servant, plan_id: int) -> Plan:
    """Send a plan of the methodology's 3–5 (legacy: 5) KPIs to the superior manager."""
    found_rules = rules(ctx)
    async with ctx.transaction() as tx:
        found = await _drafting(tx.conn, drafter, plan_id)
        if not found_rules.accepts(len(found.items)):
            raise Rejected(Reason.PLAN_SIZE, low=found_rules.min_count,
                           high=found_rules.max_count)
        await kpi.submit(tx.conn, found.id, at=tx.now, actor=_actor(drafter))
        if found.approver_id:
            await tx.notify(NoticeKind.KPI_PLAN_SUBMITTED, f"kpi_plan:{found.id}:{found.version}",
                            found.approver_id, payload={"plan": found.id})
    return found


# ------------------------------------------------------------------ the superior manager
async def approve(ctx: Context, approver: Servant, plan_id: int) -> Plan:
    """Approve a submitted plan, keeping this version of its KPIs; the drafter is told."""
    async with ctx.transaction() as tx:
        found = await _awaiting(tx.conn, approver, plan_id)
        await kpi.approve(tx.conn, found, today=tx.today, at=tx.now, actor=_actor(approver))
        await tx.notify(NoticeKind.KPI_PLAN_DECIDED, f"kpi_plan:{found.id}:{found.version}",
                        found.drafter_id, payload={"plan": found.id})
    return found


async def return_for_rework(ctx: Context, approver: Servant, plan_id: int, reason: str
                            ) -> Plan:
    """Return a submitted plan with the reason, to be resubmitted within the methodology's
    working days; the drafter is told."""
    found_rules = rules(ctx)
    async with ctx.transaction() as tx:
        found = await _awaiting(tx.conn, approver, plan_id)
        await kpi.return_for_rework(tx.conn, found.id, reason.strip()[:MAX_REASON],
                                    found_rules.resubmit_due(tx.today, ctx.calendar),
                                    at=tx.now, actor=_actor(approver))
        await tx.notify(NoticeKind.KPI_PLAN_DECIDED, f"kpi_plan:{found.id}:{found.version}",
                        found.drafter_id, payload={"plan": found.id})
    return found


# ------------------------------------------------------------------ actual values (HR)
async def actuals_menu(ctx: Context) -> ActualsMenu:
    """The approved plans of the quarter that has just ended."""
    quarter = Quarter.containing(ctx.clock.today()).previous()
    async with ctx.reading() as conn:
        found = await kpi.approved_plans(conn, quarter.year)
    return ActualsMenu(quarter, tuple(found))


async def approved(ctx: Context, plan_id: int) -> Plan:
    """A plan HR may enter actual values for."""
    async with ctx.reading() as conn:
        found = await _existing(conn, plan_id)
    if found.status is not PlanStatus.APPROVED:
        raise Rejected(Reason.PLAN_NOT_APPROVED)
    return found


async def record_actual(ctx: Context, hr: Servant, plan_id: int, quarter: Quarter, index: int,
                        value: str) -> ActualSaved:
    """Save the actual value of the plan's ``index``-th KPI for the quarter (the year, when the
    plan is annual); raises ScoreError for what is not a number."""
    found_rules = rules(ctx)
    actual = parse_decimal(value, what="actual value", places=None)
    async with ctx.transaction() as tx:
        found = await _existing(tx.conn, plan_id)
        if found.status is not PlanStatus.APPROVED:
            raise Rejected(Reason.PLAN_NOT_APPROVED)
        if not 0 <= index < len(found.items):
            raise Rejected(Reason.OUT_OF_DATE)
        await kpi.set_actual(tx.conn, found.id, found.items[index].position,
                             found_rules.period(quarter), actual, at=tx.now, actor=_actor(hr))
    following = index + 1
    return ActualSaved(found, following if following < len(found.items) else None)


async def actuals_reminder(ctx: Context, campaign_id: int, due: date) -> ActualsReminder | None:
    """Justice cl. 28: HR is to enter the quarter's actual values by ``due``; None once the
    campaign is closed or no approved plan lacks them."""
    async with ctx.reading() as conn:
        campaign = await evaluation.campaign(conn, campaign_id)
        if campaign is None or campaign.closed:
            return None
        missing = await kpi.missing_actuals(conn, campaign.quarter.year,
                                            campaign.quarter.number)
    if not missing:
        return None
    return ActualsReminder(campaign.quarter, due, campaign.deadline, missing,
                           overdue=ctx.clock.today() > due)
