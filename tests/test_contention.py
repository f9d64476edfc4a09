"""The embedded default (SQLite in a file) under concurrent writers, as `make run` serves it
to several people: two gunicorn workers, real connections, real locks.

Two edits with the same ETag: one 200, one 412, never a 500. A write that finds the database
locked past its timeout: 503 with Retry-After, nothing written, no file left behind.
"""

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from paks.documents.accept import ALLOWED

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "paks" / "demo_files" / "example.pdf").read_bytes()

# The SQLite suite runs it; the PostgreSQL run has nothing to add (the database is its own).
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="exercises the embedded SQLite default"
)

SETUP = """
from accounts.services import issue_token
from countries.models import Country, FocalPoint, Organization
from accounts.models import User
from paks.models import CaseStudy
country = Country.objects.create(iso3="AAA", iso2="AA", m49="999", name="Testland")
organization = Organization.objects.create(name="Ministry", slug="ministry", country=country)
user = User.objects.create(username="fp", email="fp@example.org")
FocalPoint.objects.create(user=user, country=country, organization=organization)
case = CaseStudy.objects.create(
    title="Shared case", slug="shared", summary="S", year=2024, country=country, created_by=user
)
print(issue_token(user=user, name="t")[1])
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection_.request(method, path, body=body, headers=headers or {})
        response = connection_.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection_.close()


@pytest.fixture
def server(tmp_path):
    """gunicorn with two workers on a migrated SQLite file, and the token of a focal point."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PAKS_SQLITE_TIMEOUT_SECONDS": "2",
        "PAKS_API_TOKEN_RATE": "100000/minute",
        "PAKS_TASK_BACKEND": "database",
        "REDIS_URL": "",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True
    )
    token = made.stdout.decode().split()[-1]
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "paks.wsgi", f"--bind=127.0.0.1:{port}"]
    process = subprocess.Popen([*command, "--workers=2", "--log-level=warning"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield {"port": port, "token": token, "db": tmp_path / "db.sqlite3", "media": tmp_path}
    finally:
        process.terminate()
        process.wait(timeout=30)


def version(server):
    row = sqlite3.connect(server["db"]).execute("SELECT version FROM paks_casestudy").fetchone()
    return row[0]


def test_two_edits_with_one_etag_give_200_and_412_never_500(server):
    headers = {"Authorization": f"Token {server['token']}", "Content-Type": "application/json"}
    for attempt in range(10):
        etag = f'"case-1-v{version(server)}"'
        start = threading.Barrier(2)
        statuses = []

        def edit(summary, etag=etag, start=start, statuses=statuses):
            body = json.dumps({"summary": summary})
            start.wait(timeout=10)
            status, _, _ = request(
                server["port"],
                "PATCH",
                "/api/v1/cases/shared/",
                body,
                {**headers, "If-Match": etag},
            )
            statuses.append(status)

        threads = [threading.Thread(target=edit, args=(f"{attempt} {n}",)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(statuses) == [200, 412], attempt
    assert version(server) == 11  # ten rounds, one edit each


def test_an_upload_while_the_database_stays_locked_is_503_and_leaves_nothing(server):
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + SAMPLE
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Authorization": f"Token {server['token']}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    holder = sqlite3.connect(server["db"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, longer than the 2 s timeout
    try:
        status, response_headers, content = request(
            server["port"], "POST", "/api/v1/cases/shared/documents/", body, headers
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert status == 503, content[:300]
    assert response_headers["Retry-After"] == "5"
    assert json.loads(content)["code"] == "busy"
    stored = [p for p in server["media"].rglob("*") if p.suffix.lstrip(".") in ALLOWED.values()]
    assert stored == []
    documents = sqlite3.connect(server["db"]).execute("SELECT count(*) FROM paks_document")
    assert documents.fetchone()[0] == 0
    # Once the other writer is done, the same upload goes through.
    status, _, _ = request(server["port"], "POST", "/api/v1/cases/shared/documents/", body, headers)
    assert status == 201


def test_the_task_worker_goes_on_after_the_database_stayed_locked(tmp_path):
    """scripts/task-worker (what `make run` starts): a lock held past the timeout may end a
    db_worker process, but not the work; a task queued afterwards is done."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PAKS_SQLITE_TIMEOUT_SECONDS": "1",
        "PAKS_TASK_BACKEND": "database",
        "REDIS_URL": "",
        "PYTHON": sys.executable,
    }
    database = tmp_path / "db.sqlite3"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    worker = subprocess.Popen(
        [str(ROOT / "scripts" / "task-worker")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # polling the queue
        holder = sqlite3.connect(database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer, for four times the timeout
        time.sleep(4)
        holder.execute("ROLLBACK")
        holder.close()
        queue = "from paks.search.index import reindex_batch; print(reindex_batch.enqueue([]).id)"
        queued = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", queue],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        task_id = queued.stdout.split()[-1].replace("-", "")
        deadline, status = time.monotonic() + 40, None
        while time.monotonic() < deadline and status != "SUCCESSFUL":
            time.sleep(0.5)
            row = (
                sqlite3.connect(database)
                .execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult "
                    "WHERE replace(id, '-', '') = ?",
                    [task_id],
                )
                .fetchone()
            )
            status = row[0] if row else None
        assert status == "SUCCESSFUL", status
    finally:
        worker.terminate()
        worker.wait(timeout=30)
