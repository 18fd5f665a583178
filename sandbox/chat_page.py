"""The sandbox's chat page and its small JSON API over the emulator's chats."""

from __future__ import annotations

import asyncio
import html
from contextlib import suppress
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from . import Sandbox


SANDBOX: web.AppKey[Sandbox] = web.AppKey("sandbox")


def create_web(sandbox: Sandbox) -> web.Application:
    app = web.Application(client_max_size=20 * 1024 * 1024)
    app[SANDBOX] = sandbox
    app.router.add_get("/", page)
    app.router.add_get("/api/state", state)
    app.router.add_get("/api/chat", chat)
    app.router.add_get("/api/events", events)
    app.router.add_post("/api/send", send)
    app.router.add_post("/api/press", press)
    app.router.add_post("/api/upload", upload)
    app.router.add_get("/api/file", file)
    app.router.add_post("/api/clock", clock)
    return app


async def page(request: web.Request) -> web.Response:
    text = (resources.files("sandbox") / "page.html").read_text("utf-8")
    return web.Response(text=text, content_type="text/html")


def _sandbox(request: web.Request) -> Sandbox:
    return request.app[SANDBOX]


async def state(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    return web.json_response({
        "language": sandbox.app.default_language,
        "now": sandbox.app.clock.now().astimezone(sandbox.app.clock.tz).strftime(
            "%Y-%m-%d %H:%M"),
        "people": [{"id": p.telegram_id, "name": p.name, "position": p.position,
                    "language": p.language, "roles": p.roles} for p in sandbox.people],
    })


def _user(request: web.Request, value: Any) -> int:
    user_id = int(value)
    if user_id not in {p.telegram_id for p in _sandbox(request).people}:
        raise web.HTTPNotFound(text="no such demo person")
    return user_id


def _message_json(view) -> dict[str, Any]:
    body = view.source if view.from_bot and view.parse_mode == "HTML" else html.escape(
        view.source or "")
    return {
        "id": view.message_id, "from_bot": view.from_bot, "html": body,
        "buttons": [[{"text": b.text, "data": b.callback_data, "url": b.url} for b in row]
                    for row in view.buttons],
        "photo": view.photo is not None,
        "document": view.document[0] if view.document else None,
        "edited": view.edited,
    }


async def chat(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    user_id = _user(request, request.query.get("user", "0"))
    user = sandbox.telegram.user_of(user_id)
    return web.json_response({"messages": [_message_json(m) for m in user.chat],
                              "keyboard": user.reply_keyboard})


async def send(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    data = await request.json()
    text = str(data.get("text", "")).strip()
    if text:
        await sandbox.telegram.user_of(_user(request, data.get("user"))).send(text[:4096])
    return web.json_response({"ok": True})


async def press(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    data = await request.json()
    user = sandbox.telegram.user_of(_user(request, data.get("user")))
    message = next((m for m in user.chat if m.message_id == int(data.get("message", 0))), None)
    if message is None:
        raise web.HTTPNotFound(text="no such message")
    answer = await user.press_data(str(data.get("data", "")), message)
    alert = bool(user.last_answer and user.last_answer.show_alert)
    return web.json_response({"ok": True, "answer": answer, "alert": alert})


async def events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: "chat" whenever a message is sent, edited or deleted (the page
    then fetches the chat), a comment every 15 s to keep the connection open."""
    sandbox = _sandbox(request)
    _user(request, request.query.get("user", "0"))
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                           "Cache-Control": "no-cache"})
    await response.prepare(request)
    revision = -1
    with suppress(ConnectionResetError, asyncio.CancelledError):
        while True:
            current = await sandbox.telegram.changed(revision, timeout=15)
            await response.write(b"event: chat\ndata: {}\n\n" if current != revision
                                 else b": still here\n\n")
            revision = current
    return response


async def upload(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    form = await request.post()
    user = sandbox.telegram.user_of(_user(request, form.get("user")))
    item = form.get("file")
    if item is None or not hasattr(item, "file"):
        raise web.HTTPBadRequest(text="no file")
    await user.upload(item.filename, item.file.read())
    return web.json_response({"ok": True})


async def file(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    user = sandbox.telegram.user_of(_user(request, request.query.get("user", "0")))
    message = next((m for m in user.chat
                    if m.message_id == int(request.query.get("message", "0"))), None)
    if message is None:
        raise web.HTTPNotFound()
    if message.photo is not None:
        return web.Response(body=message.photo, content_type="image/png")
    if message.document:
        name, content = message.document
        return web.Response(body=content, headers={
            "Content-Disposition": f'attachment; filename="{name}"'},
            content_type="application/octet-stream")
    raise web.HTTPNotFound()


async def clock(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    data = await request.json()
    moment = await sandbox.move_clock(str(data.get("step", "day")))
    return web.json_response({"ok": True, "now": moment})
