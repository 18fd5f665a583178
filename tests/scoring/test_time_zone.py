"""The time zone comes from the shipped tzdata, and the bot refuses one that is not UTC+5
(issue 15 item 10; all of Kazakhstan keeps UTC+5 since 1 March 2024)."""

from datetime import UTC, datetime

import pytest

from scoring import ALMATY, shipped_zone, zone_problem


@pytest.mark.parametrize(
    ("key", "moment", "fine"),
    [
        ("Asia/Almaty", datetime(2026, 12, 2, 5, tzinfo=UTC), True),
        ("Asia/Almaty", datetime(2024, 3, 1, 12, tzinfo=UTC), True),  # the first day of UTC+5
        ("Asia/Almaty", datetime(2024, 2, 28, 12, tzinfo=UTC), False),  # still UTC+6 then
        ("Asia/Aqtobe", datetime(2026, 7, 1, tzinfo=UTC), True),
        ("Asia/Qostanay", datetime(2026, 7, 1, tzinfo=UTC), True),
        ("Europe/Moscow", datetime(2026, 7, 1, tzinfo=UTC), False),
        ("UTC", datetime(2026, 7, 1, tzinfo=UTC), False),
    ],
)
def test_a_zone_other_than_utc_plus_5_is_a_problem(key, moment, fine):
    problem = zone_problem(shipped_zone(key), moment)
    assert (problem is None) is fine
    if problem:
        assert key in problem and "UTC+5" in problem and "\n" not in problem


@pytest.mark.parametrize("key", ["", "Nowhere/City", "../../etc/passwd", "Asia//Almaty", "Asia"])
def test_an_unknown_zone_name_is_refused(key):
    with pytest.raises(ValueError):
        shipped_zone(key)


def test_the_calendar_zone_is_read_from_the_tzdata_package():
    assert ALMATY.key == "Asia/Almaty"
    assert datetime(2026, 1, 1, tzinfo=UTC).astimezone(ALMATY).utcoffset().total_seconds() \
        == 5 * 3600
