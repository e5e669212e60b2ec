"""The English Indices of Deprivation as declarative indicator records, and how files name them.

MHCLG publishes each release as numbered files: File 1 (IMD ranks and deciles), File 2 (domain
ranks and deciles), File 3 (supplementary indices IDACI and IDAOPI), File 4 (sub-domains), File 5
(scores), File 6 (population denominators), File 7 (all of those in one CSV) and File 8 (the
underlying indicators). Their column headers follow one pattern — "<measure> Score|Rank|Decile
(where 1 is most deprived …)" — which ``measure_column`` recognises; the snake_case headers of
the humaniverse/IMD conversion (``IMD_score``, ``Housing_and_Services_rank``) and of File 8
(``years_of_potential_life_lost_indicator``) are recognised too.

Every indicator shares one code across releases (``iod-imd-score`` holds the 2019 and the 2025
figures as two periods), because a place page compares them. Ranks are only comparable within a
release; the pages say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .models import Polarity, Summary, ValueType

MHCLG = "Ministry of Housing, Communities and Local Government"
OGL = "Open Government Licence v3.0"


@dataclass(frozen=True)
class Release:
    period: str
    title: str
    url: str
    lsoa_vintage: str  # the LSOA boundaries the release is published on
    lsoa_count: int  # LSOAs in England on that geography: ranks run 1..lsoa_count
    lad_count: int  # districts MHCLG summarised


RELEASES: dict[str, Release] = {
    "2019": Release(
        "2019",
        "English Indices of Deprivation 2019",
        "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
        "2011",
        32_844,
        317,
    ),
    "2025": Release(
        "2025",
        "English Indices of Deprivation 2025",
        "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025",
        "2021",
        33_755,
        296,
    ),
}

METHOD_RANK = (
    "Rank of the LSOA among all LSOAs in England, as published by MHCLG (1 = most deprived). "
    "For a larger area: the population-weighted average of its LSOAs' ranks (MHCLG's 'average "
    "rank' summary measure, IoD2019 Technical Report section 3.8)."
)
METHOD_SCORE = (
    "Score of the LSOA as published by MHCLG. For a larger area: the population-weighted "
    "average of its LSOAs' scores (MHCLG's 'average score' summary measure, IoD2019 Technical "
    "Report section 3.8)."
)


@dataclass(frozen=True)
class Measure:
    """One index, domain, supplementary index or sub-domain of the IoD."""

    key: str
    name: str
    short: str
    theme: str | None
    stems: tuple[str, ...]  # official header stems, lower case, before " Score|Rank|Decile"
    aliases: tuple[str, ...]  # snake_case stems (humaniverse/IMD, NHSRpopulation)
    score_type: str = ValueType.SCORE
    score_definition: str = ""
    summaries: bool = True  # MHCLG publishes district summaries of it
    order: int = 0

    @property
    def score_code(self) -> str:
        return f"iod-{self.key}-score"

    @property
    def rank_code(self) -> str:
        return f"iod-{self.key}-rank"

    def summary_code(self, summary: str) -> str:
        return f"iod-{self.key}-{summary.replace('_', '-')}"


MEASURES: list[Measure] = [
    Measure(
        "imd",
        "Index of Multiple Deprivation (IMD)",
        "IMD",
        None,
        ("index of multiple deprivation (imd)", "index of multiple deprivation"),
        ("imd", "index_of_multiple_deprivation_imd"),
        score_definition=(
            "The overall measure of relative deprivation: a weighted combination of the seven "
            "domains (Income 22.5%, Employment 22.5%, Education 13.5%, Health 13.5%, Crime 9.3%, "
            "Barriers to Housing and Services 9.3%, Living Environment 9.3%)."
        ),
        order=10,
    ),
    Measure(
        "income",
        "Income Deprivation Domain",
        "Income",
        "income",
        ("income",),
        ("income",),
        ValueType.PROPORTION,
        "The proportion of the population experiencing deprivation relating to low income "
        "(out of work, or in work on low earnings, and receiving means-tested benefits).",
        order=20,
    ),
    Measure(
        "employment",
        "Employment Deprivation Domain",
        "Employment",
        "employment-economy",
        ("employment",),
        ("employment",),
        ValueType.PROPORTION,
        "The proportion of the working-age population involuntarily excluded from the labour "
        "market (unemployment, sickness or disability, caring responsibilities).",
        order=30,
    ),
    Measure(
        "education",
        "Education, Skills and Training Deprivation Domain",
        "Education",
        "education-skills",
        ("education, skills and training",),
        ("education", "education_skills_and_training"),
        score_definition="The lack of attainment and skills in the local population, for "
        "children and young people and for adults.",
        order=40,
    ),
    Measure(
        "health",
        "Health Deprivation and Disability Domain",
        "Health",
        "health-wellbeing",
        ("health deprivation and disability",),
        ("health", "health_deprivation_and_disability"),
        score_definition="The risk of premature death and the impairment of quality of life "
        "through poor physical or mental health.",
        order=50,
    ),
    Measure(
        "crime",
        "Crime Domain",
        "Crime",
        "community-safety",
        ("crime",),
        ("crime",),
        score_definition="The risk of personal and material victimisation at local level.",
        order=60,
    ),
    Measure(
        "barriers",
        "Barriers to Housing and Services Domain",
        "Housing and services",
        "housing",
        ("barriers to housing and services",),
        ("housing_and_services", "housing_and_access", "barriers_to_housing_and_services"),
        score_definition="The physical and financial accessibility of housing and local "
        "services: geographical barriers and wider barriers (affordability, overcrowding, "
        "homelessness).",
        order=70,
    ),
    Measure(
        "environment",
        "Living Environment Deprivation Domain",
        "Living environment",
        "environment",
        ("living environment",),
        ("environment", "living_environment"),
        score_definition="The quality of the local environment: the indoor living environment "
        "(housing in poor condition, without central heating) and the outdoor (air quality, "
        "road traffic accidents).",
        order=80,
    ),
    Measure(
        "idaci",
        "Income Deprivation Affecting Children Index (IDACI)",
        "IDACI",
        "children-young-people",
        (
            "income deprivation affecting children index (idaci)",
            "income deprivation affecting children index",
        ),
        ("idaci", "income_deprivation_affecting_children_index_idaci"),
        ValueType.PROPORTION,
        "The proportion of children aged 0 to 15 living in income-deprived families.",
        order=90,
    ),
    Measure(
        "idaopi",
        "Income Deprivation Affecting Older People Index (IDAOPI)",
        "IDAOPI",
        "older-people",
        (
            "income deprivation affecting older people (idaopi)",
            "income deprivation affecting older people index (idaopi)",
            "income deprivation affecting older people index",
        ),
        ("idaopi", "income_deprivation_affecting_older_people_idaopi"),
        ValueType.PROPORTION,
        "The proportion of people aged 60 and over who experience income deprivation.",
        order=100,
    ),
    Measure(
        "cyp",
        "Children and Young People Sub-domain",
        "Children and young people (education)",
        "education-skills",
        ("children and young people sub-domain",),
        ("children_and_young_people", "children_and_young_people_sub_domain"),
        score_definition="Attainment and skills of children and young people (part of the "
        "Education domain).",
        summaries=False,
        order=110,
    ),
    Measure(
        "adult-skills",
        "Adult Skills Sub-domain",
        "Adult skills",
        "education-skills",
        ("adult skills sub-domain",),
        ("adult_skills", "adult_skills_sub_domain"),
        score_definition="Lack of qualifications and English language proficiency among adults "
        "(part of the Education domain).",
        summaries=False,
        order=120,
    ),
    Measure(
        "geographical-barriers",
        "Geographical Barriers Sub-domain",
        "Geographical barriers",
        "housing",
        ("geographical barriers sub-domain",),
        ("geographical_barriers", "geographical_barriers_sub_domain"),
        score_definition="Physical proximity of local services (part of the Barriers to "
        "Housing and Services domain).",
        summaries=False,
        order=130,
    ),
    Measure(
        "wider-barriers",
        "Wider Barriers Sub-domain",
        "Wider barriers (housing)",
        "housing",
        ("wider barriers sub-domain",),
        ("wider_barriers", "wider_barriers_sub_domain"),
        score_definition="Access to housing: affordability, overcrowding and homelessness (part "
        "of the Barriers to Housing and Services domain).",
        summaries=False,
        order=140,
    ),
    Measure(
        "indoors",
        "Indoors Sub-domain",
        "Indoor living environment",
        "housing",
        ("indoors sub-domain",),
        ("indoors", "indoors_sub_domain"),
        score_definition="Quality of housing: in poor condition or without central heating "
        "(part of the Living Environment domain).",
        summaries=False,
        order=150,
    ),
    Measure(
        "outdoors",
        "Outdoors Sub-domain",
        "Outdoor living environment",
        "environment",
        ("outdoors sub-domain",),
        ("outdoors", "outdoors_sub_domain"),
        score_definition="Air quality and road traffic accidents (part of the Living "
        "Environment domain).",
        summaries=False,
        order=160,
    ),
]
MEASURE_BY_KEY = {m.key: m for m in MEASURES}


@dataclass(frozen=True)
class Underlying:
    """One underlying indicator (File 8), or a population denominator (File 6)."""

    code: str
    name: str
    short: str
    theme: str | None
    value_type: str
    unit: str
    polarity: str = Polarity.HIGHER_IS_WORSE
    decimals: int = 3
    definition: str = ""
    order: int = 500


def _u(
    code: str, name: str, short: str, theme: str | None, value_type: str, unit: str, **kw: Any
) -> Underlying:
    return Underlying(f"iod-{code}", name, short, theme, value_type, unit, **kw)


_COUNT = ValueType.COUNT
_SCORE = ValueType.SCORE
_PROP = ValueType.PROPORTION
_MEAN = ValueType.MEAN
_RATE = ValueType.RATE

# snake_case header (as File 8's headers normalise, and as humaniverse/IMD names them) → spec.
UNDERLYING: dict[str, Underlying] = {
    "income_domain_numerator": _u(
        "income-numerator",
        "People who are income deprived (Income Domain numerator)",
        "Income-deprived people",
        "income",
        _COUNT,
        "people",
        decimals=0,
        definition="Number of people in the LSOA experiencing income deprivation (rounded to 5 "
        "by MHCLG; values under 10 are withheld).",
        order=510,
    ),
    "income_deprivation_affecting_children_index_idaci_numerator": _u(
        "idaci-numerator",
        "Children in income-deprived families (IDACI numerator)",
        "Income-deprived children",
        "children-young-people",
        _COUNT,
        "children",
        decimals=0,
        order=511,
    ),
    "income_deprivation_affecting_older_people_index_idaopi_numerator": _u(
        "idaopi-numerator",
        "Older people who are income deprived (IDAOPI numerator)",
        "Income-deprived older people",
        "older-people",
        _COUNT,
        "people aged 60+",
        decimals=0,
        order=512,
    ),
    "employment_domain_numerator": _u(
        "employment-numerator",
        "People who are employment deprived (Employment Domain numerator)",
        "Employment-deprived people",
        "employment-economy",
        _COUNT,
        "people",
        decimals=0,
        order=513,
    ),
    "staying_on_in_education_post_16_indicator": _u(
        "staying-on-post-16",
        "Young people not staying on in education post-16",
        "Not staying on post-16",
        "education-skills",
        _PROP,
        "proportion",
        definition="Proportion of young people not staying on in school or non-advanced "
        "education above age 16.",
        order=520,
    ),
    "entry_to_higher_education_indicator": _u(
        "entry-to-higher-education",
        "Entry to higher education indicator",
        "Entry to higher education",
        "education-skills",
        _SCORE,
        "score",
        definition="Modelled measure of young people not entering higher education (higher "
        "values: fewer enter).",
        order=521,
    ),
    "adult_skills_and_english_language_proficiency_indicator": _u(
        "adult-skills-indicator",
        "Adults with no or low qualifications, or lacking English",
        "Adult skills",
        "education-skills",
        _PROP,
        "proportion",
        definition="Proportion of working-age adults with no or low qualifications, or who "
        "cannot speak English or cannot speak it well.",
        order=522,
    ),
    "years_of_potential_life_lost_indicator": _u(
        "years-of-potential-life-lost",
        "Years of potential life lost",
        "Years of life lost",
        "health-wellbeing",
        _SCORE,
        "age- and sex-standardised measure",
        definition="An age- and sex-standardised measure of premature death.",
        order=530,
    ),
    "comparative_illness_and_disability_ratio_indicator": _u(
        "comparative-illness-disability-ratio",
        "Comparative illness and disability ratio",
        "Illness and disability ratio",
        "health-wellbeing",
        _SCORE,
        "ratio (England = 100)",
        definition="An age- and sex-standardised measure of morbidity and disability (work-"
        "limiting illness benefits).",
        order=531,
    ),
    "acute_morbidity_indicator": _u(
        "acute-morbidity",
        "Acute morbidity",
        "Acute morbidity",
        "health-wellbeing",
        _SCORE,
        "ratio (England = 100)",
        definition="An age- and sex-standardised rate of emergency admissions to hospital.",
        order=532,
    ),
    "mood_and_anxiety_disorders_indicator": _u(
        "mood-anxiety-disorders",
        "Mood and anxiety disorders",
        "Mood and anxiety disorders",
        "mental-health",
        _SCORE,
        "score",
        definition="A composite of prescribing, hospital episodes, suicides and health "
        "benefits data for mood and anxiety disorders (IoD2019).",
        order=533,
    ),
    "mental_health_indicator": _u(
        "mental-health",
        "Mental health indicator",
        "Mental health",
        "mental-health",
        _SCORE,
        "score",
        definition="A composite measure of poor mental health (IoD2025; replaces mood and "
        "anxiety disorders).",
        order=534,
    ),
    "road_distance_to_a_post_office_indicator_km": _u(
        "distance-post-office",
        "Road distance to a post office",
        "Distance to a post office",
        "housing",
        _MEAN,
        "km",
        decimals=2,
        order=540,
    ),
    "road_distance_to_a_primary_school_indicator_km": _u(
        "distance-primary-school",
        "Road distance to a primary school",
        "Distance to a primary school",
        "education-skills",
        _MEAN,
        "km",
        decimals=2,
        order=541,
    ),
    "road_distance_to_general_store_or_supermarket_indicator_km": _u(
        "distance-general-store",
        "Road distance to a general store or supermarket",
        "Distance to a shop",
        "housing",
        _MEAN,
        "km",
        decimals=2,
        order=542,
    ),
    "road_distance_to_a_gp_surgery_indicator_km": _u(
        "distance-gp-surgery",
        "Road distance to a GP surgery",
        "Distance to a GP",
        "health-wellbeing",
        _MEAN,
        "km",
        decimals=2,
        order=543,
    ),
    "household_overcrowding_indicator": _u(
        "household-overcrowding",
        "Household overcrowding",
        "Overcrowding",
        "housing",
        _PROP,
        "proportion",
        definition="Proportion of households judged to have insufficient space (IoD2019).",
        order=550,
    ),
    "household_overcrowding_indicator_rooms": _u(
        "household-overcrowding-rooms",
        "Household overcrowding (rooms)",
        "Overcrowding (rooms)",
        "housing",
        _PROP,
        "proportion",
        definition="Proportion of households with fewer rooms than needed (IoD2025).",
        order=551,
    ),
    "household_overcrowding_indicator_bedrooms": _u(
        "household-overcrowding-bedrooms",
        "Household overcrowding (bedrooms)",
        "Overcrowding (bedrooms)",
        "housing",
        _PROP,
        "proportion",
        definition="Proportion of households with fewer bedrooms than needed (IoD2025).",
        order=552,
    ),
    "homelessness_indicator_rate_per_1000_households": _u(
        "homelessness",
        "Homelessness (rate per 1,000 households)",
        "Homelessness",
        "housing",
        _SCORE,
        "per 1,000 households",
        decimals=2,
        definition="Local authority homelessness acceptances, per 1,000 households (a "
        "district-level figure modelled to LSOAs).",
        order=553,
    ),
    "homelessness_indicator_rate_per_1_000_households": _u(
        "homelessness",
        "Homelessness (rate per 1,000 households)",
        "Homelessness",
        "housing",
        _SCORE,
        "per 1,000 households",
        decimals=2,
        order=553,
    ),
    "core_homelessness_rate_percent_of_households": _u(
        "core-homelessness",
        "Core homelessness (% of households)",
        "Core homelessness",
        "housing",
        _SCORE,
        "% of households",
        decimals=2,
        order=554,
    ),
    "owner_occupation_affordability_component_of_housing_affordability_indicator": _u(
        "owner-occupation-affordability",
        "Owner-occupation affordability",
        "Owner-occupation affordability",
        "housing",
        _PROP,
        "proportion",
        definition="Proportion of households unable to afford to enter owner-occupation.",
        order=555,
    ),
    "private_rental_affordability_component_of_housing_affordability_indicator": _u(
        "private-rental-affordability",
        "Private rental affordability",
        "Private rental affordability",
        "housing",
        _PROP,
        "proportion",
        definition="Proportion of households unable to afford to enter private rental.",
        order=556,
    ),
    "housing_affordability_indicator": _u(
        "housing-affordability",
        "Housing affordability",
        "Housing affordability",
        "housing",
        _SCORE,
        "score",
        definition="Inability to afford to enter owner-occupation or the private rental market "
        "(a combined score).",
        order=557,
    ),
    "housing_in_poor_condition_indicator": _u(
        "housing-poor-condition",
        "Housing in poor condition",
        "Housing in poor condition",
        "housing",
        _PROP,
        "proportion",
        definition="Proportion of social and private homes that fail to meet the Decent Homes "
        "standard (modelled).",
        order=558,
    ),
    "houses_without_central_heating_indicator": _u(
        "without-central-heating",
        "Houses without central heating",
        "Without central heating",
        "housing",
        _PROP,
        "proportion",
        order=559,
    ),
    "patient_to_gp_ratio": _u(
        "patient-to-gp-ratio",
        "Patients per GP",
        "Patients per GP",
        "health-wellbeing",
        _MEAN,
        "patients per GP",
        decimals=0,
        order=544,
    ),
    "connectivity_score": _u(
        "connectivity",
        "Connectivity score (IoD2025)",
        "Connectivity",
        "housing",
        _SCORE,
        "score",
        polarity=Polarity.NO_JUDGEMENT,
        definition="Access to services by public transport and walking (IoD2025).",
        order=545,
    ),
    "digital_connectivity_broadband_download_and_upload_speeds": _u(
        "digital-connectivity",
        "Digital connectivity (broadband speeds)",
        "Digital connectivity",
        "housing",
        _SCORE,
        "score",
        polarity=Polarity.NO_JUDGEMENT,
        order=546,
    ),
    "road_traffic_accidents_indicator": _u(
        "road-traffic-accidents",
        "Road traffic accidents involving injury",
        "Road traffic accidents",
        "environment",
        _SCORE,
        "rate",
        definition="Road traffic accidents involving injury to pedestrians and cyclists, per "
        "1,000 residents and workers (smoothed).",
        order=570,
    ),
    "nitrogen_dioxide_component_of_air_quality_indicator": _u(
        "air-nitrogen-dioxide",
        "Air quality: nitrogen dioxide",
        "Nitrogen dioxide",
        "environment",
        _SCORE,
        "ratio to limit",
        order=571,
    ),
    "benzene_component_of_air_quality_indicator": _u(
        "air-benzene",
        "Air quality: benzene",
        "Benzene",
        "environment",
        _SCORE,
        "ratio to limit",
        order=572,
    ),
    "sulphur_dioxide_component_of_air_quality_indicator": _u(
        "air-sulphur-dioxide",
        "Air quality: sulphur dioxide",
        "Sulphur dioxide",
        "environment",
        _SCORE,
        "ratio to limit",
        order=573,
    ),
    "particulates_component_of_air_quality_indicator": _u(
        "air-particulates",
        "Air quality: particulates",
        "Particulates",
        "environment",
        _SCORE,
        "ratio to limit",
        order=574,
    ),
    "air_quality_indicator": _u(
        "air-quality",
        "Air quality",
        "Air quality",
        "environment",
        _SCORE,
        "ratio to limit",
        definition="Concentrations of nitrogen dioxide, benzene, sulphur dioxide and "
        "particulates relative to their limits, summed.",
        order=575,
    ),
    "violence_with_injury_rate_per_1_000_at_risk_population": _u(
        "crime-violence-with-injury",
        "Violence with injury (rate per 1,000 at-risk population)",
        "Violence with injury",
        "community-safety",
        _SCORE,
        "per 1,000",
        decimals=1,
        order=580,
    ),
    "violence_without_injury_rate_per_1_000_at_risk_population": _u(
        "crime-violence-without-injury",
        "Violence without injury (rate per 1,000 at-risk population)",
        "Violence without injury",
        "community-safety",
        _SCORE,
        "per 1,000",
        decimals=1,
        order=581,
    ),
    "stalking_and_harassment_rate_per_1_000_at_risk_population": _u(
        "crime-stalking-harassment",
        "Stalking and harassment (rate per 1,000 at-risk population)",
        "Stalking and harassment",
        "community-safety",
        _SCORE,
        "per 1,000",
        decimals=1,
        order=582,
    ),
    "burglary_rate_per_1_000_at_risk_properties": _u(
        "crime-burglary",
        "Burglary (rate per 1,000 at-risk properties)",
        "Burglary",
        "community-safety",
        _SCORE,
        "per 1,000 properties",
        decimals=1,
        order=583,
    ),
    "theft_rate_per_1_000_at_risk_population": _u(
        "crime-theft",
        "Theft (rate per 1,000 at-risk population)",
        "Theft",
        "community-safety",
        _SCORE,
        "per 1,000",
        decimals=1,
        order=584,
    ),
    "criminal_damage_rate_per_1_000_at_risk_population": _u(
        "crime-criminal-damage",
        "Criminal damage (rate per 1,000 at-risk population)",
        "Criminal damage",
        "community-safety",
        _SCORE,
        "per 1,000",
        decimals=1,
        order=585,
    ),
    "public_order_and_possession_of_weapons_rate_per_1_000_at_risk_population": _u(
        "crime-public-order-weapons",
        "Public order and possession of weapons (rate per 1,000 at-risk population)",
        "Public order and weapons",
        "community-safety",
        _SCORE,
        "per 1,000",
        decimals=1,
        order=586,
    ),
    "anti_social_behaviour_rate_per_1_000_at_risk_population": _u(
        "crime-anti-social-behaviour",
        "Anti-social behaviour (rate per 1,000 at-risk population)",
        "Anti-social behaviour",
        "community-safety",
        _SCORE,
        "per 1,000",
        decimals=1,
        order=587,
    ),
}

# Population denominators (File 6 and the end of File 7): key → (spec, header prefix).
POPULATIONS: dict[str, tuple[Underlying, str]] = {
    "total": (
        _u(
            "population-total",
            "Total population (IoD denominator, excluding prisoners)",
            "Population",
            None,
            _COUNT,
            "people",
            polarity=Polarity.NO_JUDGEMENT,
            decimals=0,
            definition="The population MHCLG used as the denominator of the indices (mid-2015 "
            "for IoD2019, mid-2022 for IoD2025), excluding prisoners.",
            order=900,
        ),
        "total_population",
    ),
    "children": (
        _u(
            "population-children",
            "Dependent children aged 0–15 (IoD denominator)",
            "Children 0–15",
            None,
            _COUNT,
            "people",
            polarity=Polarity.NO_JUDGEMENT,
            decimals=0,
            order=901,
        ),
        "dependent_children_aged_0_15",
    ),
    "16-59": (
        _u(
            "population-16-59",
            "Population aged 16–59 (IoD denominator)",
            "Population 16–59",
            None,
            _COUNT,
            "people",
            polarity=Polarity.NO_JUDGEMENT,
            decimals=0,
            order=902,
        ),
        "population_aged_16_59",
    ),
    "older": (
        _u(
            "population-older",
            "Older population aged 60 and over (IoD denominator)",
            "Population 60+",
            None,
            _COUNT,
            "people",
            polarity=Polarity.NO_JUDGEMENT,
            decimals=0,
            order=903,
        ),
        "older_population_aged_60_and_over",
    ),
    "working-age": (
        _u(
            "population-working-age",
            "Working-age population (IoD Employment denominator)",
            "Working-age population",
            None,
            _COUNT,
            "people",
            polarity=Polarity.NO_JUDGEMENT,
            decimals=0,
            order=904,
        ),
        "working_age_population",
    ),
}
POPULATION_CODE = POPULATIONS["total"][0].code

SUMMARY_TEXT: dict[str, tuple[str, str, str]] = {
    # summary → (name suffix, value type, definition)
    Summary.EXTENT: (
        "extent",
        ValueType.PROPORTION,
        "The share of the area's population living in the most deprived LSOAs in England: "
        "all of it in the most deprived 10%, a sliding share (0.95 to 0.05) in the next 20%.",
    ),
    Summary.LOCAL_CONCENTRATION: (
        "local concentration",
        ValueType.RANK,
        "The population-weighted average national rank of the area's most deprived LSOAs that "
        "together hold 10% of its population (1 = most deprived).",
    ),
    Summary.MOST_DEPRIVED_10PCT: (
        "proportion of LSOAs in the most deprived 10% nationally",
        ValueType.PROPORTION,
        "The share of the area's LSOAs (not population-weighted) in the most deprived 10% of "
        "LSOAs in England.",
    ),
}


def janitor(header: str) -> str:
    """A header in snake_case, as R's janitor::clean_names makes it (the humaniverse names).

    >>> janitor("Homelessness indicator (rate per 1000 households)")
    'homelessness_indicator_rate_per_1000_households'
    >>> janitor("IMD_decile")
    'imd_decile'
    """
    return re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


@dataclass(frozen=True)
class ColumnMeaning:
    role: str  # "lsoa", "lad", "measure", "underlying", "population", "ignored"
    measure: str = ""  # measure key, for role "measure"
    kind: str = ""  # score | rank | decile
    key: str = ""  # underlying/population key
    vintage: str = ""  # from an LSOA code header: 2011 or 2021


_OFFICIAL = re.compile(r"^(?P<stem>.+?)\s+(?P<kind>score|rank|decile)\b", re.IGNORECASE)
_IGNORED = re.compile(
    r"(name|_nm$|^fid$|^objectid$|year|^lsoa_year$|^la_year$|^imd_year$|welsh|_nmw$)"
)

_STEMS: dict[str, str] = {stem: m.key for m in MEASURES for stem in m.stems}
_ALIASES: dict[str, str] = {alias: m.key for m in MEASURES for alias in m.aliases}


def measure_column(header: str) -> ColumnMeaning | None:
    """What an IoD file's column holds, from its header (official or snake_case), or None.

    >>> measure_column("Income Score (rate)")
    ColumnMeaning(role='measure', measure='income', kind='score', key='', vintage='')
    >>> measure_column("Housing_and_Services_rank").measure
    'barriers'
    >>> measure_column("LSOA code (2011)").vintage
    '2011'
    """
    text = " ".join(header.replace("\ufeff", "").split())
    lower = text.lower()
    snake = janitor(text)
    if snake in {"lsoa_code_2011", "lsoa11_code", "lsoa11cd", "f_lsoa11cd"}:
        return ColumnMeaning("lsoa", vintage="2011")
    if snake in {"lsoa_code_2021", "lsoa21_code", "lsoa21cd"}:
        return ColumnMeaning("lsoa", vintage="2021")
    if snake in {"lsoa_code", "lsoacd", "lsoa"}:
        return ColumnMeaning("lsoa")
    if re.fullmatch(r"(local_authority_district_code(_\d{4})?|la_code|lad\d{2}cd|lad_code)", snake):
        return ColumnMeaning("lad")
    official = _OFFICIAL.match(lower)
    if official and official.group("stem") in _STEMS:
        return ColumnMeaning(
            "measure", measure=_STEMS[official.group("stem")], kind=official.group("kind")
        )
    snake_match = re.fullmatch(r"(?P<stem>[a-z0-9_]+?)_(?P<kind>score|rank|decile)(_rate)?", snake)
    if snake_match and snake_match.group("stem") in _ALIASES:
        return ColumnMeaning(
            "measure", measure=_ALIASES[snake_match.group("stem")], kind=snake_match.group("kind")
        )
    if snake in UNDERLYING:
        return ColumnMeaning("underlying", key=snake)
    for key, (_, prefix) in POPULATIONS.items():
        if snake.startswith(prefix):
            return ColumnMeaning("population", key=key)
    if _IGNORED.search(snake):
        return ColumnMeaning("ignored")
    return None


@dataclass
class IndicatorSpec:
    """The fields of one ``Indicator`` row, as the catalogue declares it."""

    code: str
    name: str
    short_name: str
    theme: str | None
    polarity: str
    value_type: str
    unit: str
    definition: str
    method: str
    decimals: int = 3
    multiplier: float = 1
    order: int = 1000
    summary: str = ""
    summary_of: str = ""
    aggregate: bool = True
    extra: dict[str, str] = field(default_factory=dict)


def iod_source() -> dict[str, str]:
    return {
        "publisher": MHCLG,
        "source": "English Indices of Deprivation (IoD2019 on LSOA 2011; IoD2025 on LSOA 2021)",
        "source_url": "https://www.gov.uk/government/collections/english-indices-of-deprivation",
        "licence": OGL,
    }


def measure_specs(measure: Measure) -> list[IndicatorSpec]:
    """The score, rank and (for indices and domains) the three summary indicators of one
    measure."""
    score_unit = "rate (proportion)" if measure.score_type == ValueType.PROPORTION else "score"
    specs = [
        IndicatorSpec(
            measure.score_code,
            f"{measure.name}: score",
            f"{measure.short} score",
            measure.theme,
            Polarity.HIGHER_IS_WORSE,
            measure.score_type,
            score_unit,
            measure.score_definition + " Higher scores are more deprived.",
            METHOD_SCORE,
            decimals=3,
            order=measure.order,
        ),
        IndicatorSpec(
            measure.rank_code,
            f"{measure.name}: rank",
            f"{measure.short} rank",
            measure.theme,
            Polarity.HIGHER_IS_BETTER,
            ValueType.RANK,
            "rank (1 = most deprived)",
            f"Rank of the {measure.name} among all LSOAs in England (1 = most deprived). For a "
            "larger area, the population-weighted average rank of its LSOAs.",
            METHOD_RANK,
            decimals=0,
            order=measure.order + 1,
        ),
    ]
    if measure.summaries:
        for offset, (summary, (suffix, value_type, definition)) in enumerate(
            SUMMARY_TEXT.items(), start=2
        ):
            specs.append(
                IndicatorSpec(
                    measure.summary_code(summary),
                    f"{measure.name}: {suffix}",
                    f"{measure.short} {suffix.split(' of ')[0]}",
                    measure.theme,
                    Polarity.HIGHER_IS_BETTER
                    if summary == Summary.LOCAL_CONCENTRATION
                    else Polarity.HIGHER_IS_WORSE,
                    value_type,
                    "rank (1 = most deprived)" if value_type == ValueType.RANK else "proportion",
                    definition,
                    "MHCLG summary measure for larger areas (IoD2019 Technical Report section "
                    "3.8), computed by Placeworks from the LSOA ranks and populations with "
                    "placeworks.stats.la_summaries.",
                    decimals=0 if value_type == ValueType.RANK else 3,
                    order=measure.order + offset,
                    summary=str(summary),
                    summary_of=measure.rank_code,
                    aggregate=False,
                )
            )
    return specs


def underlying_spec(item: Underlying, method: str) -> IndicatorSpec:
    return IndicatorSpec(
        item.code,
        item.name,
        item.short,
        item.theme,
        item.polarity,
        item.value_type,
        item.unit,
        item.definition or item.name,
        method,
        decimals=item.decimals,
        order=item.order,
    )


METHOD_UNDERLYING = (
    "As published by MHCLG in the IoD underlying indicators (File 8). For a larger area: "
    "counts are summed; other values are population-weighted averages of the LSOA values."
)
METHOD_POPULATION = "As published by MHCLG (File 6). For a larger area: the sum over its LSOAs."
