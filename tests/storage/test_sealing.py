"""The survey key file and sealing (docs/anonymity.md): the key lives outside the database, a
closed survey's ballot key is destroyed, and sealed lengths say nothing about the answers."""

import sqlite3
import stat
from contextlib import closing
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scoring import WorkCalendar, load_methodology
from services import ballots
from services import surveys as survey_cases
from services.clock import Clock
from services.context import Context
from storage.db import Database, available_migrations
from storage.models import Servant
from storage.sealing import KeyLost, SurveyKeys, Unreadable

ALMATY = ZoneInfo("Asia/Almaty")
JUSTICE = load_methodology("justice-2023")
STATEMENT = JUSTICE.survey360.sets["others"].statements[0].key

LAYOUT = {"q1": ["no", "yes"], "q2": ["a", "b", "c"], "q3": ["x", "y"]}


def test_the_key_file_is_private_and_survives_a_reopen(tmp_path):
    path = tmp_path / "keys"
    keys = SurveyKeys.open(path)
    key_id = keys.new_survey()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sealed = ballots.seal_draft(keys.ballots(key_id), 7, {"q1": "yes"}, LAYOUT)
    again = SurveyKeys.open(path)
    assert ballots.open_draft(again.ballots(key_id), 7, sealed, LAYOUT) == {"q1": "yes"}


def test_a_forgotten_key_opens_nothing_any_more(tmp_path):
    keys = SurveyKeys.open(tmp_path / "keys")
    key_id = keys.new_survey()
    keys.forget([key_id])
    with pytest.raises(KeyLost):
        SurveyKeys.open(tmp_path / "keys").ballots(key_id)


def test_a_sealed_value_moved_elsewhere_does_not_open(tmp_path):
    keys = SurveyKeys.open(tmp_path / "keys")
    sealer = keys.ballots(keys.new_survey())
    sealed = ballots.seal_draft(sealer, 7, {"q1": "yes"}, LAYOUT)
    with pytest.raises(Unreadable):
        ballots.open_draft(sealer, 8, sealed, LAYOUT)  # another invitation's row


def test_drafts_and_ballots_have_one_length_whatever_was_answered(tmp_path):
    keys = SurveyKeys.open(tmp_path / "keys")
    sealer = keys.ballots(keys.new_survey())
    drafts = {len(ballots.seal_draft(sealer, 1, answers, LAYOUT))
              for answers in ({}, {"q1": "no"}, {"q1": "yes", "q2": "c", "q3": "y"})}
    sheets = [ballots.Ballot(target, target % 2 == 0, {"q1": "no", "q2": "b", "q3": "x"})
              for target in (1, 22, 333_333)]
    sealed = [ballots.seal_ballot(sealer, 5, sheet, LAYOUT) for sheet in sheets]
    assert len(drafts) == 1 and len({len(s) for s in sealed}) == 1
    target, is_self, encoded = ballots.open_ballot(sealer, 5, sealed[2])
    assert (target, is_self) == (333_333, False)
    assert ballots.counted([encoded, "1--"], LAYOUT) == {
        ("q1", "no"): 1, ("q2", "b"): 1, ("q3", "x"): 1, ("q1", "yes"): 1}


async def test_plaintext_answers_of_before_sealing_are_sealed_at_the_first_start(tmp_path):
    """A database of migration 0008 with a running 360: its plaintext draft and totals are sealed
    at start, the plaintext tables dropped, and the close counts the carried totals."""
    path = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(path)) as old:
        for version, script in available_migrations()[:8]:
            old.executescript(script)
            old.execute(f"PRAGMA user_version = {version}")
        old.executemany(
            "INSERT INTO servant (id, personnel_no, full_name, position, category, managerial, "
            "unit_head, appointed_on) VALUES (?, ?, ?, 'Expert', 'C-4', 0, 0, '2020-01-01')",
            [(i, str(i), f"Servant {i}") for i in range(1, 6)])
        old.execute("INSERT INTO survey (id, kind, year, methodology, opened_on, closes_on, "
                    "started_on) VALUES (1, '360', 2026, 'justice-2023', '2026-11-16', "
                    "'2027-01-11', '2026-11-16')")
        old.execute("INSERT INTO survey_target (id, survey_id, subject_id, question_set, "
                    "others_done) VALUES (1, 1, 1, 'others', 3)")
        old.executemany("INSERT INTO survey_invitation (id, target_id, respondent_id, role, "
                        "done) VALUES (?, 1, ?, ?, ?)",
                        [(1, 1, "self", 0), (2, 2, "peer", 1), (3, 3, "peer", 1),
                         (4, 4, "peer", 1), (5, 5, "peer", 0)])
        old.execute("INSERT INTO survey_draft VALUES (5, ?, 'always')", (STATEMENT,))
        old.execute("INSERT INTO survey_total VALUES (1, ?, 0, 12, 3, '2026-11-20')",
                    (STATEMENT,))
        old.commit()
    db = await Database.open(path)
    ctx = Context(db, Clock.starting_at(datetime(2026, 12, 1, 11, tzinfo=ALMATY), ALMATY),
                  WorkCalendar.kazakhstan(), JUSTICE,
                  survey_keys=SurveyKeys.open(tmp_path / "keys"))
    try:
        await survey_cases.seal_unsealed(ctx)
        tables = {r[0] for r in await db.fetch("SELECT name FROM sqlite_master")}
        assert "survey_draft_unsealed" not in tables and "survey_total_unsealed" not in tables
        assert b"always" not in path.read_bytes()
        respondent = Servant.from_row((await db.fetch("SELECT * FROM servant WHERE id = 5"))[0])
        resumed = await survey_cases.go_to(ctx, respondent, 5, 1)
        assert resumed.answers == {STATEMENT: "always"}
        closed = await survey_cases.close_survey(ctx, 1, actor="test")
        assert closed is not None and closed.targets[0].released
        sealed = (await db.fetch("SELECT sealed FROM survey_result"))[0][0]
        survey = await db.fetch("SELECT key_id FROM survey")
        others, _own = ballots.open_result(ctx.survey_keys.results(survey[0][0]), 1, sealed)
        assert others == {STATEMENT: (12, 3)}
    finally:
        await db.close()
