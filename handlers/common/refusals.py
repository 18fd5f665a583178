"""Refusals, said once: a handler (or a use case, or the methodology) refuses, and one
middleware answers — an alert for a button, a reply for a typed message. Nothing was changed.

Registered inside aiogram's CallbackAnswerMiddleware, so every callback is answered exactly
once: with the refusal, with the toast the handler set on ``callback_answer``, or silently.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from html import escape
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from scoring import ScoreError
from services.errors import Reason, Rejected

from .render import format_date, format_number, format_score

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class Refusal(Exception):
    """Raised by a handler with the sentence the user reads."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def out_of_date() -> str:
    return _("This button is out of date. Send /start for the current menu.")


TEXTS: dict[Reason, Callable[[Mapping[str, Any]], str]] = {
    Reason.SHEET_NOT_YOURS: lambda detail: _("This sheet is not available to you."),
    Reason.RESULT_NOT_YOURS: lambda detail: _("This result is not available to you."),
    Reason.CAMPAIGN_CLOSED: lambda detail: _("This evaluation campaign is closed."),
    Reason.ALREADY_SUBMITTED: lambda detail: _(
        "This sheet is already submitted and cannot be changed."),
    Reason.OUT_OF_DATE: lambda detail: out_of_date(),
    Reason.INCOMPLETE: lambda detail: _("Some parameters have no score yet."),
    Reason.SCORE_FIRST: lambda detail: _("Give a score first, then add a comment."),
    Reason.NOT_A_COLLEAGUE: lambda detail: _(
        "That is not a colleague who can take this sheet. Send another personnel number, "
        "or /cancel."),
    Reason.COMMENT_TOO_LONG: lambda detail: _(
        "The comment is {length} characters long; the limit is {limit}. Nothing was "
        "saved: shorten it and send it again.").format(**detail),
    Reason.SCORE_SIGNED: lambda detail: _(
        "Type the score without a sign, like {example}. Nothing was saved.").format(
        example=format_number(detail["example"])),
    Reason.SCORE_DECIMALS: lambda detail: _(
        "Use at most two decimals, like {example}. Nothing was saved.").format(
        example=format_number(detail["example"])),
    Reason.SCORE_UNREADABLE: lambda detail: _(
        "I could not read a score there. Type a number from {low} to {high} with at most "
        "two decimals after a comma or a point, like {example}; to write a comment, press "
        "“💬 Comment” first. Nothing was saved.").format(
        low=format_number(detail["low"]), high=format_number(detail["high"]),
        example=format_number(detail["example"])),
    # calibration
    Reason.CALIBRATION_REQUESTED: lambda detail: _(
        "You have already requested a calibration session for this result."),
    Reason.CALIBRATION_WINDOW_NOT_STARTED: lambda detail: _(
        "Confirm that you have read the result first: the window counts from then."),
    Reason.CALIBRATION_WINDOW_CLOSED: lambda detail: _(
        "The time to request a calibration session ended on {date}.").format(
        date=format_date(detail["deadline"])),
    Reason.CALIBRATION_TEXT_TOO_LONG: lambda detail: _(
        "The text is {length} characters long; the limit is {limit}. Nothing was saved: "
        "shorten it and send it again.").format(**detail),
    Reason.CALIBRATION_TOO_MANY_DOCUMENTS: lambda detail: _("At most {n} documents.").format(
        **detail),
    Reason.CALIBRATION_APPOINTING_ONLY: lambda detail: _(
        "Only the official with the right of appointment decides this."),
    Reason.CALIBRATION_PANEL_APPROVED: lambda detail: _("The panel is already approved."),
    Reason.CALIBRATION_MATERIALS_CLOSED: lambda detail: _(
        "These materials are not available to you."),
    Reason.CALIBRATION_MEMBERS_ONLY: lambda detail: _("Only the members of this panel vote."),
    Reason.CALIBRATION_VOTING_CLOSED: lambda detail: _("Voting is closed."),
    Reason.CALIBRATION_VOTING_NOT_OPEN: lambda detail: _(
        "Voting opens once both written arguments are in, or on {date} at the latest; I will "
        "tell you.").format(date=format_date(detail["date"])),
    Reason.CALIBRATION_ROUND_CLOSED: lambda detail: _(
        "This round is closed; your vote was not counted."),
    Reason.CALIBRATION_HR_ONLY: lambda detail: _("Only the HR service posts the protocol."),
    Reason.CALIBRATION_EVALUATOR_ONLY: lambda detail: _(
        "Only the evaluator records the feedback meeting."),
    # accounts (HR's unlinking)
    Reason.NO_SUCH_SERVANT: lambda detail: _(
        "Nobody has personnel number “{value}”. Send another one or /cancel.").format(
        value=escape(str(detail["value"]))),
    # KPI work plans
    Reason.NO_KPI_PLANS: lambda detail: _("KPI work plans are not part of this methodology."),
    Reason.PLAN_NOT_YOURS_TO_DRAFT: lambda detail: _("This plan is not yours to draft."),
    Reason.NO_KPI_SO_LATE: lambda detail: ngettext(
        "No KPI is set: less than {months} month of the period remains after the "
        "appointment (cl. 28).",
        "No KPI is set: less than {months} months of the period remain after the "
        "appointment (cl. 28).", int(str(detail["months"]))).format(**detail),
    Reason.PLAN_NOT_AVAILABLE: lambda detail: _("This plan is not available to you."),
    Reason.PLAN_NOT_EDITABLE: lambda detail: _("This plan cannot be edited now."),
    Reason.PLAN_SIZE: lambda detail: _("A plan has {low} to {high} KPIs.").format(**detail),
    Reason.PLAN_NOT_AWAITING_YOU: lambda detail: _("This plan is not awaiting your approval."),
    Reason.PLAN_NOT_APPROVED: lambda detail: _("Only the HR service enters actual values."),
    # legacy
    Reason.LEGACY_NOT_IN_METHODOLOGY: lambda detail: _(
        "Annual reviews are not part of this methodology."),
    Reason.LEGACY_ONLY_HR_OPENS: lambda detail: _("Only the HR service opens the annual review."),
    Reason.LEGACY_REVIEW_NOT_YOURS: lambda detail: _("This review is not available to you."),
    Reason.LEGACY_PLAN_NOT_APPROVED: lambda detail: _(
        "The KPI work plan for {year} is not approved yet.").format(**detail),
    Reason.LEGACY_REVIEW_NOT_AWAITING: lambda detail: _("This review is not awaiting you."),
    Reason.LEGACY_ONLY_APPOINTING: lambda detail: _(
        "Only the authorised person sets up the commission."),
    Reason.LEGACY_COMMISSION_TOO_SMALL: lambda detail: _(
        "The commission needs at least {n} active servants. Send the numbers again."
    ).format(**detail),
    Reason.LEGACY_NOT_CLERK: lambda detail: _(
        "Only the chair or the secretary records the meeting."),
    Reason.LEGACY_NO_QUORUM: lambda detail: _(
        "No quorum: {present} of {members} members are present; at least {needed} are "
        "needed (2/3). The meeting is not valid.").format(**detail),
    Reason.LEGACY_VOTE_NOT_OPEN: lambda detail: _("This vote is not open to you."),
    Reason.LEGACY_ALREADY_VOTED: lambda detail: _("You have already voted."),
    Reason.LEGACY_BALLOT_REPLACED: lambda detail: _(
        "This ballot is from an earlier round: vote on the newest one."),
    Reason.LEGACY_NOT_RECORDER: lambda detail: _(
        "Only the chair or the secretary records the commission's recommendations."),
    Reason.LEGACY_RECOMMENDATION_TOO_LONG: lambda detail: _(
        "That is {length} characters; the protocol takes up to {n}. Please shorten it and "
        "send it again.").format(**detail),
    Reason.RESULTS_HR_HEAD_ONLY: lambda detail: _(
        "Under this body's methodology ({clause}), only the head of the personnel service "
        "reads evaluation results and scores. Ask the head; the progress without scores is "
        "still under Progress.").format(clause=escape(str(detail["clause"]))),
    Reason.LEGACY_PROTOCOL_NOT_YOURS: lambda detail: _("The protocol is not available to you."),
    Reason.LEGACY_NOTHING_DECIDED: lambda detail: _(
        "The commission has not decided any result yet."),
    # surveys
    Reason.SURVEY_NOT_YOURS: lambda detail: _("This survey is not available to you."),
    Reason.SURVEY_SUBMITTED: lambda detail: _(
        "You have already submitted this survey. Thank you!"),
    Reason.SURVEY_CLOSED: lambda detail: _("This survey is closed."),
    Reason.SURVEY_INCOMPLETE: lambda detail: _("Some statements have no answer yet."),
    Reason.REPORT_NOT_YOURS: lambda detail: _("This report is not available to you."),
    Reason.REPORT_WITHHELD: lambda detail: _(
        "The report is withheld: it appears when the survey is closed with at least {n} "
        "answers from colleagues (so that no answer can be singled out).").format(**detail),
    Reason.REPORT_WITHHELD_FROM_RESPONDENT: lambda detail: _(
        "The report is withheld from you: you answered about this colleague yourself, and "
        "fewer than {n} others did, so your own answers would let you work out theirs."
    ).format(**detail),
    Reason.UNKNOWN_PERSONNEL_NUMBERS: lambda detail: _(
        "Unknown personnel numbers: {numbers}. Send the list again.").format(
        numbers=", ".join(detail["unknown"]) or "—"),  # type: ignore[arg-type]
    Reason.RESPONDENTS_OUT_OF_RANGE: lambda detail: _(
        "Choose {low} to {high} active colleagues, not the evaluatee himself. Send the "
        "numbers again.").format(**detail),
    Reason.RESPONDENTS_FIXED: lambda detail: _(
        "This survey has started; respondents can no longer change."),
    Reason.RESPONDENTS_MISSING: lambda detail: _("Choose respondents first for: {names}.").format(
        names=", ".join(detail["names"])),  # type: ignore[arg-type]
    Reason.SURVEY_STARTED: lambda detail: _("This survey has already started."),
}
"""What each refusal says, given its detail (a limit, a date, a value)."""


