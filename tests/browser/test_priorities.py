"""In a real browser: an editor rewrites a priority, sees the suggested themes appear as they
type with the words that led to each, ticks them, saves to confirm, and reads the coverage
report."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import OrganisationFactory, member


def build_plan():
    from placeworks.places.models import Area, AreaLink
    from placeworks.priorities import services
    from placeworks.themes.models import Aim, Strategy, Theme
    from placeworks.themes.services import ensure_default_themes

    ensure_default_themes()  # browser tests run in transactions that flush migration data
    lad = Area.objects.create(type="lad", code="E07000174", name="Mansfield", vintage="2024")
    bancroft = Area.objects.create(type="ward", code="E05014610", name="Bancroft", vintage="2024")
    AreaLink.objects.create(ancestor=lad, descendant=bancroft, depth=1)
    council = OrganisationFactory(name="Mansfield District Council")
    strategy = Strategy.objects.create(name="Health and Wellbeing Strategy")
    aim = Aim.objects.create(
        strategy=strategy, number=4, text="Live in healthy, safe and resilient communities"
    )
    aim.themes.set(Theme.objects.filter(slug__in=["community-safety", "environment"]))
    plan = services.create_plan(
        by=None, owner=council, area=bancroft, period="2025/26", status="published"
    )
    priority = services.add_priority(by=None, plan=plan, text="Make the ward better")
    return council, plan, priority


def test_an_editor_confirms_suggested_themes_and_reads_the_coverage(page, sign_in):
    council, plan, priority = build_plan()
    editor = member("editor", council, username="ward.editor")
    sign_in(editor)

    page.goto(f"/priorities/plans/{plan.pk}/")
    expect(page.get_by_text("Awaiting confirmation")).to_be_visible()
    page.get_by_role("link", name="Change priority 1").click()
    expect(page.get_by_role("heading", name="Change a priority")).to_be_visible()

    page.get_by_label("Priority").fill("Reduce anti-social behaviour and dog fouling by the shops")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("Crime and community safety")
    expect(suggestions).to_contain_text("because it mentions anti-social behaviour")
    expect(suggestions).to_contain_text("Environment")
    expect(suggestions).to_contain_text("dog fouling")

    page.get_by_role("button", name="Tick the suggested themes").click()
    expect(page.get_by_label("Crime and community safety")).to_be_checked()
    expect(page.get_by_label("Environment")).to_be_checked()
    page.get_by_label("Environment").uncheck()  # the person decides
    page.get_by_role("button", name="Save and confirm themes").click()

    expect(page.get_by_text("Priority saved and its themes confirmed.")).to_be_visible()
    item = page.locator(f"#priority-{priority.pk}")
    expect(item).to_contain_text("Reduce anti-social behaviour and dog fouling by the shops")
    expect(item).to_contain_text("Crime and community safety")
    expect(item).to_contain_text("Live in healthy, safe and resilient communities")
    expect(item).not_to_contain_text("Awaiting confirmation")

    page.get_by_role("link", name="Coverage report for the plans in Mansfield for 2025/26").click()
    expect(page.get_by_role("heading", name="Coverage of themes and strategy aims")).to_be_visible()
    expect(page.locator("#coverage-summary")).to_contain_text("1 ward with 1 priority")
    row = page.locator("#theme-table tr[data-theme='community-safety']")
    expect(row).to_contain_text("1 of 1")
    expect(page.locator("#theme-table tr[data-theme='environment']")).to_contain_text("0 of 1")
    expect(page.locator("#aim-gaps")).to_contain_text("Every aim is taken up by at least one ward")
    page.get_by_role("link", name="Crime and community safety").click()
    expect(page.locator("main")).to_contain_text("Reduce anti-social behaviour and dog fouling")


def test_an_editor_imports_a_word_file_confirms_the_themes_and_reads_the_coverage(
    page, sign_in, tmp_path
):
    import docx

    council, _, _ = build_plan()
    from placeworks.places.models import Area, AreaLink

    lad = Area.objects.get(code="E07000174")
    berry_hill = Area.objects.create(
        type="ward", code="E05014611", name="Berry Hill", vintage="2024"
    )
    AreaLink.objects.create(ancestor=lad, descendant=berry_hill, depth=1)
    document = docx.Document()
    document.add_paragraph("Mansfield ward plans 2026/27", style="Title")
    document.add_heading("Bancroft", level=1)
    document.add_paragraph("Reduce anti-social behaviour in the park", style="List Number")
    document.add_heading("Berry Hill Ward", level=1)
    document.add_paragraph("Reduce burglary and vehicle crime", style="List Number")
    document.add_paragraph("Support older residents who live alone", style="List Number")
    path = tmp_path / "ward-plans.docx"
    document.save(str(path))

    sign_in(member("editor", council, username="ward.editor"))
    page.goto("/priorities/import/")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_label("District or PLACE area").select_option(
        label="Mansfield (Local authority district)"
    )
    page.get_by_label("Import now").check()
    page.get_by_role("button", name="Check or import").click()
    expect(page.locator("#import-report")).to_contain_text("Imported: 3 created")

    page.get_by_role("link", name="Confirm the suggested themes").click()
    expect(page.locator("main")).to_contain_text("Reduce burglary and vehicle crime")
    expect(page.locator("main")).to_contain_text("because it mentions burglary")
    # The imported three, and the priority of the 2025/26 plan nobody has confirmed yet.
    page.get_by_role("button", name="Confirm themes for these 4 priorities").click()
    expect(page.get_by_text("Themes confirmed for 4 priorities.")).to_be_visible()

    page.goto("/priorities/coverage/?parent=E07000174&period=2026/27")
    expect(page.locator("#coverage-summary")).to_contain_text("2 wards with 3 priorities")
    row = page.locator("#theme-table tr[data-theme='community-safety']")
    expect(row).to_contain_text("2 of 2")
    expect(page.locator("#theme-table tr[data-theme='older-people']")).to_contain_text("1 of 2")
