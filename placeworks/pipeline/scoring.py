"""Prioritisation: a transparent multi-criteria score with weights the user sets.

Pure functions on plain data (no database): ``queries.project_facts`` gathers the facts of each
project, this module turns them into five components, each 0–100 with a reason in words, and a
weighted total. The method (docs/pipeline.md):

``need``
    How deprived the places served are on the project's themes: the need index of each place on
    each theme on a 0–100 scale (100 = the highest need in the place's comparison set — every
    loaded area of the same type and vintage, not England), averaged.
``alignment``
    The share of the project's themes that are priorities in local plans for the places served
    (60%) and aims of a partnership strategy (40%). Without any local plan loaded, strategy aims
    alone.
``collaboration``
    Organisations beyond the lead (up to 4 more: 50 points) and sectors beyond the first (up to
    3 more: 50 points).
``deliverability``
    Points for the stage reached, less 15 for each open high risk and 5 for each open medium
    risk, less 15 for a red and 5 for an amber RAG status.
``value``
    Benefits per £ of cost over ``APPRAISAL_YEARS``: (capital receipts + running cost savings
    × years + homes × ``HOME_VALUE`` + jobs × ``JOB_VALUE``) ÷ (capital cost + revenue cost ×
    years). A ratio of ``FULL_VALUE_RATIO`` or more scores 100.

Total = Σ weightᵢ × componentᵢ ÷ Σ weightᵢ. Ranking sorts by total (to 0.1), then need, then
project reference, so equal scores always come out in the same order. Only projects still to be
done are ranked: complete and withdrawn ones keep their breakdown but no rank, and come last.

>>> facts = ProjectFacts(id=1, reference="a", title="Hub", stage="business_case")
>>> score(facts, Weights()).component("deliverability").score
65.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .models.choices import Stage

COMPONENTS: tuple[str, ...] = ("need", "alignment", "collaboration", "deliverability", "value")
LABELS: dict[str, str] = {
    "need": "Need",
    "alignment": "Alignment",
    "collaboration": "Collaboration",
    "deliverability": "Deliverability",
    "value": "Value for money",
}
QUESTIONS: dict[str, str] = {
    "need": "How deprived are the places served, on the project's themes?",
    "alignment": "Does it address the priorities of local plans and partnership strategies?",
    "collaboration": "How many organisations and sectors work together on it?",
    "deliverability": "How far along is it, and how risky?",
    "value": "What benefits does each pound buy?",
}

STAGE_POINTS: dict[str, float] = {
    Stage.IDEA: 10,
    Stage.PIPELINE: 25,
    Stage.FEASIBILITY: 45,
    Stage.BUSINESS_CASE: 65,
    Stage.FUNDING_SECURED: 85,
    Stage.DELIVERY: 95,
    Stage.COMPLETE: 100,
    Stage.PAUSED: 10,
    Stage.WITHDRAWN: 0,
}
STAGE_LABELS: dict[str, str] = dict(Stage.choices)
UNRANKED_STAGES = frozenset({Stage.COMPLETE, Stage.WITHDRAWN})
RISK_PENALTY: dict[str, float] = {"high": 15, "medium": 5, "low": 0}
RAG_PENALTY: dict[str, float] = {"red": 15, "amber": 5, "green": 0, "": 0}

PRIORITY_SHARE = 0.6  # alignment: local plan priorities; the rest is strategy aims
MAX_EXTRA_ORGANISATIONS = 4
MAX_EXTRA_SECTORS = 3

APPRAISAL_YEARS = 10
HOME_VALUE = 20_000.0  # £ per home enabled (an assumption the partnership can change)
JOB_VALUE = 10_000.0  # £ per job created (an assumption the partnership can change)
FULL_VALUE_RATIO = 3.0  # benefits of £3 per £1 of cost or more score 100


@dataclass(frozen=True)
class Weights:
    """How much each component counts (any non-negative numbers; they are normalised)."""

    need: float = 30
    alignment: float = 20
    collaboration: float = 15
    deliverability: float = 20
    value: float = 15

    @property
    def total(self) -> float:
        return sum(self.as_dict().values())

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in COMPONENTS}

    def share(self, name: str) -> float:
        return float(getattr(self, name)) / self.total if self.total else 0.0

    def is_default(self) -> bool:
        return self == Weights()

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> tuple[Weights, dict[str, str]]:
        """Weights from ``w_need=…&w_value=…`` (0–100 each); the defaults for any not given.

        Returns the weights and any errors (the defaults are used when there are errors).

        >>> Weights.parse({"w_need": "50"})[0].need
        50.0
        """
        values: dict[str, float] = {}
        errors: dict[str, str] = {}
        for name in COMPONENTS:
            raw = params.get(f"w_{name}")
            if raw is None or str(raw).strip() == "":
                continue
            try:
                number = float(str(raw).strip())
            except ValueError:
                errors[name] = f"Enter the weight for {LABELS[name].lower()} as a number, 0 to 100."
                continue
            if not 0 <= number <= 100 or number != number:
                errors[name] = f"The weight for {LABELS[name].lower()} must be between 0 and 100."
                continue
            values[name] = number
        weights = replace(cls(), **values) if not errors else cls()
        if not errors and weights.total == 0:
            errors["need"] = "At least one weight must be more than 0."
            weights = cls()
        return weights, errors


@dataclass(frozen=True)
class NeedValue:
    """The need of one place served on one theme (0–100, 100 = the highest need in the place's
    comparison set, which ``comparison`` names: "among 10 districts (2024)")."""

    place: str
    theme: str
    score: float
    decile: int | None = None
    comparison: str = ""


@dataclass(frozen=True)
class ProjectFacts:
    """What the score is computed from, gathered by ``queries.project_facts``."""

    id: int
    reference: str
    title: str
    stage: str = Stage.IDEA
    themes: tuple[str, ...] = ()
    need: tuple[NeedValue, ...] = ()
    need_available: bool = True
    places: tuple[str, ...] = ()
    priority_themes: tuple[str, ...] = ()  # the project's themes found in local plan priorities
    priority_examples: tuple[str, ...] = ()
    priorities_available: bool = False
    aim_themes: tuple[str, ...] = ()  # the project's themes found in strategy aims
    aim_examples: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    rag: str = ""
    open_risks: tuple[str, ...] = ()  # severities of the open risks
    capital_cost: float | None = None
    revenue_cost: float | None = None
    capital_receipts: float | None = None
    running_cost_savings: float | None = None
    homes_enabled: float | None = None
    jobs_created: float | None = None


@dataclass(frozen=True)
class Component:
    name: str
    score: float  # 0–100
    weight: float  # share of the total, 0–1
    reason: str

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def question(self) -> str:
        return QUESTIONS[self.name]

    @property
    def contribution(self) -> float:
        return self.score * self.weight

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "score": round(self.score, 1),
            "weight": round(self.weight, 4),
            "contribution": round(self.contribution, 2),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Score:
    project_id: int
    reference: str
    title: str
    total: float
    components: tuple[Component, ...]
    rank: int = 0  # 0: not ranked (complete or withdrawn)
    tied: bool = False
    weights: Weights = field(default_factory=Weights)
    stage: str = ""

    @property
    def is_ranked(self) -> bool:
        return self.stage not in UNRANKED_STAGES

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)

    @property
    def summary(self) -> str:
        """One line: each component's score, e.g. ``Need 84 · Alignment 60 · …``."""
        return " · ".join(f"{c.label} {c.score:.0f}" for c in self.components)

    def as_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "reference": self.reference,
            "title": self.title,
            "total": round(self.total, 1),
            "rank": self.rank,
            "tied": self.tied,
            "weights": self.weights.as_dict(),
            "components": [c.as_dict() for c in self.components],
            "method": "total = Σ weight × component ÷ Σ weight; see docs/pipeline.md",
        }


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def _listing(items: Iterable[str], limit: int = 4) -> str:
    items = list(items)
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return items[0] if items else ""


