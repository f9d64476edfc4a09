from django.apps import AppConfig


class PaksConfig(AppConfig):
    name = "paks"
    verbose_name = "Knowledge space"
