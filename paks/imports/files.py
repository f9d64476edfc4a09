"""The files a sheet's `documents` column names, given with the sheet as a ZIP (or, to the
command, a folder).

A name is found as an exact path in the ZIP or, when it has no folder in it, as the one
entry of that base name. A ZIP is refused whole when an entry's path leads out of it or
when it holds or unpacks to more than a sheet's documents need (a zip bomb); an entry is
read only when a row names it, into a temporary file, never above the upload limit.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from paks.documents.accept import (
    DocumentRejected,
    max_upload_bytes,
    sha256_of,
)
from paks.imports.matching import Unmatched

# More entries than a sheet's documents need suggests a mistake or a zip bomb.
MAX_ENTRIES = 2000
# All of a ZIP's entries together, and all that one import reads from it, in uploads' worth.
MAX_UNPACKED_UPLOADS = 20
CHUNK = 1024 * 1024
# "https:", "mailto:", "javascript:": a link (checked as one), not a file's name.
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
DRIVE = re.compile(r"^[A-Za-z]:")
# What macOS adds to the ZIPs it makes; never a document.
JUNK_FOLDERS = ("__MACOSX/",)


class FilesRefused(Exception):
    """A ZIP or folder that is not read at all; the message says why."""


def is_link(item: str) -> bool:
    return bool(SCHEME.match(item))


def total_limit() -> int:
    return MAX_UNPACKED_UPLOADS * max_upload_bytes()


def megabytes(size: int) -> str:
    # Translators: a size in megabytes.
    return _("%(size)s MB") % {"size": size // (1024 * 1024)}


def normalized(path: str) -> str:
    """How a path compares: "/" between folders, composed accents (macOS writes them apart)."""
    return unicodedata.normalize("NFC", path.strip().replace("\\", "/")).removeprefix("./")


def outside(path: str) -> bool:
    """An absolute path, or one that climbs out of the archive's folder."""
    path = path.replace("\\", "/")
    return path.startswith("/") or bool(DRIVE.match(path)) or ".." in path.split("/")


@dataclass(frozen=True)
class NamedFile:
    """A file a cell names (`name`, as written) and the entry it was found as (`path`)."""

    name: str
    path: str

    def __str__(self) -> str:
        return self.name


