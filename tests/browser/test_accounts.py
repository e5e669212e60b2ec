"""In a real browser: sign in, see your organisations, sign out; a viewer is refused."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import OrganisationFactory, member


def test_sign_in_see_organisations_and_sign_out(page, sign_in):
    org = OrganisationFactory(name="Mansfield District Council")
    user = member("editor", org, username="neighbourhoods")
    sign_in(user)
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    memberships = page.locator("#memberships")
    expect(memberships).to_contain_text("Mansfield District Council")
    expect(memberships).to_contain_text("Editor")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    page.goto("/accounts/")
    expect(page.get_by_role("heading", name="Sign in to Placeworks")).to_be_visible()


def test_wrong_password_shows_the_error_summary(page):
    member("viewer", username="amina")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")


def test_viewer_is_refused_an_administrators_action_with_a_clear_message(page, sign_in):
    org = OrganisationFactory(name="Ashfield District Council")
    viewer = member("viewer", org, username="viewer")
    sign_in(viewer)
    page.goto(f"/organisations/{org.slug}/")
    expect(page.get_by_role("heading", name="Ashfield District Council")).to_be_visible()
    expect(page.get_by_role("link", name="Add or change a member")).to_have_count(0)
    response = page.goto(f"/organisations/{org.slug}/members/")
    assert response is not None and response.status == 403
    expect(
        page.get_by_role("heading", name="You do not have permission to do this")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "Only administrators of Ashfield District Council can add members or change their roles."
    )


def test_administrator_adds_a_member_through_the_form(page, sign_in):
    org = OrganisationFactory(name="Derbyshire Voluntary Action")
    admin = member("admin", org, username="admin-dva")
    member("viewer", username="newcomer")
    sign_in(admin)
    page.goto(f"/organisations/{org.slug}/")
    page.get_by_role("link", name="Add or change a member").click()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Save member").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("newcomer is now Editor")
    expect(page.locator("#members")).to_contain_text("newcomer")
