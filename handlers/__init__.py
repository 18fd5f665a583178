"""aiogram routers: parse the update, call storage and scoring, render the answer."""

from aiogram import Router

from . import (
    calibration,
    campaign,
    evaluation,
    fallback,
    hr,
    kpi_plans,
    language,
    legacy,
    results,
    start,
    surveys,
)


def get_routers() -> list[Router]:
    """Fresh routers, in the order they are tried; the fallback comes last."""
    return [start.create_router(), language.create_router(), evaluation.create_router(),
            results.create_router(), calibration.create_router(), hr.create_router(),
            campaign.create_router(), surveys.create_router(), kpi_plans.create_router(),
            legacy.create_router(),
            fallback.create_router()]
