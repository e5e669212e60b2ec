URLS = [
    ("accounts/", "placeworks.partners.urls"),
    ("organisations/", "placeworks.partners.org_urls"),
]
API_ROUTER = ("", "placeworks.partners.api:router")
DEMO = (10, "placeworks.partners.demo:load")
