"""Load and validate methodology TOML files (docs/methodology-format.md).

Every problem raises ``MethodologyError`` naming the file, the key and what is wrong. A file may
``extends = "typical-2025"`` (or a path) and give only what differs: tables merge key by key,
lists of tables with ``id`` merge by id, any other value replaces the base's.
"""

from __future__ import annotations

import builtins
import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Final, NoReturn, TypeGuard, TypeVar

from .calibration import CalibrationRules
from .confidentiality import Confidentiality, HrReaders
from .eligibility import EligibilityRules
from .errors import MethodologyError, ScoreError
from .kpi import KpiRow, KpiTable, validate_rows
from .legacy import (
    AssessedCompetency,
    CommissionRules,
    CompetencyAssessmentRules,
    CountGrade,
    IndicatorGroup,
    Indicators,
    KpiPlanRules,
)
from .methodology import (
    SANCTIONS,
    CorpsARules,
    Deadlines,
    Form,
    GradeBand,
    KpiRules,
    Methodology,
    Parameter,
    SanctionCap,
    Sanctions,
    Scale,
)
from .routing import CORPS_B_CATEGORIES, Routing, RoutingRule, normalize_category
from .survey import (
    Competency,
    CompetencySet,
    FrequencyOption,
    Statement,
    Survey360Rules,
    SurveyOption,
    SurveyQuestion,
    WorkingConditionsSurvey,
)
from .text import LANGUAGES, Text

BUILTIN = ("typical-2025", "trade-2025", "justice-2023", "legacy-2018")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MISSING: Final = object()
RESPONDENT_ROLES = ("direct_supervisor", "subordinate", "peer")
"""The 360 respondents' roles ``scoring.survey.propose_respondents`` chooses (justice cl. 41)."""
_T = TypeVar("_T")
Table = dict[str, object]
"""A TOML table as ``tomllib`` reads it; the ``_Node`` getters check and type its values."""


def load_methodology(name_or_path: str | Path) -> Methodology:
    """A built-in methodology by name, or an agency's file by path."""
    if isinstance(name_or_path, str) and name_or_path in BUILTIN:
        return _load_builtin(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise MethodologyError(
            str(name_or_path), "",
            f"no such file, and not a built-in methodology ({', '.join(BUILTIN)})",
        )
    return _build(path.name, _read_with_base(path.name, path.read_text("utf-8"), path.parent))


@cache
def _load_builtin(name: str) -> Methodology:
    return _build(f"{name}.toml", _read_with_base(f"{name}.toml", _builtin_text(name), None))


def _builtin_text(name: str) -> str:
    return (resources.files("scoring") / "methodologies" / f"{name}.toml").read_text("utf-8")


def _read_with_base(file: str, text: str, folder: Path | None, seen: tuple[str, ...] = ()
                    ) -> Table:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MethodologyError(file, "", f"not valid TOML: {exc}") from None
    borrowed = data.pop("borrow", {})
    if not isinstance(borrowed, dict):
        raise MethodologyError(file, "borrow", "must be a table of section = methodology")
    for section, source in borrowed.items():
        if source not in BUILTIN:
            raise MethodologyError(file, f"borrow.{section}", f"no built-in {source!r}")
        lender = _read_with_base(f"{source}.toml", _builtin_text(source), None, (*seen, file))
        if section not in lender:
            raise MethodologyError(file, f"borrow.{section}", f"{source} has no [{section}]")
        data.setdefault(section, lender[section])
    base = data.pop("extends", None)
    if base is None:
        return data
    if not isinstance(base, str):
        raise MethodologyError(file, "extends", "must be a methodology name or a path")
    if base in seen or file in seen:
        raise MethodologyError(file, "extends", f"circular: {' -> '.join((*seen, file, base))}")
    if base in BUILTIN:
        parent = _read_with_base(f"{base}.toml", _builtin_text(base), None, (*seen, file))
    else:
        path = (folder or Path.cwd()) / base
        if not path.is_file():
            raise MethodologyError(file, "extends", f"no such methodology: {base}")
        parent = _read_with_base(path.name, path.read_text("utf-8"), path.parent, (*seen, file))
    return _merge_tables(parent, data)


def _merge_tables(base: Table, override: Table) -> Table:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if key in base else value
    return merged


def _merge(base: object, override: object) -> object:
    if isinstance(base, dict) and isinstance(override, dict):
        return _merge_tables(base, override)
    if _id_list(base) and _id_list(override):
        merged_list = [dict(item) for item in base]
        index = {item["id"]: i for i, item in enumerate(merged_list)}
        for item in override:
            if item["id"] in index:
                position = index[item["id"]]
                merged_list[position] = _merge_tables(merged_list[position], item)
            else:
                merged_list.append(item)
        return merged_list
    return override


def _id_list(value: object) -> TypeGuard[list[Table]]:
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, dict) and "id" in item for item in value
    )


