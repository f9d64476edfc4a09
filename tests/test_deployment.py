"""docker-compose.yml cannot be run here, so its structure is checked instead."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services(compose):
    expected = {"proxy", "web", "worker", "db", "redis", "minio", "buckets", "migrate"}
    assert set(compose["services"]) == expected


def test_every_long_running_service_has_a_healthcheck_and_restarts(compose):
    for name in ("proxy", "web", "db", "redis", "minio"):
        service = compose["services"][name]
        assert service["healthcheck"]["test"], name
        assert service["restart"] == "unless-stopped", name
    assert compose["services"]["worker"]["restart"] == "unless-stopped"


def test_web_runs_gunicorn_after_the_database_is_healthy_and_migrated(compose):
    web = compose["services"]["web"]
    assert web["command"][0] == "gunicorn"
    assert "paks.wsgi:application" in web["command"]
    for needed, condition in (
        ("db", "service_healthy"),
        ("redis", "service_healthy"),
        ("migrate", "service_completed_successfully"),
        ("buckets", "service_completed_successfully"),
    ):
        assert web["depends_on"][needed]["condition"] == condition
    assert web["build"] == "."
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    # Workers and timeout from the environment (gunicorn reads both variables itself).
    assert web["environment"]["WEB_CONCURRENCY"] == "${WEB_CONCURRENCY:-2}"
    assert "--timeout ${GUNICORN_TIMEOUT:-60}" in web["environment"]["GUNICORN_CMD_ARGS"]
    # Only the proxy is reachable from outside.
    assert "ports" not in web and web["expose"] == ["8000"]


def test_the_proxy_fronts_the_web_server_and_serves_the_static_files(compose):
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"] == ["80:80"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert (
        "./deploy/nginx.conf.template:/etc/nginx/templates/nginx.conf.template:ro"
        in (proxy["volumes"])
    )
    assert "static:/srv/static:ro" in proxy["volumes"]
    assert "static:/app/staticfiles" in compose["services"]["web"]["volumes"]
    assert proxy["environment"]["NGINX_ENVSUBST_OUTPUT_DIR"] == "/etc/nginx"
    assert compose["services"]["web"]["environment"]["PAKS_PROXY_COUNT"] == "1"


def test_the_database_is_postgresql_15_with_the_rum_extension(compose):
    """The search ranks from a RUM index where the extension is installed (migration
    search 0006); the stock image lacks it, and the search would fall back to GIN."""
    db = compose["services"]["db"]
    dockerfile = (ROOT / db["build"] / "Dockerfile").read_text()
    assert re.search(r"^FROM postgres:15$", dockerfile, re.MULTILINE)
    assert re.search(r"apt-get install .*\bpostgresql-15-rum\b", dockerfile)
    assert db["image"] == "paks-postgres:15"  # the built image's name, not one to pull


def test_database_and_object_storage_keep_their_data_on_volumes(compose):
    db = compose["services"]["db"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert compose["services"]["minio"]["volumes"] == ["miniodata:/data"]
    assert {"pgdata", "miniodata", "static"} <= set(compose["volumes"])


def test_app_configuration_comes_from_the_environment(compose):
    env = compose["services"]["web"]["environment"]
    assert env["PAKS_ENV"] == "production"
    # Secrets are required from the caller's environment, never written here.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["AWS_SECRET_ACCESS_KEY"].startswith("${MINIO_ROOT_PASSWORD:?")
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["DATABASE_URL"].endswith("@db:5432/paks")
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    migrate = compose["services"]["migrate"]["environment"]
    assert {k: v for k, v in env.items() if k in migrate} == migrate


def _resolved(value: str) -> str:
    """A compose value with ${VAR:-default} as its default and ${VAR:?message} as a stand-in."""
    value = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{(\w+):\?[^}]*\}", lambda m: f"{m.group(1).lower()}-" + "x" * 50, value)


def test_the_settings_start_with_exactly_what_compose_provides(compose):
    """Every variable production settings require is in the web service's environment: they
    load, and the checks pass, with that environment and nothing else. (Compose serves plain
    HTTP on localhost, so the HTTPS redirect the deploy check asks for is off there.)"""
    import subprocess
    import sys

    env = {k: _resolved(str(v)) for k, v in compose["services"]["web"]["environment"].items()}
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr + check.stdout


def render_nginx(tmp_path: Path, port: int, web: str, static: Path) -> Path:
    """deploy/nginx.conf.template as the nginx image's envsubst makes it."""
    text = (ROOT / "deploy" / "nginx.conf.template").read_text()
    for name, value in (("WEB_ADDRESS", web), ("PROXY_PORT", str(port)), ("STATIC_ROOT", static)):
        text = text.replace("${" + name + "}", str(value))
    assert "${" not in text
    target = tmp_path / "nginx.conf"
    target.write_text(text)
    return target


def test_the_nginx_configuration_is_valid_and_limits_compresses_and_streams(tmp_path):
    import shutil
    import subprocess

    config = render_nginx(tmp_path, 8080, "127.0.0.1:8000", tmp_path / "static")
    text = config.read_text()
    assert "client_max_body_size 52m;" in text
    assert "proxy_request_buffering off;" in text
    assert "gzip on;" in text
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "add_header X-Content-Type-Options nosniff always;" in text
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (CI installs it)")
    tested = subprocess.run(
        [nginx, "-t", "-c", str(config), "-e", "stderr"], capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stderr


def test_dockerfile_serves_with_gunicorn_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") or "FROM python:3.11" in dockerfile
    assert "FROM python:3.11" in dockerfile
    assert "USER paks" in dockerfile
    assert "collectstatic" in dockerfile
    assert '"gunicorn"' in dockerfile
    # The interface's translations are compiled into the image; Chinese PDFs have a font.
    assert "pybabel -q compile --domain django --directory locale" in dockerfile
    assert "fonts-noto-cjk" in dockerfile


def test_an_rq_worker_processes_documents_beside_the_web_server(compose):
    worker = compose["services"]["worker"]
    assert worker["build"] == "."
    assert worker["command"][:4] == ["python", "manage.py", "rqworker", "default"]
    job_class = worker["command"].index("--job-class")
    assert worker["command"][job_class + 1] == "django_tasks_rq.Job"
    # The same configuration as the web server, with the RQ task backend chosen there.
    web = compose["services"]["web"]["environment"]
    assert {k: v for k, v in web.items() if k in worker["environment"]} == worker["environment"]
    assert worker["environment"]["PAKS_TASK_BACKEND"] == "rq"
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # It reads the files the web server stored, from the same object storage.
    assert worker["environment"]["AWS_STORAGE_BUCKET_NAME"] == "paks"
    assert worker["restart"] == "unless-stopped"


def test_make_run_starts_the_database_task_worker_with_the_server():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun: data\n", 1)[1].split("\n\n", 1)[0]
    assert "scripts/task-worker & worker=$$!" in recipe
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
