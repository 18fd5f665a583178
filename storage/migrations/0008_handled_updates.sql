-- Updates whose state change was committed: a duplicate delivery (Telegram re-sends after a
-- timeout, or the offset was not confirmed before a crash) is skipped instead of handled again.
CREATE TABLE handled_update (
    update_id INTEGER PRIMARY KEY,
    handled_at TEXT NOT NULL
);
