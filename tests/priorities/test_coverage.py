"""Coverage, alignment, gaps and unrecognised need on a small known set of ward plans."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placeworks.places.models import Area
from placeworks.priorities import queries, services
from placeworks.priorities.models import PlanStatus
from tests.estate.need_data import components, load_need

from .helpers import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(geo, orgs, strategy):
    """Four published Mansfield ward plans for 2025/26, a draft, last year's and Ashfield's."""
    wards, council = geo["wards"], orgs["mansfield"]
    made = {
        "bancroft": make_plan(
            wards["Bancroft"],
            council,
            priorities=[
                ("Reduce ASB around the shops", ["community-safety"]),
                ("Tackle fly-tipping", ["environment"]),
            ],
        ),
        "berry_hill": make_plan(
            wards["Berry Hill"],
            council,
            priorities=[
                ("Cut burglary", ["community-safety"]),
                ("Help with energy bills and benefits", ["income"]),
            ],
        ),
        "brick_kiln": make_plan(
            wards["Brick Kiln"],
            council,
            priorities=[
                ("Support older residents to stay independent", ["older-people"]),
                ("Lunch clubs for people on their own", ["loneliness-isolation"]),
            ],
        ),
        "carr_bank": make_plan(
            wards["Carr Bank"],
            council,
            priorities=[
                ("A youth club on Friday nights", ["children-young-people"]),
                ("Improve mental health support for young people", None),  # unconfirmed
            ],
        ),
        "central_draft": make_plan(
            wards["Central"],
            council,
            priorities=[("A mental health drop-in", ["mental-health"])],
            status=PlanStatus.DRAFT,
        ),
        "bancroft_last_year": make_plan(
            wards["Bancroft"],
            council,
            period="2024/25",
            priorities=[("Reduce ASB", ["community-safety"])],
        ),
        "ashfield": make_plan(
            geo["ashfield_wards"]["Abbey Hill"],
            orgs["ashfield"],
            priorities=[("Reduce ASB", ["community-safety"])],
        ),
    }
    return made


def selection(**params: str) -> queries.Selection:
    return queries.parse_selection({"parent": "E07000174", "period": "2025/26", **params})


def by_key(rows):
    return {row.key: row for row in rows}


def test_counts_how_many_ward_plans_reference_each_theme(plans):
    result = queries.coverage(AnonymousUser(), selection())
    assert len(result.plans) == 4 and result.unit == "wards"
    themes = by_key(result.themes)
    assert (themes["community-safety"].plans, themes["community-safety"].of) == (2, 4)
    assert themes["community-safety"].priorities == 2
    assert sorted(themes["community-safety"].plan_ids) == sorted(
        [plans["bancroft"].pk, plans["berry_hill"].pk]
    )
    assert themes["environment"].plans == 1
    assert themes["older-people"].plans == 1
    assert themes["mental-health"].plans == 0  # the draft is hidden; the suggestion unconfirmed
    assert themes["community-safety"].percent == 50.0


def test_a_sub_theme_counts_for_its_parent_theme(plans):
    themes = by_key(queries.coverage(AnonymousUser(), selection()).themes)
    assert themes["income"].plans == 1
    assert themes["cost-of-living"].plans == 1  # Berry Hill, through "income"


def test_suggested_themes_do_not_count_until_confirmed(plans, themes):
    result = queries.coverage(AnonymousUser(), selection())
    assert result.unconfirmed == 1 and result.priorities == 8
    priority = plans["carr_bank"].priorities.get(themes_confirmed_at__isnull=True)
    assert "mental-health" in priority.suggested_slugs()
    services.confirm_themes(by=None, priority=priority, themes=[themes["mental-health"]])
    result = queries.coverage(AnonymousUser(), selection())
    assert result.unconfirmed == 0
    assert by_key(result.themes)["mental-health"].plans == 1


def test_aims_are_derived_from_themes_and_gaps_are_the_aims_no_plan_takes_up(plans, strategy):
    result = queries.coverage(AnonymousUser(), selection())
    aims = strategy["aims"]
    counts = {row.key: row.plans for row in result.aims}
    assert counts == {
        str(aims[0].pk): 1,
        str(aims[1].pk): 0,
        str(aims[2].pk): 1,
        str(aims[3].pk): 2,
    }
    assert [row.key for row in result.aim_gaps] == [str(aims[1].pk)]
    assert "Income and poverty" not in [row.label for row in result.theme_gaps]


def test_the_alignment_matrix_counts_priorities_per_plan_and_aim(plans, strategy):
    result = queries.coverage(AnonymousUser(), selection())
    matrix = {plan.area.name: counts for plan, counts in result.matrix}
    assert matrix["Bancroft"] == [0, 0, 0, 1]
    assert matrix["Berry Hill"] == [0, 0, 0, 2]  # burglary and energy bills
    assert matrix["Brick Kiln"] == [0, 0, 1, 0]
    assert matrix["Carr Bank"] == [1, 0, 0, 0]


def test_aims_chosen_by_hand_replace_the_derived_ones(plans, strategy):
    aims = strategy["aims"]
    fly_tipping = plans["bancroft"].priorities.get(text="Tackle fly-tipping")
    services.set_aims(by=None, priority=fly_tipping, aims=[aims[2]])
    result = queries.coverage(AnonymousUser(), selection())
    assert by_key(result.aims)[str(aims[2].pk)].plans == 2
    services.set_aims(by=None, priority=fly_tipping, aims=None)
    assert by_key(queries.coverage(AnonymousUser(), selection()).aims)[str(aims[2].pk)].plans == 1


def test_drafts_count_only_for_members_of_the_owning_organisation(plans, users):
    result = queries.coverage(users["editor"], selection())
    assert len(result.plans) == 5
    assert by_key(result.themes)["mental-health"].plans == 1
    assert [row.key for row in result.aim_gaps] == []
    assert len(queries.coverage(users["other_editor"], selection()).plans) == 4


def test_a_selection_by_plan_ids(plans):
    ids = f"{plans['bancroft'].pk},{plans['ashfield'].pk}"
    result = queries.coverage(AnonymousUser(), queries.parse_selection({"plans": ids}))
    assert len(result.plans) == 2
    assert by_key(result.themes)["community-safety"].plans == 2


def test_drill_down_lists_the_priorities_behind_a_count(plans, themes, strategy):
    found = queries.priorities_for_theme(AnonymousUser(), selection(), themes["cost-of-living"])
    assert [p.text for p in found] == ["Help with energy bills and benefits"]
    served = queries.priorities_for_aim(AnonymousUser(), selection(), strategy["aims"][3])
    assert {p.plan.area.name for p in served} == {"Bancroft", "Berry Hill"}


def test_coverage_runs_a_fixed_number_of_queries_whatever_the_number_of_plans(geo, orgs):
    def queries_for(count: int) -> int:
        for ward in list(geo["wards"].values())[:count]:
            if not ward.plans.exists():
                make_plan(
                    ward, orgs["mansfield"], priorities=[("Reduce ASB", ["community-safety"])]
                )
        with CaptureQueriesContext(connection) as captured:
            result = queries.coverage(AnonymousUser(), selection())
        assert len(result.plans) == count
        return len(captured)

    few, many = queries_for(3), queries_for(30)
    assert few == many
    assert many <= 15


# --- unrecognised need (the evidence app's need index, loaded for real) ------------------------

HOUSING = [c for c in components("housing") if c != "iod-environment-score"]
SAFETY = components("community-safety")
HEALTH = [c for c in components("health-wellbeing") if "mood" not in c and "mental" not in c]
PLAN_WARDS = ["Bancroft", "Berry Hill", "Brick Kiln", "Carr Bank", "Central"]


def ranked(geo, at: dict[str, int]) -> dict:
    """Values for all 58 wards of 2024 (the comparison set) that rank the named Mansfield wards
    as given (1 = the highest need); the other wards with plans come last."""
    named = {geo["wards"][name].pk: rank for name, rank in at.items()}
    wards = list(Area.objects.filter(type="ward", vintage="2024").order_by("code"))
    planned = {geo["wards"][name].pk for name in PLAN_WARDS} | {
        geo["ashfield_wards"]["Abbey Hill"].pk
    }
    rest = [w for w in wards if w.pk not in named and w.pk not in planned]
    rest += [w for w in wards if w.pk not in named and w.pk in planned]
    order: list = [None] * len(wards)
    for ward in wards:
        if ward.pk in named:
            order[named[ward.pk] - 1] = ward
    for i, slot in enumerate(order):
        if slot is None:
            order[i] = rest.pop(0)
    return {ward: float(len(order) - i) for i, ward in enumerate(order)}


@pytest.fixture
def need_index(geo, plans):
    """Bancroft: the highest housing and crime need of the 58 wards (decile 1); Berry Hill: the
    highest income need, second on crime and sixth on health (decile 2); Brick Kiln: twelfth
    on housing (decile 3)."""
    load_need(ranked(geo, {"Bancroft": 1, "Brick Kiln": 12}), codes=HOUSING)
    load_need(ranked(geo, {"Bancroft": 1, "Berry Hill": 2}), codes=SAFETY)
    load_need(ranked(geo, {"Berry Hill": 6}), codes=HEALTH)
    load_need(ranked(geo, {"Berry Hill": 1}), codes=components("income"))


def test_unrecognised_need_is_high_need_on_a_theme_no_priority_names(plans, need_index):
    result = queries.coverage(AnonymousUser(), selection())
    assert result.need_available and result.need_areas == 4
    found = [(u.plan.area.name, u.theme_slug, u.need.decile) for u in result.unrecognised]
    # Bancroft's crime and Berry Hill's crime and income need are named in their plans
    assert found == [("Bancroft", "housing", 1), ("Berry Hill", "health-wellbeing", 2)]
    bancroft = result.unrecognised[0].need
    assert (bancroft.rank, bancroft.of, bancroft.comparison) == (1, 58, "among 58 wards (2024)")
    assert bancroft.describe().startswith("decile 1 among 58 wards (2024), rank 1 of 58")
    assert {c["indicator"] for c in bancroft.components} == set(HOUSING)


def test_the_need_threshold_can_be_widened(plans, need_index):
    result = queries.coverage(AnonymousUser(), selection(need_decile="3"))
    assert ("Brick Kiln", "housing") in [
        (u.plan.area.name, u.theme_slug) for u in result.unrecognised
    ]
    narrow = queries.coverage(AnonymousUser(), selection(need_decile="1"))
    assert [(u.plan.area.name, u.theme_slug) for u in narrow.unrecognised] == [
        ("Bancroft", "housing")
    ]


def test_unrecognised_need_names_the_comparison_set_on_the_page_and_in_the_api(
    client, plans, need_index
):
    page = client.get("/priorities/coverage/?parent=E07000174&period=2025/26").content.decode()
    assert "decile 1 among 58 wards (2024)" in page and "England" not in page
    body = client.get("/api/coverage?parent=E07000174&period=2025/26").json()
    first = body["unrecognised_need"][0]
    assert (first["area_name"], first["theme"], first["comparison"]) == (
        "Bancroft",
        "housing",
        "among 58 wards (2024)",
    )


def test_without_a_need_index_unrecognised_need_is_reported_as_unavailable(client, plans):
    result = queries.coverage(AnonymousUser(), selection())
    assert not result.need_available and result.unrecognised == []
    page = client.get("/priorities/coverage/?parent=E07000174&period=2025/26").content.decode()
    assert "unrecognised need cannot be shown yet" in page
    assert client.get("/api/coverage?parent=E07000174").json()["unrecognised_need"] is None


def test_a_need_index_without_figures_for_these_areas_is_not_read_as_no_need(client, geo, plans):
    load_need({geo["lsoa"]: 1.0})  # the overall index, for one LSOA only
    result = queries.coverage(AnonymousUser(), selection())
    assert result.need_available and result.need_areas == 0 and result.unrecognised == []
    page = client.get("/priorities/coverage/?parent=E07000174&period=2025/26").content.decode()
    assert "has no figures for these areas yet" in page
