"""Callback data factories; the prefix carries a version so old buttons never misparse.

Actions are enums (aiogram packs an Enum by its value, so the packed strings are unchanged) and
ids are bounded: a forged or stale button fails to parse and reaches the fallback, which says the
button is out of date, instead of a handler.
"""

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

Id = Annotated[int, Field(ge=0, lt=2**53)]  # any row id; never overflows SQLite's integer


class MenuAction(StrEnum):
    HOME = "home"
    SHEETS = "sheets"
    RESULTS = "results"
    CAMPAIGN = "campaign"
    ROSTER = "roster"
    INVITES = "invites"
    UNBIND = "unbind"
    SURVEYS = "surveys"
    SURVEYS_HR = "surveys_hr"
    ACTUALS = "actuals"
    LANGUAGE = "language"
    HANDOVER = "handover"  # the evaluator's sheets to hand over (cl. 18)


class MenuCb(CallbackData, prefix="m1"):
    action: MenuAction


class LanguageCb(CallbackData, prefix="l1"):
    code: str


class SheetAction(StrEnum):
    OPEN = "open"
    GO = "go"
    SCORE = "score"
    EXACT = "exact"
    COMMENT = "comment"
    SUMMARY = "summary"
    SUBMIT = "submit"
    CONFIRM = "confirm"
    HANDOVER = "handover"


class SheetCb(CallbackData, prefix="e1"):
    """An evaluator's action on a sheet; ``index`` is the parameter, ``value`` a score."""

    sheet: Id
    action: SheetAction
    index: Annotated[int, Field(ge=0, le=99)] = 0
    value: str = ""


class ResultAction(StrEnum):
    VIEW = "view"
    ACK = "ack"
    CALIBRATE = "calibrate"
    SEND_REQUEST = "send_request"


class ResultCb(CallbackData, prefix="r1"):
    """A servant's action on his result."""

    sheet: Id
    action: ResultAction


class CalibrationAction(StrEnum):
    REVIEW = "review"
    CHANGE = "change"
    APPROVE = "approve"
    MATERIALS = "materials"
    ARGUE = "argue"
    VOTE = "vote"
    KEEP = "keep"
    OTHER = "other"
    PROTOCOL_POSTED = "protocol_posted"
    FEEDBACK_HELD = "feedback_held"


class CalibrationCb(CallbackData, prefix="k1"):
    """An action in a calibration session; ``value`` is a score for votes."""

    id: Id
    action: CalibrationAction
    value: str = ""


class CampaignAction(StrEnum):
    OPEN = "open"
    PROGRESS = "progress"
    EXPORT = "export"
    ANNUAL = "annual"
    CLOSE = "close"
    CLOSE_IT = "close_it"


class CampaignCb(CallbackData, prefix="c1"):
    """HR's campaign actions; ``period`` is 2026Q1 or a year."""

    action: CampaignAction
    period: str = ""


class SurveyAction(StrEnum):
    GO = "go"
    ANSWER = "answer"
    SUBMIT = "submit"
    REPORT = "report"
    ADJUST = "adjust"
    START = "start"
    PROGRESS = "progress"
    CLOSE = "close"
    NEW_360 = "new360"
    NEW_WC = "new_wc"
    RESULTS = "results"


class SurveyCb(CallbackData, prefix="v1"):
    """Survey actions: ``id`` is an invitation (respondent), a target or a survey (HR)."""

    id: Id
    action: SurveyAction
    index: Annotated[int, Field(ge=0, le=999)] = 0
    value: str = ""


class PlanAction(StrEnum):
    CREATE = "create"
    VIEW = "view"
    ADD = "add"
    DROP = "drop"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    ACTUALS = "actuals"


class PlanCb(CallbackData, prefix="p1"):
    """KPI work plan actions; ``id`` is a plan (or a servant for ``create``)."""

    id: Id
    action: PlanAction
    value: str = ""


class LegacyAction(StrEnum):
    OPEN_YEAR = "open_year"
    REVIEW = "review"
    KPI = "kpi"
    TOGGLE = "toggle"
    NEXT = "next"
    SUBMIT = "submit"
    AGREE = "agree"
    RETURN = "return"
    COMMISSION = "commission"
    ATTENDANCE = "attendance"
    VOTE = "vote"
    ACQUAINT = "acquaint"
    REFUSE = "refuse"
    RECOMMEND = "recommend"
    PROTOCOL = "protocol"


class LegacyCb(CallbackData, prefix="g1"):
    """The older model's year-end review and commission; ``id`` is a review or a year."""

    id: Id
    action: LegacyAction
    index: Annotated[int, Field(ge=0, le=999)] = 0
    value: str = ""
