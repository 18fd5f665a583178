"""A fake Telegram Bot API server on 127.0.0.1 that a real aiogram bot talks to over HTTP."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from .users import FakeUser
from .views import ChatMessage
from .world import BLOCKED, METHODS, ApiError, Upload, World

DEFAULT_TOKEN = "123456:TEST-TOKEN"
DOWNLOAD = "downloadFile"  # how file downloads appear in FakeTelegram.requests
_NOT_FOUND = "Not Found: method not found"
_MAX_UPDATES = 100
_TOO_MANY = 429
_MAX_UPLOAD = 50 * 2**20  # what bots may upload
# Form fields whose values are plain strings even when they look like JSON ("123", "true").
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "parse_mode",
        "language_code",
        "url",
        "file_id",
        "action",
        "photo",
        "document",
        "title",
        "description",
        "short_description",
        "name",
        "emoji",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "secret_token",
        "ip_address",
    }
)


@dataclass
class Request:
    """One Bot API call as the server saw it (recorded once it was answered)."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    filenames: dict[str, str] = field(default_factory=dict)
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def result(self) -> Any:
        """The ``result`` of a successful call (None for errors)."""
        return self.response.get("result")


@dataclass(frozen=True)
class Push:
    """One webhook delivery attempt: where, which update, and the HTTP status (0: no
    connection)."""

    url: str
    update_id: int
    status: int


@dataclass
class _Failure:
    method: str
    error: ApiError
    remaining: int
    chat_id: int | None


