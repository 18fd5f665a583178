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
    SCORE_SIGNED = "score_signed"
    SCORE_UNREADABLE = "score_unreadable"
    SCORE_DECIMALS = "score_decimals"
    # calibration
    CALIBRATION_REQUESTED = "calibration_requested"
    CALIBRATION_VOTING_NOT_OPEN = "calibration_voting_not_open"
    CALIBRATION_WINDOW_NOT_STARTED = "calibration_window_not_started"
    CALIBRATION_WINDOW_CLOSED = "calibration_window_closed"
    CALIBRATION_TEXT_TOO_LONG = "calibration_text_too_long"
    CALIBRATION_TOO_MANY_DOCUMENTS = "calibration_too_many_documents"
    CALIBRATION_APPOINTING_ONLY = "calibration_appointing_only"
    CALIBRATION_PANEL_APPROVED = "calibration_panel_approved"
    CALIBRATION_MATERIALS_CLOSED = "calibration_materials_closed"
    CALIBRATION_MEMBERS_ONLY = "calibration_members_only"
    CALIBRATION_VOTING_CLOSED = "calibration_voting_closed"
    CALIBRATION_ROUND_CLOSED = "calibration_round_closed"
    CALIBRATION_HR_ONLY = "calibration_hr_only"
    CALIBRATION_EVALUATOR_ONLY = "calibration_evaluator_only"
    # who in HR reads results (Typical cl. 14, justice cl. 26)
    RESULTS_HR_HEAD_ONLY = "results_hr_head_only"
    # accounts (HR's unlinking)
    NO_SUCH_SERVANT = "no_such_servant"
    # KPI work plans
    NO_KPI_PLANS = "no_kpi_plans"
    PLAN_NOT_YOURS_TO_DRAFT = "plan_not_yours_to_draft"
    NO_KPI_SO_LATE = "no_kpi_so_late"
    PLAN_NOT_AVAILABLE = "plan_not_available"
    PLAN_NOT_EDITABLE = "plan_not_editable"
    PLAN_SIZE = "plan_size"
    PLAN_NOT_AWAITING_YOU = "plan_not_awaiting_you"
    PLAN_NOT_APPROVED = "plan_not_approved"
    # legacy
    LEGACY_NOT_IN_METHODOLOGY = "legacy_not_in_methodology"
    LEGACY_ONLY_HR_OPENS = "legacy_only_hr_opens"
    LEGACY_REVIEW_NOT_YOURS = "legacy_review_not_yours"
    LEGACY_PLAN_NOT_APPROVED = "legacy_plan_not_approved"
    LEGACY_REVIEW_NOT_AWAITING = "legacy_review_not_awaiting"
    LEGACY_ONLY_APPOINTING = "legacy_only_appointing"
    LEGACY_COMMISSION_TOO_SMALL = "legacy_commission_too_small"
    LEGACY_NOT_CLERK = "legacy_not_clerk"
    LEGACY_NO_QUORUM = "legacy_no_quorum"
    LEGACY_VOTE_NOT_OPEN = "legacy_vote_not_open"
    LEGACY_ALREADY_VOTED = "legacy_already_voted"
    LEGACY_BALLOT_REPLACED = "legacy_ballot_replaced"
    LEGACY_NOT_RECORDER = "legacy_not_recorder"
    LEGACY_RECOMMENDATION_TOO_LONG = "legacy_recommendation_too_long"
    LEGACY_PROTOCOL_NOT_YOURS = "legacy_protocol_not_yours"
    LEGACY_NOTHING_DECIDED = "legacy_nothing_decided"
    # surveys
    SURVEY_NOT_YOURS = "survey_not_yours"
    SURVEY_SUBMITTED = "survey_submitted"
    SURVEY_CLOSED = "survey_closed"
    SURVEY_INCOMPLETE = "survey_incomplete"
    REPORT_NOT_YOURS = "report_not_yours"
    REPORT_WITHHELD = "report_withheld"
    REPORT_WITHHELD_FROM_RESPONDENT = "report_withheld_from_respondent"
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
