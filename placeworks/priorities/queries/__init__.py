"""Reads and analysis for plans and priorities, one module per question: who sees which plans
and choosing a set of them (``plans``), the theme hierarchy and strategy aims (``themes``),
coverage, alignment, gaps and unrecognised need (``coverage``, where the definitions are), and
the year-on-year changes of a plan (``diff``)."""

from .coverage import (
    Coverage,
    Row,
    Unrecognised,
    coverage,
    priorities_for_aim,
    priorities_for_theme,
)
from .diff import SIMILAR, PlanDiff, plan_diff
from .plans import (
    DEFAULT_NEED_DECILE,
    Selection,
    awaiting_confirmation,
    parents,
    parse_selection,
    periods,
    plan_list,
    priorities_of,
    select_plans,
    visible_plans,
    visible_priorities,
)
from .themes import AimIndex, ThemeTree, effective_aims

__all__ = [
    "DEFAULT_NEED_DECILE",
    "SIMILAR",
    "AimIndex",
    "Coverage",
    "PlanDiff",
    "Row",
    "Selection",
    "ThemeTree",
    "Unrecognised",
    "awaiting_confirmation",
    "coverage",
    "effective_aims",
    "parents",
    "parse_selection",
    "periods",
    "plan_diff",
    "plan_list",
    "priorities_for_aim",
    "priorities_for_theme",
    "priorities_of",
    "select_plans",
    "visible_plans",
    "visible_priorities",
]
