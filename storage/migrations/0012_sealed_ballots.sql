-- Sealed ballots (docs/anonymity.md): a submitted questionnaire is a ballot sealed with the
-- survey's key, which lives outside the database; drafts are sealed the same way; nothing is
-- added up before the survey closes, and then only into sealed per-target aggregates. The
-- plaintext tables of 0005 are renamed here and emptied by the bot at its next start
-- (services.surveys.seal_unsealed), which seals what they held and drops them.

ALTER TABLE survey_draft RENAME TO survey_draft_unsealed;
ALTER TABLE survey_total RENAME TO survey_total_unsealed;

-- Which key of the key file seals the survey's answers (16 random bytes).
ALTER TABLE survey ADD COLUMN key_id BLOB;

-- The respondent's unfinished answers, sealed, so that he can resume; deleted when he submits.
CREATE TABLE survey_draft (
    invitation_id INTEGER PRIMARY KEY REFERENCES survey_invitation(id) ON DELETE CASCADE,
    sealed        BLOB NOT NULL
);

-- One submitted questionnaire: a random id, the survey, and the sealed answers (with the target
-- inside the seal). No respondent, no invitation, no time. Deleted when the survey closes.
CREATE TABLE survey_ballot (
    id        BLOB PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    sealed    BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_ballot_survey ON survey_ballot(survey_id);

-- A released target's aggregate (per item: points and answers; the self-assessment apart),
-- made at close from all its ballots at once, sealed.
CREATE TABLE survey_result (
    target_id INTEGER PRIMARY KEY REFERENCES survey_target(id) ON DELETE CASCADE,
    sealed    BLOB NOT NULL
);

-- The head of the personnel service (roster role hr_head; justice cl. 26 reads 360 reports).
ALTER TABLE servant ADD COLUMN is_hr_head INTEGER NOT NULL DEFAULT 0 CHECK (is_hr_head IN (0, 1));
