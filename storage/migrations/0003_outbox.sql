-- Every message the bot starts goes through the outbox, enqueued in the transaction of the
-- change that causes it; a worker sends it under Telegram's limits and marks it sent only once
-- Telegram accepted it.

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,                  -- what to render: result, reminder, digest, …
    subject      TEXT NOT NULL,                  -- what it is about: "sheet:12", "campaign:3"
    recipient_id INTEGER NOT NULL REFERENCES servant(id),
    due_on       TEXT NOT NULL,                  -- the day it is for (one reminder per day)
    payload      TEXT NOT NULL DEFAULT '{}',     -- parameters for rendering at send time
    not_before   TEXT NOT NULL,                  -- UTC; quiet hours and retry_after push it on
    attempts     INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sent', 'unreachable', 'dropped', 'failed')),
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    last_error   TEXT,
    UNIQUE (kind, subject, recipient_id, due_on)
);
CREATE INDEX outbox_due ON outbox(status, not_before);
