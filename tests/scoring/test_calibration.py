"""Calibration (Typical cl. 11, 19–24; trade cl. 11; justice cl. 18, 43–48)."""

from datetime import date
from decimal import Decimal

import pytest

from scoring import PanelMember, majority_score, panel_problems

HR = PanelMember(10, is_hr=True)
E1, E2, E3 = (PanelMember(i, is_evaluator=True) for i in (11, 12, 13))
PLAIN = PanelMember(14)
APPELLANT, EVALUATOR = 1, 2


def _codes(rules, members):
    return [p.code for p in panel_problems(rules, members, appellant=APPELLANT,
                                           evaluators=[EVALUATOR])]


@pytest.mark.parametrize(
    ("members", "codes"),
    [
        ([HR, E1, E2], []),
        ([HR, E1, E2, E3, PLAIN], []),
        ([HR, E1], ["too_few_members", "even_members"]),
        ([HR, E1, E2, E3], ["even_members"]),
        ([HR, E1, PanelMember(APPELLANT)], ["includes_appellant"]),
        ([HR, E1, PanelMember(EVALUATOR, is_evaluator=True)], ["includes_evaluator"]),
        ([E1, E2, E3], ["no_hr_member"]),
        ([HR, PLAIN, PanelMember(15)], ["no_evaluator_member"]),
        ([HR, E1, E1], ["duplicate_member", "too_few_members", "even_members"]),
    ],
)
def test_typical_panel_rules_cl_20(typical, members, codes):
    assert _codes(typical.calibration, members) == codes


def test_justice_sets_no_composition_rules(justice):
    assert _codes(justice.calibration, [PLAIN, PanelMember(APPELLANT)]) == []


@pytest.mark.parametrize(
    ("votes", "members", "result"),
    [
        ({1: "3.5", 2: "3.5", 3: "4"}, 3, "3.5"),
        ({1: "3.5", 2: "4", 3: "4.5"}, 3, None),  # no majority: vote again
        ({1: "3.5", 2: "3.5", 3: "4", 4: "4", 5: "4.5"}, 5, None),
        ({1: "3.5", 2: "3.50", 3: "4"}, 3, "3.5"),
        ({1: "3.5", 2: "3.5"}, 5, None),  # 2 of 5 members is no majority
        ({}, 3, None),
    ],
)
def test_majority_of_members(typical, votes, members, result):
    votes = {k: Decimal(v) for k, v in votes.items()}
    expected = Decimal(result) if result else None
    assert majority_score(typical.calibration, votes, members) == expected


def test_majority_of_participants_in_justice(justice):
    votes = {1: Decimal("3.5"), 2: Decimal("3.5")}
    assert majority_score(justice.calibration, votes, 5) == Decimal("3.5")


def test_windows_in_working_days_across_nauryz(typical, trade, cal):
    rules = typical.calibration
    delivered = date(2026, 3, 18)  # Wed; then 19, 20, 26, 27, 30
    assert rules.request_deadline(delivered, None, cal) == date(2026, 3, 30)
    assert rules.decision_deadline(date(2026, 3, 20), cal) == date(2026, 3, 30)
    assert rules.session_deadline(date(2026, 3, 20), cal) == date(2026, 4, 8)
    assert rules.protocol_deadline(date(2026, 4, 8), cal) == date(2026, 4, 13)
    # trade (seed 000 cl. 11) counts from acquaintance, not delivery
    assert trade.calibration.request_deadline(delivered, None, cal) is None
    assert trade.calibration.request_deadline(delivered, date(2026, 3, 19), cal) == date(
        2026, 3, 31)


def test_feedback_meeting_topics_cl_24(typical):
    topics = typical.calibration.feedback_topics
    assert [t.ru for t in topics] == [
        "обзор достижений за оцениваемый период",
        "обзор развития навыков и компетенций",
        "обзор потенциала и обсуждение карьерных устремлений работника",
    ]


@pytest.mark.parametrize(("approved", "opens"), [
    (date(2026, 3, 30), date(2026, 4, 2)),  # Mon: 31 Mar, 1, 2 Apr
    (date(2026, 3, 20), date(2026, 3, 30)),  # across Nauryz: 26, 27, 30 Mar
])
def test_the_vote_waits_for_the_arguments_at_most_three_working_days_cl_23(typical, cal,
                                                                            approved, opens):
    assert typical.calibration.voting_opens_on(approved, cal) == opens


@pytest.mark.parametrize(("day", "step"), [
    (date(2026, 3, 30), None),  # the decision day: the decision notice asks for the meeting
    (date(2026, 3, 31), None),
    (date(2026, 4, 6), "remind"),  # 5 working days later (31 Mar, 1, 2, 3, 6 Apr)
    (date(2026, 4, 7), None),
    (date(2026, 4, 13), "escalate"),  # 10 working days later
    (date(2026, 4, 14), None),
    (date(2026, 6, 1), None),  # months later: nobody, ever again
])
def test_the_feedback_meeting_is_followed_up_twice_then_never_cl_24(typical, cal, day, step):
    assert typical.calibration.feedback_follow_up(date(2026, 3, 30), day, cal) == step


def test_a_proposed_panel_is_valid_and_small(typical):
    from scoring.calibration import propose_panel

    candidates = [PanelMember(APPELLANT), PanelMember(EVALUATOR, is_evaluator=True), HR,
                  PanelMember(15, is_hr=True), E1, E2, E3, PLAIN]
    panel = propose_panel(typical.calibration, candidates, appellant=APPELLANT,
                          evaluators=[EVALUATOR])
    assert [m.id for m in panel] == [10, 11, 12]
    assert propose_panel(typical.calibration, [HR, PLAIN], appellant=APPELLANT,
                         evaluators=[EVALUATOR]) == []


def test_a_corrected_score_stays_within_the_scale_and_an_overall_cap_cl_23(typical):
    from scoring import ScoreError, Text
    from scoring.calibration import corrected_score
    from scoring.methodology import SanctionCap, Sanctions

    scale = typical.forms[next(iter(typical.forms))].scale
    assert corrected_score("3,20", scale, typical.sanctions, ()) == Decimal("3.20")
    assert corrected_score("3.8", scale, typical.sanctions, ("remark",)) == Decimal("3.8")
    with pytest.raises(ScoreError) as above:
        corrected_score("5,5", scale, None, None)
    assert (above.value.code, above.value.high) == ("above_max", scale.max)
    with pytest.raises(ScoreError) as many:
        corrected_score("3,255", scale, None, None)
    assert many.value.code == "too_many_decimals"
    overall = Sanctions("cl. x", "overall", None, (SanctionCap(
        frozenset({"remark"}), Decimal("2.99"), Text("", "", "")),))
    with pytest.raises(ScoreError) as capped:
        corrected_score("3", scale, overall, ("remark",))
    assert (capped.value.code, capped.value.high) == ("above_max", Decimal("2.99"))
    assert corrected_score("3", scale, overall, ()) == Decimal("3")
