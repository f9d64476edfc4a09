"""Tombstones: what a mirror must drop, written whenever an item leaves an API list.

The lists say what changed since a moment (`core.sync`); this says what went. Every path
that removes or hides an item (a service, the admin, a cascade) saves or deletes a model,
so the tombstones follow the models' signals, not any one caller:

- a case or contribution that stops being published, or an event that stops being public,
  gets a "withdrawn" tombstone, and so do the documents that were public with it; published
  again, it loses them and is listed as changed (its documents too);
- a deleted case, contribution, event, document or organization gets a "deleted" one.

A tombstone is public only when the item had been public: a deleted draft's is read by its
country's focal points and the editors, so that no one else learns that it existed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from countries.models import Organization
from events.models import Event
from paks.models import CaseStudy, Contribution, Document, Tombstone

PUBLISHED = CaseStudy.Status.PUBLISHED
_WAS_PUBLIC = "_sync_was_public"


def _kind(obj: Model) -> str:
    return {
        CaseStudy: Tombstone.Kind.CASE,
        Contribution: Tombstone.Kind.CONTRIBUTION,
        Event: Tombstone.Kind.EVENT,
        Document: Tombstone.Kind.DOCUMENT,
        Organization: Tombstone.Kind.ORGANIZATION,
    }[type(obj)]


def _key(obj: Model) -> str:
    """The item's key in the API's addresses: a slug, or the id of documents and
    contributions."""
    if isinstance(obj, CaseStudy | Event | Organization):
        return obj.slug
    return str(obj.pk)


def _is_public(obj: Model) -> bool:
    if isinstance(obj, CaseStudy):
        return obj.status == PUBLISHED
    if isinstance(obj, Contribution):
        return (
            obj.status == PUBLISHED
            and Event.objects.filter(pk=obj.event_id, is_public=True).exists()
        )
    if isinstance(obj, Event):
        return bool(obj.is_public)
    if isinstance(obj, Document):
        return Document.objects.public().filter(pk=obj.pk).exists()
    return True  # organizations are all public


def _country_id(obj: Model) -> int | None:
    """Whose focal points may read a tombstone that is not public."""
    if isinstance(obj, CaseStudy | Contribution):
        return obj.country_id
    if isinstance(obj, Document):
        if obj.case_id is not None:
            return (
                CaseStudy.objects.filter(pk=obj.case_id)
                .values_list("country_id", flat=True)
                .first()
            )
        if obj.contribution_id is not None:
            return (
                Contribution.objects.filter(pk=obj.contribution_id)
                .values_list("country_id", flat=True)
                .first()
            )
    return None  # an event's own: editors only, unless it was public


def bury(obj: Model, reason: str, *, public: bool) -> None:
    """Record (or renew) the item's tombstone."""
    Tombstone.objects.update_or_create(
        kind=_kind(obj),
        object_id=obj.pk,
        defaults={
            "key": _key(obj),
            "reason": reason,
            "public": public,
            "country_id": _country_id(obj),
            "removed_at": timezone.now(),
        },
    )


def _bury_documents(documents: Any) -> None:
    for document in documents:
        bury(document, Tombstone.Reason.WITHDRAWN, public=True)


def _raise_documents(documents: Any) -> None:
    """Documents public again: no tombstones, and listed as changed."""
    ids = list(documents.values_list("pk", flat=True))
    Tombstone.objects.filter(kind=Tombstone.Kind.DOCUMENT, object_id__in=ids).delete()
    Document.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def _documents_public_with(obj: Model) -> Any:
    """The documents that are public exactly when `obj` is (as its parts)."""
    if isinstance(obj, CaseStudy):
        return Document.objects.filter(case=obj)
    if isinstance(obj, Contribution):
        return Document.objects.filter(contribution=obj)
    # An event's own documents, and those of its published contributions.
    return Document.objects.filter(
        Q(case__isnull=True, contribution__isnull=True) | Q(contribution__status=PUBLISHED),
        event_id=obj.pk,
    )


def before_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        setattr(instance, _WAS_PUBLIC, False)
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    setattr(instance, _WAS_PUBLIC, old is not None and _is_public(old))


def after_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    was, now = getattr(instance, _WAS_PUBLIC, False), _is_public(instance)
    if now:
        Tombstone.objects.filter(kind=_kind(instance), object_id=instance.pk).delete()
        if not was:
            _raise_documents(_documents_public_with(instance))
            if isinstance(instance, Event):
                contributions = Contribution.objects.filter(event=instance, status=PUBLISHED)
                Tombstone.objects.filter(
                    kind=Tombstone.Kind.CONTRIBUTION,
                    object_id__in=contributions.values_list("pk", flat=True),
                ).delete()
                contributions.update(updated_at=timezone.now())
    elif was:
        bury(instance, Tombstone.Reason.WITHDRAWN, public=True)
        _bury_documents(_documents_public_with(instance))
        if isinstance(instance, Event):
            for contribution in Contribution.objects.filter(event=instance, status=PUBLISHED):
                bury(contribution, Tombstone.Reason.WITHDRAWN, public=True)


def after_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if isinstance(instance, Document):
        public = _was_public_document(instance)
    else:
        public = _is_public(instance)
    bury(instance, Tombstone.Reason.DELETED, public=public)


def _was_public_document(document: Document) -> bool:
    """After the row is gone, whether the document had been public, from its parents."""
    if document.case_id is not None:
        return CaseStudy.objects.filter(pk=document.case_id, status=PUBLISHED).exists()
    if document.contribution_id is not None:
        return Contribution.objects.filter(
            pk=document.contribution_id, status=PUBLISHED, event__is_public=True
        ).exists()
    return (
        document.event_id is not None
        and Event.objects.filter(pk=document.event_id, is_public=True).exists()
    )


def connect() -> None:
    models: tuple[type[Model], ...] = (CaseStudy, Contribution, Event)
    for model in models:
        pre_save.connect(before_save, sender=model, dispatch_uid=f"sync-pre-{model.__name__}")
        post_save.connect(after_save, sender=model, dispatch_uid=f"sync-post-{model.__name__}")
    removable: tuple[type[Model], ...] = (*models, Document, Organization)
    for model in removable:
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"sync-del-{model.__name__}")
