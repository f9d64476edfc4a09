"""cleanup_uploads removes old orphaned files and expired idempotency keys, nothing else."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from paks.models import IdempotencyKey
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def age(name, hours):
    stamp = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))


def test_removes_old_orphans_keeps_named_and_young_files(capsys):
    document = DocumentFactory()
    kept = document.file.name
    old = default_storage.save("documents/2026/01/orphan.pdf", ContentFile(b"%PDF-1.4"))
    young = default_storage.save("documents/2026/11/in-progress.pdf", ContentFile(b"%PDF-1.4"))
    for name in (kept, old):
        age(name, 48)
    age(young, 1)
    user = UserFactory()
    IdempotencyKey.objects.create(user=user, key="old", fingerprint="x")
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    IdempotencyKey.objects.create(user=user, key="new", fingerprint="x")

    call_command("cleanup_uploads", "--dry-run")
    assert default_storage.exists(old)
    call_command("cleanup_uploads")
    out = capsys.readouterr().out
    assert f"removed {old}" in out
    assert "Removed 1 orphaned file(s) and 1 expired idempotency key(s)" in out
    assert not default_storage.exists(old)
    assert default_storage.exists(kept) and default_storage.exists(young)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
