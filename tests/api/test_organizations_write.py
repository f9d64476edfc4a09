"""Adding and correcting organizations through the API: who may, the fields' errors, If-Match."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from accounts.services import issue_token
from countries.models import Organization
from countries.services import (
    OrganizationError,
    OrganizationNotAllowed,
    create_organization,
    update_organization,
)
from tests.factories import (
    CountryFactory,
    EditorFactory,
    FocalPointFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def api(name, *args):
    return reverse(f"api-v1:{name}", args=args)


def client_for(user):
    client = APIClient()
    if user is not None:
        _, key = issue_token(user=user, name="tests")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def rows():
    """What a reader sees of every organization."""
    return {
        o.slug: (o.name, o.short_name, o.country.iso3 if o.country else None, o.updated_at)
        for o in Organization.objects.select_related("country")
    }


@pytest.fixture
def focal_point():
    return FocalPointFactory(country=CountryFactory(iso3="AAA"))


@pytest.fixture
def fp_client(focal_point):
    return client_for(focal_point.user)


def test_focal_point_adds_an_organization_of_its_country_with_a_short_name(fp_client):
    official = "Ministry of Posts, Telecommunications and the Digital Economy of Testland"
    response = fp_client.post(
        api("organization-list"),
        {"name": official, "short_name": "Digital ministry", "kind": "government"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["slug"] == "ministry-of-posts-telecommunications-and-the-digital-economy-of-testland"
    )
    assert body["country"]["iso3"] == "AAA"  # its only country, as none was named
    assert body["short_name"] == body["display_name"] == "Digital ministry"
    organization = Organization.objects.get(slug=body["slug"])
    assert response["ETag"] == fp_client.get(api("organization-detail", organization.slug))["ETag"]
    assert response["Location"].endswith(f"/api/v1/organizations/{organization.slug}/")
    event = AuditEvent.objects.get(action="organization_created")
    assert event.target_id == str(organization.pk)


def test_display_name_falls_back_to_the_acronym_then_the_name(client):
    OrganizationFactory(slug="a", name="Agency A", acronym="AA")
    OrganizationFactory(slug="b", name="Agency B")
    assert client.get(api("organization-detail", "a")).json()["display_name"] == "AA"
    assert client.get(api("organization-detail", "b")).json()["display_name"] == "Agency B"


def test_focal_point_giving_another_country_is_a_400_naming_the_country(fp_client):
    CountryFactory(iso3="BBB", name="Otherland")
    response = fp_client.post(
        api("organization-list"), {"name": "Elsewhere office", "country": "bbb"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "country"
    assert "Otherland" in body["errors"]["country"][0]
    assert not Organization.objects.filter(name="Elsewhere office").exists()


def test_a_focal_point_of_two_countries_must_say_which(focal_point):
    FocalPointFactory(user=focal_point.user, country=CountryFactory(iso3="BBB"))
    client = client_for(focal_point.user)
    response = client.post(api("organization-list"), {"name": "Which one"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "country"
    response = client.post(
        api("organization-list"), {"name": "Which one", "country": "BBB"}, format="json"
    )
    assert response.status_code == 201 and response.json()["country"]["iso3"] == "BBB"


def test_unknown_country_and_parent_are_400s_naming_the_field(fp_client):
    response = fp_client.post(
        api("organization-list"), {"name": "X", "country": "ZZZ"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "country"
    response = fp_client.post(
        api("organization-list"), {"name": "X", "parent": "no-such-body"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "parent"
    assert not Organization.objects.filter(name="X").exists()


def test_a_number_or_a_form_where_text_is_expected_is_refused(fp_client):
    body = {"name": "Body", "description": 1e-9}
    response = fp_client.post(api("organization-list"), body, format="json")
    assert response.status_code == 400 and response.json()["field"] == "description"
    response = fp_client.post(api("organization-list"), {"name": "Body", "parent": ""})
    assert response.status_code == 415  # JSON only: an empty form field is not "not given"
    assert not Organization.objects.filter(name="Body").exists()


def test_names_as_long_as_official_ones_and_no_longer(fp_client):
    response = fp_client.post(api("organization-list"), {"name": "M" * 500}, format="json")
    assert response.status_code == 201, response.json()
    assert len(response.json()["slug"]) <= 200
    response = fp_client.post(api("organization-list"), {"name": "N" * 501}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "name"
    response = fp_client.post(
        api("organization-list"), {"name": "Short", "short_name": "s" * 151}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "short_name"


def test_same_name_is_refused_and_same_slug_gets_a_number(fp_client):
    OrganizationFactory(name="Ministry of ICT", slug="ministry-of-ict")
    response = fp_client.post(api("organization-list"), {"name": "Ministry of ICT"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "name"
    response = fp_client.post(api("organization-list"), {"name": "Ministry of ICT!"}, format="json")
    assert response.status_code == 201 and response.json()["slug"] == "ministry-of-ict-2"
    response = fp_client.post(
        api("organization-list"), {"name": "Another", "slug": "ministry-of-ict"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "slug"


def test_patch_needs_if_match_and_a_stale_one_is_412(fp_client, focal_point):
    organization = OrganizationFactory(country=focal_point.country, name="Old name")
    url = api("organization-detail", organization.slug)
    etag = fp_client.get(url)["ETag"]
    before = rows()

    response = fp_client.patch(url, {"name": "New name"}, format="json")
    assert response.status_code == 428 and response.json()["code"] == "precondition_required"
    response = fp_client.patch(url, {"name": "New name"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 428
    assert rows() == before

    response = fp_client.patch(url, {"name": "New name"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "New name"
    assert response["ETag"] != etag
    assert response.json()["slug"] == organization.slug  # its address stays

    response = fp_client.patch(url, {"name": "Lost"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    organization.refresh_from_db()
    assert organization.name == "New name"
    assert AuditEvent.objects.filter(action="organization_changed").count() == 1


def test_put_replaces_the_fields_sent(fp_client, focal_point):
    organization = OrganizationFactory(country=focal_point.country, acronym="OLD")
    url = api("organization-detail", organization.slug)
    etag = fp_client.get(url)["ETag"]
    body = {"name": "Renamed body", "acronym": "RB", "kind": "academia", "country": "AAA"}
    response = fp_client.put(url, body, format="json", HTTP_IF_MATCH=f"W/{etag}")
    assert response.status_code == 200, response.json()
    organization.refresh_from_db()
    assert (organization.name, organization.acronym, organization.kind) == (
        "Renamed body",
        "RB",
        "academia",
    )


def test_focal_point_cannot_move_its_organization_to_another_country(fp_client, focal_point):
    CountryFactory(iso3="BBB")
    organization = OrganizationFactory(country=focal_point.country)
    url = api("organization-detail", organization.slug)
    before = rows()
    for country in ("BBB", None):
        response = fp_client.patch(
            url, {"country": country}, format="json", HTTP_IF_MATCH=fp_client.get(url)["ETag"]
        )
        assert response.status_code == 400 and response.json()["field"] == "country"
    assert rows() == before


def test_an_organization_cannot_be_part_of_its_own_unit(fp_client, focal_point):
    head = OrganizationFactory(country=focal_point.country)
    unit = OrganizationFactory(country=focal_point.country, parent=head)
    url = api("organization-detail", head.slug)
    response = fp_client.patch(
        url, {"parent": unit.slug}, format="json", HTTP_IF_MATCH=fp_client.get(url)["ETag"]
    )
    assert response.status_code == 400 and response.json()["field"] == "parent"
    head.refresh_from_db()
    assert head.parent is None


def test_organizations_are_never_deleted_through_the_api(db):
    organization = OrganizationFactory()
    client = client_for(EditorFactory())
    url = api("organization-detail", organization.slug)
    response = client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 405
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_list_filters_by_country_and_kind(client):
    home, abroad = CountryFactory(iso3="AAA"), CountryFactory(iso3="BBB")
    OrganizationFactory(slug="a-gov", country=home, kind="government")
    OrganizationFactory(slug="a-uni", country=home, kind="academia")
    OrganizationFactory(slug="b-gov", country=abroad, kind="government")

    def slugs(**params):
        response = client.get(api("organization-list"), params)
        assert response.status_code == 200, response.json()
        return sorted(o["slug"] for o in response.json()["results"])

    assert slugs(country="aaa") == ["a-gov", "a-uni"]
    assert slugs(country="AAA", kind="government") == ["a-gov"]
    assert slugs(kind="government") == ["a-gov", "b-gov"]
    assert slugs(country="ZZZ") == []  # no country has the code: nothing, as on events
    for bad in ({"country": "ZZ9"}, {"country": ""}, {"kind": "castle"}, {"kind": ""}):
        response = client.get(api("organization-list"), bad)
        assert response.status_code == 400 and response.json()["field"] == next(iter(bad))


def test_operators_write_through_the_same_service_without_a_person(db):
    organization = create_organization(user=None, data={"name": "UN DESA", "kind": "un_entity"})
    assert organization.country is None and organization.slug == "un-desa"
    update_organization(organization=organization, user=None, data={"short_name": "DESA"})
    organization.refresh_from_db()
    assert organization.display_name == "DESA"
    with pytest.raises(OrganizationError) as refused:
        create_organization(user=None, data={"name": "UN DESA"})
    assert refused.value.field == "name"


def test_the_service_refuses_people_without_a_country(db):
    with pytest.raises(OrganizationNotAllowed):
        create_organization(user=UserFactory(), data={"name": "Nobody's"})
    assert not Organization.objects.filter(name="Nobody's").exists()


# Who may write what: role x action x the organization's (or asked) country x field.

ROLES = ["anonymous", "signed_in", "staff", "own", "editor"]
ACTIONS = ["create", "edit"]
COUNTRIES = ["AAA", "BBB", None]  # the focal point's ("own") country is AAA
CHANGES = ["name", "short_name", "to_AAA", "to_BBB", "to_none"]


def reference(role, action, country, change):
    """The status a client gets, by the rules in plain words."""
    if role == "anonymous":
        return 401
    if role in {"signed_in", "staff"}:
        return 403
    if role == "editor":
        return 201 if action == "create" else 200
    target = {"to_AAA": "AAA", "to_BBB": "BBB", "to_none": None}.get(change, "keep")
    if action == "create":
        # A focal point's new organization is of its own country; leaving it out means that
        # one, but asking for none (null) is refused.
        if target == "keep":
            return 201 if country in ("AAA", None) else 400
        return 201 if target == "AAA" else 400
    if country != "AAA":
        return 403
    return 400 if target in ("BBB", None) else 200


def body_for(action, country, change):
    body = {}
    if action == "create":
        body = {"name": "Brand new body"}
        if country is not None:
            body["country"] = country
    match change:
        case "name":
            body["name"] = "Brand new body"
        case "short_name":
            body["short_name"] = "Newbody"
        case "to_none":
            body["country"] = None
        case _ if change.startswith("to_"):
            body["country"] = change[3:]
    return body


def check(role, action, country, change):
    cache.clear()  # the throttles count every example's requests otherwise
    with transaction.atomic():
        home, abroad = CountryFactory(iso3="AAA"), CountryFactory(iso3="BBB")
        countries = {"AAA": home, "BBB": abroad, None: None}
        people = {
            "anonymous": None,
            "signed_in": UserFactory(),
            "staff": UserFactory(is_staff=True),
            "own": FocalPointFactory(country=home).user,
            "editor": EditorFactory(),
        }
        existing = OrganizationFactory(slug="existing", country=countries[country])
        client = client_for(people[role])
        before = rows()
        body = body_for(action, country, change)
        if action == "create":
            response = client.post(api("organization-list"), body, format="json")
        else:
            url = api("organization-detail", existing.slug)
            response = client.patch(url, body, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
        want = reference(role, action, country, change)
        assert response.status_code == want, response.content[:300]
        after = rows()
        if want >= 400:
            assert after == before
            if want == 400:
                assert response.json()["field"] == "country"
        elif action == "create":
            assert set(after) - set(before) == {response.json()["slug"]}
        else:
            name, short_name, was, _ = before["existing"]
            if change == "name":
                name = "Brand new body"
            elif change == "short_name":
                short_name = "Newbody"
            else:
                was = {"to_AAA": "AAA", "to_BBB": "BBB", "to_none": None}[change]
            assert after["existing"][:3] == (name, short_name, was)
            # Saving what is already there is no change: the same version, the same ETag.
            unchanged = after["existing"][:3] == before["existing"][:3]
            assert (after["existing"][3] == before["existing"][3]) == unchanged
        transaction.set_rollback(True)


@settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    role=st.sampled_from(ROLES),
    action=st.sampled_from(ACTIONS),
    country=st.sampled_from(COUNTRIES),
    change=st.sampled_from(CHANGES),
)
def test_every_role_and_write_answers_as_the_reference(role, action, country, change):
    note(f"check({role!r}, {action!r}, {country!r}, {change!r})")
    check(role, action, country, change)


def test_a_focal_point_cannot_edit_an_organization_without_a_country():
    check("own", "edit", None, "short_name")


def test_a_focal_point_cannot_create_one_without_a_country_by_sending_null():
    check("own", "create", None, "to_none")


def test_an_editor_moves_an_organization_anywhere():
    check("editor", "edit", "BBB", "to_none")
