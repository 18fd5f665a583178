"""Every kind of message the bot starts. A use case enqueues a kind; the handlers register one
renderer per kind, and the app refuses to start if any kind has none."""

from __future__ import annotations

from enum import StrEnum

from storage.outbox import Message as Notice  # an outbox row: a notice to send


class NoticeKind(StrEnum):
    # the quarterly evaluation
    CAMPAIGN_OPENED = "campaign_opened"
    DEADLINE_REMINDER = "deadline_reminder"
    HANDOVER = "handover"
    RESULT = "result"
    ANNUAL = "annual"
    ANNUAL_MISSING = "annual_missing"
    HR_DIGEST = "hr_digest"
    # calibration sessions
    CALIBRATION_WINDOW = "calibration_window"
    CALIBRATION_REQUEST = "calibration_request"
    CALIBRATION_MEMBER = "calibration_member"
    CALIBRATION_EVALUATOR = "calibration_evaluator"
    CALIBRATION_APPROVED = "calibration_approved"
    CALIBRATION_REVOTE = "calibration_revote"
    CALIBRATION_RESULT = "calibration_result"
    CALIBRATION_FEEDBACK = "calibration_feedback"
    CALIBRATION_DECIDED = "calibration_decided"
    CALIBRATION_PROTOCOL = "calibration_protocol"
    CALIBRATION_SESSION_DUE = "calibration_session_due"
    CALIBRATION_PROTOCOL_DUE = "calibration_protocol_due"
    # surveys
    SURVEY_INVITATION = "survey_invitation"
    SURVEY_REMINDER = "survey_reminder"
    SURVEY_REPORT = "survey_report"
    SURVEY_RESULTS = "survey_results"
    # KPI work plans
    KPI_ACTUALS = "kpi_actuals"
    KPI_PLAN_SUBMITTED = "kpi_plan_submitted"
    KPI_PLAN_DECIDED = "kpi_plan_decided"
    # the older model
    LEGACY_REVIEW = "legacy_review"
    LEGACY_VOTE = "legacy_vote"
    LEGACY_RESULT = "legacy_result"
    LEGACY_DECIDED = "legacy_decided"


__all__ = ["Notice", "NoticeKind"]
