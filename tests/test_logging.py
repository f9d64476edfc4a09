"""Log lines carry the request's id, in the web process and in the worker for the tasks a
request queued; in production each line is one JSON object."""

import json
import logging
import logging.config
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_guid.log_filters import CorrelationId
from rest_framework.test import APIClient

from accounts.services import issue_token
from tests.factories import CaseStudyFactory, FocalPointFactory

SAMPLE = (Path(__file__).resolve().parents[1] / "paks" / "demo_files" / "example.pdf").read_bytes()


@pytest.mark.django_db
def test_a_request_keeps_a_valid_id_and_gets_one_otherwise(client):
    given = str(uuid.uuid4())
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    made = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert made != "<script>" and len(made) == 32


# db_worker checks its connection between tasks, which would end a test's transaction:
# this test commits for real instead.
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_queued_document_under_the_uploading_requests_id(caplog, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=focal.user, name='t')[1]}")
    request_id = uuid.uuid4().hex
    # The upload commits, and so queues its processing, as in production.
    response = client.post(
        f"/api/v1/cases/{case.slug}/documents/",
        {"file": SimpleUploadedFile("slides.pdf", SAMPLE)},
        HTTP_X_REQUEST_ID=request_id,
    )
    assert response.status_code == 201
    caplog.handler.addFilter(CorrelationId())
    with caplog.at_level(logging.INFO, logger="paks.documents.processing"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    lines = [r for r in caplog.records if r.name == "paks.documents.processing"]
    assert [r.getMessage().split()[0] for r in lines] == ["Processing", "Processed"]
    assert {r.correlation_id for r in lines} == {request_id}


def test_production_log_lines_are_json_objects_with_the_request_id():
    formatter = logging.config.DictConfigurator({}).configure_formatter(
        dict(settings.LOGGING["formatters"]["json"])
    )
    record = logging.LogRecord("paks.views", logging.WARNING, __file__, 1, "Slow %s", ("x",), None)
    record.correlation_id = "abc123"
    line = json.loads(formatter.format(record))
    assert line["level"] == "WARNING" and line["logger"] == "paks.views"
    assert line["message"] == "Slow x" and line["request_id"] == "abc123" and line["time"]
