"""Why a use case refused: one exception type with a reason the handlers put into words."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    SHEET_NOT_YOURS = "sheet_not_yours"
    RESULT_NOT_YOURS = "result_not_yours"
    CAMPAIGN_CLOSED = "campaign_closed"
    ALREADY_SUBMITTED = "already_submitted"
    OUT_OF_DATE = "out_of_date"
    INCOMPLETE = "incomplete"
    SCORE_FIRST = "score_first"
    NOT_A_COLLEAGUE = "not_a_colleague"
    COMMENT_TOO_LONG = "comment_too_long"
    # surveys
    SURVEY_NOT_YOURS = "survey_not_yours"
    SURVEY_SUBMITTED = "survey_submitted"
    SURVEY_CLOSED = "survey_closed"
    SURVEY_INCOMPLETE = "survey_incomplete"
    REPORT_NOT_YOURS = "report_not_yours"
    REPORT_WITHHELD = "report_withheld"
    UNKNOWN_PERSONNEL_NUMBERS = "unknown_personnel_numbers"
    RESPONDENTS_OUT_OF_RANGE = "respondents_out_of_range"
    RESPONDENTS_FIXED = "respondents_fixed"
    RESPONDENTS_MISSING = "respondents_missing"
    SURVEY_STARTED = "survey_started"


class Rejected(Exception):
    """The user may not do this now; nothing was changed. ``detail`` carries what the
    message needs (a limit, a length, the current state)."""

    def __init__(self, reason: Reason, **detail: object) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detail = detail
