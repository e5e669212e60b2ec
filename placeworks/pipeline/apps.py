from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "placeworks.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"
