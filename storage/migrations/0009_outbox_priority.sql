-- Notices a person's action caused (a result, a calibration step, a vote) go before the bulk
-- ones the scheduler or a mass launch enqueues (openings, reminders, digests, invitations):
-- 0 = interactive, 1 = bulk. The sender reads the queue in (priority, due time) order.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0 CHECK (priority IN (0, 1));
UPDATE outbox SET priority = 1 WHERE kind IN (
    'campaign_opened', 'deadline_reminder', 'hr_digest', 'annual', 'annual_missing',
    'calibration_window', 'calibration_session_due', 'calibration_protocol_due',
    'survey_invitation', 'survey_reminder', 'kpi_actuals');
CREATE INDEX outbox_next ON outbox(status, priority, not_before);
