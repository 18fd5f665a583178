"""The platform end to end: bootstrap, roster import, invitations, binding, languages, groups,
restart — a user on a phone talking to the real bot through the fake Bot API."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date

import pytest_asyncio
from openpyxl import Workbook, load_workbook

from tests.harness import FakeTelegram, FakeUser

from .bots import RunningBot, run_cli

HEADER = ["personnel_no", "full_name", "position", "category", "unit", "appointed_on",
          "managerial", "unit_head", "supervisor", "phone", "language", "role"]
HR_ROW = ["100", "Ахметова Айгерім", "Head of HR", "C-3", "Apparatus / HR", "2020-09-14", "yes",
          "no", "", "+7 701 000 01 00", "kk", "hr"]
STAFF = [
    ["200", "Серікбаев Ерлан", "Director", "C-1", "Department", date(2018, 6, 11), "yes", "yes",
     "", "+7 701 000 02 00", "ru", "appointing"],
    ["201", "Ким Дмитрий", "Chief expert", "C-4", "Department / Division", "2021-01-18", "no",
     "no", "200", "+7 701 000 02 01", "ru", ""],
    ["202", "Оспанова Гүлнар", "Expert", "C-5", "Department / Division", "15.03.2024", "no",
     "no", "200", "8 701 000 02 02", "", ""],
]


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "servants"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    """The bot over a database holding only the HR officer, imported by the command line."""
    database = tmp_path / "bagalau.sqlite3"
    first = tmp_path / "first.csv"
    first.write_text(",".join(HEADER) + "\n" + ",".join(HR_ROW) + "\n", encoding="utf-8")
    code, out, err = await run_cli(telegram, database, "import-roster", str(first))
    assert code == 0, err
    assert "добавлено 1" in out  # the chat's sentence, in DEFAULT_LANGUAGE
    running = await RunningBot(telegram, database).start()
    yield running
    await running.stop()


# ----- arranging: each drives the chat the way the onboarding story does ------------------------

async def _hr_bootstrapped(telegram: FakeTelegram, bot: RunningBot) -> FakeUser:
    """The first HR officer opens the link ``invite --hr`` printed and is bound."""
    code, out, err = await run_cli(telegram, bot.settings.database_path, "invite", "--hr",
                                   "Айгерім")
    assert code == 0, err
    hr = telegram.user(1001, "Айгерім", language_code="kk")
    await hr.send("/start " + out.strip().rsplit("=", 1)[1])
    await hr.expect("Ахметова Айгерім", "Сіздің рөлдеріңіз:")
    return hr


async def _staff_imported(telegram: FakeTelegram, bot: RunningBot) -> FakeUser:
    """The HR officer is bound and has uploaded the whole roster; returns her."""
    hr = await _hr_bootstrapped(telegram, bot)
    await hr.upload("roster.xlsx", workbook([HR_ROW, *STAFF]))
    await hr.expect("қосылды 3")
    return hr


async def _invitation_links(hr: FakeUser) -> dict[str, str]:
    """HR asks for the invitations; returns each unlinked servant's link by personnel number."""
    await hr.press("Шақыру сілтемелері")
    _, content = (await hr.expect("жеке шақыру сілтемесі")).document
    sheet = load_workbook(io.BytesIO(content)).active
    return {r[0]: r[5] for r in sheet.iter_rows(min_row=2, values_only=True)}


async def _kim_bound_in_kazakh(telegram: FakeTelegram, link: str) -> FakeUser:
    """Kim opens his invitation link and switches the bot to Kazakh."""
    kim = telegram.user(2001, "Dmitry", language_code="ru")
    await kim.send("/start " + link.rsplit("=", 1)[1])
    await kim.expect("Ваши роли:")
    await kim.send("/language")
    await kim.press("Қазақша")
    await kim.expect("Сіздің рөлдеріңіз:")
    return kim


async def _gulnar_bound_by_phone(telegram: FakeTelegram) -> FakeUser:
    gulnar = telegram.user(3001, "Гүлнар", language_code="kk")
    await gulnar.send("/start")
    await gulnar.share_contact("+77010000202")
    await gulnar.expect("Оспанова Гүлнар")
    return gulnar


