"""Home page, layout, security headers, health check, error pages, data sources."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_home_page_explains_the_service_in_govuk_layout(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-skip-link" in html
    assert "govuk-phase-banner" in html
    assert "govuk-service-navigation" in html
    assert "govuk-footer" in html
    assert "place-based partnership" in html
    assert "/static/govuk/govuk-frontend.min.css" in html
    assert "/static/htmx/htmx.min.js" in html


def test_strict_content_security_policy_and_no_inline_scripts(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    # Every <script> tag loads a file.
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
    assert " style=" not in html


def test_static_files_are_served(client):
    response = client.get("/static/govuk/govuk-frontend.min.css")
    assert response.status_code == 200
    assert b".govuk-template" in b"".join(response.streaming_content)
    response.close()


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["engine"] == connection.settings_dict["ENGINE"]


def test_not_found_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_data_sources_page_names_publishers_and_licences(client):
    html = client.get("/about/data/").content.decode()
    assert "Open Government Licence" in html
    assert "Indices of Deprivation" in html
