"""Pages and API: filters, the score on the page, the web form's conflict message that keeps
the editor's input, moving cards on the board, the API's CRUD with permissions and versions,
readiness, evidence documents and a draft project from an estate opportunity."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile

from placeworks.partners.models import Visibility
from placeworks.pipeline.models import EvidenceDocument, FundingOpportunity, Project
from placeworks.places.models import Area
from placeworks.priorities.models import PlanStatus
from tests.estate.need_data import components, load_need

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def form_data(client, url) -> dict:
    """The fields of the project form as a browser would post them."""
    page = html(client.get(url))
    data: dict = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        if name not in ("csrfmiddlewaretoken", "themes"):
            data[name] = value.replace("&amp;", "&").replace("&#x27;", "'")
    for name, value in re.findall(
        r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*checked', page
    ):
        data.setdefault(name + "[]", []).append(value)
    data["themes"] = data.pop("themes[]", [])
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = body.strip().replace("&amp;", "&").replace("&#x27;", "'")
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen if name == "places" else (chosen[0] if chosen else "")
    return data


def test_the_pipeline_is_ranked_with_reasons_and_filters_to_a_place(client, projects, users):
    client.force_login(users["manager"])
    page = html(client.get("/pipeline/"))
    assert page.index("Mansfield Health and Wellbeing Hub") < page.index("Derby Youth Hub")
    assert "Collaboration" in page and "3 organisations across 2 sectors" in page
    filtered = html(client.get("/pipeline/?place=PLACE01"))
    assert "Mansfield Health and Wellbeing Hub" in filtered and SECRET in filtered
    assert "Derby Youth Hub" not in filtered
    # A ward in Mansfield finds the projects serving Mansfield and Mid-Nottinghamshire.
    ward = html(client.get("/pipeline/?place=E05000001"))
    assert "Mansfield Health and Wellbeing Hub" in ward and "Ashfield Community Homes" not in ward
    assert "Ashfield Community Homes" in html(client.get("/pipeline/?theme=housing"))
    assert "Derby Youth Hub" not in html(client.get("/pipeline/?stage=business_case"))
    partner = html(client.get("/pipeline/?organisation=mansfield-district-council"))
    assert "Mansfield Health and Wellbeing Hub" in partner and "Derby Youth Hub" not in partner
    bad = client.get("/pipeline/?place=NOWHERE&w_need=lots")
    assert bad.status_code == 400 and "No area with code ‘NOWHERE’" in html(bad)
    assert "Enter the weight for need as a number" in html(bad)


def test_the_api_lists_filters_and_ranks(client, projects, users):
    client.force_login(users["manager"])
    body = client.get("/api/projects?place=PLACE01&theme=housing&stage=feasibility,pipeline").json()
    assert {r["reference"] for r in body["results"]} == {"ashfield-homes", "kirkby-depot-disposal"}
    assert all(r["score"]["rank"] >= 1 for r in body["results"])
    collection = client.get("/api/projects?place=PLACE01&format=geojson").json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 3
    assert client.get("/api/projects?stage=nonsense").status_code == 400


def test_the_project_page_shows_score_breakdown_and_full_history(client, projects, users):
    client.force_login(users["manager"])
    hub = projects["hub"]
    client.post(
        f"/pipeline/{hub.pk}/stage/",
        {"stage": "funding_secured", "version": 1, "reason": "Grant awarded"},
    )
    page = html(client.get(f"/pipeline/{hub.pk}/"))
    assert (
        'id="score-breakdown"' in page
        and "Deliverability" in page
        and "Funding secured stage (85)" in page
    )
    assert "Grant awarded" in page and "Business case → Funding secured" in page
    assert "Moved stage" in page and "programme.manager" in page
    score = client.get(f"/api/projects/{hub.pk}/score?w_need=0").json()
    assert [c["name"] for c in score["components"]] == [
        "need",
        "alignment",
        "collaboration",
        "deliverability",
        "value",
    ]
    assert score["weights"]["need"] == 0 and score["of"] == 4


def test_the_web_form_shows_who_changed_it_and_keeps_the_editors_input(client, projects, users):
    hub = projects["hub"]
    url = f"/pipeline/{hub.pk}/edit/"
    from django.test import Client

    other = Client()
    other.force_login(users["icb_editor"])
    client.force_login(users["county_editor"])
    mine = form_data(client, url)  # both open the form at version 1
    theirs = form_data(other, url)
    assert mine["version"] == "1"

    theirs["title"] = "Mansfield Hub (changed by the ICB)"
    assert other.post(url, theirs).status_code == 302

    mine["summary"] = "My careful new summary"
    response = client.post(url, mine)
    page = html(response)
    assert response.status_code == 409
    assert re.search(r"Changed by icb\.editor at \d\d:\d\d since you opened it\.", page)
    assert "Mansfield Hub (changed by the ICB)" in page  # their change, merged in
    assert "My careful new summary" in page  # my input, kept
    assert Project.objects.get(pk=hub.pk).summary != "My careful new summary"  # not saved yet

    again = form_data_from(page)
    assert again["version"] == "2"
    mine.update(again)
    assert client.post(url, mine).status_code == 302
    saved = Project.objects.get(pk=hub.pk)
    assert saved.title == "Mansfield Hub (changed by the ICB)"
    assert saved.summary == "My careful new summary"
    assert saved.version == 3


def form_data_from(page: str) -> dict:
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        if name in ("version", "title"):
            data[name] = value
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        if name == "summary":
            data[name] = body.strip()
    return data


def test_viewers_get_a_clear_message_and_outsiders_a_not_found(client, projects, users):
    hub, secret = projects["hub"], projects["secret"]
    client.force_login(users["county_viewer"])
    response = client.get(f"/pipeline/{hub.pk}/edit/")
    assert response.status_code == 403
    assert "Only editors of Nottinghamshire County Council or of a partner organisation" in html(
        response
    )
    client.force_login(users["police_editor"])
    assert client.get(f"/pipeline/{hub.pk}/edit/").status_code == 403
    assert client.get(f"/pipeline/{secret.pk}/edit/").status_code == 404
    client.force_login(users["icb_editor"])
    assert client.get(f"/pipeline/{hub.pk}/edit/").status_code == 200


def test_moving_a_card_on_the_board_checks_permission_and_version(client, projects, users):
    hub = projects["hub"]
    client.force_login(users["police_editor"])
    board = html(client.get("/pipeline/board/"))
    assert f'id="card-{hub.pk}"' in board and f'action="/pipeline/{hub.pk}/stage/"' not in board
    refused = client.post(
        f"/pipeline/{hub.pk}/stage/", {"stage": "delivery", "version": 1, "from": "board"}
    )
    assert refused.status_code == 403 and "Only editors of" in html(refused)

    client.force_login(users["icb_editor"])
    board = html(client.get("/pipeline/board/"))
    assert f'action="/pipeline/{hub.pk}/stage/"' in board and "hx-post=" in board
    moved = client.post(
        f"/pipeline/{hub.pk}/stage/",
        {
            "stage": "funding_secured",
            "version": 1,
            "from": "board",
            "return_to": "/pipeline/board/?place=PLACE01",
        },
    )
    assert moved.status_code == 302 and moved["Location"] == "/pipeline/board/?place=PLACE01"
    stale = client.post(
        f"/pipeline/{hub.pk}/stage/",
        {"stage": "delivery", "version": 1, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 200  # htmx swaps the board with the message
    assert "Changed by icb.editor" in html(stale) and "Its stage is now Funding secured" in html(
        stale
    )
    assert Project.objects.get(pk=hub.pk).stage == "funding_secured"


def test_api_create_patch_with_version_conflict_and_withdraw(client, projects, users):
    client.force_login(users["county_editor"])
    created = client.post(
        "/api/projects",
        {
            "title": "Warsop Community Hub",
            "lead": "nottinghamshire-county-council",
            "places": ["E07000174"],
            "themes": ["community-resilience"],
            "partners": [{"organisation": "mansfield-district-council", "role": "landowner"}],
            "capital_cost": "850000",
            "visibility": "partners",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    project = created.json()
    assert project["places"] == [{"code": "E07000174", "name": "Mansfield", "type": "lad"}]
    assert project["partners"][0]["role"] == "landowner" and project["version"] == 1
    url = f"/api/projects/{project['id']}"
    first = client.patch(
        url,
        {"version": 1, "rag_status": "green", "stage": "pipeline"},
        content_type="application/json",
    )
    assert (
        first.status_code == 200
        and first.json()["version"] == 3
        and first.json()["stage"] == "pipeline"
    )
    stale = client.patch(url, {"version": 1, "title": "Stale"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("Changed by county.editor at ")
    assert {"field": "RAG status", "old": "–", "new": "green"} in stale.json()["changes"]
    withdrawn = client.delete(f"{url}?version=3&reason=Merged into the hub")
    assert withdrawn.status_code == 200 and withdrawn.json()["stage"] == "withdrawn"
    assert withdrawn.json()["stage_history"][-1]["reason"] == "Merged into the hub"

    client.force_login(users["county_viewer"])
    denied = client.patch(url, {"version": 4, "title": "x"}, content_type="application/json")
    assert denied.status_code == 403 and "Only editors" in denied.json()["detail"]
    client.logout()
    assert (
        client.post(
            "/api/projects", {"title": "x", "lead": "x"}, content_type="application/json"
        ).status_code
        == 401
    )


def test_readiness_page_and_api_say_what_is_missing(client, projects, users, orgs):
    fund = FundingOpportunity.objects.create(
        slug="ope",
        funder="One Public Estate",
        name="One Public Estate Phase 12 (sample)",
        stage_required="business_case",
        max_grant=Decimal("2000000"),
        required_sectors=["health"],
    )
    client.force_login(users["manager"])
    page = html(client.get(f"/pipeline/funding/{fund.pk}/"))
    assert "No business case yet: the project is at feasibility stage." in page
    assert "No health partner." in page
    body = client.get(f"/api/funding/{fund.pk}/readiness?project={projects['hub'].pk}").json()
    [result] = body["results"]
    assert "Has a health partner." in result["met"]
    assert "Asks £4m, more than the £2m maximum grant." in result["missing"]
    detail = html(client.get(f"/pipeline/{projects['hub'].pk}/?opportunity={fund.pk}"))
    assert "Asks £4m, more than the £2m maximum grant." in detail


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes(folder: str = "word/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def test_evidence_documents_are_checked_and_downloaded_only_by_partners(
    client, projects, users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    hub = projects["hub"]
    client.force_login(users["county_editor"])
    url = f"/pipeline/{hub.pk}/documents/"
    ok = client.post(
        url,
        {
            "file": SimpleUploadedFile("Business case.pdf", pdf_bytes()),
            "title": "Business case",
            "kind": "business_case",
        },
    )
    assert ok.status_code == 302
    assert (
        client.post(
            url, {"file": SimpleUploadedFile("plan.docx", docx_bytes()), "kind": "plan"}
        ).status_code
        == 302
    )
    for name, content, message in [
        ("fake.pdf", b"MZ not a pdf", "(PDF expected)"),
        ("sheet.docx", docx_bytes("xl/"), "(Word (.docx) expected)"),
        ("run.exe", b"MZ", "must be a PDF, Word (.docx), Excel (.xlsx), CSV, PNG or JPEG file"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "must be smaller than 10 MB"),
    ]:
        refused = client.post(url, {"file": SimpleUploadedFile(name, content), "kind": "other"})
        assert refused.status_code == 400 and message in html(refused), name
    document = EvidenceDocument.objects.get(title="Business case")
    assert (
        document.file.name.startswith(f"evidence/{hub.pk}/")
        and document.content_type == "application/pdf"
    )
    assert (tmp_path / document.file.name).exists()
    download = f"/pipeline/{hub.pk}/documents/{document.pk}/"
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
    assert 'attachment; filename="Business case.pdf"' in response["Content-Disposition"]
    client.logout()
    assert client.get(download).status_code == 404  # public project, but documents are for partners
    client.force_login(users["police_viewer"])
    partner = client.get(download)
    assert partner.status_code == 200  # a partner who may see the project
    assert b"".join(partner.streaming_content) == pdf_bytes()  # consuming closes the file
    secret_doc = EvidenceDocument.objects.create(
        project=projects["secret"],
        title="Valuation",
        file="evidence/x.pdf",
        original_name="v.pdf",
        content_type="application/pdf",
        size_bytes=1,
        sha256="0",
    )
    assert (
        client.get(f"/pipeline/{projects['secret'].pk}/documents/{secret_doc.pk}/").status_code
        == 404
    )


def test_managing_partners_risks_funding_dates_and_indicators(client, projects, users, orgs, areas):
    hub = projects["hub"]
    client.force_login(users["county_editor"])
    base = f"/pipeline/{hub.pk}"
    assert (
        client.post(
            f"{base}/partners/", {"organisation": orgs["police"].pk, "role": "occupier"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/risks/", {"description": "Planning consent refused", "severity": "high"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/funding/",
            {"funder": "One Public Estate", "amount_sought": "500000", "amount_secured": "250000"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/dates/", {"label": "Planning decision", "date": "2026-09-01"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/inequalities/",
            {
                "indicator_code": "imd-health",
                "indicator_name": "Health deprivation",
                "baseline_value": "1.2",
                "baseline_period": "2025",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/assets/", {"description": "New-build clinic wing", "role": "new"}
        ).status_code
        == 302
    )
    bad = client.post(f"{base}/risks/", {"description": "", "severity": "high"})
    assert bad.status_code == 400 and "There is a problem" in html(bad)
    page = html(client.get(f"{base}/"))
    for text in (
        "Nottinghamshire Police (occupier",
        "Planning consent refused",
        "£500,000",
        "Planning decision",
        "Health deprivation",
        "New-build clinic wing",
    ):
        assert text in page, text
    linked = hub.indicators.all()
    assert {link.area.code for link in linked} == {"PLACE01", "E07000174"}  # one baseline per place
    assert all(link.baseline_value == 1.2 for link in linked)
    history = html(client.get(f"{base}/"))
    assert "Added a risk" in history and "Linked an inequality" in history


@pytest.fixture
def need_index(areas):
    """The evidence app's need index, loaded for real, over ten 2024 districts — Mansfield the
    highest need (rank 1), Ashfield second, Derby last — and the two PLACE areas; the health
    index for the districts alone."""
    others = [
        Area.objects.create(type="lad", code=f"E0799{n:04d}", name=f"District {n}", vintage="2024")
        for n in range(7)
    ]
    districts = {areas["mansfield"]: 10.0, areas["ashfield"]: 9.0, areas["derby"]: 1.0}
    districts |= {area: 2.0 + n for n, area in enumerate(others)}
    load_need(districts | {areas["mid_notts"]: 5.0, areas["derby_city"]: 1.0})
    health = [c for c in components("health-wellbeing") if "mood" not in c and "mental" not in c]
    load_need(districts, codes=health)
    return districts


def test_need_from_the_evidence_app_drives_the_need_component(client, projects, users, need_index):
    client.force_login(users["manager"])
    body = client.get(
        "/api/projects?w_need=100&w_alignment=0&w_collaboration=0&w_deliverability=0&w_value=0"
    ).json()
    order = [r["reference"] for r in body["results"]]
    assert order[-1] == "derby-youth-hub"  # Derby: the lowest need of the ten districts
    score = client.get(f"/api/projects/{projects['hub'].pk}/score").json()
    need = next(c for c in score["components"] if c["name"] == "need")
    reason = need["reason"]
    # Mansfield on the project's health theme; the PLACE area (no health index) on overall need
    assert "Mansfield 100 on Physical health and wellbeing (decile 1)" in reason
    assert "Mid-Nottinghamshire 100 on overall need" in reason
    assert "among 10 districts (2024)" in reason and "among 2 PLACE areas (2024)" in reason
    assert "England" not in reason
    fund = FundingOpportunity.objects.create(
        slug="f", funder="F", name="Deprived places fund", min_need_decile=1
    )
    readiness = client.get(f"/api/funding/{fund.pk}/readiness").json()["results"]
    by_ref = {r["reference"]: r for r in readiness}
    assert by_ref["mansfield-hub"]["ready"] is True
    assert "the highest is in need decile 2" in by_ref["ashfield-homes"]["missing"][0]


def test_without_a_need_index_need_scores_nothing_and_says_so(client, projects, users):
    client.force_login(users["manager"])
    score = client.get(f"/api/projects/{projects['hub'].pk}/score").json()
    need = next(c for c in score["components"] if c["name"] == "need")
    assert need["score"] == 0 and "No need index is loaded" in need["reason"]


def test_a_plan_the_user_may_not_see_does_not_explain_the_score(
    client, projects, users, orgs, areas
):
    from tests.priorities.helpers import make_plan

    secret = "Close the Mansfield clinic and move it into the hub"
    make_plan(
        areas["mansfield"],
        orgs["district"],
        priorities=[(secret, ["health-wellbeing"])],
        status=PlanStatus.DRAFT,  # a draft: only Mansfield District Council's members see it
    )
    hub = projects["hub"]

    def seen_by(user) -> tuple[str, str]:
        client.force_login(user)
        score = client.get(f"/api/projects/{hub.pk}/score").json()
        alignment = next(c for c in score["components"] if c["name"] == "alignment")
        return alignment["reason"], html(client.get(f"/pipeline/{hub.pk}/"))

    reason, page = seen_by(users["district_editor"])
    assert secret in reason and secret in page  # the owner's members: the priority explains it
    # The police may see the (public) project but not the draft plan, nor that one exists.
    reason, page = seen_by(users["police_viewer"])
    assert secret not in reason and secret not in page
    assert "No local plans are loaded for these places" in reason


def give_boundary(area: Area, box: tuple[float, float, float, float]) -> None:
    geometry = shapely.box(*box)
    Area.objects.filter(pk=area.pk).update(
        geometry_wkb=shapely.to_wkb(geometry),
        min_lon=box[0],
        min_lat=box[1],
        max_lon=box[2],
        max_lat=box[3],
    )


def test_a_draft_project_from_an_estate_opportunity(client, projects, users, orgs, areas):
    """The estate's real finder finds the cluster; the draft has its assets, places and owners."""
    from placeworks.estate.opportunities import find_opportunities
    from tests.estate.factories import AssetFactory

    # Boundaries for the ward and Mansfield, so assets fall in them (the PLACE area is a
    # grouping without a boundary: found through the hierarchy).
    give_boundary(areas["ward"], (-1.25, 53.12, -1.15, 53.16))
    give_boundary(areas["mansfield"], (-1.30, 53.10, -1.10, 53.20))
    library = AssetFactory(
        owner=orgs["county"],
        name="Central Library",
        visibility="public",
        status="under_used",
        lon=-1.2030,
        lat=53.1440,
        floor_area_m2=2000,
        annual_running_cost=200_000,
    )
    AssetFactory(
        owner=orgs["police"],
        name="Police Station",
        visibility="partners",
        status="operational",
        lon=-1.2020,
        lat=53.1440,
    )
    AssetFactory(
        owner=orgs["county"],
        name="County Depot",
        visibility="organisation",
        status="surplus",
        lon=-1.2030,
        lat=53.1445,
    )
    client.force_login(users["county_editor"])
    [opportunity] = find_opportunities(users["county_editor"]).opportunities
    assert opportunity.anchor == library or library in opportunity.assets
    response = client.post("/pipeline/from-opportunity/", {"opportunity": opportunity.key})
    project = Project.objects.get(source_opportunity=opportunity.key)
    assert response.status_code == 302 and response["Location"] == f"/pipeline/{project.pk}/edit/"
    assert project.lead == orgs["county"] and project.stage == "idea"
    assert [(p.organisation, p.role) for p in project.partners.all()] == [
        (orgs["police"], "landowner")
    ]
    assert {a.code for a in project.places.all()} == {"PLACE01", "E07000174", "E05000001"}
    assert {(link.asset.name, link.role) for link in project.asset_links.all()} == {
        ("Central Library", "vacated"),  # under-used
        ("Police Station", "reused"),
        ("County Depot", "vacated"),  # surplus
    }
    assert project.visibility == Visibility.ORGANISATION  # a confidential asset is involved
    assert project.title == "Shared site around Central Library, Mansfield Town Centre"
    assert "3 assets of 2 organisations lie within 800 m of each other." in project.summary
    assert "Central Library (Nottinghamshire County Council) is under-used." in project.summary
    assert "1 more asset confidential to its owner." in project.summary
    assert "£200,000 a year" in project.summary
    # The police see a draft, but not the county's confidential depot in it.
    client.force_login(users["police_viewer"])
    page = html(client.get(f"/pipeline/{project.pk}/"))
    assert "Police Station" in page and "County Depot" not in page
    assert "1 asset you are not allowed to see" in page
    client.force_login(users["county_editor"])
    gone = client.post("/pipeline/from-opportunity/", {"opportunity": "999999-800-50"})
    assert gone.status_code == 302 and gone["Location"] == "/assets/opportunities/"


