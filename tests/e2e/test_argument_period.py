"""The panel votes only once the evaluator and the servant have argued in writing, or their
time (calibration.argument_working_days) is up; the members are told when it opens."""

from __future__ import annotations

import io
from datetime import datetime

from pypdf import PdfReader

from .test_calibration import (
    ALMATY,
    _approved_panel,
    _go,
    _invite,
    _vote,
    bot,
    person,
)

__all__ = ["bot"]  # the fixture, imported for pytest

OPENED = "ознакомьтесь с материалами и проголосуйте до 13 апреля 2026"


async def test_the_vote_opens_when_both_arguments_are_in(telegram, bot) -> None:
    await _approved_panel(telegram, bot)  # approved on 30 March
    await bot.app.notifier.wait_idle()
    member = person(telegram, "202")
    invited = await member.wait_for(lambda m: "Голосование откроется" in m.text)
    assert "не позднее 2 апреля 2026; я сообщу." in invited.text
    assert invited.button_labels() == ["Материалы"]
    calibration_id = invited.buttons[0][0].callback_data.split(":")[1]
    early = await member.press_data(f"k1:{calibration_id}:vote:", invited)
    assert early == "Голосование откроется, когда поступят оба письменных аргумента, но не " \
                    "позднее 2 апреля 2026; я сообщу."
    await member.press("Материалы", message=invited)
    materials = await member.expect("Материалы калибровки")
    assert materials.button_labels() == []  # no vote yet
    evaluator, kim = person(telegram, "200"), person(telegram, "201")
    await evaluator.press("Написать аргументацию", message=await evaluator.wait_for(
        lambda m: "не согласен с вашей оценкой" in m.text))
    await evaluator.send("Два поручения сданы с опозданием.")
    await evaluator.expect("Сохранено")
    await bot.app.notifier.wait_idle()
    assert not [m for m in member.bot_messages if OPENED in m.text]  # one argument is not both
    await kim.press("Добавить письменные аргументы", message=await kim.wait_for(
        lambda m: "Состав вашей калибровочной сессии" in m.text))
    await kim.send("Опоздания были согласованы.")
    await kim.expect("Сохранено")
    await bot.app.notifier.wait_idle()
    opened = await member.wait_for(lambda m: OPENED in m.text)
    assert opened.button_labels() == ["Материалы", "Голосовать"]


async def test_without_arguments_the_vote_opens_when_their_time_is_up(telegram, bot) -> None:
    await _approved_panel(telegram, bot)
    member, hr, official = (person(telegram, n) for n in ("202", "100", "300"))
    for day in (31, 1):  # 31 March, 1 April: still waiting
        _go(bot, datetime(2026, 3 if day == 31 else 4, day, 11, 0, tzinfo=ALMATY))
        await bot.app.reminders.tick()
    await bot.app.notifier.wait_idle()
    assert not [m for m in member.bot_messages if OPENED in m.text]
    _go(bot, datetime(2026, 4, 2, 11, 0, tzinfo=ALMATY))
    await bot.app.reminders.tick()
    await bot.app.notifier.wait_idle()
    await member.wait_for(lambda m: OPENED in m.text)
    for user, choice in ((hr, None), (official, None), (member, None)):
        await _vote(user, await _invite(user), 1, choice)
    await member.wait_for(lambda m: "приняла решение: 3,40" in m.text)
    await bot.app.notifier.wait_idle()
    protocol = await hr.wait_for(lambda m: m.document is not None and "хаттама" in m.text)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(protocol.document[1])).pages)
    assert "Аргументы служащего\nне представлены" in text  # he had his time to add them
