"""Writes that change a case's status or span several rows.

Views, admin actions, API views and management commands all call these.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from paks.models import CaseComment, CaseStudy
from paks.search.index import reindex_later


class ServiceError(Exception):
    """A write that cannot happen; the message says why, in words for the person who asked."""


class InvalidTransition(ServiceError):
    pass


class NotAllowed(ServiceError):
    pass


class StaleVersion(ServiceError):
    """The case changed since the caller read it."""


def unique_case_slug(title: str) -> str:
    """A slug from the title, with a number appended when another case already has it."""
    base = slugify(title)[:100].strip("-") or "case"
    slug, n = base, 2
    while CaseStudy.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _locked(case: CaseStudy) -> CaseStudy:
    return CaseStudy.objects.select_for_update().get(pk=case.pk)


def _transition(
    case: CaseStudy, *, allowed_from: tuple[str, ...], to: str, verb: str, **stamps: object
) -> CaseStudy:
    if case.status not in allowed_from:
        raise InvalidTransition(
            f"Cannot {verb} a case that is {case.get_status_display().lower()}."
        )
    case.status = to
    for name, value in stamps.items():
        setattr(case, name, value)
    case.version = F("version") + 1
    case.save(update_fields=["status", "version", "updated_at", *stamps])
    case.refresh_from_db()
    return case


@transaction.atomic
def submit_case(*, case: CaseStudy, user: User) -> CaseStudy:
    """A focal point (or an editor) sends a draft or returned case for review."""
    case = _locked(case)
    if not case.is_editable_by(user):
        raise NotAllowed("Only the country's focal points and editors may submit this case.")
    return _transition(
        case,
        allowed_from=CaseStudy.EDITABLE_STATUSES,
        to=CaseStudy.Status.SUBMITTED,
        verb="submit",
        submitted_at=timezone.now(),
    )


@transaction.atomic
def publish_case(*, case: CaseStudy, editor: User) -> CaseStudy:
    """Only editors publish, and only what was submitted for review."""
    if not editor.is_editor:
        raise NotAllowed("Only editors may publish cases.")
    case = _locked(case)
    case = _transition(
        case,
        allowed_from=(CaseStudy.Status.SUBMITTED,),
        to=CaseStudy.Status.PUBLISHED,
        verb="publish",
        published_at=timezone.now(),
    )
    reindex_later(case.pk)
    return case


@transaction.atomic
def request_changes(*, case: CaseStudy, editor: User, comment: str) -> CaseStudy:
    """Return a submitted case to its country with a comment saying what to change."""
    if not editor.is_editor:
        raise NotAllowed("Only editors may request changes.")
    if not comment.strip():
        raise ServiceError("Say what should change: the comment is required.")
    case = _locked(case)
    case = _transition(
        case,
        allowed_from=(CaseStudy.Status.SUBMITTED,),
        to=CaseStudy.Status.CHANGES_REQUESTED,
        verb="request changes on",
    )
    CaseComment.objects.create(case=case, author=editor, body=comment.strip())
    return case


@transaction.atomic
def archive_case(*, case: CaseStudy, editor: User) -> CaseStudy:
    """Withdraw a published case from the public site; it stays in the records."""
    if not editor.is_editor:
        raise NotAllowed("Only editors may archive cases.")
    case = _locked(case)
    case = _transition(
        case,
        allowed_from=(CaseStudy.Status.PUBLISHED,),
        to=CaseStudy.Status.ARCHIVED,
        verb="archive",
    )
    reindex_later(case.pk)
    return case