def test_the_estate_finder_offers_the_draft_project_action(client, users):
    from placeworks.contributions import collect

    assert ("Make a draft project", "pipeline:from-opportunity") in collect("OPPORTUNITY_ACTIONS")


def test_the_table_and_the_api_sort_by_any_column_both_ways(client, projects, users):
    client.force_login(users["manager"])

    def order(url: str) -> list[str]:
        return [r["reference"] for r in client.get(url).json()["results"]]

    assert order("/api/projects?sort=title") == [
        "ashfield-homes",
        "derby-youth-hub",
        "kirkby-depot-disposal",
        "mansfield-hub",
    ]
    assert order("/api/projects?sort=-title") == order("/api/projects?sort=title")[::-1]
    assert order("/api/projects?sort=-capital_cost")[:3] == [
        "mansfield-hub",
        "ashfield-homes",
        "kirkby-depot-disposal",
    ]
    assert order("/api/projects?sort=stage") == [
        "derby-youth-hub",  # idea
        "kirkby-depot-disposal",  # pipeline
        "ashfield-homes",  # feasibility
        "mansfield-hub",  # business case
    ]
    page = html(client.get("/pipeline/?sort=-capital_cost"))
    positions = [page.index(t) for t in ("Mansfield Health", "Ashfield Community", SECRET)]
    assert positions == sorted(positions)
    assert 'href="?sort=-title"' not in page and 'href="?sort=title"' in page
    assert 'href="?sort=capital_cost"' in page  # the current column's link reverses it


