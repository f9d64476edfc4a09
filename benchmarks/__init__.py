"""Benchmarks of the portal, kept outside the product: not in the product's settings nor in
its wheel. Run them with the settings that add them, on a database of their own:

    DJANGO_SETTINGS_MODULE=benchmarks.settings python manage.py bench_search
"""
