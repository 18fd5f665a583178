"""The answers of HR's background jobs, rendered when the outbox sends them: a roster file's
import report or the rows to fix, or a job that failed; each replaces its "preparing…"
message."""

from __future__ import annotations

from handlers.campaign.views import export_failed
from handlers.common.notices import Edit, NoticeRenderer, Rendered
from services import jobs
from services.context import Context
from services.jobs import JobKind, JobStatus
from services.notices import Notice, NoticeKind
from services.roster import ImportReport, RowError

from . import views


async def hr_job(ctx: Context, message: Notice) -> Rendered:
    job = await jobs.get(ctx, message.payload["job"])
    if job is None:
        return None
    if job.kind == JobKind.EXPORT:
        text = export_failed()
    elif job.status == JobStatus.FAILED:
        text = views.import_failed(job.subject)
    elif "errors" in job.result:
        text = views.rejection([RowError(**e) for e in job.result["errors"]])
    else:
        text = "\n".join(views.imported(ImportReport(**job.result["report"])))
    return Edit(job.message_id, text) if job.message_id else (text, None)


NOTICES = {NoticeKind.HR_JOB: NoticeRenderer(hr_job)}
