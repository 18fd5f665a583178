"""When a calibration session is overdue (Typical cl. 20, 21, 23): the step it is at decides
which deadline counts; the deadline day itself is still on time."""

from datetime import date

import pytest

from scoring.calibration import overdue_since

DECISION, SESSION, PROTOCOL = date(2026, 5, 4), date(2026, 5, 14), date(2026, 5, 20)


def _due(status: str, today: date, *, posted: bool = False,
         protocol: date | None = PROTOCOL) -> date | None:
    return overdue_since(status, today, decision_due=DECISION, session_due=SESSION,
                         protocol_due=protocol, protocol_posted=posted)


@pytest.mark.parametrize(("status", "today", "due"), [
    ("requested", DECISION, None),
    ("requested", date(2026, 5, 5), DECISION),
    ("voting", date(2026, 5, 5), None),  # the panel is approved: the decision date no longer
    ("voting", SESSION, None),
    ("voting", date(2026, 5, 15), SESSION),
    ("decided", date(2026, 5, 15), None),  # decided: only the protocol is left
    ("decided", PROTOCOL, None),
    ("decided", date(2026, 5, 21), PROTOCOL),
])
def test_the_step_decides_which_deadline_counts(status: str, today: date,
                                                due: date | None) -> None:
    assert _due(status, today) == due


def test_a_posted_protocol_is_never_overdue() -> None:
    assert _due("decided", date(2026, 6, 30), posted=True) is None


def test_a_decided_session_without_a_protocol_date_is_not_overdue() -> None:
    assert _due("decided", date(2026, 6, 30), protocol=None) is None
