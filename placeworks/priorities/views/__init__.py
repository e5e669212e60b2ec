"""Priorities pages: plans and their priorities (``plans``), coverage, exports and imports
(``reports``)."""

from .plans import (
    apply_suggestions,
    index,
    plan_create,
    plan_detail,
    plan_edit,
    plan_publish,
    priority_create,
    priority_delete,
    priority_edit,
    review,
    suggest,
)
from .reports import (
    coverage,
    coverage_aim,
    coverage_theme,
    export_coverage,
    export_priorities,
    import_plans,
)

__all__ = [
    "apply_suggestions",
    "coverage",
    "coverage_aim",
    "coverage_theme",
    "export_coverage",
    "export_priorities",
    "import_plans",
    "index",
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_publish",
    "priority_create",
    "priority_delete",
    "priority_edit",
    "review",
    "suggest",
]
