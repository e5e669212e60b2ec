"""The README's first command: `make demo` loads the whole North Midlands demo, and again
changes nothing (every app's loader, in order, through the real data files)."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth"}
        and model._meta.label not in {"audit.ImportRun", "audit.AuditEvent"}
    }


def test_the_demo_loads_every_app_and_a_second_run_adds_nothing(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("load_demo", url="http://127.0.0.1:8222/", stdout=out)
    text = out.getvalue()
    for loader in ("partners", "places", "evidence", "priorities", "estate", "pipeline"):
        assert f"Loading demo data: placeworks.{loader}.demo" in text
    assert "Sign in at http://127.0.0.1:8222/accounts/login/" in text
    password = (tmp_path / "demo-password.txt").read_text().strip()
    assert f"password '{password}'" in text
    first = counts()
    assert first["places.Area"] > 3000 and first["evidence.Observation"] > 100_000
    assert first["pipeline.Project"] == 30 and first["estate.Asset"] > 1000
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    # The "done when": Mid-Nottinghamshire against its region and England.
    profile = client.get("/api/areas/PLACE-MID-NOTTS/profile").json()
    assert profile["parent"]["code"] == "E12000004"  # East Midlands: the districts' region
    assert profile["comparison_group"] == "PLACE areas in East Midlands"
    imd = next(
        row
        for theme in profile["themes"]
        for row in theme["indicators"]
        if row["indicator"] == "iod-imd-score"
    )
    assert imd["parent_value"] is not None and imd["england_value"] is not None
    assert imd["group_size"] == 12
