"""Write the illustrative sample ward plans used by the Placeworks demo and tests.

ILLUSTRATIVE SAMPLE DATA. These priorities were written for the Placeworks demo: they are not
taken from, and do not represent, any real ward plan of Mansfield District Council or Ashfield
District Council. The ward names and codes are real (ONS, ward 2024 codes from
``data/geography/lookup_lsoa21_ward24_lad24_ONS.csv.gz``) so that the plans sit on the real
geography.

Writes, next to this script:

- ``mansfield_ward_plans.csv``: every ward of Mansfield (E07000174), plans for 2024/25 and
  2025/26, one row per priority, no themes (the demo lets the tagger suggest them);
- ``ashfield_ward_plans_2025-26.docx``: some wards of Ashfield (E07000170) for 2025/26, a heading
  per ward followed by its priorities, for the Word importer.

Run ``.venv/bin/python data/sample_plans/make_samples.py``; the output is deterministic.
"""

from __future__ import annotations

import csv
import gzip
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOOKUP = HERE.parent / "geography" / "lookup_lsoa21_ward24_lad24_ONS.csv.gz"
NOTICE = "Illustrative sample data written for the Placeworks demo: not a real ward plan."

POLICE = "Nottinghamshire Police"
COUNTY = "Nottinghamshire County Council"
CVS = "Mansfield Community and Voluntary Service"
ICB = "NHS Nottingham and Nottinghamshire Integrated Care Board"
FIRE = "Nottinghamshire Fire and Rescue Service"
TRUST = "Sherwood Forest Hospitals NHS Foundation Trust"

