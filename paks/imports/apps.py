from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "paks.imports"
    label = "imports"
    verbose_name = "imports"
    default_auto_field = "django.db.models.BigAutoField"
