"""The result, delivered when the evaluator submits the sheet."""

from __future__ import annotations

from datetime import datetime

from handlers.common.notices import NoticeRenderer, Rendered
from services import evaluation, results
from services.context import Context
from services.notices import Notice, NoticeKind

from .views import result_view


async def result(ctx: Context, message: Notice) -> Rendered:
    found = await results.result_for_notice(ctx, message.payload["sheet"])
    return result_view(found, ctx.methodology) if found else None


async def _delivered(ctx: Context, message: Notice, sent_at: datetime) -> None:
    await evaluation.mark_result_delivered(ctx, message.payload["sheet"], sent_at)


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.RESULT: NoticeRenderer(result, after_sent=_delivered),
}
