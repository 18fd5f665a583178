"""KPI work plans in the chat: the direct supervisor drafts, the superior manager approves or
returns with a reason, HR enters the actual values (justice cl. 27–33; legacy seeds 001, 002)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from html import escape

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.notifier import Notifier
from handlers.common.callbacks import MenuCb, PlanCb
from handlers.common.keyboards import inline
from handlers.common.render import format_date, format_number, quarter_name
from scoring import Methodology, Quarter, ScoreError, WorkCalendar, parse_decimal
from scoring.periods import add_months
from services.clock import Clock
from storage import kpi, org, outbox
from storage.db import Database
from storage.models import Servant


class PlanInput(StatesGroup):
    name = State()
    unit = State()
    planned = State()
    deadline = State()
    expected = State()
    reason = State()
    actual = State()


def limits(methodology: Methodology) -> tuple[int, int, bool]:
    """(min, max, per-quarter values?) of the methodology's plans."""
    if methodology.kpi is not None:
        return methodology.kpi.min_count, methodology.kpi.max_count, True
    return methodology.kpi_plan.count, methodology.kpi_plan.count, False


def status_name(status: str) -> str:
    return {"draft": _("draft"), "submitted": _("awaiting approval"),
            "returned": _("returned for rework"), "approved": _("approved")}[status]


def plan_text(plan: kpi.Plan) -> str:
    lines = [_("<b>KPI work plan {year}: {name}</b> — {status}").format(
        year=plan.year, name=escape(plan.servant_name), status=status_name(plan.status))]
    for item in plan.items:
        planned = "; ".join(format_number(v) for v in item.planned)
        lines.append(_("{n}. {name} ({unit}): plan {planned}; by {deadline}; expected: "
                       "{expected}").format(n=item.position, name=escape(item.name),
                                            unit=escape(item.unit), planned=planned,
                                            deadline=escape(item.deadline),
                                            expected=escape(item.expected)))
    if plan.status == "returned" and plan.return_reason:
        lines.append(_("Returned: {reason}. Resubmit by {date}.").format(
            reason=escape(plan.return_reason), date=format_date(plan.resubmit_due)))
    if plan.status in ("draft", "returned"):
        lines.append(_("To be set by {date}.").format(date=format_date(plan.due_on)))
    return "\n".join(lines)


def drafter_keyboard(plan: kpi.Plan, methodology: Methodology):
    low, high, _quarters = limits(methodology)
    rows = []
    if plan.status in ("draft", "returned"):
        if len(plan.items) < high:
            rows.append([(_("Add a KPI"), PlanCb(id=plan.id, action="add"))])
        if plan.items:
            rows.append([(_("Remove the last KPI"), PlanCb(id=plan.id, action="drop"))])
        if low <= len(plan.items) <= high:
            rows.append([(_("Submit for approval"), PlanCb(id=plan.id, action="submit"))])
    return inline(rows) if rows else None


async def plans(message: Message, db: Database, clock: Clock, methodology: Methodology,
                servant: Servant | None) -> None:
    """The supervisor's subordinates whose methodology evaluates them by KPI."""
    if servant is None or (methodology.kpi is None and methodology.kpi_plan is None):
        await message.answer(_("KPI work plans are not part of this methodology."))
        return
    year = clock.today().year
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT * FROM servant WHERE supervisor_id = ? AND (dismissed_on IS NULL OR "
            "dismissed_on >= ?) ORDER BY full_name", (servant.id, clock.today().isoformat()))
        buttons = []
        for row in rows:
            subordinate = Servant.from_row(row)
            route = methodology.route(category=subordinate.category,
                                      managerial=subordinate.managerial,
                                      unit_head=subordinate.unit_head)
            if methodology.forms[route.form].kind not in ("kpi", "kpi_count"):
                continue
            found = await kpi.plan_of(conn, subordinate.id, year)
            label = f"{subordinate.full_name}: " + (status_name(found.status) if found
                                                      else _("no plan yet"))
            buttons.append([(label, PlanCb(id=found.id, action="view") if found else
                             PlanCb(id=subordinate.id, action="create"))])
    await message.answer(_("KPI work plans for {year}:").format(year=year) if buttons else
                         _("None of your subordinates is evaluated by KPI."),
                         reply_markup=inline(buttons) if buttons else None)


