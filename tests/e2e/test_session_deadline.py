"""When the session deadline (cl. 21) passes undecided, everyone it concerns hears it once, by
name of what is missing; a late vote says that it still counts."""

from __future__ import annotations

from datetime import datetime

from .test_calibration import ALMATY, _approved_panel, _file_request, _go, _invite, bot, person

__all__ = ["bot"]  # the fixture, imported for pytest


async def _tick(bot, day: int) -> None:
    _go(bot, datetime(2026, 4, day, 11, 0, tzinfo=ALMATY))
    await bot.app.reminders.tick()
    await bot.app.notifier.wait_idle()


async def test_a_panel_that_never_voted_is_named_to_everyone(telegram, bot) -> None:
    await _approved_panel(telegram, bot)  # requested 30 March: due by 13 April
    await _tick(bot, 13)
    kim, evaluator = person(telegram, "201"), person(telegram, "200")
    official, hr = person(telegram, "300"), person(telegram, "100")
    assert not [m for m in kim.bot_messages if "должна была пройти" in m.text]
    await _tick(bot, 14)
    told = await kim.wait_for(lambda m: "должна была пройти" in m.text)
    assert told.text == (
        "Ваша калибровочная сессия (4-й квартал 2025 г.) должна была пройти до 13 апреля 2026 "
        "(п. 21), но решение ещё не принято: в туре 1 проголосовали 0 из 3 членов. Должностному "
        "лицу и службе управления персоналом сообщено. До решения действует оценка оценивающего "
        "лица; решение, принятое с опозданием, всё равно её заменит.")
    await evaluator.wait_for(lambda m: "пропустила срок 13 апреля 2026 (п. 21): в туре 1 "
                             "проголосовали 0 из 3 членов" in m.text)
    for user in (official, hr):
        await user.wait_for(lambda m: "2026 жылғы 13 сәуірге дейінгі мерзімін өткізіп алды "
                            "(21-т.): 1-турда 3 мүшенің 0 дауыс берді" in m.text)
    await _tick(bot, 15)  # once, not every day
    assert len([m for m in kim.bot_messages if "должна была пройти" in m.text]) == 1
    member = person(telegram, "202")
    await member.press("Голосовать", message=await _invite(member))
    ballot = await member.expect("Тур 1: поддержать")
    assert "⚠ Сессия должна была пройти до 13 апреля 2026 (п. 21). Ваш голос учитывается; в " \
           "протоколе отмечается, что сессия прошла с опозданием." in ballot.text
    kim_result = kim  # his result screen says the same
    await kim_result.send("/results")
    await kim_result.press("4-й квартал 2025 г. — 3,40")
    await kim_result.expect("Она должна была пройти до 13 апреля 2026, но решение ещё не "
                            "принято")


async def test_a_request_without_a_panel_says_so(telegram, bot) -> None:
    await _file_request(telegram, bot)
    await _tick(bot, 14)
    official = person(telegram, "300")
    notice = await official.wait_for(lambda m: "мерзімін өткізіп алды" in m.text)
    assert "құрам бекітілген жоқ (2026 жылғы 2 сәуірге дейін бекітілуі керек еді)" in \
        notice.text
