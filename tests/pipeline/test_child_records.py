"""The rows that hang off a project — partners with roles, assets vacated, reused or new, risks,
funding by funder, key dates, inequalities with their baselines, documents — added and removed
through the pages, each recorded in the change history; and who may do it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from placeworks.audit.models import AuditEvent
from placeworks.pipeline import services
from placeworks.pipeline.models import ProjectIndicator
from tests.estate.factories import AssetFactory
from tests.estate.need_data import components, load_need

pytestmark = pytest.mark.django_db


def actions(project) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="pipeline.project", object_id=str(project.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def rows(projects, users, orgs, settings, tmp_path):
    """One of each child row on the hub, added by a county editor through the services."""
    settings.MEDIA_ROOT = tmp_path
    hub, by = projects["hub"], users["county_editor"]
    return {
        "partner": services.add_partner(
            by=by, project=hub, organisation=orgs["police"], role="adviser"
        ),
        "asset": services.link_asset(by=by, project=hub, role="new", description="Clinic wing"),
        "risk": services.add_risk(
            by=by, project=hub, description="Planning consent refused", severity="high"
        ),
        "funding": services.add_funding(
            by=by, project=hub, funder="One Public Estate", amount_sought=Decimal("500000")
        ),
        "date": services.add_key_date(
            by=by, project=hub, label="Planning decision", date=dt.date(2026, 9, 1)
        ),
        "indicator": services.link_indicator(
            by=by, project=hub, indicator_code="imd-health", baseline_value=1.5
        )[0],
        "document": services.add_document(
            by=by,
            project=hub,
            upload=SimpleUploadedFile("case.pdf", b"%PDF-1.4 business case"),
            title="Business case",
        ),
    }


def removals(hub, rows) -> list[tuple[str, str, str]]:
    """(URL, the message shown, the audit action) of every remove or close button."""
    base = f"/pipeline/{hub.pk}"
    return [
        (
            f"{base}/partners/{rows['partner'].organisation_id}/remove/",
            "Nottinghamshire Police is no longer a partner.",
            "remove_partner",
        ),
        (
            f"{base}/assets/{rows['asset'].pk}/remove/",
            "The asset is no longer linked.",
            "unlink_asset",
        ),
        (f"{base}/risks/{rows['risk'].pk}/close/", "The risk has been closed.", "close_risk"),
        (
            f"{base}/funding/{rows['funding'].pk}/remove/",
            "Funding from One Public Estate has been removed.",
            "remove_funding",
        ),
        (
            f"{base}/dates/{rows['date'].pk}/remove/",
            "Planning decision has been removed.",
            "remove_key_date",
        ),
        (
            f"{base}/inequalities/{rows['indicator'].pk}/remove/",
            "imd-health is no longer linked.",
            "unlink_indicator",
        ),
        (
            f"{base}/documents/{rows['document'].pk}/remove/",
            "Business case has been removed.",
            "delete_document",
        ),
    ]


def test_every_remove_button_removes_its_row_says_so_and_records_it(
    client, projects, users, rows, tmp_path, django_capture_on_commit_callbacks
):
    hub = projects["hub"]
    stored = tmp_path / rows["document"].file.name
    assert stored.exists()
    client.force_login(users["icb_editor"])  # an editor of a partner organisation
    for url, message, action in removals(hub, rows):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, follow=True)
        assert response.redirect_chain == [(f"/pipeline/{hub.pk}/manage/", 302)], url
        assert message in response.content.decode(), url
        assert actions(hub)[-1] == action, url
    hub.refresh_from_db()
    assert not hub.partners.filter(organisation=rows["partner"].organisation).exists()
    assert not hub.asset_links.exists() and not hub.funding.exists()
    assert not hub.key_dates.exists() and hub.indicators.count() == 1  # one of two places
    assert not hub.documents.exists() and not stored.exists()  # the file goes too
    assert [r.is_open for r in hub.risks.all()] == [False]  # closed, kept
    history = client.get(f"/pipeline/{hub.pk}/").content.decode()
    for words in ("Removed a partner", "Unlinked an asset", "Closed a risk", "Removed funding"):
        assert words in history, words
    assert "Removed a key date" in history and "Unlinked an inequality" in history
    assert "Removed a document" in history


def test_remove_buttons_refuse_viewers_hide_from_outsiders_and_need_a_post(
    client, projects, users, rows
):
    hub = projects["hub"]
    for user, status in [
        (users["county_viewer"], 403),  # sees it, may not change it
        (users["police_viewer"], 403),
        (users["outsider"], 403),  # a public project: seen, not changed
    ]:
        client.force_login(user)
        for url, _, _ in removals(hub, rows):
            assert client.post(url).status_code == status, (user, url)
    client.force_login(users["county_editor"])
    for url, _, _ in removals(hub, rows):
        assert client.get(url).status_code == 405, url
    # A row of another project, through this project's address: not found.
    other = services.add_risk(
        by=None, project=projects["homes"], description="Other project's risk", severity="low"
    )
    assert client.post(f"/pipeline/{hub.pk}/risks/{other.pk}/close/").status_code == 404
    # Nothing was removed by any of the refused requests.
    assert hub.partners.count() == 3 and hub.risks.filter(is_open=True).count() == 1
    assert hub.documents.count() == 1 and hub.indicators.count() == 2
    secret = projects["secret"]
    client.force_login(users["police_editor"])
    secret_risk = services.add_risk(
        by=None, project=secret, description="Valuation", severity="low"
    )
    response = client.post(f"/pipeline/{secret.pk}/risks/{secret_risk.pk}/close/")
    assert response.status_code == 404  # cannot see it: as if it did not exist


def test_assets_are_linked_as_vacated_reused_or_new_only_as_far_as_the_user_sees(
    client, projects, users, orgs
):
    hub = projects["hub"]
    library = AssetFactory(owner=orgs["county"], name="Central Library", visibility="public")
    depot = AssetFactory(owner=orgs["police"], name="Police Depot", visibility="organisation")
    services.link_asset(by=users["county_editor"], project=hub, asset=library, role="vacated")
    with pytest.raises(PermissionDenied):
        services.link_asset(by=users["county_editor"], project=hub, asset=depot, role="reused")
    services.add_partner(by=None, project=hub, organisation=orgs["police"], role="occupier")
    services.link_asset(by=users["police_editor"], project=hub, asset=depot, role="reused")
    services.link_asset(by=users["county_editor"], project=hub, role="new", description="Annexe")
    client.force_login(users["county_viewer"])
    page = client.get(f"/pipeline/{hub.pk}/").content.decode()
    assert "Vacated:</strong> <a" in page and "Central Library" in page
    assert "New:</strong> Annexe" in page
    assert "Police Depot" not in page and "1 asset you are not allowed to see" in page
    record = client.get(f"/api/projects/{hub.pk}").json()
    assert {(a["name"], a["role"]) for a in record["assets"]} == {
        ("Central Library", "vacated"),
        ("Annexe", "new"),
    }
    client.force_login(users["police_viewer"])
    record = client.get(f"/api/projects/{hub.pk}").json()
    assert ("Police Depot", "reused") in {(a["name"], a["role"]) for a in record["assets"]}


def test_an_inequality_keeps_the_baseline_captured_when_it_was_linked(
    client, projects, users, areas
):
    """Linked without a value, the baseline of each place served is copied from the evidence
    (value, period, unit, source, when); a later data load does not move it."""
    hub = projects["hub"]
    code = components(None)[0]
    load_need({areas["mansfield"]: 31.5, areas["mid_notts"]: 22.0}, codes=[code], period="2024")
    client.force_login(users["county_editor"])
    response = client.post(f"/pipeline/{hub.pk}/inequalities/", {"indicator_code": code})
    assert response.status_code == 302
    baselines = {link.area.code: link for link in ProjectIndicator.objects.filter(project=hub)}
    assert set(baselines) == {"PLACE01", "E07000174"}  # one per place served
    mansfield = baselines["E07000174"]
    assert (mansfield.baseline_value, mansfield.baseline_period) == (31.5, "2024")
    assert mansfield.indicator_name != code and mansfield.source not in ("", "Entered by hand")
    assert baselines["PLACE01"].baseline_value == 22.0

    load_need({areas["mansfield"]: 99.0, areas["mid_notts"]: 88.0}, codes=[code], period="2025")
    mansfield.refresh_from_db()
    assert (mansfield.baseline_value, mansfield.baseline_period) == (31.5, "2024")
    page = client.get(f"/pipeline/{hub.pk}/").content.decode()
    assert "31.5" in page and mansfield.indicator_name in page
    api = client.get(f"/api/projects/{hub.pk}").json()["inequalities"]
    assert {(i["area_code"], i["baseline_value"]) for i in api} == {
        ("E07000174", 31.5),
        ("PLACE01", 22.0),
    }
