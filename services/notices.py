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
    SUBSTITUTION = "substitution"
    RESULT = "result"
    ANNUAL = "annual"
    ANNUAL_MISSING = "annual_missing"
    ANNUAL_FORMED = "annual_formed"
    HR_DIGEST = "hr_digest"
    CALENDAR_UNSETTLED = "calendar_unsettled"
    HR_FILE = "hr_file"  # a workbook a background job made (an export)
    HR_JOB = "hr_job"  # a background job's answer in words (a roster import)
    # calibration sessions
    CALIBRATION_WINDOW = "calibration_window"
    CALIBRATION_REQUEST = "calibration_request"
    CALIBRATION_MEMBER = "calibration_member"
    CALIBRATION_EVALUATOR = "calibration_evaluator"
    CALIBRATION_APPROVED = "calibration_approved"
    CALIBRATION_REVOTE = "calibration_revote"
    CALIBRATION_VOTING_OPEN = "calibration_voting_open"  # both arguments in, or their time up
    CALIBRATION_RESULT = "calibration_result"
    CALIBRATION_FEEDBACK = "calibration_feedback"
    CALIBRATION_FEEDBACK_OVERDUE = "calibration_feedback_overdue"  # to HR, once (cl. 24)
    CALIBRATION_DECIDED = "calibration_decided"
    CALIBRATION_PROTOCOL = "calibration_protocol"
    CALIBRATION_SESSION_DUE = "calibration_session_due"
    CALIBRATION_OVERDUE = "calibration_overdue"  # the session deadline passed (cl. 21), once
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

    @property
    def priority(self) -> int:
        """0 for a notice someone's action caused and someone may be waiting for; 1 for the
        bulk the scheduler or a mass launch enqueues, which yields to the former."""
        return 1 if self in BULK else 0


BULK = frozenset({
    NoticeKind.CAMPAIGN_OPENED, NoticeKind.DEADLINE_REMINDER, NoticeKind.HR_DIGEST,
    NoticeKind.ANNUAL, NoticeKind.ANNUAL_MISSING, NoticeKind.CALIBRATION_WINDOW,
    NoticeKind.CALIBRATION_SESSION_DUE, NoticeKind.CALIBRATION_PROTOCOL_DUE,
    NoticeKind.SURVEY_INVITATION, NoticeKind.SURVEY_REMINDER, NoticeKind.KPI_ACTUALS,
    NoticeKind.CALENDAR_UNSETTLED, NoticeKind.ANNUAL_FORMED,
})


__all__ = ["BULK", "Notice", "NoticeKind"]
