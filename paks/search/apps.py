from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "paks.search"
    label = "search"
    verbose_name = "search index"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from paks.search import signals

        signals.connect()
