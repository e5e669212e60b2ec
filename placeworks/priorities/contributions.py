from placeworks.contributions import NavItem, PlaceLink

NAV = [NavItem("Priorities", "priorities:index", 30)]
URLS = ("priorities/", "placeworks.priorities.urls")
API_ROUTER = ("", "placeworks.priorities.api:router")
DEMO = (40, "placeworks.priorities.demo:load")
PLACE_LINKS = [
    PlaceLink(
        "Plans and priorities",
        "priorities:index",
        30,
        "The ward and place plans in this area and their priorities.",
        param="parent",
    )
]