async def create(callback: CallbackQuery, callback_data: PlanCb, db: Database, clock: Clock,
                 calendar: WorkCalendar, servant: Servant | None,
                 methodology: Methodology) -> None:
    today, year = clock.today(), clock.today().year
    async with db.transaction() as conn:
        subordinate = await org.servant(conn, callback_data.id)
        if subordinate is None or servant is None or subordinate.supervisor_id != servant.id:
            await callback.answer(_("This plan is not yours to draft."), show_alert=True)
            return
        start = max(date(year, 1, 1), subordinate.appointed_on)
        months_left = methodology.kpi.no_kpi_when_months_left_below if methodology.kpi else 0
        if months_left and add_months(start, months_left) > date(year, 12, 31) + timedelta(1):
            await callback.answer(_("No KPI is set: less than three months of the period "
                                    "remain after the appointment (cl. 28)."), show_alert=True)
            return
        found = await kpi.plan_of(conn, subordinate.id, year)
        if found is None:
            days = methodology.kpi.plan_within_working_days if methodology.kpi else \
                methodology.kpi_plan.plan_within_working_days
            approver = servant.supervisor_id or (await _official(conn, today))
            plan_id = await kpi.create(conn, subordinate.id, year, servant.id, approver,
                                       calendar.add_working_days(start, days), at=clock.now())
            found = await kpi.plan(conn, plan_id)
    await callback.answer()
    await callback.message.answer(plan_text(found),
                                  reply_markup=drafter_keyboard(found, methodology))


async def _official(conn, today: date) -> int | None:
    from storage import calibration

    officials = await calibration.appointing_officials(conn, today)
    return officials[0] if officials else None


async def _plan_for(callback: CallbackQuery, db: Database, plan_id: int) -> kpi.Plan | None:
    async with db.reading() as conn:
        found = await kpi.plan(conn, plan_id)
    if found is None:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
    return found


async def view(callback: CallbackQuery, callback_data: PlanCb, db: Database,
               methodology: Methodology, servant: Servant | None,
               roles: frozenset[str]) -> None:
    found = await _plan_for(callback, db, callback_data.id)
    if found is None:
        return
    if servant is None or (servant.id not in (found.drafter_id, found.approver_id,
                                             found.servant_id) and "hr" not in roles):
        await callback.answer(_("This plan is not available to you."), show_alert=True)
        return
    await callback.answer()
    markup = drafter_keyboard(found, methodology) if servant.id == found.drafter_id else \
        _approver_keyboard(found) if servant.id == found.approver_id else None
    await callback.message.answer(plan_text(found), reply_markup=markup)


def _approver_keyboard(plan: kpi.Plan):
    if plan.status != "submitted":
        return None
    return inline([[(_("Approve"), PlanCb(id=plan.id, action="approve")),
                    (_("Return for rework"), PlanCb(id=plan.id, action="return"))]])


async def _drafting(callback: CallbackQuery, db: Database, plan_id: int,
                    servant: Servant | None) -> kpi.Plan | None:
    found = await _plan_for(callback, db, plan_id)
    if found is None:
        return None
    if servant is None or servant.id != found.drafter_id:
        await callback.answer(_("This plan is not yours to draft."), show_alert=True)
        return None
    if found.status not in ("draft", "returned"):
        await callback.answer(_("The plan is {status}; it cannot be edited now.").format(
            status=status_name(found.status)), show_alert=True)
        return None
    return found


async def add(callback: CallbackQuery, callback_data: PlanCb, db: Database,
              methodology: Methodology, servant: Servant | None, state: FSMContext) -> None:
    found = await _drafting(callback, db, callback_data.id, servant)
    if found is None:
        return
    await state.set_state(PlanInput.name)
    await state.set_data({"plan": found.id})
    await callback.answer()
    await callback.message.answer(_("KPI {n}: its name (what is to be achieved)?").format(
        n=len(found.items) + 1))


async def typed_name(message: Message, state: FSMContext) -> None:
    await state.update_data(name=message.text.strip()[:300])
    await state.set_state(PlanInput.unit)
    await message.answer(_("The unit of measurement (%, documents, days…)?"))


async def typed_unit(message: Message, state: FSMContext, methodology: Methodology) -> None:
    await state.update_data(unit=message.text.strip()[:50])
    await state.set_state(PlanInput.planned)
    _low, _high, quarters = limits(methodology)
    await message.answer(_("The planned value for each quarter, separated by “;” (like 10; 10; "
                           "12; 15), or one value for all quarters.") if quarters else
                         _("The planned value for the year?"))


async def typed_planned(message: Message, state: FSMContext, methodology: Methodology) -> None:
    _low, _high, quarters = limits(methodology)
    parts = [p for p in message.text.split(";") if p.strip()]
    try:
        values = [parse_decimal(p, what="planned value", places=None) for p in parts]
    except ScoreError:
        values = []
    if not values or any(v <= 0 for v in values) or len(values) not in ((1, 4) if quarters
                                                                        else (1,)):
        await message.answer(_("Send positive numbers: one, or four separated by “;”."))
        return
    await state.update_data(planned=[str(v) for v in values])
    await state.set_state(PlanInput.deadline)
    await message.answer(_("By when (a date or a period)?"))


