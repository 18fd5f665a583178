"""Reading a roster file (CSV or XLSX) into validated rows — or every error, with row and column.

No SQL here: ``storage.roster.apply`` writes a roster that parsed cleanly. The format is
documented in docs/roster.md and shown by docs/sample-roster.csv.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from scoring import ScoreError, normalize_category
from scoring.routing import CORPS_B_CATEGORIES

SERVANT_COLUMNS = ("personnel_no", "full_name", "position", "category", "unit", "appointed_on",
                   "managerial", "unit_head", "supervisor", "dismissed_on", "phone", "language",
                   "role", "public_services")
REQUIRED = ("personnel_no", "full_name", "position", "category", "unit", "appointed_on")
MAX_LENGTH = {"personnel_no": 32, "full_name": 200, "position": 300, "unit": 500,
              "kind": 100}  # characters; docs/roster.md
MAX_ROWS = 200_000  # per sheet
MAX_INFLATED = 200 * 1024 * 1024  # an XLSX is a zip: its content unpacked, at most
_EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system)
_SERIALS = range(1, 2958466)  # 1900-01-01 … 9999-12-31
SANCTION_COLUMNS = ("personnel_no", "kind", "imposed_on")
ABSENCE_COLUMNS = ("personnel_no", "kind", "starts_on", "ends_on", "substitute")

_TRUE = {"1", "yes", "y", "true", "да", "иә", "ия", "+", "x"}
_FALSE = {"", "0", "no", "n", "false", "нет", "жоқ", "-"}
_ROLES = {"hr": "hr", "кадры": "hr", "appointing": "appointing", "appointing_official":
          "appointing", "hr_head": "hr_head"}  # hr_head: heads the personnel service
_SANCTIONS = {
    "remark": "remark", "замечание": "remark", "ескерту": "remark",
    "reprimand": "reprimand", "выговор": "reprimand", "сөгіс": "reprimand",
    "severe_reprimand": "severe_reprimand", "строгий выговор": "severe_reprimand",
    "қатаң сөгіс": "severe_reprimand", "other": "other", "иное": "other", "өзге": "other",
}


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: the sheet, the spreadsheet row (header = 1), the column and a reason code.

    Reason codes: missing, bad_category, unknown_category, too_long (value: the limit),
    bad_yes_no, bad_date, bad_phone, bad_language, bad_role, bad_sanction, duplicate,
    duplicate_phone, unknown_person, self_supervisor, supervisor_cycle, dates_order,
    missing_column, unknown_column, empty, unreadable, too_large, too_many_rows (value: the
    limit).
    """

    sheet: str
    row: int
    column: str
    reason: str
    value: str = ""


@dataclass(slots=True)
class ServantRow:
    row: int
    personnel_no: str
    full_name: str
    position: str
    category: str
    unit: str
    appointed_on: date
    managerial: bool
    unit_head: bool
    supervisor: str | None
    dismissed_on: date | None
    phone: str | None
    language: str | None
    is_hr: bool
    is_appointing: bool
    public_services: bool
    is_hr_head: bool = False  # heads the personnel service (also HR; justice cl. 26)


@dataclass(frozen=True, slots=True)
class SanctionRow:
    personnel_no: str
    kind: str
    imposed_on: date


@dataclass(frozen=True, slots=True)
class AbsenceRow:
    personnel_no: str
    kind: str
    starts_on: date
    ends_on: date
    substitute: str | None


@dataclass(slots=True)
class Roster:
    servants: list[ServantRow] = field(default_factory=list)
    sanctions: list[SanctionRow] = field(default_factory=list)
    absences: list[AbsenceRow] = field(default_factory=list)


class RosterError(Exception):
    """The file cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the roster")


def normalize_phone(text: str) -> str | None:
    """Kazakhstan numbers as 11 digits starting with 7: '+7 (701) 234-56-78', '87012345678'."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits[0] in "78":
        return "7" + digits[1:]
    if len(digits) == 10 and digits[0] == "7":
        return "7" + digits
    return None


def parse(content: bytes, filename: str, *, categories: frozenset[str] = CORPS_B_CATEGORIES,
          in_bot: frozenset[str] = frozenset()) -> Roster:
    """Parse and validate a whole roster; raise ``RosterError`` with every problem found.
    ``categories``: the codes the methodology knows; ``in_bot``: the personnel numbers
    already in the bot (a supervisor, a substitute or a sanction may name one of them)."""
    sheets = _read_xlsx(content) if filename.lower().endswith(".xlsx") else _read_csv(content)
    errors: list[RowError] = []
    roster = Roster()
    servants_sheet = sheets.get("servants") or next(iter(sheets.values()), None)
    if not servants_sheet:
        raise RosterError([RowError("servants", 1, "", "empty")])
    for name, records, _header in sheets.values():
        if len(records) > MAX_ROWS:
            raise RosterError([RowError(name, MAX_ROWS + 2, "", "too_many_rows", str(MAX_ROWS))])
    roster.servants = _servants(servants_sheet, errors, categories, in_bot)
    known = {s.personnel_no for s in roster.servants} | in_bot
    if "sanctions" in sheets:
        roster.sanctions = _sanctions(sheets["sanctions"], known, errors)
    if "absences" in sheets:
        roster.absences = _absences(sheets["absences"], known, errors)
    if errors:
        raise RosterError(errors)
    return roster


