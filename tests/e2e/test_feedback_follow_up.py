"""The feedback meeting (cl. 24) is asked for at the decision, reminded once, escalated to HR
once and then left alone; a recorded meeting stops it all."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .test_calibration import ALMATY, _decided, _go, bot, person

__all__ = ["bot"]  # the fixture, imported for pytest

TOPIC = "обзор потенциала и обсуждение карьерных устремлений работника"


async def _days(bot, first: date, last: date) -> None:
    """The reminders' daily tick on every day from ``first`` to ``last``."""
    day = first
    while day <= last:
        _go(bot, datetime(day.year, day.month, day.day, 11, 0, tzinfo=ALMATY))
        await bot.app.reminders.tick()
        day += timedelta(days=1)
    await bot.app.notifier.wait_idle()


async def test_the_meeting_is_reminded_once_then_hr_is_told_once(telegram, bot) -> None:
    await _decided(telegram, bot)  # decided on 30 March 2026
    evaluator, hr = person(telegram, "200"), person(telegram, "100")
    await evaluator.wait_for(lambda m: TOPIC in m.text)
    await _days(bot, date(2026, 3, 31), date(2026, 5, 29))
    asked = [m for m in evaluator.bot_messages if TOPIC in m.text]
    assert len(asked) == 2  # the decision, and 6 April (5 working days later)
    told = [m for m in hr.bot_messages if "кері байланыс кездесуін әлі белгілемеді" in m.text]
    assert len(told) == 1
    assert "шешім қабылдады" in told[0].text and "2026 жылғы 30 наурызда" in told[0].text
    assert "Бағалаушыға еске салуды тоқтаттым" in told[0].text


async def test_a_recorded_meeting_stops_the_follow_up(telegram, bot) -> None:
    await _decided(telegram, bot)
    evaluator, hr = person(telegram, "200"), person(telegram, "100")
    task = await evaluator.wait_for(lambda m: "Встреча проведена" in m.button_labels())
    await evaluator.press("Встреча проведена", message=task)
    await _days(bot, date(2026, 3, 31), date(2026, 4, 20))
    assert len([m for m in evaluator.bot_messages if TOPIC in m.text]) == 1
    assert not [m for m in hr.bot_messages if "кері байланыс кездесуін" in m.text]