async def typed_deadline(message: Message, state: FSMContext) -> None:
    await state.update_data(deadline=message.text.strip()[:100])
    await state.set_state(PlanInput.expected)
    await message.answer(_("The expected result?"))


async def typed_expected(message: Message, state: FSMContext, db: Database, clock: Clock,
                         methodology: Methodology, servant: Servant | None) -> None:
    data = await state.get_data()
    async with db.transaction() as conn:
        found = await kpi.plan(conn, data.get("plan", 0))
        if found is None or servant is None or found.drafter_id != servant.id or \
                found.status not in ("draft", "returned"):
            await state.clear()
            await message.answer(_("This plan cannot be edited now."))
            return
        await kpi.add_item(conn, found.id, data["name"], data["unit"],
                           [Decimal(v) for v in data["planned"]], data["deadline"],
                           message.text.strip()[:500], at=clock.now(),
                           actor=f"servant:{servant.id}")
        found = await kpi.plan(conn, found.id)
    await state.clear()
    await message.answer(plan_text(found), reply_markup=drafter_keyboard(found, methodology))


async def drop(callback: CallbackQuery, callback_data: PlanCb, db: Database,
               methodology: Methodology, servant: Servant | None) -> None:
    found = await _drafting(callback, db, callback_data.id, servant)
    if found is None or not found.items:
        return
    async with db.transaction() as conn:
        await kpi.remove_item(conn, found.id, found.items[-1].position)
        found = await kpi.plan(conn, found.id)
    await callback.answer()
    await callback.message.answer(plan_text(found),
                                  reply_markup=drafter_keyboard(found, methodology))


async def submit(callback: CallbackQuery, callback_data: PlanCb, db: Database, clock: Clock,
                 methodology: Methodology, notifier: Notifier,
                 servant: Servant | None) -> None:
    found = await _drafting(callback, db, callback_data.id, servant)
    if found is None:
        return
    low, high, _quarters = limits(methodology)
    if not low <= len(found.items) <= high:
        await callback.answer(_("A plan has {low} to {high} KPIs.").format(low=low, high=high),
                              show_alert=True)
        return
    async with db.transaction() as conn:
        await kpi.set_status(conn, found.id, "submitted", at=clock.now(),
                             actor=f"servant:{servant.id}")
        if found.approver_id:
            await outbox.enqueue(conn, "kpi_plan_submitted", f"kpi_plan:{found.id}:"
                                 f"{found.version}", found.approver_id, due_on=clock.today(),
                                 not_before=clock.now(), at=clock.now(),
                                 payload={"plan": found.id})
    notifier.wake()
    await callback.answer(_("Sent for approval."))


async def approve(callback: CallbackQuery, callback_data: PlanCb, db: Database, clock: Clock,
                  notifier: Notifier, servant: Servant | None) -> None:
    found = await _plan_for(callback, db, callback_data.id)
    if found is None:
        return
    if servant is None or servant.id != found.approver_id or found.status != "submitted":
        await callback.answer(_("This plan is not awaiting your approval."), show_alert=True)
        return
    async with db.transaction() as conn:
        await kpi.approve(conn, found, today=clock.today(), at=clock.now(),
                          actor=f"servant:{servant.id}")
        await outbox.enqueue(conn, "kpi_plan_decided", f"kpi_plan:{found.id}:{found.version}",
                             found.drafter_id, due_on=clock.today(), not_before=clock.now(),
                             at=clock.now(), payload={"plan": found.id})
    notifier.wake()
    await callback.answer(_("Approved."), show_alert=True)


async def ask_reason(callback: CallbackQuery, callback_data: PlanCb, db: Database,
                     servant: Servant | None, state: FSMContext) -> None:
    found = await _plan_for(callback, db, callback_data.id)
    if found is None:
        return
    if servant is None or servant.id != found.approver_id or found.status != "submitted":
        await callback.answer(_("This plan is not awaiting your approval."), show_alert=True)
        return
    await state.set_state(PlanInput.reason)
    await state.set_data({"plan": found.id})
    await callback.answer()
    await callback.message.answer(_("Why is it returned (for example, a KPI is not specific or "
                                    "measurable)?"))


