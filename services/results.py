"""The servant's results: reading one, confirming he has read it, the calibration window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scoring import Text
from storage import calibration as calibrations
from storage import evaluation
from storage.calibration import Calibration
from storage.evaluation import Sheet
from storage.models import Servant

from .context import Context
from .errors import Reason, Rejected
from .evaluation import state_of


@dataclass(frozen=True, slots=True)
class Result:
    """A submitted sheet as its evaluatee reads it."""

    sheet: Sheet
    titles: dict[str, Text | str] | None  # a KPI sheet's items; parameters name themselves
    calibration: Calibration | None  # the session he requested, if he did
    window_days: int | None  # the request window (cl. 11); None: no calibration at all
    deadline: date | None  # its last day; None while it has not started
    can_request: bool
    today: date

    @property
    def requested(self) -> bool:
        return self.calibration is not None

    @property
    def window_closed(self) -> bool:
        """The last day to request a session has passed and he did not."""
        return self.calibration is None and self.deadline is not None \
            and self.today > self.deadline


async def my_results(ctx: Context, servant: Servant) -> list[Sheet]:
    """The servant's submitted sheets, newest quarter first."""
    async with ctx.reading() as conn:
        return await evaluation.evaluatee_sheets(conn, servant.id)


async def own_result(ctx: Context, servant: Servant, sheet_id: int) -> Result:
    async with ctx.reading() as conn:
        sheet = await evaluation.sheet(conn, sheet_id)
    if sheet is None or sheet.evaluatee_id != servant.id or sheet.status != "submitted":
        raise Rejected(Reason.RESULT_NOT_YOURS)
    return await result_of(ctx, sheet)


async def acknowledge(ctx: Context, servant: Servant, sheet_id: int) -> Result:
    """He has read it (cl. 10): where the window counts from acknowledgement, it starts."""
    await own_result(ctx, servant, sheet_id)
    async with ctx.transaction() as tx:
        await evaluation.acknowledge(tx.conn, sheet_id, at=tx.now,
                                     actor=f"servant:{servant.id}")
    return await own_result(ctx, servant, sheet_id)


async def result_of(ctx: Context, sheet: Sheet) -> Result:
    """The result with the calibration request window (cl. 11)."""
    async with ctx.reading() as conn:
        requested = await calibrations.by_sheet(conn, sheet.id)
    rules = ctx.methodology.calibration
    titles = None
    if ctx.methodology.forms[sheet.form].kind == "kpi":
        titles = {i.id: i.title for i in (await state_of(ctx, sheet)).items}
    if rules is None:
        return Result(sheet, titles, requested, None, None, False, ctx.clock.today())
    tz = ctx.clock.tz
    delivered = sheet.delivered_at.astimezone(tz).date() if sheet.delivered_at \
        else ctx.clock.today()
    acknowledged = sheet.acknowledged_at.astimezone(tz).date() if sheet.acknowledged_at \
        else None
    deadline = rules.request_deadline(delivered, acknowledged, ctx.calendar)
    can_request = requested is None and sheet.final_average is None and (
        deadline is None or ctx.clock.today() <= deadline)
    return Result(sheet, titles, requested, rules.request_window_working_days, deadline,
                  can_request, ctx.clock.today())


async def result_for_notice(ctx: Context, sheet_id: int) -> Result | None:
    """The result to deliver, if the sheet is (still) submitted."""
    async with ctx.reading() as conn:
        sheet = await evaluation.sheet(conn, sheet_id)
    if sheet is None or sheet.status != "submitted":
        return None
    return await result_of(ctx, sheet)
