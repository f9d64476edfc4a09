"""docker-compose.yml cannot be run here, so its structure is checked instead."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services(compose):
    assert {"web", "db", "redis", "migrate"} <= set(compose["services"])


def test_web_runs_gunicorn_after_the_database_is_healthy_and_migrated(compose):
    web = compose["services"]["web"]
    assert web["command"][0] == "gunicorn"
    assert "paks.wsgi:application" in web["command"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["build"] == "."
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def test_database_has_a_healthcheck_and_a_volume(compose):
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:15")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]


def test_app_configuration_comes_from_the_environment(compose):
    env = compose["services"]["web"]["environment"]
    assert env["PAKS_ENV"] == "production"
    # The secret is required from the caller's environment, never written here.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["DATABASE_URL"].endswith("@db:5432/paks")
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert compose["services"]["migrate"]["environment"] == env


def test_media_is_kept_on_a_volume(compose):
    assert "media:/app/media" in compose["services"]["web"]["volumes"]
    assert "media" in compose["volumes"]


def test_dockerfile_serves_with_gunicorn_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") or "FROM python:3.11" in dockerfile
    assert "FROM python:3.11" in dockerfile
    assert "USER paks" in dockerfile
    assert "collectstatic" in dockerfile
    assert '"gunicorn"' in dockerfile


def test_an_rq_worker_processes_documents_beside_the_web_server(compose):
    worker = compose["services"]["worker"]
    assert worker["build"] == "."
    assert worker["command"][:4] == ["python", "manage.py", "rqworker", "default"]
    job_class = worker["command"].index("--job-class")
    assert worker["command"][job_class + 1] == "django_tasks_rq.Job"
    # The same configuration as the web server, with the RQ task backend chosen there.
    assert worker["environment"] == compose["services"]["web"]["environment"]
    assert worker["environment"]["PAKS_TASK_BACKEND"] == "rq"
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # It reads the files the web server stored.
    assert "media:/app/media" in worker["volumes"]
    assert worker["restart"] == "unless-stopped"


def test_make_run_starts_the_database_task_worker_with_the_server():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun: data\n", 1)[1].split("\n\n", 1)[0]
    assert "$(MANAGE) db_worker" in recipe
    assert "$(MANAGE) runserver" in recipe
    # The worker goes when the server goes.
    assert "trap 'kill $$worker" in recipe


def test_the_deploy_check_passes_with_production_settings():
    import secrets
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "PAKS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "postgres://paks@db:5432/paks",
        "REDIS_URL": "redis://redis:6379/0",
        "ALLOWED_HOSTS": "paks.example.org",
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr + check.stdout
