"""The default theme vocabulary. Slugs are stable: other code and outside scripts rely on them.

Priorities (ward plans), indicators (evidence), projects and strategy aims all use these themes.
"""

from __future__ import annotations

from typing import NamedTuple


class DefaultTheme(NamedTuple):
    slug: str
    name: str
    description: str
    parent: str | None = None


DEFAULT_THEMES: list[DefaultTheme] = [
    DefaultTheme(
        "environment",
        "Environment",
        "Street scene, parks and green spaces, the living environment, air quality.",
    ),
    DefaultTheme(
        "community-safety", "Crime and community safety", "Crime and anti-social behaviour."
    ),
    DefaultTheme(
        "community-resilience",
        "Community resilience and infrastructure",
        "Community buildings, networks and resilience.",
    ),
    DefaultTheme(
        "cost-of-living",
        "Cost of living",
        "Household finances, food and fuel poverty, debt and welfare advice.",
    ),
    DefaultTheme(
        "income",
        "Income and poverty",
        "Income deprivation, benefits and child poverty.",
        "cost-of-living",
    ),
    DefaultTheme(
        "children-young-people",
        "Children, young people and families",
        "Early years, youth provision, families.",
    ),
    DefaultTheme(
        "transport-road-safety",
        "Transport and road safety",
        "Roads, parking, speeding, public transport, active travel.",
    ),
    DefaultTheme(
        "health-wellbeing",
        "Physical health and wellbeing",
        "Healthy lives, long-term conditions, access to health services.",
    ),
    DefaultTheme("mental-health", "Mental health", "Mental health and emotional wellbeing."),
    DefaultTheme(
        "older-people",
        "Older people",
        "Ageing well, independence, care and support for older residents.",
    ),
    DefaultTheme(
        "loneliness-isolation", "Loneliness and isolation", "Social isolation and loneliness."
    ),
    DefaultTheme(
        "employment-economy",
        "Employment and the economy",
        "Jobs, skills for work, local business and high streets.",
    ),
    DefaultTheme(
        "housing",
        "Housing and tenancies",
        "Housing quality, affordability, homelessness and tenancies.",
    ),
    DefaultTheme("planning", "Planning", "Planning, development and land use."),
    DefaultTheme(
        "culture-leisure-sport",
        "Culture, leisure, sport and green spaces",
        "Arts, heritage, leisure and sport.",
    ),
    DefaultTheme(
        "community-groups",
        "Supporting local community groups",
        "Volunteering and the voluntary and community sector.",
    ),
    DefaultTheme("covid-recovery", "COVID-19 recovery", "Recovery from the COVID-19 pandemic."),
    DefaultTheme(
        "education-skills",
        "Education and skills",
        "Schools, attainment, adult skills and training.",
    ),
]
