"""Roster files: every row validated, any error rejects the whole file; import is idempotent."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from storage import audit, roster, roster_file
from storage.roster_file import RosterError, SanctionRow, normalize_phone, parse

from .conftest import NOW

SAMPLE = Path(__file__).parents[2] / "docs" / "sample-roster.csv"
HEADER = ("personnel_no,full_name,position,category,unit,appointed_on,managerial,unit_head,"
          "supervisor,dismissed_on,phone,language,role")


def csv(*rows: str) -> bytes:
    return "\n".join((HEADER, *rows)).encode()


def test_the_documented_sample_parses():
    parsed = parse(SAMPLE.read_bytes(), "sample-roster.csv")
    assert len(parsed.servants) == 9
    hr = [s for s in parsed.servants if s.is_hr]
    assert [s.personnel_no for s in hr] == ["1002", "1003"]
    assert parsed.servants[3].unit_head and parsed.servants[3].category == "C-1"


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("1,A,P,X-9,U,2020-01-01,no,no,,,,,", "category", "bad_category"),
        ("1,A,P,C-4,U,2020-13-01,no,no,,,,,", "appointed_on", "bad_date"),
        ("1,A,P,C-4,U,,no,no,,,,,", "appointed_on", "missing"),
        ("1,,P,C-4,U,2020-01-01,no,no,,,,,", "full_name", "missing"),
        ("1,A,P,C-4,U,2020-01-01,maybe,no,,,,,", "managerial", "bad_yes_no"),
        ("1,A,P,C-4,U,2020-01-01,no,no,7,,,,", "supervisor", "unknown_person"),
        ("1,A,P,C-4,U,2020-01-01,no,no,1,,,,", "supervisor", "self_supervisor"),
        ("1,A,P,C-4,U,2020-01-01,no,no,,2019-01-01,,,", "dismissed_on", "dates_order"),
        ("1,A,P,C-4,U,2020-01-01,no,no,,,12345,,", "phone", "bad_phone"),
        ("1,A,P,C-4,U,2020-01-01,no,no,,,,de,", "language", "bad_language"),
        ("1,A,P,C-4,U,2020-01-01,no,no,,,,,boss", "role", "bad_role"),
    ],
)
def test_a_bad_row_is_named(row, column, reason):
    good = "2,B,P,C-4,U,2020-01-01,no,no,,,,,"
    with pytest.raises(RosterError) as exc:
        parse(csv(good, row), "r.csv")
    assert [(e.row, e.column, e.reason) for e in exc.value.errors] == [(3, column, reason)]


def test_duplicates_and_cycles():
    with pytest.raises(RosterError) as exc:
        parse(csv("1,A,P,C-4,U,2020-01-01,no,no,2,,+77011112233,,",
                  "2,B,P,C-4,U,2020-01-01,no,no,1,,87011112233,,",
                  "2,C,P,C-4,U,2020-01-01,no,no,,,,,"), "r.csv")
    reasons = {(e.row, e.column, e.reason) for e in exc.value.errors}
    assert (4, "personnel_no", "duplicate") in reasons
    assert (3, "phone", "duplicate_phone") in reasons
    assert (2, "supervisor", "supervisor_cycle") in reasons


def test_missing_and_unknown_columns():
    with pytest.raises(RosterError) as exc:
        parse(b"personnel_no,full_name,salary\n1,A,100\n", "r.csv")
    reasons = {(e.column, e.reason) for e in exc.value.errors}
    assert ("category", "missing_column") in reasons
    assert ("salary", "unknown_column") in reasons


def test_semicolon_separated_cp1251_csv_from_excel():
    text = HEADER.replace(",", ";") + "\n1;Ахметова Айгерім;Эксперт;С-4;Аппарат;15.03.2024;нет;"
    parsed = parse(text.encode("cp1251", errors="replace"), "r.csv")
    assert parsed.servants[0].category == "C-4"
    assert str(parsed.servants[0].appointed_on) == "2024-03-15"


def _xlsx(servants, sanctions=None, absences=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "servants"
    for row in servants:
        sheet.append(row)
    for title, rows in (("sanctions", sanctions), ("absences", absences)):
        if rows:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_sanctions_and_absences():
    from datetime import date

    content = _xlsx(
        [HEADER.split(","), ["1", "A", "P", "C-4", "U", date(2020, 1, 1), "да"],
         ["2", "B", "P", "C-3", "U", "2019-05-05", "иә", "", "", "", 77011112233]],
        [["personnel_no", "kind", "imposed_on"], ["1", "Строгий выговор", "2026-02-10"]],
        [["personnel_no", "kind", "starts_on", "ends_on", "substitute"],
         ["2", "leave", "2026-04-01", "2026-04-30", "1"]],
    )
    parsed = parse(content, "r.xlsx")
    assert parsed.servants[0].managerial and parsed.servants[1].phone == "77011112233"
    assert parsed.sanctions[0].kind == "severe_reprimand"
    assert parsed.absences[0].substitute == "1"


def test_a_file_that_is_not_a_workbook():
    with pytest.raises(RosterError) as exc:
        parse(b"not a zip", "r.xlsx")
    assert exc.value.errors[0].reason == "unreadable"


@pytest.mark.parametrize(("typed", "phone"), [
    ("+7 (701) 234-56-78", "77012345678"), ("87012345678", "77012345678"),
    ("7012345678", "77012345678"), ("12345", None), ("+1 202 555 0100", None)])
def test_phone_numbers(typed, phone):
    assert normalize_phone(typed) == phone


async def test_apply_is_idempotent_and_counts(db):
    parsed = parse(SAMPLE.read_bytes(), "sample-roster.csv")
    async with db.transaction() as conn:
        first = await roster.apply(conn, parsed, at=NOW, actor="cli")
    assert (first.added, first.updated, first.dismissed, first.unchanged) == (9, 0, 0, 0)
    async with db.transaction() as conn:
        again = await roster.apply(conn, parsed, at=NOW, actor="cli")
    assert (again.added, again.updated, again.dismissed, again.unchanged) == (0, 0, 0, 9)
    changed = SAMPLE.read_text().replace("Главный эксперт,C-4", "Главный эксперт,C-3", 1)
    changed = changed.replace("2024-11-04,no,no,1012,,", "2024-11-04,no,no,1012,2026-03-31,")
    partial = "\n".join(changed.splitlines()[:-1])  # the last servant is not in the file
    async with db.transaction() as conn:
        third = await roster.apply(conn, parse(partial.encode(), "r.csv"), at=NOW, actor="cli")
    assert (third.added, third.updated, third.dismissed, third.unchanged,
            third.not_in_file) == (0, 1, 1, 6, 0)  # 1015 was already dismissed
    async with db.reading() as conn:
        units = [r[0] for r in await conn.execute_fetchall("SELECT path FROM unit ORDER BY id")]
        updates = await audit.entries(conn, action="servant.update")
    assert "Департамент торговой политики" in units
    assert "Департамент торговой политики / Управление внутренней торговли" in units
    assert updates[0]["before"] == '{"category": "C-4"}'


@pytest.mark.parametrize(
    ("row", "column", "reason", "value"),
    [
        ("1,A,P,C-9,U,2020-01-01,no,no,,,,,", "category", "unknown_category", "C-9"),
        ("1,A," + "P" * 5000 + ",C-4,U,2020-01-01,no,no,,,,,", "position", "too_long", "300"),
        ("1," + "A" * 201 + ",P,C-4,U,2020-01-01,no,no,,,,,", "full_name", "too_long", "200"),
    ],
)
def test_what_the_register_and_the_limits_refuse(row, column, reason, value):
    with pytest.raises(RosterError) as exc:
        parse(csv(row), "r.csv")
    assert [(e.column, e.reason, e.value) for e in exc.value.errors] == [(column, reason, value)]


def test_a_methodology_may_list_its_own_categories():
    with pytest.raises(RosterError) as exc:
        parse(csv("1,A,P,C-4,U,2020-01-01,no,no,,,,,"), "r.csv", categories=frozenset({"C-3"}))
    assert exc.value.errors[0].reason == "unknown_category"


def test_excel_serial_dates_in_csv_and_xlsx():
    parsed = parse(csv("1,A,P,C-4,U,45301,no,no,,,,,"), "r.csv")
    assert str(parsed.servants[0].appointed_on) == "2024-01-10"
    parsed = parse(_xlsx([HEADER.split(","), ["1", "A", "P", "C-4", "U", 45301]]), "r.xlsx")
    assert str(parsed.servants[0].appointed_on) == "2024-01-10"


def test_a_supervisor_already_in_the_bot():
    row = "2,B,P,C-4,U,2020-01-01,no,no,1,,,,"
    with pytest.raises(RosterError):
        parse(csv(row), "r.csv")
    assert parse(csv(row), "r.csv", in_bot=frozenset({"1"})).servants[0].supervisor == "1"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(roster_file, "MAX_INFLATED", 10 * 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (10 * 1024 * 1024 + 1))
    assert len(out.getvalue()) < 100 * 1024
    with pytest.raises(RosterError) as exc:
        parse(out.getvalue(), "r.xlsx")
    assert exc.value.errors[0].reason == "too_large"


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(roster_file, "MAX_ROWS", 2)
    rows = [f"{n},A,P,C-4,U,2020-01-01,no,no,,,,," for n in range(1, 5)]
    with pytest.raises(RosterError) as exc:
        parse(csv(*rows), "r.csv")
    assert [(e.reason, e.value) for e in exc.value.errors] == [("too_many_rows", "2")]


async def test_the_report_counts_sanctions_and_absences(db):
    parsed = parse(SAMPLE.read_bytes(), "sample-roster.csv")
    async with db.transaction() as conn:
        await roster.apply(conn, parsed, at=NOW, actor="cli")
    parsed.sanctions = [SanctionRow(parsed.servants[0].personnel_no, "remark", date(2026, 2, 1))]
    async with db.transaction() as conn:
        report = await roster.apply(conn, parsed, at=NOW, actor="cli")
    assert (report.unchanged, report.sanctions_added, report.absences_changed) == (9, 1, 0)


def test_the_head_of_the_personnel_service_is_hr_too():
    """Role hr_head: he reads the 360 reports where the methodology says so (justice cl. 26)."""
    parsed = parse(csv("1,A,P,C-4,U,2020-01-01,no,no,,,,,hr_head", "2,B,P,C-4,U,2020-01-01,no,"
                       "no,,,,,hr"), "roster.csv")
    head, officer = parsed.servants
    assert head.is_hr and head.is_hr_head
    assert officer.is_hr and not officer.is_hr_head
