"""What the servant, the official and the panel read: pure functions of a use case's outcome."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from html import escape, unescape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import CalibrationAction, CalibrationCb, ResultAction, ResultCb
from handlers.common.keyboards import inline
from handlers.common.render import format_date, format_number, format_score, official, quarter_name
from services.calibration import Calibration, Materials, Review, Voted, VoteOutcome

View = tuple[str, InlineKeyboardMarkup | None]


# ------------------------------------------------------------------ the servant's request
def request_prompt(limit: int) -> str:
    return _("Write your request for a calibration session in free form: what you disagree "
             "with and why (up to {limit} characters). It goes to the official who appoints "
             "and dismisses you (cl. 11). Send /cancel to stop.").format(limit=limit)


def _send_request(sheet_id: int) -> InlineKeyboardMarkup:
    return inline([[(_("Send the request"),
                     ResultCb(sheet=sheet_id, action=ResultAction.SEND_REQUEST))]])


def attach_prompt(sheet_id: int) -> View:
    return _("Attach documents if you have any (send them as files), then send the "
             "request."), _send_request(sheet_id)


def attached(file_name: str | None, sheet_id: int) -> View:
    return _("Attached: {name}.").format(name=escape(file_name or "")), _send_request(sheet_id)


def request_sent() -> str:
    return _("The request is sent.")


def filed(calibration: Calibration) -> str:
    return _("Your request is filed. The official decides and approves the panel by "
             "{decision}; the session is held by {session}.").format(
        decision=format_date(calibration.decision_due),
        session=format_date(calibration.session_due))


# ------------------------------------------------------------------ the official's decision
def review(found: Review) -> View:
    calibration, sheet = found.session.calibration, found.session.sheet
    lines = [
        _("<b>Request for a calibration session</b> from {name} ({quarter}, score {score}).")
        .format(name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
                score=format_score(calibration.original_score)),
        _("Statement: {text}").format(text=escape(calibration.statement)),
    ]
    documents = documents_line(calibration)
    if documents:
        lines.append(documents)
    lines.append(_("Decide and approve the panel by {date} (cl. 20).").format(
        date=format_date(calibration.decision_due)))
    if found.panel:
        lines.append(_("Proposed panel: {names}.").format(names=", ".join(
            escape(found.names[m]) for m in found.panel)))
    else:
        lines.append(_("I cannot propose a valid panel from the roster: choose the members."))
    rows = []
    if found.can_approve:
        rows.append([(_("Approve this panel"),
                      CalibrationCb(id=calibration.id, action=CalibrationAction.APPROVE))])
    rows.append([(_("Change the panel"),
                  CalibrationCb(id=calibration.id, action=CalibrationAction.CHANGE))])
    return "\n".join(lines), inline(rows)


def panel_prompt() -> str:
    return _("Send the personnel numbers of the panel members, separated by spaces.")


def problem_text(code: str) -> str:
    """A rule of cl. 20 the panel breaks, as a clause of a sentence."""
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


def panel_refused(problems: Sequence[str], *, typed: bool) -> str:
    """Why the panel cannot be approved; a typed one may be sent again."""
    reasons = "; ".join(problem_text(p) for p in problems)
    if typed:
        return _("This panel cannot be approved: {reasons}. Send the numbers again.").format(
            reasons=reasons)
    return _("This panel cannot be approved: {reasons}.").format(reasons=reasons)


def approved_toast(approved: bool) -> str:
    return _("Approved.") if approved else _("The panel is already approved.")


def approved(calibration: Calibration) -> str:
    return _("The panel is approved and notified; the session is held by {date}.").format(
        date=format_date(calibration.session_due))


# ------------------------------------------------------------------ materials and arguments
def materials(found: Materials) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """The materials as messages that each fit Telegram's limit (a long statement, both
    arguments and the comments together do not), split between lines; the vote button goes
    under the last one."""
    calibration, sheet = found.session.calibration, found.session.sheet
    lines = [_("<b>Calibration materials</b>: {name}, {position} · {quarter}").format(
        name=escape(sheet.evaluatee_name), position=escape(sheet.evaluatee_position),
        quarter=quarter_name(sheet.campaign.quarter))]
    for number, item in enumerate(found.parameters, start=1):
        answer = sheet.answers.get(item.id)
        lines.append(f"{number}. {escape(official(item.title))}: "
                     f"<b>{format_number(answer.score) if answer else '—'}</b>")
        if answer and answer.comment:
            lines.append(f"    <i>{escape(answer.comment)}</i>")
    lines += [
        _("Evaluator's score: <b>{score}</b>").format(
            score=format_score(calibration.original_score)),
        _("Statement: {text}").format(text=escape(calibration.statement)),
    ]
    documents = documents_line(calibration)
    if documents:
        lines.append(documents)
    lines += [
        _("Evaluator's argumentation: {text}").format(
            text=escape(calibration.evaluator_argument or "—")),
        _("The servant's argument: {text}").format(
            text=escape(calibration.appellant_argument or "—")),
        _("Session by {date}.").format(date=format_date(calibration.session_due)),
    ]
    markup = inline([[(_("Vote"), CalibrationCb(id=calibration.id,
                                                action=CalibrationAction.VOTE))]]) \
        if found.may_vote else None
    return pages(lines), markup


def documents_line(calibration: Calibration) -> str | None:
    """The files attached to the request, which follow as documents."""
    if not calibration.documents:
        return None
    return _("Documents attached to the request (sent below): {names}.").format(
        names=", ".join(escape(d.name or "—") for d in calibration.documents))


def document_failed(name: str) -> str:
    return _("I could not send the attached document “{name}”; ask the HR service for "
             "it.").format(name=escape(name or "—"))


TEXT_LIMIT = 4096  # characters in a Telegram message, after its HTML is parsed


def pages(lines: Sequence[str], limit: int = TEXT_LIMIT) -> list[str]:
    """HTML lines joined into messages of at most ``limit`` visible characters, split only
    between lines (every line of the materials is shorter than the limit)."""
    result: list[str] = []
    page: list[str] = []
    length = 0
    for line in lines:
        size = len(unescape(re.sub(r"<[^>]+>", "", line))) + 1
        if page and length + size > limit:
            result.append("\n".join(page))
            page, length = [], 0
        page.append(line)
        length += size
    result.append("\n".join(page))
    return result


def argument_prompt(limit: int) -> str:
    return _("Write your argumentation for the panel (up to {limit} characters).").format(
        limit=limit)


def argument_saved() -> str:
    return _("Saved: the panel will read it with the materials.")


# ------------------------------------------------------------------ voting
def ballot(calibration: Calibration, today: date) -> View:
    """The round's choice; past the session's deadline, what a late vote means."""
    score = format_score(calibration.original_score)
    round_no = str(calibration.round)
    text = _("Round {round}: keep the evaluator's score {score}, or propose another score (up "
             "or down).").format(round=calibration.round, score=score)
    if today > calibration.session_due:
        text += "\n" + _("⚠ The session was due by {date} (cl. 21). Your vote still counts; the "
                         "protocol records that the session was late.").format(
            date=format_date(calibration.session_due))
    return text, inline([[
                 (_("Keep {score}").format(score=score),
                  CalibrationCb(id=calibration.id, action=CalibrationAction.KEEP,
                                value=round_no)),
                 (_("Another score"),
                  CalibrationCb(id=calibration.id, action=CalibrationAction.OTHER,
                                value=round_no))]])


def score_prompt() -> str:
    return _("Type the score you propose, like 3,75.")


def voted(vote: Voted) -> str:
    if not vote.counted:
        return _("You have already voted in this round.")
    if vote.outcome is VoteOutcome.REVOTE:
        return _("Your vote is counted. No score has a majority: round {round} starts for "
                 "everyone.").format(round=vote.round + 1)
    if vote.outcome is VoteOutcome.DECIDED:
        return _("Your vote is counted. The panel has decided.")
    return _("Your vote is counted: {score}.").format(score=format_score(vote.value))


# ------------------------------------------------------------------ after the decision
def protocol_posted(done: bool) -> str:
    return _("Noted: the protocol is posted.") if done else _("Already noted.")


def feedback_held(done: bool, held_on: date) -> str:
    return _("Noted: the feedback meeting was held on {date}.").format(
        date=format_date(held_on)) if done else _("Already noted.")