class Bundle:
    """Files found by name, read one at a time."""

    # Whether all a bundle's files together are limited (a ZIP's, against zip bombs).
    limited = False

    def __init__(self, paths: Iterable[str], *, label: str) -> None:
        self.label = label
        # Bytes read so far, each file once, against total_limit() (when `limited`).
        self.unpacked = 0
        self._read: set[str] = set()
        self._digests: dict[str, str] = {}
        self._exact: dict[str, list[str]] = defaultdict(list)
        self._by_base: dict[str, list[str]] = defaultdict(list)
        for path in paths:
            self._exact[normalized(path)].append(path)
            self._by_base[normalized(path).rsplit("/", 1)[-1]].append(path)

    def find(self, name: str, *, column: str = "documents") -> NamedFile:
        wanted = normalized(name)
        found = self._exact.get(wanted) or ([] if "/" in wanted else self._by_base.get(wanted))
        if not found:
            raise Unmatched(
                # Translators: the sheet's column (as named in the sheet), the file's name, then
                # the ZIP's file name.
                _('Column "%(column)s": no file "%(file)s" in %(zip)s.')
                % {"column": column, "file": name, "zip": self.label}
            )
        if len(found) > 1:
            shown = "; ".join(sorted(found)[:5])
            raise Unmatched(
                _(
                    'Column "%(column)s": "%(file)s" names several files in %(zip)s '
                    "(%(found)s); write its path in the ZIP."
                )
                % {"column": column, "file": name, "zip": self.label, "found": shown}
            )
        return NamedFile(name, found[0])

    def size(self, path: str) -> int:
        raise NotImplementedError

    def _source(self, path: str) -> IO[bytes]:
        raise NotImplementedError

    @contextmanager
    def open(self, path: str) -> Iterator[File[bytes]]:
        """The file, copied to a temporary file; DocumentRejected when it is too large or
        cannot be read."""
        limit = max_upload_bytes()
        too_large = _("The file is larger than %(size)s.") % {"size": megabytes(limit)}
        if self.size(path) > limit:
            raise DocumentRejected(too_large, code="too_large")
        with tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as spool:
            copied = 0
            try:
                with self._source(path) as source:
                    # Read no more than the limit, whatever the entry declares of itself.
                    while chunk := source.read(min(CHUNK, limit + 1 - copied)):
                        copied += len(chunk)
                        if copied > limit:
                            raise DocumentRejected(too_large, code="too_large")
                        spool.write(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
                raise DocumentRejected(
                    _(
                        "The file cannot be read from %(zip)s: it is damaged or packed in a "
                        "way ZIP readers do not share."
                    )
                    % {"zip": self.label},
                    code="damaged",
                ) from None
            if path not in self._read:
                self._read.add(path)
                self.unpacked += copied
            if self.limited and self.unpacked > total_limit():
                raise DocumentRejected(
                    _(
                        "The files the sheet names unpack to more than %(size)s; "
                        "import the sheet in parts."
                    )
                    % {"size": megabytes(total_limit())},
                    code="too_large",
                )
            spool.seek(0)
            upload: File[bytes] = File(spool, name=path.rsplit("/", 1)[-1])
            upload.size = copied
            yield upload

    def digest(self, path: str) -> str:
        """The file's SHA-256, as a stored document keeps it (to know it is attached)."""
        if path not in self._digests:
            with self.open(path) as upload:
                self._digests[path] = sha256_of(upload)
        return self._digests[path]

    def close(self) -> None:
        pass


class ZipBundle(Bundle):
    """The entries of a ZIP, its directory checked before anything is unpacked."""

    limited = True

    def __init__(self, source: str | Path | IO[bytes], *, label: str) -> None:
        try:
            self.archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, EOFError):
            raise FilesRefused(_("%(zip)s is not a ZIP file.") % {"zip": label}) from None
        try:
            entries = self.archive.infolist()
            if len(entries) > MAX_ENTRIES:
                refusal = ngettext(
                    # Translators: the ZIP's file name, then its number of files (over the limit).
                    "%(zip)s holds %(count)s entry; at most %(limit)s are read.",
                    "%(zip)s holds %(count)s entries; at most %(limit)s are read.",
                    len(entries),
                )
                raise FilesRefused(
                    refusal % {"zip": label, "count": len(entries), "limit": MAX_ENTRIES}
                )
            for entry in entries:
                if outside(entry.filename):
                    raise FilesRefused(
                        _('%(zip)s holds "%(path)s", a path outside the ZIP; it is not read.')
                        % {"zip": label, "path": entry.filename}
                    )
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > total_limit():
                raise FilesRefused(
                    _(
                        "%(zip)s unpacks to %(size)s, more than %(limit)s; give the files in "
                        "several ZIPs."
                    )
                    % {
                        "zip": label,
                        "size": megabytes(unpacked),
                        "limit": megabytes(total_limit()),
                    }
                )
        except FilesRefused:
            self.archive.close()
            raise
        self._entries = {
            entry.filename: entry
            for entry in entries
            if not entry.is_dir() and not entry.filename.startswith(JUNK_FOLDERS)
        }
        super().__init__(self._entries, label=label)

    def size(self, path: str) -> int:
        return self._entries[path].file_size

    def _source(self, path: str) -> IO[bytes]:
        entry = self._entries[path]
        if entry.flag_bits & 0x1:
            raise DocumentRejected(
                _("The file is encrypted in %(zip)s; zip it without a password.")
                % {"zip": self.label},
                code="encrypted",
            )
        return self.archive.open(entry)

    def close(self) -> None:
        self.archive.close()


class FolderBundle(Bundle):
    """The files under a folder (for the command); links are not followed out of it."""

    def __init__(self, root: Path, *, label: str | None = None) -> None:
        self.root = root
        paths = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
            for name in names:
                full = os.path.join(folder, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    paths.append(Path(os.path.relpath(full, root)).as_posix())
                if len(paths) > MAX_ENTRIES:
                    raise FilesRefused(
                        f"{root} holds more than {MAX_ENTRIES} files; give a folder of the "
                        "sheet's files only."
                    )
        super().__init__(paths, label=label or f"{root.name}/")

    def size(self, path: str) -> int:
        return (self.root / path).stat().st_size

    def _source(self, path: str) -> IO[bytes]:
        return (self.root / path).open("rb")


def open_bundle(path: Path) -> Bundle:
    """A ZIP or a folder given with a sheet; FilesRefused if it is neither, or unsafe."""
    if path.is_dir():
        return FolderBundle(path)
    if path.is_file():
        return ZipBundle(path, label=path.name)
    raise FilesRefused(f"No ZIP file or folder at {path}.")


def zip_bundle(data: bytes, *, label: str) -> ZipBundle:
    return ZipBundle(io.BytesIO(data), label=label)
