from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "placeworks.api"
    label = "api"
    verbose_name = "API"