def test_the_dashboard_adds_up_by_stage_and_by_place(client, projects, users):
    client.force_login(users["manager"])
    page = html(client.get("/pipeline/dashboard/"))
    by_stage = page[page.index('id="by-stage"') : page.index('id="by-place"')]
    by_place = page[page.index('id="by-place"') :]
    row = re.search(r"Business case</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>([^<]*)<", by_stage)
    assert row and row.groups() == ("1", "£4,000,000")
    row = re.search(r"Mid-Nottinghamshire</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>([^<]*)<", by_place)
    assert row and row.groups() == ("3", "£6,500,000")  # hub, homes and the disposal
    row = re.search(r"Derby City</th>\s*<td[^>]*>(\d+)</td>", by_place)
    assert row and row.group(1) == "1"
    filtered = client.get("/api/pipeline/totals?place=PLACE02").json()
    assert filtered["total"]["projects"] == 1


def test_the_api_checks_partner_roles_and_records_partners_on_creation(client, projects, users):
    client.force_login(users["county_editor"])

    def create(partners):
        return client.post(
            "/api/projects",
            {"title": "Warsop Hub", "lead": "nottinghamshire-county-council", "partners": partners},
            content_type="application/json",
        )

    bogus = create([{"organisation": "mansfield-district-council", "role": "boss"}])
    assert bogus.status_code == 400 and "‘boss’ is not a partner role" in bogus.json()["detail"]
    twice = create(
        [
            {"organisation": "mansfield-district-council", "role": "funder"},
            {"organisation": "mansfield-district-council", "role": "adviser"},
        ]
    )
    assert twice.status_code == 400
    assert "Mansfield District Council is listed more than once" in twice.json()["detail"]
    assert not Project.objects.filter(title="Warsop Hub").exists()
    made = create([{"organisation": "mansfield-district-council", "role": "funder"}])
    assert made.status_code == 201
    history = client.get(f"/api/projects/{made.json()['id']}/history").json()
    assert {"field": "Partner: Mansfield District Council", "old": "–", "new": "Funder"} in (
        history[0]["changes"]
    )


