"""Callback data factories; the prefix carries a version so old buttons never misparse."""

from aiogram.filters.callback_data import CallbackData


class MenuCb(CallbackData, prefix="m1"):
    action: str


class LanguageCb(CallbackData, prefix="l1"):
    code: str


class SheetCb(CallbackData, prefix="e1"):
    """An evaluator's action on a sheet; ``index`` is the parameter, ``value`` a score."""

    sheet: int
    action: str  # open | go | score | exact | comment | summary | submit | confirm | handover
    index: int = 0
    value: str = ""


class ResultCb(CallbackData, prefix="r1"):
    """A servant's action on his result."""

    sheet: int
    action: str  # view | ack | calibrate


class CalibrationCb(CallbackData, prefix="k1"):
    """An action in a calibration session; ``value`` is a score for votes."""

    id: int
    action: str  # send | review | approve | change | materials | vote | keep | other |
    #              argue | protocol_posted | feedback_held
    value: str = ""


class CampaignCb(CallbackData, prefix="c1"):
    """HR's campaign actions; ``period`` is 2026Q1 or a year."""

    action: str  # open | progress | export | annual | annual_export
    period: str = ""


class SurveyCb(CallbackData, prefix="v1"):
    """Survey actions: ``id`` is an invitation (respondent), a target or a survey (HR)."""

    id: int
    action: str  # go | answer | review | submit | report | adjust | start | close | export
    index: int = 0
    value: str = ""


class PlanCb(CallbackData, prefix="p1"):
    """KPI work plan actions; ``id`` is a plan (or a servant for ``create``)."""

    id: int
    action: str  # create | view | add | drop | submit | approve | return | actuals
    value: str = ""


class LegacyCb(CallbackData, prefix="g1"):
    """The older model's year-end review and commission; ``id`` is a review or a year."""

    id: int
    action: str  # open_year | review | kpi | toggle | next | submit | agree | return |
    #              commission | attendance | vote | acquaint | refuse | recommend | protocol
    index: int = 0
    value: str = ""
