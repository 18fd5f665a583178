"""HR's files end to end: the results workbook built in the background and opened with
openpyxl, rosters refused for what is wrong (in the chat and on the command line), a roster
received before a crash imported after the restart."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import load_workbook

from scoring import load_methodology
from services import campaigns, roster
from storage import evaluation
from storage import org as org_storage
from tests.harness import FakeTelegram

from . import org
from .bots import RunningBot, run_cli
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


# ----- rosters ------------------------------------------------------------------------------

NEWCOMER = "400,Жаңабаев Ерік,Эксперт,C-4,Департамент,45301,no,no,200,,,,"  # 200: in the bot


def _roster_xlsx(servants: list[str], sanctions: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "servants"
    for line in (org.HEADER, *servants):
        sheet.append(line.split(","))
    extra = book.create_sheet("sanctions")
    for row in (["personnel_no", "kind", "imposed_on"], *sanctions):
        extra.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _servants(bot: RunningBot) -> int:
    async with bot.app.db.reading() as conn:
        return (await conn.execute_fetchall("SELECT count(*) FROM servant"))[0][0]


async def test_rosters_refused_for_what_is_wrong_in_the_chat(telegram: FakeTelegram,
                                                           bot: RunningBot) -> None:
    hr = person(telegram, "100", "kk")
    before = await _servants(bot)
    wrong = [NEWCOMER.replace("C-4", "C-9"),
             "401,Басқа Адам," + "П" * 5000 + ",C-4,Департамент,2024-01-10,no,no,200,,,,"]
    await hr.upload("roster.csv", "\n".join([org.HEADER, *wrong]).encode())
    rejected = await hr.expect("Тізім жүктелмеді")
    assert "2-жол, category бағаны: «C-9» — әдістемеде мұндай санат жоқ" in rejected.text
    assert "3-жол, position бағаны: 300 таңбадан ұзын" in rejected.text
    assert len(rejected.text) < 4096 and await _servants(bot) == before
    # one newcomer whose supervisor is already in the bot, appointed on Excel's day 45301
    await hr.upload("roster.csv", f"{org.HEADER}\n{NEWCOMER}\n".encode())
    accepted = await hr.expect("Тізім жүктелді")
    assert "қосылды 1, өзгертілді 0, босатылды 0, өзгеріссіз 0" in accepted.text
    async with bot.app.db.reading() as conn:
        row = await conn.execute_fetchall(
            "SELECT appointed_on, supervisor_id FROM servant WHERE personnel_no = '400'")
    assert tuple(row[0]) == ("2024-01-10", bot.ids["200"])
    # only a sanction is new: the summary says so
    await hr.upload("roster.xlsx", _roster_xlsx([NEWCOMER], [["400", "ескерту", "2026-02-02"]]))
    sanction = await hr.expect("Тізім жүктелді")
    assert "өзгеріссіз 1" in sanction.text
    assert "Қосылған тәртіптік жазалар: 1" in sanction.text
    # a small file that unpacks to hundreds of megabytes is refused unread
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (201 * 1024 * 1024))
    await hr.upload("bomb.xlsx", bomb.getvalue())
    refused = await hr.expect("Тізім жүктелмеді")
    assert "200 МБ-тан асады" in refused.text


async def test_rosters_refused_on_the_command_line_in_the_same_words(
        telegram: FakeTelegram, tmp_path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(f"{org.HEADER}\n200,Жақсылықов Нұрлан,Директор,C-1,Департамент,"
                     "2018-06-11,yes,yes,,,,ru,\n", encoding="utf-8")
    database = tmp_path / "db.sqlite3"
    code, out, err = await run_cli(telegram, database, "import-roster", str(first))
    assert code == 0, err
    assert "Список загружен: добавлено 1, изменено 0, уволено 0, без изменений 0." in out
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(f"{org.HEADER}\n{NEWCOMER.replace('C-4', 'C-9')}\n", encoding="utf-8")
    code, out, err = await run_cli(telegram, database, "import-roster", str(wrong))
    assert code == 1
    assert "Список не загружен, ничего не изменено" in err
    assert "строка 2, столбец category: «C-9» — такой категории нет в методике" in err
    newcomer = tmp_path / "newcomer.csv"  # his supervisor is already in the bot
    newcomer.write_text(f"{org.HEADER}\n{NEWCOMER}\n", encoding="utf-8")
    code, out, err = await run_cli(telegram, database, "import-roster", str(newcomer))
    assert code == 0, err
    assert "добавлено 1" in out


async def test_a_roster_received_before_a_crash_is_imported_after_the_restart(
        telegram: FakeTelegram, bot: RunningBot) -> None:
    async with bot.app.db.reading() as conn:
        hr_servant = await org_storage.servant(conn, bot.ids["100"])
    assert hr_servant is not None
    # the file was recorded, then the bot was killed before it was processed
    await roster.receive(bot.app.context, hr_servant, f"{org.HEADER}\n{NEWCOMER}\n".encode(),
                         "roster.csv", "kk")
    await bot.restart()
    hr = person(telegram, "100", "kk")
    done = await hr.wait_for(lambda m: "Тізім жүктелді" in m.text)
    assert "қосылды 1" in done.text


# ----- the campaign screens ------------------------------------------------------------------

async def test_the_menu_offers_what_can_be_done_and_says_when_a_deadline_has_passed(
        telegram: FakeTelegram, bot: RunningBot) -> None:
    hr = person(telegram, "100", "kk")
    await hr.send("/campaign")
    menu = await hr.expect("не істегіңіз келеді?")
    assert {"Ашу: 2025 жылғы 4-тоқсан", "Ашу: 2026 жылғы 1-тоқсан"} <= set(menu.button_labels())
    await hr.press("Ашу: 2025 жылғы 4-тоқсан")  # due 20 January: HR opens it in April
    late = await hr.expect("2025 жылғы 4-тоқсан ашылды")
    assert late.text.startswith("⚠ Бағалау мерзімі (2026 жылғы 20 қаңтар) өтіп кетті")
    await hr.send("/campaign")
    menu = await hr.expect("не істегіңіз келеді?")
    labels = set(menu.button_labels())
    assert "Ашу: 2025 жылғы 4-тоқсан" not in labels
    assert {"Жаңа қызметшілерді қосу: 2025 жылғы 4-тоқсан", "Ашу: 2026 жылғы 1-тоқсан"} <= labels
    await hr.press("Ашу: 2026 жылғы 1-тоқсан", message=menu)
    on_time = await hr.expect("2026 жылғы 1-тоқсан ашылды")
    assert "⚠" not in on_time.text


async def test_progress_stays_one_message_with_the_table_attached(
        telegram: FakeTelegram, bot: RunningBot) -> None:
    rows = [f"{500 + n},Қызметші {n},Эксперт,C-4,Департамент / Бөлім {n:02},2020-01-10,"
            f"no,no,200,,,," for n in range(80)]
    await roster.import_roster(bot.app.context, "\n".join([org.HEADER, *rows]).encode(),
                               "r.csv", by=None)
    dismissed = await _sheet_of_dismissed(telegram, bot)
    hr = person(telegram, "100", "ru")
    await hr.send("/language")
    await hr.press("Русский")
    await hr.send("/campaign")
    await hr.press("Ход оценки")
    report = await hr.expect("Листы: выполнено")
    assert len(report.text) <= 4096
    assert "<b>" not in report.text and "… и ещё" in report.text
    assert f"{dismissed} (205): +7 701 000 00 10" in report.text  # a phone as people write it
    table = await hr.wait_for(lambda m: m.document is not None)
    name, content = table.document
    assert name.startswith("progress-")
    units = load_workbook(io.BytesIO(content))["Подразделения"]
    assert units.max_row == 1 + 80 + 3  # the header, the new units and the three of the body
    assert [m.message_id for m in hr.bot_messages if "Листы: выполнено" in m.text] == \
        [report.message_id]


async def _sheet_of_dismissed(telegram: FakeTelegram, bot: RunningBot) -> str:
    """Q1 opened; the dismissed servant's sheet submitted without him, his phone on file."""
    hr = person(telegram, "100", "kk")
    await hr.send("/campaign")
    await hr.press("Ашу: 2026 жылғы 1-тоқсан")
    await hr.expect("2026 жылғы 1-тоқсан ашылды")
    sheet = await _sheet_of(bot, "205")
    async with bot.app.db.transaction() as conn:
        await conn.execute("UPDATE servant SET phone = '77010000010' WHERE personnel_no = '205'")
        await evaluation.submit(conn, sheet.id, average=Decimal("4.00"), grade="effective",
                                at=datetime(2026, 4, 7, tzinfo=UTC), actor="test")
    return "Мұхамедиев Арман"


