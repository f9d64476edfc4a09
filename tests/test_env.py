import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str


def test_required_variable_missing_fails_loudly(monkeypatch):
    monkeypatch.delenv("PAKS_TEST_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="PAKS_TEST_SECRET is required"):
        env_str("PAKS_TEST_SECRET")


def test_defaults_apply_when_unset(monkeypatch):
    monkeypatch.delenv("PAKS_TEST_VALUE", raising=False)
    assert env_str("PAKS_TEST_VALUE", "x") == "x"
    assert env_bool("PAKS_TEST_VALUE", True) is True
    assert env_int("PAKS_TEST_VALUE", 7) == 7
    assert env_list("PAKS_TEST_VALUE", ["a"]) == ["a"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), ("off", False), ("", False)]
)
def test_booleans_are_read_in_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("PAKS_TEST_FLAG", raw)
    assert env_bool("PAKS_TEST_FLAG") is expected


def test_malformed_values_are_refused_with_the_variable_name(monkeypatch):
    monkeypatch.setenv("PAKS_TEST_FLAG", "maybe")
    monkeypatch.setenv("PAKS_TEST_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="PAKS_TEST_FLAG"):
        env_bool("PAKS_TEST_FLAG")
    with pytest.raises(ImproperlyConfigured, match="PAKS_TEST_NUMBER"):
        env_int("PAKS_TEST_NUMBER", 1)


def test_lists_drop_blank_items(monkeypatch):
    monkeypatch.setenv("PAKS_TEST_HOSTS", "paks.example, ,www.paks.example,")
    assert env_list("PAKS_TEST_HOSTS") == ["paks.example", "www.paks.example"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env |= {"PAKS_ENV": "production", "ALLOWED_HOSTS": "paks.example"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env | {"DJANGO_SETTINGS_MODULE": "paks.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_uploads_go_to_s3_compatible_storage_when_a_bucket_is_named():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "paks.settings",
        "AWS_STORAGE_BUCKET_NAME": "paks-media",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    }
    probe = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__module__, s.bucket_name, s.endpoint_url, s.location,"
        " s.default_acl, s.file_overwrite)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        "storages.backends.s3",
        "paks-media",
        "http://127.0.0.1:9000",
        "media",
        "private",
        "False",
    ]


def test_postgresql_connections_run_without_jit():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "paks.settings"}
    env["DATABASE_URL"] = "postgres://paks@db.example:5432/paks"
    probe = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "-c jit=off"


def test_production_refuses_to_start_without_a_shared_cache():
    """Rate limits and lockouts kept per process would let each worker's share through."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env |= {
        "PAKS_ENV": "production",
        "ALLOWED_HOSTS": "paks.example",
        "SECRET_KEY": "s" * 60,
        "DATABASE_URL": "postgres://paks@db:5432/paks",
        "DJANGO_SETTINGS_MODULE": "paks.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "needs REDIS_URL" in result.stderr
