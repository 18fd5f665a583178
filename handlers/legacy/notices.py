"""Messages this feature starts, rendered when the outbox worker sends them: the review awaits
the superior manager, a member's ballot, the decision for the servant and for the secretary."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import LegacyAction, LegacyCb
from handlers.common.keyboards import inline
from handlers.common.notices import NoticeRenderer, Rendered
from services import legacy
from services.context import Context
from services.legacy import APPROVE, ReviewStatus
from services.notices import Notice, NoticeKind

from .views import grade_label, options_text, result_text


async def _review(ctx: Context, message: Notice, status: ReviewStatus) -> legacy.Review | None:
    """The notice's review while it is still where the notice was about."""
    review = await legacy.review(ctx, message.payload["review"])
    return review if review is not None and review.status is status else None


async def legacy_review(ctx: Context, message: Notice) -> Rendered:
    review = await _review(ctx, message, ReviewStatus.SUBMITTED)
    if review is None:
        return None
    return _("The annual review of {name} for {year} awaits your agreement.").format(
        name=escape(review.servant_name), year=review.year), \
        inline([[(_("Open the review"), LegacyCb(id=review.id, action=LegacyAction.REVIEW))]])


async def legacy_vote(ctx: Context, message: Notice) -> Rendered:
    """A voter's ballot for the review's round (an older round's ballot is not sent)."""
    review = await _review(ctx, message, ReviewStatus.AGREED)
    round_no = message.payload.get("round", 1)
    if review is None or round_no != review.vote_round:
        return None
    name, methodology = escape(review.servant_name), ctx.methodology
    options = legacy.ballot(ctx, review)
    if round_no == 1:
        text = _("Commission: the annual result of {name} for {year} is “{grade}”. Approve it, "
                 "or vote for another result (an open vote).").format(
            name=name, year=review.year, grade=grade_label(methodology, review.grade))
    else:
        text = _("Commission, round {n} of the vote on {name} for {year}: no option had a "
                 "majority of the votes cast (cl. 33); vote again: {options}.").format(
            n=round_no, name=name, year=review.year,
            options=options_text(methodology, review, options))
    return text, inline([[(_("Approve") if option == APPROVE else _("Revise: {grade}").format(
        grade=grade_label(methodology, option)), LegacyCb(
            id=review.id, action=LegacyAction.VOTE, index=round_no, value=option))]
        for option in options])


async def legacy_result(ctx: Context, message: Notice) -> Rendered:
    result = await legacy.decided_result(ctx, message.payload["review"])
    if result is None:
        return None
    review_id = result.review.id
    return result_text(ctx.methodology, result), \
        inline([[(_("I have read it"), LegacyCb(id=review_id, action=LegacyAction.ACQUAINT)),
                 (_("I refuse to sign"), LegacyCb(id=review_id, action=LegacyAction.REFUSE))]])


async def legacy_decided(ctx: Context, message: Notice) -> Rendered:
    review = await _review(ctx, message, ReviewStatus.DECIDED)
    if review is None:
        return None
    text = _("Commission {year}: {name} — “{grade}”.").format(
        year=review.year, name=escape(review.servant_name),
        grade=grade_label(ctx.methodology, review.final_grade))
    if review.final_grade != review.grade:
        text += " " + _("Revised (the evaluator's was “{grade}”).").format(
            grade=grade_label(ctx.methodology, review.grade))
    return text + "\n" + _("Record the commission's recommendation for the protocol, if "
                           "it made one."), \
        inline([[(_("Add a recommendation"),
                  LegacyCb(id=review.id, action=LegacyAction.RECOMMEND))],
                [(_("The protocol (PDF)"),
                  LegacyCb(id=review.year, action=LegacyAction.PROTOCOL))]])


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.LEGACY_REVIEW: NoticeRenderer(legacy_review),
    NoticeKind.LEGACY_VOTE: NoticeRenderer(legacy_vote),
    NoticeKind.LEGACY_RESULT: NoticeRenderer(legacy_result),
    NoticeKind.LEGACY_DECIDED: NoticeRenderer(legacy_decided),
}
