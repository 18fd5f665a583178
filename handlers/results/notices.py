"""Messages this feature starts, rendered when the outbox worker sends them."""

from __future__ import annotations

from datetime import datetime

from handlers.common.notices import NoticeRenderer, Rendered
from handlers.results.views import result_screen
from services import evaluation as evaluation_service
from services.context import Context
from services.notices import NoticeKind
from storage import outbox


async def result(ctx: Context, message: outbox.Message) -> Rendered:
    sheet = await evaluation_service.sheet(ctx, message.payload["sheet"])
    if sheet is None or sheet.status != "submitted":
        return None
    return await result_screen(ctx.db, sheet, ctx.methodology, ctx.clock,
                               ctx.calendar)


async def _delivered(ctx: Context, message: outbox.Message, sent_at: datetime) -> None:
    await evaluation_service.mark_result_delivered(ctx, message.payload["sheet"], sent_at)


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.RESULT: NoticeRenderer(result, after_sent=_delivered),
}
