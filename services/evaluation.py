"""The quarterly evaluation: an evaluator's sheets, answers, submission and hand-over.

Every answer is saved at once (one statement or one transaction each); the sheet remembers the
item the evaluator is on, so he resumes there days later or after a restart. Actions carry the
item index, so a double tap or a duplicate update repeats the same change instead of adding one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import partial

from scoring import (
    KpiTable,
    Methodology,
    SanctionCap,
    ScoreError,
    Text,
    achievement_percent,
    format_plain,
    may_hand_over,
)
from scoring.methodology import KpiResult, ScoreResult
from storage import accounts, evaluation, kpi, org, reports
from storage.db import IntegrityError
from storage.evaluation import Campaign, Sheet
from storage.models import Servant

from .context import Context
from .errors import Reason, Rejected
from .notices import NoticeKind

MAX_COMMENT = 1000
KPI_STEP = Decimal("0.05")


class Missing(StrEnum):
    """Why a KPI sheet cannot be scored yet."""

    PLAN_NOT_APPROVED = "plan_not_approved"
    ACTUALS_MISSING = "actuals_missing"


@dataclass(frozen=True, slots=True)
class KpiFacts:
    """A KPI's plan, actual value and the score range its achievement allows (appendix 3)."""

    planned: Decimal
    unit: str
    actual: Decimal
    percent: Decimal
    clause: str


@dataclass(frozen=True, slots=True)
class SheetItem:
    """One thing to score: a methodology parameter (with its sanction cap) or a KPI."""

    id: str  # the parameter id, or "kpi<position>"
    title: Text | str  # the methodology's text, or the KPI's name as its plan states it
    hint: Text | None
    low: Decimal
    high: Decimal
    buttons: tuple[Decimal, ...]
    cap: SanctionCap | None
    check: Callable[[str], Decimal]  # parse a typed or pressed value, or raise ScoreError
    kpi: KpiFacts | None = None

    @property
    def example(self) -> Decimal:
        """A typed value to show as an example, always within the allowed range: 4,75 on the
        full scale, 1,75 under a 2,99 cap, the middle of a narrow KPI range."""
        whole = max(self.low, Decimal(int(self.high)) - 1)
        if whole + Decimal("0.75") <= self.high:
            return whole + Decimal("0.75")
        return ((self.low + self.high) / 2).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class SheetState:
    """A sheet with its items, as the evaluator works on it."""

    sheet: Sheet
    items: tuple[SheetItem, ...]
    missing: Missing | None
    methodology: Methodology

    @property
    def result(self) -> ScoreResult | KpiResult | None:
        """The sheet's result once every item has a valid score, else ``None``."""
        answers = self.sheet.answers
        if self.missing or any(i.id not in answers for i in self.items):
            return None
        try:
            if self.methodology.forms[self.sheet.form].kind == "kpi":
                return self.methodology.score_kpis(
                    [(i.kpi.percent if i.kpi else None, answers[i.id].score)
                     for i in self.items])
            return self.methodology.score(
                self.sheet.form, {p: a.score for p, a in answers.items()},
                sanction=self.sheet.sanctions)
        except ScoreError:
            return None

    def item(self, index: int) -> SheetItem:
        if self.missing or not 0 <= index < len(self.items):
            raise Rejected(Reason.OUT_OF_DATE)
        return self.items[index]


@dataclass(frozen=True, slots=True)
class OpenedSheet:
    state: SheetState
    may_hand_over: bool


@dataclass(frozen=True, slots=True)
class Scored:
    state: SheetState
    value: Decimal
    comment_saved: bool = False  # a comment written before the score was saved with it


@dataclass(frozen=True, slots=True)
class Submitted:
    sheet: Sheet
    done: bool  # False: it already was (a double tap)


@dataclass(frozen=True, slots=True)
class HandedOver:
    sheet: Sheet
    colleague: Servant
    colleague_linked: bool  # False: he has no Telegram account linked and is not told


@dataclass(frozen=True, slots=True)
class EvaluatorSheets:
    """An evaluator's sheets in open campaigns and the campaigns in which he may hand sheets
    over to a colleague (cl. 18)."""

    sheets: list[Sheet]
    may_hand_over: frozenset[int]  # campaign ids

    def pending_to_hand_over(self) -> list[Sheet]:
        return [s for s in self.sheets
                if s.status == "pending" and s.campaign.id in self.may_hand_over]


