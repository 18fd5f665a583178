"""/help explains what each of the user's roles does, rather than repeating the menu."""

from __future__ import annotations

from .test_evaluation import bot, person

__all__ = ["bot"]  # the fixture, imported for pytest


async def test_help_for_an_evaluator_who_is_also_evaluated(telegram, bot) -> None:
    director = person(telegram, "200")
    await director.send("/help")
    shown = await director.expect("Оценивающему лицу")
    assert "нажмите оценку или введите её (4,75 или 4.75)" in shown.text
    assert "«↪ Передать листы коллеге» в /sheets (п. 18)" in shown.text
    assert "Оцениваемому служащему" in shown.text and "/results" in shown.text
    assert "Службе управления персоналом" not in shown.text
    assert shown.text.rstrip().endswith("/surveys показывает анонимные опросы.")
    assert shown.button_labels() == []  # not the menu again


async def test_help_for_hr_in_kazakh(telegram, bot) -> None:
    hr = person(telegram, "100", "kk")
    await hr.send("/help")
    shown = await hr.expect("Персоналды басқару қызметі ретінде")
    assert "/roster қызметкерлер тізімін жүктейді" in shown.text
    assert "Бағаланушы қызметші ретінде" in shown.text
    official = person(telegram, "300", "kk")
    await official.send("/help")
    assert "Тағайындау құқығы бар лауазымды адам ретінде" in (
        await official.expect("Барлығына")).text


async def test_a_stranger_asking_for_help_is_told_how_to_begin(telegram, bot) -> None:
    stranger = telegram.user(9999, "Stranger", language_code="ru")
    await stranger.send("/help")
    await stranger.expect("ссылку-приглашение")
