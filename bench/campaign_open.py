"""Opening a quarter for a generated 100,000-servant body: time and peak memory.

    python bench/campaign_open.py [--servants 100000]

A child process generates the roster into a fresh SQLite file (through the real roster
import, not timed); this process then opens the campaign and measures only that. The last line
is ``name=value`` figures.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from scoring import Quarter, WorkCalendar, load_methodology
from storage import evaluation, roster
from storage.db import Database
from storage.roster_file import Roster, SanctionRow, ServantRow

AT = datetime(2026, 4, 6, 5, 0, tzinfo=UTC)


def generate(count: int) -> Roster:
    """A body head, departments of ~1,000 under directors, divisions of ~20 under heads."""
    rows: list[ServantRow] = []
    sanctions = []

    def add(no: str, category: str, unit: str, supervisor: str | None, managerial: bool,
            head: bool, appointed: date) -> None:
        rows.append(ServantRow(
            row=len(rows) + 2, personnel_no=no, full_name=f"Servant {no}", position="Position",
            category=category, unit=unit, appointed_on=appointed, managerial=managerial,
            unit_head=head, supervisor=supervisor, dismissed_on=None, phone=None, language="ru",
            is_hr=False, is_appointing=False, public_services=False))

    add("0", "B-1", "Body", None, True, True, date(2015, 1, 1))
    department = division = 0
    while len(rows) < count:
        department += 1
        director = f"D{department}"
        add(director, "C-1", f"Body / Department {department}", "0", True, True,
            date(2018, 1, 1))
        for _ in range(50):
            if len(rows) >= count:
                break
            division += 1
            head = f"H{division}"
            unit = f"Body / Department {department} / Division {division}"
            add(head, "C-3", unit, director, True, False, date(2019, 1, 1))
            for i in range(19):
                if len(rows) >= count:
                    break
                no = f"S{division}-{i}"
                appointed = date(2026, 3, 20) if i == 18 else date(2020, 1, 1)
                add(no, "C-5" if i % 2 else "C-4", unit, head, False, False, appointed)
                if i == 7:
                    sanctions.append(SanctionRow(no, "reprimand", date(2026, 2, 2)))
    return Roster(servants=rows, sanctions=sanctions)


async def _generate(path: Path, count: int) -> None:
    db = await Database.open(path, synchronous="OFF")
    try:
        async with db.transaction() as conn:
            await roster.apply(conn, generate(count), at=AT, actor="bench")
    finally:
        await db.close()


async def _open(path: Path) -> tuple[float, int, int]:
    methodology = load_methodology("typical-2025")
    calendar = WorkCalendar.kazakhstan()
    db = await Database.open(path)
    try:
        started = time.perf_counter()
        async with db.transaction() as conn:
            report = await evaluation.open_campaign(conn, methodology, Quarter(2026, 1),
                                                    calendar, at=AT, today=AT.date(),
                                                    actor="bench")
        seconds = time.perf_counter() - started
    finally:
        await db.close()
    return seconds, report.sheets_total, report.excluded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servants", type=int, default=100_000)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        asyncio.run(_generate(args.generate, args.servants))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        generated = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate", str(path), "--servants",
                        str(args.servants)], check=True)
        print(f"roster of {args.servants} generated and imported in "
              f"{time.perf_counter() - generated:.1f} s (not part of the figure)")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds, sheets, excluded = asyncio.run(_open(path))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"opened Q1 2026: {sheets} sheets, {excluded} not evaluated; "
          f"peak RSS before opening {before:.0f} MB")
    print(f"seconds={seconds:.2f} rss_mb={peak:.0f} servants={args.servants} sheets={sheets} "
          f"excluded={excluded}")


if __name__ == "__main__":
    main()
