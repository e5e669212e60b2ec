from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "placeworks.themes"
    label = "themes"
    verbose_name = "Themes"
