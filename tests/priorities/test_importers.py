"""The plan importers on the committed sample files, on small bad files, and on Word documents
built here with python-docx: every problem named, all or nothing, idempotent."""

from __future__ import annotations

import csv
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from placeworks.audit.models import ImportRun
from placeworks.priorities.areas import AreaMatcher, name_key
from placeworks.priorities.ingest import DocxImporter, TableImporter, importer_for
from placeworks.priorities.models import Plan, PlanStatus, Priority

from .conftest import FIXTURES, SAMPLES, ward_lookup

pytestmark = pytest.mark.django_db

SAMPLE_CSV = SAMPLES / "mansfield_ward_plans.csv"
SAMPLE_DOCX = SAMPLES / "ashfield_ward_plans_2025-26.docx"


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def messages(report) -> list[str]:
    return [str(p) for p in report.errors]


# --- the committed sample files -------------------------------------------------------------


def test_the_sample_csv_imports_every_mansfield_ward_for_two_years(geo, orgs):
    rows = sample_rows()
    importer = TableImporter(owner=orgs["mansfield"], parent=geo["mansfield"])
    dry = importer.run(SAMPLE_CSV)
    assert not dry.errors, dry.summary()
    assert (dry.rows, dry.created, dry.committed) == (len(rows), len(rows), False)
    assert not Plan.objects.exists()  # a dry run writes nothing

    report = importer.run(SAMPLE_CSV, commit=True)
    assert report.committed and report.created == len(rows)
    assert Plan.objects.count() == 70  # 35 wards × 2 years
    assert Priority.objects.count() == len(rows)
    assert set(Plan.objects.values_list("period", flat=True)) == {"2024/25", "2025/26"}
    assert set(Plan.objects.values_list("status", flat=True)) == {PlanStatus.DRAFT}
    later = Plan.objects.filter(period="2025/26")
    assert all(p.previous is not None and p.previous.period == "2024/25" for p in later)
    assert ImportRun.objects.filter(status=ImportRun.Status.COMMITTED).count() == 1


def test_importing_the_same_file_again_changes_nothing(geo, orgs):
    importer = TableImporter(owner=orgs["mansfield"], parent=geo["mansfield"])
    importer.run(SAMPLE_CSV, commit=True)
    again = TableImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(
        SAMPLE_CSV, commit=True
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, again.rows)
    assert Priority.objects.count() == again.rows


def test_importing_the_same_word_document_again_changes_nothing(geo, orgs):
    DocxImporter(owner=orgs["ashfield"], parent=geo["ashfield"]).run(SAMPLE_DOCX, commit=True)
    before = sorted(Priority.objects.values_list("pk", "text", "actions", "lead"))
    again = DocxImporter(owner=orgs["ashfield"], parent=geo["ashfield"]).run(
        SAMPLE_DOCX, commit=True
    )
    assert not again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, again.rows)
    assert sorted(Priority.objects.values_list("pk", "text", "actions", "lead")) == before


def test_the_excel_export_imports_again_without_changes(geo, orgs, users, tmp_path):
    from django.test import Client

    TableImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(SAMPLE_CSV, commit=True)
    client = Client()
    client.force_login(users["editor"])
    exported = client.get("/priorities/export.xlsx?parent=E07000174")
    assert exported.status_code == 200
    path = tmp_path / "priorities.xlsx"
    path.write_bytes(exported.content)
    before = sorted(Priority.objects.values_list("pk", "text", "actions", "lead", "other_partners"))
    report = importer_for(path, owner=orgs["mansfield"], parent=geo["mansfield"]).run(
        path, commit=True
    )
    assert not report.errors, report.summary()
    assert report.rows == len(before)
    assert (report.created, report.updated) == (0, 0), report.summary()
    after = sorted(Priority.objects.values_list("pk", "text", "actions", "lead", "other_partners"))
    assert after == before


def test_themes_left_out_of_the_file_are_suggested_and_await_confirmation(geo, orgs):
    TableImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(SAMPLE_CSV, commit=True)
    priority = Priority.objects.filter(text__icontains="fly-tipping").first()
    assert priority is not None and not priority.themes_confirmed
    assert priority.themes.count() == 0
    assert "environment" in priority.suggested_slugs()
    first = priority.suggestions[0]
    assert first["matched"] and 0 < first["score"] <= 1


