"""Planning a quarter's evaluation (Typical cl. 4, 6, 7, 17): who is evaluated, with which form,
by whom — pure, over plain records the storage loads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .methodology import Methodology
from .periods import Quarter
from .workdays import WorkCalendar

WORKED_ABSENCES = frozenset({"business_trip", "командировка", "іссапар"})
"""Absence kinds that are still work (they do not reduce the actually worked days)."""

SECONDMENTS = frozenset({"secondment", "прикомандирование", "іссапарға жіберу"})
"""Absence kinds that are a secondment to another body: Typical cl. 4 ¶5 — «оценка
прикомандированных лиц проводится в принимающем государственном органе за период
прикомандирования». The home body does not count those days as worked with it, and a servant
seconded for so much of the quarter that he is not eligible is listed as ``seconded``."""


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    category: str
    managerial: bool
    unit_head: bool
    unit_id: int | None
    supervisor_id: int | None
    appointed_on: date
    dismissed_on: date | None


@dataclass(frozen=True, slots=True)
class Absence:
    servant_id: int
    starts_on: date
    ends_on: date
    kind: str
    substitute_id: int | None


@dataclass(frozen=True, slots=True)
class Assignment:
    """One sheet: ``evaluator_id`` evaluates ``servant_id`` with ``form``.

    ``routed_evaluator_id`` is the evaluator cl. 17 names; ``evaluator_id`` differs when he is
    absent and his substitute evaluates (cl. 4).
    """

    servant_id: int
    form: str
    evaluator_id: int
    routed_evaluator_id: int
    clause: str
    without_participation: bool
    sanctions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Not evaluated: ``reason`` is an eligibility reason, ``seconded`` (evaluated by the
    receiving body, cl. 4 ¶5) or ``no_evaluator``."""

    servant_id: int
    reason: str


def plan_quarter(
    methodology: Methodology,
    quarter: Quarter,
    people: Sequence[Person],
    *,
    unit_parents: Mapping[int, int | None],
    absences: Iterable[Absence] = (),
    sanctions: Mapping[int, Sequence[str]] | None = None,
    calendar: WorkCalendar,
    opened_on: date,
) -> tuple[list[Assignment], list[Exclusion]]:
    """Decide every servant's sheet for ``quarter``; servants who left before it are skipped."""
    by_id = {p.id: p for p in people}
    absent = _absences_by_servant(absences)
    heads = _unit_heads(methodology, people, opened_on)
    sanctions = sanctions or {}
    start, end = quarter.start, quarter.end
    assignments: list[Assignment] = []
    exclusions: list[Exclusion] = []
    for person in people:
        if (person.dismissed_on and person.dismissed_on < start) or person.appointed_on > end:
            continue
        held_from = max(person.appointed_on, start)
        held_to = min(person.dismissed_on or end, end)
        own = absent.get(person.id, ())
        worked = calendar.working_days_between(held_from, held_to) - _absent_days(
            own, held_from, held_to, calendar)
        eligibility = methodology.eligibility(
            period_start=start, period_end=end, appointed_on=person.appointed_on,
            worked_days=worked, dismissed_on=person.dismissed_on)
        if eligibility.reason is not None:  # not eligible, and why
            seconded = _absent_days([a for a in own if _is_secondment(a)], held_from, held_to,
                                    calendar)
            but_for = methodology.eligibility(
                period_start=start, period_end=end, appointed_on=person.appointed_on,
                worked_days=worked + seconded, dismissed_on=person.dismissed_on)
            reason = "seconded" if seconded and but_for.reason is None else eligibility.reason
            exclusions.append(Exclusion(person.id, reason))
            continue
        route = methodology.route(category=person.category, managerial=person.managerial,
                                  unit_head=person.unit_head)
        evaluator = person.supervisor_id if route.evaluator == "direct_supervisor" else \
            _unit_head_of(person, heads, unit_parents)
        evaluator = evaluator or person.supervisor_id
        if evaluator is None or evaluator not in by_id:
            exclusions.append(Exclusion(person.id, "no_evaluator"))
            continue
        acting = _substitute(absent.get(evaluator, ()), opened_on) or evaluator
        assignments.append(Assignment(
            person.id, route.form, acting, evaluator, route.clause,
            eligibility.without_participation, tuple(sanctions.get(person.id, ()))))
    return assignments, exclusions


