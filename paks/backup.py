"""One archive that holds the whole portal, and its restoring into an empty one.

An archive (`.tar.gz`) holds:

- `database.xml`: every row, as Django's XML serialization (`dumpdata`): portable between
  SQLite and PostgreSQL, times to the microsecond, content types and permissions by their
  natural keys (the target's migrations make their own). The search index is not in it:
  it is made again from the cases after restoring. Sessions are not kept.
- `media/...`: every stored file (uploads, thumbnails), from whatever storage is configured.
- `manifest.json`: the schema version (the migrations applied, per app), the rows per model,
  and the SHA-256 and size of the database file and of every stored file.

Restoring needs a database migrated to the same schema version and holding no content, and
an empty media storage; it checks every checksum before it writes anything, and every
file's again once it is stored. The whole database load is one transaction.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone

FORMAT = 1
DATABASE_FILE = "database.xml"
MANIFEST_FILE = "manifest.json"
MEDIA_FOLDER = "media/"
# Made by the target's migrations, or again from the rows (the search index), or not worth
# keeping (sessions), or no table at all (django_rq's dashboard): everything else is copied.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "search", "django_rq"]
# Tables that must be empty before a restore: the content, not what migrations create.
CONTENT_MODELS = [
    "accounts.User",
    "countries.Country",
    "countries.Organization",
    "events.Event",
    "paks.CaseStudy",
    "paks.Document",
]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    rows: int
    files: int
    bytes: int


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def schema_version(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The migrations applied to the database, per app."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage, folders walked recursively (FileSystem and S3 alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a media folder not made yet: no files
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}{sub}/")


def _rows(path: Path) -> dict[str, int]:
    from xml.etree import ElementTree

    counts: Counter[str] = Counter()
    for _event, element in ElementTree.iterparse(path):
        if element.tag == "object":
            counts[str(element.get("model"))] += 1
            element.clear()
    return dict(sorted(counts.items()))


def _add(archive: tarfile.TarFile, name: str, stream: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = size, int(timezone.now().timestamp())
    archive.addfile(info, stream)


def backup(target: Path, *, storage: Storage | None = None) -> Summary:
    """Write the archive to `target` (a new file)."""
    storage = storage or default_storage
    if target.exists():
        raise BackupError(f"{target} exists already; name a new file.")
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE_FILE
        # One snapshot: on PostgreSQL the dump reads every table in one transaction.
        with transaction.atomic():
            call_command(
                "dumpdata",
                format="xml",
                natural_foreign=True,
                exclude=EXCLUDED,
                output=str(dump),
                verbosity=0,
            )
        with dump.open("rb") as stream:
            digest, size = _sha256(stream)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "schema": schema_version(),
            "database": {"file": DATABASE_FILE, "sha256": digest, "size": size},
            "rows": _rows(dump),
            "media": [],
        }
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                with dump.open("rb") as stream:
                    _add(archive, DATABASE_FILE, stream, size)
                for name in stored_files(storage):
                    with storage.open(name, "rb") as stream:
                        digest, size = _sha256(stream)
                    with storage.open(name, "rb") as stream:
                        _add(archive, MEDIA_FOLDER + name, stream, size)
                    manifest["media"].append({"name": name, "sha256": digest, "size": size})
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                _add(archive, MANIFEST_FILE, io.BytesIO(body), len(body))
            partial.rename(target)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(
        rows=sum(manifest["rows"].values()),
        files=len(manifest["media"]),
        bytes=sum(f["size"] for f in manifest["media"]),
    )


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST_FILE)
    except KeyError:
        raise BackupError("This is not a PAKS backup: it has no manifest.") from None
    if member is None:
        raise BackupError("The archive's manifest is not a file.")
    manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup's format ({manifest.get('format')}) is not {FORMAT}.")
    return manifest


def _verify(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Every member the manifest names is there, with its size and checksum."""
    expected = {manifest["database"]["file"]: manifest["database"]}
    expected |= {MEDIA_FOLDER + f["name"]: f for f in manifest["media"]}
    for name, entry in expected.items():
        try:
            member = archive.extractfile(name)
        except KeyError:
            raise BackupError(f"The archive lacks {name}.") from None
        if member is None:
            raise BackupError(f"{name} in the archive is not a file.")
        digest, size = _sha256(member)
        if (digest, size) != (entry["sha256"], entry["size"]):
            raise BackupError(f"{name} is damaged: its checksum does not match the manifest.")


def _check_empty(storage: Storage) -> None:
    for label in CONTENT_MODELS:
        if apps.get_model(label)._default_manager.exists():
            raise BackupError(
                f"The database holds content already ({label} rows): restore into an empty "
                "database that `manage.py migrate` has just made."
            )
    if next(stored_files(storage), None) is not None:
        raise BackupError("The media storage holds files already: restore into an empty one.")


def restore(source: Path, *, storage: Storage | None = None) -> Summary:
    """Bring an archive into this (empty, migrated) database and (empty) media storage."""
    from paks.search.index import rebuild, suspended

    storage = storage or default_storage
    with tarfile.open(source, "r:gz") as archive:
        manifest = _read_manifest(archive)
        _verify(archive, manifest)
        if manifest["schema"] != schema_version():
            raise BackupError(
                "This database's schema is not the backup's: run `manage.py migrate` with the "
                "release that made the backup, then restore."
            )
        _check_empty(storage)
        written: list[str] = []
        try:
            with tempfile.TemporaryDirectory() as work:
                dump = Path(work) / DATABASE_FILE
                member = archive.extractfile(manifest["database"]["file"])
                assert member is not None  # checked by _verify
                with dump.open("wb") as copy:
                    while chunk := member.read(CHUNK):
                        copy.write(chunk)
                # The rows come with their history and are indexed after: loading them
                # records no new history (m2m changes would) and reindexes nothing.
                with (
                    transaction.atomic(),
                    suspended(),
                    override_settings(SIMPLE_HISTORY_ENABLED=False),
                ):
                    # The migrations made the Editors group; the backup's groups replace it
                    # (ids and permissions as they were).
                    Group.objects.all().delete()
                    call_command("loaddata", str(dump), verbosity=0)
                    for entry in manifest["media"]:
                        stream = archive.extractfile(MEDIA_FOLDER + entry["name"])
                        assert stream is not None
                        saved = storage.save(entry["name"], File(stream, name=entry["name"]))
                        written.append(saved)
                        if saved != entry["name"]:
                            raise BackupError(f"The storage stored {entry['name']} as {saved}.")
                        with storage.open(saved, "rb") as check:
                            if _sha256(check)[0] != entry["sha256"]:
                                raise BackupError(f"{saved} was not stored intact.")
        except BaseException:
            for name in written:  # the rows rolled back: their files go too
                storage.delete(name)
            raise
    rebuild()  # the search index, from the restored cases
    return Summary(
        rows=sum(manifest["rows"].values()),
        files=len(manifest["media"]),
        bytes=sum(f["size"] for f in manifest["media"]),
    )
