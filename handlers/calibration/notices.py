"""Messages this feature starts, rendered when the outbox worker sends them."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from handlers.calibration.protocol import render_protocol
from handlers.common.callbacks import CalibrationAction, CalibrationCb, ResultAction, ResultCb
from handlers.common.keyboards import inline
from handlers.common.notices import Document, NoticeRenderer, Rendered
from handlers.common.render import format_date, format_score, grade_label, official, quarter_name
from services import calibration
from services.calibration import CalibrationStatus, Session
from services.context import Context
from services.notices import Notice, NoticeKind


async def _calibration(ctx: Context, message: Notice) -> Session | None:
    return await calibration.session(ctx, message.payload["calibration"])


async def calibration_window(ctx: Context, message: Notice) -> Rendered:
    result = await calibration.window_for_notice(ctx, message.payload["sheet"])
    if result is None or result.deadline is None:
        return None
    sheet = result.sheet
    return _("If you disagree with your evaluation for {quarter}, the last day to request a "
             "calibration session is {date}.").format(
        quarter=quarter_name(sheet.campaign.quarter), date=format_date(result.deadline)), \
        inline([[(_("I disagree: request a calibration session"),
                  ResultCb(sheet=sheet.id, action=ResultAction.CALIBRATE))]])


async def calibration_session_due(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    if found is None or found.calibration.status != CalibrationStatus.VOTING:
        return None
    calib, sheet = found.calibration, found.sheet
    return _("Calibration session no. {id} ({name}) must be held by {date} (cl. 21): {voted} "
             "of {members} members have voted in round {round}.").format(
        id=calib.id, name=escape(sheet.evaluatee_name), date=format_date(calib.session_due),
        voted=found.voted, members=len(calib.members), round=calib.round), None


async def calibration_overdue(ctx: Context, message: Notice) -> Rendered:
    """The session missed its deadline (cl. 21): what is missing, and that it may still
    decide; the servant reads it about his own request."""
    found = await _calibration(ctx, message)
    if found is None or found.calibration.status == CalibrationStatus.DECIDED:
        return None
    calib, sheet = found.calibration, found.sheet
    if calib.status == CalibrationStatus.REQUESTED:
        step = _("no panel has been approved (it was due by {date})").format(
            date=format_date(calib.decision_due))
    else:
        step = _("{voted} of {members} members have voted in round {round}").format(
            voted=found.voted, members=len(calib.members), round=calib.round)
    if message.recipient_id == calib.appellant_id:
        return _("Your calibration session ({quarter}) was due by {date} (cl. 21) and has not "
                 "decided yet: {step}. The official and HR have been told. Until it decides, "
                 "the evaluator's score stands; a late decision still replaces it.").format(
            quarter=quarter_name(sheet.campaign.quarter), date=format_date(calib.session_due),
            step=step), None
    return _("Calibration session no. {id} ({name}, {quarter}) missed its deadline of {date} "
             "(cl. 21): {step}. Votes cast now still count, and the protocol records the "
             "delay; please complete the session.").format(
        id=calib.id, name=escape(sheet.evaluatee_name),
        quarter=quarter_name(sheet.campaign.quarter), date=format_date(calib.session_due),
        step=step), None


async def calibration_protocol_due(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    due = found.calibration.protocol_due if found else None
    if found is None or found.calibration.protocol_posted or due is None:
        return None
    calib, sheet = found.calibration, found.sheet
    return _("Post the protocol of calibration session no. {id} ({name}) by {date} "
             "(cl. 23).").format(id=calib.id, name=escape(sheet.evaluatee_name),
                                 date=format_date(due)), \
        inline([[(_("The protocol is posted"),
                  CalibrationCb(id=calib.id, action=CalibrationAction.PROTOCOL_POSTED))]])


async def calibration_request(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    if found is None or found.calibration.status != CalibrationStatus.REQUESTED:
        return None
    calib, sheet = found.calibration, found.sheet
    return _("{name} requests a calibration session on the evaluation for {quarter} "
             "(score {score}). Decide and approve the panel by {date} (cl. 20).").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        score=format_score(calib.original_score), date=format_date(calib.decision_due)), \
        inline([[(_("Review the request"),
                  CalibrationCb(id=calib.id, action=CalibrationAction.REVIEW))]])


async def calibration_member(ctx: Context, message: Notice) -> Rendered:
    """The invitation: the materials now, the vote once it opens (cl. 23)."""
    found = await _calibration(ctx, message)
    if found is None or found.calibration.status != CalibrationStatus.VOTING:
        return None
    if calibration.voting_open(ctx, found.calibration):
        return await calibration_voting_open(ctx, message)
    calib, sheet = found.calibration, found.sheet
    opens_on = calibration.voting_opens_on(ctx, calib)
    assert opens_on is not None
    return _("You are a member of the calibration session on {name}'s evaluation for "
             "{quarter}. Read the materials; voting opens once the evaluator and the servant "
             "have both argued in writing, or on {date} at the latest, and I will tell "
             "you.").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        date=format_date(opens_on)), inline([[
            (_("Materials"), CalibrationCb(id=calib.id, action=CalibrationAction.MATERIALS))]])


async def calibration_voting_open(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    if found is None or not calibration.voting_open(ctx, found.calibration):
        return None
    calib, sheet = found.calibration, found.sheet
    return _("You are a member of the calibration session on {name}'s evaluation for "
             "{quarter}. Read the materials and vote by {date}.").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        date=format_date(calib.session_due)), inline([[
            (_("Materials"), CalibrationCb(id=calib.id, action=CalibrationAction.MATERIALS)),
            (_("Vote"), CalibrationCb(id=calib.id, action=CalibrationAction.VOTE))]])


async def calibration_evaluator(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    if found is None or found.calibration.status == CalibrationStatus.DECIDED:
        return None
    calib, sheet = found.calibration, found.sheet
    return _("{name} disagrees with your evaluation for {quarter}; the calibration session "
             "is held by {date}. Describe his work briefly and argue your score for the "
             "panel (cl. 23).").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        date=format_date(calib.session_due)), inline([[
            (_("Write my argumentation"),
             CalibrationCb(id=calib.id, action=CalibrationAction.ARGUE)),
            (_("Materials"), CalibrationCb(id=calib.id, action=CalibrationAction.MATERIALS))]])


async def calibration_approved(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    if found is None or found.calibration.status == CalibrationStatus.DECIDED:
        return None
    calib = found.calibration
    return _("The panel for your calibration session is approved; the session is held by "
             "{date}. You may argue your disagreement in writing (cl. 23).").format(
        date=format_date(calib.session_due)), inline([[
            (_("Add my written argument"),
             CalibrationCb(id=calib.id, action=CalibrationAction.ARGUE))]])


async def calibration_revote(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    if found is None or found.calibration.status != CalibrationStatus.VOTING:
        return None
    calib, sheet = found.calibration, found.sheet
    return _("No score had a majority: please vote again (round {round}) on {name}'s "
             "evaluation.").format(round=calib.round, name=escape(sheet.evaluatee_name)), \
        inline([[(_("Vote"), CalibrationCb(id=calib.id, action=CalibrationAction.VOTE))]])


def _decided(found: Session | None) -> bool:
    return found is not None and found.calibration.status == CalibrationStatus.DECIDED \
        and found.calibration.final_score is not None


async def calibration_result(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    if found is None or not _decided(found):
        return None
    calib, sheet = found.calibration, found.sheet
    assert calib.final_score is not None
    return "\n".join((
        _("The calibration session has decided: your score for {quarter} is <b>{final}</b> "
          "— {grade} (the evaluator's score was {original}).").format(
            quarter=quarter_name(sheet.campaign.quarter),
            final=format_score(calib.final_score),
            grade=grade_label(ctx.methodology, sheet.final_grade),
            original=format_score(calib.original_score)),
        _("The decision may be appealed under the Administrative Procedural Code of the "
          "Republic of Kazakhstan (cl. 12)."))), None


async def calibration_feedback(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    rules = ctx.methodology.calibration
    if found is None or not _decided(found) or found.calibration.feedback_held_on \
            or rules is None:
        return None
    calib, sheet = found.calibration, found.sheet
    assert calib.final_score is not None
    topics = "\n".join(f"• {official(t)}" for t in rules.feedback_topics)
    return "\n".join((
        _("The calibration session set {name}'s score for {quarter} at {final}. Hold a "
          "feedback meeting with him in an open and friendly manner (cl. 24) on:").format(
            name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
            final=format_score(calib.final_score)), topics)), \
        inline([[(_("The meeting was held"),
                  CalibrationCb(id=calib.id, action=CalibrationAction.FEEDBACK_HELD))]])


async def calibration_feedback_overdue(ctx: Context, message: Notice) -> Rendered:
    """To HR, once: the evaluator has not recorded the meeting; the reminders have stopped."""
    found = await _calibration(ctx, message)
    if found is None or not _decided(found) or found.calibration.feedback_held_on:
        return None
    calib, sheet = found.calibration, found.sheet
    if calib.decided_on is None:
        return None
    return _("Calibration session no. {id} ({name}, {quarter}) decided on {date}; the "
             "evaluator has not recorded the feedback meeting yet (cl. 24). I have stopped "
             "reminding the evaluator: please follow it up.").format(
        id=calib.id, name=escape(sheet.evaluatee_name),
        quarter=quarter_name(sheet.campaign.quarter), date=format_date(calib.decided_on)), None


async def calibration_decided(ctx: Context, message: Notice) -> Rendered:
    found = await _calibration(ctx, message)
    if found is None or not _decided(found):
        return None
    calib, sheet = found.calibration, found.sheet
    assert calib.final_score is not None
    return _("The calibration session on {name}'s evaluation has decided: {final}. Thank "
             "you.").format(name=escape(sheet.evaluatee_name),
                            final=format_score(calib.final_score)), None


async def calibration_protocol(ctx: Context, message: Notice) -> Rendered:
    protocol = await calibration.protocol_of(ctx, message.payload["calibration"])
    due = protocol.session.calibration.protocol_due if protocol else None
    if protocol is None or due is None:
        return None
    calib, sheet = protocol.session.calibration, protocol.session.sheet
    return Document(render_protocol(protocol.facts), f"protocol-calibration-{calib.id}.pdf", _(
        "Protocol of the calibration session on {name}'s evaluation for {quarter}. Post it "
        "by {date} (cl. 23).").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        date=format_date(due)),
        inline([[(_("The protocol is posted"),
                  CalibrationCb(id=calib.id, action=CalibrationAction.PROTOCOL_POSTED))]]))


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.CALIBRATION_WINDOW: NoticeRenderer(calibration_window),
    NoticeKind.CALIBRATION_SESSION_DUE: NoticeRenderer(calibration_session_due),
    NoticeKind.CALIBRATION_OVERDUE: NoticeRenderer(calibration_overdue),
    NoticeKind.CALIBRATION_PROTOCOL_DUE: NoticeRenderer(calibration_protocol_due),
    NoticeKind.CALIBRATION_REQUEST: NoticeRenderer(calibration_request),
    NoticeKind.CALIBRATION_MEMBER: NoticeRenderer(calibration_member),
    NoticeKind.CALIBRATION_VOTING_OPEN: NoticeRenderer(calibration_voting_open),
    NoticeKind.CALIBRATION_EVALUATOR: NoticeRenderer(calibration_evaluator),
    NoticeKind.CALIBRATION_APPROVED: NoticeRenderer(calibration_approved),
    NoticeKind.CALIBRATION_REVOTE: NoticeRenderer(calibration_revote),
    NoticeKind.CALIBRATION_RESULT: NoticeRenderer(calibration_result),
    NoticeKind.CALIBRATION_FEEDBACK: NoticeRenderer(calibration_feedback),
    NoticeKind.CALIBRATION_FEEDBACK_OVERDUE: NoticeRenderer(calibration_feedback_overdue),
    NoticeKind.CALIBRATION_DECIDED: NoticeRenderer(calibration_decided),
    NoticeKind.CALIBRATION_PROTOCOL: NoticeRenderer(calibration_protocol),
}
