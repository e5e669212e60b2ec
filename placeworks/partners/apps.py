from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "placeworks.partners"
    label = "partners"
    verbose_name = "Partners"
