"""Anonymous surveys: the 360 method (justice ch. 4) and the corps "A" working-conditions survey.

Reports are made of totals only — for each statement the sum of points and the number of
answers — added up once, when the survey closes (docs/anonymity.md). Every release rule here
counts against the reader: what he answered himself is no secret to him, so it never counts
towards the threshold that protects the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .decimals import round_score
from .periods import deadline_after
from .text import Text
from .workdays import WorkCalendar

Totals = Mapping[str, tuple[int, int]]
"""Per statement key: (sum of points, number of answers)."""

Tally = dict[str, tuple[str, int]]
"""What one submitted questionnaire adds to the totals: per answered item, (total key, points)."""

WORKING_CONDITIONS_OPEN_WORKING_DAYS = 10
"""How long the working-conditions survey stays open (the bot's setting, not the methodology's)."""


class RespondentRole(StrEnum):
    """Who answers about whom (cl. 41); the stored value of an invitation's role."""

    SELF = "self"  # the evaluatee's self-assessment: shown apart, never counted (cl. 41)
    DIRECT_SUPERVISOR = "direct_supervisor"
    SUBORDINATE = "subordinate"
    PEER = "peer"
    STAFF = "staff"  # the working-conditions survey: every active servant of the body


class QuestionSet(StrEnum):
    """Which questionnaire a target answers: a 360 competency set, or the working conditions."""

    UNIT_HEADS = "unit_heads"
    OTHERS = "others"
    WORKING_CONDITIONS = "working_conditions"


def question_set_for(unit_head: bool) -> QuestionSet:
    """The 360 evaluation sheet of an evaluatee: heads of structural/territorial units have
    their own (``survey360.sets``; ``unit_head`` as the methodology's routing defines it)."""
    return QuestionSet.UNIT_HEADS if unit_head else QuestionSet.OTHERS


@dataclass(frozen=True, slots=True)
class FrequencyOption:
    """One of the five answers (not shown … always) and its points."""

    code: str
    points: int
    label: Text


@dataclass(frozen=True, slots=True)
class Statement:
    key: str  # "<competency id>.<1-based number>", stable across releases
    text: Text


@dataclass(frozen=True, slots=True)
class Competency:
    id: str
    title: Text
    statements: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class CompetencySet:
    """The questionnaire for one group of evaluatees (unit heads: 12, others: 8)."""

    id: str
    title: Text
    competencies: tuple[Competency, ...]

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for c in self.competencies for s in c.statements)


def released_to(threshold: int, responses: int, reader_answered: bool) -> bool:
    """At least ``threshold`` answers from people other than the reader: a supervisor who
    answered and then reads the report could subtract his own answers from the totals."""
    return responses - int(reader_answered) >= threshold


@dataclass(frozen=True, slots=True)
class ReportCircle:
    """The people around one evaluatee's 360 report (justice cl. 26)."""

    evaluatee: int
    evaluators: frozenset[int]  # his direct supervisor and whoever evaluates him in the year
    calibration: frozenset[int]  # the members of his calibration panels of the year


@dataclass(frozen=True, slots=True)
class Survey360Rules:
    clause: str
    deadline_day: int
    min_respondents: int
    max_respondents: int
    release_threshold: int
    respondent_roles: tuple[str, ...]
    options: tuple[FrequencyOption, ...]
    sets: Mapping[str, CompetencySet]
    instructions: Text | None = None  # the form's address to the respondent (app. 5, 6)

    def points(self, option_code: str) -> int:
        for option in self.options:
            if option.code == option_code:
                return option.points
        raise KeyError(option_code)

    def _points_by_code(self) -> dict[str, int]:
        return {option.code: option.points for option in self.options}

    def released(self, responses: int, *, reader_answered: bool = False) -> bool:
        """The report is shown once this many colleagues other than the reader answered (the
        self-assessment never counts)."""
        return released_to(self.release_threshold, responses, reader_answered)

    def may_read(self, reader: int, circle: ReportCircle, *, personnel: bool) -> bool:
        """Cl. 26: the results are known only to the evaluatee, his evaluator, the head of the
        personnel service and the participants of calibration sessions; ``personnel``: the
        reader is in the methodology's HR circle (``Confidentiality.hr_reads``)."""
        return personnel or reader == circle.evaluatee or reader in circle.evaluators \
            or reader in circle.calibration

    def tally(self, answers: Mapping[str, str]) -> Tally:
        """Per statement, the points of the chosen frequency option (decision 18), added to the
        statement's own total."""
        points = self._points_by_code()
        return {item: (item, points[option]) for item, option in answers.items()}

    def closes_on(self, year: int, calendar: WorkCalendar) -> date:
        """The year's survey closes on ``deadline_day`` of the next month, moved off days off
        (cl. 4, decision 48)."""
        return deadline_after(date(year, 12, 31), self.deadline_day, calendar)

    def enough_respondents(self, count: int) -> bool:
        """HR's choice of colleagues: from the minimum to the maximum (cl. 41)."""
        return self.min_respondents <= count <= self.max_respondents


