"""The sandbox: the real bot against the embedded Bot API emulator, a demo body, and a chat page
driven in a real headless Chromium (Debian's, through Playwright — no browser download)."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from bot.app import sandbox_app
from sandbox import Sandbox, start

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
HR, DIRECTOR, KIM, BEKOVA = 5_000_002, 5_000_003, 5_000_004, 5_000_011
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest_asyncio.fixture
async def sandbox(tmp_path) -> AsyncIterator[Sandbox]:
    """A fresh sandbox for every test (about 0.4 s): the clock and the sheets start over."""
    running = await start(tmp_path / "sandbox", sandbox_app, port=0, reset=True)
    yield running
    await running.stop()


async def test_the_sandbox_starts_fresh_and_the_emulator_answers_the_bot(sandbox):
    async with aiohttp.ClientSession() as http:
        state = await (await http.get(sandbox.url + "api/state")).json()
        assert len(state["people"]) == 12
        assert state["now"] == "2026-10-01 10:00"  # the first working day after Q3
        await http.post(sandbox.url + "api/send", json={"user": KIM, "text": "/start"})
        await sandbox.telegram.user_of(KIM).expect("Ким Дмитрий")  # the reply to /start
        chat = await (await http.get(sandbox.url + f"api/chat?user={KIM}")).json()
    texts = [m["html"] for m in chat["messages"] if m["from_bot"]]
    assert any("3-й квартал 2026 г." in t for t in texts)  # his notice: the quarter is open


@pytest_asyncio.fixture
async def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed on this machine")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        yield chromium
        await chromium.close()


async def test_an_evaluator_scores_a_sheet_in_the_page_and_the_servant_sees_it(sandbox,
                                                                             browser):
    page = await browser.new_page(viewport={"width": 1200, "height": 900})
    await page.goto(sandbox.url + f"?user={DIRECTOR}")
    await page.wait_for_selector("#day:has-text('Следующий рабочий день')")  # --lang ru
    assert "Директор департамента · оценивающее лицо · ru" in await page.inner_text(".active")
    assert "служба управления персоналом" in await page.inner_text(f"[data-person='{HR}']")
    await page.fill("#text", "/sheets")
    await page.click("button[type=submit]")
    await page.click("text=Бекова Алия Нұрланқызы — 0/5")
    await page.click("text=Начать ▶")
    for number in range(1, 6):
        await page.wait_for_selector(f"text=Параметр {number} из 5")
        sheet = page.locator(".message.bot", has_text=f"Параметр {number} из 5")
        await sheet.locator("button", has_text="4").first.click()
        if number == 1:  # the callback's answer shows as Telegram's toast
            await page.wait_for_selector("#toast:has-text('Сохранено: 4')")
    await page.wait_for_selector("text=Средняя оценка: 4,00")
    await page.click("text=Отправить…")
    await page.click("text=Да, отправить")
    await page.wait_for_selector("text=Отправлено: 4,00")
    servant = await browser.new_page(viewport={"width": 1200, "height": 900})
    await servant.goto(sandbox.url + f"?user={BEKOVA}")
    await servant.wait_for_selector("text=Ваша оценка за 3-й квартал 2026 г.")
    assert await servant.locator("text=Средняя оценка: 4,00").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    await servant.screenshot(path=str(ARTIFACTS / "sandbox-servant-result.png"))
    await page.screenshot(path=str(ARTIFACTS / "sandbox-evaluator.png"))


async def test_the_clock_control_brings_the_deadline_reminder(sandbox, browser):
    page = await browser.new_page(viewport={"width": 1200, "height": 900})
    await page.goto(sandbox.url + f"?user={DIRECTOR}")
    await page.click("#deadline")
    await page.wait_for_selector("#now:has-text('2026-10-20')")
    await page.wait_for_selector("text=нужно завершить сегодня, 20 октября 2026")
    hr = await browser.new_page(viewport={"width": 1200, "height": 900})
    await hr.goto(sandbox.url + f"?user={HR}")
    await hr.click("#after")
    await hr.wait_for_selector("#now:has-text('2026-10-21')")
    await hr.wait_for_selector("text=мерзімі 2026 жылғы 20 қазанда өтті")
    ARTIFACTS.mkdir(exist_ok=True)
    await hr.screenshot(path=str(ARTIFACTS / "sandbox-hr-overdue.png"))


async def test_alerts_show_as_a_dialog_and_the_page_fits_a_phone(sandbox, browser):
    page = await browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    await page.goto(sandbox.url + f"?user={KIM}")
    await page.fill("#text", "/start")
    await page.click("button[type=submit]")
    await page.wait_for_selector(".message.bot >> text=Ким Дмитрий")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the screen
    menu = await page.locator(".message.bot", has_text="Ким Дмитрий").last.get_attribute(
        "data-message")
    await page.evaluate(f"""async () => {{
        const result = await api("/api/press", {{user, message: {menu}, data: "m1:gone"}});
        showAnswer(result.answer, result.alert);
    }}""")
    await page.wait_for_selector("#alert:visible >> text=Эта кнопка устарела")
    await page.click("#alert-ok")
    await page.wait_for_selector("#alert", state="hidden")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "sandbox-phone.png"))


async def test_the_page_is_pushed_changes_instead_of_polling(sandbox):
    async with aiohttp.ClientSession() as http:
        events = await http.get(sandbox.url + f"api/events?user={KIM}")
        first = await asyncio.wait_for(events.content.readline(), 5)
        assert first == b"event: chat\n"  # the current state, at once
        await events.content.readline()
        await events.content.readline()
        await http.post(sandbox.url + "api/send", json={"user": KIM, "text": "/start"})
        assert await asyncio.wait_for(events.content.readline(), 5) == b"event: chat\n"
        events.close()
