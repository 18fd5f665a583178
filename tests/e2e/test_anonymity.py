"""The database reader's attack on the 360 survey (docs/anonymity.md), and the release rules
that hold against whoever reads a report.

The attacker holds file copies of the database and its write-ahead log taken around every
single submit, in the middle of a draft, a backup made while the survey ran, and copies taken
after the close — and, after the close, the key file too. He diffs them and reads every byte.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.clock import Clock
from tests.harness import FakeTelegram

from . import org
from .bots import RunningBot
from .test_surveys import ANSWERS, OPTIONS, _answer, _invitation, _launch, _take_part, person

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 11, 16, 11, 0, tzinfo=ALMATY)
SURVEY_TABLES = ("survey", "survey_target", "survey_invitation", "survey_draft",
                 "survey_ballot", "survey_result")


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[RunningBot]:
    running = await RunningBot(telegram, tmp_path / "bagalau.sqlite3",
                               clock=Clock.starting_at(NOW, ALMATY),
                               methodology="justice-2023").start()
    running.ids = await org.load(running.app.db, NOW)
    for number, language in org.LANGUAGES.items():
        await telegram.user(org.TELEGRAM[number], number, language_code=language).send("/start")
    yield running
    await running.stop()


class Attacker:
    """File-level copies of the live database and its WAL, as a DBA or a backup job takes."""

    def __init__(self, bot: RunningBot, folder: Path) -> None:
        self.database = Path(bot.settings.database_path)
        self.folder = folder
        self.copies: dict[str, tuple[bytes, bytes]] = {}

    def copy(self, label: str) -> None:
        wal = Path(f"{self.database}-wal")
        self.copies[label] = (self.database.read_bytes(),
                              wal.read_bytes() if wal.exists() else b"")

    def add_file(self, label: str, path: Path) -> None:
        self.copies[label] = (path.read_bytes(), b"")

    def rows(self, label: str) -> dict[str, set[tuple[object, ...]]]:
        """Every row of the survey tables in a copy, as SQLite reads it (the WAL replayed)."""
        main, wal = self.copies[label]
        path = self.folder / f"{label}.sqlite3"
        path.write_bytes(main)
        if wal:
            Path(f"{path}-wal").write_bytes(wal)
        with closing(sqlite3.connect(path)) as conn:
            return {t: set(conn.execute(f"SELECT * FROM {t}")) for t in SURVEY_TABLES}

    def blobs(self, label: str) -> list[bytes]:
        return [v for rows in self.rows(label).values() for row in rows for v in row
                if isinstance(v, bytes) and len(v) > 32]


def _keys_in(path: Path) -> list[bytes]:
    data = json.loads(path.read_text())
    return [base64.b64decode(data["master"]),
            *(base64.b64decode(v) for v in data["ballots"].values())]


def _opens(blob: bytes, keys: list[bytes]) -> bool:
    for key in keys:
        for context in (b"", *(f"{kind}:{n}".encode() for kind in ("ballot", "draft", "result")
                                for n in range(1, 40))):
            try:
                AESGCM(key).decrypt(blob[:12], blob[12:], context)
            except InvalidTag:
                continue
            return True
    return False


@pytest.mark.sqlite_only  # the attack copies SQLite's files; PostgreSQL: docs/anonymity.md
async def test_copies_of_the_database_around_each_submit_give_away_no_answer(
        telegram, bot, tmp_path):
    attacker = Attacker(bot, tmp_path)
    state = await bot.app.db.fetch("PRAGMA secure_delete")
    assert state[0][0] == 1  # forced on, whatever this SQLite build's default
    await _launch(telegram)
    # a draft half answered, copied, then finished: its length never changes
    expert = person(telegram, "202")
    invite = await _invitation(bot, expert, "анонимный опрос 360")
    await expert.press("Начать", message=invite)
    await _answer(expert, "ru", ANSWERS["202"], 1)
    attacker.copy("draft-1")
    await _answer(expert, "ru", ANSWERS["202"], 11)
    attacker.copy("draft-12")
    await _answer(expert, "ru", ANSWERS["202"], 12)
    attacker.copy("before-202")
    await expert.press("Отправить")
    await expert.expect("связать их с вами нельзя")
    attacker.copy("after-202")
    for number, text in (("200", "анонимный опрос 360"), ("201", "самооценк"),
                         ("203", "360")):
        attacker.copy(f"before-{number}")
        await _take_part(bot, telegram, number, text, first="rarely" if number == "203" else None)
        attacker.copy(f"after-{number}")
    await bot.app.db.backup(tmp_path / "nightly.sqlite3")
    attacker.add_file("backup", tmp_path / "nightly.sqlite3")

    keys_file = bot.settings.survey_keys_file
    assert keys_file.exists() and keys_file.stat().st_mode & 0o077 == 0
    assert not (tmp_path / "nightly.sqlite3.survey-keys").exists()  # backup never copies it
    before_close = list(attacker.copies)
    for label in before_close:
        main, wal = attacker.copies[label]
        for code in OPTIONS:  # no answer value anywhere as plain data, WAL included
            assert code.encode() not in main and code.encode() not in wal, (label, code)
        for key in _keys_in(keys_file):  # the key is not in the database nor its backup
            assert key not in main and base64.b64encode(key) not in main + wal, label
        rows = attacker.rows(label)
        assert rows["survey_result"] == set(), label  # no totals before the close
    drafts = {len(b) for label in ("draft-1", "draft-12", "before-202")
              for b in attacker.blobs(label)}
    assert len(drafts) == 1  # 1, 12 or 24 answers: one sealed length
    # the difference around one submit: his invitation is done, and a ballot appeared
    before, after = attacker.rows("before-200"), attacker.rows("after-200")
    new_ballots = after["survey_ballot"] - before["survey_ballot"]
    assert len(new_ballots) == 1
    ballot_id, _survey, sealed = next(iter(new_ballots))
    assert isinstance(ballot_id, bytes) and len(ballot_id) == 16  # random, not in order
    assert not _opens(sealed, [])
    ballots_seen = [b for label in before_close for b in attacker.blobs(label)]
    ballot_lengths = {len(row[2]) for row in after["survey_ballot"]}
    assert len(ballot_lengths) == 1  # every ballot of the survey has the same length

    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: жабу")
    await hr.expect("Ким Дмитрий: 3 жауап — есеп ашылды")
    attacker.copy("after-close")
    main, wal = attacker.copies["after-close"]
    rows = attacker.rows("after-close")
    assert rows["survey_ballot"] == set() and rows["survey_draft"] == set()
    for blob in ballots_seen:  # secure delete and the truncated WAL: no deleted bytes remain
        assert blob[12:44] not in main and blob[12:44] not in wal
    # even with the key file stolen after the close, no earlier copy opens
    stolen = _keys_in(keys_file)
    assert not any(_opens(blob, stolen) for blob in ballots_seen)
    # what the close left is one sealed aggregate per released target, nothing per person
    assert len(rows["survey_result"]) == 1


async def _report_for(telegram: FakeTelegram, number: str, label: str) -> str | None:
    reader = person(telegram, number)
    await reader.send("/surveys")
    return await reader.press(label)


async def _close(telegram: FakeTelegram, expected: str) -> None:
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: жабу")
    await hr.expect(expected)


async def test_a_supervisor_who_answered_needs_three_others(telegram, bot):
    """Three colleagues answered, the supervisor among them: he would learn the other two's
    sum, so the report stays withheld from him; the evaluatee reads it."""
    await _launch(telegram)
    for number in ("200", "202", "203"):
        await _take_part(bot, telegram, number, "360")
    await _close(telegram, "Ким Дмитрий: 3 жауап — есеп ашылды")
    refused = await _report_for(telegram, "200", "Отчёт 360: Ким Дмитрий")
    assert refused is not None and "вы сами отвечали об этом коллеге" in refused
    assert "меньше 3" in refused
    await bot.app.notifier.wait_idle()
    kim = person(telegram, "201")
    await kim.send("/surveys")
    await kim.press("Мой отчёт 360")
    await kim.expect("Отчёт 360: Ким Дмитрий")


async def test_with_three_others_the_supervisor_reads_the_report(telegram, bot):
    await _launch(telegram)
    for number in ("200", "202", "203", "204"):
        await _take_part(bot, telegram, number, "360")
    await _close(telegram, "Ким Дмитрий: 4 жауап — есеп ашылды")
    supervisor = person(telegram, "200")
    await supervisor.send("/surveys")
    await supervisor.press("Отчёт 360: Ким Дмитрий")
    report = await supervisor.expect("Отчёт 360: Ким Дмитрий")
    assert "ответили коллеги: 4" in report.text


async def test_an_ordinary_hr_officer_reads_no_360_results_in_justice(telegram, bot):
    """Seed 003 cl. 26: the head of the personnel service, not every HR officer."""
    await bot.app.db.change("UPDATE servant SET is_hr_head = 0 WHERE personnel_no = '100'")
    await _launch(telegram)
    for number in ("200", "202", "203"):
        await _take_part(bot, telegram, number, "360")
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: жабу")
    closed = await hr.expect("персоналды басқару қызметінің басшысына арналған")
    assert "Ким Дмитрий: 3 жауап — есеп ашылды" in closed.text
    await bot.app.notifier.wait_idle()
    kim = person(telegram, "201")
    ready = await kim.wait_for(lambda m: "отчёт 360 готов" in m.text)
    forged = await hr.press_data(ready.buttons[0][0].callback_data, closed)
    assert forged == "Бұл есеп сізге қолжетімсіз."
    assert all(m.document is None for m in hr.bot_messages)


async def test_the_360_closes_by_itself_on_the_legal_date_across_the_new_year(telegram, bot):
    """Decision 48: 10 January 2027 is a Sunday, so the 360 closes after Monday the 11th."""
    await _launch(telegram)
    for number in ("200", "202", "203"):
        await _take_part(bot, telegram, number, "360")
    late = person(telegram, "204")
    invite = await _invitation(bot, late, "360")
    bot.clock.advance(datetime(2027, 1, 11, 11, 0, tzinfo=ALMATY) - bot.clock.now())
    await bot.app.tick()
    assert (await bot.app.db.fetch("SELECT closed_on FROM survey"))[0][0] is None
    bot.clock.advance(timedelta(days=1))  # Tuesday 12 January
    await bot.app.tick()
    assert (await bot.app.db.fetch("SELECT closed_on FROM survey"))[0][0] == "2027-01-12"
    refused = await late.press(invite.button_labels()[0], message=invite)
    assert refused == "This survey is closed."
    await bot.app.tick()  # the next tick deletes what the outbox held of the survey
    left = await bot.app.db.fetch(
        "SELECT count(*) FROM outbox WHERE kind IN ('survey_reminder', 'survey_invitation')")
    assert left[0][0] == 0  # nobody's dated list of non-responders is kept
    await bot.app.notifier.wait_idle()
    hr = person(telegram, "100")
    notice = await hr.wait_for(lambda m: "өз мерзімінде жабылды" in m.text)
    await hr.press("Нәтижелер", message=notice)
    workbook = await hr.wait_for(lambda m: m.document is not None)
    assert workbook.document[0] == "360-2026.xlsx"
    kim = person(telegram, "201")
    await kim.wait_for(lambda m: "отчёт 360 готов" in m.text)
    actions = [r[0] for r in await bot.app.db.fetch(
        "SELECT action FROM audit WHERE action LIKE 'survey.%' ORDER BY id")]
    assert actions == ["survey.create", "survey.respondents", "survey.start", "survey.close"]
    logged = " ".join(str(tuple(r)) for r in await bot.app.db.fetch(
        "SELECT actor, subject, before, after FROM audit WHERE action LIKE 'survey.%'"))
    assert "scheduler" in logged and not any(code in logged for code in OPTIONS)


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_the_form_opens_with_the_address_of_app_5(telegram, bot, language):
    await _launch(telegram)
    number = "203" if language == "kk" else "202"
    user = person(telegram, number)
    invite = await _invitation(bot, user, "360")
    await user.press(invite.button_labels()[0], message=invite)
    first = await user.expect("Құрметті респондент!" if language == "kk"
                              else "Уважаемый респондент!")
    assert ("Жасырындылыққа кепілдік беріледі." if language == "kk"
            else "Анонимность гарантируется.") in first.text
    assert len(first.text) < 4096
    await user.press(first.button_labels()[0], message=first)
    second = await user.expect("2 ")
    assert "респондент!" not in second.text
