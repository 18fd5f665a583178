"""360 aggregation (justice cl. 40–42) and the working-conditions survey (004 app. 1 app. 7)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from scoring import report_360
from scoring.confidentiality import HrReaders
from scoring.survey import ReportCircle, add_up, add_up_counted


def test_competency_sets_match_cl_40(justice):
    sets = justice.survey360.sets
    assert len(sets["unit_heads"].competencies) == 12
    assert len(sets["others"].competencies) == 8
    for cset in sets.values():
        assert all(len(c.statements) == 3 for c in cset.competencies)
    others = {c.id for c in sets["others"].competencies}
    heads = {c.id for c in sets["unit_heads"].competencies}
    assert others < heads
    assert heads - others == {"activity_management", "team_management", "leadership",
                              "initiative"}


def test_five_frequency_answers_score_1_to_5(justice):
    options = justice.survey360.options
    assert [o.code for o in options] == ["not_shown", "rarely", "half", "mostly", "always"]
    assert [o.points for o in options] == [1, 2, 3, 4, 5]


def test_bounds_and_release(justice):
    rules = justice.survey360
    assert (rules.min_respondents, rules.max_respondents) == (3, 7)
    assert not rules.released(2)
    assert rules.released(3)


def test_averages_exclude_the_self_assessment(justice):
    cset = justice.survey360.sets["others"]
    first, second = cset.competencies[0], cset.competencies[1]
    # four respondents answered the three statements of the first competency:
    # statement 1: 5, 4, 4, 3; statement 2: 5, 5, 4, 4; statement 3: 3, 3, 2, 4 -> 46 / 12
    others = {
        f"{first.id}.1": (16, 4), f"{first.id}.2": (18, 4), f"{first.id}.3": (12, 4),
        f"{second.id}.1": (8, 4), f"{second.id}.2": (8, 4), f"{second.id}.3": (9, 4),
    }
    self_totals = {f"{first.id}.{i}": (5, 1) for i in (1, 2, 3)}
    report = report_360(cset, others, self_totals)
    by_id = {s.competency.id: s for s in report.scores}
    assert by_id[first.id].average == Decimal("3.83")  # 46 / 12 = 3.8333
    assert by_id[first.id].self_average == Decimal("5.00")
    assert by_id[first.id].gap == Decimal("1.17")
    assert by_id[second.id].average == Decimal("2.08")  # 25 / 12
    assert by_id[second.id].gap is None
    unanswered = cset.competencies[2].id
    assert by_id[unanswered].average is None
    assert [s.competency.id for s in report.weakest(2)] == [second.id, first.id]


def test_working_conditions_questionnaire(typical):
    survey = typical.working_conditions
    assert len(survey.questions) == 14
    assert [q.demographic for q in survey.questions] == [False] * 11 + [True] * 3
    assert survey.questions[0].text.ru.startswith("Задерживаетесь ли Вы на работе")


def test_favourable_share_ignores_demographics(typical):
    survey = typical.working_conditions
    counts = {
        "overtime": {"never": 3, "sometimes": 1},  # 3 favourable of 4
        "equipment": {"yes": 1, "rather_yes": 2, "no": 1},  # 3 of 4
        "sex": {"male": 2, "female": 2},
    }
    assert survey.favourable_share(counts) == Decimal("75.00")
    assert survey.favourable_share({}) is None


@pytest.mark.parametrize("responses", [0, 1, 2])
def test_working_conditions_withheld_below_threshold(typical, responses):
    assert not typical.working_conditions.released(responses)


def test_respondents_are_proposed_by_role(justice):
    from scoring.survey import Colleague, propose_respondents

    rules = justice.survey360
    boss = Colleague(1, None, "C-1")
    head = Colleague(2, 1, "C-3")
    peers = [Colleague(i, 1, "C-3" if i < 5 else "C-4") for i in range(3, 7)]
    team = [Colleague(i, 2, "C-5") for i in range(10, 16)]
    proposed = propose_respondents(rules, head, [boss, head, *peers, *team])
    assert proposed[0] == (1, "direct_supervisor")
    assert len(proposed) == 7
    assert proposed[1:5] == [(10, "subordinate"), (3, "peer"), (11, "subordinate"), (4, "peer")]
    assert 2 not in [p for p, _ in proposed]
    loner = Colleague(99, None, "C-5")
    assert propose_respondents(rules, loner, [loner, boss]) == []


def test_a_360_answer_adds_its_option_points_under_the_statement(justice):
    rules = justice.survey360
    assert rules.tally({"ethics.1": "always", "ethics.2": "rarely"}) == {
        "ethics.1": ("ethics.1", 5), "ethics.2": ("ethics.2", 2)}
    with pytest.raises(KeyError):
        rules.tally({"ethics.1": "sometimes"})


def test_a_working_conditions_answer_counts_once_under_question_and_option(typical):
    survey = typical.working_conditions
    tally = survey.tally({"overtime": "never", "sex": "female"})
    assert tally == {"overtime": ("overtime=never", 1), "sex": ("sex=female", 1)}
    totals = {key: (points * 3, 3) for key, points in tally.values()}
    assert survey.distribution(totals) == {"overtime": {"never": 3}, "sex": {"female": 3}}


def _attacker_learns(survey, question, counts, total):
    """What someone reading the report works out about the groups of a split: the groups shown,
    and the total minus them (the hidden remainder)."""
    if not survey.shown(question, counts):
        return {}
    learned = {option: n for option, n in counts.items()}
    learned["remainder"] = total - sum(counts.values())
    return learned


@pytest.mark.parametrize(("counts", "shown"), [
    ({"female": 1, "male": 5}, False),  # total − 5 = 1 would single the woman out
    ({"female": 2, "male": 4}, False),
    ({"female": 0, "male": 6}, True),  # an empty group says nothing about anyone
    ({"female": 3, "male": 3}, True),
    ({"female": 3, "male": 5}, True),
])
def test_a_demographic_split_is_shown_only_if_no_group_can_be_computed_small(
        typical, counts, shown):
    survey = typical.working_conditions
    sex = next(q for q in survey.questions if q.id == "sex")
    total = sum(counts.values())
    learned = _attacker_learns(survey, sex, counts, total)
    assert bool(learned) == shown
    # whatever he can compute — a group shown or the remainder — is empty or at the threshold
    assert all(n == 0 or n >= survey.release_threshold for n in learned.values())


def test_every_demographic_dimension_resists_subtraction(typical):
    """Position group and length of service too: one small group hides the whole split."""
    survey = typical.working_conditions
    for question in (q for q in survey.questions if q.demographic):
        options = [o.code for o in question.options]
        counts = {code: 4 for code in options}
        counts[options[-1]] = 1
        assert not survey.shown(question, counts), question.id
        assert survey.shown(question, {code: 4 for code in options}), question.id
    overtime = survey.questions[0]
    assert survey.shown(overtime, {"never": 1})  # an opinion, not a group of people


@pytest.mark.parametrize(("responses", "reader_answered", "released"), [
    (2, False, False), (3, False, True), (3, True, False), (4, True, True)])
def test_the_threshold_counts_colleagues_other_than_the_reader(
        justice, responses, reader_answered, released):
    """A supervisor who answered and reads the report needs three others (docs/anonymity.md)."""
    assert justice.survey360.released(responses, reader_answered=reader_answered) == released


@pytest.mark.parametrize(("reader", "hr", "hr_head", "allowed"), [
    (1, False, False, True),  # the evaluatee
    (2, False, False, True),  # his evaluator
    (3, False, False, True),  # a member of his calibration panel
    (9, True, False, False),  # an ordinary HR officer (justice cl. 26)
    (9, True, True, True),  # the head of the personnel service
    (8, False, False, False),  # anyone else
])
def test_who_reads_a_360_report_in_justice(justice, reader, hr, hr_head, allowed):
    circle = ReportCircle(1, frozenset({2}), frozenset({3}))
    personnel = justice.confidentiality.hr_reads(hr=hr, hr_head=hr_head)
    assert justice.survey360.may_read(reader, circle, personnel=personnel) == allowed


def test_the_typical_methodology_opens_reports_to_the_personnel_service(justice):
    widened = replace(justice.confidentiality, hr_readers=HrReaders.SERVICE)
    circle = ReportCircle(1, frozenset(), frozenset())
    assert justice.survey360.may_read(
        9, circle, personnel=widened.hr_reads(hr=True, hr_head=False))


def test_the_360_instructions_are_the_acts_words(justice):
    """App. 5 and 6 open with this address to the respondent (kk verbatim)."""
    text = justice.survey360.instructions
    assert text.kk.startswith("Құрметті респондент!")
    assert "Жасырындылыққа кепілдік беріледі." in text.kk
    assert text.ru.startswith("Уважаемый респондент!") and "Анонимность гарантируется" in text.ru


def test_the_360_closes_on_the_10th_of_january_on_a_working_day(justice, cal):
    closes = justice.survey360.closes_on(2026, cal)
    assert closes.year == 2027 and closes.month == 1 and closes.day >= 10
    assert cal.is_working_day(closes)


def test_hand_picked_respondents_get_their_roles(justice):
    from scoring.survey import Colleague, RespondentRole, chosen_respondents

    rules = justice.survey360
    head = Colleague(2, 1, "C-3")
    boss, peer, member = Colleague(1, None, "C-1"), Colleague(3, 1, "C-3"), Colleague(10, 2, "C-5")
    assert chosen_respondents(rules, head, [boss, peer, member]) == [
        (1, RespondentRole.DIRECT_SUPERVISOR), (3, RespondentRole.PEER),
        (10, RespondentRole.SUBORDINATE)]
    assert chosen_respondents(rules, head, [boss, peer]) is None  # fewer than 3
    assert chosen_respondents(rules, head, [boss, peer, head]) is None  # himself
    eight = [Colleague(i, 1, "C-3") for i in range(20, 28)]
    assert chosen_respondents(rules, head, eight) is None  # more than 7


def test_the_organisations_weakest_average_the_released_reports(justice):
    from scoring.survey import organisation_weakest

    cset = justice.survey360.sets["others"]
    first, second, third = cset.competencies[:3]

    def totals(*points: int) -> dict[str, tuple[int, int]]:
        return {f"{c.id}.1": (p, 1) for c, p in zip((first, second, third), points,
                                                     strict=True)}

    reports = [report_360(cset, totals(5, 2, 4), {}), report_360(cset, totals(4, 3, 4), {})]
    weakest = organisation_weakest(reports, 2)  # first 4.50, second 2.50, third 4.00
    assert [(c.id, mean) for mean, c in weakest] == [(second.id, Decimal("2.50")),
                                                      (third.id, Decimal("4.00"))]


def test_counted_answers_add_up_like_the_questionnaires(justice):
    """The close adds up how many chose each option; the totals equal adding up every
    questionnaire's tally one by one."""
    rules = justice.survey360
    sheets = [{"a.1": "always", "a.2": "rarely"}, {"a.1": "half", "a.2": "rarely"},
              {"a.1": "always"}]
    counted: dict[tuple[str, str], int] = {}
    for sheet in sheets:
        for pair in sheet.items():
            counted[pair] = counted.get(pair, 0) + 1
    tallied = {pair: tuple(rules.tally(dict([pair])).values()) for pair in counted}
    assert add_up_counted(tallied, counted) == add_up(rules.tally(s) for s in sheets) == {
        "a.1": (13, 3), "a.2": (4, 2)}
