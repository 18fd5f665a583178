-- Quarterly evaluation: campaigns, sheets, answers, who is not evaluated and why, annual scores.

CREATE TABLE campaign (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    quarter     INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    methodology TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    deadline    TEXT NOT NULL,                   -- the last day (cl. 5, moved off days off)
    closed_at   TEXT,
    UNIQUE (year, quarter)
);

CREATE TABLE sheet (
    id                    INTEGER PRIMARY KEY,
    campaign_id           INTEGER NOT NULL REFERENCES campaign(id),
    evaluatee_id          INTEGER NOT NULL REFERENCES servant(id),
    evaluator_id          INTEGER NOT NULL REFERENCES servant(id),  -- who fills it in now
    routed_evaluator_id   INTEGER NOT NULL REFERENCES servant(id),  -- whom cl. 17 names
    form                  TEXT NOT NULL,
    route_clause          TEXT NOT NULL,
    without_participation INTEGER NOT NULL DEFAULT 0,
    sanctions             TEXT NOT NULL DEFAULT '[]',  -- sanction codes of the quarter (JSON)
    status                TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'submitted')),
    position              INTEGER NOT NULL DEFAULT 0,  -- the parameter the evaluator is on
    average               TEXT,
    grade                 TEXT,
    submitted_at          TEXT,
    delivered_at          TEXT,                  -- Telegram accepted the result message
    acknowledged_at       TEXT,                  -- the servant pressed "I have read it"
    final_average         TEXT,                  -- after calibration; replaces average
    final_grade           TEXT,
    UNIQUE (campaign_id, evaluatee_id)
);
CREATE INDEX sheet_evaluator ON sheet(evaluator_id, status);
CREATE INDEX sheet_evaluatee ON sheet(evaluatee_id);

CREATE TABLE answer (
    sheet_id    INTEGER NOT NULL REFERENCES sheet(id) ON DELETE CASCADE,
    parameter   TEXT NOT NULL,
    ordinal     INTEGER NOT NULL,                -- the parameter's place in the form, from 0
    score       TEXT NOT NULL,
    comment     TEXT,
    answered_at TEXT NOT NULL,
    answered_by TEXT NOT NULL,
    PRIMARY KEY (sheet_id, parameter)
) WITHOUT ROWID;

-- A submitted sheet never changes; saving an answer moves the evaluator on and is audited,
-- all inside the one statement that saves it.
CREATE TRIGGER answer_only_while_pending_insert BEFORE INSERT ON answer
WHEN (SELECT status FROM sheet WHERE id = NEW.sheet_id) != 'pending'
BEGIN SELECT RAISE(ABORT, 'the sheet is submitted'); END;
CREATE TRIGGER answer_only_while_pending_update BEFORE UPDATE ON answer
WHEN (SELECT status FROM sheet WHERE id = NEW.sheet_id) != 'pending'
BEGIN SELECT RAISE(ABORT, 'the sheet is submitted'); END;
CREATE TRIGGER answer_saved AFTER INSERT ON answer
BEGIN
    UPDATE sheet SET position = NEW.ordinal + 1 WHERE id = NEW.sheet_id;
    INSERT INTO audit (at, actor, action, subject, after) VALUES (
        NEW.answered_at, NEW.answered_by, 'sheet.answer',
        'sheet:' || NEW.sheet_id || ':' || NEW.parameter, json_quote(NEW.score));
END;
CREATE TRIGGER answer_changed AFTER UPDATE OF score ON answer
BEGIN
    UPDATE sheet SET position = NEW.ordinal + 1 WHERE id = NEW.sheet_id;
    INSERT INTO audit (at, actor, action, subject, before, after) VALUES (
        NEW.answered_at, NEW.answered_by, 'sheet.answer',
        'sheet:' || NEW.sheet_id || ':' || NEW.parameter, json_quote(OLD.score),
        json_quote(NEW.score));
END;

CREATE TABLE exclusion (
    campaign_id INTEGER NOT NULL REFERENCES campaign(id),
    servant_id  INTEGER NOT NULL REFERENCES servant(id),
    reason      TEXT NOT NULL,
    PRIMARY KEY (campaign_id, servant_id)
);

CREATE TABLE annual_score (
    year        INTEGER NOT NULL,
    servant_id  INTEGER NOT NULL REFERENCES servant(id),
    average     TEXT NOT NULL,
    grade       TEXT NOT NULL,
    quarters    INTEGER NOT NULL,
    formed_at   TEXT NOT NULL,
    notified_at TEXT,
    PRIMARY KEY (year, servant_id)
);
