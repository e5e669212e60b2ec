from placeworks.contributions import NavItem, PlaceLink

NAV = [NavItem("Assets", "estate:index", 40)]
URLS = ("assets/", "placeworks.estate.urls")
API_ROUTER = ("", "placeworks.estate.api:router")
DEMO = (50, "placeworks.estate.demo:load")
PLACE_LINKS = [
    PlaceLink(
        "Assets",
        "estate:index",
        40,
        "The public estate and community assets of every partner here.",
        param="place",
    )
]