# ------------------------------------------------------------------ reading
async def sheet(ctx: Context, sheet_id: int) -> Sheet | None:
    async with ctx.reading() as conn:
        return await evaluation.sheet(conn, sheet_id)


@dataclass(frozen=True, slots=True)
class Pending:
    """An evaluator's unsubmitted sheets in an open campaign (for the notices)."""

    campaign: Campaign
    count: int
    working_days_left: int


async def pending_for(ctx: Context, campaign_id: int, evaluator_id: int) -> Pending | None:
    """How many sheets the evaluator still has to fill in, if the campaign is open."""
    async with ctx.reading() as conn:
        campaign = await evaluation.campaign(conn, campaign_id)
        if campaign is None or campaign.closed:
            return None
        count = await reports.pending_by_evaluator(conn, campaign.id, evaluator_id)
    left = ctx.calendar.working_days_between(ctx.clock.today(), campaign.deadline)
    return Pending(campaign, count, left) if count else None


async def evaluator_sheets(ctx: Context, evaluator: Servant) -> list[Sheet]:
    """The evaluator's sheets in open campaigns, pending first, then by name."""
    async with ctx.reading() as conn:
        return await evaluation.evaluator_sheets(conn, evaluator.id)


async def sheet_list(ctx: Context, evaluator: Servant) -> EvaluatorSheets:
    """His sheets, with the campaigns where he has more than twenty pending (cl. 18)."""
    sheets = await evaluator_sheets(ctx, evaluator)
    pending: dict[int, int] = {}
    for found in sheets:
        if found.status == "pending":
            pending[found.campaign.id] = pending.get(found.campaign.id, 0) + 1
    return EvaluatorSheets(sheets, frozenset(c for c, n in pending.items() if may_hand_over(n)))


async def own_sheet(ctx: Context, evaluator: Servant, sheet_id: int) -> Sheet:
    """The sheet if it is this evaluator's and its campaign is open."""
    found = await evaluation.load_sheet(ctx.db, sheet_id)
    if found is None or found.evaluator_id != evaluator.id:
        raise Rejected(Reason.SHEET_NOT_YOURS)
    if found.campaign.closed:
        raise Rejected(Reason.CAMPAIGN_CLOSED)
    return found


async def pending_state(ctx: Context, evaluator: Servant, sheet_id: int) -> SheetState:
    """The evaluator's sheet with its items, while it can still be changed."""
    found = await own_sheet(ctx, evaluator, sheet_id)
    if found.status != "pending":
        raise Rejected(Reason.ALREADY_SUBMITTED, sheet=found)
    return await state_of(ctx, found)


async def open_sheet(ctx: Context, evaluator: Servant, sheet_id: int) -> OpenedSheet:
    """The sheet's opening screen: its items, and whether it may be handed over (cl. 18)."""
    found = await own_sheet(ctx, evaluator, sheet_id)
    state = await state_of(ctx, found)
    if found.status != "pending":
        return OpenedSheet(state, False)
    pending = sum(s.status == "pending" and s.campaign == found.campaign
                  for s in await evaluator_sheets(ctx, evaluator))
    return OpenedSheet(state, may_hand_over(pending))


async def state_of(ctx: Context, found: Sheet) -> SheetState:
    """The sheet with its items (the methodology's parameters, or the KPIs of its plan)."""
    methodology = ctx.methodology
    form = methodology.forms[found.form]
    if form.kind == "kpi":
        return await _kpi_state(ctx, found)
    items = []
    for parameter in form.parameters:
        high = methodology.max_score(found.form, parameter.id, found.sanctions)
        items.append(SheetItem(
            id=parameter.id, title=parameter.title, hint=parameter.hint,
            low=form.scale.min, high=high,
            buttons=tuple(Decimal(v) for v in range(int(form.scale.min), int(high) + 1)),
            cap=methodology.cap(found.form, parameter.id, found.sanctions),
            check=partial(methodology.parse_score, found.form, parameter.id,
                          sanction=found.sanctions)))
    return SheetState(found, tuple(items), None, methodology)


