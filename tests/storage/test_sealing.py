"""The survey key file and sealing (docs/anonymity.md): the key lives outside the database, a
closed survey's ballot key is destroyed, and sealed lengths say nothing about the answers."""

import stat

import pytest

from services import ballots
from storage.sealing import KeyLost, SurveyKeys, Unreadable

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
