-- Calibration sessions (Typical cl. 11, 19–24): the request, the panel, the rounds of votes,
-- the protocol and the feedback meeting.

CREATE TABLE calibration (
    id                  INTEGER PRIMARY KEY,
    sheet_id            INTEGER NOT NULL UNIQUE REFERENCES sheet(id),  -- one per result
    appellant_id        INTEGER NOT NULL REFERENCES servant(id),
    statement           TEXT NOT NULL,
    documents           TEXT NOT NULL DEFAULT '[]',    -- Telegram file ids he attached (JSON)
    requested_at        TEXT NOT NULL,
    requested_on        TEXT NOT NULL,                 -- local date: windows count from it
    decision_due        TEXT NOT NULL,                 -- cl. 20: 3 working days
    session_due         TEXT NOT NULL,                 -- cl. 21: 10 working days
    status              TEXT NOT NULL DEFAULT 'requested'
                        CHECK (status IN ('requested', 'voting', 'decided')),
    official_id         INTEGER REFERENCES servant(id),  -- who approved the panel
    approved_at         TEXT,
    evaluator_argument  TEXT,
    appellant_argument  TEXT,
    round               INTEGER NOT NULL DEFAULT 1,
    original_score      TEXT NOT NULL,
    final_score         TEXT,
    decided_on          TEXT,                          -- the protocol is signed that day
    protocol_due        TEXT,                          -- cl. 23: posted within 3 working days
    protocol_posted_at  TEXT,
    feedback_held_on    TEXT                           -- cl. 24: the evaluator's meeting
);

CREATE TABLE calibration_member (
    calibration_id INTEGER NOT NULL REFERENCES calibration(id) ON DELETE CASCADE,
    servant_id     INTEGER NOT NULL REFERENCES servant(id),
    PRIMARY KEY (calibration_id, servant_id)
) WITHOUT ROWID;

-- One vote per member per round: a second tap cannot count twice, a closed round cannot change.
CREATE TABLE calibration_vote (
    calibration_id INTEGER NOT NULL REFERENCES calibration(id) ON DELETE CASCADE,
    round          INTEGER NOT NULL,
    member_id      INTEGER NOT NULL REFERENCES servant(id),
    score          TEXT NOT NULL,
    voted_at       TEXT NOT NULL,
    PRIMARY KEY (calibration_id, round, member_id)
) WITHOUT ROWID;
