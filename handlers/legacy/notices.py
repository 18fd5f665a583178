"""Messages this feature starts, rendered when the outbox worker sends them."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import LegacyCb
from handlers.common.keyboards import inline
from handlers.common.notices import NoticeRenderer, Rendered
from handlers.common.render import official
from handlers.legacy.router import result_text as legacy_result_text
from services.context import Context
from services.notices import NoticeKind
from storage import legacy as legacy_store
from storage import outbox


async def _legacy(ctx: Context, message: outbox.Message):
    async with ctx.db.reading() as conn:
        return await legacy_store.review(conn, message.payload["review"])


async def legacy_review(ctx: Context, message: outbox.Message) -> Rendered:
    review = await _legacy(ctx, message)
    if review is None or review.status != "submitted":
        return None
    return _("The annual review of {name} for {year} awaits your agreement.").format(
        name=escape(review.servant_name), year=review.year), \
        inline([[(_("Open the review"), LegacyCb(id=review.id, action="review"))]])


async def legacy_vote(ctx: Context, message: outbox.Message) -> Rendered:
    review = await _legacy(ctx, message)
    if review is None or review.status != "agreed":
        return None
    grades = ctx.methodology.kpi_plan.grades
    label = {g.code: official(g.label) for g in grades}
    return _("Commission: the annual result of {name} for {year} is “{grade}”. Approve it, "
             "or vote for another result (an open vote).").format(
        name=escape(review.servant_name), year=review.year, grade=label[review.grade]), \
        inline([[(_("Approve"), LegacyCb(id=review.id, action="vote", value="approve"))]] + [
            [(_("Revise: {grade}").format(grade=label[g.code]),
              LegacyCb(id=review.id, action="vote", value=g.code))]
            for g in grades if g.code != review.grade])


async def legacy_result(ctx: Context, message: outbox.Message) -> Rendered:
    review = await _legacy(ctx, message)
    if review is None or review.status != "decided":
        return None
    return legacy_result_text(ctx.methodology, review, ctx.calendar,
                              ctx.clock.today()), \
        inline([[(_("I have read it"), LegacyCb(id=review.id, action="acquaint")),
                 (_("I refuse to sign"), LegacyCb(id=review.id, action="refuse"))]])


async def legacy_decided(ctx: Context, message: outbox.Message) -> Rendered:
    review = await _legacy(ctx, message)
    if review is None or review.status != "decided":
        return None
    label = {g.code: official(g.label) for g in ctx.methodology.kpi_plan.grades}
    text = _("Commission {year}: {name} — “{grade}”.").format(
        year=review.year, name=escape(review.servant_name), grade=label[review.final_grade])
    if review.final_grade != review.grade:
        text += " " + _("Revised (the evaluator's was “{grade}”).").format(
            grade=label[review.grade])
    return text + "\n" + _("Record the commission's recommendation for the protocol, if "
                           "it made one."), \
        inline([[(_("Add a recommendation"), LegacyCb(id=review.id, action="recommend"))],
                [(_("The protocol (PDF)"), LegacyCb(id=review.year, action="protocol"))]])


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.LEGACY_REVIEW: NoticeRenderer(legacy_review),
    NoticeKind.LEGACY_VOTE: NoticeRenderer(legacy_vote),
    NoticeKind.LEGACY_RESULT: NoticeRenderer(legacy_result),
    NoticeKind.LEGACY_DECIDED: NoticeRenderer(legacy_decided),
}
