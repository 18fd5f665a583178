-- The organisation, Telegram accounts, invitations, conversation state and the audit log.

CREATE TABLE body (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    methodology TEXT NOT NULL
);

CREATE TABLE unit (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL UNIQUE,          -- "Department / Division", the roster's unit column
    name      TEXT NOT NULL,
    parent_id INTEGER REFERENCES unit(id)
);

CREATE TABLE servant (
    id                   INTEGER PRIMARY KEY,
    personnel_no         TEXT NOT NULL UNIQUE,   -- HR's key for the person across imports
    full_name            TEXT NOT NULL,
    position             TEXT NOT NULL,
    category             TEXT NOT NULL,
    managerial           INTEGER NOT NULL CHECK (managerial IN (0, 1)),
    unit_head            INTEGER NOT NULL CHECK (unit_head IN (0, 1)),
    unit_id              INTEGER REFERENCES unit(id),
    supervisor_id        INTEGER REFERENCES servant(id),
    appointed_on         TEXT NOT NULL,          -- ISO dates
    dismissed_on         TEXT,
    phone                TEXT,                   -- digits only, 7XXXXXXXXXX
    language             TEXT CHECK (language IN ('kk', 'ru', 'en')),
    is_hr                INTEGER NOT NULL DEFAULT 0 CHECK (is_hr IN (0, 1)),
    is_appointing        INTEGER NOT NULL DEFAULT 0 CHECK (is_appointing IN (0, 1)),
    public_services      INTEGER NOT NULL DEFAULT 0 CHECK (public_services IN (0, 1))
);
CREATE INDEX servant_supervisor ON servant(supervisor_id);
CREATE INDEX servant_unit ON servant(unit_id);
CREATE INDEX servant_phone ON servant(phone);

CREATE TABLE absence (
    id            INTEGER PRIMARY KEY,
    servant_id    INTEGER NOT NULL REFERENCES servant(id) ON DELETE CASCADE,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    substitute_id INTEGER REFERENCES servant(id),
    UNIQUE (servant_id, starts_on, kind)
);

CREATE TABLE sanction (
    id         INTEGER PRIMARY KEY,
    servant_id INTEGER NOT NULL REFERENCES servant(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('remark', 'reprimand', 'severe_reprimand', 'other')),
    imposed_on TEXT NOT NULL,
    UNIQUE (servant_id, kind, imposed_on)
);

-- A Telegram user the bot has met; bound to at most one servant, a servant to one account.
CREATE TABLE account (
    telegram_id    INTEGER PRIMARY KEY,
    servant_id     INTEGER UNIQUE REFERENCES servant(id),
    language       TEXT CHECK (language IN ('kk', 'ru', 'en')),  -- chosen with /language
    telegram_language TEXT,                      -- his Telegram app's, for messages the bot starts
    bound_at       TEXT,
    unreachable_at TEXT                          -- the user blocked the bot
);

CREATE TABLE invite (
    id         INTEGER PRIMARY KEY,
    servant_id INTEGER NOT NULL REFERENCES servant(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,             -- sha256 of the token; the token is never stored
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    revoked_at TEXT
);
CREATE INDEX invite_servant ON invite(servant_id);

-- aiogram FSM: one row per StorageKey (bot, chat, user, thread, business connection, destiny).
CREATE TABLE fsm (
    key   TEXT PRIMARY KEY,
    state TEXT,
    data  TEXT NOT NULL DEFAULT '{}'
);

-- Append-only: who did what, when, and the values before and after where they matter.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,                       -- "servant:12", "telegram:555", "cli", "system"
    action  TEXT NOT NULL,
    subject TEXT,
    before  TEXT,
    after   TEXT
);
CREATE INDEX audit_at ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN (SELECT purging FROM retention_guard) = 0
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Set to 1 only inside the retention purge's transaction.
CREATE TABLE retention_guard (purging INTEGER NOT NULL CHECK (purging IN (0, 1)));
INSERT INTO retention_guard VALUES (0);