async def typed_reason(message: Message, state: FSMContext, db: Database, clock: Clock,
                       calendar: WorkCalendar, methodology: Methodology, notifier: Notifier,
                       servant: Servant | None) -> None:
    data = await state.get_data()
    days = methodology.kpi_plan.resubmit_working_days if methodology.kpi_plan else 2
    async with db.transaction() as conn:
        found = await kpi.plan(conn, data.get("plan", 0))
        if found is None or servant is None or found.approver_id != servant.id or \
                found.status != "submitted":
            await state.clear()
            return
        await kpi.set_status(conn, found.id, "returned", at=clock.now(),
                             actor=f"servant:{servant.id}", reason=message.text.strip()[:500],
                             resubmit_due=calendar.add_working_days(clock.today(), days))
        await conn.execute("UPDATE kpi_plan SET version = version + 1 WHERE id = ?",
                           (found.id,))
        await outbox.enqueue(conn, "kpi_plan_decided", f"kpi_plan:{found.id}:{found.version}",
                             found.drafter_id, due_on=clock.today(), not_before=clock.now(),
                             at=clock.now(), payload={"plan": found.id})
    await state.clear()
    notifier.wake()
    await message.answer(_("Returned for rework."))


# ------------------------------------------------------------------ actual values (HR)
async def actuals_menu(message: Message, db: Database, clock: Clock,
                       roles: frozenset[str]) -> None:
    if "hr" not in roles:
        await message.answer(_("Only the HR service enters actual values."))
        return
    quarter = Quarter.containing(clock.today()).previous()
    async with db.reading() as conn:
        found = await kpi.approved_plans(conn, quarter.year)
    rows = [[(p.servant_name, PlanCb(id=p.id, action="actuals", value=str(quarter)))]
            for p in found]
    await message.answer(_("Actual KPI values for {quarter}: choose the plan.").format(
        quarter=quarter_name(quarter)) if rows else _("No approved KPI plans."),
        reply_markup=inline(rows) if rows else None)


async def actuals_from_menu(callback: CallbackQuery, db: Database, clock: Clock,
                            roles: frozenset[str]) -> None:
    await callback.answer()
    await actuals_menu(callback.message, db, clock, roles)


async def start_actuals(callback: CallbackQuery, callback_data: PlanCb, db: Database,
                        roles: frozenset[str], state: FSMContext) -> None:
    found = await _plan_for(callback, db, callback_data.id)
    if found is None:
        return
    if "hr" not in roles or found.status != "approved":
        await callback.answer(_("Only the HR service enters actual values."), show_alert=True)
        return
    await state.set_state(PlanInput.actual)
    await state.set_data({"plan": found.id, "period": callback_data.value, "next": 0})
    await callback.answer()
    await callback.message.answer(_actual_question(found, 0, Quarter.parse(callback_data.value)))


def _actual_question(plan: kpi.Plan, index: int, quarter: Quarter) -> str:
    item = plan.items[index]
    return _("{n}. {name}: the actual value for {quarter} ({unit}; plan {plan})?").format(
        n=item.position, name=escape(item.name), quarter=quarter_name(quarter),
        unit=escape(item.unit),
        plan=format_number(item.plan_for(quarter.number)))


async def typed_actual(message: Message, state: FSMContext, db: Database, clock: Clock,
                       methodology: Methodology, servant: Servant | None) -> None:
    data = await state.get_data()
    quarter = Quarter.parse(data["period"])
    try:
        value = parse_decimal(message.text, what="actual value", places=None)
    except ScoreError:
        await message.answer(_("That is not a number. Send the actual value."))
        return
    async with db.transaction() as conn:
        found = await kpi.plan(conn, data["plan"])
        item = found.items[data["next"]]
        period = quarter.number if limits(methodology)[2] else 0
        await kpi.set_actual(conn, found.id, item.position, period, value, at=clock.now(),
                             actor=f"servant:{servant.id}")
    following = data["next"] + 1
    if following < len(found.items):
        await state.update_data(next=following)
        await message.answer(_actual_question(found, following, quarter))
        return
    await state.clear()
    await message.answer(_("All actual values for {quarter} are saved; the evaluator can score "
                           "the KPIs now.").format(quarter=quarter_name(quarter)))


ACTIONS = {"create": create, "view": view, "add": add, "drop": drop, "submit": submit,
           "approve": approve, "return": ask_reason, "actuals": start_actuals}


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="kpi_plans")
    router.message.register(plans, Command("plans"))
    router.message.register(actuals_menu, Command("actuals"))
    router.callback_query.register(actuals_from_menu, MenuCb.filter(F.action == "actuals"))
    for action, handler in ACTIONS.items():
        router.callback_query.register(handler, PlanCb.filter(F.action == action))
    router.message.register(typed_name, StateFilter(PlanInput.name), F.text)
    router.message.register(typed_unit, StateFilter(PlanInput.unit), F.text)
    router.message.register(typed_planned, StateFilter(PlanInput.planned), F.text)
    router.message.register(typed_deadline, StateFilter(PlanInput.deadline), F.text)
    router.message.register(typed_expected, StateFilter(PlanInput.expected), F.text)
    router.message.register(typed_reason, StateFilter(PlanInput.reason), F.text)
    router.message.register(typed_actual, StateFilter(PlanInput.actual), F.text)
    return router
