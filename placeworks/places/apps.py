from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "placeworks.places"
    label = "places"
    verbose_name = "Places"
