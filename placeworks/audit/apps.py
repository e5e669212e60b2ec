from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "placeworks.audit"
    label = "audit"
    verbose_name = "Audit"
