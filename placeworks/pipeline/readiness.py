"""Readiness of a project for a funding opportunity: each criterion met or missing, in words.

Pure: ``queries.readiness`` gathers a ``Position`` (where the project stands) and ``Criteria``
(what the funder asks) and ``check`` compares them. Rules (docs/pipeline.md):

- themes: the project addresses at least one of the fund's themes;
- area types: it serves at least one area of a type the fund is for;
- need: a place served is in the fund's need decile or a higher-need one (overall need, among
  comparable places: districts among districts, PLACE areas among PLACE areas);
- stage: it has reached the stage the fund requires (and is not paused or withdrawn);
- maximum grant: what it asks of this fund (its funding line for the fund, else its unfunded
  capital cost) is within the maximum grant;
- match funding: money secured from other sources covers the required share of capital cost;
- partners: it has a partner of each sector the fund expects (e.g. "no health partner");
- deadline: the deadline has not passed.

>>> result = check(Criteria(name="Fund", stage_required="business_case"),
...                Position(title="Hub", stage="feasibility"))
>>> result.missing
['No business case yet: the project is at feasibility stage.']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .models.choices import STAGE_ORDER, Stage, sector_group_label

STAGE_LABELS = dict(Stage.choices)
AREA_TYPE_LABELS = {
    "lsoa": "neighbourhood (LSOA)",
    "msoa": "MSOA",
    "ward": "ward",
    "lad": "local authority district",
    "county": "county",
    "place": "PLACE area",
    "neighbourhood": "neighbourhood",
    "icb": "integrated care board area",
}
# What is missing, said the way a programme manager says it.
NOT_YET = {
    Stage.PIPELINE: "Not yet in the pipeline: still an idea",
    Stage.FEASIBILITY: "No feasibility study yet",
    Stage.BUSINESS_CASE: "No business case yet",
    Stage.FUNDING_SECURED: "Funding not yet secured",
    Stage.DELIVERY: "Not yet in delivery",
    Stage.COMPLETE: "Not yet complete",
}


@dataclass(frozen=True)
class Criteria:
    name: str
    themes: tuple[str, ...] = ()  # theme names
    area_types: tuple[str, ...] = ()
    min_need_decile: int | None = None
    stage_required: str = ""
    max_grant: float | None = None
    match_funding_percent: float | None = None
    required_sectors: tuple[str, ...] = ()  # sector groups, e.g. "health"
    deadline: date | None = None


@dataclass(frozen=True)
class Position:
    title: str
    stage: str
    themes: tuple[str, ...] = ()  # theme names
    area_types: tuple[str, ...] = ()  # types of the places served
    best_need_decile: int | None = None  # the highest-need decile among the places served
    capital_cost: float | None = None
    asked_of_fund: float | None = None  # funding sought from this fund, when recorded
    secured_elsewhere: float = 0.0  # funding secured from other funders
    sectors: tuple[str, ...] = ()  # sector groups of the lead and partners


@dataclass
class Readiness:
    met: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def summary(self) -> str:
        total = len(self.met) + len(self.missing)
        if self.ready:
            return f"Ready: meets all {total} criteria."
        return f"Meets {len(self.met)} of {total} criteria; {len(self.missing)} missing."

    def as_dict(self) -> dict[str, object]:
        return {
            "ready": self.ready,
            "summary": self.summary,
            "met": self.met,
            "missing": self.missing,
        }


def money(value: float) -> str:
    """£2.5m, £450k or £8,000."""
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m".replace(".0m", "m")
    if abs(value) >= 10_000:
        return f"£{value / 1000:,.0f}k"
    return f"£{value:,.0f}"


def _names(items: tuple[str, ...] | list[str]) -> str:
    items = list(items)
    if len(items) > 1:
        return ", ".join(items[:-1]) + " or " + items[-1]
    return items[0] if items else ""


def _a(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def check(criteria: Criteria, position: Position, *, today: date | None = None) -> Readiness:
    """Each of the fund's criteria as a sentence, met or missing."""
    result = Readiness()
    today = today or date.today()

    if criteria.themes:
        shared = [t for t in criteria.themes if t in set(position.themes)]
        if shared:
            result.met.append(f"Addresses {_names(shared).lower()}, which the fund supports.")
        else:
            result.missing.append(
                "Does not address a theme the fund supports "
                f"({_names(list(criteria.themes)).lower()})."
            )

    if criteria.area_types:
        wanted = [AREA_TYPE_LABELS.get(t, t) for t in criteria.area_types]
        served = [t for t in position.area_types if t in criteria.area_types]
        if served:
            result.met.append(f"Serves {_a(AREA_TYPE_LABELS.get(served[0], served[0]))}.")
        else:
            result.missing.append(f"Serves no {_names(wanted)}; the fund is for projects that do.")

    if criteria.min_need_decile is not None:
        wanted_decile = criteria.min_need_decile
        decile = position.best_need_decile
        if decile is None:
            result.missing.append(
                "No need evidence for the places served, so the need criterion "
                f"(need decile {wanted_decile} or higher) cannot be shown to be met."
            )
        elif decile <= wanted_decile:
            result.met.append(
                f"Serves a place in need decile {decile}, within the fund's need decile "
                f"{wanted_decile} or higher."
            )
        else:
            result.missing.append(
                f"The places served are not in high enough need: the highest is in need decile "
                f"{decile}; the fund needs decile {wanted_decile} or higher (1 = the highest-need "
                "tenth of comparable places)."
            )

    stage_label = STAGE_LABELS.get(position.stage, position.stage).lower()
    if position.stage in (Stage.PAUSED, Stage.WITHDRAWN):
        result.missing.append(f"The project is {stage_label}.")
    if criteria.stage_required:
        required = criteria.stage_required
        have = STAGE_ORDER.index(position.stage) if position.stage in STAGE_ORDER else -1
        need = STAGE_ORDER.index(required) if required in STAGE_ORDER else 0
        required_label = STAGE_LABELS.get(required, required).lower()
        if have >= need:
            result.met.append(f"Has reached {required_label} stage, as the fund requires.")
        elif position.stage in STAGE_ORDER:
            start = NOT_YET.get(Stage(required), f"Not yet at {required_label} stage")
            result.missing.append(f"{start}: the project is at {stage_label} stage.")

    unfunded = None
    if position.capital_cost is not None:
        unfunded = max(position.capital_cost - position.secured_elsewhere, 0.0)
    ask = position.asked_of_fund if position.asked_of_fund is not None else unfunded
    if criteria.max_grant is not None:
        limit = money(criteria.max_grant)
        if ask is None:
            result.missing.append(
                f"No capital cost or amount sought recorded, so the ask cannot be checked "
                f"against the {limit} maximum grant."
            )
        elif ask <= criteria.max_grant:
            result.met.append(f"Asks {money(ask)}, within the {limit} maximum grant.")
        else:
            result.missing.append(f"Asks {money(ask)}, more than the {limit} maximum grant.")

    if criteria.match_funding_percent:
        wanted_share = criteria.match_funding_percent
        if not position.capital_cost:
            result.missing.append(
                f"No capital cost recorded, so the {wanted_share:g}% match funding cannot be "
                "checked."
            )
        else:
            share = 100 * position.secured_elsewhere / position.capital_cost
            if share >= wanted_share:
                result.met.append(
                    f"Match funding of {share:.0f}% secured (the fund needs {wanted_share:g}%)."
                )
            elif position.secured_elsewhere:
                result.missing.append(
                    f"Only {share:.0f}% match funding secured; the fund needs {wanted_share:g}%."
                )
            else:
                result.missing.append(
                    f"No match funding secured; the fund needs {wanted_share:g}%."
                )

    for group in criteria.required_sectors:
        label = sector_group_label(group)
        if group in position.sectors:
            result.met.append(f"Has {_a(label)} partner.")
        else:
            result.missing.append(f"No {label} partner.")

    if criteria.deadline is not None:
        when = f"{criteria.deadline.day} {criteria.deadline:%B %Y}"
        days = (criteria.deadline - today).days
        if days < 0:
            result.missing.append(f"The deadline ({when}) has passed.")
        else:
            result.met.append(f"The deadline is {when}: {days} day{'s' if days != 1 else ''} left.")
    return result
