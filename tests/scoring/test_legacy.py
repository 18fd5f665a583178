"""The older model (seeds 001, 002): KPIs counted, 3/4 of indicators, the commission."""

from fractions import Fraction

import pytest


@pytest.mark.parametrize(
    ("achieved", "grade"),
    [(5, "excellent"), (4, "effective"), (3, "satisfactory"), (2, "unsatisfactory"),
     (0, "unsatisfactory")],
)
def test_grade_by_kpis_fully_achieved(legacy, achieved, grade):
    assert legacy.kpi_plan.count == 5
    assert legacy.kpi_plan.grade(achieved).code == grade


def test_achieved_outside_the_plan(legacy):
    with pytest.raises(ValueError):
        legacy.kpi_plan.grade(6)


@pytest.mark.parametrize(
    ("observed", "total", "meets"),
    [(3, 4, True), (2, 4, False), (4, 5, True), (3, 5, False), (5, 6, True), (4, 6, False),
     (1, 1, True), (0, 1, False), (8, 10, True), (7, 10, False)],
)
def test_three_quarters_of_indicators(legacy, observed, total, meets):
    assert legacy.competency_assessment.meets(observed, total) is meets


def test_service_recipient_competencies_are_skipped_without_public_services(legacy):
    rules = legacy.competency_assessment
    with_services = rules.applicable(public_services=True)
    without = rules.applicable(public_services=False)
    assert len(with_services) == 11
    assert len(without) == 9
    assert all(not c.service_recipient for c in without)


@pytest.mark.parametrize(
    ("present", "members", "quorum"),
    [(4, 5, True), (3, 5, False), (4, 6, True), (3, 6, False), (5, 7, True), (4, 7, False)],
)
def test_quorum_two_thirds(legacy, present, members, quorum):
    assert legacy.commission.quorum == Fraction(2, 3)
    assert legacy.commission.has_quorum(present, members) is quorum


def test_open_vote_majority_and_the_chairs_casting_vote(legacy):
    commission = legacy.commission
    assert commission.decide({1: "approve", 2: "approve", 3: "revise"}, chair=3) == "approve"
    assert commission.decide({1: "approve", 2: "revise"}, chair=2) == "revise"
    assert commission.decide({1: "approve", 2: "revise"}, chair=1) == "approve"
    # the secretary does not vote: without his vote it is 1 : 1 and the chair decides
    votes = {1: "approve", 2: "revise", 9: "approve"}
    assert commission.decide(votes, chair=2, secretary=9) == "revise"