async def test_an_export_asked_for_before_a_restart_is_delivered_after_it(
        telegram: FakeTelegram, bot: RunningBot) -> None:
    await _open_quarter(telegram, bot)
    async with bot.app.db.reading() as conn:
        hr_servant = await org_storage.servant(conn, bot.ids["100"])
    assert hr_servant is not None
    await campaigns.request_exports(bot.app.context, hr_servant, "kk")  # then the bot stopped
    await bot.restart()
    await bot.app.context.jobs.wait_idle()
    await bot.app.notifier.wait_idle()
    hr = person(telegram, "100", "kk")
    export = await hr.wait_for(lambda m: m.document is not None)
    assert export.document[0] == "results-2026Q1.xlsx"


async def test_an_export_that_fails_says_so_in_place_of_preparing(
        telegram: FakeTelegram, bot: RunningBot, monkeypatch) -> None:
    from handlers.campaign import views

    def broken(*args: object, **kwargs: object) -> tuple[str, bytes]:
        raise OSError("disk full")

    monkeypatch.setattr(views, "results_workbook", broken)
    await _open_quarter(telegram, bot)
    hr = person(telegram, "100", "kk")
    await hr.send("/campaign")
    await hr.press("Нәтижелерді экспорттау (XLSX)")
    preparing = await hr.expect("нәтижелері дайындалуда")
    await bot.app.context.jobs.wait_idle()
    await bot.app.notifier.wait_idle()
    failed = await hr.wait_for(lambda m: "файлын дайындау мүмкін болмады" in m.text)
    assert failed.message_id == preparing.message_id  # the same message, edited
