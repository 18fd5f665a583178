"""The older model (seeds 001, 002): KPIs counted, behavioural indicators, the commission."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from .text import Text
from .workdays import WorkCalendar

Member = TypeVar("Member", bound=Hashable)  # how the caller names commission members


@dataclass(frozen=True, slots=True)
class CountGrade:
    min_achieved: int
    code: str
    label: Text


@dataclass(frozen=True, slots=True)
class KpiPlanRules:
    """An annual plan of ``count`` KPIs graded by how many were fully achieved."""

    clause: str
    count: int
    plan_within_working_days: int
    resubmit_working_days: int
    grades: tuple[CountGrade, ...]  # best first

    def grade(self, achieved: int) -> CountGrade:
        if not 0 <= achieved <= self.count:
            raise ValueError(f"achieved KPIs must be 0–{self.count}, got {achieved}")
        return next(g for g in self.grades if achieved >= g.min_achieved)


@dataclass(frozen=True, slots=True)
class IndicatorGroup:
    id: str
    title: Text
    categories: frozenset[str]


@dataclass(frozen=True, slots=True)
class Indicators:
    group: str
    effective: tuple[Text, ...]
    ineffective: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class AssessedCompetency:
    id: str
    title: Text
    service_recipient: bool
    indicators: tuple[Indicators, ...]

    def for_group(self, group: str) -> Indicators | None:
        return next((i for i in self.indicators if i.group == group), None)


@dataclass(frozen=True, slots=True)
class CompetencyAssessmentRules:
    clause: str
    threshold: Decimal
    max_indicators: int
    meets_label: Text
    does_not_meet_label: Text
    groups: tuple[IndicatorGroup, ...]
    competencies: tuple[AssessedCompetency, ...]

    def applicable(self, *, public_services: bool) -> tuple[AssessedCompetency, ...]:
        """The service-recipient competencies are skipped for positions without public services."""
        return tuple(c for c in self.competencies if public_services or not c.service_recipient)

    def group_for(self, *, managerial: bool) -> str:
        """The indicator group of a post: the first (the heads') for a managerial post, the
        last (the staff's) otherwise; with one group, that one."""
        return self.groups[0].id if managerial or len(self.groups) == 1 else self.groups[-1].id

    def meets(self, observed: int, total: int) -> bool:
        """'Meets expectations' when at least the threshold share (3/4) was observed."""
        if total < 1 or not 0 <= observed <= total:
            raise ValueError(f"observed must be 0–{total} of {total} indicators")
        return Decimal(observed) >= self.threshold * total


@dataclass(frozen=True, slots=True)
class CommissionRules:
    clause: str
    min_members: int
    quorum: Fraction
    chair_casting_vote: bool
    secretary_votes: bool
    schedule_notice_working_days: int
    sheets_to_commission_working_days: int
    appeal_working_days: int

    def appeal_by(self, decided_on: date, calendar: WorkCalendar) -> date:
        """The last day to appeal the commission's decision (seed 001 cl. 43: «шешім шыққан
        күннен бастап он жұмыс күні ішінде»): counted from the day it decided, however late
        the servant is told."""
        return calendar.add_working_days(decided_on, self.appeal_working_days)

    def has_quorum(self, present: int, members: int) -> bool:
        """A meeting is valid when at least the quorum share of members is present."""
        return members > 0 and Fraction(present, members) >= self.quorum

    def quorum_needed(self, members: int) -> int:
        """The fewest members present for a valid meeting (2/3 of 6 members: 4)."""
        if members < 1:
            raise ValueError(f"a commission has members, got {members}")
        return next(n for n in range(members + 1) if self.has_quorum(n, members))

    def voters(self, present: Iterable[int], *, secretary: int) -> tuple[int, ...]:
        """Who votes among the members present: all of them, or all but the secretary where he
        does not vote (cl. 34)."""
        return tuple(m for m in present if self.secretary_votes or m != secretary)

    def decide(self, votes: Mapping[Member, str], *, chair: Member, ballot: Sequence[str],
               secretary: Member | None = None) -> Decision:
        """One round of the open vote (seed 001 cl. 33, «көпшілік дауысымен»): an option
        chosen by more than half of the votes cast by the voters present is decided; an exact
        tie between two options is decided by the chair's vote. Otherwise the vote is repeated
        between the two options with the most votes (equal counts: the earlier on ``ballot``)."""
        counted = [v for m, v in votes.items() if self.secretary_votes or m != secretary]
        tally = Counter(counted)
        place = {option: i for i, option in enumerate(ballot)}
        ranked = sorted(tally, key=lambda o: (-tally[o], place.get(o, len(place))))
        if not ranked:
            return Decision(None, repeat_between=tuple(ballot[:2]))
        if 2 * tally[ranked[0]] > len(counted):
            return Decision(ranked[0])
        chairs = votes.get(chair)
        tie = len(ranked) == 2 and tally[ranked[0]] == tally[ranked[1]]
        if tie and self.chair_casting_vote and chairs in ranked:
            return Decision(chairs, by_chair=True)
        runoff = sorted(ranked[:2], key=lambda o: place.get(o, len(place)))
        return Decision(None, repeat_between=tuple(runoff))


@dataclass(frozen=True, slots=True)
class Decision:
    """What one round of the commission's vote decided (seed 001 cl. 33)."""

    option: str | None  # None: no majority, the vote is repeated
    by_chair: bool = False  # an exact tie, decided by the chair's vote
    repeat_between: tuple[str, ...] = ()  # the options of the repeated vote


def ballot(grades: Sequence[CountGrade], agreed: str, approve: str) -> tuple[str, ...]:
    """The options of a first round: approve the agreed result, or revise it to another grade
    (the methodology's order, best first) (seed 001 cl. 37)."""
    return (approve, *(g.code for g in grades if g.code != agreed))
