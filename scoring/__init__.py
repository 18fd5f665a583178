"""The law as code: corps "B" evaluation rules of Kazakhstan, pure and data-driven.

No I/O beyond reading methodology and calendar files, no Telegram: other agencies' tools import
it as is. See README.md ("scoring/ — public API") and docs/methodology-format.md.
"""

from .calibration import (
    CalibrationRules,
    PanelMember,
    PanelProblem,
    majority_score,
    panel_problems,
)
from .decimals import format_plain, parse_decimal, round_score
from .eligibility import Eligibility
from .errors import MethodologyError, ScoreError
from .kpi import KpiTable, achievement_percent, kpi_allowed_range, kpi_max_score
from .loader import BUILTIN, load_methodology
from .methodology import (
    SANCTIONS,
    Form,
    Methodology,
    Parameter,
    SanctionCap,
    ScoreResult,
    annual_score,
    may_hand_over,
)
from .periods import Quarter, add_months
from .routing import Route, normalize_category
from .survey import Report360, report_360
from .text import LANGUAGES, Text
from .workdays import ALMATY, WorkCalendar, shipped_zone, zone_problem

__all__ = [
    "ALMATY",
    "BUILTIN",
    "LANGUAGES",
    "SANCTIONS",
    "CalibrationRules",
    "Eligibility",
    "Form",
    "KpiTable",
    "Methodology",
    "MethodologyError",
    "PanelMember",
    "PanelProblem",
    "Parameter",
    "Quarter",
    "Report360",
    "Route",
    "SanctionCap",
    "ScoreError",
    "ScoreResult",
    "Text",
    "WorkCalendar",
    "achievement_percent",
    "add_months",
    "annual_score",
    "format_plain",
    "kpi_allowed_range",
    "kpi_max_score",
    "load_methodology",
    "majority_score",
    "may_hand_over",
    "normalize_category",
    "panel_problems",
    "parse_decimal",
    "report_360",
    "round_score",
    "shipped_zone",
    "zone_problem",
]
