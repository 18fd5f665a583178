"""Calibration sessions (Typical cl. 11, 19–24): windows, the panel's composition, the vote."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .decimals import parse_decimal
from .errors import ScoreError
from .text import Text
from .workdays import WorkCalendar

if TYPE_CHECKING:
    from .methodology import Sanctions, Scale


@dataclass(frozen=True, slots=True)
class CalibrationRules:
    """The methodology's calibration settings (docs/methodology-format.md)."""

    clause: str
    request_window_working_days: int
    window_starts_at: str  # "delivery" | "acknowledgement"
    decision_working_days: int
    session_working_days: int
    protocol_posting_working_days: int
    majority_of: str  # "members" | "participants"
    min_members: int
    odd_members: bool
    exclude_appellant: bool
    exclude_evaluator: bool
    require_hr: bool
    require_evaluators: bool
    feedback_topics: tuple[Text, ...]
    argument_working_days: int = 3
    feedback_reminder_working_days: int = 5
    feedback_escalation_working_days: int = 10

    def request_deadline(self, delivered_on: date, acknowledged_on: date | None,
                         cal: WorkCalendar) -> date | None:
        """The last day a request is accepted; ``None`` while the window has not started."""
        start = delivered_on if self.window_starts_at == "delivery" else acknowledged_on
        if start is None:
            return None
        return cal.add_working_days(start, self.request_window_working_days)

    def decision_deadline(self, requested_on: date, cal: WorkCalendar) -> date:
        """The official decides and approves the panel by this day (cl. 20)."""
        return cal.add_working_days(requested_on, self.decision_working_days)

    def session_deadline(self, requested_on: date, cal: WorkCalendar) -> date:
        """The session is held by this day (cl. 21)."""
        return cal.add_working_days(requested_on, self.session_working_days)

    def protocol_deadline(self, signed_on: date, cal: WorkCalendar) -> date:
        """HR posts the protocol by this day (cl. 23)."""
        return cal.add_working_days(signed_on, self.protocol_posting_working_days)

    def voting_opens_on(self, approved_on: date, cal: WorkCalendar) -> date:
        """Cl. 23 lets the evaluator and the servant argue in writing before the panel
        decides; the vote opens when both have, or at the latest on this day (decisions)."""
        return cal.add_working_days(approved_on, self.argument_working_days)

    def feedback_follow_up(self, decided_on: date, day: date, cal: WorkCalendar) -> str | None:
        """Cl. 24 sets no deadline for the feedback meeting (docs/decisions.md): with none
        recorded, the evaluator is reminded once ``feedback_reminder_working_days`` after the
        decision ("remind") and HR told once ``feedback_escalation_working_days`` after it
        ("escalate"); on any other day nobody is (None)."""
        if day == cal.add_working_days(decided_on, self.feedback_reminder_working_days):
            return "remind"
        if day == cal.add_working_days(decided_on, self.feedback_escalation_working_days):
            return "escalate"
        return None


@dataclass(frozen=True, slots=True)
class PanelMember:
    """A proposed member: who, and whether he works in HR or evaluates others."""

    id: int | str
    is_hr: bool = False
    is_evaluator: bool = False


@dataclass(frozen=True, slots=True)
class PanelProblem:
    """A composition rule the panel breaks: ``code`` for programs, ``clause`` for people."""

    code: str
    clause: str
    member: int | str | None = None


