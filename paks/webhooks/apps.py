from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "paks.webhooks"
    label = "webhooks"
    verbose_name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from paks.webhooks import signals

        signals.connect()
