from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "placeworks.web"
    label = "web"
    verbose_name = "Web"
