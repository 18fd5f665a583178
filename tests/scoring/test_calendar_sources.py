"""Where each day off comes from, and what a year not yet decreed still guesses (issue 15
item 9: the holidays package is rule-based for a year whose transfers are unknown)."""

from datetime import date

import pytest

from scoring import WorkCalendar
from scoring.workdays import PACKAGE

OVERRIDES = """
[[day_off]]
date = 2027-01-08
reason = "Decree No. 1: from Saturday 2027-01-16"
[[working_day]]
date = 2027-01-16
reason = "Decree No. 1: instead of 2027-01-08"
"""


@pytest.fixture(scope="module")
def decreed(tmp_path_factory):
    path = tmp_path_factory.mktemp("calendar") / "kz.toml"
    path.write_text(OVERRIDES, encoding="utf-8")
    return WorkCalendar.kazakhstan([path]), str(path)


@pytest.mark.parametrize(
    ("day", "worked", "source", "estimated"),
    [
        (date(2027, 1, 1), False, PACKAGE, False),
        (date(2027, 5, 16), False, PACKAGE, True),  # Kurban Ait: the package's estimate
        (date(2027, 1, 9), False, "weekend", False),
        (date(2027, 1, 8), False, "file", False),  # the overrides file's decree
        (date(2027, 1, 16), True, "file", False),
        (date(2025, 1, 5), True, PACKAGE, False),  # a transfer already in the package
        (date(2025, 1, 3), False, PACKAGE, False),
    ],
)
def test_each_day_off_has_its_source(decreed, day, worked, source, estimated):
    calendar, path = decreed
    entry = next(e for e in calendar.entries(day.year) if e.day == day)
    assert (entry.worked, entry.source, entry.estimated) == (
        worked, path if source == "file" else source, estimated)


def test_ordinary_working_days_are_not_listed(cal):
    assert all(not e.worked or e.day.weekday() >= 5 for e in cal.entries(2026))


@pytest.mark.parametrize(
    ("year", "estimated", "recorded", "with_file"),
    [
        (2025, (), True, False),  # decreed: the package has the transfer order
        (2027, (date(2027, 5, 16),), False, False),
        (2027, (date(2027, 5, 16),), True, True),  # the order recorded, Kurban Ait still not
    ],
)
def test_what_a_year_still_guesses(cal, decreed, year, estimated, recorded, with_file):
    calendar = decreed[0] if with_file else cal
    unsettled = calendar.unsettled(year)
    assert (unsettled.estimated, unsettled.transfers_recorded) == (estimated, recorded)
    assert unsettled.settled is (not estimated and recorded)
