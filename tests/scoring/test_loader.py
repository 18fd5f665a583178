"""Methodology files: every built-in loads; a broken file fails naming file, key and problem."""

import re

import pytest

from scoring import BUILTIN, LANGUAGES, MethodologyError, load_methodology
from scoring.loader import _builtin_text


@pytest.mark.parametrize("name", BUILTIN)
def test_every_builtin_loads_with_all_three_languages(name):
    methodology = load_methodology(name)
    assert methodology.id == name
    for form in methodology.forms.values():
        for text in (form.title, form.preamble, *(p.title for p in form.parameters),
                     *(p.hint for p in form.parameters)):
            assert all(getattr(text, lang) for lang in LANGUAGES)


def test_typical_forms_are_the_official_appendices():
    m = load_methodology("typical-2025")
    managerial = m.forms["managerial"].parameters
    assert [p.id for p in managerial] == ["quality", "deadlines", "leadership",
                                         "labour_discipline", "no_sanctions"]
    assert managerial[2].title.ru == "Лидерство и навыки принятия решений"
    assert managerial[2].title.kk == "Көшбасшылық және шешім қабылдау дағдылары"
    independence = m.forms["non_managerial"].parameters[2]
    assert independence.title.ru == "Самостоятельность и инициативность"
    assert m.forms["non_managerial"].parameters[4].hint.ru.startswith(
        "Учитывается наложение дисциплинарных взысканий в оцениваемом квартале.")


def test_trade_extends_typical_and_keeps_its_slip_verbatim():
    trade = load_methodology("trade-2025")
    parameter = trade.forms["managerial"].parameters[3]
    assert parameter.title.kk == "Бағалаушы адамның еңбек тәртібін сақтауы"
    typical = load_methodology("typical-2025").forms["managerial"].parameters[3]
    assert parameter.hint == typical.hint
    assert trade.calibration.window_starts_at == "acknowledgement"
    assert trade.calibration.session_working_days == 10


def test_an_agency_file_by_path_extending_a_builtin(tmp_path):
    path = tmp_path / "akimat.toml"
    path.write_text('schema = 1\nextends = "typical-2025"\nid = "akimat-2026"\n'
                    "[deadlines]\nevaluation_day = 15\n", encoding="utf-8")
    m = load_methodology(str(path))
    assert (m.id, m.deadlines.evaluation_day, m.deadlines.annual_final_day) == (
        "akimat-2026", 15, 30)


def test_extends_a_sibling_file(tmp_path):
    (tmp_path / "base.toml").write_text(_builtin_text("typical-2025").replace(
        'id = "typical-2025"', 'id = "base"'), encoding="utf-8")
    (tmp_path / "child.toml").write_text('schema = 1\nextends = "base.toml"\nid = "child"\n',
                                         encoding="utf-8")
    assert load_methodology(tmp_path / "child.toml").forms.keys() == {"managerial",
                                                                      "non_managerial"}