def test_only_platform_administrators_manage_funding_opportunities(client, projects, users):
    form = {
        "name": "Towns Fund (test)",
        "funder": "MHCLG",
        "themes": [],
        "area_types": ["lad"],
        "stage_required": "business_case",
        "max_grant": "3000000",
        "match_funding_percent": "25",
        "required_sectors": ["health"],
        "min_need_decile": "",
        "deadline": "",
        "description": "",
        "url": "",
    }
    client.force_login(users["manager"])  # an administrator of an organisation, not the platform
    assert client.get("/pipeline/funding/new/").status_code == 403
    assert client.post("/pipeline/funding/new/", form).status_code == 403
    client.force_login(users["admin"])
    saved = client.post("/pipeline/funding/new/", form)
    fund = FundingOpportunity.objects.get(name="Towns Fund (test)")
    assert saved.status_code == 302 and saved["Location"] == f"/pipeline/funding/{fund.pk}/"
    assert fund.required_sectors == ["health"] and fund.match_funding_percent == 25
    listed = client.get(f"/api/funding/{fund.pk}").json()
    assert listed["stage_required"] == "business_case" and listed["max_grant"] == 3_000_000
    client.force_login(users["manager"])
    assert client.post(f"/pipeline/funding/{fund.pk}/edit/", form).status_code == 403
    readiness = client.get(f"/api/funding/{fund.pk}/readiness?project={projects['hub'].pk}")
    [result] = readiness.json()["results"]
    assert "No match funding secured; the fund needs 25%." in result["missing"]
