from pathlib import Path

import pytest
from django.test import override_settings


def pytest_sessionstart(session):
    """The interface's catalogues compiled, as `make messages` does, where a .po is newer
    than its .mo: a test run sees the translations as they are written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalogue = read_po(source)
            with mo.open("wb") as compiled:
                write_mo(compiled, catalogue)


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


@pytest.fixture(autouse=True, scope="session")
def _search_helper_closed(django_db_setup):
    """On PostgreSQL a search may count on a helper thread's connection (see
    paks.search.postgres.overlapped): closed before the test database is dropped."""
    yield
    from paks.search.postgres import close_helper_connections

    close_helper_connections()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Each test writes uploads to its own folder, so no test leaves files behind."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counts and sign-in lockouts from one test must not refuse the next one, and
    no test sees what another one cached."""
    from django.core.cache import cache

    from paks.search.filters import Labels

    cache.clear()
    Labels.forget()  # the search's labels, read once per index version
    yield
    cache.clear()
    Labels.forget()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; a deliberately slow hash only slows the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_to_start():
    """A request leaves its language active in the thread; each test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
