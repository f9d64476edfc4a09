"""The production stack as processes (scripts/stack): an upload through nginx is processed
by the RQ worker, stored in S3-compatible object storage and downloaded back intact."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def test_an_upload_goes_through_the_whole_stack():
    if connection.vendor != "sqlite":
        pytest.skip("the stack runs on a database of its own: the SQLite run covers it")
    missing = [
        name
        for name, present in (
            ("nginx", shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
            ("moto_server", (ROOT / ".venv" / "bin" / "moto_server").exists()),
            ("redis-cli", shutil.which("redis-cli")),
            ("psql", shutil.which("psql")),
        )
        if not present
    ]
    if missing and not os.environ.get("PAKS_REQUIRE_STACK"):
        pytest.skip(f"not installed here: {', '.join(missing)}")
    ran = subprocess.run(
        [str(ROOT / "scripts" / "stack"), "smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "stack smoke test passed" in ran.stdout