def test_the_sample_word_document_imports_some_ashfield_wards(geo, orgs):
    report = DocxImporter(owner=orgs["ashfield"], parent=geo["ashfield"]).run(
        SAMPLE_DOCX, commit=True
    )
    assert not report.errors, report.summary()
    plans = Plan.objects.filter(owner=orgs["ashfield"])
    assert plans.count() == 8
    assert set(plans.values_list("period", flat=True)) == {"2025/26"}  # from the title
    assert "Sutton St Mary's" in {p.area.name for p in plans}
    priority = Priority.objects.filter(plan__in=plans).exclude(actions="").first()
    assert priority is not None and priority.lead
    assert any("before the first ward heading" in note for note in report.notes)


# --- problems, each named; nothing written ---------------------------------------------------------


def test_a_bad_file_is_rejected_with_every_problem_named_by_row_and_column(geo, orgs):
    report = TableImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(
        FIXTURES / "bad_plans.csv", commit=True
    )
    found = messages(report)
    assert not report.committed
    expected = [
        "row 3, column area_code: No ward, neighbourhood, PLACE area or district has the code ‘E05099999’",
        "row 4, column area_name: No ward, neighbourhood, PLACE area or district called ‘Ber Hill’ in Mansfield; did you mean ‘Berry Hill’ (E05014611)?",
        "row 5, column period: ‘2025-2027’ is not a financial year",
        "row 6, column themes: unknown theme ‘Lonelyness’; did you mean ‘Loneliness and isolation’ (loneliness-isolation)?",
        "row 7, column priority: the priority is empty.",
        "row 8, column area_code: ‘E01028282’ is Mansfield 001A, a lower layer super output area (neighbourhood), not a ward",
        "row 9, column area_code: ‘E05010673’ (Abbey Hill) is not in Mansfield.",
    ]
    for text in expected:
        assert any(text in message for message in found), (text, found)
    assert len(found) == len(expected)


def test_a_rejected_file_writes_nothing_at_all(geo, orgs):
    report = TableImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(
        FIXTURES / "bad_plans.csv", commit=True
    )
    assert report.errors and report.status == ImportRun.Status.REJECTED
    assert not Plan.objects.exists() and not Priority.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REJECTED and len(run.problems) == 7


def test_a_file_without_a_priority_column_says_which_columns_it_found(geo, orgs):
    report = TableImporter(owner=orgs["mansfield"]).run(FIXTURES / "no_priority_column.csv")
    assert "no priority column" in messages(report)[0]
    assert "what we want" in messages(report)[0]


def test_an_empty_file_is_rejected(geo, orgs):
    report = TableImporter(owner=orgs["mansfield"]).run(FIXTURES / "header_only.csv")
    assert "has no priorities" in messages(report)[0]


def test_names_and_theme_names_in_another_layout_import_without_a_district(geo, orgs, themes):
    report = TableImporter(owner=orgs["mansfield"], status=PlanStatus.PUBLISHED).run(
        FIXTURES / "good_plans.csv", commit=True
    )
    assert not report.errors, report.summary()
    assert [str(w) for w in report.warnings] == [
        "good_plans.csv, row 1, column Notes: column not used",
        "good_plans.csv, row 2, column Partners: partner ‘Bancroft Residents Association’ is "
        "not a registered organisation; kept as text.",
    ]
    asb = Priority.objects.get(text__startswith="Reduce anti-social")
    assert asb.themes_confirmed and [t.slug for t in asb.themes.all()] == ["community-safety"]
    assert [o.name for o in asb.partners.all()] == ["Nottinghamshire Police"]
    assert asb.other_partners == "Bancroft Residents Association"
    assert asb.plan.period == "2025/26" and asb.plan.status == PlanStatus.PUBLISHED
    youth = Priority.objects.get(text__startswith="More things")
    assert youth.plan.area.name == "Sutton St Mary's"  # "Sutton St. Mary's Ward"
    assert {t.slug for t in youth.themes.all()} == {"children-young-people", "education-skills"}
    litter = Priority.objects.get(text__startswith="Tackle fly-tipping")
    assert not litter.themes_confirmed  # no themes in the file: suggested only


