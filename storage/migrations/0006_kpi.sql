-- KPI ("НМИ") individual work plans (justice cl. 27–33; legacy seeds 001, 002): drafted by the
-- direct supervisor, approved or returned by the superior manager, versioned; actual values per
-- quarter (or for the year) entered by HR.

CREATE TABLE kpi_plan (
    id            INTEGER PRIMARY KEY,
    servant_id    INTEGER NOT NULL REFERENCES servant(id),
    year          INTEGER NOT NULL,
    drafter_id    INTEGER NOT NULL REFERENCES servant(id),
    approver_id   INTEGER REFERENCES servant(id),
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
    version       INTEGER NOT NULL DEFAULT 1,
    due_on        TEXT NOT NULL,                 -- set within N working days (cl. 28)
    return_reason TEXT,
    resubmit_due  TEXT,                          -- returned: resubmit within N working days
    approved_on   TEXT,
    UNIQUE (servant_id, year)
);

CREATE TABLE kpi_item (
    plan_id  INTEGER NOT NULL REFERENCES kpi_plan(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    unit     TEXT NOT NULL,
    planned  TEXT NOT NULL,                      -- JSON: planned value per quarter, or [year]
    deadline TEXT NOT NULL,
    expected TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
) WITHOUT ROWID;

-- Every approved version, so that a change (only for the methodology's reasons) is traceable.
CREATE TABLE kpi_plan_version (
    plan_id     INTEGER NOT NULL REFERENCES kpi_plan(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    items       TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    PRIMARY KEY (plan_id, version)
) WITHOUT ROWID;

CREATE TABLE kpi_actual (
    plan_id    INTEGER NOT NULL REFERENCES kpi_plan(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    period     INTEGER NOT NULL,                 -- quarter 1–4; 0 for the year
    actual     TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, position, period)
) WITHOUT ROWID;