class _Signal:
    """Wakes every waiter whenever the fake's state changes."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> None:
        """Return once ``predicate()`` holds; TimeoutError after ``timeout`` seconds."""
        async with asyncio.timeout(timeout):
            while True:
                event = self._event
                if predicate():
                    return
                await event.wait()


def _decode(key: str, value: Any) -> Any:
    """A field's value: JSON-serialised objects, numbers and booleans decoded."""
    if key in _STRING_FIELDS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Decoded parameters (query, JSON, urlencoded or multipart) and uploaded file parts."""
    params: dict[str, Any] = {k: _decode(k, v) for k, v in request.query.items()}
    if request.content_type == "application/json":
        params.update({k: _decode(k, v) for k, v in (await request.json()).items()})
        return params, {}
    uploads: dict[str, Upload] = {}
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
        else:
            params[key] = _decode(key, value)
    return params, uploads


def _attach(params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Upload]:
    """Map parameter names to the uploads they reference (``attach://<part>`` or the part)."""
    prefix = "attach://"
    names = {k: v[len(prefix) :] for k, v in params.items() if f"{v}".startswith(prefix)}
    attached = {k: uploads[name] for k, name in names.items() if name in uploads}
    return attached | {k: v for k, v in uploads.items() if k not in names.values()}


class FakeTelegram:
    """The fake Bot API server plus the users who write to the bot.

    Updates wait in a queue until the bot acknowledges them with a getUpdates ``offset``;
    user actions (``FakeUser.send`` …) return only after that acknowledgement.
    """

    update_timeout: float = 10.0
    answer_timeout: float = 0.0  # how long a press waits for the bot's answerCallbackQuery

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "bagalau_test_bot",
        bot_id: int = 123456,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id
        self.base_url = ""
        self.requests: list[Request] = []
        self.delivered: dict[int, dict[str, Any]] = {}  # update id -> update, as sent
        bot_user = {"id": bot_id, "is_bot": True, "first_name": "Bagalau"}
        self.world = World(bot_user | {"username": bot_username})
        self._queue: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._offset = 0
        self._dropped: dict[int, str] = {}
        self._allowed: set[str] | None = None
        self._failures: list[_Failure] = []
        self._signal = _Signal()
        self._pollers = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        # webhook delivery: the workers a balancer in front of the registered URL forwards to
        self.pushes: list[Push] = []
        self.push_retry = 0.5  # seconds before a refused push is tried again (on the next worker)
        self._workers: list[str] = []
        self._next_worker = 0
        self._acked: set[int] = set()
        self._in_flight: set[int] = set()
        self._pusher: asyncio.Task[None] | None = None
        self._pushing: set[asyncio.Task[None]] = set()
        self._http: aiohttp.ClientSession | None = None

    # ----- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 at a free port; sets ``base_url``."""
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self._pusher = asyncio.create_task(self._push_updates(), name="fake-telegram-webhook")

    async def stop(self) -> None:
        """Answer pending long polls and shut the server down."""
        self._closing = True
        self._signal.notify()
        for task in [*self._pushing, *([self._pusher] if self._pusher else [])]:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        self._pusher = None
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ----- the test's controls -------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        language_code: str | None = "ru",
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        """A Telegram user (private chat id == user id); the chat opens on their first update."""
        raw: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        self.world.users[user_id] = raw | {k: v for k, v in optional.items() if v is not None}
        return FakeUser(self, user_id)

    def user_of(self, user_id: int) -> FakeUser:
        """The user already registered with ``user``, as he is."""
        if user_id not in self.world.users:
            raise KeyError(user_id)
        return FakeUser(self, user_id)

    async def group_message(self, chat_id: int, user: FakeUser, text: str) -> None:
        """``user`` writes ``text`` in the group ``chat_id``; returns once the bot took it."""
        chat = self.world.group_chat(chat_id)
        message = self.world.user_message(chat, user.id, FakeUser.text_content(text))
        await self.deliver({"message": message})

    def messages(self, chat_id: int) -> list[ChatMessage]:
        """Any chat (e.g. a group) as currently shown."""
        chat = self.world.chats.get(chat_id)
        return [self.world.view(m) for m in chat.messages.values()] if chat else []

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        count: int = 1,
        chat_id: int | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` (to ``chat_id`` if given) fail."""
        defaults = {
            429: f"Too Many Requests: retry after {retry_after}",
            403: BLOCKED,
            400: "Bad Request: injected failure",
            401: "Unauthorized",
            404: "Not Found",
        }
        text = description or defaults.get(status, f"Internal Server Error {status}")
        error = ApiError(status, text, retry_after if status == _TOO_MANY else None)
        self._failures.append(_Failure(method.lower(), error, count, chat_id))

    def balance(self, urls: list[str]) -> None:
        """While a webhook is set, push updates to ``urls`` in turn, as a load balancer in
        front of several workers would; a refused or failed push is retried on the next one.
        Without workers nothing is pushed (the registered URL is not contacted: it is usually
        a public name the tests do not serve)."""
        self._workers = list(urls)
        self._signal.notify()

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends and edits to their chat now answer 403."""
        self.world.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self.world.blocked.discard(user_id)

    def commands(
        self, chat_id: int | None = None, language_code: str | None = None
    ) -> list[tuple[str, str]]:
        """The (command, description) list a user sees: chat scope > all private/groups >
        default, each in ``language_code`` first, then for all languages."""
        return self.world.visible_commands(chat_id, language_code)

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any] | None:
        """The last MenuButton set for ``chat_id`` (None = default for all chats)."""
        return self.world.menu_buttons.get(chat_id)

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not acknowledged yet."""
        return len(self._queue)

    @property
    def polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now (the bot is idle)."""
        return self._pollers > 0

    def calls(self, method: str) -> list[Request]:
        """All recorded requests of ``method`` (case-insensitive), oldest first."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    # ----- waiting -------------------------------------------------------------------------

    async def wait_until(
        self, predicate: Callable[[], bool], timeout: float, describe: Callable[[], str]
    ) -> None:
        """Wait until ``predicate()`` holds; AssertionError(``describe()``) on timeout."""
        try:
            await self._signal.wait_until(predicate, timeout)
        except TimeoutError:
            raise AssertionError(describe()) from None

    async def wait_for_request(
        self,
        method: str,
        predicate: Callable[[Request], bool] | None = None,
        timeout: float = 5,
        *,
        nth: int = 1,
        since: int = 0,
    ) -> Request:
        """The ``nth`` matching request among ``requests[since:]``, waiting if needed.

        Counts requests already recorded: pass ``since=len(tg.requests)`` to consider only
        requests made after that point.
        """

        def matching() -> list[Request]:
            found = [r for r in self.requests[since:] if r.method.lower() == method.lower()]
            return [r for r in found if predicate is None or predicate(r)]

        await self.wait_until(
            lambda: len(matching()) >= nth,
            timeout,
            lambda: (
                f"no request #{nth} of {method} within {timeout}s; "
                f"got {len(matching())}; recent calls: {[r.method for r in self.requests[-10:]]}"
            ),
        )
        return matching()[nth - 1]

    async def changed(self, since: int, timeout: float) -> int:
        """The world's revision once a message is sent, edited or deleted after ``since`` (or
        ``since`` again after ``timeout`` seconds): what a chat page waits for."""
        with suppress(TimeoutError):
            await self._signal.wait_until(lambda: self.world.revision != since, timeout)
        return self.world.revision

    async def wait_answered(self, query_id: str) -> None:
        """Until the bot answered the callback query (at most ``answer_timeout`` seconds): the
        toast or alert the user sees. A bot that handles updates as tasks answers after the
        update was acknowledged."""
        query = self.world.callbacks[query_id]
        with suppress(TimeoutError):
            await self._signal.wait_until(lambda: query.answered, self.answer_timeout)

    async def wait_idle(self, timeout: float = 5) -> None:
        """Wait until the bot is waiting in a getUpdates long poll with nothing to handle."""
        await self.wait_until(
            lambda: self.polling and not self._queue,
            timeout,
            lambda: f"bot not idle within {timeout}s; pending={self.pending_updates}",
        )

    async def deliver(self, update: dict[str, Any]) -> int:
        """Queue an update (e.g. ``{"message": {...}}``) and wait until the bot acknowledged it.

        Returns the update_id. Used by FakeUser; tests normally do not call it.
        """
        update_id = self._next_update_id
        self._next_update_id += 1
        self.delivered[update_id] = copy.deepcopy(update)
        self._queue.append({"update_id": update_id, **copy.deepcopy(update)})
        self._drop_unwanted()
        self._signal.notify()
        kind = next(iter(update))
        timeout = self.update_timeout
        await self.wait_until(
            lambda: self._offset > update_id or update_id in self._acked
            or update_id in self._dropped,
            timeout,
            lambda: (
                f"bot did not take update {update_id} ({kind}) within {timeout}s; "
                f"pending={self.pending_updates}; in getUpdates now={self.polling}; last calls: "
                f"{[(r.method, r.status) for r in self.requests[-5:]]}"
            ),
        )
        if update_id in self._dropped:
            raise AssertionError(f"update {update_id} ({kind}) {self._dropped[update_id]}")
        return update_id

    # ----- HTTP ----------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        params, uploads = await _read_params(request)
        name = request.match_info["method"]
        method = next((m for m in [*METHODS, "getUpdates"] if m.lower() == name.lower()), name)
        attached = _attach(params, uploads)
        record = Request(
            method,
            copy.deepcopy(params),
            files={k: v.content for k, v in attached.items()},
            filenames={k: v.filename for k, v in attached.items()},
        )
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            self._inject_failure(method, params)
            result = await self._call(method, params | attached)
            body: dict[str, Any] = {"ok": True, "result": result}
            record.status = 200
        except ApiError as error:
            body, record.status = error.body(), error.status
        record.response = copy.deepcopy(body)
        self._record(record)
        return web.json_response(body, status=record.status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Serve a download; recorded as the pseudo-method ``downloadFile``."""
        path = request.match_info["path"]
        stored = self.world.file_by_path(path)
        injected = None
        try:
            self._inject_failure(DOWNLOAD, {})
        except ApiError as failure:
            injected = failure
        if request.match_info["token"] != self.token:
            error = ApiError(401, "Unauthorized")
        elif injected is not None:
            error = injected
        elif stored is None or stored.content is None:
            error = ApiError(404, "Not Found")
        else:
            self._record(Request(DOWNLOAD, {"file_path": path}))
            return web.Response(body=stored.content, content_type=stored.mime_type)
        self._record(Request(DOWNLOAD, {"file_path": path}, status=error.status))
        return web.json_response(error.body(), status=error.status)

    def _record(self, record: Request) -> None:
        self.requests.append(record)
        self._signal.notify()

    def _inject_failure(self, method: str, params: dict[str, Any]) -> None:
        for failure in self._failures:
            chat_ok = failure.chat_id is None or params.get("chat_id") == failure.chat_id
            if failure.method == method.lower() and chat_ok:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                raise failure.error

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getUpdates":
            return await self._get_updates(params)
        if method not in METHODS:
            raise ApiError(404, _NOT_FOUND)
        result = METHODS[method](self.world, params)
        if method == "deleteWebhook" and params.get("drop_pending_updates"):
            reason = "dropped by deleteWebhook(drop_pending_updates=True)"
            self._dropped |= {u["update_id"]: reason for u in self._queue}
            self._queue.clear()
        return result

    # ----- updates -------------------------------------------------------------------------

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.world.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if params.get("offset"):
            self._acknowledge(int(params["offset"]))
        if params.get("allowed_updates") is not None:
            self._allowed = set(params["allowed_updates"]) or None
            self._drop_unwanted()
        limit = min(max(int(params.get("limit") or _MAX_UPDATES), 1), _MAX_UPDATES)
        self._pollers += 1
        self._signal.notify()
        try:
            with suppress(TimeoutError):
                timeout = float(params.get("timeout") or 0)
                await self._signal.wait_until(lambda: bool(self._queue) or self._closing, timeout)
        finally:
            self._pollers -= 1
        return copy.deepcopy(self._queue[:limit])

    async def _push_updates(self) -> None:
        """Deliver queued updates to the webhook's workers, up to setWebhook's
        max_connections at once, each until a worker answers 200."""
        while True:
            with suppress(TimeoutError):
                await self._signal.wait_until(lambda: self._pushable() is not None, 3600)
            update = self._pushable()
            if update is not None:
                self._in_flight.add(update["update_id"])
                task = asyncio.create_task(self._push(update))
                self._pushing.add(task)
                task.add_done_callback(self._pushing.discard)

    def _pushable(self) -> dict[str, Any] | None:
        """The oldest queued update not being pushed now, if a push may start."""
        if not (self.world.webhook_url and self._workers) or \
                len(self._in_flight) >= self.world.webhook_connections:
            return None
        return next((u for u in self._queue if u["update_id"] not in self._in_flight), None)

    async def _push(self, update: dict[str, Any]) -> None:
        update_id = update["update_id"]
        url = self._workers[self._next_worker % len(self._workers)]
        self._next_worker += 1
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.world.webhook_secret} \
            if self.world.webhook_secret else {}
        status = 0
        try:
            assert self._http is not None
            async with self._http.post(url, json=update, headers=headers) as response:
                status = response.status
        except (aiohttp.ClientError, TimeoutError, OSError):
            pass
        self.pushes.append(Push(url, update_id, status))
        if status == 200:
            self._acked.add(update_id)
            self._queue = [u for u in self._queue if u["update_id"] != update_id]
        else:
            await asyncio.sleep(self.push_retry)
        self._in_flight.discard(update_id)
        self._signal.notify()

    def _acknowledge(self, offset: int) -> None:
        self._offset = max(self._offset, offset)
        self._queue = [u for u in self._queue if u["update_id"] >= offset]
        self._signal.notify()

    def _drop_unwanted(self) -> None:
        if self._allowed is None:
            return
        reason = f"dropped: not in the bot's allowed_updates {sorted(self._allowed)}"
        kept = [u for u in self._queue if _update_type(u) in self._allowed]
        self._dropped |= {u["update_id"]: reason for u in self._queue if u not in kept}
        self._queue = kept


def _update_type(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")
