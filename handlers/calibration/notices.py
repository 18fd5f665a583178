"""Messages this feature starts, rendered when the outbox worker sends them."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from handlers.calibration.protocol import ProtocolFacts, render_protocol
from handlers.common.callbacks import CalibrationCb, ResultCb
from handlers.common.keyboards import inline
from handlers.common.notices import Document, NoticeRenderer, Rendered
from handlers.common.render import format_date, format_score, grade_label, official, quarter_name
from services import evaluation as evaluation_service
from services.context import Context
from services.notices import NoticeKind
from storage import calibration as calibrations
from storage import evaluation, org, outbox


async def _calibration(ctx: Context, message: outbox.Message):
    async with ctx.db.reading() as conn:
        found = await calibrations.get(conn, message.payload["calibration"])
        sheet = await evaluation.sheet(conn, found.sheet_id) if found else None
    return found, sheet


async def calibration_window(ctx: Context, message: outbox.Message) -> Rendered:
    sheet = await evaluation_service.sheet(ctx, message.payload["sheet"])
    rules = ctx.methodology.calibration
    async with ctx.db.reading() as conn:
        requested = await calibrations.by_sheet(conn, sheet.id) if sheet else None
    if sheet is None or requested is not None or rules is None:
        return None
    delivered = sheet.delivered_at.astimezone(ctx.clock.tz).date()
    acknowledged = sheet.acknowledged_at.astimezone(ctx.clock.tz).date() \
        if sheet.acknowledged_at else None
    deadline = rules.request_deadline(delivered, acknowledged, ctx.calendar)
    return _("If you disagree with your evaluation for {quarter}, the last day to request a "
             "calibration session is {date}.").format(
        quarter=quarter_name(sheet.campaign.quarter), date=format_date(deadline)), \
        inline([[(_("I disagree: request a calibration session"),
                  ResultCb(sheet=sheet.id, action="calibrate"))]])


async def calibration_session_due(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status != "voting":
        return None
    async with ctx.db.reading() as conn:
        voted = await calibrations.votes(conn, found.id, found.round)
    return _("Calibration session no. {id} ({name}) must be held by {date} (cl. 21): {voted} "
             "of {members} members have voted in round {round}.").format(
        id=found.id, name=escape(sheet.evaluatee_name), date=format_date(found.session_due),
        voted=len(voted), members=len(found.members), round=found.round), None


async def calibration_protocol_due(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.protocol_posted:
        return None
    return _("Post the protocol of calibration session no. {id} ({name}) by {date} "
             "(cl. 23).").format(id=found.id, name=escape(sheet.evaluatee_name),
                                 date=format_date(found.protocol_due)), \
        inline([[(_("The protocol is posted"),
                  CalibrationCb(id=found.id, action="protocol_posted"))]])


async def calibration_request(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status != "requested":
        return None
    return _("{name} requests a calibration session on the evaluation for {quarter} "
             "(score {score}). Decide and approve the panel by {date} (cl. 20).").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        score=format_score(found.original_score), date=format_date(found.decision_due)), \
        inline([[(_("Review the request"), CalibrationCb(id=found.id, action="review"))]])


async def calibration_member(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status != "voting":
        return None
    return _("You are a member of the calibration session on {name}'s evaluation for "
             "{quarter}. Read the materials and vote by {date}.").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        date=format_date(found.session_due)), inline([[
            (_("Materials"), CalibrationCb(id=found.id, action="materials")),
            (_("Vote"), CalibrationCb(id=found.id, action="vote"))]])


async def calibration_evaluator(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status == "decided":
        return None
    return _("{name} disagrees with your evaluation for {quarter}; the calibration session "
             "is held by {date}. Describe his work briefly and argue your score for the "
             "panel (cl. 23).").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        date=format_date(found.session_due)), inline([[
            (_("Write my argumentation"), CalibrationCb(id=found.id, action="argue")),
            (_("Materials"), CalibrationCb(id=found.id, action="materials"))]])


async def calibration_approved(ctx: Context, message: outbox.Message) -> Rendered:
    found, _sheet = await _calibration(ctx, message)
    if found is None or found.status == "decided":
        return None
    return _("The panel for your calibration session is approved; the session is held by "
             "{date}. You may argue your disagreement in writing (cl. 23).").format(
        date=format_date(found.session_due)), inline([[
            (_("Add my written argument"), CalibrationCb(id=found.id, action="argue"))]])


async def calibration_revote(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status != "voting":
        return None
    return _("No score had a majority: please vote again (round {round}) on {name}'s "
             "evaluation.").format(round=found.round, name=escape(sheet.evaluatee_name)), \
        inline([[(_("Vote"), CalibrationCb(id=found.id, action="vote"))]])


async def calibration_result(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status != "decided":
        return None
    return "\n".join((
        _("The calibration session has decided: your score for {quarter} is <b>{final}</b> "
          "— {grade} (the evaluator's score was {original}).").format(
            quarter=quarter_name(sheet.campaign.quarter),
            final=format_score(found.final_score),
            grade=grade_label(ctx.methodology, sheet.final_grade),
            original=format_score(found.original_score)),
        _("The decision may be appealed under the Administrative Procedural Code of the "
          "Republic of Kazakhstan (cl. 12)."))), None


async def calibration_feedback(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status != "decided" or found.feedback_held_on:
        return None
    rules = ctx.methodology.calibration
    topics = "\n".join(f"• {official(t)}" for t in rules.feedback_topics)
    return "\n".join((
        _("The calibration session set {name}'s score for {quarter} at {final}. Hold a "
          "feedback meeting with him in an open and friendly manner (cl. 24) on:").format(
            name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
            final=format_score(found.final_score)), topics)), \
        inline([[(_("The meeting was held"),
                  CalibrationCb(id=found.id, action="feedback_held"))]])


async def calibration_decided(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status != "decided":
        return None
    return _("The calibration session on {name}'s evaluation has decided: {final}. Thank "
             "you.").format(name=escape(sheet.evaluatee_name),
                            final=format_score(found.final_score)), None


async def calibration_protocol(ctx: Context, message: outbox.Message) -> Rendered:
    found, sheet = await _calibration(ctx, message)
    if found is None or found.status != "decided":
        return None
    async with ctx.db.reading() as conn:
        body = await org.body(conn)
        ids = {*found.members, sheet.evaluator_id}
        names = {r[0]: r[1] for r in await conn.execute_fetchall(
            f"SELECT id, full_name FROM servant WHERE id IN ({','.join('?' * len(ids))})",
            tuple(ids))}
        votes = await calibrations.all_votes(conn, found.id)
    rounds = tuple(
        (number, tuple((names[member], score) for r, member, score in votes if r == number))
        for number in sorted({r for r, _m, _s in votes}))
    content = render_protocol(ProtocolFacts(
        body=body.name, servant=sheet.evaluatee_name, position=sheet.evaluatee_position,
        quarter=(sheet.campaign.quarter.year, sheet.campaign.quarter.number),
        requested_on=found.requested_on, decided_on=found.decided_on,
        original=found.original_score, final=found.final_score,
        members=tuple(names[m] for m in found.members),
        evaluator=names[sheet.evaluator_id], evaluator_argument=found.evaluator_argument,
        appellant_argument=found.appellant_argument, statement=found.statement,
        rounds=rounds))
    return Document(content, f"protocol-calibration-{found.id}.pdf", _(
        "Protocol of the calibration session on {name}'s evaluation for {quarter}. Post it "
        "by {date} (cl. 23).").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
        date=format_date(found.protocol_due)),
        inline([[(_("The protocol is posted"),
                  CalibrationCb(id=found.id, action="protocol_posted"))]]))


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.CALIBRATION_WINDOW: NoticeRenderer(calibration_window),
    NoticeKind.CALIBRATION_SESSION_DUE: NoticeRenderer(calibration_session_due),
    NoticeKind.CALIBRATION_PROTOCOL_DUE: NoticeRenderer(calibration_protocol_due),
    NoticeKind.CALIBRATION_REQUEST: NoticeRenderer(calibration_request),
    NoticeKind.CALIBRATION_MEMBER: NoticeRenderer(calibration_member),
    NoticeKind.CALIBRATION_EVALUATOR: NoticeRenderer(calibration_evaluator),
    NoticeKind.CALIBRATION_APPROVED: NoticeRenderer(calibration_approved),
    NoticeKind.CALIBRATION_REVOTE: NoticeRenderer(calibration_revote),
    NoticeKind.CALIBRATION_RESULT: NoticeRenderer(calibration_result),
    NoticeKind.CALIBRATION_FEEDBACK: NoticeRenderer(calibration_feedback),
    NoticeKind.CALIBRATION_DECIDED: NoticeRenderer(calibration_decided),
    NoticeKind.CALIBRATION_PROTOCOL: NoticeRenderer(calibration_protocol),
}
