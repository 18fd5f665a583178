"""Anonymous surveys: the 360 method (justice ch. 4) and the corps "A" working-conditions survey.

Aggregation works on totals only — for each statement the sum of points and the number of
answers — so the storage never needs to keep who answered what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .decimals import round_score
from .text import Text

Totals = Mapping[str, tuple[int, int]]
"""Per statement key: (sum of points, number of answers)."""


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

    def points(self, option_code: str) -> int:
        for option in self.options:
            if option.code == option_code:
                return option.points
        raise KeyError(option_code)

    def released(self, responses: int) -> bool:
        """The evaluatee's report is shown once this many non-self answers are in."""
        return responses >= self.release_threshold


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

    def released(self, responses: int) -> bool:
        return responses >= self.release_threshold

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
                        colleagues: list[Colleague]) -> list[tuple[int, str]]:
    """Respondents by role (cl. 41): the direct supervisor, directly subordinate servants, and
    peers — colleagues under the same supervisor, the same category first — up to the maximum.
    Fewer than the minimum: an empty list (HR chooses by hand)."""
    chosen: list[tuple[int, str]] = []
    if evaluatee.supervisor_id is not None and any(c.id == evaluatee.supervisor_id
                                                   for c in colleagues):
        chosen.append((evaluatee.supervisor_id, "direct_supervisor"))
    subordinates = [c.id for c in colleagues if c.supervisor_id == evaluatee.id]
    peers = sorted((c for c in colleagues if c.supervisor_id == evaluatee.supervisor_id
                    and c.id != evaluatee.id and evaluatee.supervisor_id is not None),
                   key=lambda c: (c.category != evaluatee.category, c.id))
    queue = [(s, "subordinate") for s in subordinates]
    mixed: list[tuple[int, str]] = []
    for pair in zip(queue, [(p.id, "peer") for p in peers], strict=False):
        mixed += pair
    longer = queue if len(queue) > len(peers) else [(p.id, "peer") for p in peers]
    mixed += longer[min(len(queue), len(peers)):]
    for candidate in mixed:
        if len(chosen) >= rules.max_respondents:
            break
        chosen.append(candidate)
    return chosen if len(chosen) >= rules.min_respondents else []