@dataclass(frozen=True, slots=True)
class CompetencyScore:
    competency: Competency
    average: Decimal | None  # others' answers only; None without answers
    self_average: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        """Self-assessment minus others' average (positive: he rates himself higher)."""
        if self.average is None or self.self_average is None:
            return None
        return self.self_average - self.average


@dataclass(frozen=True, slots=True)
class Report360:
    scores: tuple[CompetencyScore, ...]

    def weakest(self, n: int = 3) -> tuple[CompetencyScore, ...]:
        """The ``n`` competencies with the lowest average (training needs, cl. 42)."""
        rated = [(s.average, s) for s in self.scores if s.average is not None]
        return tuple(s for _, s in sorted(rated, key=lambda pair: pair[0])[:n])


def add_up(tallies: Iterable[Tally]) -> dict[str, tuple[int, int]]:
    """Totals of many questionnaires: per key, (sum of points, number of answers)."""
    points: dict[str, int] = {}
    answers: dict[str, int] = {}
    for tally in tallies:
        for key, value in tally.values():
            points[key] = points.get(key, 0) + value
            answers[key] = answers.get(key, 0) + 1
    return {key: (points[key], answers[key]) for key in points}


def add_up_counted(tallied: Mapping[tuple[str, str], Iterable[tuple[str, int]]],
                   counted: Mapping[tuple[str, str], int]) -> dict[str, tuple[int, int]]:
    """The same totals as ``add_up`` from how many questionnaires chose each option of each
    item (``counted``: (item, option) -> questionnaires); ``tallied``: what the survey's tally
    makes of each single (item, option) answer."""
    totals: dict[str, tuple[int, int]] = {}
    for pair, n in counted.items():
        for key, value in tallied[pair]:
            points, answers = totals.get(key, (0, 0))
            totals[key] = (points + value * n, answers + n)
    return totals


def _average(competency: Competency, totals: Totals) -> Decimal | None:
    points = answers = 0
    for statement in competency.statements:
        total, count = totals.get(statement.key, (0, 0))
        points += total
        answers += count
    return round_score(Decimal(points) / answers) if answers else None


def report_360(cset: CompetencySet, others: Totals, self_totals: Totals) -> Report360:
    """Per competency: sum of points / number of answers, self-assessment kept apart (cl. 41)."""
    return Report360(tuple(
        CompetencyScore(c, _average(c, others), _average(c, self_totals))
        for c in cset.competencies
    ))


@dataclass(frozen=True, slots=True)
class SurveyOption:
    code: str
    label: Text
    favourable: bool


@dataclass(frozen=True, slots=True)
class SurveyQuestion:
    id: str
    text: Text
    options: tuple[SurveyOption, ...]
    demographic: bool


@dataclass(frozen=True, slots=True)
class WorkingConditionsSurvey:
    """The corps "A" questionnaire (004 app. 1 app. 7)."""

    clause: str
    release_threshold: int
    intro: Text
    questions: tuple[SurveyQuestion, ...]

    def released(self, responses: int, *, reader_answered: bool = False) -> bool:
        return released_to(self.release_threshold, responses, reader_answered)

    def tally(self, answers: Mapping[str, str]) -> Tally:
        """One answer counted under "<question>=<option>": a distribution, no points."""
        return {item: (f"{item}={option}", 1) for item, option in answers.items()}

    def distribution(self, totals: Totals) -> dict[str, dict[str, int]]:
        """The totals read back: per question id, per option code, the number of answers."""
        counts: dict[str, dict[str, int]] = {}
        for item, (_sum, answers) in totals.items():
            question, _sep, option = item.partition("=")
            counts.setdefault(question, {})[option] = answers
        return counts

    def shown(self, question: SurveyQuestion, counts: Mapping[str, int], *,
              reader_answered: bool = False) -> bool:
        """Whether a question's distribution may be shown. A demographic question is a split
        of the respondents into groups; it is shown only if every group is empty or holds at
        least the threshold of people other than the reader. Hiding just the small group is not
        enough: the total minus the groups shown would give it back, and whatever group is
        hidden next, the rule that hid it tells it apart (decision 47, docs/anonymity.md)."""
        if not question.demographic:
            return True
        return all(n == 0 or released_to(self.release_threshold, n, reader_answered)
                   for n in counts.values())

    def closes_on(self, opened: date, calendar: WorkCalendar) -> date:
        return calendar.add_working_days(opened, WORKING_CONDITIONS_OPEN_WORKING_DAYS)

    def favourable_share(self, counts: Mapping[str, Mapping[str, int]]) -> Decimal | None:
        """% of favourable answers over the non-demographic questions (docs/decisions.md).

        ``counts``: per question id, per option code, the number of answers.
        """
        favourable = total = 0
        for question in self.questions:
            if question.demographic:
                continue
            answered = counts.get(question.id, {})
            for option in question.options:
                n = answered.get(option.code, 0)
                total += n
                favourable += n if option.favourable else 0
        return round_score(Decimal(favourable) * 100 / total) if total else None


