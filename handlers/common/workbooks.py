"""XLSX files the bot sends (openpyxl, imported on first use: it is slow to import and most
updates never build a workbook), written in openpyxl's write-only mode so that a national
body's 100,000 rows stream out without the whole workbook in memory.

Every sheet has a bold frozen header row, an autofilter and widths from its columns' kinds.
Scores are numbers shown with two decimals, moments real Excel date-times; text is always
text: a name that begins with ``=`` is never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any


class Kind(Enum):
    """How a column's cells are written and shown (the number format and the width)."""

    CODE = (None, 10)
    TEXT = (None, 18)
    LONG_TEXT = (None, 40)
    NUMBER = ("0", 8)
    SCORE = ("0.00", 10)
    DATE = ("DD.MM.YYYY", 12)
    MOMENT = ("DD.MM.YYYY HH:MM", 17)

    def __init__(self, number_format: str | None, width: int) -> None:
        self.number_format = number_format
        self.width = width


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet of text columns."""
    return workbook([Sheet(title, [Column(h) for h in header], rows)])


def workbook(sheets: Iterable[Sheet]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        _write(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(book: Any, sheet: Sheet) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    target = book.create_sheet(_sheet_title(sheet.title))
    for index, column in enumerate(sheet.columns, start=1):
        width = max(column.kind.width, min(len(column.title), 40) // 2 + 2)
        target.column_dimensions[get_column_letter(index)].width = width
    target.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = _text(target, column.title)
        cell.font = bold
        header.append(cell)
    target.append(header)
    count = 1
    formats = [c.kind.number_format for c in sheet.columns]
    for row in sheet.rows:
        cells: list[Any] = []
        for value, number_format in zip(row, formats, strict=True):
            if isinstance(value, str):
                cells.append(_text(target, value) if value[:1] == "=" else value)
            elif number_format and value is not None:
                cell = WriteOnlyCell(target, value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        target.append(cells)
        count += 1
    if sheet.columns:
        target.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{count}"


def _text(target: Any, value: str) -> Any:
    """A cell that holds ``value`` as text even when it looks like a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(target, value)
    cell.data_type = "s"
    return cell


def _sheet_title(title: str) -> str:
    """Excel's rules: at most 31 characters, none of : \\ / ? * [ ]."""
    for character in ":\\/?*[]":
        title = title.replace(character, " ")
    return title[:31].strip() or "Sheet"


def local(moment: datetime | None, tz: Any) -> datetime | None:
    """An aware moment as the body's local wall-clock time (Excel has no time zones)."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment else None