async def _kpi_state(ctx: Context, found: Sheet) -> SheetState:
    quarter = found.campaign.quarter
    async with ctx.reading() as conn:
        plan = await kpi.plan_of(conn, found.evaluatee_id, quarter.year)
        actual = await kpi.actuals(conn, plan.id, quarter.number) if plan else {}
    if plan is None or plan.status != "approved":
        return SheetState(found, (), Missing.PLAN_NOT_APPROVED, ctx.methodology)
    if set(actual) != {i.position for i in plan.items}:
        return SheetState(found, (), Missing.ACTUALS_MISSING, ctx.methodology)
    assert ctx.methodology.kpi is not None  # a KPI form exists only with KPI rules
    table = ctx.methodology.kpi.table
    items = []
    for item in plan.items:
        planned = item.plan_for(quarter.number)
        percent = achievement_percent(planned, actual[item.position])
        low, high = table.allowed_range(percent)
        items.append(SheetItem(
            id=f"kpi{item.position}", title=item.name, hint=None, low=low, high=high,
            buttons=_range_buttons(low, high), cap=None,
            check=partial(_check_kpi, table, percent, item.name),
            kpi=KpiFacts(planned, item.unit, actual[item.position], percent, table.clause)))
    return SheetState(found, tuple(items), None, ctx.methodology)


def _check_kpi(table: KpiTable, percent: Decimal, name: str, text: str) -> Decimal:
    return table.check(percent, text, kpi=name)


def _range_buttons(low: Decimal, high: Decimal) -> tuple[Decimal, ...]:
    """A handful of allowed values: the ends and steps of 0.05 between (4.25 … 4.49)."""
    values = [low]
    value = low + KPI_STEP
    while value < high and len(values) < 5:
        values.append(value)
        value += KPI_STEP
    if high != low:
        values.append(high)
    return tuple(values)


# ------------------------------------------------------------------ changing
async def go_to(ctx: Context, evaluator: Servant, sheet_id: int, index: int
                ) -> tuple[SheetState, int]:
    """Move to an item (or the summary past the last), remembered so that he resumes there;
    a sheet that cannot be scored yet (``state.missing``) stays where it is."""
    state = await pending_state(ctx, evaluator, sheet_id)
    if state.missing:
        return state, 0
    index = max(0, min(index, len(state.items)))
    moved = await evaluation.move(ctx.db, state.sheet, index)
    return SheetState(moved, state.items, None, state.methodology), index


_SPACES = dict.fromkeys(map(ord, " \t\u00a0\u2007\u2009\u202f"))


def typed_score(text: str, item: SheetItem) -> Decimal:
    """A score as the evaluator typed it, ready for the methodology to check: full-width
    digits and punctuation read as ASCII, spaces inside ignored. A sign is refused (a score is
    never negative and "-0" or "+4" is a slip); so is anything that is not a number — both
    with the range and an example, so that he knows what to type."""
    plain = unicodedata.normalize("NFKC", text).translate(_SPACES)
    detail = {"low": item.low, "high": item.high, "example": item.example}
    if plain[:1] in ("-", "+", "\u2212"):
        raise Rejected(Reason.SCORE_SIGNED, **detail)
    try:
        return item.check(plain)
    except ScoreError as error:
        if error.code == "not_a_number":
            raise Rejected(Reason.SCORE_UNREADABLE, **detail) from None
        if error.code == "too_many_decimals":
            raise Rejected(Reason.SCORE_DECIMALS, **detail) from None
        raise


async def record_score(ctx: Context, evaluator: Servant, sheet_id: int, index: int,
                       value: str, *, typed: bool = False, comment: str | None = None
                       ) -> Scored:
    """Check and save one score (pressed, or ``typed``: see ``typed_score``) as one canonical
    value ("4.750" is stored as 4.75); raises ScoreError for a value the methodology refuses.
    A ``comment`` written before the score is saved with it, in the same transaction."""
    state = await pending_state(ctx, evaluator, sheet_id)
    item = state.item(index)
    score = Decimal(format_plain(typed_score(value, item) if typed else item.check(value)))
    actor = f"servant:{evaluator.id}"
    comment = comment.strip() if comment else None
    try:
        if comment:
            _check_comment(comment)
            async with ctx.transaction() as tx:
                saved = await evaluation.record_answer_with_comment(
                    tx.conn, state.sheet, index, item.id, score, comment, at=tx.now,
                    actor=actor)
        else:
            saved = await evaluation.record_answer(ctx.db, state.sheet, index, item.id, score,
                                                   at=ctx.clock.now(), actor=actor)
    except IntegrityError:  # submitted in the meantime: the trigger refused it
        raise Rejected(Reason.ALREADY_SUBMITTED) from None
    return Scored(SheetState(saved, state.items, None, state.methodology), score,
                  comment_saved=bool(comment))