def _broken(tmp_path, old, new, count=1):
    text = _builtin_text("typical-2025")
    assert old in text, old
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('label.en = "Performs functional duties properly"\n', "",
         "grades[1].label.en", "missing"),
        ('min = "3"\n', 'min = "4.5"\n', "grades", "must start below"),
        ('min = "3"\n', "min = 3\n", "grades[1].min", "number in quotes"),
        ('min = "3"\n', 'min = "three"\n', "grades[1].min", "not a number"),
        ('evaluator = "unit_head"', 'evaluator = "boss"', "routing.rules[1].evaluator",
         "must be one of"),
        ('form = "managerial"\nevaluator = "unit_head"',
         'form = "leaders"\nevaluator = "unit_head"', "routing.rules[1].form",
         "no form 'leaders'"),
        ('clause = "cl. 17 ¶4"\n', 'clause = "cl. 17 ¶4"\nmanagerial = false\n', "routing.rules",
         "last rule must have no condition"),
        ('"E-R-1"]', '"E-R-1", "X-1"]', "routing.unit_head_categories", "category code"),
        ("evaluation_day = 20", "evaluation_day = 32", "deadlines.evaluation_day",
         "between 1 and 31"),
        ("min_worked_days = 15", "min_worked_days = 15\nmin_worked_hours = 1",
         "eligibility.min_worked_hours", "unknown key"),
        ('sanctions = ["other"]', 'sanctions = ["fine"]', "sanctions.caps[1].sanctions",
         "unknown code 'fine'"),
        ('max = "1.99"', 'max = "7"', "sanctions.caps[1].max", "within the scale"),
        ('parameter = "no_sanctions"', 'parameter = "no_fines"', "sanctions.parameter",
         "no form has a parameter"),
        ('id = "independence"', 'id = "quality"', "forms.non_managerial.parameters",
         "must be unique"),
        ('kind = "parameters"', 'kind = "essay"', "forms.managerial.kind", "must be one of"),
        ('window_starts_at = "delivery"', 'window_starts_at = "receipt"',
         "calibration.window_starts_at", "must be one of"),
        ('{ from = "40", to = "44.99", min = "2", max = "2.24" }',
         '{ from = "40", to = "44.49", min = "2", max = "2.24" }',
         "kpi_tables.corps_a_allowed_range.rows", "does not end 0.01 below 45"),
        ('allowed_range_table = "corps_a_allowed_range"', 'allowed_range_table = "nope"',
         "corps_a.allowed_range_table", "no table 'nope'"),
        ("schema = 1", "schema = 2", "schema", "schema 1"),
        ("protocol_posting_working_days = 3", "protocol_posting_working_days = 3\n"
         "feedback_reminder_working_days = 5\nfeedback_escalation_working_days = 5",
         "calibration.feedback_escalation_working_days", "must be later than"),
        ('official_languages = ["ru", "kk"]', 'official_languages = ["de"]',
         "official_languages", "must be among"),
    ],
)
def test_broken_file_names_file_key_and_problem(tmp_path, old, new, key, problem):
    path = _broken(tmp_path, old, new)
    with pytest.raises(MethodologyError) as exc:
        load_methodology(path)
    assert exc.value.file == "broken.toml"
    assert exc.value.key == key
    assert re.search(re.escape(problem), exc.value.problem), exc.value.problem
    assert str(exc.value).startswith(f"broken.toml: {key}: ")


def test_invalid_toml(tmp_path):
    path = _broken(tmp_path, "schema = 1", "schema = = 1")
    with pytest.raises(MethodologyError, match=r"broken\.toml: not valid TOML"):
        load_methodology(path)


def test_missing_file_or_unknown_name():
    with pytest.raises(MethodologyError, match="not a built-in methodology"):
        load_methodology("typical-2031")


def test_circular_extends(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(MethodologyError, match="circular"):
        load_methodology(tmp_path / "a.toml")


def test_an_agency_file_borrows_the_360_block(tmp_path):
    path = tmp_path / "with360.toml"
    path.write_text('schema = 1\nextends = "typical-2025"\nid = "typical-360"\n'
                    'borrow = { survey360 = "justice-2023" }\n', encoding="utf-8")
    m = load_methodology(path)
    assert m.survey360 is not None and len(m.survey360.sets["others"].competencies) == 8
    assert m.forms.keys() == {"managerial", "non_managerial"}
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\nextends = "typical-2025"\nid = "x"\n'
                   'borrow = { kpi = "typical-2025" }\n', encoding="utf-8")
    with pytest.raises(MethodologyError, match="has no"):
        load_methodology(bad)


@pytest.mark.parametrize(
    ("base", "section", "key", "problem"),
    [
        # settings nothing read, removed (issue 12): an old file names them as unknown
        ("justice-2023", '[kpi]\ntable_kind = "allowed_range"', "kpi.table_kind", "unknown key"),
        ("justice-2023", "[survey360]\ncounts_toward_score = false",
         "survey360.counts_toward_score", "unknown key"),
        ("legacy-2018", "[commission]\nacquaint_working_days = 2",
         "commission.acquaint_working_days", "unknown key"),
        ("legacy-2018", "[commission]\nmin_months_in_position = 3",
         "commission.min_months_in_position", "unknown key"),
        ("justice-2023", '[survey360]\nrespondent_roles = ["peer", "colleague"]',
         "survey360.respondent_roles", "unknown role 'colleague'"),
    ],
)
def test_an_agency_file_with_a_wrong_setting(tmp_path, base, section, key, problem):
    path = tmp_path / "ours.toml"
    path.write_text(f'schema = 1\nextends = "{base}"\nid = "ours"\n{section}\n',
                    encoding="utf-8")
    with pytest.raises(MethodologyError) as exc:
        load_methodology(path)
    assert (exc.value.file, exc.value.key) == ("ours.toml", key)
    assert problem in exc.value.problem
