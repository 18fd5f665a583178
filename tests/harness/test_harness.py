"""The harness drives a real aiogram bot over real HTTP; these tests prove it is faithful."""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from aiohttp.test_utils import TestServer

from sandbox.emulator.entities import EntityParseError, parse_html
from tests.harness import FakeTelegram, FakeUser

POLL_TIMEOUT = 10  # long enough that a prompt wake-up cannot be the poll timing out
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def _keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t, callback_data=d) for t, d in r] for r in rows
        ]
    )


def build_router() -> Router:
    """A tiny bot exercising every part of the harness."""
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, command: CommandObject) -> None:
        keyboard = _keyboard([("Yes", "yes"), ("No", "no")], [("Again", "same")])
        docs = InlineKeyboardButton(text="Docs", url="https://example.org/docs")
        keyboard.inline_keyboard.append([docs])
        await message.answer(f"Welcome! token={command.args}", reply_markup=keyboard)

    @router.callback_query(F.data == "yes")
    async def yes(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        await callback.message.edit_text("You said yes", reply_markup=_keyboard([("Undo", "no")]))
        await callback.answer("Noted")

    @router.callback_query(F.data == "same")
    async def same(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        text, markup = callback.message.text or "", callback.message.reply_markup
        try:
            await callback.message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as error:
            await callback.answer(f"unchanged: {'not modified' in error.message}")

    @router.callback_query()
    async def other(callback: CallbackQuery) -> None:
        await callback.answer()

    @router.message(Command("html"))
    async def html(message: Message) -> None:
        await message.answer("<b>bold</b> &amp; <i>it</i>", parse_mode="HTML")
        try:
            await message.answer("1 < 2 <b>oops", parse_mode="HTML")
        except TelegramBadRequest as error:
            await message.answer(f"rejected: {error.message}")

    @router.message(Command("files"))
    async def files(message: Message) -> None:
        await message.answer_document(BufferedInputFile(b"hello doc", "report.txt"), caption="Hi")
        await message.answer_photo(BufferedInputFile(PNG, "chart.png"))

    @router.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        data = await bot.download(message.document)
        assert data is not None
        size = len(data.read())
        doc = message.document
        await message.answer(f"{doc.file_name}: {size} bytes, {doc.mime_type}, {message.caption}")

    @router.message(Command("menu"))
    async def menu(message: Message, bot: Bot) -> None:
        await bot.set_my_commands([BotCommand(command="start", description="Start")])
        scope = BotCommandScopeChat(chat_id=message.chat.id)
        report = BotCommand(command="report", description="Get report")
        await bot.set_my_commands([report], scope=scope, language_code="en")
        await message.answer("menu set")

    @router.message(Command("nomenu"))
    async def nomenu(message: Message, bot: Bot) -> None:
        scope = BotCommandScopeChat(chat_id=message.chat.id)
        await bot.delete_my_commands(scope=scope, language_code="en")
        await message.answer("menu removed")

    @router.message(Command("retry"))
    async def retry(message: Message) -> None:
        try:
            await message.answer("first try")
        except TelegramRetryAfter as error:
            await message.answer(f"retry after {error.retry_after}")

    @router.message(Command("notify"))
    async def notify(message: Message, bot: Bot, command: CommandObject) -> None:
        try:
            await bot.send_message(int(command.args or 0), "ping")
        except TelegramForbiddenError as error:
            await message.answer(f"forbidden: {error.message}")

    @router.message(Command("contact"))
    async def ask_contact(message: Message) -> None:
        button = KeyboardButton(text="Share phone", request_contact=True)
        await message.answer("Phone?", reply_markup=ReplyKeyboardMarkup(keyboard=[[button]]))

    @router.message(F.contact)
    async def contact(message: Message) -> None:
        assert message.contact is not None and message.from_user is not None
        own = message.contact.user_id == message.from_user.id
        text = f"contact {message.contact.phone_number} own={own}"
        await message.answer(text, reply_markup=ReplyKeyboardRemove())

    @router.message(Command("steps"))
    async def steps(message: Message, bot: Bot) -> None:
        await bot.send_chat_action(message.chat.id, "typing")
        temp = await message.answer("step 1")
        await temp.delete()
        await message.delete()
        try:
            await temp.delete()
        except TelegramBadRequest as error:
            await message.answer(f"step 2: {error.message}")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    return router


def make_bot(tg: FakeTelegram, token: str | None = None) -> Bot:
    api = TelegramAPIServer.from_base(tg.base_url)
    return Bot(token or tg.token, session=AiohttpSession(api=api))


@dataclass
class Env:
    tg: FakeTelegram
    bot: Bot


@pytest_asyncio.fixture
async def env() -> AsyncIterator[Env]:
    """A fresh fake server and bot for every test, so that no test sees another's requests."""
    async with FakeTelegram() as tg:
        bot = make_bot(tg)
        dp = Dispatcher()
        dp.include_router(build_router())
        polling = asyncio.create_task(
            dp.start_polling(
                bot, handle_as_tasks=False, polling_timeout=POLL_TIMEOUT, handle_signals=False
            )
        )
        yield Env(tg, bot)
        await dp.stop_polling()
        await polling


_ids = itertools.count(1001)


@pytest.fixture
def tg(env: Env) -> FakeTelegram:
    return env.tg


@pytest.fixture
def user(tg: FakeTelegram) -> FakeUser:
    return tg.user(next(_ids), "Aigerim")


async def test_text_round_trip(tg: FakeTelegram, user: FakeUser) -> None:
    await user.send("Сәлем, bot")

    assert [(m.from_bot, m.text) for m in user.chat] == [
        (False, "Сәлем, bot"),
        (True, "Сәлем, bot"),
    ]
    sent = tg.calls("sendMessage")[-1]
    assert sent.params["chat_id"] == user.id and sent.status == 200
    assert sent.result["from"]["username"] == tg.bot_username
    assert tg.pending_updates == 0


async def test_deep_link_and_inline_keyboard(user: FakeUser) -> None:
    await user.send("/start TOKEN42")

    welcome = await user.expect("Welcome!")
    assert welcome.text == "Welcome! token=TOKEN42"
    assert welcome.button_labels() == ["Yes", "No", "Again", "Docs"]
    assert welcome.buttons[2][0].url == "https://example.org/docs"


async def test_press_edits_in_place_and_returns_answer(user: FakeUser) -> None:
    await user.send("/start")
    before = len(user.chat)

    assert await user.press("Yes") == "Noted"

    assert len(user.chat) == before
    said = await user.expect("You said yes")
    assert said.text == "You said yes" and said.edited
    assert said.button_labels() == ["Undo"]
    assert user.callback_answers == ["Noted"]
    assert await user.press("Undo") is None
    with pytest.raises(AssertionError, match=r"(?s)no button 'Yes'.*\['Undo'\]"):
        await user.press("Yes")


async def test_same_edit_is_not_modified(tg: FakeTelegram, user: FakeUser) -> None:
    await user.send("/start")

    assert await user.press("Again") == "unchanged: True"

    failed = tg.calls("editMessageText")[-1]
    assert failed.status == 400
    assert failed.response["description"].startswith("Bad Request: message is not modified")


async def test_forged_callback_on_old_message(user: FakeUser) -> None:
    await user.send("/start")
    welcome = await user.expect("Welcome!")

    assert await user.press_data("made-up", welcome) is None
    assert user.callback_answers == [None]


async def test_html_is_rendered_and_bad_html_rejected(user: FakeUser) -> None:
    await user.send("/html")

    formatted, rejected = user.bot_messages
    assert formatted.text == "bold & it"
    assert formatted.source == "<b>bold</b> &amp; <i>it</i>"
    assert formatted.parse_mode == "HTML"
    assert [e["type"] for e in formatted.raw["entities"]] == ["bold", "italic"]
    assert rejected.text.startswith("rejected: Bad Request: can't parse entities")


async def test_bot_sends_document_and_photo(tg: FakeTelegram, user: FakeUser) -> None:
    await user.send("/files")

    document, photo = user.bot_messages
    assert document.document == ("report.txt", b"hello doc")
    assert document.text == "Hi"
    assert photo.photo == PNG
    assert tg.calls("sendPhoto")[-1].files == {"photo": PNG}
    assert tg.calls("sendDocument")[-1].filenames == {"document": "report.txt"}


async def test_bot_downloads_uploaded_document(tg: FakeTelegram, user: FakeUser) -> None:
    await user.upload("data.csv", b"a,b\n1,2\n", caption="mine")

    assert (await user.expect("data.csv:")).text == "data.csv: 8 bytes, text/csv, mine"
    assert user.chat[0].document == ("data.csv", b"a,b\n1,2\n")
    assert tg.calls("getFile")[-1].status == 200
    assert tg.calls("downloadFile")[-1].status == 200


async def test_commands_per_chat_scope_and_language(tg: FakeTelegram, user: FakeUser) -> None:
    english = tg.user(user.id, "Ann", language_code="en")
    await english.send("/menu")

    assert english.commands() == [("report", "Get report")]
    assert tg.commands(user.id, "ru") == [("start", "Start")]
    assert tg.commands(next(_ids), "en") == [("start", "Start")]
    assert tg.commands() == [("start", "Start")]

    await english.send("/nomenu")
    assert english.commands() == [("start", "Start")]


async def test_injected_429_raises_retry_after(tg: FakeTelegram, user: FakeUser) -> None:
    tg.fail_next("sendMessage", retry_after=3, chat_id=user.id)

    await user.send("/retry")

    assert (await user.expect("retry after")).text == "retry after 3"
    limited = [r for r in tg.calls("sendMessage") if r.status == 429][-1]
    assert limited.response["parameters"] == {"retry_after": 3}
    assert limited.response["description"] == "Too Many Requests: retry after 3"


async def test_blocked_and_never_started_users(tg: FakeTelegram, user: FakeUser) -> None:
    blocker, stranger = tg.user(next(_ids), "Blocker"), tg.user(next(_ids), "Stranger")
    await blocker.send("hi")
    tg.block(blocker.id)

    await user.send(f"/notify {blocker.id}")
    reply = await user.expect("forbidden:")
    assert reply.text == "forbidden: Forbidden: bot was blocked by the user"
    await user.send(f"/notify {stranger.id}")
    reply = await user.expect("forbidden:")
    assert reply.text == "forbidden: Forbidden: bot can't initiate conversation with a user"


async def test_contact_and_reply_keyboard(user: FakeUser) -> None:
    await user.send("/contact")
    assert user.reply_keyboard == [["Share phone"]]

    await user.share_contact("+77011234567")
    assert (await user.expect("contact +77011234567")).text == "contact +77011234567 own=True"
    assert user.reply_keyboard is None
    await user.share_contact("+77019999999", user_id=42)
    assert (await user.expect("contact +77019999999")).text == "contact +77019999999 own=False"


async def test_delete_and_chat_action(tg: FakeTelegram, user: FakeUser) -> None:
    await user.send("/steps")

    assert [m.text for m in user.chat] == ["step 2: Bad Request: message to delete not found"]
    assert tg.calls("sendChatAction")[-1].params == {"chat_id": user.id, "action": "typing"}


async def test_wait_for_and_wait_for_request(tg: FakeTelegram, user: FakeUser) -> None:
    mark = len(tg.requests)
    await user.send("one")
    await user.send("two")

    second = await tg.wait_for_request("sendMessage", nth=2, since=mark)
    assert second.params["text"] == "two"
    assert (await user.wait_for(lambda m: m.text == "two")).from_bot
    with pytest.raises(AssertionError, match="no matching bot message"):
        await user.wait_for(lambda m: m.text == "three", timeout=0.05)


async def test_expect_ignores_messages_before_the_latest_action(user: FakeUser) -> None:
    await user.send("one")
    assert (await user.expect("one", timeout=0)).text == "one"  # there when send returns
    await user.send("two")

    with pytest.raises(AssertionError, match=r"(?s)got no reply containing \('one',\).*two"):
        await user.expect("one", timeout=0.05)
    assert (await user.expect("two")).text == "two"
    assert (await user.expect()).text == "two"


async def test_expect_returns_a_message_edited_since_the_action(user: FakeUser) -> None:
    await user.send("/start")
    welcome = await user.expect("Welcome!")

    await user.press("Yes", message=welcome)

    said = await user.expect("You said yes")
    assert said.message_id == welcome.message_id and said.edited
    assert said.button_labels() == ["Undo"]
    with pytest.raises(AssertionError, match="got no reply containing"):
        await user.expect("Welcome!", timeout=0.05)


async def test_expect_waits_for_a_later_message(env: Env, user: FakeUser) -> None:
    await user.send("hello")

    async def notice() -> None:
        await asyncio.sleep(0.1)
        await env.bot.send_message(user.id, "a notice, later")

    sending = asyncio.create_task(notice())
    later = await user.expect("notice")
    await sending

    assert later.text == "a notice, later"
    assert (await user.expect("hello")).text == "hello"  # the reply, not the newer notice
    assert [m.text for m in user.bot_messages] == ["hello", "a notice, later"]


async def test_group_message(tg: FakeTelegram, user: FakeUser) -> None:
    await tg.group_message(-100500, user, "hi group")

    shown = tg.messages(-100500)
    assert [(m.from_bot, m.text) for m in shown] == [(False, "hi group"), (True, "hi group")]
    assert tg.calls("sendMessage")[-1].result["chat"]["type"] == "group"


async def test_unknown_method_and_wrong_token(env: Env) -> None:
    with pytest.raises(TelegramNotFound):
        await env.bot.get_chat(1)
    assert (env.tg.requests[-1].method, env.tg.requests[-1].status) == ("getChat", 404)

    intruder = make_bot(env.tg, token="999:WRONG")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await intruder.get_me()
    finally:
        await intruder.session.close()


async def test_json_urlencoded_and_multipart_requests(tg: FakeTelegram, user: FakeUser) -> None:
    await user.send("hi")
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    form = aiohttp.FormData()
    form.add_field("chat_id", str(user.id))
    form.add_field("document", b"raw bytes", filename="raw.bin")
    async with aiohttp.ClientSession(tg.base_url) as http:

        async def call(method: str, **kwargs: Any) -> Any:
            async with http.post(f"/bot{tg.token}/{method}", **kwargs) as response:
                return (await response.json()).get("result")

        async def download(token: str, path: str) -> tuple[int, bytes]:
            async with http.get(f"/file/bot{token}/{path}") as response:
                return response.status, await response.read()

        await call("sendMessage", json={"chat_id": user.id, "text": "j", "reply_markup": markup})
        urlencoded = {"chat_id": user.id, "text": "123", "reply_markup": json.dumps(markup)}
        await call("sendMessage", data=urlencoded)
        file_id = (await call("sendDocument", data=form))["document"]["file_id"]
        await call("sendDocument", json={"chat_id": user.id, "document": file_id})
        path = (await call("getFile", json={"file_id": file_id}))["file_path"]
        assert await download(tg.token, path) == (200, b"raw bytes")
        assert (await download("1:BAD", path))[0] == 401
        assert (await download(tg.token, "nope"))[0] == 404

    echo, json_msg, form_msg, uploaded, again = user.bot_messages
    assert echo.text == "hi"
    assert json_msg.button_labels() == form_msg.button_labels() == ["A"]
    assert form_msg.text == "123"
    assert uploaded.document == again.document == ("raw.bin", b"raw bytes")


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("plain > text", "plain > text", []),
        ("<b>a<i>b</i></b>", "ab", [("bold", 0, 2), ("italic", 1, 1)]),
        ("😀<u>x</u> &lt;&#65;&unknown;", "😀x <A&unknown;", [("underline", 2, 1)]),
        ('<a href="https://t.me">t</a><a>no link</a>', "tno link", [("text_link", 0, 1)]),
        ('<pre><code class="language-py">x</code></pre>', "x", [("pre", 0, 1)]),
    ],
)
async def test_parse_html(source: str, text: str, entities: list[tuple[str, int, int]]) -> None:
    rendered, found = parse_html(source)
    assert rendered == text
    assert [(e["type"], e["offset"], e["length"]) for e in found] == entities


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b><i></b>", 'Unmatched end tag at byte offset 6, expected "</i>", found "</b>"'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
async def test_parse_html_errors(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_html(source)
    assert str(raised.value) == error


async def test_long_poll_wakes_promptly(tg: FakeTelegram, user: FakeUser) -> None:
    await tg.wait_idle()

    await asyncio.wait_for(user.send("quick"), timeout=POLL_TIMEOUT / 5)

    assert (await user.expect("quick", timeout=0)).text == "quick"  # handled when send returns
    assert tg.calls("getUpdates")[-1].params["timeout"] == POLL_TIMEOUT


async def test_polling_stops_cleanly(caplog: pytest.LogCaptureFixture) -> None:
    router = Router()

    @router.message()
    async def ok(message: Message) -> None:
        await message.answer("ok")

    tg = FakeTelegram()
    await tg.start()
    bot, dp = make_bot(tg), Dispatcher()
    dp.include_router(router)
    polling = asyncio.create_task(
        dp.start_polling(bot, handle_as_tasks=False, polling_timeout=30, handle_signals=False)
    )
    user = tg.user(7, "Solo")
    await user.send("hello")
    reply = await user.expect("ok")
    with pytest.raises(AssertionError, match="dropped"):
        await user.press_data("no callback handler", reply)

    async with asyncio.timeout(2):
        await dp.stop_polling()
        await polling
        await tg.stop()
    gc.collect()

    assert [m.text for m in user.bot_messages] == ["ok"]  # the chat is still readable
    assert not [r for r in caplog.records if "Unclosed" in r.getMessage()]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_webhook_pushes_round_robin_and_fails_over_to_the_other_worker() -> None:
    """With a webhook set, updates are pushed to the workers behind it in turn, with the
    secret; a worker that is gone gets its update retried on the next one."""
    async with FakeTelegram() as tg:
        tg.push_retry = 0.05
        bot = make_bot(tg)
        servers = []
        for _ in range(2):
            dispatcher = Dispatcher()
            dispatcher.include_router(build_router())
            app = web.Application()
            SimpleRequestHandler(dispatcher, bot, secret_token="s3cret").register(app, "/hook")
            servers.append(TestServer(app))
        for server in servers:
            await server.start_server()
        try:
            await bot.set_webhook("https://bot.example.kz/hook", secret_token="s3cret")
            tg.balance([str(server.make_url("/hook")) for server in servers])
            user = tg.user(61, "Айжан")
            for n in range(4):
                await user.send(f"/start round{n}")
                await user.expect(f"token=round{n}")
            first, second = (str(server.make_url("/hook")) for server in servers)
            assert [p.url for p in tg.pushes] == [first, second, first, second]
            assert all(p.status == 200 for p in tg.pushes)
            await servers[0].close()  # the first worker dies
            for n in range(4, 6):
                await user.send(f"/start round{n}")
                await user.expect(f"token=round{n}")
            assert any(p.url == first and p.status == 0 for p in tg.pushes)
            assert sum(p.status == 200 for p in tg.pushes) == 6  # each update handled once
        finally:
            for server in servers:
                await server.close()
            await bot.session.close()