def _absences_by_servant(absences: Iterable[Absence]) -> dict[int, list[Absence]]:
    found: dict[int, list[Absence]] = {}
    for absence in absences:
        found.setdefault(absence.servant_id, []).append(absence)
    return found


def _is_secondment(absence: Absence) -> bool:
    return absence.kind.strip().lower() in SECONDMENTS


def _absent_days(absences: Iterable[Absence], first: date, last: date,
                 calendar: WorkCalendar) -> int:
    days = 0
    for a in absences:
        if a.kind.strip().lower() in WORKED_ABSENCES:
            continue
        start, end = max(a.starts_on, first), min(a.ends_on, last)
        days += calendar.working_days_between(start, end)
    return days


def worked_days(*, appointed_on: date, dismissed_on: date | None, period_start: date,
                period_end: date, absences: Iterable[Absence], calendar: WorkCalendar) -> int:
    """The working days actually worked in a period, as eligibility counts them and as
    ``plan_quarter`` does for a quarter: the working days in the post within the period, less
    those of absences that are not work with this body (a business trip is, see
    ``WORKED_ABSENCES``; a secondment to another body is not, see ``SECONDMENTS``)."""
    held_from = max(appointed_on, period_start)
    held_to = min(dismissed_on or period_end, period_end)
    return calendar.working_days_between(held_from, held_to) - _absent_days(
        absences, held_from, held_to, calendar)


def _substitute(absences: Iterable[Absence], day: date) -> int | None:
    """The substitute of an evaluator absent on ``day`` (cl. 4), if the roster names one."""
    for a in absences:
        if a.starts_on <= day <= a.ends_on and a.substitute_id:
            return a.substitute_id
    return None


def evaluator_on(day: date, *, current: int, routed: int,
                 routed_absences: Iterable[Absence]) -> int | None:
    """Who should hold a pending sheet on ``day``, if not ``current`` (Typical cl. 4 ¶4: «при
    отсутствии оценивающего лица оценку проводит лицо, его замещающее»): the substitute the
    roster names for the routed evaluator's absence that day, or the routed evaluator again
    once he is back. A sheet handed by cl. 18 to someone else stays with him (``None``)."""
    absences = list(routed_absences)
    substitutes = {a.substitute_id for a in absences if a.substitute_id}
    if current != routed and current not in substitutes:
        return None
    wanted = _substitute(absences, day) or routed
    return wanted if wanted != current else None


def _unit_heads(methodology: Methodology, people: Sequence[Person], day: date
                ) -> dict[int, list[int]]:
    """Per unit, the active servants who head it by the methodology's definition (cl. 3 p. 3)."""
    heads: dict[int, list[int]] = {}
    for p in people:
        if p.unit_id is None or (p.dismissed_on and p.dismissed_on < day):
            continue
        if methodology.routing.is_unit_head(p.category, p.unit_head):
            heads.setdefault(p.unit_id, []).append(p.id)
    return heads


def _unit_head_of(person: Person, heads: Mapping[int, list[int]],
                  parents: Mapping[int, int | None]) -> int | None:
    """The head of the servant's structural unit or body: the nearest unit up the tree with a
    head other than the servant himself."""
    unit = person.unit_id
    seen = set()
    while unit is not None and unit not in seen:
        seen.add(unit)
        others = [h for h in heads.get(unit, ()) if h != person.id]
        if others:
            return min(others)
        unit = parents.get(unit)
    return None
