"""Vocabularies of the pipeline: project types, stages, RAG, roles and the One Public Estate
benefit measures."""

from __future__ import annotations

from typing import NamedTuple

from django.db import models

from placeworks.partners.models import Sector


class ProjectType(models.TextChoices):
    CO_LOCATION_HUB = "co_location_hub", "Co-location hub"
    SERVICE_INTEGRATION = "service_integration", "Service integration"
    DISPOSAL_FOR_HOUSING = "disposal_for_housing", "Disposal for housing"
    REGENERATION = "regeneration", "Regeneration"
    COMMUNITY_FACILITY = "community_facility", "Community facility"
    OTHER = "other", "Other"


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    PIPELINE = "pipeline", "Pipeline"
    FEASIBILITY = "feasibility", "Feasibility"
    BUSINESS_CASE = "business_case", "Business case"
    FUNDING_SECURED = "funding_secured", "Funding secured"
    DELIVERY = "delivery", "Delivery"
    COMPLETE = "complete", "Complete"
    PAUSED = "paused", "Paused"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The forward path of a project; paused and withdrawn stand outside it.
STAGE_ORDER: list[str] = [
    Stage.IDEA,
    Stage.PIPELINE,
    Stage.FEASIBILITY,
    Stage.BUSINESS_CASE,
    Stage.FUNDING_SECURED,
    Stage.DELIVERY,
    Stage.COMPLETE,
]
# Stages in which a project is still being worked on (bundles and readiness consider these).
ACTIVE_STAGES: list[str] = [*STAGE_ORDER[:-1], Stage.PAUSED]


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class PartnerRole(models.TextChoices):
    CO_LEAD = "co_lead", "Co-lead"
    LANDOWNER = "landowner", "Landowner"
    OCCUPIER = "occupier", "Occupier or service provider"
    FUNDER = "funder", "Funder"
    DELIVERY = "delivery", "Delivery partner"
    ADVISER = "adviser", "Adviser"


class AssetRole(models.TextChoices):
    VACATED = "vacated", "Vacated"
    REUSED = "reused", "Reused"
    NEW = "new", "New"


class Benefit(NamedTuple):
    key: str
    label: str
    unit: str
    money: bool


# The One Public Estate measures, each forecast and achieved (``<key>_forecast``,
# ``<key>_achieved`` on a project).
BENEFITS: list[Benefit] = [
    Benefit("capital_receipts", "Capital receipts", "£", True),
    Benefit("running_cost_savings", "Running cost savings", "£ a year", True),
    Benefit("land_released_ha", "Land released", "hectares", False),
    Benefit("homes_enabled", "Homes enabled", "homes", False),
    Benefit("jobs_created", "Jobs created", "jobs", False),
]


# Sectors grouped the way partnerships talk about them ("no health partner").
SECTOR_GROUPS: dict[str, str] = {
    Sector.COUNTY_COUNCIL: "council",
    Sector.DISTRICT_COUNCIL: "council",
    Sector.UNITARY_COUNCIL: "council",
    Sector.NHS_TRUST: "health",
    Sector.INTEGRATED_CARE_BOARD: "health",
    Sector.GP_PRACTICE: "health",
    Sector.PRIMARY_CARE_NETWORK: "health",
    Sector.SCHOOL: "education",
    Sector.COLLEGE_UNIVERSITY: "education",
    Sector.POLICE: "police",
    Sector.FIRE: "fire",
    Sector.HOUSING_ASSOCIATION: "housing",
    Sector.VCS: "voluntary",
    Sector.SOCIAL_ENTERPRISE: "voluntary",
    Sector.OTHER_PUBLIC: "other public",
    Sector.PRIVATE: "private",
}
SECTOR_GROUP_LABELS: dict[str, str] = {
    "council": "council",
    "health": "health",
    "education": "education",
    "police": "police",
    "fire": "fire and rescue",
    "housing": "housing",
    "voluntary": "voluntary sector",
    "other public": "other public sector",
    "private": "private sector",
}


def sector_group(sector: str) -> str:
    """The group of an organisation's sector, e.g. ``icb`` → ``health``."""
    return SECTOR_GROUPS.get(sector, "other public")


def sector_group_label(group: str) -> str:
    return SECTOR_GROUP_LABELS.get(group, group)
