"""HR's files at national size: importing a 100,000-servant roster and exporting the scored
quarter, while another user taps.

    python bench/hr_files.py [--servants 100000]

The roster (the body of bench/campaign_open.py) is imported through the real use case (the
file parsed in the worker thread, applied in one transaction); the quarter is then opened and
every sheet scored (not timed), and the results workbook is built as HR's background job.
Meanwhile "another user" taps every 100 ms: a read through the bot's connection, as a button
press does; its latency is measured from the moment it was due. The last line is ``name=value``
figures: import_s, export_s, export_mb, stall_p99_ms, stall_max_ms.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
import tempfile
import time
from contextlib import suppress
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))

from campaign_open import generate

from bot.i18n import create_i18n
from handlers.campaign import views
from scoring import Quarter, WorkCalendar, load_methodology
from services import campaigns, jobs, roster
from services.clock import Clock
from services.context import Context
from storage import evaluation, org
from storage.db import Database

AT = datetime(2026, 4, 10, 5, 0, tzinfo=UTC)
COLUMNS = ("personnel_no", "full_name", "position", "category", "unit", "appointed_on",
           "managerial", "unit_head", "supervisor")


def roster_csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for s in generate(count).servants:
        writer.writerow([s.personnel_no, s.full_name, s.position, s.category, s.unit,
                         s.appointed_on.isoformat(), "yes" if s.managerial else "no",
                         "yes" if s.unit_head else "no", s.supervisor or ""])
    return out.getvalue().encode()


class Taps:
    """Another user's taps every 100 ms; each latency counted from when the tap was due."""

    def __init__(self, ctx: Context) -> None:
        self.ctx, self.latencies = ctx, []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            due += 0.1
            await asyncio.sleep(max(due - loop.time(), 0))
            async with self.ctx.reading() as conn:
                await evaluation.open_campaigns(conn)
            self.latencies.append(loop.time() - due)

    def __enter__(self) -> Taps:
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def _score_everyone(ctx: Context) -> None:
    """Every sheet submitted with a score per parameter (a scored quarter), not timed."""
    async with ctx.db.transaction() as conn:
        for form in ctx.methodology.forms.values():
            await conn.execute(
                "INSERT INTO answer (sheet_id, parameter, ordinal, score, answered_at, "
                "answered_by) SELECT sh.id, p.value, p.key, '4', ?, 'bench' FROM sheet sh, "
                "json_each(?) p WHERE sh.form = ?",
                (AT.isoformat(), json.dumps([q.id for q in form.parameters]), form.id))
        await conn.execute(
            "UPDATE sheet SET status = 'submitted', average = '4.00', grade = 'effective', "
            "submitted_at = ?, delivered_at = ?", (AT.isoformat(), AT.isoformat()))


async def run(count: int, folder: Path) -> None:
    tz = ZoneInfo("Asia/Almaty")
    db = await Database.open(folder / "bench.sqlite3", synchronous="NORMAL")
    ctx = Context(db, Clock.starting_at(AT, tz), WorkCalendar.kazakhstan(),
                  load_methodology("typical-2025"))
    async with db.transaction() as conn:
        await org.ensure_body(conn, "Bench body", ctx.methodology.id)
    i18n = create_i18n("ru")
    content = roster_csv(count)
    head = b"\n".join(content.splitlines()[:2])  # the HR officer who sends the file
    await roster.import_roster(ctx, head, "head.csv", by=None)
    async with db.reading() as conn:
        hr = await org.by_personnel_no(conn, "0")
    assert hr is not None
    with Taps(ctx) as taps:  # as HR's file in the chat: a background job
        job_id = await roster.receive(ctx, hr, content, "roster.csv", "ru")
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        ctx.jobs.start(roster.run_import(ctx, job_id))
        await ctx.jobs.wait_idle()
        import_s = time.perf_counter() - started
        await asyncio.sleep(0.5)
    import_taps = list(taps.latencies)
    done = await jobs.get(ctx, job_id)
    assert done is not None and "report" in done.result, done
    async with db.transaction() as conn:
        opened = await evaluation.open_campaign(conn, ctx.methodology, Quarter(2026, 1),
                                                ctx.calendar, at=AT, today=AT.date(),
                                                actor="bench")
    await _score_everyone(ctx)
    with i18n.context(), i18n.use_locale("ru"), Taps(ctx) as taps:
        [(job_id, _campaign)] = await campaigns.request_exports(ctx, hr, "ru")
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        ctx.jobs.start(campaigns.run_export(ctx, job_id, partial(
            views.results_workbook, methodology=ctx.methodology)))
        await ctx.jobs.wait_idle()
        export_s = time.perf_counter() - started
        await asyncio.sleep(0.5)
    output = await jobs.output(ctx, job_id)
    assert output is not None
    latencies = sorted(import_taps + taps.latencies)
    await ctx.jobs.close()
    await db.close()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print(f"imported {done.result['report']['added']} servants; "
          f"{opened.sheets_total} sheets scored; "
          f"{len(latencies)} taps measured; the longest wait during the import "
          f"{max(import_taps) * 1000:.0f} ms, during the export "
          f"{max(taps.latencies) * 1000:.0f} ms")
    print(f"import_s={import_s:.1f} export_s={export_s:.1f} "
          f"export_mb={len(output) / 1e6:.1f} stall_p99_ms={p99:.0f} "
          f"stall_max_ms={latencies[-1] * 1000:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servants", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, suppress(KeyboardInterrupt):
        asyncio.run(run(args.servants, Path(folder)))


if __name__ == "__main__":
    main()
