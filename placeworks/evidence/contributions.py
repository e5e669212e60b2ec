from placeworks.contributions import NavItem, PlaceLink

NAV = [NavItem("Evidence", "evidence:index", 20)]
URLS = ("evidence/", "placeworks.evidence.urls")
# Explicit paths (/indicators…, /areas/{code}/profile, /areas/{code}/need) next to the places
# router, which owns the "areas" prefix.
API_ROUTER = ("", "placeworks.evidence.api:router")
DEMO = (30, "placeworks.evidence.demo:load")
PLACE_LINKS = [
    PlaceLink(
        "Evidence profile",
        "evidence:profile",
        20,
        "Deprivation, health, housing and education against England; need by theme.",
    )
]
