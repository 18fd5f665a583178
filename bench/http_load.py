"""Evaluators pressing at once over real HTTP: the real ``python -m bot`` process against the
Bot API emulator, and a bare aiogram bot (``bench/bare_bot.py``) under the same driver.

    python bench/http_load.py [--evaluators 50] [--repetitions 3]

Each simulated evaluator sends /sheets and scores one whole sheet (open, begin, five scores,
submit, confirm): ten actions, each timed from the moment it is sent until the bot's reply
(the edited or new message, and the answered callback) is seen. The bare bot gets the same ten
actions per user (a message, then nine presses it answers and edits). The two bots run one
after the other, interleaved, ``--repetitions`` times; an "answer" is one action answered.
Figures are medians over the repetitions; cold start is the time from spawning the process
to its first long poll. The bot's CPU is read from /proc (user + system).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from handlers.common.callbacks import SheetAction, SheetCb
from sandbox.emulator import FakeTelegram, FakeUser
from sandbox.emulator.world import StoredMessage
from scoring import ALMATY, Quarter, WorkCalendar, load_methodology
from storage import accounts, evaluation, roster
from storage.db import Database
from storage.roster_file import Roster, ServantRow

ROOT = Path(__file__).parents[1]
FIRST_USER = 100_000
REPLY_TIMEOUT = 60.0
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Run:
    """One bot under the load."""

    answers_per_s: float
    p99_ms: float
    cpu_ms_per_answer: float
    cold_start_s: float


def organisation(evaluators: int) -> Roster:
    """Each evaluator heads a department of one servant."""
    rows = []
    for i in range(evaluators):
        for no, category, head, supervisor in ((f"E{i}", "C-1", True, None),
                                               (f"S{i}", "C-4", False, f"E{i}")):
            rows.append(ServantRow(
                row=len(rows) + 2, personnel_no=no, full_name=f"Servant {no}",
                position="Position", category=category, unit=f"Department {i}",
                appointed_on=date(2020, 1, 1), managerial=head, unit_head=head,
                supervisor=supervisor, dismissed_on=None, phone=None, language="ru",
                is_hr=False, is_appointing=False, public_services=False))
    return Roster(servants=rows)


async def prepare(path: Path, evaluators: int) -> dict[int, int]:
    """A body whose evaluators each have one sheet of the last quarter; user id -> sheet id."""
    now = datetime.now(ALMATY)
    db = await Database.open(path)
    try:
        await db.migrate()
        async with db.transaction() as conn:
            await roster.apply(conn, organisation(evaluators), at=now, actor="bench")
            ids = {r[0]: r[1] for r in await conn.execute_fetchall(
                "SELECT personnel_no, id FROM servant")}
            for i in range(evaluators):
                await accounts.bind(conn, FIRST_USER + i, ids[f"E{i}"], at=now, how="bench")
            await evaluation.open_campaign(
                conn, load_methodology("typical-2025"), Quarter.containing(now.date()).previous(),
                WorkCalendar.kazakhstan(), at=now, today=now.date(), actor="bench")
            sheets = {r[0]: r[1] for r in await conn.execute_fetchall(
                "SELECT evaluator_id, id FROM sheet")}
    finally:
        await db.close()
    return {FIRST_USER + i: sheets[ids[f"E{i}"]] for i in range(evaluators)}


def bagalau_actions(sheet_id: int) -> list[str]:
    """/sheets, then the callback data of the nine presses that score and submit a sheet."""
    presses = [(SheetAction.OPEN, 0, ""), (SheetAction.GO, 0, "")]
    presses += [(SheetAction.SCORE, i, str(4 + i % 2)) for i in range(5)]
    presses += [(SheetAction.SUBMIT, 0, ""), (SheetAction.CONFIRM, 0, "")]
    return ["/sheets"] + [SheetCb(sheet=sheet_id, action=a, index=i, value=v).pack()
                          for a, i, v in presses]


def bare_actions(_: int) -> list[str]:
    return ["/sheets"] + [f"score:{i % 6}" for i in range(9)]


def reply_since(tg: FakeTelegram, user: FakeUser, mark: int) -> StoredMessage | None:
    """The newest bot message in his chat sent or edited after revision ``mark``."""
    chat = tg.world.chats.get(user.chat_id)
    if chat is None:
        return None
    fresh = [m for m in chat.messages.values()
             if m.revision > mark and m.raw.get("from", {}).get("is_bot")]
    return max(fresh, key=lambda m: m.revision) if fresh else None


async def evaluator(tg: FakeTelegram, user: FakeUser, actions: list[str]) -> list[float]:
    """Perform ``actions`` one after the other, each once the previous one was answered."""
    latencies: list[float] = []
    message: StoredMessage | None = None
    for action in actions:
        mark = tg.world.revision
        started = time.perf_counter()
        if message is None:
            await user.send(action)
        else:
            await user.press_data(action, tg.world.view(message))
        await tg.wait_until(lambda mark=mark: reply_since(tg, user, mark) is not None,
                            REPLY_TIMEOUT, lambda action=action: f"no reply to {action!r}")
        latencies.append(time.perf_counter() - started)
        message = reply_since(tg, user, mark)
    return latencies


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def run_bot(command: list[str], env: dict[str, str], users: dict[int, int],
                  actions: Callable[[int], list[str]]) -> Run:
    """Start the bot process, drive every user through ``actions`` at once, stop it."""
    async with FakeTelegram() as tg:
        tg.answer_timeout = REPLY_TIMEOUT
        tg.update_timeout = REPLY_TIMEOUT
        env = env | {"BOT_TOKEN": tg.token, "TELEGRAM_API_BASE": tg.base_url}
        spawned = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL)
        try:
            await tg.wait_until(lambda: tg.polling, 60, lambda: "the bot never polled")
            cold_start = time.perf_counter() - spawned
            fakes = {uid: tg.user(uid, f"Evaluator {uid}", language_code="ru") for uid in users}
            cpu_before = cpu_seconds(process.pid)
            started = time.perf_counter()
            timings = await asyncio.gather(*(
                evaluator(tg, fakes[uid], actions(sheet))
                for uid, sheet in users.items()))
            elapsed = time.perf_counter() - started
            cpu = cpu_seconds(process.pid) - cpu_before
        finally:
            process.terminate()
            await process.wait()
    latencies = sorted(t for user in timings for t in user)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Run(len(latencies) / elapsed, p99 * 1000, cpu * 1000 / len(latencies), cold_start)


async def one_pair(evaluators: int, folder: Path, repetition: int) -> tuple[Run, Run]:
    database = folder / f"body-{repetition}.sqlite3"
    users = await prepare(database, evaluators)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    bagalau = await run_bot(
        [sys.executable, "-m", "bot"],
        base_env | {"DATABASE_PATH": str(database), "BODY_NAME": "Bench Ministry"},
        users, bagalau_actions)
    db = await Database.open(database)
    try:
        async with db.reading() as conn:
            submitted = (await conn.execute_fetchall(
                "SELECT count(*) FROM sheet WHERE status = 'submitted'"))[0][0]
    finally:
        await db.close()
    if submitted != evaluators:
        raise SystemExit(f"only {submitted} of {evaluators} sheets were submitted")
    bare = await run_bot([sys.executable, str(ROOT / "bench" / "bare_bot.py")], base_env,
                         {FIRST_USER + 50_000 + i: 0 for i in range(evaluators)}, bare_actions)
    return bagalau, bare


def describe(run: Run) -> str:
    return (f"{run.answers_per_s:.0f} answers/s, p99 {run.p99_ms:.0f} ms, "
            f"{run.cpu_ms_per_answer:.1f} ms CPU per answer, cold start {run.cold_start_s:.1f} s")


def median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluators", type=int, default=50)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    ours: list[Run] = []
    bare: list[Run] = []
    with tempfile.TemporaryDirectory() as folder:
        for repetition in range(args.repetitions):
            mine, theirs = asyncio.run(one_pair(args.evaluators, Path(folder), repetition))
            ours.append(mine)
            bare.append(theirs)
            print(f"repetition {repetition + 1}: {describe(mine)} | bare: {describe(theirs)}",
                  flush=True)
    print(f"bagalau: {median(ours, 'answers_per_s'):.0f} answers/s, p99 "
          f"{median(ours, 'p99_ms'):.0f} ms; bare aiogram: {median(bare, 'answers_per_s'):.0f} "
          f"answers/s, p99 {median(bare, 'p99_ms'):.0f} ms ({args.evaluators} evaluators)")
    print(f"throughput_ratio={median(ours, 'answers_per_s') / median(bare, 'answers_per_s'):.2f} "
          f"p99_ratio={median(ours, 'p99_ms') / median(bare, 'p99_ms'):.2f} "
          f"cpu_ms_per_answer={median(ours, 'cpu_ms_per_answer'):.2f} "
          f"baseline_cpu_ms_per_answer={median(bare, 'cpu_ms_per_answer'):.2f} "
          f"cold_start_ratio={median(ours, 'cold_start_s') / median(bare, 'cold_start_s'):.2f}")


if __name__ == "__main__":
    main()
