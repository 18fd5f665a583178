"""The servant's result on his first day: a window that has closed says so, a request he made
is shown where it stands, Kazakh dates take their case endings, Russian needs no declined name
and no man-only button."""

from __future__ import annotations

from datetime import datetime

from .test_calibration import (
    ALMATY,
    _approved_panel,
    _argued,
    _file_request,
    _go,
    _invite,
    _submit,
    bot,
    person,
)

__all__ = ["bot"]  # the fixture, imported for pytest


async def test_after_the_window_the_result_says_it_has_closed(telegram, bot) -> None:
    expert = person(telegram, "202")
    delivered = await expert.wait_for(lambda m: "Ваша оценка" in m.text)
    assert "до 30 марта 2026 включительно" in delivered.text
    assert delivered.button_labels()[:2] == ["Подтверждаю ознакомление",
                                             "Оспорить оценку: запросить калибровочную сессию"]
    _go(bot, datetime(2026, 3, 31, 10, 0, tzinfo=ALMATY))
    await expert.send("/results")
    await expert.press("4-й квартал 2025 г. — 4,00")
    shown = await expert.expect("Ваша оценка за 4-й квартал 2025 г.")
    assert "Срок обращения за калибровочной сессией истёк 30 марта 2026." in shown.text
    assert "включительно" not in shown.text
    assert not [b for b in shown.button_labels() if "калибровочную" in b]


async def test_kazakh_dates_in_the_result_take_their_case(telegram, bot) -> None:
    await _submit(bot, "100", "44444")
    await bot.app.notifier.wait_idle()
    aigerim = person(telegram, "100")
    delivered = await aigerim.wait_for(lambda m: "бағаңыз" in m.text.lower()
                                       and "қоса алғанда" in m.text)
    assert "2026 жылғы 30 наурызды қоса алғанда" in delivered.text
    _go(bot, datetime(2026, 3, 31, 10, 0, tzinfo=ALMATY))
    await aigerim.send("/results")
    await aigerim.press("2025 жылғы 4-тоқсан — 4,00")
    shown = await aigerim.expect("Калибрлеу сессиясын сұрау мерзімі")
    assert "Калибрлеу сессиясын сұрау мерзімі 2026 жылғы 30 наурызда аяқталды." in shown.text


async def test_the_result_shows_where_the_request_stands(telegram, bot) -> None:
    await _file_request(telegram, bot)
    kim = person(telegram, "201")
    await kim.send("/results")
    await kim.press("4-й квартал 2025 г. — 3,40")
    filed = await kim.expect("Вы запросили калибровочную сессию 30 марта 2026.")
    assert "Должностное лицо утвердит состав до 2 апреля 2026; сессия пройдёт до 13 апреля " \
           "2026." in filed.text
    assert "включительно" not in filed.text


async def test_an_approved_and_then_overdue_request_is_shown_so(telegram, bot) -> None:
    await _approved_panel(telegram, bot)
    kim = person(telegram, "201")
    await kim.send("/results")
    await kim.press("4-й квартал 2025 г. — 3,40")
    await kim.expect("Состав утверждён; сессия пройдёт до 13 апреля 2026.")
    _go(bot, datetime(2026, 4, 14, 10, 0, tzinfo=ALMATY))
    await kim.send("/results")
    await kim.press("4-й квартал 2025 г. — 3,40")
    await kim.expect("Она должна была пройти до 13 апреля 2026, но решение ещё не принято; "
                     "служба управления персоналом уведомлена.")


async def test_the_member_notices_read_well_in_russian(telegram, bot) -> None:
    await _argued(telegram, bot)
    await bot.app.notifier.wait_idle()
    member = person(telegram, "202")
    invited = await member.wait_for(lambda m: "Голосование откроется" in m.text)
    assert invited.text.startswith("Вы — член калибровочной сессии (оценка: Ким Дмитрий, 4-й "
                                   "квартал 2025 г.); ознакомьтесь с материалами.")
    opened = await _invite(member)
    assert opened.text.startswith("Вы — член калибровочной сессии (оценка: Ким Дмитрий, 4-й "
                                  "квартал 2025 г.); ознакомьтесь с материалами и проголосуйте "
                                  "до 13 апреля 2026.")
    for notice in (invited, opened):
        assert "г.." not in notice.text and "служащего" not in notice.text
