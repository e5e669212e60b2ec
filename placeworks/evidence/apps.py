from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "placeworks.evidence"
    label = "evidence"
    verbose_name = "Evidence"
