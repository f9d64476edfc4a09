"""manage.py backup and restore: a round trip gives back every row and every file, on SQLite,
on PostgreSQL and from one to the other; a damaged archive or a non-empty target changes
nothing."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from paks.backup import EXCLUDED
from paks.documents.accept import accept_document
from paks.services import publish_case, submit_case
from tests.factories import (
    CaseStudyFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    SDGFactory,
    ThemeFactory,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "paks" / "demo_files" / "example.pdf").read_bytes()
PG = "postgres://postgres@127.0.0.1:5432"

pytestmark = pytest.mark.django_db(transaction=True)


def dump_rows() -> list[dict]:
    """Every row the backup covers, as the XML serializer sees it (microseconds included)."""
    out = io.StringIO()
    call_command(
        "dumpdata", format="json", natural_foreign=True, exclude=EXCLUDED, stdout=out, verbosity=0
    )
    return json.loads(out.getvalue())


def files(media: Path) -> dict[str, str]:
    return {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def portal(settings, django_capture_on_commit_callbacks):
    """Cases in each status with themes, SDGs, an event, a focal point and stored files."""
    editor = EditorFactory()
    focal = FocalPointFactory()
    theme, sdg = ThemeFactory(), SDGFactory(number=16)
    event = EventFactory(country=focal.country)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            case = CaseStudyFactory(country=focal.country, event=event, title=f"Case {n}")
            case.themes.add(theme)
            case.sdgs.add(sdg)
            upload = SimpleUploadedFile(f"slides-{n}.pdf", SAMPLE + str(n).encode())
            accept_document(upload=upload, case=case, uploaded_by=focal.user)
            if n:
                case = submit_case(case=case, user=focal.user)
            if n == 2:
                publish_case(case=case, editor=editor)
    return Path(settings.MEDIA_ROOT)


def restore_elsewhere(archive: Path, database_url: str, media: Path, *, dump: bool = True):
    """Migrate an empty database, restore the archive into it, and read its rows back."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "REDIS_URL": "",
    }
    manage = [sys.executable, "manage.py"]

    def run(*args):
        return subprocess.run([*manage, *args], cwd=ROOT, env=env, capture_output=True, text=True)

    migrated = run("migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    restored = run("restore", str(archive))
    if not dump:
        return restored
    assert restored.returncode == 0, restored.stderr
    rows = run(
        "dumpdata", "--format=json", "--natural-foreign", *(f"--exclude={e}" for e in EXCLUDED)
    )
    assert rows.returncode == 0, rows.stderr
    return json.loads(rows.stdout)


@pytest.fixture
def postgres_database():
    name = f"paks_restore_{uuid.uuid4().hex[:8]}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    yield f"{PG}/{name}"
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_round_trip_gives_back_every_row_and_every_file(portal, tmp_path, target, request):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    media = tmp_path / "restored-media"
    if target == "sqlite":
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_database")
    rows, expected = restore_elsewhere(archive, url, media), dump_rows()
    from collections import Counter

    assert Counter(r["model"] for r in rows) == Counter(r["model"] for r in expected)
    for got, want in zip(rows, expected, strict=True):
        assert got == want
    assert files(media) == files(portal)
    assert len(files(media)) >= 3  # the uploads (and any thumbnails)
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["rows"]["paks.casestudy"] == 3
    assert set(manifest["schema"]) >= {"paks", "taxonomy", "accounts", "countries", "events"}


def test_the_search_index_is_made_again_after_a_restore(portal, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    database = tmp_path / "restored.sqlite3"
    media = tmp_path / "restored-media"
    restored = restore_elsewhere(archive, f"sqlite:///{database}", media, dump=False)
    assert restored.returncode == 0, restored.stderr
    import sqlite3

    indexed = sqlite3.connect(database).execute("SELECT count(*) FROM search_caseindex")
    assert indexed.fetchone()[0] == 1  # the one published case


def test_a_damaged_archive_is_refused_before_anything_is_written(portal, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + bytes([data[-1] ^ 1])  # one bit flipped
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    database = tmp_path / "restored.sqlite3"
    media = tmp_path / "restored-media"
    result = restore_elsewhere(damaged, f"sqlite:///{database}", media, dump=False)
    assert result.returncode != 0 and "damaged" in result.stderr
    import sqlite3

    cases = sqlite3.connect(database).execute("SELECT count(*) FROM paks_casestudy")
    assert cases.fetchone()[0] == 0
    assert not media.exists() or files(media) == {}


def test_a_restore_into_a_database_with_content_is_refused(portal, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="holds content already"):
        call_command("restore", str(archive), verbosity=0)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run covers it")
def test_backup_refuses_to_overwrite_an_existing_file(tmp_path, db):
    existing = tmp_path / "old.tar.gz"
    existing.write_bytes(b"old")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing), verbosity=0)
    assert existing.read_bytes() == b"old"