class _Node:
    """A TOML table being read: typed getters that report the full key path on error."""

    def __init__(self, file: str, data: object, path: str,
                 translated: Mapping[str, frozenset[str]] | None = None) -> None:
        """``translated``: part of the file (a top-level key) -> the official languages whose
        text in it is the project's translation (the file's ``[translated]`` table)."""
        self.file, self.path = file, path
        self.translated: Mapping[str, frozenset[str]] = translated or {}
        if not isinstance(data, dict):
            self.fail("", "must be a table")
        self.data: Table = data
        self.used: set[str] = set()

    def key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> NoReturn:
        raise MethodologyError(self.file, self.key(key) if key else self.path, problem)

    def raw(self, key: str, default: object = _MISSING) -> object:
        self.used.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            self.fail(key, "missing")
        return default

    def has(self, key: str) -> bool:
        return key in self.data

    def done(self) -> None:
        """Refuse keys nobody read: a typo must not be silently ignored."""
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            self.fail(unknown[0], "unknown key")

    # The getters are named after the types they return, so inside this class ``str``, ``int``
    # and ``bool`` are methods: annotations say ``builtins.str`` etc.
    def str(self, key: builtins.str, default: object = _MISSING,
            choices: tuple[builtins.str, ...] = ()) -> builtins.str:
        value = self.raw(key, default)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a non-empty string")
        if choices and value not in choices:
            self.fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def ident(self, key: builtins.str) -> builtins.str:
        value = self.str(key)
        if not _ID.match(value):
            self.fail(key, f"{value!r} must be lower-case ascii letters, digits and _")
        return value

    def int(self, key: builtins.str, default: object = _MISSING, low: builtins.int = 0,
            high: builtins.int = 10**6) -> builtins.int:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, "must be an integer")
        if not low <= value <= high:
            self.fail(key, f"must be between {low} and {high}, not {value}")
        return value

    def bool(self, key: builtins.str, default: object = _MISSING) -> builtins.bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            self.fail(key, "must be true or false")
        return value

    def dec(self, key: builtins.str, default: object = _MISSING) -> Decimal:
        value = self.raw(key, default)
        if isinstance(value, Decimal):
            return value
        if not isinstance(value, str):
            self.fail(key, f'must be a number in quotes, like "4.75" (got {value!r})')
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.fail(key, f"{value!r} is not a number")
        return number

    def text(self, key: builtins.str) -> Text:
        return _text(self.child(key))

    def opt_text(self, key: builtins.str) -> Text | None:
        return self.text(key) if self.raw(key, None) is not None else None

    def texts(self, key: builtins.str) -> tuple[Text, ...]:
        return tuple(_text(node) for node in self.items(key))

    def child(self, key: builtins.str) -> _Node:
        return _Node(self.file, self.raw(key), self.key(key), self.translated)

    def opt_child(self, key: builtins.str) -> _Node | None:
        return self.child(key) if self.raw(key, None) is not None else None

    def items(self, key: builtins.str, default: object = _MISSING,
              allow_empty: builtins.bool = False) -> list[_Node]:
        value = self.raw(key, default)
        if not isinstance(value, list) or (not value and not allow_empty):
            self.fail(key, "must be a non-empty list of tables")
        return [_Node(self.file, item, f"{self.key(key)}[{i}]", self.translated)
                for i, item in enumerate(value)]

    def strs(self, key: builtins.str, default: object = _MISSING) -> tuple[builtins.str, ...]:
        value = self.raw(key, default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(key, "must be a list of strings")
        return tuple(value)

    def categories(self, key: builtins.str, default: object = _MISSING
                   ) -> frozenset[builtins.str]:
        codes = set()
        for code in self.strs(key, default):
            try:
                codes.add(normalize_category(code))
            except ScoreError as exc:
                self.fail(key, str(exc))
        return frozenset(codes)


def _text(node: _Node) -> Text:
    values = {}
    for language in LANGUAGES:
        value = node.raw(language)
        if not isinstance(value, str) or not value.strip():
            node.fail(language, "must be a non-empty string")
        values[language] = value.strip()
    node.done()
    part = re.split(r"[.\[]", node.path, maxsplit=1)[0]
    return Text(**values, translated=node.translated.get(part, frozenset()))


def _translated(root: _Node, languages: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """The ``[translated]`` table: which parts' text in an official language is ours."""
    node = root.opt_child("translated")
    if node is None:
        return {}
    found = {}
    for part in node.data:
        if part not in root.data or part == "translated":
            node.fail(part, "is not a part of this methodology")
        marked = node.strs(part)
        if not set(marked) <= set(LANGUAGES):
            node.fail(part, f"must be among {', '.join(LANGUAGES)}")
        found[part] = frozenset(marked) & set(languages)  # other languages are ours anyway
    node.done()
    return found


def _build(file: str, data: Table) -> Methodology:
    root = _Node(file, data, "")
    if root.int("schema") != 1:
        root.fail("schema", "this bagalau reads schema 1")
    methodology_id = root.str("id")
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", methodology_id):
        root.fail("id", "must be lower-case letters, digits and -")
    languages = root.strs("official_languages")
    if not set(languages) <= set(LANGUAGES):
        root.fail("official_languages", f"must be among {', '.join(LANGUAGES)}")
    root.translated = _translated(root, languages)

    scale_node = root.opt_child("scale")
    scale = _scale(scale_node) if scale_node else None
    grades = _bands(root, "grades", scale) if root.has("grades") else ()
    forms = _forms(root.child("forms"), scale)
    scored = [f.id for f in forms.values() if f.kind in ("parameters", "kpi")]
    if scored and (scale is None or not grades):
        root.fail("grades" if scale else "scale", f"required by the scored form {scored[0]!r}")

    kpi_tables = _kpi_tables(root.opt_child("kpi_tables"))
    sanctions = _sanctions(root.opt_child("sanctions"), forms, scale)
    methodology = Methodology(
        id=methodology_id,
        title=root.text("title"),
        source=root.str("source"),
        corps=root.str("corps", choices=("B",)),
        period=root.str("period", choices=("quarter", "year")),
        official_languages=languages,
        notes=root.strs("notes", ()),
        scale=scale,
        grades=grades,
        forms=forms,
        routing=_routing(root.child("routing"), forms),
        eligibility_rules=_eligibility(root.child("eligibility")),
        deadlines=_deadlines(root.child("deadlines")),
        retention_years=_retention(root.child("retention")),
        confidentiality=_confidentiality(root),
        sanctions=sanctions,
        calibration=_optional(root, "calibration", _calibration),
        kpi_tables=kpi_tables,
        kpi=_optional(root, "kpi", lambda n: _kpi(n, kpi_tables)),
        survey360=_optional(root, "survey360", _survey360),
        working_conditions=_optional(root, "working_conditions", _working_conditions),
        corps_a=_optional(root, "corps_a", lambda n: _corps_a(n, kpi_tables)),
        kpi_plan=_optional(root, "kpi_plan", _kpi_plan),
        competency_assessment=_optional(root, "competency_assessment", _assessment),
        commission=_optional(root, "commission", _commission),
    )
    kinds = {f.kind for f in forms.values()}
    for kind, section in (("kpi", "kpi"), ("kpi_count", "kpi_plan"),
                          ("competencies", "competency_assessment")):
        if kind in kinds and getattr(methodology, section) is None:
            root.fail(section, f"required by a form of kind {kind!r}")
    root.done()
    return methodology


def _optional(root: _Node, key: str, build: Callable[[_Node], _T]) -> _T | None:
    node = root.opt_child(key)
    if node is None:
        return None
    value = build(node)
    node.done()
    return value


def _scale(node: _Node) -> Scale:
    scale = Scale(node.dec("min"), node.dec("max"))
    if scale.min >= scale.max:
        node.fail("max", "must be above min")
    node.done()
    return scale


def _bands(node: _Node, key: str, scale: Scale | None) -> tuple[GradeBand, ...]:
    bands = []
    for item in node.items(key):
        bands.append(GradeBand(item.ident("code"), item.dec("min"), item.text("label")))
        item.done()
    for better, worse in pairwise(bands):
        if worse.min >= better.min:
            node.fail(key, f"band {worse.code!r} must start below {better.code!r}")
    if len({b.code for b in bands}) != len(bands):
        node.fail(key, "band codes must be unique")
    if scale and bands[-1].min != scale.min:
        node.fail(key, f"the last band must start at the scale minimum {scale.min}")
    return tuple(bands)


def _forms(node: _Node, scale: Scale | None) -> dict[str, Form]:
    forms = {}
    for form_id in list(node.data):
        if not _ID.match(form_id):
            node.fail(form_id, "form ids are lower-case ascii letters, digits and _")
        item = node.child(form_id)
        kind = item.str("kind", choices=("parameters", "kpi", "kpi_count", "competencies"))
        own_scale = item.opt_child("scale")
        parameters = []
        if kind == "parameters":
            for p in item.items("parameters"):
                parameters.append(Parameter(p.ident("id"), p.text("title"), p.text("hint")))
                p.done()
            if len({p.id for p in parameters}) != len(parameters):
                item.fail("parameters", "parameter ids must be unique")
        form_scale = _scale(own_scale) if own_scale else scale
        forms[form_id] = Form(
            form_id, kind, item.text("title"), item.text("preamble"),
            item.opt_text("footnote"),
            form_scale or Scale(Decimal(0), Decimal(0)), tuple(parameters),
        )
        item.done()
    if not forms:
        node.fail("", "at least one form is needed")
    return forms


def _routing(node: _Node, forms: dict[str, Form]) -> Routing:
    rules = []
    for item in node.items("rules"):
        form = item.str("form")
        if form not in forms:
            item.fail("form", f"no form {form!r} in [forms]")
        rules.append(RoutingRule(
            clause=item.str("clause"),
            form=form,
            evaluator=item.str("evaluator", choices=("direct_supervisor", "unit_head")),
            unit_head=item.bool("unit_head", None) if item.has("unit_head") else None,
            managerial=item.bool("managerial", None) if item.has("managerial") else None,
            categories=item.categories("categories") if item.has("categories") else None,
        ))
        item.done()
    last = rules[-1]
    if (last.unit_head, last.managerial, last.categories) != (None, None, None):
        node.fail("rules", "the last rule must have no condition, so everyone is routed")
    routing = Routing(
        node.str("clause"),
        node.categories("unit_head_categories"),
        node.categories("unit_head_flagged_categories"),
        tuple(rules),
        node.categories("categories", sorted(CORPS_B_CATEGORIES)),
    )
    node.done()
    return routing


def _eligibility(node: _Node) -> EligibilityRules:
    rules = EligibilityRules(node.str("clause"), node.int("min_months_in_position", high=12),
                             node.int("min_worked_days", high=92))
    node.done()
    return rules


def _deadlines(node: _Node) -> Deadlines:
    deadlines = Deadlines(
        node.str("clause"),
        node.int("evaluation_day", low=1, high=31),
        node.int("annual_final_month", low=1, high=12),
        node.int("annual_final_day", low=1, high=31),
        node.int("results_delivery_working_days", None, low=1, high=60)
        if node.has("results_delivery_working_days") else None,
    )
    node.done()
    return deadlines


def _confidentiality(root: _Node) -> Confidentiality:
    """``[confidentiality]``: who in HR reads results (Typical cl. 14, justice cl. 26); absent,
    the personnel service. ``survey360.hr_readers``, where the setting was first kept, is
    still read, and must agree."""
    choices = tuple(r.value for r in HrReaders)
    old_table = root.data.get("survey360")
    old = old_table.get("hr_readers") if isinstance(old_table, dict) else None
    if old is not None and old not in choices:
        root.child("survey360").fail("hr_readers", f"must be one of {', '.join(choices)}")
    node = root.opt_child("confidentiality")
    if node is None:
        return Confidentiality() if old is None else \
            Confidentiality("cl. 26", HrReaders(old))
    found = Confidentiality(node.str("clause"),
                            HrReaders(node.str("hr_readers", HrReaders.SERVICE.value,
                                               choices=choices)))
    node.done()
    if old is not None and old != found.hr_readers:
        root.child("survey360").fail(
            "hr_readers", f"disagrees with confidentiality.hr_readers = {found.hr_readers!r}")
    return found


def _retention(node: _Node) -> int:
    node.str("clause")
    years = node.int("years", low=1, high=100)
    node.done()
    return years


def _sanctions(node: _Node | None, forms: dict[str, Form], scale: Scale | None
               ) -> Sanctions | None:
    if node is None:
        return None
    scope = node.str("scope", choices=("parameter", "overall"))
    named = node.ident("parameter") if scope == "parameter" or node.has("parameter") else None
    parameter = named if scope == "parameter" else None  # "overall" ignores an inherited one
    if parameter and not any(parameter in {p.id for p in f.parameters} for f in forms.values()):
        node.fail("parameter", f"no form has a parameter {parameter!r}")
    caps = []
    for item in node.items("caps"):
        codes = item.strs("sanctions")
        unknown = [c for c in codes if c not in SANCTIONS]
        if unknown:
            item.fail("sanctions", f"unknown code {unknown[0]!r} (use {', '.join(SANCTIONS)})")
        cap = SanctionCap(frozenset(codes), item.dec("max"), item.text("reason"))
        if scale and not scale.min <= cap.max <= scale.max:
            item.fail("max", "must lie within the scale")
        caps.append(cap)
        item.done()
    sanctions = Sanctions(node.str("clause"), scope, parameter, tuple(caps))
    node.done()
    return sanctions


def _calibration(node: _Node) -> CalibrationRules:
    rules = CalibrationRules(
        clause=node.str("clause"),
        request_window_working_days=node.int("request_window_working_days", low=1, high=60),
        window_starts_at=node.str("window_starts_at", choices=("delivery", "acknowledgement")),
        decision_working_days=node.int("decision_working_days", low=1, high=60),
        session_working_days=node.int("session_working_days", low=1, high=60),
        protocol_posting_working_days=node.int("protocol_posting_working_days", low=1, high=60),
        majority_of=node.str("majority_of", choices=("members", "participants")),
        min_members=node.int("min_members", high=99),
        odd_members=node.bool("odd_members"),
        exclude_appellant=node.bool("exclude_appellant"),
        exclude_evaluator=node.bool("exclude_evaluator"),
        require_hr=node.bool("require_hr"),
        require_evaluators=node.bool("require_evaluators"),
        feedback_topics=node.texts("feedback_topics"),
        argument_working_days=node.int("argument_working_days", default=3, high=60),
        feedback_reminder_working_days=node.int("feedback_reminder_working_days", default=5,
                                                low=1, high=60),
        feedback_escalation_working_days=node.int("feedback_escalation_working_days",
                                                  default=10, low=1, high=120),
    )
    if rules.feedback_escalation_working_days <= rules.feedback_reminder_working_days:
        node.fail("feedback_escalation_working_days",
                  "must be later than feedback_reminder_working_days")
    return rules


def _kpi_tables(node: _Node | None) -> dict[str, KpiTable]:
    if node is None:
        return {}
    tables = {}
    for name in list(node.data):
        item = node.child(name)
        rows = []
        for row in item.items("rows"):
            rows.append(KpiRow(
                row.dec("from"), row.dec("to") if row.has("to") else None,
                row.dec("min", "0"), row.dec("max"),
            ))
            row.done()
        problem = validate_rows(rows)
        if problem:
            item.fail("rows", problem)
        tables[name] = KpiTable(name, item.str("clause"), tuple(rows))
        item.done()
    return tables


def _table(node: _Node, key: str, tables: dict[str, KpiTable]) -> KpiTable:
    name = node.str(key)
    if name not in tables:
        node.fail(key, f"no table {name!r} in [kpi_tables]")
    return tables[name]


def _kpi(node: _Node, tables: dict[str, KpiTable]) -> KpiRules:
    rules = KpiRules(
        clause=node.str("clause"),
        min_count=node.int("min_count", low=1, high=20),
        max_count=node.int("max_count", low=1, high=20),
        table=_table(node, "table", tables),
        plan_within_working_days=node.int("plan_within_working_days", low=1),
        plan_posting_working_days=node.int("plan_posting_working_days", low=1),
        no_kpi_when_months_left_below=node.int("no_kpi_when_months_left_below", high=12),
        actuals_before_deadline_working_days=node.int("actuals_before_deadline_working_days"),
        head_notice_day=node.int("head_notice_day", low=1, high=31),
    )
    if rules.min_count > rules.max_count:
        node.fail("min_count", "must not exceed max_count")
    return rules


def _survey360(node: _Node) -> Survey360Rules:
    options = []
    for item in node.items("options"):
        options.append(FrequencyOption(item.ident("code"), item.int("points", high=100),
                                       item.text("label")))
        item.done()
    if len({o.code for o in options}) != len(options):
        node.fail("options", "option codes must be unique")
    sets_node = node.child("sets")
    sets = {}
    for set_id in list(sets_node.data):
        set_node = sets_node.child(set_id)
        competencies = []
        for c in set_node.items("competencies"):
            cid = c.ident("id")
            statements = tuple(Statement(f"{cid}.{i}", text)
                               for i, text in enumerate(c.texts("statements"), start=1))
            competencies.append(Competency(cid, c.text("title"), statements))
            c.done()
        if len({c.id for c in competencies}) != len(competencies):
            set_node.fail("competencies", "competency ids must be unique")
        sets[set_id] = CompetencySet(set_id, set_node.text("title"), tuple(competencies))
        set_node.done()
    roles = node.strs("respondent_roles")
    unknown = [role for role in roles if role not in RESPONDENT_ROLES]
    if unknown:
        node.fail("respondent_roles",
                  f"unknown role {unknown[0]!r} (use {', '.join(RESPONDENT_ROLES)})")
    node.used.add("hr_readers")  # the key before [confidentiality]: read there
    rules = Survey360Rules(
        clause=node.str("clause"),
        deadline_day=node.int("deadline_day", low=1, high=31),
        min_respondents=node.int("min_respondents", low=1, high=100),
        max_respondents=node.int("max_respondents", low=1, high=100),
        release_threshold=node.int("release_threshold", 3, low=1, high=100),
        respondent_roles=roles,
        options=tuple(options),
        sets=sets,
        instructions=node.opt_text("instructions"),
    )
    if rules.min_respondents > rules.max_respondents:
        node.fail("min_respondents", "must not exceed max_respondents")
    return rules


def _working_conditions(node: _Node) -> WorkingConditionsSurvey:
    questions = []
    for q in node.items("questions"):
        options = []
        for o in q.items("options"):
            options.append(SurveyOption(o.ident("code"), o.text("label"),
                                        o.bool("favourable", False)))
            o.done()
        questions.append(SurveyQuestion(q.ident("id"), q.text("text"), tuple(options),
                                        q.bool("demographic", False)))
        q.done()
    return WorkingConditionsSurvey(node.str("clause"),
                                   node.int("release_threshold", 3, low=1, high=100),
                                   node.text("intro"), tuple(questions))


def _corps_a(node: _Node, tables: dict[str, KpiTable]) -> CorpsARules:
    return CorpsARules(
        clause=node.str("clause"),
        min_months_in_position=node.int("min_months_in_position", high=12),
        min_worked_days=node.int("min_worked_days", high=366),
        kpi_count=node.int("kpi_count", low=1, high=20),
        evaluation_month=node.int("evaluation_month", low=1, high=12),
        evaluation_day=node.int("evaluation_day", low=1, high=31),
        grades=_bands(node, "grades", None),
        max_score_table=_table(node, "max_score_table", tables),
        allowed_range_table=_table(node, "allowed_range_table", tables),
    )


def _kpi_plan(node: _Node) -> KpiPlanRules:
    count = node.int("count", low=1, high=20)
    grades = []
    for item in node.items("grades"):
        grades.append(CountGrade(item.int("min_achieved", high=count), item.ident("code"),
                                 item.text("label")))
        item.done()
    if [g.min_achieved for g in grades] != sorted({g.min_achieved for g in grades}, reverse=True):
        node.fail("grades", "min_achieved must strictly decrease from the best grade")
    if grades[-1].min_achieved != 0:
        node.fail("grades", "the last grade must start at 0")
    return KpiPlanRules(node.str("clause"), count, node.int("plan_within_working_days", low=1),
                        node.int("resubmit_working_days", low=1), tuple(grades))


def _assessment(node: _Node) -> CompetencyAssessmentRules:
    groups = []
    for g in node.items("groups"):
        groups.append(IndicatorGroup(g.ident("id"), g.text("title"), g.categories("categories")))
        g.done()
    group_ids = {g.id for g in groups}
    max_indicators = node.int("max_indicators", low=1, high=100)
    competencies = []
    for c in node.items("competencies"):
        indicators = []
        for i in c.items("indicators"):
            group = i.str("group")
            if group not in group_ids:
                i.fail("group", f"no group {group!r} in competency_assessment.groups")
            effective = i.texts("effective")
            if len(effective) > max_indicators:
                i.fail("effective", f"more than {max_indicators} indicators")
            indicators.append(Indicators(group, effective, i.texts("ineffective")))
            i.done()
        competencies.append(AssessedCompetency(c.ident("id"), c.text("title"),
                                               c.bool("service_recipient", False),
                                               tuple(indicators)))
        c.done()
    results = node.child("results")
    threshold = node.dec("threshold")
    if not 0 < threshold <= 1:
        node.fail("threshold", "must be a share between 0 and 1, like \"0.75\"")
    rules = CompetencyAssessmentRules(
        node.str("clause"), threshold, max_indicators, results.text("meets"),
        results.text("does_not_meet"), tuple(groups), tuple(competencies),
    )
    results.done()
    return rules


def _commission(node: _Node) -> CommissionRules:
    quorum_text = node.str("quorum")
    try:
        quorum = Fraction(quorum_text)
    except (ValueError, ZeroDivisionError):
        quorum = Fraction(-1)
    if not 0 < quorum <= 1:
        node.fail("quorum", f"must be a fraction like \"2/3\", not {quorum_text!r}")
    return CommissionRules(
        clause=node.str("clause"),
        min_members=node.int("min_members", low=1, high=99),
        quorum=quorum,
        chair_casting_vote=node.bool("chair_casting_vote"),
        secretary_votes=node.bool("secretary_votes"),
        schedule_notice_working_days=node.int("schedule_notice_working_days"),
        sheets_to_commission_working_days=node.int("sheets_to_commission_working_days"),
        appeal_working_days=node.int("appeal_working_days"),
    )
