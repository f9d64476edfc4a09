"""The benchmarks live outside the product: not in its settings, URLs or wheel; they run
with benchmarks.settings, on a database of their own unless told otherwise."""

import fnmatch
import os
import re
import subprocess
import sys
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from benchmarks import guard
from benchmarks.management.commands import bench_api
from countries.models import Country
from paks.models import CaseStudy
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EventFactory,
    OrganizationFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ["bench_search", "bench_api", "bench_upload", "bench_pages"]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def benchmark_settings():
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "benchmarks"]):
        yield


def test_the_product_settings_neither_install_the_benchmarks_nor_swap_the_urls():
    assert "benchmarks" not in settings.INSTALLED_APPS
    assert settings.ROOT_URLCONF == "paks.urls"


def test_the_environment_cannot_swap_the_product_urls():
    probe = "import django; django.setup(); from django.conf import settings as s;"
    probe += "print(s.ROOT_URLCONF, 'benchmarks' in s.INSTALLED_APPS)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "paks.settings", "PAKS_BENCHMARK_URLS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["paks.urls", "False"]


def test_the_benchmark_settings_are_the_products_plus_the_benchmarks():
    import benchmarks.settings as bench
    import paks.settings as product

    assert bench.INSTALLED_APPS[:-1] == product.INSTALLED_APPS
    assert bench.INSTALLED_APPS[-1] == "benchmarks"
    assert bench.ROOT_URLCONF == "benchmarks.urls"
    assert bench.DATABASES == product.DATABASES


def test_the_benchmark_commands_exist_only_with_the_benchmark_settings():
    product = run_manage("help", "bench_search")
    assert product.returncode != 0
    assert "Unknown command: 'bench_search'" in product.stderr
    bench = run_manage("help", "bench_search", DJANGO_SETTINGS_MODULE="benchmarks.settings")
    assert bench.returncode == 0, bench.stderr
    assert "--allow-existing-content" in bench.stdout


def test_the_bare_view_is_served_by_the_benchmark_urls_only(client):
    assert client.get("/bench/bare/").status_code == 404
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        response = client.get("/bench/bare/")
    assert response.status_code == 200
    assert response.json()["results"] == [{"slug": "fixed"}]


def test_the_benchmark_servers_run_with_the_benchmark_settings(monkeypatch):
    started = {}

    def popen(command, env):
        started.update(command=command, env=env)
        return object()

    monkeypatch.setattr(bench_api.subprocess, "Popen", popen)
    monkeypatch.setattr(bench_api, "_get", lambda port, path: 200)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "paks.settings")

    bench_api.Command()._start_server(port=8999, workers=2)

    assert started["env"]["DJANGO_SETTINGS_MODULE"] == "benchmarks.settings"
    assert "PAKS_BENCHMARK_URLS" not in started["env"]
    assert "paks.wsgi" in started["command"]


def test_the_wheel_leaves_the_benchmarks_out():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert any(fnmatch.fnmatch("paks", pattern) for pattern in include)
    assert not any(fnmatch.fnmatch("benchmarks", pattern) for pattern in include)


@pytest.mark.django_db
@pytest.mark.parametrize("command", BENCHMARKS)
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: CaseStudyFactory(published=True), id="a case"),
        pytest.param(EventFactory, id="an event"),
        pytest.param(lambda: UserFactory(email="someone@example.org"), id="an account"),
        pytest.param(OrganizationFactory, id="an organization"),
    ],
)
def test_a_benchmark_refuses_a_database_with_content_it_did_not_generate(
    benchmark_settings, command, content
):
    content()
    countries = Country.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command(command, stdout=StringIO())

    message = str(refused.value)
    assert "--allow-existing-content" in message
    assert str(connection.settings_dict["NAME"]) in message
    # Refused before anything was written: not even the reference tables were loaded.
    assert Country.objects.count() == countries


@pytest.mark.django_db
def test_the_refusal_counts_what_it_found():
    CaseStudyFactory.create_batch(2)
    EventFactory()

    with pytest.raises(CommandError, match=r"\(2 cases, 1 events, 2 organizations\)"):
        guard.refuse_foreign_content(allow=False)


@pytest.mark.django_db
def test_generated_rows_and_reference_tables_are_not_foreign():
    country = CountryFactory()
    organization = OrganizationFactory(slug="bench-agency-1", country=country)
    CaseStudyFactory(slug="bench-1", country=country, organization=organization)
    UserFactory(email="bench.upload@paks.example", username="bench-upload")

    assert guard.foreign_content() == {}
    guard.refuse_foreign_content(allow=False)


@pytest.mark.django_db
def test_allow_existing_content_lets_a_benchmark_write_beside_other_content():
    CaseStudyFactory()

    guard.refuse_foreign_content(allow=True)


@pytest.mark.django_db
def test_the_search_benchmark_runs_and_reports_both_endpoints_against_the_baseline(
    benchmark_settings,
):
    out = StringIO()
    call_command("bench_search", cases=25, runs=1, baseline_runs=1, stdout=out)
    report = out.getvalue()
    assert "25 published cases, 20 results + facets" in report
    for row in ("page, ", "API, ", "page, repeated", "API, repeated", "icontains baseline"):
        assert row in report
    assert len(re.findall(r"(\d+\.\d)x\n", report)) == 4, report
    assert CaseStudy.objects.exclude(slug__startswith="bench-").count() == 0
    # Its own corpus is no reason to refuse the next run.
    call_command("bench_search", cases=25, runs=1, baseline_runs=1, stdout=StringIO())


@pytest.mark.django_db
def test_the_pages_benchmark_reports_cold_and_warm_times_of_each_counting_page(
    benchmark_settings,
):
    out = StringIO()
    call_command("bench_pages", cases=15, runs=1, stdout=out)
    report = out.getvalue()
    assert "15 published cases" in report
    for page in ("home", "theme list", "SDG list", "country list", "theme", "SDG", "country"):
        assert re.search(rf"^{page} +[\d.]+ ms +[\d.]+ ms +[\d.]+ ms", report, re.M), page
