"""What the places app contributes: navigation, pages, the areas API and demo geography."""

from placeworks.contributions import NavItem

NAV = [NavItem(label="Places", url_name="places:index", order=10)]
URLS = ("places/", "placeworks.places.urls")
API_ROUTER = ("areas", "placeworks.places.api:router")
DEMO = (20, "placeworks.places.demo:load")
