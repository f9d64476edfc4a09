"""The portal's settings plus the benchmarks: their commands, and the bare view that
bench_api compares the API with. Nothing else differs from paks.settings.

    DJANGO_SETTINGS_MODULE=benchmarks.settings python manage.py bench_search
"""

from paks.settings import *  # noqa: F403
from paks.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
ROOT_URLCONF = "benchmarks.urls"
