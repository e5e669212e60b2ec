"""The priorities API: plans, priorities, coverage and tagging; permission errors as JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from placeworks.priorities.models import Plan, PlanStatus, Priority

from .helpers import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(geo, orgs, strategy):
    published = make_plan(
        geo["wards"]["Bancroft"],
        orgs["mansfield"],
        priorities=[
            ("Reduce anti-social behaviour", ["community-safety"]),
            ("Support older residents", ["older-people"]),
        ],
    )
    draft = make_plan(
        geo["wards"]["Berry Hill"],
        orgs["mansfield"],
        priorities=[("Secret draft priority", ["mental-health"])],
        status=PlanStatus.DRAFT,
    )
    return {"published": published, "draft": draft}


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, url: str, body: dict):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_plans_list_hides_drafts_from_everyone_but_the_owner(plans, users):
    anonymous = client_for().get("/api/plans?parent=E07000174&period=2025/26").json()
    assert [p["area_name"] for p in anonymous["results"]] == ["Bancroft"]
    assert anonymous["results"][0]["priority_count"] == 2
    owner = client_for(users["viewer"]).get("/api/plans?parent=E07000174").json()
    assert owner["count"] == 2
    assert client_for(users["other_editor"]).get("/api/plans").json()["count"] == 1
    response = client_for().get(f"/api/plans/{plans['draft'].pk}")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_plan_comes_with_its_priorities_themes_and_aims(plans, strategy):
    data = client_for().get(f"/api/plans/{plans['published'].pk}").json()
    assert data["period"] == "2025/26" and data["area_code"] == "E05014610"
    first = data["priorities"][0]
    assert first["themes"] == ["community-safety"] and first["themes_confirmed"]
    assert [a["number"] for a in first["aims"]] == [4]
    assert data["changes_since_previous"] is None


def test_a_plan_answers_with_its_changes_since_last_years_plan(plans, geo, orgs):
    # last year's plan added after this year's: they are linked all the same
    make_plan(
        geo["wards"]["Bancroft"],
        orgs["mansfield"],
        period="2024/25",
        priorities=[
            ("Reduce anti-social behaviour", ["community-safety"]),
            ("Support the food bank", ["cost-of-living"]),
        ],
    )
    data = client_for().get(f"/api/plans/{plans['published'].pk}").json()
    changes = data["changes_since_previous"]
    assert changes["previous_period"] == "2024/25"
    assert changes["dropped"] == ["Support the food bank"]
    texts = {p["id"]: p["text"] for p in data["priorities"]}
    assert [texts[i] for i in changes["kept"]] == ["Reduce anti-social behaviour"]
    assert [texts[i] for i in changes["added"]] == ["Support older residents"]
    assert changes["themes_added"] == ["older-people"]
    assert changes["themes_dropped"] == ["cost-of-living"]


def test_priorities_filter_by_theme_including_sub_themes(plans, users):
    data = client_for().get("/api/priorities?theme=community-safety").json()
    assert [p["text"] for p in data["results"]] == ["Reduce anti-social behaviour"]
    assert client_for().get("/api/priorities?theme=nope").status_code == 400
    assert client_for(users["editor"]).get("/api/priorities").json()["count"] == 3


def test_bad_filters_answer_400_with_a_detail(plans):
    response = client_for().get("/api/plans?period=2025-27")
    assert response.status_code == 400
    assert "not a financial year" in response.json()["detail"]
    assert client_for().get("/api/coverage?by=colour").status_code == 400


def test_coverage_by_theme_and_by_aim(plans, users, strategy):
    data = client_for().get("/api/coverage?parent=E07000174&period=2025/26&by=theme").json()
    assert data["plans"] == 1 and data["unit"] == "wards"
    rows = {row["key"]: row for row in data["rows"]}
    assert (rows["community-safety"]["plans"], rows["community-safety"]["of"]) == (1, 1)
    assert "mental-health" in {g["key"] for g in data["gaps"]}
    ids = f"{plans['published'].pk},{plans['draft'].pk}"
    as_owner = client_for(users["editor"]).get(f"/api/coverage?plans={ids}&by=aim").json()
    assert as_owner["plans"] == 2
    aims = {row["label"]: row["plans"] for row in as_owner["rows"]}
    assert aims["2. The best possible mental health and wellbeing"] == 1
    assert as_owner["matrix"][0]["area_name"] == "Bancroft"
    assert client_for().get(f"/api/coverage?plans={ids}&by=aim").json()["plans"] == 1


def test_tagging_suggests_themes_with_the_words_that_led_to_them():
    response = send(client_for(), "post", "/api/tagging/suggest", {"text": "Tackle fly-tipping"})
    assert response.status_code == 200
    first = response.json()["suggestions"][0]
    assert first["slug"] == "environment" and first["matched"] == ["fly-tipping"]
    assert first["label"] == "Environment"
    too_long = send(client_for(), "post", "/api/tagging/suggest", {"text": "x" * 6000})
    assert too_long.status_code == 422 and "detail" in too_long.json()


def test_ward_names_do_not_suggest_themes(plans, geo):
    # Mansfield has wards called Oak Tree, Ling Forest and Park Hall (see conftest).
    text = "Tackle anti-social behaviour on the Oak Tree estate and in Park Hall"
    response = send(client_for(), "post", "/api/tagging/suggest", {"text": text})
    assert [s["slug"] for s in response.json()["suggestions"]] == ["community-safety"]
    lower = send(client_for(), "post", "/api/tagging/suggest", {"text": "Plant an oak tree"})
    assert [s["slug"] for s in lower.json()["suggestions"]] == ["environment"]
    # an area added later is picked up
    from placeworks.places.models import Area

    Area.objects.create(type="ward", code="E05999998", name="Bluebell Wood", vintage="2024")
    added = send(client_for(), "post", "/api/tagging/suggest", {"text": "Walks in Bluebell Wood"})
    assert [s["slug"] for s in added.json()["suggestions"]] == ["health-wellbeing"]


def test_mental_health_and_wellbeing_suggests_mental_health_first(plans):
    text = "Promote good mental health and wellbeing"
    response = send(client_for(), "post", "/api/tagging/suggest", {"text": text})
    found = response.json()["suggestions"]
    assert [s["slug"] for s in found] == ["mental-health", "health-wellbeing"]
    assert found[0]["matched"] == ["mental health and wellbeing"]


def test_writes_need_a_user_and_the_permission(plans, users):
    priority = plans["published"].priorities.first()
    url = f"/api/priorities/{priority.pk}"
    anonymous = send(client_for(), "patch", url, {"text": "Changed"})
    assert anonymous.status_code == 401 and "detail" in anonymous.json()
    for who in ("viewer", "other_editor"):
        response = send(client_for(users[who]), "patch", url, {"text": "Changed"})
        assert response.status_code == 403, who
        assert "Only editors of Mansfield District Council" in response.json()["detail"]
    created = send(client_for(), "post", "/api/priorities", {"plan_id": 1, "text": "x"})
    assert created.status_code == 401
    assert client_for(users["viewer"]).delete(url).status_code == 403
    priority.refresh_from_db()
    assert priority.text == "Reduce anti-social behaviour"


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("viewer", 403), ("other_editor", 403), ("police", 403)],
)
def test_every_api_write_needs_the_edit_permission(plans, users, orgs, who, status):
    plan = plans["published"]
    priority = plan.priorities.first()
    client = client_for(None if who == "anonymous" else users[who])
    writes = [
        (
            "post",
            "/api/plans",
            {"area_code": "E05014645", "period": "2026/27", "owner": orgs["mansfield"].slug},
        ),
        ("patch", f"/api/plans/{plan.pk}", {"title": "Changed", "status": "draft"}),
        ("post", "/api/priorities", {"plan_id": plan.pk, "text": "New"}),
        ("patch", f"/api/priorities/{priority.pk}", {"text": "Changed", "themes": ["housing"]}),
        ("delete", f"/api/priorities/{priority.pk}", {}),
    ]
    before = (
        list(Plan.objects.values_list("pk", "title", "status")),
        list(Priority.objects.values_list("pk", "text", "themes_confirmed_at")),
    )
    for method, url, body in writes:
        response = send(client, method, url, body)
        assert response.status_code == status, (method, url, response.json())
        assert "detail" in response.json()
    after = (
        list(Plan.objects.values_list("pk", "title", "status")),
        list(Priority.objects.values_list("pk", "text", "themes_confirmed_at")),
    )
    assert after == before


def test_an_editor_adds_changes_confirms_and_deletes_priorities(plans, users, strategy):
    editor = client_for(users["editor"])
    plan = plans["draft"]
    created = send(
        editor,
        "post",
        "/api/priorities",
        {"plan_id": plan.pk, "text": "Tackle fly-tipping", "partners": ["Nottinghamshire Police"]},
    )
    assert created.status_code == 201, created.json()
    record = created.json()
    assert not record["themes_confirmed"] and record["suggestions"][0]["slug"] == "environment"
    assert record["partners"] == [
        {"name": "Nottinghamshire Police", "slug": "nottinghamshire-police"}
    ]
    url = f"/api/priorities/{record['id']}"
    patched = send(
        editor,
        "patch",
        url,
        {"themes": ["environment", "housing"], "aims": [strategy["aims"][0].pk]},
    )
    assert patched.status_code == 200, patched.json()
    data = patched.json()
    assert data["themes"] == ["environment", "housing"] and data["themes_confirmed"]
    assert data["aims_overridden"] and [a["number"] for a in data["aims"]] == [1]
    back = send(editor, "patch", url, {"aims": None}).json()
    assert not back["aims_overridden"] and back["aims"] == []
    bad = send(editor, "patch", url, {"themes": ["no-such-theme"]})
    assert bad.status_code == 422 and "no-such-theme" in bad.json()["detail"]
    assert editor.delete(url).status_code == 204
    assert not Priority.objects.filter(pk=record["id"]).exists()


def test_an_editor_adds_and_publishes_a_plan(geo, orgs, users):
    editor = client_for(users["editor"])
    body = {"area_code": "E05014645", "period": "2025-26", "owner": orgs["mansfield"].slug}
    created = send(editor, "post", "/api/plans", body)
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft" and created.json()["period"] == "2025/26"
    assert send(editor, "post", "/api/plans", body).status_code == 409
    other = send(
        client_for(users["other_editor"]), "post", "/api/plans", body | {"period": "2026/27"}
    )
    assert other.status_code == 403
    plan_id = created.json()["id"]
    published = send(editor, "patch", f"/api/plans/{plan_id}", {"status": "published"})
    assert published.json()["status"] == "published"
    assert client_for().get(f"/api/plans/{plan_id}").status_code == 200
    assert Plan.objects.get(pk=plan_id).status == PlanStatus.PUBLISHED
    unknown = send(editor, "post", "/api/plans", body | {"area_code": "E05999999"})
    assert unknown.status_code == 422
