"""HR's files end to end: the results workbook built in the background and opened with
openpyxl, rosters refused for what is wrong (in the chat and on the command line), a roster
received before a crash imported after the restart."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import load_workbook

from scoring import load_methodology
from storage import evaluation
from tests.harness import FakeTelegram

from .bots import RunningBot
from .test_evaluation import (
    _capped_sheet_of_dana,
    _open_quarter,
    _sheet_of,
    _submitted_sheet_of_kim,
    bot,
    person,
)

__all__ = ["bot"]  # the fixture, shared with test_evaluation
TYPICAL = load_methodology("typical-2025")


def _rows(sheet) -> dict[str, dict[str, object]]:
    header = [c.value for c in sheet[1]]
    return {r[0]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}


async def test_the_results_workbook_a_reader_can_trust(telegram: FakeTelegram,
                                                      bot: RunningBot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    await _submitted_sheet_of_kim(director)
    await _capped_sheet_of_dana(director)
    await director.press("Отправить…")
    await director.press("Да, отправить")
    await director.expect("Отправлено: 3,80")
    dana = await _sheet_of(bot, "203")
    async with bot.app.db.transaction() as conn:  # a session raised Dana to 4.10; a name
        await evaluation.set_final(conn, dana.id, average=Decimal("4.10"), grade="effective",
                                   at=datetime(2026, 4, 20, tzinfo=UTC), actor="test")
        await conn.execute("UPDATE servant SET full_name = '=HYPERLINK(\"http://x\")' "
                           "WHERE personnel_no = '204'")
    hr = person(telegram, "100", "kk")
    await hr.send("/campaign")
    await hr.press("Нәтижелерді экспорттау (XLSX)")
    await hr.expect("2026 жылғы 1-тоқсан нәтижелері дайындалуда")
    await hr.send("/start")  # the bot answers meanwhile
    await hr.expect("Ахметова Айгерім")
    await bot.app.context.jobs.wait_idle()
    await bot.app.notifier.wait_idle()
    export = await hr.wait_for(lambda m: m.document is not None)
    await hr.wait_for(lambda m: "нәтижелері дайын" in m.text)  # "preparing…" was edited
    assert "2026 жылғы 1-тоқсан: қамтылған 9 қызметші" in export.text
    name, content = export.document
    assert name == "results-2026Q1.xlsx"
    book = load_workbook(io.BytesIO(content))
    cover = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True)}
    assert cover["Мемлекеттік орган"] == "Test Ministry"
    assert cover["Кезең"] == "2026 жылғы 1-тоқсан"
    assert cover["Кім жасады"] == "Ахметова Айгерім"
    managerial, non_managerial, not_evaluated = book.worksheets[1:]
    # one sheet per form, its own parameter titles in its own order
    for sheet, form in ((managerial, "managerial"), (non_managerial, "non_managerial")):
        header = [c.value for c in sheet[1]]
        titles = [f"{i}. {p.title.kk}"
                  for i, p in enumerate(TYPICAL.forms[form].parameters, start=1)]
        assert header[7:7 + len(titles)] == titles
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.title.startswith("2.")
    kim = _rows(managerial)["201"]
    assert kim["Орташа баға"] == 4.55
    submitted = kim["Жіберілді"]
    assert isinstance(submitted, datetime) and submitted.hour == 10  # Almaty, not UTC
    rows = _rows(non_managerial)
    dana_row = rows["203"]
    assert dana_row["5. " + TYPICAL.forms["non_managerial"].parameters[4].title.kk] == 2.99
    assert dana_row["Орташа баға"] == 3.8
    assert dana_row["Нәтиже"] == "Функционалдық міндеттерін тиісті түрде атқарады"
    assert dana_row["Калибрлеуден кейінгі баға"] == 4.1
    assert dana_row["Калибрлеуден кейінгі нәтиже"] == \
        "Функционалдық міндеттерін тиімді атқарады"
    assert "қатысуынсыз" in rows["205"]["Мәртебесі"]  # dismissed: without participation
    assert rows["204"]["Т. А. Ә."] == '=HYPERLINK("http://x")'
    for cell in non_managerial["B"]:
        assert cell.data_type == "s"  # text, never a formula
    dana_cells = next(r for r in non_managerial.iter_rows(min_row=2) if r[0].value == "203")
    score_cells = [c for c in dana_cells if isinstance(c.value, int | float)]
    assert len(score_cells) == 7  # five parameters, the average, the calibrated score
    assert all(c.number_format == "0.00" for c in score_cells)
    missing = _rows(not_evaluated)
    assert set(missing) == {"206", "300"}
    assert missing["206"]["Мәртебесі"] == "бағаланбайды: лауазымда бір айдан аз (6-т.)"
