-- HR's heavy work done in the background: a roster file received (kept before it is
-- processed, so a crash resumes it after the restart) or an export being built. The file
-- made is kept here until the outbox has sent it.
CREATE TABLE hr_job (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('roster', 'export')),
    servant_id  INTEGER NOT NULL REFERENCES servant(id),
    language    TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',       -- the file's name, or the campaign exported
    input       BLOB,                           -- the roster file as received
    message_id  INTEGER,                        -- the "preparing…" message to edit
    status      TEXT NOT NULL DEFAULT 'received'       -- its answer is in the outbox once
                CHECK (status IN ('received', 'delivered', 'failed')),  -- delivered or failed
    result      TEXT NOT NULL DEFAULT '{}',     -- what the job found (JSON)
    output_name TEXT,
    output      BLOB,
    created_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX hr_job_unfinished ON hr_job(status) WHERE status = 'received';
