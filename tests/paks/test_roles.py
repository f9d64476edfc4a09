"""The roles, defined once in paks.roles: who is an editor, everywhere the same."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from paks import roles, services
from tests.factories import CaseStudyFactory, EditorFactory, FocalPointFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    focal = FocalPointFactory()
    by_permission = UserFactory(is_staff=True, email="perm@example.org")
    by_permission.user_permissions.add(Permission.objects.get(codename="change_casestudy"))
    return {
        "editor": EditorFactory(email="editor@example.org"),
        "superuser": UserFactory(is_staff=True, is_superuser=True, email="root@example.org"),
        "by permission": by_permission,
        "staff only": UserFactory(is_staff=True, email="staff@example.org"),
        "inactive editor": EditorFactory(is_active=False, email="gone@example.org"),
        "editors' permission, not staff": EditorFactory(is_staff=False, email="ns@example.org"),
        "focal point": focal.user,
    }


def test_the_editors_query_finds_exactly_the_people_is_editor_is_true_of(people):
    expected = {u.email for u in people.values() if roles.is_editor(u)}
    assert expected == {"editor@example.org", "root@example.org", "perm@example.org"}
    assert set(roles.editors().values_list("email", flat=True)) == expected


def test_a_submitted_case_is_announced_to_the_editors_only(
    people, django_capture_on_commit_callbacks
):
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_case(case=case, user=focal.user)
    # One message per person: nobody learns who else received it.
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "editor@example.org",
        "perm@example.org",
        "root@example.org",
    ]
