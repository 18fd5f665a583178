"""XLSX files the bot sends, streamed out sheet by sheet: a national body's 100,000 rows are
written as they come (no workbook in memory; openpyxl's own writer took 40 s for them, this
takes a few). Only what the bot needs of SpreadsheetML: inline strings, numbers, dates, a bold
frozen header row, an autofilter and column widths.

Scores are numbers shown with two decimals, moments real Excel date-times; text is always
text: a name that begins with ``=`` is never a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from xml.sax.saxutils import escape, quoteattr


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
    out = io.BytesIO()
    written: list[tuple[str, str]] = []  # (title, autofilter range)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for number, sheet in enumerate(sheets, start=1):
            title = _unique(_sheet_title(sheet.title), [t for t, _ in written])
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as stream:
                written.append((title, _write(stream, sheet)))
        archive.writestr("[Content_Types].xml", _content_types(len(written)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook_xml(written))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(written)))
        archive.writestr("xl/styles.xml", _STYLES)
    return out.getvalue()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLE_OF = {None: 0, "0": 2, "0.00": 3, "DD.MM.YYYY": 4, "DD.MM.YYYY HH:MM": 5}
_BOLD = 1
_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - day 0 of Excel's serial dates, no zone
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _letters(count: int) -> list[str]:
    found = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        found.append(name)
    return found


def _text_cell(ref: str, value: str, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    text = escape(_ILLEGAL.sub("", value))
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{text}</t></is></c>'


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(ref, value)
    if isinstance(value, datetime):
        number: Any = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
    elif isinstance(value, date):
        number = (value - _EPOCH.date()).days
    elif isinstance(value, bool):
        return _text_cell(ref, str(value))
    elif isinstance(value, int | float | Decimal):
        number = value
    else:
        return _text_cell(ref, str(value))
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled}><v>{number}</v></c>'


def _write(stream: Any, sheet: Sheet) -> str:
    """Write one worksheet; returns its autofilter range."""
    columns = sheet.columns
    letters = _letters(max(len(columns), 1))
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(c.kind.width, min(len(c.title), 40) // 2 + 2)}" '
        'customWidth="1"/>' for i, c in enumerate(columns, start=1))
    head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
            'activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{widths}</cols>" if columns else "") + '<sheetData><row r="1">'
            + "".join(_text_cell(f"{letters[i]}1", c.title, _BOLD)
                      for i, c in enumerate(columns)) + "</row>")
    stream.write(head.encode())
    styles = [_STYLE_OF[c.kind.number_format] for c in columns]
    count, chunk = 1, []
    for row in sheet.rows:
        count += 1
        cells = "".join(_cell(f"{letter}{count}", value, style)
                        for letter, value, style in zip(letters, row, styles, strict=False))
        chunk.append(f'<row r="{count}">{cells}</row>')
        if len(chunk) == 500:
            stream.write("".join(chunk).encode())
            chunk = []
    area = f"A1:{letters[len(columns) - 1] if columns else 'A'}{count}"
    stream.write(("".join(chunk) + f'</sheetData><autoFilter ref="{area}"/></worksheet>')
                 .encode())
    return area


def _unique(title: str, taken: list[str]) -> str:
    candidate, n = title, 1
    while candidate.lower() in (t.lower() for t in taken):
        n += 1
        candidate = f"{title[:28]} {n}"
    return candidate


def _content_types(sheets: int) -> str:
    parts = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"'
            f"/>{parts}</Types>")


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
    'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def _workbook_xml(sheets: list[tuple[str, str]]) -> str:
    listed = "".join(f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
                     for n, (title, _) in enumerate(sheets, start=1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(_quoted(title))}!{_absolute(area)}</definedName>"
        for n, (title, area) in enumerate(sheets))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><bookViews><workbookView/></bookViews><sheets>{listed}</sheets>'
            + (f"<definedNames>{filters}</definedNames>" if filters else "") + "</workbook>")


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(area: str) -> str:
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in area.split(":"))


def _workbook_rels(sheets: int) -> str:
    rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                   f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, sheets + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http'
            '://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>')


_XF = '<xf numFmtId="{}" fontId="{}" fillId="0" borderId="0" xfId="0"{}/>'
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="0.00"/>'
    '<numFmt numFmtId="165" formatCode="DD.MM.YYYY"/>'
    '<numFmt numFmtId="166" formatCode="DD.MM.YYYY HH:MM"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="6">'
    + _XF.format(0, 0, "") + _XF.format(0, 1, ' applyFont="1"')
    + "".join(_XF.format(n, 0, ' applyNumberFormat="1"') for n in (1, 164, 165, 166))
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>")


def _sheet_title(title: str) -> str:
    """Excel's rules: at most 31 characters, none of : \\ / ? * [ ]."""
    for character in ":\\/?*[]":
        title = title.replace(character, " ")
    return title[:31].strip() or "Sheet"


def local(moment: datetime | None, tz: Any) -> datetime | None:
    """An aware moment as the body's local wall-clock time (Excel has no time zones)."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment else None
