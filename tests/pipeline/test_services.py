"""Writes: audit diffs, the dated stage history with reasons, version conflicts that never lose
an update, and who may change what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from placeworks.audit.models import AuditEvent
from placeworks.pipeline import services
from placeworks.pipeline.models import Project, Stage

pytestmark = pytest.mark.django_db


def events(project):
    return AuditEvent.objects.filter(object_type="pipeline.project", object_id=str(project.pk))


def test_creating_a_project_records_its_fields_stage_and_first_version(projects):
    hub = projects["hub"]
    created = events(hub).get(action="create")
    assert created.changes["title"] == [None, "Mansfield Health and Wellbeing Hub"]
    assert created.changes["capital_cost"] == [None, "4000000.00"]
    assert created.changes["stage"] == [None, "business_case"]
    assert created.changes["version"] == [0, 1]
    assert [c.to_stage for c in hub.stage_history.all()] == ["business_case"]


def test_an_update_records_who_changed_which_fields_from_what_to_what(projects, users):
    hub = projects["hub"]
    saved = services.update_project(
        by=users["icb_editor"],
        project=hub,
        expected_version=1,
        title="Mansfield Hub",
        capital_cost=Decimal("4250000"),
        summary=hub.summary,  # unchanged: not recorded
    )
    assert saved.version == 2 and saved.title == "Mansfield Hub"
    update = events(hub).get(action="update")
    assert update.actor == users["icb_editor"]
    assert update.changes == {
        "title": ["Mansfield Health and Wellbeing Hub", "Mansfield Hub"],
        "capital_cost": ["4000000.00", "4250000.00"],
        "version": [1, 2],
    }


def test_saving_without_changes_writes_nothing(projects, users):
    hub = projects["hub"]
    saved = services.update_project(
        by=users["county_editor"], project=hub, expected_version=1, title=hub.title
    )
    assert saved.version == 1 and not events(hub).filter(action="update").exists()


def test_stage_history_is_dated_with_reasons_and_backward_moves_need_one(projects, users):
    homes = projects["homes"]
    editor = users["district_editor"]
    homes = services.change_stage(
        by=editor,
        project=homes,
        stage=Stage.BUSINESS_CASE,
        expected_version=1,
        reason="Feasibility study signed off",
    )
    with pytest.raises(ValidationError, match="Give a reason for moving the project back"):
        services.change_stage(by=editor, project=homes, stage=Stage.FEASIBILITY, expected_version=2)
    with pytest.raises(ValidationError, match="Give a reason why the project is paused"):
        services.change_stage(by=editor, project=homes, stage=Stage.PAUSED, expected_version=2)
    homes = services.change_stage(
        by=editor,
        project=homes,
        stage=Stage.PAUSED,
        expected_version=2,
        reason="Waiting for the housing association board",
    )
    history = list(homes.stage_history.all())
    assert [(c.from_stage, c.to_stage) for c in history] == [
        ("", "feasibility"),
        ("feasibility", "business_case"),
        ("business_case", "paused"),
    ]
    assert history[2].reason == "Waiting for the housing association board"
    assert history[2].by == editor and history[2].changed_at == homes.stage_changed_at
    moved = events(homes).filter(action="change_stage").first()
    assert moved.changes["stage"] == ["business_case", "paused"]
    assert moved.changes["reason"] == [None, "Waiting for the housing association board"]


def test_two_edits_from_the_same_version_the_second_is_told_who_and_nothing_is_lost(
    projects, users
):
    hub = projects["hub"]
    opened = hub.version
    services.update_project(
        by=users["icb_editor"],
        project=hub,
        expected_version=opened,
        title="Mansfield Hub (ICB)",
        capital_cost=Decimal("4500000"),
    )
    with pytest.raises(services.ConflictError) as info:
        services.update_project(
            by=users["county_editor"],
            project=hub,
            expected_version=opened,
            summary="County summary",
        )
    conflict = info.value
    assert str(conflict).startswith("Changed by icb.editor at ")
    assert str(conflict).endswith(" since you opened it.")
    assert conflict.by == users["icb_editor"]
    assert conflict.changes == {
        "title": ["Mansfield Health and Wellbeing Hub", "Mansfield Hub (ICB)"],
        "capital_cost": ["4000000.00", "4500000.00"],
    }
    current = Project.objects.get(pk=hub.pk)
    assert current.summary == "Library, clinics and council services under one roof."  # not written

    # The county editor's form is rebased: their change kept, the ICB's changes taken in.
    submitted = services.snapshot(hub) | {"summary": "County summary"}
    submitted["title"] = "Mansfield Health and Wellbeing Hub"  # as they opened it
    submitted["capital_cost"] = "4000000.00"
    rebased = services.rebase(current, conflict, submitted)
    assert rebased.values["title"] == "Mansfield Hub (ICB)"
    assert rebased.values["capital_cost"] == "4500000.00"
    assert rebased.values["summary"] == "County summary"
    assert rebased.clashes == {}
    saved = services.update_project(
        by=users["county_editor"],
        project=current,
        expected_version=rebased.version,
        summary=rebased.values["summary"],
        title=rebased.values["title"],
        capital_cost=Decimal(rebased.values["capital_cost"]),
    )
    assert (saved.title, saved.summary, saved.capital_cost) == (
        "Mansfield Hub (ICB)",
        "County summary",
        Decimal("4500000.00"),
    )


def test_when_both_change_the_same_field_the_clash_is_reported(projects, users):
    hub = projects["hub"]
    services.update_project(by=users["icb_editor"], project=hub, expected_version=1, title="Theirs")
    with pytest.raises(services.ConflictError) as info:
        services.update_project(
            by=users["county_editor"], project=hub, expected_version=1, title="Mine"
        )
    current = Project.objects.get(pk=hub.pk)
    rebased = services.rebase(current, info.value, services.snapshot(hub) | {"title": "Mine"})
    assert rebased.values["title"] == "Mine"
    assert rebased.clashes == {"title": {"theirs": "Theirs", "yours": "Mine"}}


def test_a_write_racing_between_read_and_write_is_caught_by_the_conditional_update(
    projects, users, monkeypatch
):
    hub = projects["hub"]
    real = services.snapshot
    calls = []

    def snapshot_then_someone_saves(project):
        values = real(project)
        if not calls:  # another request saves right after we read
            Project.objects.filter(pk=project.pk).update(version=F("version") + 1)
        calls.append(1)
        return values

    monkeypatch.setattr(services, "snapshot", snapshot_then_someone_saves)
    with pytest.raises(services.ConflictError):
        services.update_project(
            by=users["county_editor"], project=hub, expected_version=1, title="Lost?"
        )
    assert Project.objects.get(pk=hub.pk).title == "Mansfield Health and Wellbeing Hub"


def test_a_stage_move_from_an_old_version_is_refused(projects, users):
    hub = projects["hub"]
    services.update_project(by=users["icb_editor"], project=hub, expected_version=1, title="New")
    with pytest.raises(services.ConflictError, match="Changed by icb.editor"):
        services.change_stage(
            by=users["county_editor"], project=hub, stage=Stage.DELIVERY, expected_version=1
        )
    assert Project.objects.get(pk=hub.pk).stage == Stage.BUSINESS_CASE


def test_viewers_and_outsiders_cannot_change_a_project_but_partner_editors_can(
    projects, users, orgs
):
    hub = projects["hub"]
    with pytest.raises(
        PermissionDenied, match="Only editors of Nottinghamshire County Council or of a partner"
    ):
        services.update_project(
            by=users["county_viewer"], project=hub, expected_version=1, title="x"
        )
    with pytest.raises(PermissionDenied):
        services.update_project(
            by=users["police_editor"], project=hub, expected_version=1, title="x"
        )
    with pytest.raises(PermissionDenied):
        services.change_stage(
            by=users["police_editor"], project=hub, stage="delivery", expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.add_risk(by=users["police_editor"], project=hub, description="x", severity="high")
    saved = services.update_project(
        by=users["district_editor"], project=hub, expected_version=1, notes="From the district"
    )
    assert saved.notes == "From the district"


def test_editors_can_only_lead_with_their_own_organisation(projects, users, orgs):
    with pytest.raises(PermissionDenied, match="Only editors of Derbyshire County Council"):
        services.create_project(
            by=users["county_editor"], lead=orgs["derbyshire"], title="Not mine"
        )
    with pytest.raises(PermissionDenied):
        services.update_project(
            by=users["icb_editor"],
            project=projects["hub"],
            expected_version=1,
            lead=orgs["derbyshire"],
        )
    project = services.create_project(by=users["county_editor"], lead=orgs["county"], title="Mine")
    assert project.reference == "mine" and project.created_by == users["county_editor"]


def test_child_records_are_audited_on_the_project(projects, users, orgs):
    hub = projects["hub"]
    editor = users["county_editor"]
    services.add_partner(by=editor, project=hub, organisation=orgs["police"], role="occupier")
    services.add_risk(by=editor, project=hub, description="Planning consent", severity="high")
    services.add_funding(by=editor, project=hub, funder="OPE", amount_sought=Decimal("500000"))
    actions = set(events(hub).values_list("action", flat=True))
    assert {"add_partner", "add_risk", "add_funding"} <= actions
    assert events(hub).get(action="add_risk").changes == {"risk": [None, "High: Planning consent"]}
    # A partner added is a partner everywhere: the police may now see and edit it.
    assert orgs["police"].pk in Project.objects.get(pk=hub.pk).organisation_ids()
    with pytest.raises(ValidationError):
        services.add_partner(by=editor, project=hub, organisation=orgs["county"])  # the lead


def test_withdrawing_keeps_the_project_and_its_history(projects, users):
    secret = projects["secret"]
    services.withdraw_project(
        by=users["county_editor"], project=secret, reason="Site retained", expected_version=1
    )
    secret.refresh_from_db()
    assert secret.stage == Stage.WITHDRAWN
    assert secret.stage_history.last().reason == "Site retained"
