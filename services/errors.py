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
    LEGACY_NOT_RECORDER = "legacy_not_recorder"
    LEGACY_RECOMMENDATION_TOO_LONG = "legacy_recommendation_too_long"
    LEGACY_PROTOCOL_NOT_YOURS = "legacy_protocol_not_yours"
    LEGACY_NOTHING_DECIDED = "legacy_nothing_decided"


class Rejected(Exception):
    """The user may not do this now; nothing was changed. ``detail`` carries what the
    message needs (a limit, a length, the current state)."""

    def __init__(self, reason: Reason, **detail: object) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detail = detail