def test_a_second_import_updates_reworded_priorities_and_removes_dropped_ones(geo, orgs, tmp_path):
    first = tmp_path / "plans.csv"
    first.write_text(
        "area_code,period,priority\n"
        "E05014610,2025/26,Reduce anti-social behaviour\n"
        "E05014610,2025/26,Tackle fly-tipping\n"
    )
    TableImporter(owner=orgs["mansfield"]).run(first, commit=True)
    kept = Priority.objects.get(text="Reduce anti-social behaviour")
    second = tmp_path / "plans2.csv"
    second.write_text(
        "area_code,period,priority,themes\n"
        "E05014610,2025/26,Reduce anti-social behaviour,community-safety\n"
        "E05014610,2025/26,Improve the park\n"
    )
    report = TableImporter(owner=orgs["mansfield"]).run(second, commit=True)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert "1 priority no longer in the file removed" in report.notes[0]
    assert sorted(Priority.objects.values_list("text", flat=True)) == [
        "Improve the park",
        "Reduce anti-social behaviour",
    ]
    kept.refresh_from_db()
    assert kept.themes_confirmed  # the file named its themes


def test_an_excel_file_imports_through_the_same_core(geo, orgs, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ward Code", "Financial Year", "Priority", "Themes"])
    sheet.append(["E05014610", "2024/2025", "Reduce speeding on Chesterfield Road", "Transport"])
    path = tmp_path / "plans.xlsx"
    workbook.save(path)
    report = importer_for(path, owner=orgs["mansfield"]).run(path, commit=True)
    assert "unknown theme ‘Transport’" in messages(report)[0]
    assert "did you mean ‘Transport and road safety’" in messages(report)[0]
    sheet["D2"] = "transport-road-safety"
    workbook.save(path)
    report = importer_for(path, owner=orgs["mansfield"]).run(path, commit=True)
    assert not report.errors and Plan.objects.get().period == "2024/25"


def test_the_importer_needs_edit_permission_on_the_owner(geo, orgs, users):
    importer = TableImporter(owner=orgs["mansfield"], parent=geo["mansfield"])
    for who in ("viewer", "other_editor", "police"):
        with pytest.raises(PermissionDenied):
            importer.run(SAMPLE_CSV, by=users[who], commit=True)
    report = importer.run(SAMPLE_CSV, by=users["editor"], commit=True)
    assert report.committed
    assert ImportRun.objects.filter(by=users["editor"]).exists()


# --- Word documents -------------------------------------------------------------------------------


def ward_plan_document(path, headings: list[tuple[str, list[str]]], title: str | None):
    document = docx.Document()
    if title:
        document.add_paragraph(title, style="Title")
    document.add_paragraph("These are the ward plans agreed by the ward forums.")
    for heading, lines in headings:
        document.add_heading(heading, level=2)
        for line in lines:
            style = None if ":" in line[:12] else "List Bullet"
            document.add_paragraph(line, style=style)
    document.save(str(path))
    return path


def test_a_word_document_maps_each_heading_to_a_ward_within_the_district(geo, orgs, tmp_path):
    path = ward_plan_document(
        tmp_path / "plans.docx",
        [
            ("Mansfield", []),  # the district itself: a section heading, not a ward
            (
                "Bancroft Ward",
                [
                    "Reduce anti-social behaviour",
                    "Actions: joint patrols",
                    "Lead: Neighbourhood inspector",
                    "Partners: Nottinghamshire Police; Bancroft Tenants",
                    "Themes: Crime and community safety",
                    "Tackle fly-tipping",
                ],
            ),
            ("Yeoman Hill 2025/26", ["More for young people to do"]),
        ],
        title="Mansfield ward plans 2025/26",
    )
    report = DocxImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(path, commit=True)
    assert not report.errors, report.summary()
    assert report.rows == 3
    asb = Priority.objects.get(text="Reduce anti-social behaviour")
    assert asb.plan.area.name == "Bancroft" and asb.plan.period == "2025/26"
    assert asb.actions == "joint patrols" and asb.lead == "Neighbourhood inspector"
    assert [o.name for o in asb.partners.all()] == ["Nottinghamshire Police"]
    assert asb.other_partners == "Bancroft Tenants"
    assert [t.slug for t in asb.themes.all()] == ["community-safety"]
    assert Priority.objects.get(text="More for young people to do").plan.area.name == "Yeoman Hill"


def test_a_word_document_reports_the_headings_it_cannot_match(geo, orgs, tmp_path):
    path = ward_plan_document(
        tmp_path / "plans.docx",
        [("Bancroft", ["Reduce litter"]), ("Berry Hil", ["Cut burglary"]), ("Atlantis", ["Swim"])],
        title="Ward plans 2025/26",
    )
    report = DocxImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(path, commit=True)
    found = messages(report)
    assert len(found) == 2
    assert "heading ‘Berry Hil’: no ward" in found[0]
    assert "did you mean ‘Berry Hill’ (E05014611)?" in found[0]
    assert "heading ‘Atlantis’" in found[1]
    assert not Plan.objects.exists()


def test_a_word_document_needs_a_period(geo, orgs, tmp_path):
    path = ward_plan_document(tmp_path / "plans.docx", [("Bancroft", ["Reduce litter"])], None)
    report = DocxImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(path)
    assert "no period" in messages(report)[0]
    report = DocxImporter(owner=orgs["mansfield"], parent=geo["mansfield"], period="2025-26").run(
        path, commit=True
    )
    assert not report.errors and Plan.objects.get().period == "2025/26"


def test_a_file_that_is_not_a_word_document_is_rejected(geo, orgs, tmp_path):
    path = tmp_path / "plans.docx"
    path.write_text("not a zip")
    report = DocxImporter(owner=orgs["mansfield"], parent=geo["mansfield"]).run(path)
    assert "cannot read the file as a Word document" in messages(report)[0]


# --- the command ---------------------------------------------------------------------------------


def test_the_command_is_a_dry_run_unless_told_to_commit(geo, orgs):
    out = io.StringIO()
    args = [str(SAMPLE_DOCX), "--owner", orgs["ashfield"].slug, "--parent", "E07000170"]
    call_command("import_plans", *args, stdout=out, verbosity=0)
    assert "Dry run" in out.getvalue() and not Plan.objects.exists()
    call_command("import_plans", *args, "--commit", "--status", "published", stdout=out)
    assert Plan.objects.filter(status=PlanStatus.PUBLISHED).count() == 8


def test_the_command_explains_bad_options_and_bad_files(geo, orgs):
    with pytest.raises(CommandError, match="No organisation with slug"):
        call_command("import_plans", str(SAMPLE_CSV), "--owner", "nobody")
    with pytest.raises(CommandError, match="No district or PLACE area"):
        call_command(
            "import_plans",
            str(SAMPLE_CSV),
            "--owner",
            orgs["mansfield"].slug,
            "--parent",
            "E09999999",
        )
    with pytest.raises(CommandError, match="Cannot tell the format"):
        call_command("import_plans", "plans.txt", "--owner", orgs["mansfield"].slug)
    with pytest.raises(CommandError, match="Rejected"):
        call_command(
            "import_plans",
            str(FIXTURES / "bad_plans.csv"),
            "--owner",
            orgs["mansfield"].slug,
            "--parent",
            "E07000174",
            verbosity=0,
        )


# --- name matching, as a property ------------------------------------------------------------


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_ward_names_match_however_they_are_written(geo, data):
    code, name = data.draw(st.sampled_from(ward_lookup()["E07000170"]))
    written = name.replace("&", data.draw(st.sampled_from(["&", "and", " & "])))
    written = data.draw(st.sampled_from([written, written.upper(), written.lower()]))
    written += data.draw(st.sampled_from(["", " Ward", " ward plan", " 2025/26", "  "]))
    matcher = AreaMatcher(["ward"], geo["ashfield"])
    match = matcher.by_name(written)
    assert match.area is not None and match.area.code == code, (written, match.message)
    assert name_key(written) == name_key(name)
