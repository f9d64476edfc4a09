"""Liveness (/healthz: the process) and readiness (/readyz: every part it needs to serve)."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_without_asking_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_and_readyz_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_readyz_checks_the_database_the_cache_the_storage_and_the_task_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "task queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_naming_the_part_that_fails(client, settings, tmp_path, monkeypatch):
    from django.core.cache.backends.redis import RedisCache
    from django.core.files.storage import default_storage

    from paks import health

    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    settings.MEDIA_ROOT = in_the_way / "media"
    default_storage._setup()  # the storage reads MEDIA_ROOT when set up
    # A real Redis client with nothing listening where it points (the discard port).
    monkeypatch.setattr(health, "cache", RedisCache("redis://127.0.0.1:9/0", {}))
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["storage"]["ok"], checks["storage"]["error"]) == (False, "PermissionError")
    assert (checks["cache"]["ok"], checks["cache"]["error"]) == (False, "ConnectionError")
    assert checks["database"]["ok"] and checks["task queue"]["ok"]
