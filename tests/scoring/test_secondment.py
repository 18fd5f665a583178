"""Seconded servants are evaluated by the receiving body for the secondment period (Typical
cl. 4 ¶5); a business trip is still work with the home body (issue 15 item 2)."""

from datetime import date

import pytest

from scoring import Quarter
from scoring.campaign import Absence, Person, plan_quarter, worked_days

QUARTER = Quarter(2026, 1)
SERVANT = Person(1, "C-4", False, False, None, 2, date(2015, 1, 1), None)
BOSS = Person(2, "C-3", True, False, None, None, date(2015, 1, 1), None)


@pytest.mark.parametrize(
    ("kind", "starts", "ends", "outcome"),
    [
        ("secondment", date(2026, 1, 5), date(2026, 3, 31), "seconded"),  # the whole quarter
        ("прикомандирование", date(2026, 1, 12), date(2026, 6, 30), "seconded"),
        ("іссапарға жіберу", date(2026, 1, 5), date(2026, 3, 20), "seconded"),
        ("secondment", date(2026, 3, 2), date(2026, 6, 30), "evaluated"),  # Jan–Feb at home
        ("командировка", date(2026, 1, 5), date(2026, 3, 31), "evaluated"),  # still work
        ("business_trip", date(2026, 1, 5), date(2026, 3, 31), "evaluated"),
        ("больничный", date(2026, 1, 5), date(2026, 3, 31), "too_few_worked_days"),
    ],
)
def test_the_home_body_does_not_evaluate_the_secondment(typical, cal, kind, starts, ends,
                                                        outcome):
    absence = Absence(1, starts, ends, kind, None)
    assignments, exclusions = plan_quarter(typical, QUARTER, [SERVANT, BOSS], unit_parents={},
                                           absences=[absence], calendar=cal,
                                           opened_on=date(2026, 4, 1))
    found = {a.servant_id: "evaluated" for a in assignments} | {
        e.servant_id: e.reason for e in exclusions}
    assert found[1] == outcome


def test_secondment_days_are_not_worked_with_the_home_body(cal):
    absence = Absence(1, date(2026, 3, 2), date(2026, 6, 30), "secondment", None)
    assert worked_days(appointed_on=SERVANT.appointed_on, dismissed_on=None,
                       period_start=QUARTER.start, period_end=QUARTER.end, absences=[absence],
                       calendar=cal) == cal.working_days_between(QUARTER.start,
                                                                  date(2026, 3, 1))