# (theme it is written for, priority, actions, lead, partners)
POOL: list[tuple[str, str, str, str, list[str]]] = [
    # crime and community safety
    (
        "safety",
        "Reduce anti-social behaviour around the shops and the recreation ground",
        "Joint patrols on Friday and Saturday evenings; report-it posters in shop windows",
        "Community Safety Partnership",
        [POLICE],
    ),
    (
        "safety",
        "Tackle speeding and nuisance off-road bikes, and make residents feel safer at night",
        "Speed watch sessions with volunteers; targeted off-road bike operations",
        "Neighbourhood policing inspector",
        [POLICE, COUNTY],
    ),
    (
        "safety",
        "Cut burglary and vehicle crime through crime prevention advice",
        "Door-knocking with crime prevention packs; free window locks for vulnerable residents",
        "Neighbourhood policing team",
        [POLICE],
    ),
    (
        "safety",
        "Work with the police and partners to close down drug dealing in the area",
        "Closure orders where needed; information sharing at the monthly tasking meeting",
        "Community Safety Partnership",
        [POLICE, "Local housing associations"],
    ),
    (
        "safety",
        "Make the streets near the town centre safer at night with better CCTV coverage",
        "Review camera locations; add two redeployable cameras",
        "CCTV control room manager",
        [POLICE],
    ),
    (
        "safety",
        "Reduce deliberate fires and arson on open land",
        "Fire service education visits; clearing of fly-tipped materials that are set alight",
        "Ward councillors",
        [FIRE],
    ),
    # environment
    (
        "environment",
        "Tackle fly-tipping and litter hotspots so that the ward is cleaner and greener",
        "Extra enforcement patrols; community litter picks each quarter",
        "Environmental enforcement team",
        [CVS],
    ),
    (
        "environment",
        "Reduce dog fouling on footpaths and playing fields",
        "More bins; fixed penalty notices; a responsible dog owner campaign",
        "Neighbourhood wardens",
        [],
    ),
    (
        "environment",
        "Improve the appearance of the main streets: overgrown verges, graffiti and street cleaning",
        "Street scene blitz days with residents",
        "Street scene manager",
        [],
    ),
    (
        "environment",
        "Improve parks and green spaces with new planting and more trees",
        "Tree planting with schools; a friends of the park group",
        "Parks and green spaces officer",
        [CVS],
    ),
    # transport and road safety
    (
        "transport",
        "Improve road safety outside schools at drop-off and pick-up times",
        "School parking patrols; a school street trial",
        "Road safety officer",
        [COUNTY, POLICE],
    ),
    (
        "transport",
        "Tackle inconsiderate parking and congestion on residential streets",
        "Review of parking restrictions; enforcement visits",
        "Parking services",
        [COUNTY],
    ),
    (
        "transport",
        "Better bus links to the town centre, including evening services",
        "Survey residents on bus use; make the case to the bus operator",
        "Ward councillors",
        [COUNTY, TRUST],
    ),
    # children, young people and families
    (
        "children",
        "More things to do for young people in the evenings and school holidays",
        "Holiday activities with food; a detached youth work session each week",
        "Youth services",
        [COUNTY, CVS],
    ),
    (
        "children",
        "Support families with children under five through the family hub",
        "Promote stay and play sessions; health visitor drop-ins at the community centre",
        "Family hub manager",
        [COUNTY, ICB],
    ),
    (
        "children",
        "Help children to be ready for school and improve school attendance",
        "Work with primary schools on attendance; reading volunteers",
        "Early help team",
        [COUNTY, "Local primary schools"],
    ),
    # physical health and wellbeing
    (
        "health",
        "Help residents to be more active and to eat healthily",
        "Free walking groups; cooking on a budget courses",
        "Health and wellbeing officer",
        [ICB],
    ),
    (
        "health",
        "Reduce smoking and vaping, especially among young people",
        "Stop smoking clinics at the GP surgery; trading standards test purchases",
        "Public health",
        [COUNTY, ICB],
    ),
    (
        "health",
        "Make it easier to see a GP and to get health checks locally",
        "Health check pop-ups at the community centre",
        "Primary care network manager",
        [ICB],
    ),
    # older people and loneliness
    (
        "older",
        "Support older residents to stay independent in their own homes and prevent falls",
        "Falls prevention checks; handyperson service",
        "Adult social care",
        [COUNTY, FIRE],
    ),
    (
        "loneliness",
        "Reduce loneliness and social isolation with befriending and lunch clubs",
        "Volunteer befriending scheme; a weekly lunch club",
        "Community development officer",
        [CVS],
    ),
    # mental health
    (
        "mental",
        "Improve mental health: a local drop-in where people can talk about how they feel",
        "Weekly drop-in with the NHS talking therapies team",
        "Public health",
        [ICB, CVS],
    ),
    (
        "mental",
        "Support young people's emotional wellbeing and reduce self-harm",
        "Mental health first aid training for youth workers and sports coaches",
        "Youth services",
        [COUNTY, ICB],
    ),
    # cost of living
    (
        "cost",
        "Help households with the cost of living: food, energy bills and debt advice",
        "Warm spaces in winter; benefits and debt advice at the library",
        "Financial inclusion officer",
        [CVS, "Citizens Advice"],
    ),
    (
        "cost",
        "Support the food bank and the community pantry",
        "Volunteer drive; collection points in local shops",
        "Community development officer",
        [CVS],
    ),
    # housing
    (
        "housing",
        "Improve the condition of privately rented homes and tackle empty properties",
        "Selective licensing inspections; bring empty homes back into use",
        "Private sector housing team",
        [],
    ),
    (
        "housing",
        "Work with tenants on estate improvements and tenancy sustainment",
        "Estate walkabouts with tenants; tenancy support for new tenants",
        "Housing management",
        [],
    ),
    # employment and economy
    (
        "economy",
        "Support the local high street and help people into work and training",
        "Jobs fair at the community centre; shop front grants",
        "Economic development officer",
        ["Department for Work and Pensions"],
    ),
    # community groups and resilience
    (
        "groups",
        "Support local community groups and encourage more people to volunteer",
        "Small grants scheme; a volunteering fair",
        "Community development officer",
        [CVS],
    ),
    (
        "resilience",
        "Keep the community centre open and improve it as a hub for the community",
        "Repair the roof; extend opening hours with community groups",
        "Community centres manager",
        [CVS],
    ),
    # culture, leisure and sport
    (
        "leisure",
        "More sport and leisure opportunities: refurbish the play area and sports pitches",
        "Bid for play area funding; work with local sports clubs",
        "Leisure services",
        [],
    ),
    # planning
    (
        "planning",
        "Make sure new housing development brings community facilities with it",
        "Comment on planning applications; push for contributions to local facilities",
        "Ward councillors",
        [],
    ),
]

# Relative chance of each theme in a Mansfield ward plan (2025/26); older people and mental
# health are rare on purpose, so the demo's coverage report has something to show.
WEIGHTS_2025 = {
    "safety": 9,
    "environment": 6,
    "transport": 3,
    "children": 2,
    "health": 1.4,
    "older": 0.25,
    "loneliness": 0.4,
    "mental": 0.4,
    "cost": 1.6,
    "housing": 1.2,
    "economy": 0.8,
    "groups": 1.4,
    "resilience": 0.8,
    "leisure": 1.2,
    "planning": 0.5,
}
# 2024/25: no mental health priorities at all (a gap against the strategy's second aim).
WEIGHTS_2024 = {**WEIGHTS_2025, "mental": 0.0, "cost": 2.2}


