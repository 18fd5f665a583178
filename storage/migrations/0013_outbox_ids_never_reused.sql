-- An outbox id is never given again once its row is deleted (a closed survey's unsent
-- reminders, the retention purge): the worker settles a message by its id, and a reused id
-- would settle a newer message instead. AUTOINCREMENT needs the table rebuilt.
CREATE TABLE outbox_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
    priority     INTEGER NOT NULL DEFAULT 0 CHECK (priority IN (0, 1)),
    UNIQUE (kind, subject, recipient_id, due_on)
);
INSERT INTO outbox_new (id, kind, subject, recipient_id, due_on, payload, not_before, attempts,
                        status, created_at, sent_at, last_error, priority)
    SELECT id, kind, subject, recipient_id, due_on, payload, not_before, attempts, status,
           created_at, sent_at, last_error, priority FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, not_before);
CREATE INDEX outbox_next ON outbox(status, priority, not_before);
