"""The case serializers build their output directly (for speed); DRF's generic path, field by
field, must give exactly the same JSON, keys in the same order."""

import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from paks.api.serializers import (
    CaseDetailSerializer,
    CaseSerializer,
    SearchHitSerializer,
    WorkspaceCaseSerializer,
)
from paks.search.base import DocumentMatch, Hit
from tests.factories import CaseStudyFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def generic(serializer, instance):
    """What DRF's own Serializer.to_representation gives, field by field."""
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.fixture
def context():
    request = Request(APIRequestFactory().get("/api/v1/cases/", HTTP_HOST="testserver"))
    return {"request": request}


@pytest.fixture(params=["published, with organization", "draft, no organization"])
def case(request):
    if request.param.startswith("published"):
        return CaseStudyFactory(
            published=True, organization=OrganizationFactory(acronym="DICT"), slug="one-stop"
        )
    return CaseStudyFactory(organization=None, slug="a-draft")


@pytest.mark.parametrize(
    "serializer_class", [CaseSerializer, WorkspaceCaseSerializer, CaseDetailSerializer]
)
def test_direct_output_equals_drfs_field_by_field_output(serializer_class, case, context):
    direct = serializer_class(case, context=context).data
    expected = generic(serializer_class(case, context=context), case)
    assert list(direct.items()) == list(expected.items())
    assert direct["url"] == f"http://testserver/api/v1/cases/{case.slug}/"
    assert direct["web_url"] == f"http://testserver{case.get_absolute_url()}"


def test_a_search_hit_equals_drfs_output_with_and_without_a_document(case, context):
    match = DocumentMatch(document_id=7, title="Slides", page=3, unit="slide", snippet="x")
    for hit in (Hit(case=case, score=1.5, snippet="s"), Hit(case, 0.0, "s", document_match=match)):
        direct = SearchHitSerializer(hit, context=context).data
        assert list(direct.items()) == list(
            generic(SearchHitSerializer(hit, context=context), hit).items()
        )


def test_addresses_without_a_request_are_paths(case):
    data = CaseSerializer(case).data
    assert data["url"] == f"/api/v1/cases/{case.slug}/"
    assert data["web_url"] == case.get_absolute_url()
