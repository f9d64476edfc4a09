"""Benchmark the API under gunicorn: requests per second of the case list and a case detail,
beside a bare Django view returning fixed JSON through the same middleware, in one run.

Run it on a database of its own: it adds generated cases (as bench_search does), and refuses a
database that holds content no benchmark generated unless given --allow-existing-content.

    DJANGO_SETTINGS_MODULE=benchmarks.settings \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/paks_bench python manage.py bench_api
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.management.commands.bench_search import Command as SearchBenchmark
from benchmarks.management.commands.bench_search import add_corpus_arguments
from paks.models import CaseStudy

# The servers the benchmarks start serve the site with the benchmarks' URLs (the bare view).
SERVER_SETTINGS = "benchmarks.settings"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    # gunicorn's sync workers close the connection after each response: one per request.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": "application/json", **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def start_gunicorn(port: int, env: dict[str, str], *options: str) -> subprocess.Popen[bytes]:
    """gunicorn serving the portal on loopback with the benchmarks' settings, once it answers
    /healthz."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "paks.wsgi",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        *options,
    ]
    server = subprocess.Popen(command, env={**env, "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _get(port, "/healthz") == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise CommandError("gunicorn did not start within 30 s")


class Command(BaseCommand):
    help = (
        "Requests per second of GET /api/v1/cases/ (20 items) and of a case detail under "
        "gunicorn with 2 workers on loopback, beside a bare JSON view, and their ratios."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_corpus_arguments(parser, cases=1000)
        parser.add_argument("--seconds", type=float, default=10, help="time per endpoint")
        parser.add_argument(
            "--rounds",
            type=int,
            default=5,
            help="the endpoints take turns this many times; each rate is the median round's",
        )
        parser.add_argument("--concurrency", type=int, default=4, help="client threads")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")

    def handle(self, *args: Any, **options: Any) -> None:
        corpus = SearchBenchmark()
        corpus.stdout, corpus.stderr = self.stdout, self.stderr  # its lines among this one's
        corpus.prepare(options)
        slug = CaseStudy.objects.published().order_by("pk").values_list("slug", flat=True)[0]
        # Anonymous reads are served from the shared cache once warm; "Cache-Control:
        # no-cache" makes the API compute them on every request, to show that cost too.
        uncached = {"Cache-Control": "no-cache"}
        targets: list[tuple[str, str, dict[str, str]]] = [
            ("bare Django view", "/bench/bare/", {}),
            ("case list (20)", "/api/v1/cases/?page_size=20", {}),
            ("case detail", f"/api/v1/cases/{slug}/", {}),
            ("case list, uncached", "/api/v1/cases/?page_size=20", uncached),
            ("list, no facets, uncached", "/api/v1/cases/?page_size=20&facets=false", uncached),
            ("case detail, uncached", f"/api/v1/cases/{slug}/", uncached),
        ]
        port = _free_port()
        server = self._start_server(port, options["workers"])
        try:
            for _name, path, headers in targets:
                for _ in range(20):  # warm: imports, connections, caches
                    if (status := _get(port, path, headers)) != 200:
                        raise CommandError(f"{path} answered {status}")
            # Taking turns spreads the machine's own ups and downs over every endpoint.
            rounds: dict[str, list[float]] = {name: [] for name, _, _ in targets}
            for _ in range(options["rounds"]):
                for name, path, headers in targets:
                    rounds[name].append(
                        self._measure(
                            port,
                            path,
                            headers,
                            options["seconds"] / options["rounds"],
                            options["concurrency"],
                        )
                    )
            results = {name: statistics.median(rates) for name, rates in rounds.items()}
        finally:
            server.terminate()
            server.wait(timeout=30)

        n = CaseStudy.objects.published().count()
        bare = results["bare Django view"]
        self.stdout.write(
            f"\n{self._vendor()}, {n} published cases, gunicorn {options['workers']} workers, "
            f"{options['concurrency']} client threads, {options['seconds']:.0f} s each"
        )
        self.stdout.write(f"{'':28}{'req/s':>10}{'of bare':>10}")
        for name, rps in results.items():
            self.stdout.write(f"{name:28}{rps:>10.1f}{rps / bare:>10.0%}")

    def _vendor(self) -> str:
        from django.db import connection

        return connection.vendor

    def _start_server(self, port: int, workers: int) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            # The anonymous rate limit would measure the throttle, not the API.
            "PAKS_API_ANON_RATE": "1000000/second",
            "LOG_LEVEL": "WARNING",
            # As in production: a cache shared by the workers (a database of its own).
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        }
        return start_gunicorn(port, env, f"--workers={workers}")

    def _measure(
        self, port: int, path: str, headers: dict[str, str], seconds: float, concurrency: int
    ) -> float:
        done = [0] * concurrency
        failures: list[int] = []
        stop = time.monotonic() + seconds

        def client(i: int) -> None:
            while time.monotonic() < stop:
                status = _get(port, path, headers)
                if status != 200:
                    failures.append(status)
                    return
                done[i] += 1

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        if failures:
            raise CommandError(f"{path} answered {failures[0]} under load")
        return sum(done) / elapsed