def reason_text(rejected: Rejected) -> str:
    """A use case's refusal in the reader's language."""
    return TEXTS[rejected.reason](rejected.detail)


def score_error(error: ScoreError) -> str:
    """A typed or pressed score the methodology refuses, said so that the user can fix it."""
    low = format_number(error.low) if error.low is not None else ""
    high = format_number(error.high) if error.high is not None else ""
    if error.code in ("below_min", "above_max"):
        return _("The score must be from {low} to {high}. Nothing was saved.").format(
            low=low, high=high)
    if error.code == "above_cap":
        return _("With a disciplinary sanction in the quarter the score may not exceed {cap}. "
                 "Nothing was saved.").format(cap=format_score(error.limit))
    if error.code == "outside_kpi_range":
        return _("For this achievement the score must be from {low} to {high}. Nothing was "
                 "saved.").format(low=low, high=high)
    if error.code == "too_many_decimals":
        return _("Use at most two decimals, like 4,75. Nothing was saved.")
    return _("That is not a number. Type a score like 4 or 4,75. Nothing was saved.")


class RefusalMiddleware(BaseMiddleware):
    """Answers a Refusal, a Rejected use case or a ScoreError raised by the handler."""

    async def __call__(self, handler: Handler, event: TelegramObject,
                       data: dict[str, Any]) -> Any:
        try:
            return await handler(event, data)
        except Refusal as refusal:
            text = refusal.text
        except Rejected as rejected:
            text = reason_text(rejected)
        except ScoreError as error:
            text = score_error(error)
        if isinstance(event, CallbackQuery):
            answer: CallbackAnswer | None = data.get("callback_answer")
            if answer is not None and not answer.answered:
                answer.text, answer.show_alert = text, True
            else:
                await event.answer(text, show_alert=True)
        elif isinstance(event, Message):
            await event.answer(text)
        return None


def answer_callbacks(router: Router) -> None:
    """Every callback reaching ``router`` (the dispatcher: every callback) answered exactly
    once, refusals included, and a refused message answered with the reason."""
    router.callback_query.middleware(CallbackAnswerMiddleware())
    router.callback_query.middleware(RefusalMiddleware())
    router.message.middleware(RefusalMiddleware())
