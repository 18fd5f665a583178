"""The evaluator's first day on the parameter screen: a score typed right there (in every shape
people type it), said back and stored once; an example and a button within a sanction cap; a
comment before or after the score; the quarter named when two are open."""

from __future__ import annotations

from datetime import UTC, datetime

from scoring import Quarter
from storage import evaluation

from .test_evaluation import _answers, _open_quarter, _sheet_of, bot, person

__all__ = ["bot"]  # the fixture, imported for pytest


async def test_a_score_typed_on_the_parameter_screen_is_saved_and_said_back(telegram,
                                                                            bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    sheet = await _sheet_of(bot, "202")
    await director.send("/sheets")
    await director.press("Иванов Алексей — 0/5")
    await director.press("Начать ▶")
    first = await director.expect("Параметр 1 из 5")
    assert "Нажмите оценку от 0 до 5 или введите её, например 4,75." in first.text
    assert "✏ Точное значение" not in first.button_labels()
    await director.send("4,75")  # no button pressed first
    second = await director.expect("Параметр 2 из 5")
    assert second.text.startswith("✓ Сохранено по параметру 1: 4,75.")
    for typed, refusal in (("-0", "Введите оценку без знака «+» или «−», например 4,75."),
                           ("+4", "без знака"),
                           ("   ", "Не удалось прочитать оценку. Введите число от 0 до 5"),
                           ("4,755", "не более двух знаков после запятой, например 4,75"),
                           ("хорошо", "сначала нажмите «💬 Комментарий»")):
        await director.send(typed)
        said = await director.expect(refusal)
        assert "Ничего не сохранено." in said.text
    assert await _answers(bot, sheet.id) == {"quality": "4.75"}
    for typed, saved, number in (("４,５", "4,5", 2), ("4.750", "4,75", 3), ("4,", "4", 4),
                                 (" ,5 ", "0,5", 5)):
        await director.send(typed)
        await director.expect(f"✓ Сохранено по параметру {number}: {saved}.")
    summary = await director.expect("Итого")
    assert "Средняя оценка: 3,70" in summary.text  # (4.75 + 4.5 + 4.75 + 4 + 0.5) / 5
    assert await _answers(bot, sheet.id) == {  # one canonical value each
        "quality": "4.75", "deadlines": "4.5", "independence": "4.75", "labour_discipline": "4",
        "no_sanctions": "0.5"}
    await director.send("5")  # the summary takes no typed score
    await director.expect("Я не понял")
    assert (await _answers(bot, sheet.id))["no_sanctions"] == "0.5"


async def test_a_typed_score_in_kazakh_is_said_back(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    head = person(telegram, "300", "kk")
    await head.send("/sheets")
    await head.press("Ахметова Айгерім — 0/5")
    await head.press("Бастау ▶")
    first = await head.expect("5 параметрдің 1")
    assert "0–5 аралығындағы бағаны басыңыз немесе жазыңыз, мысалы 4,75." in first.text
    await head.send("3,5")
    await head.expect("✓ 1-параметр бойынша сақталды: 3,5.")
    await head.send("-1")
    await head.expect("Бағаны плюс не минус белгісінсіз жазыңыз, мысалы 4,75.")


async def test_under_a_sanction_the_example_and_a_button_stay_within_the_cap(telegram,
                                                                             bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    sheet = await _sheet_of(bot, "203")
    await director.send("/sheets")
    await director.press("Төлеуова Дана — 0/5")
    await director.press("Начать ▶")
    for _ in range(4):
        await director.press("4")
    capped = await director.expect("Параметр 5 из 5")
    assert capped.text.count("⚠") == 1
    assert "⚠ Дисциплинарное взыскание в квартале: оценка не более 2,99. Нажмите оценку или " \
           "введите её, например 1,75." in capped.text
    assert "4,75" not in capped.text
    assert capped.button_labels()[:4] == ["0", "1", "2", "2,99"]
    assert await director.press("2,99") == "Сохранено: 2,99"
    assert (await _answers(bot, sheet.id))["no_sanctions"] == "2.99"


async def test_a_comment_written_before_the_score_is_saved_with_it(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    sheet = await _sheet_of(bot, "202")
    await director.send("/sheets")
    await director.press("Иванов Алексей — 0/5")
    await director.press("Начать ▶")
    await director.press("💬 Комментарий")
    await director.expect("Он сохранится вместе с оценкой, которую вы поставите.")
    await director.send("Сдаёт работу в срок")
    waiting = await director.expect("Параметр 1 из 5",
                                    "Комментарий (сохранится вместе с оценкой): Сдаёт работу "
                                    "в срок")
    assert "Далее ▶" not in waiting.button_labels()  # not scored yet: no skipping on
    assert await _answers(bot, sheet.id) == {}
    assert await director.press("5") == "Сохранено: 5"
    await director.expect("Параметр 2 из 5")
    await director.press("💬 Комментарий")
    await director.send("Иногда опаздывает")
    await director.send("4")  # typed after the comment
    await director.expect("✓ Сохранено по параметру 2: 4, с комментарием.", "Параметр 3 из 5")
    await director.press("◀ Назад")
    await director.expect("Параметр 2 из 5", "Оценка: 4", "Комментарий: Иногда опаздывает")
    await director.press("◀ Назад")
    await director.expect("Параметр 1 из 5", "Оценка: 5", "Комментарий: Сдаёт работу в срок")
    await director.press("💬 Комментарий")  # after the score: saved at once
    await director.send("Сдаёт работу в срок и помогает коллегам")
    await director.expect("Параметр 1 из 5", "Комментарий: Сдаёт работу в срок и помогает")
    reloaded = await _sheet_of(bot, "202")
    assert {k: a.comment for k, a in reloaded.answers.items()} == {
        "quality": "Сдаёт работу в срок и помогает коллегам", "deadlines": "Иногда опаздывает"}


async def test_sheets_name_the_quarter_when_two_are_open(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    await director.send("/sheets")
    one = await director.expect("1-й квартал 2026 г.: выполнено 0 из 4")
    assert "Иванов Алексей — 0/5" in one.button_labels()
    async with bot.app.db.transaction() as conn:
        await evaluation.open_campaign(conn, bot.app.methodology, Quarter(2025, 4),
                                       bot.app.calendar, at=datetime(2026, 4, 6, tzinfo=UTC),
                                       today=Quarter(2026, 1).start, actor="test")
    await director.send("/sheets")
    two = await director.expect("4-й квартал 2025 г.", "1-й квартал 2026 г.")
    labels = two.button_labels()
    assert "1-й квартал 2026 г. · Иванов Алексей — 0/5" in labels
    assert "4-й квартал 2025 г. · Иванов Алексей — 0/5" in labels
