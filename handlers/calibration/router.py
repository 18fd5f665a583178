"""Calibration sessions in the chat (Typical cl. 11, 19–24): the servant's request, the
appointing official's panel, arguments, rounds of votes, the protocol, the feedback meeting."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.notifier import Notifier
from handlers.common.callbacks import CalibrationCb, ResultCb
from handlers.common.keyboards import inline
from handlers.common.render import format_date, format_number, format_score, official, quarter_name
from scoring import (
    Methodology,
    PanelMember,
    ScoreError,
    WorkCalendar,
    majority_score,
    panel_problems,
    parse_decimal,
)
from scoring.calibration import propose_panel
from services.clock import Clock
from storage import calibration as calibrations
from storage import evaluation, outbox
from storage.db import Database
from storage.models import Servant

MAX_TEXT = 3000
MAX_DOCUMENTS = 10


class CalibrationInput(StatesGroup):
    statement = State()
    documents = State()
    panel = State()
    argument = State()
    score = State()


def request_deadline(sheet: evaluation.Sheet, methodology: Methodology, clock: Clock,
                     calendar: WorkCalendar):
    """The last day of the request window (cl. 11), or None before it has started."""
    rules = methodology.calibration
    delivered = sheet.delivered_at.astimezone(clock.tz).date() if sheet.delivered_at else None
    acknowledged = sheet.acknowledged_at.astimezone(clock.tz).date() \
        if sheet.acknowledged_at else None
    if delivered is None:
        return None
    return rules.request_deadline(delivered, acknowledged, calendar)


async def _enqueue(conn, kind: str, subject: str, recipients, clock: Clock,
                   payload: dict) -> None:
    for recipient in recipients:
        await outbox.enqueue(conn, kind, subject, recipient, due_on=clock.today(),
                             not_before=clock.now(), at=clock.now(), payload=payload)


# ------------------------------------------------------------------ the servant's request
async def start_request(callback: CallbackQuery, callback_data: ResultCb, db: Database,
                        clock: Clock, calendar: WorkCalendar, methodology: Methodology,
                        servant: Servant | None, state: FSMContext) -> None:
    async with db.reading() as conn:
        sheet = await evaluation.sheet(conn, callback_data.sheet)
        existing = await calibrations.by_sheet(conn, callback_data.sheet)
    if sheet is None or servant is None or sheet.evaluatee_id != servant.id \
            or sheet.status != "submitted" or methodology.calibration is None:
        await callback.answer(_("This result is not available to you."), show_alert=True)
        return
    if existing is not None:
        await callback.answer(_("You have already requested a calibration session for this "
                                "result."), show_alert=True)
        return
    deadline = request_deadline(sheet, methodology, clock, calendar)
    if deadline is None or clock.today() > deadline:
        await callback.answer(_window_closed(deadline), show_alert=True)
        return
    await state.set_state(CalibrationInput.statement)
    await state.set_data({"sheet": sheet.id, "documents": []})
    await callback.answer()
    await callback.message.answer(_(
        "Write your request for a calibration session in free form: what you disagree with "
        "and why (up to {limit} characters). It goes to the official who appoints and "
        "dismisses you (cl. 11). Send /cancel to stop.").format(limit=MAX_TEXT))


def _window_closed(deadline) -> str:
    if deadline is None:
        return _("Confirm that you have read the result first: the window counts from then.")
    return _("The time to request a calibration session ended on {date}.").format(
        date=format_date(deadline))


async def statement(message: Message, state: FSMContext) -> None:
    text = message.text.strip()
    if len(text) > MAX_TEXT:
        await message.answer(_("The text is {length} characters long; the limit is {limit}. "
                               "Nothing was saved: shorten it and send it again.").format(
            length=len(text), limit=MAX_TEXT))
        return
    data = await state.get_data()
    await state.set_state(CalibrationInput.documents)
    await state.update_data(statement=text)
    await message.answer(_("Attach documents if you have any (send them as files), then send "
                           "the request."),
                         reply_markup=inline([[(_("Send the request"), ResultCb(
                             sheet=data["sheet"], action="send_request"))]]))


async def document(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    documents = data.get("documents", [])
    if len(documents) >= MAX_DOCUMENTS:
        await message.answer(_("At most {n} documents.").format(n=MAX_DOCUMENTS))
        return
    documents.append(message.document.file_id)
    await state.update_data(documents=documents)
    await message.answer(_("Attached: {name}.").format(
        name=escape(message.document.file_name or "")),
        reply_markup=inline([[(_("Send the request"), ResultCb(
            sheet=data["sheet"], action="send_request"))]]))


async def send_request(callback: CallbackQuery, callback_data: ResultCb, db: Database,
                       clock: Clock, calendar: WorkCalendar, methodology: Methodology,
                       notifier: Notifier, servant: Servant | None, state: FSMContext) -> None:
    data = await state.get_data()
    if data.get("sheet") != callback_data.sheet or "statement" not in data:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
        return
    async with db.transaction() as conn:
        sheet = await evaluation.sheet(conn, callback_data.sheet)
        deadline = request_deadline(sheet, methodology, clock, calendar) if sheet else None
        if sheet is None or sheet.evaluatee_id != servant.id:
            outcome = "unavailable"
        elif await calibrations.by_sheet(conn, sheet.id) is not None:
            outcome = "exists"
        elif deadline is None or clock.today() > deadline:
            outcome = "closed"
        else:
            calibration_id = await calibrations.request(
                conn, sheet, data["statement"], data.get("documents", []),
                methodology.calibration, calendar, at=clock.now(), today=clock.today())
            officials = await calibrations.appointing_officials(conn, clock.today())
            await _enqueue(conn, "calibration_request", f"calibration:{calibration_id}",
                           officials, clock, {"calibration": calibration_id})
            outcome = "filed"
    await state.clear()
    if outcome != "filed":
        await callback.answer({
            "unavailable": _("This result is not available to you."),
            "exists": _("You have already requested a calibration session for this result."),
            "closed": _window_closed(deadline)}[outcome], show_alert=True)
        return
    notifier.wake()
    rules = methodology.calibration
    await callback.answer()
    await callback.message.answer(_(
        "Your request is filed. The official decides and approves the panel by {decision}; the "
        "session is held by {session}.").format(
        decision=format_date(rules.decision_deadline(clock.today(), calendar)),
        session=format_date(rules.session_deadline(clock.today(), calendar))))


# ------------------------------------------------------------------ the official's decision
async def _load(callback: CallbackQuery, db: Database, calibration_id: int):
    async with db.reading() as conn:
        found = await calibrations.get(conn, calibration_id)
        sheet = await evaluation.sheet(conn, found.sheet_id) if found else None
    if found is None:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
    return found, sheet


async def _names(db: Database, ids) -> dict[int, str]:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            f"SELECT id, full_name FROM servant WHERE id IN ({','.join('?' * len(ids))})",
            tuple(ids)) if ids else []
    return {r[0]: r[1] for r in rows}


async def _panel_members(db: Database, sheet: evaluation.Sheet, clock: Clock
                         ) -> list[PanelMember]:
    async with db.reading() as conn:
        candidates = await calibrations.candidates(conn, sheet.campaign.id, clock.today())
    return [PanelMember(c.id, c.is_hr, c.is_evaluator) for c in candidates]


def _evaluators(sheet: evaluation.Sheet) -> list[int]:
    return sorted({sheet.evaluator_id, sheet.routed_evaluator_id})


async def review(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
                 clock: Clock, methodology: Methodology, roles: frozenset[str],
                 state: FSMContext) -> None:
    found, sheet = await _load(callback, db, callback_data.id)
    if found is None:
        return
    if "appointing" not in roles:
        await callback.answer(_("Only the official with the right of appointment decides "
                                "this."), show_alert=True)
        return
    if found.status != "requested":
        await callback.answer(_("The panel is already approved."), show_alert=True)
        return
    proposal = propose_panel(methodology.calibration, await _panel_members(db, sheet, clock),
                             appellant=found.appellant_id, evaluators=_evaluators(sheet))
    await state.set_state(None)
    await state.set_data({"calibration": found.id, "panel": [m.id for m in proposal]})
    await callback.answer()
    await callback.message.answer(await _review_text(db, found, sheet, proposal),
                                  reply_markup=_review_keyboard(found.id, bool(proposal)))


async def _review_text(db: Database, found, sheet, proposal) -> str:
    names = await _names(db, [m.id if isinstance(m, PanelMember) else m for m in proposal])
    lines = [
        _("<b>Request for a calibration session</b> from {name} ({quarter}, score {score}).")
        .format(name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
                score=format_score(found.original_score)),
        _("Statement: {text}").format(text=escape(found.statement)),
        _("Decide and approve the panel by {date} (cl. 20).").format(
            date=format_date(found.decision_due)),
    ]
    if proposal:
        lines.append(_("Proposed panel: {names}.").format(names=", ".join(
            escape(names[m.id if isinstance(m, PanelMember) else m]) for m in proposal)))
    else:
        lines.append(_("I cannot propose a valid panel from the roster: choose the members."))
    return "\n".join(lines)


def _review_keyboard(calibration_id: int, can_approve: bool):
    rows = []
    if can_approve:
        rows.append([(_("Approve this panel"), CalibrationCb(id=calibration_id,
                                                            action="approve"))])
    rows.append([(_("Change the panel"), CalibrationCb(id=calibration_id, action="change"))])
    return inline(rows)


async def change(callback: CallbackQuery, callback_data: CalibrationCb, roles: frozenset[str],
                 state: FSMContext) -> None:
    if "appointing" not in roles:
        await callback.answer(_("Only the official with the right of appointment decides "
                                "this."), show_alert=True)
        return
    await state.set_state(CalibrationInput.panel)
    await state.update_data(calibration=callback_data.id)
    await callback.answer()
    await callback.message.answer(_("Send the personnel numbers of the panel members, separated "
                                    "by spaces."))


def problem_text(code: str) -> str:
    return {
        "duplicate_member": _("a member is listed twice"),
        "too_few_members": _("the panel must have at least three members (cl. 20)"),
        "even_members": _("the panel must have an odd number of members (cl. 20)"),
        "includes_appellant": _("the servant who disagrees cannot sit on it (cl. 20)"),
        "includes_evaluator": _("the person who evaluated him cannot sit on it (cl. 20)"),
        "no_hr_member": _("it must include an HR employee (cl. 20)"),
        "no_evaluator_member": _("it must include evaluators other than his own (cl. 20)"),
        "unknown_member": _("some personnel numbers are not active servants"),
    }[code]


async def typed_panel(message: Message, db: Database, clock: Clock, methodology: Methodology,
                      state: FSMContext) -> None:
    data = await state.get_data()
    async with db.reading() as conn:
        found = await calibrations.get(conn, data.get("calibration", 0))
        sheet = await evaluation.sheet(conn, found.sheet_id) if found else None
        candidates = await calibrations.candidates(conn, sheet.campaign.id, clock.today()) \
            if sheet else []
    if found is None or found.status != "requested":
        await state.clear()
        await message.answer(_("The panel is already approved."))
        return
    by_number = {c.personnel_no: c for c in candidates}
    numbers = message.text.replace(",", " ").split()
    members = [PanelMember(by_number[n].id, by_number[n].is_hr, by_number[n].is_evaluator)
               for n in numbers if n in by_number]
    problems = [p.code for p in panel_problems(methodology.calibration, members,
                                               appellant=found.appellant_id,
                                               evaluators=_evaluators(sheet))]
    if len(members) != len(numbers):
        problems.insert(0, "unknown_member")
    if problems:
        reasons = "; ".join(problem_text(p) for p in dict.fromkeys(problems))
        await message.answer(_("This panel cannot be approved: {reasons}. Send the numbers "
                               "again.").format(reasons=reasons))
        return
    await state.set_state(None)
    await state.set_data({"calibration": found.id, "panel": [m.id for m in members]})
    await message.answer(await _review_text(db, found, sheet, members),
                         reply_markup=_review_keyboard(found.id, True))


async def approve(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
                  clock: Clock, methodology: Methodology, notifier: Notifier,
                  servant: Servant | None, roles: frozenset[str], state: FSMContext) -> None:
    found, sheet = await _load(callback, db, callback_data.id)
    if found is None:
        return
    data = await state.get_data()
    if "appointing" not in roles or data.get("calibration") != found.id:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
        return
    members = [m for m in await _panel_members(db, sheet, clock) if m.id in data["panel"]]
    problems = panel_problems(methodology.calibration, members, appellant=found.appellant_id,
                              evaluators=_evaluators(sheet))
    if problems or len(members) != len(data["panel"]):
        await callback.answer(_("This panel cannot be approved: {reasons}.").format(
            reasons="; ".join(problem_text(p.code) for p in problems) or problem_text(
                "unknown_member")), show_alert=True)
        return
    async with db.transaction() as conn:
        approved = await calibrations.approve_panel(conn, found.id, servant.id,
                                                    [m.id for m in members], at=clock.now())
        if approved:
            payload = {"calibration": found.id}
            subject = f"calibration:{found.id}"
            await _enqueue(conn, "calibration_member", subject, [m.id for m in members],
                           clock, payload)
            await _enqueue(conn, "calibration_evaluator", subject, [sheet.evaluator_id],
                           clock, payload)
            await _enqueue(conn, "calibration_approved", subject, [found.appellant_id], clock,
                           payload)
    await state.clear()
    notifier.wake()
    await callback.answer(_("Approved.") if approved else _("The panel is already approved."))
    if approved:
        await callback.message.answer(_("The panel is approved and notified; the session is "
                                        "held by {date}.").format(
            date=format_date(found.session_due)))


# ------------------------------------------------------------------ materials and arguments
async def _may_read(db: Database, found, sheet, servant: Servant | None,
                    roles: frozenset[str]) -> bool:
    """Results are confidential (cl. 14): the panel, the servant, his evaluators, HR and the
    appointing official only."""
    if servant is None:
        return False
    return (servant.id in found.members or servant.id == found.appellant_id
            or servant.id in _evaluators(sheet) or bool({"hr", "appointing"} & roles))


async def materials(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
                    methodology: Methodology, servant: Servant | None,
                    roles: frozenset[str]) -> None:
    found, sheet = await _load(callback, db, callback_data.id)
    if found is None:
        return
    if not await _may_read(db, found, sheet, servant, roles):
        await callback.answer(_("These materials are not available to you."), show_alert=True)
        return
    await callback.answer()
    form = methodology.forms[sheet.form]
    lines = [_("<b>Calibration materials</b>: {name}, {position} · {quarter}").format(
        name=escape(sheet.evaluatee_name), position=escape(sheet.evaluatee_position),
        quarter=quarter_name(sheet.campaign.quarter))]
    for number, item in enumerate(form.parameters, start=1):
        answer = sheet.answers.get(item.id)
        lines.append(f"{number}. {escape(official(item.title))}: "
                     f"<b>{format_number(answer.score) if answer else '—'}</b>")
        if answer and answer.comment:
            lines.append(f"    <i>{escape(answer.comment)}</i>")
    lines += [
        _("Evaluator's score: <b>{score}</b>").format(score=format_score(found.original_score)),
        _("Statement: {text}").format(text=escape(found.statement)),
        _("Evaluator's argumentation: {text}").format(
            text=escape(found.evaluator_argument or "—")),
        _("The servant's argument: {text}").format(text=escape(found.appellant_argument or "—")),
        _("Session by {date}.").format(date=format_date(found.session_due)),
    ]
    rows = []
    if servant.id in found.members and found.status == "voting":
        rows.append([(_("Vote"), CalibrationCb(id=found.id, action="vote"))])
    await callback.message.answer("\n".join(lines), reply_markup=inline(rows) if rows else None)


async def ask_argument(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
                       servant: Servant | None, state: FSMContext) -> None:
    found, sheet = await _load(callback, db, callback_data.id)
    if found is None:
        return
    side = "appellant" if servant and servant.id == found.appellant_id else \
        "evaluator" if servant and servant.id in _evaluators(sheet) else None
    if side is None or found.status == "decided":
        await callback.answer(_("These materials are not available to you."), show_alert=True)
        return
    await state.set_state(CalibrationInput.argument)
    await state.set_data({"calibration": found.id, "side": side})
    await callback.answer()
    await callback.message.answer(_("Write your argumentation for the panel (up to {limit} "
                                    "characters).").format(limit=MAX_TEXT))


async def typed_argument(message: Message, db: Database, clock: Clock, servant: Servant | None,
                         state: FSMContext) -> None:
    data = await state.get_data()
    text = message.text.strip()
    if len(text) > MAX_TEXT:
        await message.answer(_("The text is {length} characters long; the limit is {limit}. "
                               "Nothing was saved: shorten it and send it again.").format(
            length=len(text), limit=MAX_TEXT))
        return
    async with db.transaction() as conn:
        await calibrations.set_argument(conn, data["calibration"], data["side"], text,
                                        at=clock.now(), actor=f"servant:{servant.id}")
    await state.clear()
    await message.answer(_("Saved: the panel will read it with the materials."))


# ------------------------------------------------------------------ voting
async def ask_vote(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
                   servant: Servant | None) -> None:
    found, _sheet = await _load(callback, db, callback_data.id)
    if found is None:
        return
    if servant is None or servant.id not in found.members:
        await callback.answer(_("Only the members of this panel vote."), show_alert=True)
        return
    if found.status != "voting":
        await callback.answer(_("Voting is closed."), show_alert=True)
        return
    await callback.answer()
    await callback.message.answer(
        _("Round {round}: keep the evaluator's score {score}, or propose another score (up or "
          "down).").format(round=found.round, score=format_score(found.original_score)),
        reply_markup=inline([[
            (_("Keep {score}").format(score=format_score(found.original_score)),
             CalibrationCb(id=found.id, action="keep", value=str(found.round))),
            (_("Another score"), CalibrationCb(id=found.id, action="other",
                                               value=str(found.round)))]]))


async def keep(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
               clock: Clock, calendar: WorkCalendar, methodology: Methodology,
               notifier: Notifier, servant: Servant | None) -> None:
    found, sheet = await _load(callback, db, callback_data.id)
    if found is None:
        return
    await _vote(callback, db, clock, calendar, methodology, notifier, servant, found, sheet,
                callback_data.value, found.original_score)


async def ask_score(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
                    servant: Servant | None, state: FSMContext) -> None:
    found, _sheet = await _load(callback, db, callback_data.id)
    if found is None:
        return
    if servant is None or servant.id not in found.members or found.status != "voting":
        await callback.answer(_("Voting is closed."), show_alert=True)
        return
    await state.set_state(CalibrationInput.score)
    await state.set_data({"calibration": found.id, "round": callback_data.value})
    await callback.answer()
    await callback.message.answer(_("Type the score you propose, like 3,75."))


async def typed_score(message: Message, db: Database, clock: Clock, calendar: WorkCalendar,
                      methodology: Methodology, notifier: Notifier, servant: Servant | None,
                      state: FSMContext) -> None:
    data = await state.get_data()
    async with db.reading() as conn:
        found = await calibrations.get(conn, data.get("calibration", 0))
        sheet = await evaluation.sheet(conn, found.sheet_id) if found else None
    if found is None:
        await state.clear()
        return
    try:
        value = final_score(methodology, sheet, message.text)
    except ScoreError as error:
        from handlers.common.refusals import score_error

        await message.answer(score_error(error))
        return
    await state.clear()
    await _vote(message, db, clock, calendar, methodology, notifier, servant, found, sheet,
                data.get("round", ""), value)


def final_score(methodology: Methodology, sheet: evaluation.Sheet, text: str) -> Decimal:
    """A corrected score: within the scale, two decimals, and under an overall sanction cap."""
    form = methodology.forms[sheet.form]
    value = parse_decimal(text, what="score")
    high = form.scale.max
    sanctions = methodology.sanctions
    if sanctions and sanctions.scope == "overall" and (cap := sanctions.cap_for(sheet.sanctions)):
        high = min(high, cap.max)
    if not form.scale.min <= value <= high:
        raise ScoreError("above_max" if value > high else "below_min", "outside the scale",
                         low=form.scale.min, high=high)
    return value


async def _vote(event, db: Database, clock: Clock, calendar: WorkCalendar,
                methodology: Methodology, notifier: Notifier, servant: Servant | None,
                found, sheet, round_text: str, value: Decimal) -> None:
    reply = (lambda text: event.answer(text, show_alert=True)) \
        if isinstance(event, CallbackQuery) else event.answer
    if servant is None or servant.id not in found.members:
        await reply(_("Only the members of this panel vote."))
        return
    if found.status != "voting" or round_text != str(found.round):
        await reply(_("This round is closed; your vote was not counted."))
        return
    rules = methodology.calibration
    async with db.transaction() as conn:
        counted = await calibrations.vote(conn, found, servant.id, value, at=clock.now())
        votes = await calibrations.votes(conn, found.id, found.round)
        outcome = None
        if len(votes) == len(found.members):
            final = majority_score(rules, votes, len(found.members))
            subject = f"calibration:{found.id}"
            if final is None:
                await calibrations.next_round(conn, found.id, at=clock.now())
                await _enqueue(conn, "calibration_revote", f"{subject}:{found.round + 1}",
                               found.members, clock, {"calibration": found.id})
                outcome = "revote"
            else:
                await calibrations.decide(
                    conn, found, final, methodology.grade(final), today=clock.today(),
                    protocol_due=rules.protocol_deadline(clock.today(), calendar),
                    at=clock.now())
                payload = {"calibration": found.id}
                await _enqueue(conn, "calibration_result", subject, [found.appellant_id],
                               clock, payload)
                await _enqueue(conn, "calibration_feedback", subject, [sheet.evaluator_id],
                               clock, payload)
                hr = await conn.execute_fetchall(
                    "SELECT id FROM servant WHERE is_hr = 1 AND (dismissed_on IS NULL OR "
                    "dismissed_on >= ?)", (clock.today().isoformat(),))
                await _enqueue(conn, "calibration_protocol", subject, [r[0] for r in hr],
                               clock, payload)
                await _enqueue(conn, "calibration_decided", subject, found.members, clock,
                               payload)
                outcome = "decided"
    notifier.wake()
    if not counted:
        await reply(_("You have already voted in this round."))
    elif outcome == "revote":
        await reply(_("Your vote is counted. No score has a majority: round {round} starts "
                      "for everyone.").format(round=found.round + 1))
    elif outcome == "decided":
        await reply(_("Your vote is counted. The panel has decided."))
    else:
        await reply(_("Your vote is counted: {score}.").format(score=format_score(value)))


# ------------------------------------------------------------------ after the decision
async def protocol_posted(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
                          clock: Clock, servant: Servant | None, roles: frozenset[str]) -> None:
    if "hr" not in roles:
        await callback.answer(_("Only the HR service posts the protocol."), show_alert=True)
        return
    async with db.transaction() as conn:
        done = await calibrations.protocol_posted(conn, callback_data.id, at=clock.now(),
                                                  actor=f"servant:{servant.id}")
    await callback.answer(_("Noted: the protocol is posted.") if done else
                          _("Already noted."), show_alert=True)


async def feedback_held(callback: CallbackQuery, callback_data: CalibrationCb, db: Database,
                        clock: Clock, servant: Servant | None) -> None:
    found, sheet = await _load(callback, db, callback_data.id)
    if found is None:
        return
    if servant is None or servant.id != sheet.evaluator_id:
        await callback.answer(_("Only the evaluator records the feedback meeting."),
                              show_alert=True)
        return
    async with db.transaction() as conn:
        done = await calibrations.feedback_held(conn, found.id, clock.today(), at=clock.now(),
                                                actor=f"servant:{servant.id}")
    await callback.answer(_("Noted: the feedback meeting was held on {date}.").format(
        date=format_date(clock.today())) if done else _("Already noted."), show_alert=True)


ACTIONS = {
    "review": review, "change": change, "approve": approve, "materials": materials,
    "argue": ask_argument, "vote": ask_vote, "keep": keep, "other": ask_score,
    "protocol_posted": protocol_posted, "feedback_held": feedback_held,
}


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="calibration")
    router.callback_query.register(start_request, ResultCb.filter(F.action == "calibrate"))
    router.callback_query.register(send_request, ResultCb.filter(F.action == "send_request"))
    for action, handler in ACTIONS.items():
        router.callback_query.register(handler, CalibrationCb.filter(F.action == action))
    router.message.register(statement, StateFilter(CalibrationInput.statement), F.text)
    router.message.register(document, StateFilter(CalibrationInput.documents), F.document)
    router.message.register(typed_panel, StateFilter(CalibrationInput.panel), F.text)
    router.message.register(typed_argument, StateFilter(CalibrationInput.argument), F.text)
    router.message.register(typed_score, StateFilter(CalibrationInput.score), F.text)
    return router
