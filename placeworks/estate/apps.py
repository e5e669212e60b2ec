from django.apps import AppConfig


class EstateConfig(AppConfig):
    name = "placeworks.estate"
    label = "estate"
    verbose_name = "Estate"
