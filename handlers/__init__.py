"""aiogram routers, one package per feature: parse the update, authorise, call a use case,
render the answer."""

from collections.abc import Mapping

from aiogram import Router

from services.context import Context
from services.jobs import Job, JobKind
from services.notices import NoticeKind

from . import calibration, campaign, evaluation, hr, kpi_plans, legacy, results, start, surveys
from .common import fallback
from .common.notices import NoticeRenderer
from .start import language


def get_routers() -> list[Router]:
    """Fresh routers, in the order they are tried; the fallback comes last."""
    return [start.create_router(), language.create_router(), evaluation.create_router(),
            results.create_router(), calibration.create_router(), hr.create_router(),
            campaign.create_router(), surveys.create_router(), kpi_plans.create_router(),
            legacy.create_router(),
            fallback.create_router()]


def get_notice_registries() -> list[Mapping[NoticeKind, NoticeRenderer]]:
    """Every feature's notice renderers (checked for completeness when the app starts)."""
    return [evaluation.NOTICES, results.NOTICES, campaign.NOTICES, calibration.NOTICES,
            surveys.NOTICES, kpi_plans.NOTICES, legacy.NOTICES, hr.NOTICES]


def resume_job(context: Context, job: Job) -> None:
    """Start again a job a restart interrupted (in the caller's language context)."""
    if job.kind == JobKind.ROSTER:
        hr.start_import(context, job.id)
    else:
        campaign.start_export(context, job.id)
