"""What the panel reads: the servant's attached documents reach the official, the members and
the protocol; long materials arrive in messages Telegram accepts; the protocol PDF has the
body's header, a table of votes per round and a signature line for each member."""

from __future__ import annotations

import io
from datetime import datetime

from pypdf import PdfReader

from storage import org

from .test_calibration import (
    ALMATY,
    _approved_panel,
    _decided,
    _go,
    _invite,
    bot,
    person,
)

__all__ = ["bot"]  # the fixture, imported for pytest


async def test_the_attached_document_reaches_the_official_and_the_members(telegram,
                                                                         bot) -> None:
    await _approved_panel(telegram, bot)
    official = person(telegram, "300")
    review = next(m for m in official.bot_messages if "Калибрлеу сессиясы туралы өтініш"
                  in m.text)
    assert "Өтінішке қоса берілген құжаттар (төменде жіберілді): справка.pdf." in review.text
    sent = await official.wait_for(lambda m: m.document is not None
                                   and m.document[0] == "справка.pdf")
    assert sent.document == ("справка.pdf", b"%PDF-1.4 evidence")
    await bot.app.notifier.wait_idle()
    member = person(telegram, "202")
    await member.press("Материалы", message=await member.wait_for(
        lambda m: "Материалы" in m.button_labels()))
    materials = await member.expect("Материалы калибровки")
    assert "Документы, приложенные к обращению (отправлены ниже): справка.pdf." in \
        materials.text
    copy = await member.wait_for(lambda m: m.document is not None)
    assert copy.document == ("справка.pdf", b"%PDF-1.4 evidence")


async def test_long_materials_arrive_in_several_messages(telegram, bot) -> None:
    _go(bot, datetime(2026, 3, 30, 17, 0, tzinfo=ALMATY))
    kim = person(telegram, "201")
    result = await kim.wait_for(lambda m: "Ваша оценка за 4-й квартал 2025 г." in m.text)
    await kim.press("Оспорить оценку: запросить калибровочную сессию", message=result)
    statement = "Начало заявления. " + "Все сроки соблюдены. " * 140  # 2,958 characters
    await kim.send(statement)
    await kim.press("Отправить обращение")
    official = person(telegram, "300")
    await bot.app.notifier.wait_idle()
    await official.press("Өтінішті қарау", message=await official.wait_for(
        lambda m: "калибрлеу сессиясын сұрайды" in m.text))
    await official.press("Құрамды өзгерту")
    await official.send("100 300 202")
    await official.press("Осы құрамды бекіту")
    await bot.app.notifier.wait_idle()
    evaluator = person(telegram, "200")
    await evaluator.press("Написать аргументацию", message=await evaluator.wait_for(
        lambda m: "не согласен с вашей оценкой" in m.text))
    await evaluator.send("Аргументы оценивающего. " + "Поручение сдано позже. " * 125)
    await evaluator.expect("Сохранено")
    await kim.press("Добавить письменные аргументы", message=await kim.wait_for(
        lambda m: "Состав вашей калибровочной сессии" in m.text))
    await kim.send("Аргументы служащего. " + "Опоздание согласовано. " * 125)
    await kim.expect("Сохранено")
    await bot.app.notifier.wait_idle()
    member = person(telegram, "202")
    invite = await _invite(member)
    before = len(member.bot_messages)
    await member.press("Материалы", message=invite)
    await member.expect("Аргументы служащего: Аргументы служащего.")
    pages = member.bot_messages[before:]
    assert len(pages) >= 3
    assert all(len(m.text) <= 4096 for m in pages)
    whole = "\n".join(m.text for m in pages)
    for fragment in ("Материалы калибровки", "Обращение: Начало заявления.",
                     "Аргументы оценивающего лица: Аргументы оценивающего.",
                     "Аргументы служащего: Аргументы служащего.", "Сессия — до 13 апреля 2026."):
        assert fragment in whole, fragment
    assert pages[-1].button_labels() == ["Голосовать"]


async def test_the_protocol_has_a_header_a_vote_table_and_signature_lines(telegram,
                                                                          bot) -> None:
    await _decided(telegram, bot)
    await bot.app.notifier.wait_idle()
    hr = person(telegram, "100")
    protocol = await hr.wait_for(lambda m: m.document is not None and "хаттама" in m.text)
    reader = PdfReader(io.BytesIO(protocol.document[1]))
    whole = "\n".join(page.extract_text() for page in reader.pages)
    kk, ru = whole.split("Протокол калибровочной сессии")
    async with bot.app.db.reading() as conn:
        body = (await org.body(conn)).name
    assert kk.startswith(body) and ru.rstrip().endswith("(подпись)")  # the body heads it
    assert f"{body}\nПротокол калибровочной сессии" in whole
    for text, labels in ((kk, ("Мүше", "Ұсынылған баға", "Калибрлеу сессиясы мүшелерінің "
                               "қолдары", "(қолы)", "2026 жылғы 30 наурыз")),
                         (ru, ("Член сессии", "Предложенная", "Подписи членов "
                               "калибровочной сессии", "(подпись)", "30 марта 2026"))):
        for label in labels:
            assert label in text, label
        assert "справка.pdf" in text
    assert ru.count("(подпись)") == 3  # one line for each member
    assert ru.index("Тур 1") < ru.index("Тур 2") < ru.index("Итоговая оценка")