def _check_comment(text: str) -> None:
    if len(text) > MAX_COMMENT:
        raise Rejected(Reason.COMMENT_TOO_LONG, length=len(text), limit=MAX_COMMENT)


async def draft_comment(ctx: Context, evaluator: Servant, sheet_id: int, index: int,
                        text: str) -> str | None:
    """A comment for an item not scored yet: checked now, saved with the score ("-" or an
    empty text: no comment)."""
    state = await pending_state(ctx, evaluator, sheet_id)
    state.item(index)
    text = text.strip()
    _check_comment(text)
    return None if text in ("", "-") else text


async def save_comment(ctx: Context, evaluator: Servant, sheet_id: int, index: int,
                       text: str) -> SheetState:
    """Set an answered item's comment, or clear it with "-"."""
    state = await pending_state(ctx, evaluator, sheet_id)
    item = state.item(index)
    text = text.strip()
    _check_comment(text)
    async with ctx.transaction() as tx:
        saved = await evaluation.save_comment(tx.conn, sheet_id, item.id,
                                              None if text == "-" else text, at=tx.now,
                                              actor=f"servant:{evaluator.id}")
    if not saved:
        raise Rejected(Reason.SCORE_FIRST)
    return await state_of(ctx, await own_sheet(ctx, evaluator, sheet_id))


async def submit_sheet(ctx: Context, evaluator: Servant, sheet_id: int) -> Submitted:
    """Submit a complete sheet; the result goes to the servant with it, or not at all."""
    state = await pending_state(ctx, evaluator, sheet_id)
    result = state.result
    if result is None:
        raise Rejected(Reason.INCOMPLETE)
    async with ctx.transaction() as tx:
        done = await evaluation.submit(tx.conn, sheet_id, average=result.average,
                                       grade=result.grade, at=tx.now,
                                       actor=f"servant:{evaluator.id}")
        if done:
            await tx.notify(NoticeKind.RESULT, f"sheet:{sheet_id}", state.sheet.evaluatee_id,
                            payload={"sheet": sheet_id})
        submitted = await evaluation.sheet(tx.conn, sheet_id)
    assert submitted is not None
    return Submitted(submitted, done)


async def hand_over(ctx: Context, evaluator: Servant, sheet_id: int,
                    personnel_no: str) -> HandedOver:
    """Cl. 18: give a pending sheet to a colleague, who is told — if he has linked his
    Telegram account; ``colleague_linked`` says whether he has."""
    state = await pending_state(ctx, evaluator, sheet_id)
    async with ctx.transaction() as tx:
        colleague = await org.by_personnel_no(tx.conn, personnel_no.strip())
        if colleague is None or not colleague.active_on(tx.today) or \
                colleague.id in (evaluator.id, state.sheet.evaluatee_id):
            raise Rejected(Reason.NOT_A_COLLEAGUE)
        await evaluation.hand_over(tx.conn, sheet_id, colleague.id, at=tx.now,
                                   actor=f"servant:{evaluator.id}")
        await tx.notify(NoticeKind.HANDOVER, f"sheet:{sheet_id}", colleague.id,
                        payload={"sheet": sheet_id})
        linked = await accounts.telegram_id_of(tx.conn, colleague.id) is not None
    return HandedOver(state.sheet, colleague, linked)


async def mark_result_delivered(ctx: Context, sheet_id: int, sent_at: datetime) -> None:
    """The result reached the servant: the calibration request window counts from now."""
    async with ctx.transaction() as tx:
        await evaluation.mark_delivered(tx.conn, sheet_id, at=sent_at)
