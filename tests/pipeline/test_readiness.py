"""Readiness for a funding opportunity: each criterion met or missing, in words."""

from __future__ import annotations

from datetime import date

from placeworks.pipeline.readiness import Criteria, Position, check, money

TODAY = date(2026, 3, 1)
FUND = Criteria(
    name="One Public Estate Phase 12 (sample)",
    themes=("Housing and tenancies", "Physical health and wellbeing"),
    area_types=("lad", "place"),
    min_need_decile=3,
    stage_required="business_case",
    max_grant=2_000_000,
    match_funding_percent=30,
    required_sectors=("health", "council"),
    deadline=date(2026, 6, 30),
)


def test_a_project_that_meets_every_criterion_is_ready():
    position = Position(
        title="Hub",
        stage="funding_secured",
        themes=("Physical health and wellbeing",),
        area_types=("lad",),
        best_need_decile=2,
        capital_cost=4_000_000,
        asked_of_fund=1_500_000,
        secured_elsewhere=1_600_000,
        sectors=("council", "health", "police"),
    )
    result = check(FUND, position, today=TODAY)
    assert result.ready and result.summary == "Ready: meets all 9 criteria."
    assert result.met == [
        "Addresses physical health and wellbeing, which the fund supports.",
        "Serves a local authority district.",
        "Serves a place in need decile 2, within the fund's need decile 3 or higher.",
        "Has reached business case stage, as the fund requires.",
        "Asks £1.5m, within the £2m maximum grant.",
        "Match funding of 40% secured (the fund needs 30%).",
        "Has a health partner.",
        "Has a council partner.",
        "The deadline is 30 June 2026: 121 days left.",
    ]


def test_what_is_missing_is_said_the_way_a_programme_manager_would():
    position = Position(
        title="Homes",
        stage="feasibility",
        themes=("Planning",),
        area_types=("ward",),
        best_need_decile=6,
        capital_cost=3_000_000,
        secured_elsewhere=300_000,
        sectors=("council",),
    )
    result = check(FUND, position, today=date(2026, 7, 1))
    assert result.missing == [
        "Does not address a theme the fund supports (housing and tenancies or physical health "
        "and wellbeing).",
        "Serves no local authority district or PLACE area; the fund is for projects that do.",
        "The places served are not in high enough need: the highest is in need decile 6; the "
        "fund needs decile 3 or higher (1 = the highest-need tenth of comparable places).",
        "No business case yet: the project is at feasibility stage.",
        "Asks £2.7m, more than the £2m maximum grant.",
        "Only 10% match funding secured; the fund needs 30%.",
        "No health partner.",
        "The deadline (30 June 2026) has passed.",
    ]
    assert result.met == ["Has a council partner."]
    assert result.summary == "Meets 1 of 9 criteria; 8 missing."


def test_unknowns_are_missing_not_assumed():
    result = check(FUND, Position(title="Idea", stage="idea"), today=TODAY)
    assert (
        "No need evidence for the places served, so the need criterion (need decile 3 or higher) cannot be shown to be met."
        in result.missing
    )
    assert (
        "No capital cost or amount sought recorded, so the ask cannot be checked against the £2m maximum grant."
        in result.missing
    )
    assert "No capital cost recorded, so the 30% match funding cannot be checked." in result.missing
    assert "No business case yet: the project is at idea stage." in result.missing


def test_paused_and_withdrawn_projects_are_not_ready():
    result = check(Criteria(name="Any"), Position(title="P", stage="paused"), today=TODAY)
    assert result.missing == ["The project is paused."]


def test_money_in_words():
    assert money(2_000_000) == "£2m" and money(2_500_000) == "£2.5m"
    assert money(450_000) == "£450k" and money(8_000) == "£8,000"
