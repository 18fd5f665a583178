"""Messages this feature starts, rendered when the outbox worker sends them."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import SurveyAction, SurveyCb
from handlers.common.keyboards import inline
from handlers.common.notices import NoticeRenderer, Rendered
from handlers.common.render import format_date
from services import surveys
from services.context import Context
from services.notices import Notice, NoticeKind
from services.surveys import RespondentRole, SurveyKind


async def survey_invitation(ctx: Context, message: Notice) -> Rendered:
    pending = await surveys.pending_invitation(ctx, message.payload["invitation"])
    if pending is None:
        return None
    invitation, count = pending.invitation, pending.questions
    if invitation.survey.kind != SurveyKind.SURVEY_360:
        text = _("You are invited to the anonymous working-conditions survey ({n} "
                 "questions, a few minutes) by {date}. Nobody can see what you answer: "
                 "answers are only counted.")
    elif invitation.role == RespondentRole.SELF:
        text = _("Please assess yourself for the 360 survey ({n} statements, about "
                 "{minutes} minutes) by {date}. Your self-assessment is shown beside your "
                 "colleagues' answers but does not count.")
    else:
        text = _("You are invited to the anonymous 360 survey about {name} ({n} statements, "
                 "about {minutes} minutes) by {date}. Your answers are only added to totals: "
                 "nobody — not HR, not {name} — can see what you answered.")
    return text.format(n=count, minutes=max(count // 4, 2), name=escape(
        invitation.subject_name), date=format_date(invitation.survey.closes_on)), \
        inline([[(_("Begin"), SurveyCb(id=invitation.id, action=SurveyAction.GO,
                                       index=invitation.position))]])


async def survey_reminder(ctx: Context, message: Notice) -> Rendered:
    pending = await surveys.pending_invitation(ctx, message.payload["invitation"])
    if pending is None:
        return None
    invitation = pending.invitation
    return _("A reminder: the survey closes on {date}. Your answers stay anonymous.").format(
        date=format_date(invitation.survey.closes_on)), \
        inline([[(_("Continue"), SurveyCb(id=invitation.id, action=SurveyAction.GO,
                                          index=invitation.position))]])


async def survey_report(ctx: Context, message: Notice) -> Rendered:
    return _("Your 360 report is ready: each competency's average from your colleagues, "
             "your self-assessment beside it and the radar chart."), \
        inline([[(_("My 360 report"), SurveyCb(id=message.payload["target"],
                                               action=SurveyAction.REPORT))]])


async def survey_results(ctx: Context, message: Notice) -> Rendered:
    """To the personnel service, when a survey closed by itself on its date."""
    return _("A survey closed on its date; its counts (and results, for whom the methodology "
             "lets read them) are in /surveys."), \
        inline([[(_("Results"), SurveyCb(id=message.payload["survey"],
                                         action=SurveyAction.RESULTS))]])


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.SURVEY_INVITATION: NoticeRenderer(survey_invitation),
    NoticeKind.SURVEY_REMINDER: NoticeRenderer(survey_reminder),
    NoticeKind.SURVEY_REPORT: NoticeRenderer(survey_report),
    NoticeKind.SURVEY_RESULTS: NoticeRenderer(survey_results),
}
