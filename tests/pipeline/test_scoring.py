"""The score: a worked example, weights that change the ranking, and stable ties."""

from __future__ import annotations

import pytest

from placeworks.pipeline.scoring import NeedValue, ProjectFacts, Weights, rank, score, score_all


def worked_example() -> ProjectFacts:
    return ProjectFacts(
        id=1,
        reference="mansfield-hub",
        title="Mansfield hub",
        stage="business_case",
        themes=("Health", "Housing"),
        need=(NeedValue("Mansfield", "Health", 90, 1), NeedValue("Ashfield", "Health", 70, 3)),
        places=("Mansfield", "Ashfield"),
        priority_themes=("Health",),
        priority_examples=("‘Better access to GPs’",),
        priorities_available=True,
        aim_themes=("Health", "Housing"),
        organisations=("County council", "District council", "ICB"),
        sectors=("council", "health"),
        rag="amber",
        open_risks=("high",),
        capital_cost=1_000_000,
        revenue_cost=0,
        capital_receipts=500_000,
        running_cost_savings=100_000,
        homes_enabled=10,
    )


def test_worked_example_with_the_default_weights():
    result = score(worked_example(), Weights())
    components = {c.name: round(c.score, 3) for c in result.components}
    # need: mean(90, 70); alignment: 100 × (0.6 × 1/2 + 0.4 × 2/2); collaboration:
    # 50 × 2/4 + 50 × 1/3; deliverability: 65 − 15 (high risk) − 5 (amber); value:
    # (500k + 10 × 100k + 10 × £20k) ÷ £1m = 1.7 → 100 × 1.7 ÷ 3.
    assert components == {
        "need": 80.0,
        "alignment": 70.0,
        "collaboration": 41.667,
        "deliverability": 45.0,
        "value": 56.667,
    }
    # 0.30 × 80 + 0.20 × 70 + 0.15 × 41.667 + 0.20 × 45 + 0.15 × 56.667
    assert result.total == pytest.approx(61.75)
    assert sum(c.weight for c in result.components) == pytest.approx(1.0)


def test_every_component_says_why_in_words():
    reasons = {c.name: c.reason for c in score(worked_example(), Weights()).components}
    assert "Mansfield 90 on Health (decile 1)" in reasons["need"]
    assert "average 80" in reasons["need"]
    assert "1 of its 2 themes (Health) are priorities in local plans" in reasons["alignment"]
    assert "‘Better access to GPs’" in reasons["alignment"]
    assert reasons["collaboration"] == "3 organisations across 2 sectors (council and health)."
    assert reasons["deliverability"] == (
        "Business case stage (65); 1 open high risk (−15); RAG amber (−5): 45."
    )
    assert "£1.70 per £1" in reasons["value"] and "10 homes" in reasons["value"]


def test_missing_evidence_scores_zero_and_says_so():
    facts = ProjectFacts(id=2, reference="b", title="B", need_available=False)
    result = score(facts, Weights())
    assert result.component("need").score == 0
    assert "No need index is loaded" in result.component("need").reason
    assert "No cost recorded" in result.component("value").reason
    assert "No themes chosen" in result.component("alignment").reason


def test_weights_change_the_ranking():
    a = worked_example()
    b = ProjectFacts(
        id=2,
        reference="quick-win",
        title="Quick win",
        stage="delivery",
        need=(NeedValue("Rushcliffe", "Housing", 20, 9),),
        organisations=("One council",),
        sectors=("council",),
        capital_cost=100_000,
        capital_receipts=1_000_000,
    )
    default = score_all([a, b], Weights())
    assert [s.reference for s in default] == ["mansfield-hub", "quick-win"]
    assert default[1].total == pytest.approx(40.0)  # 0.3 × 20 + 0.2 × 95 + 0.15 × 100
    delivery_first = score_all(
        [a, b], Weights(need=0, alignment=0, collaboration=0, deliverability=50, value=50)
    )
    assert [s.reference for s in delivery_first] == ["quick-win", "mansfield-hub"]
    assert delivery_first[0].total == pytest.approx(97.5)


def test_equal_scores_rank_in_a_stable_order():
    twins = [
        ProjectFacts(id=i, reference=ref, title=ref, stage="idea")
        for i, ref in [(9, "zeta"), (3, "alpha"), (5, "mid")]
    ]
    first = score_all(twins, Weights())
    second = score_all(list(reversed(twins)), Weights())
    assert [s.reference for s in first] == ["alpha", "mid", "zeta"]
    assert [s.reference for s in second] == ["alpha", "mid", "zeta"]
    assert [s.rank for s in first] == [1, 2, 3]
    assert all(s.tied for s in first)


def test_need_breaks_a_tie_before_the_reference():
    low = ProjectFacts(
        id=1, reference="a", title="A", need=(NeedValue("X", "T", 40),), stage="feasibility"
    )
    # Same total: more need, less deliverability.
    high = ProjectFacts(
        id=2, reference="b", title="B", need=(NeedValue("Y", "T", 80),), stage="idea"
    )
    weights = Weights(need=1, alignment=0, collaboration=0, deliverability=1, value=0)
    # a: (40 + 45) / 2 = 42.5; b: (80 + 10) / 2 = 45 — b first by total; then make them equal:
    assert [s.reference for s in score_all([low, high], weights)] == ["b", "a"]
    equal = ProjectFacts(
        id=3,
        reference="0-first-by-name",
        title="C",
        need=(NeedValue("Z", "T", 75),),
        stage="pipeline",
    )
    ranked = rank([score(high, weights), score(equal, weights)])  # 45 and (75 + 25) / 2 = 50
    assert ranked[0].reference == "0-first-by-name"


def test_weights_are_read_from_a_query_string_with_errors_in_words():
    weights, errors = Weights.parse({"w_need": "60", "w_value": ""})
    assert weights.need == 60 and weights.value == 15 and not errors
    _, errors = Weights.parse({"w_need": "lots"})
    assert errors == {"need": "Enter the weight for need as a number, 0 to 100."}
    _, errors = Weights.parse({"w_alignment": "150"})
    assert errors == {"alignment": "The weight for alignment must be between 0 and 100."}
    weights, errors = Weights.parse(
        {f"w_{n}": "0" for n in ("need", "alignment", "collaboration", "deliverability", "value")}
    )
    assert errors and weights == Weights()


def test_complete_and_withdrawn_projects_keep_their_breakdown_but_are_not_ranked():
    done = ProjectFacts(
        id=1,
        reference="a-done",
        title="Done",
        stage="complete",
        capital_cost=1,
        capital_receipts=10,
    )
    live = ProjectFacts(id=2, reference="b-live", title="Live", stage="idea")
    gone = ProjectFacts(id=3, reference="c-gone", title="Gone", stage="withdrawn")
    ranked = score_all([done, gone, live], Weights())
    assert [(s.reference, s.rank) for s in ranked] == [("b-live", 1), ("a-done", 0), ("c-gone", 0)]
    assert ranked[1].total > ranked[0].total  # a higher score, but finished