# ----- tests --------------------------------------------------------------------------------

async def test_the_whole_onboarding_story(telegram: FakeTelegram, bot: RunningBot) -> None:
    database = bot.settings.database_path
    # HR bootstrap: the first HR officer's link printed by the command line
    code, out, err = await run_cli(telegram, database, "invite", "--hr", "Айгерім")
    assert code == 0, err
    link = out.strip()
    assert link.startswith(f"https://t.me/{telegram.bot_username}?start=")
    token = link.rsplit("=", 1)[1]
    assert len(token) <= 64

    hr = telegram.user(1001, "Айгерім", language_code="kk")
    await hr.send(f"/start {token}")
    assert "Ахметова Айгерім" in hr.text()
    menu = await hr.expect("Сіздің рөлдеріңіз:")
    assert "Тізімді жүктеу" in menu.button_labels()  # the HR menu, in her roster language

    # an XLSX roster with a bad row is rejected whole, the row and column named
    bad = [*STAFF[:2], ["202", "Оспанова Гүлнар", "Expert", "X-9", "Department / Division",
                        "2024-03-15", "no", "no", "200", "", "", ""]]
    await hr.upload("roster.xlsx", workbook([HR_ROW, *bad]))
    rejected = await hr.expect("Тізім")
    assert "жүктелмеді" in rejected.text
    assert "5-жол, category бағаны" in rejected.text
    assert "X-9" in rejected.text
    async with bot.app.db.reading() as conn:
        assert (await conn.execute_fetchall("SELECT count(*) FROM servant"))[0][0] == 1

    # the fixed file is accepted
    await hr.upload("roster.xlsx", workbook([HR_ROW, *STAFF]))
    accepted = await hr.expect("Тізім")
    assert "қосылды 3, өзгертілді 0, босатылды 0, өзгеріссіз 1" in accepted.text

    # invitations come back as an XLSX with one link per unlinked servant
    await hr.press("Шақыру сілтемелері")
    invitations = await hr.expect("шақыру сілтемесі")
    name, content = invitations.document
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"200", "201", "202"}
    assert "3 жеке шақыру сілтемесі" in invitations.text
    kim_link = rows["201"][5]

    # a servant opens his link and is bound
    kim = telegram.user(2001, "Dmitry", language_code="ru")
    await kim.send("/start " + kim_link.rsplit("=", 1)[1])
    assert "Ваш Telegram-аккаунт привязан: Ким Дмитрий" in kim.text()
    menu = await kim.expect("Ваши роли:")
    assert "оцениваемое лицо" in menu.text

    # the same link reused by someone else, and a forged one, are refused
    stranger = telegram.user(2999, "Stranger", language_code="ru")
    await stranger.send("/start " + kim_link.rsplit("=", 1)[1])
    assert "уже использована" in (await stranger.expect("ссылка-приглашение")).text
    await stranger.send("/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert "недействительна" in (await stranger.expect("ссылка-приглашение")).text
    await stranger.send("/start <script>")
    assert "недействительна" in (await stranger.expect("ссылка-приглашение")).text
    async with bot.app.db.reading() as conn:
        bound = await conn.execute_fetchall(
            "SELECT telegram_id FROM account WHERE servant_id IS NOT NULL ORDER BY telegram_id")
    assert [r[0] for r in bound] == [1001, 2001]

    # language switched to Kazakh: the menu and the command list follow
    await kim.send("/language")
    await kim.press("Қазақша")
    menu = await kim.expect("Ким Дмитрий, Chief expert")
    assert menu.text.startswith("<b>") is False
    assert "Сіздің рөлдеріңіз: бағаланатын адам." in menu.text
    assert ("language", "Тілді ауыстыру") in telegram.commands(kim.chat_id)
    assert ("roster", "Қызметкерлер тізімін жүктеу") not in telegram.commands(kim.chat_id)
    assert ("roster", "Қызметкерлер тізімін жүктеу") in telegram.commands(hr.chat_id)


async def test_group_chats_get_a_refusal_and_nothing_else(telegram: FakeTelegram,
                                                          bot: RunningBot) -> None:
    await _hr_bootstrapped(telegram, bot)
    hr = telegram.user(1001)
    before = len(telegram.messages(-500))
    await telegram.group_message(-500, hr, "/start")
    replies = telegram.messages(-500)[before:]
    bot_replies = [m for m in replies if m.from_bot]
    assert [m.text for m in bot_replies] == [
        "Мен тек жеке чатта жұмыс істеймін. Маған тікелей жазыңыз."]
    await telegram.group_message(-500, hr, "/invites")
    assert not any(m.document for m in telegram.messages(-500))


async def test_state_survives_a_restart_mid_conversation(telegram: FakeTelegram,
                                                         bot: RunningBot) -> None:
    links = await _invitation_links(await _staff_imported(telegram, bot))
    await _kim_bound_in_kazakh(telegram, links["201"])
    hr = telegram.user(1001)
    await hr.send("/unbind")
    assert "табель нөмірін жіберіңіз" in (await hr.expect("Кімнің Telegram аккаунтын")).text
    await bot.restart()
    await hr.send("201")
    unbound = await hr.expect("Ким Дмитрий")
    assert "Ким Дмитрий қызметшісінің Telegram аккаунты ажыратылды" in unbound.text
    kim = telegram.user(2001, "Dmitry", language_code="ru")
    await kim.send("/start")
    assert kim.reply_keyboard == [["Телефон нөмірімен бөлісу"]]  # unlinked; his Kazakh is kept


async def test_binding_by_sharing_a_phone_number(telegram: FakeTelegram, bot: RunningBot) -> None:
    await _staff_imported(telegram, bot)
    gulnar = telegram.user(3001, "Гүлнар", language_code="kk")
    await gulnar.send("/start")
    assert gulnar.reply_keyboard == [["Телефон нөмірімен бөлісу"]]
    await gulnar.share_contact("+77010000201", user_id=9999)  # someone else's contact
    assert "өз телефон нөміріңізбен" in (await gulnar.expect("телефон")).text
    await gulnar.share_contact("+7 701 000 02 99")
    assert "таппадым" in (await gulnar.expect("телефон")).text
    await gulnar.share_contact("+77010000202")
    assert "Оспанова Гүлнар" in gulnar.text()
    assert gulnar.reply_keyboard is None


async def test_stale_and_forged_buttons(telegram: FakeTelegram, bot: RunningBot) -> None:
    await _invitation_links(await _staff_imported(telegram, bot))
    await _gulnar_bound_by_phone(telegram)
    gulnar = telegram.user(3001, "Гүлнар", language_code="kk")
    await gulnar.send("/language")
    languages = await gulnar.expect("Тілді таңдаңыз")
    stale = "Бұл батырма ескірген. Өзекті мәзір үшін /start жіберіңіз."
    assert await gulnar.press_data("m1:invites", languages) == stale  # HR's, forged
    assert await gulnar.press_data("l1:de", languages) == stale
    assert await gulnar.press_data("garbage", languages) == stale
    for forged in ("e1:12345678901234567890123:open:0:", "r1:-1:view", "k1:7:explode:"):
        assert await gulnar.press_data(forged, languages) == stale  # never reaches a handler
    async with bot.app.db.reading() as conn:
        invites = await conn.execute_fetchall("SELECT count(*) FROM invite")
    assert invites[0][0] == 4  # three from HR's list and her bootstrap link: none added


async def test_a_non_hr_document_is_not_imported(telegram: FakeTelegram, bot: RunningBot) -> None:
    await _staff_imported(telegram, bot)
    await _gulnar_bound_by_phone(telegram)
    gulnar = telegram.user(3001, "Гүлнар", language_code="kk")
    await gulnar.upload("roster.csv", b"personnel_no\n1\n")
    assert "түсінбедім" in (await gulnar.expect("/start")).text
