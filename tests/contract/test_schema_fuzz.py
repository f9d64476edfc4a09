"""Property-based fuzzing of the whole API v1 schema with schemathesis and its default checks.

Anonymous and token-authenticated requests alike: no 5xx, documented status codes and
content types, bodies that match the schema.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from accounts.services import issue_token
from paks.wsgi import application
from tests.factories import (
    CaseStudyFactory,
    DocumentFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    SDGFactory,
    ThemeFactory,
)

# The schema view reads no rows, so the schema loads when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Requests go straight to the WSGI application, not through Django's test client, so
    its `request_finished` would close the database connection that holds the test's
    transaction (PostgreSQL). Detached here, as the test client itself does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, wsgi_keeps_the_test_connection):
    """A small corpus for the generated requests to find: public cases, a draft, an event."""
    focal_point = FocalPointFactory()
    case = CaseStudyFactory(published=True, country=focal_point.country, slug="harbour")
    case.themes.add(ThemeFactory(slug="service-delivery"))
    case.sdgs.add(SDGFactory(number=16))
    DocumentFactory(case=case)
    CaseStudyFactory(country=focal_point.country, slug="draft")
    EventFactory(slug="workshop")


@pytest.fixture
def credentials(db):
    """Headers for each kind of caller: anonymous, a focal point and an editor. Responses
    uncompressed: the fuzzer's WSGI client asks for gzip but does not unpack it."""
    plain = {"Accept-Encoding": "identity"}
    headers = [plain]
    for user in (FocalPointFactory().user, EditorFactory()):
        _, key = issue_token(user=user, name="fuzzing")
        headers.append({**plain, "Authorization": f"Token {key}"})
    return headers


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_v1_conforms_to_its_schema(case, api_data, credentials):
    for headers in credentials:
        cache.clear()  # throttling is tested elsewhere; here every request must be served
        case.call_and_validate(headers=headers)