def panel_problems(
    rules: CalibrationRules,
    members: Sequence[PanelMember],
    *,
    appellant: int | str,
    evaluators: Sequence[int | str],
) -> list[PanelProblem]:
    """Every rule of cl. 20 the proposed panel breaks (empty: the panel is valid).

    ``evaluators`` are the people whose score is under review; "includes evaluators" means
    at least one member who evaluates other servants.
    """
    problems: list[PanelProblem] = []
    ids = [m.id for m in members]
    for member_id, count in Counter(ids).items():
        if count > 1:
            problems.append(PanelProblem("duplicate_member", rules.clause, member_id))
    size = len(set(ids))
    if size < rules.min_members:
        problems.append(PanelProblem("too_few_members", rules.clause))
    if rules.odd_members and size % 2 == 0:
        problems.append(PanelProblem("even_members", rules.clause))
    if rules.exclude_appellant and appellant in ids:
        problems.append(PanelProblem("includes_appellant", rules.clause, appellant))
    if rules.exclude_evaluator:
        problems += [PanelProblem("includes_evaluator", rules.clause, e)
                     for e in evaluators if e in ids]
    if rules.require_hr and not any(m.is_hr for m in members):
        problems.append(PanelProblem("no_hr_member", rules.clause))
    others = [m for m in members if m.is_evaluator and m.id not in evaluators]
    if rules.require_evaluators and not others:
        problems.append(PanelProblem("no_evaluator_member", rules.clause))
    return problems


def majority_score(rules: CalibrationRules,
                   votes: Mapping[int, Decimal] | Mapping[str, Decimal],
                   members: int) -> Decimal | None:
    """The score a majority voted for, or ``None`` (vote again).

    ``majority_of = "members"``: more than half of all members (Typical cl. 23);
    ``"participants"``: more than half of those who voted (justice cl. 47).
    """
    if not votes:
        return None
    score, count = Counter(votes.values()).most_common(1)[0]
    base = members if rules.majority_of == "members" else len(votes)
    return score if count * 2 > base else None


def propose_panel(rules: CalibrationRules, candidates: Sequence[PanelMember], *,
                  appellant: int | str, evaluators: Sequence[int | str]) -> list[PanelMember]:
    """A panel that passes ``panel_problems``: one HR employee and other evaluators, as few as
    the rules allow (odd, at least the minimum); empty if the candidates cannot make one."""
    excluded = {appellant, *evaluators}
    eligible = [c for c in candidates if c.id not in excluded]
    hr = [c for c in eligible if c.is_hr][:1] if rules.require_hr else []
    others = [c for c in eligible if c.is_evaluator and c not in hr]
    others += [c for c in eligible if c not in hr and c not in others]
    size = max(rules.min_members, 1)
    if rules.odd_members and size % 2 == 0:
        size += 1
    panel = hr + others[:max(size - len(hr), 0)]
    if rules.odd_members and len(panel) % 2 == 0:
        panel = panel[:-1]
    problems = panel_problems(rules, panel, appellant=appellant, evaluators=evaluators)
    return [] if problems else panel


def corrected_score(text: object, scale: Scale, sanctions: Sanctions | None,
                    sanction: str | Iterable[str] | None) -> Decimal:
    """A score a panel member proposes instead of the evaluator's (cl. 23: "up or down"):
    two decimals at most, within the form's scale, and not above the cap an overall
    disciplinary sanction puts on the average; raises ``ScoreError`` otherwise."""
    value = parse_decimal(text, what="score")
    high = scale.max
    if sanctions and sanctions.scope == "overall" and (cap := sanctions.cap_for(sanction)):
        high = min(high, cap.max)
    if not scale.min <= value <= high:
        raise ScoreError("above_max" if value > high else "below_min", "outside the scale",
                         low=scale.min, high=high)
    return value


def overdue_since(status: str, today: date, *, decision_due: date, session_due: date,
                  protocol_due: date | None, protocol_posted: bool) -> date | None:
    """The deadline a calibration session has missed, or ``None`` while it is on time: the
    official's decision and the panel while it is requested (cl. 20), the session while the
    panel votes (cl. 21), then the protocol until HR posts it (cl. 23)."""
    if status == "requested":
        return decision_due if today > decision_due else None
    if status == "voting":
        return session_due if today > session_due else None
    if protocol_posted or protocol_due is None:
        return None
    return protocol_due if today > protocol_due else None
