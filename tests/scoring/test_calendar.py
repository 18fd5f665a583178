"""Kazakhstan working days and deadlines (SPEC §5)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from scoring import ALMATY, MethodologyError, Quarter, WorkCalendar


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # New Year 2025: Friday 3 January off, Sunday 5 January worked (transfer)
        (date(2024, 12, 31), True), (date(2025, 1, 1), False), (date(2025, 1, 2), False),
        (date(2025, 1, 3), False), (date(2025, 1, 4), False), (date(2025, 1, 5), True),
        (date(2025, 1, 6), True),
        # Orthodox Christmas is a day off but never moves (Labour Code art. 84 p. 5)
        (date(2025, 1, 7), False), (date(2024, 1, 7), False), (date(2024, 1, 8), True),
        # New Year 2026
        (date(2026, 1, 1), False), (date(2026, 1, 2), False), (date(2026, 1, 5), True),
        (date(2026, 1, 7), False),
        # Nauryz 2025: 21–23 March, the weekend days moved to Monday 24 and Tuesday 25
        (date(2025, 3, 20), True), (date(2025, 3, 21), False), (date(2025, 3, 24), False),
        (date(2025, 3, 25), False), (date(2025, 3, 26), True),
        # Nauryz 2026: 21–23 March (Sat–Mon), moved days Tue 24, Wed 25
        (date(2026, 3, 20), True), (date(2026, 3, 23), False), (date(2026, 3, 25), False),
        (date(2026, 3, 26), True),
        # May 2025: 1 (Thu), 7 (Wed), 9 (Fri) off; 2, 5, 6, 8 worked
        (date(2025, 5, 1), False), (date(2025, 5, 2), True), (date(2025, 5, 7), False),
        (date(2025, 5, 8), True), (date(2025, 5, 9), False),
        # May 2024: Saturday 4 May worked, Wednesday 8 May off (transfer)
        (date(2024, 5, 4), True), (date(2024, 5, 8), False),
        # May 2026: Victory Day on Saturday moves to Monday 11 May
        (date(2026, 5, 9), False), (date(2026, 5, 11), False), (date(2026, 5, 12), True),
    ],
)
def test_working_days(cal, day, working):
    assert cal.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 3, 19), 5, date(2025, 3, 31)),  # Wed: 20, 26, 27, 28, 31 (Nauryz)
        (date(2026, 3, 19), 5, date(2026, 3, 31)),  # Thu: 20, 26, 27, 30, 31
        (date(2026, 3, 20), 1, date(2026, 3, 26)),  # Fri before Nauryz -> Thu after it
        (date(2024, 12, 30), 3, date(2025, 1, 6)),  # 31, 5 (worked Sunday), 6
        (date(2025, 12, 30), 3, date(2026, 1, 6)),  # 31 Dec, 5 Jan, 6 Jan
        (date(2025, 4, 30), 5, date(2025, 5, 12)),  # 2, 5, 6, 8, 12 (May holidays)
        (date(2026, 1, 16), 10, date(2026, 1, 30)),
    ],
)
def test_add_working_days(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected


def test_subtract_working_days_is_the_inverse(cal):
    assert cal.subtract_working_days(date(2026, 3, 26), 1) == date(2026, 3, 20)
    assert cal.subtract_working_days(date(2025, 1, 6), 2) == date(2024, 12, 31)


def test_n_must_be_positive(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 1, 1), 0)


def test_roll_forward_and_reasons(cal):
    assert cal.roll_forward(date(2026, 3, 21)) == date(2026, 3, 26)
    assert cal.roll_forward(date(2026, 3, 26)) == date(2026, 3, 26)
    assert cal.day_off_reason(date(2026, 3, 23)) == "Nowruz Holiday"
    assert cal.day_off_reason(date(2026, 3, 28)) == "weekend"
    assert cal.day_off_reason(date(2026, 3, 26)) is None


def test_working_days_between(cal):
    # 22 weekdays minus 9 (Women's Day moved), 23, 24, 25 (Nauryz)
    assert cal.working_days_between(date(2026, 3, 1), date(2026, 3, 31)) == 18
    assert cal.working_days_between(date(2026, 3, 31), date(2026, 3, 1)) == 0


@pytest.mark.parametrize(
    ("quarter", "deadline"),
    [
        (Quarter(2025, 1), date(2025, 4, 21)),  # 20 April 2025 is a Sunday
        (Quarter(2025, 2), date(2025, 7, 21)),  # 20 July 2025 is a Sunday
        (Quarter(2025, 4), date(2026, 1, 20)),
        (Quarter(2026, 1), date(2026, 4, 20)),
        (Quarter(2026, 3), date(2026, 10, 20)),
    ],
)
def test_quarterly_deadline_typical_cl5(typical, cal, quarter, deadline):
    assert typical.evaluation_deadline(quarter, cal) == deadline


def test_justice_deadline_is_the_10th(justice, cal):
    assert justice.evaluation_deadline(Quarter(2026, 1), cal) == date(2026, 4, 10)
    assert justice.evaluation_deadline(Quarter(2025, 4), cal) == date(2026, 1, 12)  # Sat 10


@pytest.mark.parametrize(
    ("year", "deadline"),
    [(2025, date(2026, 1, 30)),  # a Friday
     (2026, date(2027, 1, 30)),  # a Saturday: «не позднее» — an automatic step does not move
     (2027, date(2028, 1, 30))],  # a Sunday
)
def test_annual_deadline_30_january(typical, year, deadline):
    assert typical.annual_deadline(year) == deadline


def test_overrides_file_adds_a_day_off_and_a_working_sunday(tmp_path):
    path = tmp_path / "transfers.toml"
    path.write_text(
        '[[day_off]]\ndate = 2026-12-18\nreason = "decree: moved from Sunday 2026-12-20"\n'
        '[[working_day]]\ndate = 2026-12-20\nreason = "decree: worked instead of 2026-12-18"\n',
        encoding="utf-8",
    )
    cal = WorkCalendar.kazakhstan([path])
    assert not cal.is_working_day(date(2026, 12, 18))
    assert cal.is_working_day(date(2026, 12, 20))
    assert cal.day_off_reason(date(2026, 12, 18)).startswith("decree")
    assert cal.add_working_days(date(2026, 12, 17), 1) == date(2026, 12, 20)


def test_a_later_override_wins(tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('[[day_off]]\ndate = 2026-12-18\nreason = "x"\n', encoding="utf-8")
    second.write_text('[[working_day]]\ndate = 2026-12-18\nreason = "revoked"\n', encoding="utf-8")
    assert WorkCalendar.kazakhstan([first, second]).is_working_day(date(2026, 12, 18))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[day_off]]\ndate = "2026-12-18"\nreason = "x"\n', "day_off[0].date"),
        ("[[day_off]]\ndate = 2026-12-18\n", "day_off[0].reason"),
        ("holidays = []\n", "holidays"),
        ('[[day_off]]\ndate = 2026-12-18\nreason = "x"\n'
         '[[working_day]]\ndate = 2026-12-18\nreason = "y"\n', "2026-12-18"),
        ("day_off = [\n", ""),
    ],
)
def test_broken_overrides_fail_precisely(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MethodologyError) as exc:
        WorkCalendar.kazakhstan([path])
    assert exc.value.file == str(path)
    assert exc.value.key == key


def test_almaty_is_utc_plus_5_since_march_2024(cal):
    assert datetime(2024, 6, 1, tzinfo=ALMATY).utcoffset() == timedelta(hours=5)
    assert datetime(2024, 2, 1, tzinfo=ALMATY).utcoffset() == timedelta(hours=6)
    late_utc = datetime(2026, 3, 20, 19, 30, tzinfo=UTC)
    assert cal.local_date(late_utc) == date(2026, 3, 21)
    with pytest.raises(ValueError):
        cal.local_date(datetime(2026, 3, 20))  # noqa: DTZ001 - naive on purpose


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 3, 20, 11, 0, tzinfo=ALMATY), datetime(2026, 3, 20, 11, 0, tzinfo=ALMATY)),
        (datetime(2026, 3, 20, 8, 0, tzinfo=ALMATY), datetime(2026, 3, 20, 10, 0, tzinfo=ALMATY)),
        # Friday evening before Nauryz: the next window opens on Thursday 26 March
        (datetime(2026, 3, 20, 18, 0, tzinfo=ALMATY), datetime(2026, 3, 26, 10, 0, tzinfo=ALMATY)),
        (datetime(2026, 3, 23, 12, 0, tzinfo=ALMATY), datetime(2026, 3, 26, 10, 0, tzinfo=ALMATY)),
        (datetime(2025, 12, 31, 23, 0, tzinfo=ALMATY), datetime(2026, 1, 5, 10, 0, tzinfo=ALMATY)),
    ],
)
def test_quiet_hours_window(cal, moment, expected):
    from datetime import time

    assert cal.next_window(moment, time(10), time(18)) == expected