def _money(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    if abs(value) >= 10_000:
        return f"£{value / 1000:,.0f}k"
    return f"£{value:,.0f}"


def need_score(facts: ProjectFacts) -> tuple[float, str]:
    if not facts.need:
        if not facts.need_available:
            return 0.0, "No need index is loaded, so need scores 0 for every project."
        where = _listing(facts.places) if facts.places else "the places served"
        return 0.0, f"No need evidence for {where}: scores 0."
    value = sum(n.score for n in facts.need) / len(facts.need)
    parts = [
        f"{n.place} {n.score:.0f} on {n.theme}" + (f" (decile {n.decile})" if n.decile else "")
        for n in sorted(facts.need, key=lambda n: (-n.score, n.place, n.theme))
    ]
    compared = sorted({n.comparison for n in facts.need if n.comparison})
    scale = "100 = the highest need in a place's comparison set" + (
        f": {'; '.join(compared)}" if compared else ""
    )
    return value, (
        f"Need of the places served on its themes: {_listing(parts)}; average {value:.0f} "
        f"({scale})."
    )


def alignment_score(facts: ProjectFacts) -> tuple[float, str]:
    themes = set(facts.themes)
    if not themes:
        return 0.0, "No themes chosen, so alignment with local priorities cannot be judged."
    in_plans = sorted(themes & set(facts.priority_themes))
    in_aims = sorted(themes & set(facts.aim_themes))
    aim_share = len(in_aims) / len(themes)
    sentences = []
    if facts.priorities_available:
        plan_share = len(in_plans) / len(themes)
        value = 100 * (PRIORITY_SHARE * plan_share + (1 - PRIORITY_SHARE) * aim_share)
        if in_plans:
            example = f" (e.g. {facts.priority_examples[0]})" if facts.priority_examples else ""
            sentences.append(
                f"{len(in_plans)} of its {len(themes)} themes ({_listing(in_plans)}) are "
                f"priorities in local plans for the places served{example}."
            )
        else:
            sentences.append("None of its themes is a priority in the local plans loaded.")
    else:
        value = 100 * aim_share
        sentences.append("No local plans are loaded for these places: strategy aims only.")
    if in_aims:
        example = f" (e.g. {facts.aim_examples[0]})" if facts.aim_examples else ""
        sentences.append(
            f"{len(in_aims)} of {len(themes)} ({_listing(in_aims)}) match partnership strategy "
            f"aims{example}."
        )
    else:
        sentences.append("None matches a partnership strategy aim.")
    return value, " ".join(sentences)


def collaboration_score(facts: ProjectFacts) -> tuple[float, str]:
    organisations = len(set(facts.organisations))
    sectors = sorted(set(facts.sectors))
    extra_orgs = min(max(organisations - 1, 0), MAX_EXTRA_ORGANISATIONS)
    extra_sectors = min(max(len(sectors) - 1, 0), MAX_EXTRA_SECTORS)
    value = 50 * extra_orgs / MAX_EXTRA_ORGANISATIONS + 50 * extra_sectors / MAX_EXTRA_SECTORS
    if organisations <= 1:
        return value, "One organisation alone: no partners yet."
    return value, (
        f"{organisations} organisations across {len(sectors)} sector"
        f"{'s' if len(sectors) != 1 else ''} ({_listing(sectors)})."
    )


def deliverability_score(facts: ProjectFacts) -> tuple[float, str]:
    base = STAGE_POINTS.get(facts.stage, 0.0)
    parts = [f"{STAGE_LABELS.get(facts.stage, facts.stage)} stage ({base:.0f})"]
    penalty = 0.0
    for severity in ("high", "medium"):
        count = sum(1 for s in facts.open_risks if s == severity)
        if count:
            cut = count * RISK_PENALTY[severity]
            penalty += cut
            parts.append(f"{count} open {severity} risk{'s' if count > 1 else ''} (−{cut:.0f})")
    rag_cut = RAG_PENALTY.get(facts.rag, 0.0)
    if rag_cut:
        penalty += rag_cut
        parts.append(f"RAG {facts.rag} (−{rag_cut:.0f})")
    value = _clamp(base - penalty)
    return value, "; ".join(parts) + f": {value:.0f}."


def value_score(facts: ProjectFacts) -> tuple[float, str]:
    years = APPRAISAL_YEARS
    receipts = facts.capital_receipts or 0.0
    savings = (facts.running_cost_savings or 0.0) * years
    homes = (facts.homes_enabled or 0.0) * HOME_VALUE
    jobs = (facts.jobs_created or 0.0) * JOB_VALUE
    benefits = receipts + savings + homes + jobs
    cost = (facts.capital_cost or 0.0) + (facts.revenue_cost or 0.0) * years
    if cost <= 0:
        return 0.0, "No cost recorded, so value for money cannot be judged: scores 0."
    if benefits <= 0:
        return 0.0, f"No benefits forecast for a cost of {_money(cost)}: scores 0."
    ratio = benefits / cost
    value = _clamp(100 * ratio / FULL_VALUE_RATIO)
    parts = []
    if receipts:
        parts.append(f"receipts {_money(receipts)}")
    if savings:
        parts.append(f"savings {_money(savings)} over {years} years")
    if homes:
        parts.append(f"{facts.homes_enabled:,.0f} homes at {_money(HOME_VALUE)}")
    if jobs:
        parts.append(f"{facts.jobs_created:,.0f} jobs at {_money(JOB_VALUE)}")
    return value, (
        f"{_money(benefits)} of benefits ({_listing(parts, 5)}) for {_money(cost)} of cost "
        f"over {years} years: £{ratio:.2f} per £1 ({FULL_VALUE_RATIO:g} or more scores 100)."
    )


_SCORERS = {
    "need": need_score,
    "alignment": alignment_score,
    "collaboration": collaboration_score,
    "deliverability": deliverability_score,
    "value": value_score,
}


def score(facts: ProjectFacts, weights: Weights) -> Score:
    """The five components of one project and their weighted total."""
    components = []
    for name in COMPONENTS:
        value, reason = _SCORERS[name](facts)
        components.append(Component(name, round(_clamp(value), 4), weights.share(name), reason))
    total = sum(c.contribution for c in components)
    return Score(
        project_id=facts.id,
        reference=facts.reference,
        title=facts.title,
        total=round(total, 4),
        components=tuple(components),
        weights=weights,
        stage=facts.stage,
    )


def _sort_key(item: Score) -> tuple[bool, float, float, str, int]:
    return (
        not item.is_ranked,
        -round(item.total, 1),
        -round(item.component("need").score, 1),
        item.reference,
        item.project_id,
    )


def rank(scores: Iterable[Score]) -> list[Score]:
    """Scores in rank order (1 = best) with a deterministic tie-break: total to 0.1, then need,
    then reference. ``tied`` marks a total equal (to 0.1) to a ranked neighbour's. Complete and
    withdrawn projects follow, in the same order, with rank 0 (not ranked)."""
    ordered = sorted(scores, key=_sort_key)
    live = [s for s in ordered if s.is_ranked]
    totals = [round(s.total, 1) for s in live]
    ranked = []
    for index, item in enumerate(live):
        tied = (index > 0 and totals[index - 1] == totals[index]) or (
            index + 1 < len(totals) and totals[index + 1] == totals[index]
        )
        ranked.append(replace(item, rank=index + 1, tied=tied))
    return ranked + [replace(s, rank=0, tied=False) for s in ordered if not s.is_ranked]


def score_all(facts: Iterable[ProjectFacts], weights: Weights) -> list[Score]:
    """Score and rank many projects."""
    return rank(score(f, weights) for f in facts)
