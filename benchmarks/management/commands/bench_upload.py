"""Benchmark an upload's memory: how much a 100 MB upload raises the web process's peak memory.

A gunicorn worker (as in production) receives the upload through the API; its peak resident
memory (VmHWM, reset before each upload) is read from /proc, and compared in the same run with
a 1 MB upload as the baseline. The request body is streamed from disk by the client too.
Target: a 100 MB upload raises the peak by at most 30 MB.

Run it on a database of its own (it adds a case and a bench account, and removes its uploads);
it refuses a database that holds content no benchmark generated unless given
--allow-existing-content.

    DJANGO_SETTINGS_MODULE=benchmarks.settings \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/paks_bench python manage.py bench_upload
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import issue_token
from benchmarks.guard import MARK, add_allow_flag, refuse_foreign_content
from benchmarks.management.commands.bench_api import _free_port, start_gunicorn
from countries.models import Country, FocalPoint, Organization
from paks import services
from paks.models import CaseStudy, Document

TARGET_MB = 30
CHUNK = 1024 * 1024


def _pdf_of_size(path: Path, megabytes: int) -> None:
    """A valid PDF carrying `megabytes` of incompressible data in one stream, written in chunks."""
    size = megabytes * 1024 * 1024
    offsets = []
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        for number, body in enumerate(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            ],
            start=1,
        ):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        offsets.append(out.tell())
        out.write(b"4 0 obj\n<< /Length %d >>\nstream\n" % size)
        written = 0
        while written < size:
            chunk = os.urandom(min(CHUNK, size - written))
            out.write(chunk)
            written += len(chunk)
        out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 5\n0000000000 65535 f \n")
        out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
        out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def _multipart(path: Path, boundary: str) -> tuple[list[bytes], int]:
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return [head, tail], len(head) + path.stat().st_size + len(tail)


def _body(path: Path, head: bytes, tail: bytes) -> Iterator[bytes]:
    yield head
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk
    yield tail


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise CommandError(f"/proc/{pid}/status has no {field}")


class Command(BaseCommand):
    help = (
        "Peak memory rise of a gunicorn worker receiving a 100 MB upload through the API, "
        f"beside a 1 MB upload in the same run (target: at most {TARGET_MB} MB)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--megabytes", type=int, default=100, help="size of the big upload")
        parser.add_argument("--baseline-megabytes", type=int, default=1)
        parser.add_argument("--rounds", type=int, default=3, help="uploads of each size")
        add_allow_flag(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if not Path("/proc/self/clear_refs").exists():
            raise CommandError("This benchmark reads peak memory from Linux's /proc.")
        refuse_foreign_content(allow=options["allow_existing_content"])
        if not Country.objects.exists():
            call_command("load_reference", verbosity=0)
        key, case = self._account_and_case()
        sizes = [options["baseline_megabytes"], options["megabytes"]]
        port = _free_port()
        server = self._start_server(port, max(sizes) + 10)
        try:
            worker = self._worker_of(server.pid)
            with tempfile.TemporaryDirectory(prefix="paks-bench-upload-") as folder:
                files = {}
                for megabytes in sizes:
                    files[megabytes] = Path(folder) / f"upload-{megabytes}mb.pdf"
                    _pdf_of_size(files[megabytes], megabytes)
                self._upload(port, key, case.slug, files[sizes[0]], worker)  # warm up
                results: dict[int, list[tuple[float, float]]] = {m: [] for m in sizes}
                for _ in range(options["rounds"]):
                    for megabytes in sizes:
                        results[megabytes].append(
                            self._upload(port, key, case.slug, files[megabytes], worker)
                        )
        finally:
            server.terminate()
            server.wait(timeout=30)

        self.stdout.write(
            f"\ngunicorn (1 sync worker), uploads through POST /api/v1/cases/<slug>/documents/, "
            f"{options['rounds']} of each size; peak = the worker's VmHWM, reset before each"
        )
        self.stdout.write(f"{'upload':>10}{'seconds':>10}{'MB/s':>10}{'peak rise (MB)':>17}")
        rises = {}
        for megabytes, runs in results.items():
            seconds = sorted(s for s, _ in runs)[len(runs) // 2]
            rises[megabytes] = max(rise for _, rise in runs)
            self.stdout.write(
                f"{megabytes:>7} MB{seconds:>10.2f}{megabytes / seconds:>10.1f}"
                f"{rises[megabytes]:>17.1f}"
            )
        big, small = sizes[1], sizes[0]
        extra = rises[big] - rises[small]
        verdict = "met" if rises[big] <= TARGET_MB else "NOT met"
        self.stdout.write(
            f"\nA {big} MB upload raised the peak by {rises[big]:.1f} MB (the largest of its "
            f"runs), {extra:+.1f} MB against the {small} MB baseline; "
            f"target <= {TARGET_MB} MB: {verdict}."
        )

    def _account_and_case(self) -> tuple[str, CaseStudy]:
        country = Country.objects.order_by("iso3").first()
        assert country is not None
        # Marked as the benchmarks' own: the username, the slugs (the case's, from its title).
        user, _ = User.objects.get_or_create(
            email="bench.upload@paks.example", defaults={"username": f"{MARK}upload"}
        )
        organization, _ = Organization.objects.get_or_create(
            slug=f"{MARK}upload",
            defaults={"name": "Upload benchmark", "country": country},
        )
        FocalPoint.objects.get_or_create(
            user=user, country=country, defaults={"organization": organization}
        )
        _, key = issue_token(user=user, name=f"bench_upload {uuid.uuid4().hex[:8]}")
        case = CaseStudy.objects.filter(created_by=user).first() or services.create_case(
            user=user,
            data={
                "title": f"Bench upload {secrets.token_hex(4)}",
                "summary": "Benchmark.",
                "year": 2026,
            },
        )
        return key, case

    def _start_server(self, port: int, limit_mb: int) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "PAKS_MAX_UPLOAD_MB": str(limit_mb),
            "PAKS_API_TOKEN_RATE": "1000000/second",
        }
        return start_gunicorn(port, env, "--workers=1", "--timeout=300")

    def _worker_of(self, master: int) -> int:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if len(children) != 1:
            raise CommandError(f"expected one gunicorn worker, found {children}")
        return int(children[0])

    def _upload(
        self, port: int, key: str, slug: str, path: Path, worker: int
    ) -> tuple[float, float]:
        """Seconds taken and the worker's peak memory rise (MB) for one upload."""
        boundary = uuid.uuid4().hex
        (head, tail), length = _multipart(path, boundary)
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # peak := current
        before = _status_kib(worker, "VmRSS")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        started = time.perf_counter()
        try:
            connection.putrequest("POST", f"/api/v1/cases/{slug}/documents/")
            connection.putheader("Authorization", f"Token {key}")
            connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
            connection.putheader("Content-Length", str(length))
            connection.putheader("Accept", "application/json")
            connection.endheaders()
            for chunk in _body(path, head, tail):
                connection.send(chunk)
            response = connection.getresponse()
            answer = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        if response.status != 201:
            detail = json.loads(answer or b"{}")
            raise CommandError(f"upload of {path.name} answered {response.status}: {detail}")
        peak = _status_kib(worker, "VmHWM")
        # Removed at once, so that the same file can be uploaded again in the next round.
        document = Document.objects.select_related("case", "uploaded_by").get(
            pk=json.loads(answer)["id"]
        )
        uploader = document.uploaded_by
        if uploader is None:
            raise CommandError(f"document {document.pk} was stored without its uploader")
        services.delete_document(document=document, user=uploader)
        return seconds, (peak - before) / 1024
