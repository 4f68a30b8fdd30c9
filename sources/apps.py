from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and captures"

    def ready(self):
        from . import checks  # noqa: F401  (registers the replay origin check)
