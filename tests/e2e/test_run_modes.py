"""How the bot runs: the real ``python -m bot`` process, SIGTERM, the token check, the webhook,
and the administration commands."""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.run import WEBHOOK_PATH, create_webhook_app, register_webhook
from tests.harness import FakeTelegram, FakeUser

from .bots import ROOT, BotProcess, cli_env, run_cli, settings_for


async def test_the_real_process_answers_and_stops_cleanly_on_sigterm(telegram: FakeTelegram,
                                                                     tmp_path) -> None:
    process = await BotProcess(telegram, tmp_path / "db.sqlite3").start()
    user = telegram.user(41, "Асель", language_code="kk")
    await user.send("/start")
    reply = await user.expect("bagalau")
    assert "Сәлеметсіз бе" in reply.text
    code, output = await process.signal(signal.SIGTERM)
    assert code == 0, output
    assert "Traceback" not in output


@pytest.mark.parametrize(("token", "problem"), [("", "it is not set"),
                                                ("not-a-token", "does not look like a token")])
async def test_a_missing_or_malformed_token_explains_itself(telegram: FakeTelegram, tmp_path,
                                                            token: str, problem: str) -> None:
    env = cli_env(telegram, tmp_path / "db.sqlite3") | {"BOT_TOKEN": token}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)  # a hang fails
    assert process.returncode == 2
    text = err.decode()
    assert problem in text and "@BotFather" in text and "Traceback" not in text


async def test_a_token_telegram_rejects(telegram: FakeTelegram, tmp_path) -> None:
    env = cli_env(telegram, tmp_path / "db.sqlite3") | {"BOT_TOKEN": "999:WRONG-TOKEN"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)  # a hang fails
    assert process.returncode == 2
    assert "Telegram rejected BOT_TOKEN" in err.decode()
    assert "Traceback" not in err.decode()


async def test_webhook_checks_the_secret_and_handles_updates(telegram: FakeTelegram,
                                                             tmp_path) -> None:
    settings = settings_for(telegram, tmp_path / "db.sqlite3",
                            webhook_url="https://bagalau.example.kz",
                            webhook_secret="s3cret-token")
    app = await create_app(settings)
    server = TestServer(create_webhook_app(app))
    await server.start_server()
    try:
        assert await register_webhook(app) == "https://bagalau.example.kz" + WEBHOOK_PATH
        hook = telegram.calls("setWebhook")[-1].params
        assert hook["secret_token"] == "s3cret-token"
        user_id = 51
        telegram.user(user_id, "Нұрлан", language_code="kk")
        message = telegram.world.user_message(telegram.world.private_chat(user_id), user_id,
                                              FakeUser.text_content("/start"))
        update = {"update_id": 9001, "message": message}
        async with aiohttp.ClientSession() as http:
            url = server.make_url(WEBHOOK_PATH)
            wrong = await http.post(url, json=update,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
            assert wrong.status == 401
            since = len(telegram.requests)
            right = await http.post(url, json=update,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})
            assert right.status == 200
        sent = await telegram.wait_for_request(
            "sendMessage", lambda r: r.params.get("chat_id") == user_id, since=since)
        assert "Сәлеметсіз бе" in sent.params["text"]
    finally:
        await server.close()
        await app.close()


async def test_backup_migrate_and_purge_commands(telegram: FakeTelegram, tmp_path) -> None:
    database = tmp_path / "db.sqlite3"
    code, out, err = await run_cli(telegram, database, "migrate")
    assert code == 0 and "schema version" in out, err
    code, out, err = await run_cli(telegram, database, "backup", str(tmp_path / "b.sqlite3"))
    assert code == 0 and (tmp_path / "b.sqlite3").exists(), err
    code, out, err = await run_cli(telegram, database, "purge")
    assert code == 0 and "Removed records completed before" in out, err


async def test_import_roster_errors_on_the_command_line(telegram: FakeTelegram,
                                                        tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("personnel_no,full_name,position,category,unit,appointed_on\n"
                   "1,A,P,Z-1,U,2020-01-01\n", encoding="utf-8")
    code, _, err = await run_cli(telegram, tmp_path / "db.sqlite3", "import-roster", str(bad))
    assert code == 1
    assert "строка 2, столбец category: «Z-1» — не код категории вида C-4 или D-O-1" in err
