"""Whoever substitutes the absent evaluator evaluates, for the absence (Typical cl. 4 ¶4),
not only when it covers the quarter's opening day (issue 15 item 3)."""

from datetime import date

import pytest

from scoring.campaign import Absence, evaluator_on

BOSS, DEPUTY, OTHER, COLLEAGUE = 1, 2, 3, 4
LEAVE = Absence(BOSS, date(2026, 4, 8), date(2026, 4, 15), "отпуск", DEPUTY)
SICK = Absence(BOSS, date(2026, 4, 16), date(2026, 4, 17), "больничный", OTHER)
UNNAMED = Absence(BOSS, date(2026, 4, 20), date(2026, 4, 24), "отпуск", None)


@pytest.mark.parametrize(
    ("day", "current", "absences", "wanted"),
    [
        (date(2026, 4, 7), BOSS, [LEAVE], None),  # not absent yet
        (date(2026, 4, 8), BOSS, [LEAVE], DEPUTY),  # the leave starts in the window
        (date(2026, 4, 10), DEPUTY, [LEAVE], None),  # the deputy keeps it meanwhile
        (date(2026, 4, 16), DEPUTY, [LEAVE], BOSS),  # back before the deadline
        (date(2026, 4, 16), DEPUTY, [LEAVE, SICK], OTHER),  # straight into another absence
        (date(2026, 4, 21), BOSS, [UNNAMED], None),  # no substitute named: he keeps it
        (date(2026, 4, 10), COLLEAGUE, [LEAVE], None),  # handed over by cl. 18: stays
        (date(2026, 4, 10), BOSS, [], None),
    ],
)
def test_the_substitute_holds_the_sheets_for_the_absence(day, current, absences, wanted):
    assert evaluator_on(day, current=current, routed=BOSS, routed_absences=absences) == wanted
