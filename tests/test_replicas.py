"""With DATABASE_REPLICA_URL, public reads go to the replica, everything else to the primary.
Tested against PostgreSQL with a second connection (the "replica") to the same database."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction

from core.replicas import REPLICA, ReplicaRouter, _public_read, _wrote

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"

SCENARIOS = """
import json
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from accounts.models import User
from accounts.services import issue_token
user = User.objects.create(username="fp", email="fp@example.org")
key = issue_token(user=user, name="t")[1]
signed_in = Client()
signed_in.force_login(user)
requests = {
    "anonymous page": lambda: Client().get("/themes/"),
    "anonymous API": lambda: Client().get("/api/v1/themes/"),
    "anonymous search": lambda: Client().get("/cases/", {"q": "registration"}),
    "anonymous API search": lambda: Client().get("/api/v1/cases/", {"q": "registration"}),
    "signed-in page": lambda: signed_in.get("/themes/"),
    "token API": lambda: Client().get("/api/v1/themes/", HTTP_AUTHORIZATION=f"Token {key}"),
}
found = {}
for name, send in requests.items():
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(
        connections["replica"]
    ) as replica:
        assert send().status_code == 200, name
    found[name] = {"primary": len(primary), "replica": len(replica)}
print(json.dumps(found))
"""


@pytest.fixture
def database():
    name = f"paks_replica_{uuid.uuid4().hex[:8]}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    yield f"{PG}/{name}"
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)


def test_public_reads_go_to_the_replica_and_the_rest_to_the_primary(database, tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": database,
        "DATABASE_REPLICA_URL": database,
        "MEDIA_ROOT": str(tmp_path),
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "testserver",
    }
    manage = [sys.executable, "manage.py"]
    env["STATIC_ROOT"] = str(tmp_path / "static")  # the pages name the collected files
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    ran = subprocess.run(
        [*manage, "shell", "-c", SCENARIOS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout.strip().splitlines()[-1])
    for name in ("anonymous page", "anonymous API", "anonymous search", "anonymous API search"):
        assert found[name]["primary"] == 0 and found[name]["replica"] > 0, (name, found)
    for name in ("signed-in page", "token API"):
        assert found[name]["replica"] == 0 and found[name]["primary"] > 0, (name, found)


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_after_a_write_or_inside_a_transaction_a_public_request_reads_the_primary():
    router = ReplicaRouter()
    reading, wrote = _public_read.set(True), _wrote.set(False)
    try:
        assert router.db_for_read(None) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(None) == DEFAULT_DB_ALIAS
        assert router.db_for_write(None) == DEFAULT_DB_ALIAS
        assert router.db_for_read(None) == DEFAULT_DB_ALIAS  # it wrote: its reads follow
    finally:
        _public_read.reset(reading)
        _wrote.reset(wrote)
    assert router.db_for_read(None) == DEFAULT_DB_ALIAS  # outside a public request
    assert router.allow_migrate(REPLICA, "paks") is False