def wards(lad_code: str) -> list[tuple[str, str]]:
    found = set()
    with gzip.open(LOOKUP, "rt", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["LAD24CD"] == lad_code:
                found.add((row["WD24CD"], row["WD24NM"]))
    return sorted(found)


def choose(rng: random.Random, weights: dict[str, float], count: int) -> list[int]:
    """Indexes into POOL: ``count`` priorities on different themes (always one on safety or
    the environment, the commonest ward concerns)."""
    themes = [t for t in weights if weights[t] > 0]
    picked: list[str] = []
    while len(picked) < count:
        theme = rng.choices(themes, [weights[t] for t in themes])[0]
        if theme not in picked:
            picked.append(theme)
    if "safety" not in picked and "environment" not in picked:
        picked[-1] = "safety"
    return [rng.choice([i for i, entry in enumerate(POOL) if entry[0] == t]) for t in picked]


def plan_rows(rng: random.Random, weights: dict[str, float]) -> list[int]:
    return choose(rng, weights, rng.choice([3, 4, 4, 5]))


def following_year(rng: random.Random, before: list[int]) -> list[int]:
    """Next year's priorities: most kept, one dropped or swapped, sometimes a new one."""
    now = list(before)
    if len(now) > 3 and rng.random() < 0.4:
        now.pop(rng.randrange(len(now)))
    if rng.random() < 0.6:
        extra = choose(rng, WEIGHTS_2025, 1)[0]
        themes = {POOL[i][0] for i in now}
        if POOL[extra][0] not in themes:
            now.append(extra)
    if rng.random() < 0.12:  # a few wards take up mental health this year
        mental = [i for i, entry in enumerate(POOL) if entry[0] == "mental"]
        now.append(rng.choice(mental))
    return now


def row(code: str, name: str, period: str, index: int) -> dict[str, str]:
    _, text, actions, lead, partners = POOL[index]
    return {
        "area_code": code,
        "area_name": name,
        "period": period,
        "priority": text,
        "actions": actions,
        "lead": lead,
        "partners": "; ".join(partners),
    }


def write_csv() -> int:
    rng = random.Random(2024)
    rows = []
    for code, name in wards("E07000174"):
        first = plan_rows(rng, WEIGHTS_2024)
        second = following_year(rng, first)
        rows.extend(row(code, name, "2024/25", i) for i in first)
        rows.extend(row(code, name, "2025/26", i) for i in second)
    rows.sort(key=lambda r: (r["period"], r["area_name"]))
    with (HERE / "mansfield_ward_plans.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


ASHFIELD_WARDS = [
    "Abbey Hill",
    "Ashfields",
    "Carsic",
    "Hucknall Central",
    "Kirkby Cross & Portland",
    "Leamington",
    "Sutton St Mary's",
    "Underwood",
]


def write_docx() -> int:
    import docx

    rng = random.Random(2025)
    # Ashfield's sample plans name no mental health or loneliness priority at all.
    weights = {**WEIGHTS_2025, "mental": 0.0, "loneliness": 0.0}
    document = docx.Document()
    document.core_properties.title = "Ashfield ward plans 2025/26 (illustrative sample)"
    document.add_paragraph("Ashfield ward plans 2025/26", style="Title")
    document.add_paragraph(NOTICE)
    count = 0
    for name in ASHFIELD_WARDS:
        document.add_heading(name, level=1)
        for index in plan_rows(rng, weights):
            _, text, actions, lead, partners = POOL[index]
            document.add_paragraph(text, style="List Number")
            document.add_paragraph(f"Actions: {actions}")
            document.add_paragraph(f"Lead: {lead}")
            if partners:
                document.add_paragraph(
                    "Partners: " + "; ".join(p.replace("Mansfield", "Ashfield") for p in partners)
                )
            count += 1
    document.save(str(HERE / "ashfield_ward_plans_2025-26.docx"))
    return count


if __name__ == "__main__":
    print(f"mansfield_ward_plans.csv: {write_csv()} priorities")
    print(f"ashfield_ward_plans_2025-26.docx: {write_docx()} priorities")
