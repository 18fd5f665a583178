"""The older model (seeds 001, 002): KPIs counted, 3/4 of indicators, the commission."""

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from scoring import Quarter
from scoring.campaign import Absence, Person, plan_quarter, worked_days


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


BALLOT = ("approve", "excellent", "satisfactory", "unsatisfactory")  # agreed: "effective"


@pytest.mark.parametrize(
    ("votes", "chair", "decided", "by_chair", "repeat"),
    [
        # seed 001 cl. 33: a majority of the votes cast decides
        ("AAR", 3, "approve", False, ()),
        ("AAASU", 1, "approve", False, ()),  # 3 of 5
        ("AAAS", 4, "approve", False, ()),  # 3 of 4
        # 2-1-1-1 of five: no majority, not a tie — vote again between the two most voted;
        # the runner-up is tied three ways, the earliest on the ballot goes through
        ("AAESU", 1, None, False, ("approve", "excellent")),
        ("SSAEU", 1, None, False, ("approve", "satisfactory")),  # 2-1-1-1, approve second
        ("SSUUA", 1, None, False, ("satisfactory", "unsatisfactory")),  # 2-2-1 of five
        ("AESU", 1, None, False, ("approve", "excellent")),  # 1-1-1-1 of four
        ("AASSEE", 1, None, False, ("approve", "excellent")),  # 2-2-2: no exact tie of two
        # an exact tie of two options: the chair's vote decides
        ("AR", 2, "revise", True, ()),
        ("AR", 1, "approve", True, ()),
        ("AASS", 3, "satisfactory", True, ()),
        ("AASS", 1, "approve", True, ()),
        # ... but only a chair who voted
        ("AASS", 9, None, False, ("approve", "satisfactory")),
    ],
)
def test_the_commission_decides_by_a_majority_of_the_votes_cast(
        legacy, votes, chair, decided, by_chair, repeat):
    names = {"A": "approve", "E": "excellent", "S": "satisfactory", "U": "unsatisfactory",
             "R": "revise"}
    cast = {i: names[v] for i, v in enumerate(votes, start=1)}
    outcome = legacy.commission.decide(cast, chair=chair, ballot=(*BALLOT, "revise"))
    assert (outcome.option, outcome.by_chair, outcome.repeat_between) == (
        decided, by_chair, repeat)


def test_a_repeated_vote_between_two_options_ends_in_a_majority_or_the_chairs_tie(legacy):
    commission = legacy.commission
    runoff = ("approve", "satisfactory")
    for votes in ("AAS", "SSA", "AASSA"):
        cast = {i: "approve" if v == "A" else "satisfactory" for i, v in enumerate(votes)}
        assert commission.decide(cast, chair=0, ballot=runoff).option is not None


def test_the_secretary_does_not_vote(legacy):
    commission = legacy.commission
    # without the secretary's vote it is 1 : 1 and the chair decides
    votes = {1: "approve", 2: "revise", 9: "approve"}
    outcome = commission.decide(votes, chair=2, secretary=9, ballot=("approve", "revise"))
    assert outcome.option == "revise" and outcome.by_chair


def test_without_the_chairs_casting_vote_a_tie_is_voted_again(legacy):
    commission = replace(legacy.commission, chair_casting_vote=False)
    outcome = commission.decide({1: "approve", 2: "revise"}, chair=1,
                                ballot=("approve", "revise"))
    assert outcome.option is None and outcome.repeat_between == ("approve", "revise")


def test_the_first_ballot_is_approve_or_another_grade(legacy):
    from scoring.legacy import ballot

    assert ballot(legacy.kpi_plan.grades, "effective", "approve") == BALLOT


@pytest.mark.parametrize(("members", "needed"), [(5, 4), (6, 4), (7, 5), (9, 6), (1, 1)])
def test_the_fewest_present_for_a_quorum(legacy, members, needed):
    commission = legacy.commission
    assert commission.quorum_needed(members) == needed
    assert commission.has_quorum(needed, members)
    assert not commission.has_quorum(needed - 1, members)


