-- The older model (seeds 001, 002): the year-end review — KPIs fully achieved counted,
-- behavioural indicators observed — agreed by the superior manager, then the commission.

CREATE TABLE annual_review (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    servant_id      INTEGER NOT NULL REFERENCES servant(id),
    evaluator_id    INTEGER NOT NULL REFERENCES servant(id),  -- the direct supervisor
    approver_id     INTEGER REFERENCES servant(id),           -- the superior manager
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'submitted', 'returned', 'agreed', 'decided')),
    achieved        TEXT NOT NULL DEFAULT '{}',   -- KPI position -> fully achieved (JSON)
    observed        TEXT NOT NULL DEFAULT '{}',   -- competency -> observed indicator numbers
    grade           TEXT,
    return_reason   TEXT,
    final_grade     TEXT,                         -- the commission's (approved or revised)
    recommendation  TEXT,
    acquainted_on   TEXT,
    refused_on      TEXT,                         -- he refused to sign: recorded in an act
    UNIQUE (year, servant_id)
);

CREATE TABLE commission (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL UNIQUE,
    chair_id     INTEGER NOT NULL REFERENCES servant(id),
    secretary_id INTEGER NOT NULL REFERENCES servant(id),
    present      TEXT,                            -- members present at the meeting (JSON)
    met_on       TEXT
);

CREATE TABLE commission_member (
    commission_id INTEGER NOT NULL REFERENCES commission(id) ON DELETE CASCADE,
    servant_id    INTEGER NOT NULL REFERENCES servant(id),
    PRIMARY KEY (commission_id, servant_id)
) WITHOUT ROWID;

-- Open vote: who voted what is part of the protocol.
CREATE TABLE commission_vote (
    commission_id INTEGER NOT NULL REFERENCES commission(id) ON DELETE CASCADE,
    review_id     INTEGER NOT NULL REFERENCES annual_review(id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES servant(id),
    choice        TEXT NOT NULL,                  -- "approve" or the grade proposed instead
    PRIMARY KEY (commission_id, review_id, member_id)
) WITHOUT ROWID;
