-- Where the code followed the legal texts too loosely (issue 15).

-- The older model's commission (seed 001 cl. 33): a majority of the votes cast decides; without
-- one the vote is repeated between the two options with the most votes, so votes have rounds
-- and a review remembers its round's options. The appeal term counts from the decision
-- (cl. 43), so the day it was taken is kept.
ALTER TABLE annual_review ADD COLUMN vote_round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE annual_review ADD COLUMN ballot TEXT;      -- the round's options (JSON); NULL: all
ALTER TABLE annual_review ADD COLUMN decided_on TEXT;

CREATE TABLE commission_vote_rounds (
    commission_id INTEGER NOT NULL REFERENCES commission(id) ON DELETE CASCADE,
    review_id     INTEGER NOT NULL REFERENCES annual_review(id) ON DELETE CASCADE,
    round         INTEGER NOT NULL DEFAULT 1,
    member_id     INTEGER NOT NULL REFERENCES servant(id),
    choice        TEXT NOT NULL,                  -- "approve" or the grade proposed instead
    PRIMARY KEY (commission_id, review_id, round, member_id)
) WITHOUT ROWID;
INSERT INTO commission_vote_rounds (commission_id, review_id, round, member_id, choice)
    SELECT commission_id, review_id, 1, member_id, choice FROM commission_vote;
DROP TABLE commission_vote;
ALTER TABLE commission_vote_rounds RENAME TO commission_vote;
UPDATE annual_review SET decided_on = (
    SELECT substr(a.at, 1, 10) FROM audit a WHERE a.action = 'legacy.decided'
    AND a.subject = 'review:' || annual_review.id ORDER BY a.id DESC LIMIT 1)
WHERE status = 'decided';