def test_a_commission_without_members_has_no_quorum(legacy):
    with pytest.raises(ValueError):
        legacy.commission.quorum_needed(0)


def test_the_secretary_is_present_but_does_not_vote(legacy):
    assert legacy.commission.secretary_votes is False  # cl. 34
    assert legacy.commission.voters([20, 27, 23], secretary=27) == (20, 23)
    assert legacy.commission.voters([20, 23], secretary=27) == (20, 23)


@pytest.mark.parametrize(("managerial", "group"), [(True, "heads"), (False, "staff")])
def test_the_indicator_group_follows_the_post(legacy, managerial, group):
    assert legacy.competency_assessment.group_for(managerial=managerial) == group


def test_a_years_worked_days_count_absences_as_the_quarter_does(cal):
    """A year in the post, less a fortnight's leave; a business trip is still work."""
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    full = cal.working_days_between(start, end)
    leave = Absence(1, date(2026, 8, 3), date(2026, 8, 14), "отпуск", None)
    trip = Absence(1, date(2026, 10, 5), date(2026, 10, 9), "командировка", None)
    assert worked_days(appointed_on=date(2015, 1, 1), dismissed_on=None, period_start=start,
                       period_end=end, absences=[], calendar=cal) == full
    assert worked_days(appointed_on=date(2015, 1, 1), dismissed_on=None, period_start=start,
                       period_end=end, absences=[leave, trip], calendar=cal) == full - 10
    # appointed in the year, dismissed in it: only the days in the post count
    assert worked_days(appointed_on=date(2026, 9, 1), dismissed_on=date(2026, 9, 30),
                       period_start=start, period_end=end, absences=[leave],
                       calendar=cal) == cal.working_days_between(date(2026, 9, 1),
                                                                 date(2026, 9, 30))
    # dismissed before the year: nothing
    assert worked_days(appointed_on=date(2015, 1, 1), dismissed_on=date(2025, 6, 30),
                       period_start=start, period_end=end, absences=[], calendar=cal) == 0


def test_worked_days_match_the_quarterly_plan(typical, cal):
    """The same count plan_quarter uses: a servant with too few worked days is excluded in
    both, with the same number."""
    quarter = Quarter(2026, 1)
    person = Person(1, "C-4", False, False, None, 2, date(2015, 1, 1), None)
    boss = Person(2, "C-3", True, False, None, None, date(2015, 1, 1), None)
    sick = Absence(1, date(2026, 1, 5), date(2026, 3, 20), "больничный", None)
    worked = worked_days(appointed_on=person.appointed_on, dismissed_on=None,
                         period_start=quarter.start, period_end=quarter.end, absences=[sick],
                         calendar=cal)
    _assignments, exclusions = plan_quarter(typical, quarter, [person, boss], unit_parents={},
                                            absences=[sick], calendar=cal,
                                            opened_on=date(2026, 4, 1))
    assert worked < typical.eligibility_rules.min_worked_days
    assert [e.reason for e in exclusions if e.servant_id == 1] == ["too_few_worked_days"]


@pytest.mark.parametrize(
    ("decided_on", "last_day"),
    [
        (date(2026, 2, 2), date(2026, 2, 16)),  # Monday: ten working days later
        (date(2026, 3, 13), date(2026, 4, 1)),  # across Nauryz (23–25 March off)
        (date(2026, 12, 25), date(2027, 1, 13)),  # across New Year (4 Jan) and Christmas
        (date(2026, 2, 7), date(2026, 2, 20)),  # decided on a Saturday
    ],
)
def test_the_appeal_term_counts_from_the_decision(legacy, cal, decided_on, last_day):
    """Seed 001 cl. 43: ten working days from the decision, whenever the servant is told."""
    assert legacy.commission.appeal_by(decided_on, cal) == last_day
