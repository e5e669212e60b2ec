from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "placeworks.priorities"
    label = "priorities"
    verbose_name = "Priorities"
