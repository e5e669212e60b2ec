"""The priorities pages: plans, a plan, editing with suggestions, confirming in bulk, coverage,
imports through the web and exports safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from placeworks.priorities.models import Plan, PlanStatus, Priority

from .conftest import FIXTURES, SAMPLES
from .helpers import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(geo, orgs, strategy):
    return make_plan(
        geo["wards"]["Bancroft"],
        orgs["mansfield"],
        priorities=[
            ("Reduce anti-social behaviour", ["community-safety"]),
            ("Tackle fly-tipping", None),
        ],
        is_sample=True,
    )


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_the_plans_page_lists_plans_by_area_and_year_labelled_as_sample_data(plan):
    response = client_for().get("/priorities/?parent=E07000174&period=2025/26")
    assert response.status_code == 200
    page = text(response)
    assert "Bancroft" in page and "2025/26" in page
    assert "Illustrative sample data" in page and "Sample data" in page
    assert client_for().get("/priorities/?period=nonsense").status_code == 400


def test_the_plan_page_shows_priorities_themes_aims_and_changes(plan, geo, orgs):
    earlier = make_plan(
        geo["wards"]["Bancroft"],
        orgs["mansfield"],
        period="2024/25",
        priorities=[("Reduce anti-social behaviour", ["community-safety"])],
    )
    plan.refresh_from_db()
    page = text(client_for().get(f"/priorities/plans/{plan.pk}/"))
    assert "Crime and community safety" in page
    assert "Live in healthy, safe and resilient communities" in page
    assert "Awaiting confirmation" in page
    assert f"Changes since {earlier.period}" in page and "New" in page
    assert "Illustrative sample data" in page
    assert "Add a priority" not in page  # not an editor


def test_drafts_are_not_found_by_outsiders(geo, orgs, users):
    draft = make_plan(geo["wards"]["Oakham"], orgs["mansfield"], status=PlanStatus.DRAFT)
    assert client_for().get(f"/priorities/plans/{draft.pk}/").status_code == 404
    assert (
        client_for(users["other_editor"]).get(f"/priorities/plans/{draft.pk}/").status_code == 404
    )
    assert client_for(users["viewer"]).get(f"/priorities/plans/{draft.pk}/").status_code == 200


def test_a_viewer_cannot_edit_a_priority(plan, users):
    priority = plan.priorities.first()
    for who in ("viewer", "other_editor"):
        response = client_for(users[who]).post(
            f"/priorities/{priority.pk}/edit/", {"text": "Changed", "action": "save"}
        )
        assert response.status_code == 403, who
    priority.refresh_from_db()
    assert priority.text == "Reduce anti-social behaviour"
    assert client_for().get(f"/priorities/{priority.pk}/edit/").status_code == 302  # sign in


def _state() -> list:
    """Everything a write could change: plans, priorities with their themes and aims."""
    return [
        list(
            Plan.objects.order_by("pk").values_list("pk", "title", "summary", "status", "sharing")
        ),
        [
            (p.pk, p.text, p.actions, p.lead, p.themes_confirmed_at, p.aims_overridden)
            + (sorted(p.themes.values_list("slug", flat=True)),)
            for p in Priority.objects.order_by("pk")
        ],
    ]


# Every page that writes, with a request that an editor's would change something.
def _web_writes(plan, priority, orgs, geo):
    return [
        ("get", "/priorities/plans/new/", {}),
        (
            "post",
            "/priorities/plans/new/",
            {
                "owner": orgs["mansfield"].pk,
                "area": geo["wards"]["Oak Tree"].code,
                "period": "2025/26",
                "sharing": "public",
            },
        ),
        (
            "post",
            f"/priorities/plans/{plan.pk}/edit/",
            {"title": "Changed", "status": "draft", "sharing": "public"},
        ),
        ("post", f"/priorities/plans/{plan.pk}/publish/", {}),
        ("post", f"/priorities/plans/{plan.pk}/priorities/new/", {"text": "New", "action": "save"}),
        ("post", f"/priorities/{priority.pk}/edit/", {"text": "Changed", "action": "save"}),
        ("post", f"/priorities/{priority.pk}/delete/", {}),
        ("get", "/priorities/import/", {}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "viewer", "other_editor", "police"])
def test_no_page_writes_without_the_edit_permission(geo, orgs, users, who):
    plan = make_plan(
        geo["wards"]["Bancroft"],
        orgs["mansfield"],
        priorities=[("Tackle fly-tipping", None)],
        status=PlanStatus.DRAFT,
    )
    priority = plan.priorities.get()
    before = _state()
    client = client_for(None if who == "anonymous" else users[who])
    for method, url, data in _web_writes(plan, priority, orgs, geo):
        response = getattr(client, method)(url, data)
        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], url
        elif who == "other_editor" and method == "get":
            # an editor elsewhere may open the add and import pages, for their own plans only
            assert response.status_code == 200
        elif who == "other_editor" and url.endswith("/plans/new/"):
            assert response.status_code == 400  # Mansfield is not among the owners offered
        else:
            # a draft is not even found by other organisations
            assert response.status_code in {403, 404}, (url, response.status_code)
    # bulk confirmation only offers the priorities the user may change
    client.post(
        "/priorities/review/", {"priority": [priority.pk], f"themes-{priority.pk}": ["housing"]}
    )
    assert _state() == before


def test_an_editor_may_make_every_web_write(geo, orgs, users):
    plan = make_plan(
        geo["wards"]["Bancroft"],
        orgs["mansfield"],
        priorities=[("Tackle fly-tipping", None)],
        status=PlanStatus.DRAFT,
    )
    priority = plan.priorities.get()
    editor = client_for(users["editor"])
    for method, url, data in _web_writes(plan, priority, orgs, geo):
        response = getattr(editor, method)(url, data)
        assert response.status_code in {200, 302}, (url, response.status_code)
    assert Plan.objects.filter(area=geo["wards"]["Oak Tree"]).exists()
    assert not Priority.objects.filter(pk=priority.pk).exists()


def test_the_edit_page_shows_each_suggestion_with_its_explanation(plan, users):
    priority = plan.priorities.get(text="Tackle fly-tipping")
    page = text(client_for(users["editor"]).get(f"/priorities/{priority.pk}/edit/"))
    assert 'hx-post="/priorities/suggest/"' in page
    assert "because it mentions <q>fly-tipping</q>" in page
    assert 'value="environment" checked' in page  # unconfirmed: the suggestion is ticked
    assert "not been confirmed yet" in page


def test_live_suggestions_and_ticking_them(users, themes):
    editor = client_for(users["editor"])
    fragment = text(editor.post("/priorities/suggest/", {"text": "Reduce ASB and dog fouling"}))
    assert "Crime and community safety" in fragment and "<q>ASB</q>" in fragment
    assert "<q>dog fouling</q>" in fragment
    assert "Tick the suggested themes" in fragment
    empty = text(editor.post("/priorities/suggest/", {"text": "The meeting is on Tuesday"}))
    assert "No themes suggested" in empty
    ticked = text(
        editor.post("/priorities/suggest/apply/", {"text": "Reduce ASB", "themes": ["housing"]})
    )
    assert 'value="community-safety" checked' in ticked and 'value="housing" checked' in ticked
    assert 'value="environment" checked' not in ticked


def test_saving_a_priority_confirms_its_themes_and_partners(plan, users, themes):
    priority = plan.priorities.get(text="Tackle fly-tipping")
    response = client_for(users["editor"]).post(
        f"/priorities/{priority.pk}/edit/",
        {
            "text": "Tackle fly-tipping and litter",
            "themes": ["environment", "housing"],
            "actions": "Litter picks",
            "lead": "Street scene team",
            "partners": "Nottinghamshire Police\nFriends of the Park",
            "action": "save",
        },
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.text == "Tackle fly-tipping and litter" and priority.themes_confirmed
    assert sorted(t.slug for t in priority.themes.all()) == ["environment", "housing"]
    assert [o.name for o in priority.partners.all()] == ["Nottinghamshire Police"]
    assert priority.other_partners == "Friends of the Park"


def test_without_javascript_the_form_can_tick_the_suggestions(plan, users):
    response = client_for(users["editor"]).post(
        f"/priorities/plans/{plan.pk}/priorities/new/",
        {"text": "Reduce speeding outside schools", "action": "apply"},
    )
    page = text(response)
    assert 'value="transport-road-safety" checked' in page
    assert not Priority.objects.filter(text__startswith="Reduce speeding").exists()


def test_adding_a_priority(plan, users):
    response = client_for(users["editor"]).post(
        f"/priorities/plans/{plan.pk}/priorities/new/",
        {"text": "More activities for young people", "themes": ["children-young-people"]},
    )
    assert response.status_code == 302
    added = plan.priorities.get(text="More activities for young people")
    assert added.number == 3 and added.themes_confirmed


def test_confirming_suggested_themes_in_bulk(plan, users):
    editor = client_for(users["editor"])
    page = text(editor.get("/priorities/review/?parent=E07000174"))
    pending = plan.priorities.get(text="Tackle fly-tipping")
    assert f'name="themes-{pending.pk}"' in page and "<q>fly-tipping</q>" in page
    response = editor.post(
        "/priorities/review/?parent=E07000174",
        {"priority": [pending.pk], f"themes-{pending.pk}": ["environment"]},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.themes_confirmed and [t.slug for t in pending.themes.all()] == ["environment"]
    assert (
        client_for(users["viewer"]).post("/priorities/review/", {"priority": [1]}).status_code
        == 302
    )
    assert "No priorities you can edit" in text(
        client_for(users["viewer"]).get("/priorities/review/")
    )


def test_the_coverage_page_has_a_chart_and_a_table_with_the_same_numbers(plan, users):
    page = text(client_for().get("/priorities/coverage/?parent=E07000174&period=2025/26"))
    assert "Plans in Mansfield for 2025/26: 1 ward with 2 priorities." in page
    assert 'class="pw-bars__fill pw-w-100"' in page  # community safety: 1 of 1
    assert "1 of 1" in page
    assert "Gaps: aims no ward takes up" in page
    assert "The best possible mental health and wellbeing" in page
    assert "Illustrative sample data" in page
    assert "1 priority has suggested themes that nobody has confirmed yet" in page
    drill = text(client_for().get("/priorities/coverage/themes/community-safety/?parent=E07000174"))
    assert "Reduce anti-social behaviour" in drill and "Tackle fly-tipping" not in drill
    assert "style=" not in page  # strict CSP: no inline styles


def test_the_web_upload_runs_the_same_importer(geo, orgs, users):
    editor = client_for(users["editor"])

    def upload(commit: bool):
        with (SAMPLES / "mansfield_ward_plans.csv").open("rb") as handle:
            data = {
                "file": SimpleUploadedFile("wards.csv", handle.read(), content_type="text/csv"),
                "format": "auto",
                "owner": orgs["mansfield"].pk,
                "parent": geo["mansfield"].pk,
                "period": "",
                "status": "draft",
            }
        if commit:
            data["commit"] = "on"
        return editor.post("/priorities/import/", data)

    checked = upload(commit=False)
    assert checked.status_code == 200 and "Dry run" in text(checked)
    assert not Plan.objects.exists()
    imported = upload(commit=True)
    assert "Imported" in text(imported) and Plan.objects.count() == 70
    with (FIXTURES / "bad_plans.csv").open("rb") as handle:
        bad = editor.post(
            "/priorities/import/",
            {
                "file": SimpleUploadedFile("bad.csv", handle.read()),
                "format": "csv",
                "owner": orgs["mansfield"].pk,
                "status": "draft",
                "commit": "on",
            },
        )
    assert bad.status_code == 400 and "The file was not imported" in text(bad)
    assert "Berry Hill" in text(bad)


def test_other_organisations_cannot_import_into_your_plans(geo, orgs, users):
    response = client_for(users["other_editor"]).post(
        "/priorities/import/",
        {
            "file": SimpleUploadedFile("wards.csv", b"area_code,period,priority\n"),
            "format": "csv",
            "owner": orgs["mansfield"].pk,
            "status": "draft",
        },
    )
    assert response.status_code == 400  # Mansfield is not among the owners offered
    assert client_for(users["viewer"]).get("/priorities/import/").status_code == 403


# --- exports ------------------------------------------------------------------------------------

# Leading tabs and carriage returns are stripped from priorities when saved; safe_cell's own
# test covers them.
DANGEROUS = ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]


@pytest.fixture
def dangerous(geo, orgs):
    return make_plan(
        geo["wards"]["Bancroft"],
        orgs["mansfield"],
        priorities=[(text, None) for text in DANGEROUS] + [("Reduce - ASB", None)],
    )


def test_the_csv_export_escapes_formulas(dangerous):
    response = client_for().get("/priorities/export.csv?parent=E07000174")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    texts = [row["priority"] for row in rows]
    for value in DANGEROUS:
        assert "'" + value in texts, value
    assert "Reduce - ASB" in texts  # a dash inside the text is harmless


def test_the_xlsx_export_escapes_formulas_and_keeps_numbers(dangerous):
    response = client_for().get("/priorities/export.xlsx?parent=E07000174")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    column = headers.index("priority")
    values = [row[column].value for row in sheet.iter_rows(min_row=2)]
    for value in DANGEROUS:
        assert "'" + value in values, value
    assert all(row[column].data_type == "s" for row in sheet.iter_rows(min_row=2))
    numbers = [row[headers.index("number")].value for row in sheet.iter_rows(min_row=2)]
    assert numbers == list(range(1, len(DANGEROUS) + 2))


def test_the_coverage_exports(plan):
    rows = list(
        csv.DictReader(
            io.StringIO(text(client_for().get("/priorities/coverage.csv?parent=E07000174")))
        )
    )
    safety = next(r for r in rows if r["key"] == "community-safety")
    assert (safety["plans"], safety["of"]) == ("1", "1")
    workbook = load_workbook(
        io.BytesIO(client_for().get("/priorities/coverage.xlsx?parent=E07000174").content)
    )
    assert workbook.sheetnames == ["Coverage", "Alignment matrix", "Unrecognised need", "About"]
    assert "SAMPLE DATA" in workbook["About"]["A1"].value
    assert client_for().get("/priorities/coverage.pdf").status_code == 404
