from placeworks.contributions import NavItem, PlaceLink

NAV = [NavItem("Pipeline", "pipeline:index", 50)]
URLS = ("pipeline/", "placeworks.pipeline.urls")
API_ROUTER = ("", "placeworks.pipeline.api:router")
DEMO = (60, "placeworks.pipeline.demo:load")
# The estate's opportunity finder offers this action on each opportunity (posts its key).
OPPORTUNITY_ACTIONS = [("Make a draft project", "pipeline:from-opportunity")]
PLACE_LINKS = [
    PlaceLink(
        "Projects",
        "pipeline:index",
        50,
        "Multi-partner projects serving this place.",
        param="place",
    )
]