@dataclass(frozen=True, slots=True)
class Colleague:
    """What respondent selection needs to know of a servant."""

    id: int
    supervisor_id: int | None
    category: str


def propose_respondents(rules: Survey360Rules, evaluatee: Colleague,
                        colleagues: list[Colleague]) -> list[tuple[int, RespondentRole]]:
    """Respondents by role (cl. 41): the direct supervisor, directly subordinate servants, and
    peers — colleagues under the same supervisor, the same category first — up to the maximum.
    Fewer than the minimum: an empty list (HR chooses by hand)."""
    chosen: list[tuple[int, RespondentRole]] = []
    if evaluatee.supervisor_id is not None and any(c.id == evaluatee.supervisor_id
                                                   for c in colleagues):
        chosen.append((evaluatee.supervisor_id, RespondentRole.DIRECT_SUPERVISOR))
    subordinates = [c.id for c in colleagues if c.supervisor_id == evaluatee.id]
    peers = sorted((c for c in colleagues if c.supervisor_id == evaluatee.supervisor_id
                    and c.id != evaluatee.id and evaluatee.supervisor_id is not None),
                   key=lambda c: (c.category != evaluatee.category, c.id))
    queue = [(s, RespondentRole.SUBORDINATE) for s in subordinates]
    mixed: list[tuple[int, RespondentRole]] = []
    for pair in zip(queue, [(p.id, RespondentRole.PEER) for p in peers], strict=False):
        mixed += pair
    longer = queue if len(queue) > len(peers) else [(p.id, RespondentRole.PEER) for p in peers]
    mixed += longer[min(len(queue), len(peers)):]
    for candidate in mixed:
        if len(chosen) >= rules.max_respondents:
            break
        chosen.append(candidate)
    return chosen if len(chosen) >= rules.min_respondents else []


def respondent_role(evaluatee: Colleague, respondent: Colleague) -> RespondentRole:
    """The role a colleague answers in (cl. 41): the evaluatee's direct supervisor, one of his
    direct subordinates (decision 19), or a peer."""
    if respondent.id == evaluatee.supervisor_id:
        return RespondentRole.DIRECT_SUPERVISOR
    if respondent.supervisor_id == evaluatee.id:
        return RespondentRole.SUBORDINATE
    return RespondentRole.PEER


def chosen_respondents(rules: Survey360Rules, evaluatee: Colleague,
                       chosen: list[Colleague]) -> list[tuple[int, RespondentRole]] | None:
    """HR's own list (decision 45) with each colleague's role, or None if the rules do not
    allow it: the evaluatee among them, or too few or too many."""
    if any(c.id == evaluatee.id for c in chosen) or not rules.enough_respondents(len(chosen)):
        return None
    return [(c.id, respondent_role(evaluatee, c)) for c in chosen]


def organisation_weakest(reports: Iterable[Report360], n: int = 3
                         ) -> list[tuple[Decimal, Competency]]:
    """The organisation's training needs (cl. 42): per competency, the mean of the evaluatees'
    averages, the ``n`` lowest first. ``reports``: released reports only."""
    sums: dict[str, tuple[Competency, list[Decimal]]] = {}
    for report in reports:
        for score in report.scores:
            if score.average is not None:
                sums.setdefault(score.competency.id, (score.competency, []))[1].append(
                    score.average)
    means = [(sum(values, Decimal(0)) / len(values), competency)
             for competency, values in sums.values()]
    return sorted(means, key=lambda pair: pair[0])[:n]