Sheet = tuple[str, list[tuple[int, dict[str, Any]]], list[str]]  # name, (row no, cells), header


def _table(name: str, rows: Iterable[list[Any]]) -> Sheet:
    iterator = iter(rows)
    header = []
    for header_row in iterator:
        header = [_key(c) for c in header_row]
        if any(header):
            break
    records = []
    for number, row in enumerate(iterator, start=2):
        cells = {h: v for h, v in zip(header, row, strict=False) if h}
        if any(_text(v) for v in cells.values()):
            records.append((number, cells))
            if len(records) > MAX_ROWS:  # enough to refuse it: do not read on
                break
    return name, records, [h for h in header if h]


def _key(cell: Any) -> str:
    return re.sub(r"\s+", "_", _text(cell).lower())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_csv(content: bytes) -> dict[str, Sheet]:
    for encoding in ("utf-8-sig", "cp1251"):  # Excel on Windows saves CSV in cp1251
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError([RowError("servants", 1, "", "unreadable")])
    try:
        dialect: Any = csv.Sniffer().sniff(text.partition("\n")[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return {"servants": _table("servants", csv.reader(io.StringIO(text), dialect))}


def _read_xlsx(content: bytes) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inflated = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile:
        raise RosterError([RowError("servants", 1, "", "unreadable")]) from None
    if inflated > MAX_INFLATED:  # a few KB can unpack to gigabytes
        raise RosterError([RowError("servants", 1, "", "too_large",
                                    str(MAX_INFLATED // (1024 * 1024)))])
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise RosterError([RowError("servants", 1, "", "unreadable")]) from None
    sheets = {}
    for index, sheet in enumerate(book.worksheets):
        name = sheet.title.strip().lower()
        name = name if name in ("servants", "sanctions", "absences") else (
            "servants" if index == 0 else name)
        sheets[name] = _table(name, sheet.iter_rows(values_only=True))
    book.close()
    return sheets


def _check_header(sheet: Sheet, allowed: tuple[str, ...], required: tuple[str, ...],
                  errors: list[RowError]) -> bool:
    name, _, header = sheet
    before = len(errors)
    errors += [RowError(name, 1, c, "missing_column") for c in required if c not in header]
    errors += [RowError(name, 1, c, "unknown_column") for c in header if c not in allowed]
    return len(errors) == before


class _Row:
    """Typed access to one row's cells, collecting errors instead of raising."""

    def __init__(self, sheet: str, number: int, cells: dict[str, Any],
                 errors: list[RowError]) -> None:
        self.sheet, self.number, self.cells, self.errors = sheet, number, cells, errors

    def error(self, column: str, reason: str, value: Any = "") -> None:
        self.errors.append(RowError(self.sheet, self.number, column, reason, _text(value)))

    def text(self, column: str, required: bool = False) -> str | None:
        value = _text(self.cells.get(column))
        if not value and required:
            self.error(column, "missing")
        limit = MAX_LENGTH.get(column, 100)
        if len(value) > limit:
            self.errors.append(RowError(self.sheet, self.number, column, "too_long", str(limit)))
            return None
        return value or None

    def yes_no(self, column: str) -> bool:
        value = _text(self.cells.get(column)).lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.error(column, "bad_yes_no", value)
        return False

    def date(self, column: str, required: bool = False) -> date | None:
        value = self.cells.get(column)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        if not text:
            if required:
                self.error(column, "missing")
            return None
        if text.isdigit() and int(text) in _SERIALS:  # Excel's serial number of the day
            return _EXCEL_EPOCH + timedelta(days=int(text))
        for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
            except ValueError:
                continue
        self.error(column, "bad_date", text)
        return None


def _servants(sheet: Sheet, errors: list[RowError], categories: frozenset[str],
              in_bot: frozenset[str]) -> list[ServantRow]:
    name, records, _ = sheet
    if not _check_header(sheet, SERVANT_COLUMNS, REQUIRED, errors):
        return []
    if not records:
        errors.append(RowError(name, 2, "", "empty"))
    result: list[ServantRow] = []
    first_row_of: dict[str, int] = {}
    phones: dict[str, int] = {}
    for number, cells in records:
        row = _Row(name, number, cells, errors)
        parsed = _servant(row, categories)
        if parsed is None:
            continue
        if parsed.personnel_no in first_row_of:
            row.error("personnel_no", "duplicate", parsed.personnel_no)
            continue
        first_row_of[parsed.personnel_no] = number
        if parsed.phone and parsed.dismissed_on is None:
            if parsed.phone in phones:
                row.error("phone", "duplicate_phone", parsed.phone)
            phones[parsed.phone] = number
        result.append(parsed)
    by_no = {s.personnel_no: s for s in result}
    for servant in result:
        if servant.supervisor is None:
            continue
        row = _Row(name, servant.row, {}, errors)
        if servant.supervisor == servant.personnel_no:
            row.error("supervisor", "self_supervisor", servant.supervisor)
        elif servant.supervisor not in by_no and servant.supervisor not in in_bot:
            row.error("supervisor", "unknown_person", servant.supervisor)
        elif _cycle(servant, by_no):
            row.error("supervisor", "supervisor_cycle", servant.supervisor)
    return result


def _servant(row: _Row, categories: frozenset[str]) -> ServantRow | None:
    before = len(row.errors)
    personnel_no = row.text("personnel_no", required=True)
    full_name = row.text("full_name", required=True)
    position = row.text("position", required=True)
    unit = row.text("unit", required=True)
    category_text = row.text("category", required=True)
    category = None
    if category_text:
        try:
            category = normalize_category(category_text)
        except ScoreError:
            row.error("category", "bad_category", category_text)
        else:
            if category not in categories:
                row.error("category", "unknown_category", category_text)
                category = None
    appointed_on = row.date("appointed_on", required=True)
    dismissed_on = row.date("dismissed_on")
    if appointed_on and dismissed_on and dismissed_on < appointed_on:
        row.error("dismissed_on", "dates_order", dismissed_on)
    phone_text = row.text("phone")
    phone = normalize_phone(phone_text) if phone_text else None
    if phone_text and phone is None:
        row.error("phone", "bad_phone", phone_text)
    language = (row.text("language") or "").lower() or None
    if language and language not in ("kk", "ru", "en"):
        row.error("language", "bad_language", language)
    roles = set()
    for part in re.split(r"[;,\s]+", (row.text("role") or "").lower()):
        if part and part not in _ROLES:
            row.error("role", "bad_role", part)
        elif part:
            roles.add(_ROLES[part])
    managerial = row.yes_no("managerial")
    unit_head = row.yes_no("unit_head")
    public_services = row.yes_no("public_services")
    if len(row.errors) > before:
        return None
    # a row without errors has every required value
    assert personnel_no and full_name and position and category and unit and appointed_on
    unit_path = " / ".join(p.strip() for p in unit.split("/") if p.strip())
    return ServantRow(
        row=row.number, personnel_no=personnel_no, full_name=" ".join(full_name.split()),
        position=position, category=category, unit=unit_path, appointed_on=appointed_on,
        managerial=managerial, unit_head=unit_head, supervisor=row.text("supervisor"),
        dismissed_on=dismissed_on, phone=phone, language=language,
        is_hr=bool(roles & {"hr", "hr_head"}), is_hr_head="hr_head" in roles,
        is_appointing="appointing" in roles, public_services=public_services,
    )


def _cycle(servant: ServantRow, by_no: dict[str, ServantRow]) -> bool:
    seen = {servant.personnel_no}
    current = servant.supervisor
    while current in by_no:
        if current in seen:
            return True
        seen.add(current)
        current = by_no[current].supervisor
    return False


def _rows(sheet: Sheet, errors: list[RowError]) -> Iterator[_Row]:
    name, records, _ = sheet
    for number, cells in records:
        yield _Row(name, number, cells, errors)


def _person(row: _Row, column: str, known: set[str], required: bool = True) -> str | None:
    value = row.text(column, required=required)
    if value and value not in known:
        row.error(column, "unknown_person", value)
        return None
    return value


def _sanctions(sheet: Sheet, known: set[str], errors: list[RowError]) -> list[SanctionRow]:
    if not _check_header(sheet, SANCTION_COLUMNS, SANCTION_COLUMNS, errors):
        return []
    result = []
    for row in _rows(sheet, errors):
        before = len(errors)
        person = _person(row, "personnel_no", known)
        kind_text = (row.text("kind", required=True) or "").lower()
        kind = _SANCTIONS.get(" ".join(kind_text.split()))
        if kind_text and kind is None:
            row.error("kind", "bad_sanction", kind_text)
        imposed_on = row.date("imposed_on", required=True)
        if len(errors) == before:
            assert person and kind and imposed_on  # required values, present without errors
            result.append(SanctionRow(person, kind, imposed_on))
    return result


def _absences(sheet: Sheet, known: set[str], errors: list[RowError]) -> list[AbsenceRow]:
    if not _check_header(sheet, ABSENCE_COLUMNS, ABSENCE_COLUMNS[:4], errors):
        return []
    result = []
    for row in _rows(sheet, errors):
        before = len(errors)
        person = _person(row, "personnel_no", known)
        kind = row.text("kind", required=True)
        starts_on, ends_on = row.date("starts_on", True), row.date("ends_on", True)
        if starts_on and ends_on and ends_on < starts_on:
            row.error("ends_on", "dates_order", ends_on)
        substitute = _person(row, "substitute", known, required=False)
        if len(errors) == before:
            assert person and kind and starts_on and ends_on  # required, present without errors
            result.append(AbsenceRow(person, kind, starts_on, ends_on, substitute))
    return result
