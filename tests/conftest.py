import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage(tmp_path_factory):
    """Templates resolve {% static %} without a collected manifest while testing."""
    with override_settings(
        STATIC_ROOT=tmp_path_factory.mktemp("staticfiles"),
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Each test writes uploads to its own folder, so no test leaves files behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
