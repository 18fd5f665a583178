-- Anonymous surveys: 360 competency surveys (justice ch. 4) and the corps "A" working-conditions
-- survey (004 app. 1 app. 7). Anonymity by construction: an answer lives in the respondent's own
-- draft until he submits; submitting adds it to per-statement totals, marks the invitation done
-- and deletes the draft, in one transaction. No table links a respondent to an answer value, and
-- totals carry only a date.

CREATE TABLE survey (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('360', 'working_conditions')),
    year        INTEGER NOT NULL,
    methodology TEXT NOT NULL,
    opened_on   TEXT NOT NULL,
    closes_on   TEXT NOT NULL,
    started_on  TEXT,                            -- invitations sent
    closed_on   TEXT
);

-- Whom a survey is about (the evaluatee; for working conditions, the chief of staff / the body).
CREATE TABLE survey_target (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    subject_id   INTEGER REFERENCES servant(id),
    question_set TEXT NOT NULL,                  -- 360: unit_heads | others; else the survey kind
    others_done  INTEGER NOT NULL DEFAULT 0,     -- non-self responses in the totals
    self_done    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (survey_id, subject_id)
);

-- Who is asked. Once done, nothing here says what he answered.
CREATE TABLE survey_invitation (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES survey_target(id) ON DELETE CASCADE,
    respondent_id INTEGER NOT NULL REFERENCES servant(id),
    role          TEXT NOT NULL CHECK (role IN ('self', 'direct_supervisor', 'subordinate',
                                                'peer', 'staff')),
    position      INTEGER NOT NULL DEFAULT 0,     -- where he is in the questionnaire
    done          INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    UNIQUE (target_id, respondent_id)
);
CREATE INDEX survey_invitation_respondent ON survey_invitation(respondent_id, done);

-- The respondent's own unfinished answers, so that he can resume; deleted when he submits.
CREATE TABLE survey_draft (
    invitation_id INTEGER NOT NULL REFERENCES survey_invitation(id) ON DELETE CASCADE,
    item          TEXT NOT NULL,                  -- statement key or question id
    answer        TEXT NOT NULL,                  -- option code
    PRIMARY KEY (invitation_id, item)
) WITHOUT ROWID;

-- What the reports are made of: per target, item and answer, sums and counts only.
CREATE TABLE survey_total (
    target_id  INTEGER NOT NULL REFERENCES survey_target(id) ON DELETE CASCADE,
    item       TEXT NOT NULL,                     -- 360: statement key; else "question=option"
    is_self    INTEGER NOT NULL CHECK (is_self IN (0, 1)),
    points     INTEGER NOT NULL DEFAULT 0,
    answers    INTEGER NOT NULL DEFAULT 0,
    updated_on TEXT NOT NULL,                     -- a date, never a time
    PRIMARY KEY (target_id, item, is_self)
) WITHOUT ROWID;
