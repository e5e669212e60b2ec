URLS = ("accounts/", "placeworks.partners.urls")
DEMO = (10, "placeworks.partners.demo:load")
API_ROUTER = ("", "placeworks.partners.api:router")
