"""Writes that change a case's status or span several rows.

Views, admin actions, API views and management commands all call these.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts import audit
from accounts.models import User
from countries.models import Country, countries_of
from paks import notifications, roles, webhooks
from paks.models import CaseComment, CaseLink, CaseStudy, Contribution, Document
from taxonomy.models import SDG, Theme

# How the history names the version an editor returned for changes (the review compares with it):
# a stored value, not translated. So are the other reasons given to the history below.
CHANGES_REQUESTED = "Changes requested"


class ServiceError(Exception):
    """A write that cannot happen; the message says why, in words for the person who asked."""


class InvalidTransition(ServiceError):
    pass


class NotAllowed(ServiceError):
    pass


class Refused(ServiceError):
    """A value the person may not give; `field` names it (the API answers 400 with it)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


class StaleVersion(ServiceError):
    """The case changed since the caller read it."""

    def __init__(self, message: str, *, current: CaseStudy) -> None:
        super().__init__(message)
        self.current = current


def unique_case_slug(title: str) -> str:
    """A slug from the title, with a number appended when another case already has it."""
    base = slugify(title)[:100].strip("-") or "case"
    slug, n = base, 2
    while CaseStudy.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _country_access_refusal(verb: str) -> str:
    """The refusal of `check_country_access`, one whole sentence per verb."""
    refusals = {
        "change": gettext("Only the country's focal points and editors may change this case."),
        "edit": gettext("Only the country's focal points and editors may edit this case."),
        "submit": gettext("Only the country's focal points and editors may submit this case."),
        "delete": gettext("Only the country's focal points and editors may delete this case."),
        "comment on": gettext(
            "Only the country's focal points and editors may comment on this case."
        ),
    }
    return refusals[verb]


def check_country_access(*, case: CaseStudy, user: User, verb: str = "change") -> None:
    """Editors work on every country's cases; a focal point only on its own country's.

    `verb`: change, edit, submit, delete or comment on."""
    if not roles.works_on(user, case):
        raise NotAllowed(_country_access_refusal(verb))


def check_version(case: CaseStudy, expected_version: int | None, *, verb: str = "edit") -> None:
    """Refuse a write based on an older version than the saved one (`verb`: edit or delete)."""
    if case.version != expected_version:
        versions = {"yours": expected_version, "saved": case.version}
        if verb == "delete":
            message = gettext(
                "Someone saved this case after you opened it (your copy is version "
                "%(yours)s, the saved one is version %(saved)s). "
                "Open it again to see their changes, then delete it if you still want to."
            )
        else:
            message = gettext(
                "Someone saved this case after you opened it (your copy is version "
                "%(yours)s, the saved one is version %(saved)s). "
                "Open it again to see their changes, then make yours."
            )
        raise StaleVersion(message % versions, current=case)


def _locked(case: CaseStudy) -> CaseStudy:
    return CaseStudy.objects.select_for_update().get(pk=case.pk)


def _for_history(case: CaseStudy, user: User, reason: str) -> None:
    """Who made the change and why, for the case's history (also outside a request)."""
    case._history_user = user  # type: ignore[attr-defined]
    case._change_reason = reason  # type: ignore[attr-defined]


@contextmanager
def _history_paused(case: CaseStudy) -> Iterator[None]:
    """Changes made inside are recorded together by the next save, as one version."""
    case.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del case.skip_history_when_saving  # type: ignore[attr-defined]


def _status_of(case: CaseStudy) -> str:
    """The case's status in words, in lower case, to go inside a sentence."""
    return case.get_status_display().lower()


def _transition_refusal(verb: str) -> str:
    """Why a case cannot take a step, one whole sentence per step; `%(status)s` to fill in."""
    refusals = {
        # Translators: %(status)s is the case's status in lower case, e.g. "published".
        "submit": gettext("Cannot submit a case that is %(status)s."),
        # Translators: %(status)s is the case's status in lower case, e.g. "draft".
        "publish": gettext("Cannot publish a case that is %(status)s."),
        # Translators: %(status)s is the case's status in lower case, e.g. "draft".
        "request changes on": gettext("Cannot request changes on a case that is %(status)s."),
        # Translators: %(status)s is the case's status in lower case, e.g. "draft".
        "archive": gettext("Cannot archive a case that is %(status)s."),
    }
    return refusals[verb]


def _transition(
    case: CaseStudy,
    *,
    user: User,
    allowed_from: tuple[str, ...],
    to: str,
    verb: str,
    reason: str,
    **stamps: object,
) -> CaseStudy:
    if case.status not in allowed_from:
        raise InvalidTransition(_transition_refusal(verb) % {"status": _status_of(case)})
    case.status = to
    for name, value in stamps.items():
        setattr(case, name, value)
    # The row is locked (`_locked`), so counting up here cannot lose another's update.
    case.version += 1
    _for_history(case, user, reason)
    case.save(update_fields=["status", "version", "updated_at", *stamps])
    return case


@transaction.atomic
def submit_case(*, case: CaseStudy, user: User, notify: bool = True) -> CaseStudy:
    """A focal point (or an editor) sends a draft or returned case for review. `notify`:
    e-mail the editors (not for a bulk import by an editor, who publishes at once)."""
    case = _locked(case)
    check_country_access(case=case, user=user, verb="submit")
    case = _transition(
        case,
        user=user,
        allowed_from=CaseStudy.EDITABLE_STATUSES,
        to=CaseStudy.Status.SUBMITTED,
        verb="submit",
        reason="Submitted for review",
        submitted_at=timezone.now(),
    )
    if notify:
        notifications.case_submitted(case)
    return case


@transaction.atomic
def publish_case(*, case: CaseStudy, editor: User, notify: bool = True) -> CaseStudy:
    """Only editors publish, and only what was submitted for review. `notify`: e-mail the
    country's focal points (not for a bulk import; webhooks are told either way)."""
    if not roles.may_review(editor):
        raise NotAllowed(gettext("Only editors may publish cases."))
    case = _locked(case)
    case = _transition(
        case,
        user=editor,
        allowed_from=(CaseStudy.Status.SUBMITTED,),
        to=CaseStudy.Status.PUBLISHED,
        verb="publish",
        reason="Published",
        published_at=timezone.now(),
    )
    audit.record(audit.Action.CASE_PUBLISHED, actor=editor, target=case)
    if notify:
        notifications.case_published(case)
    webhooks.emit(webhooks.CASE_PUBLISHED, case)
    return case


@transaction.atomic
def request_changes(*, case: CaseStudy, editor: User, comment: str) -> CaseStudy:
    """Return a submitted case to its country with a comment saying what to change."""
    if not roles.may_review(editor):
        raise NotAllowed(gettext("Only editors may request changes."))
    if not comment.strip():
        raise ServiceError(gettext("Say what should change: the comment is required."))
    case = _locked(case)
    case = _transition(
        case,
        user=editor,
        allowed_from=(CaseStudy.Status.SUBMITTED,),
        to=CaseStudy.Status.CHANGES_REQUESTED,
        verb="request changes on",
        reason=f"{CHANGES_REQUESTED}: {comment.strip()}"[:100],
    )
    comment_row = CaseComment.objects.create(case=case, author=editor, body=comment.strip())
    audit.record(audit.Action.CHANGES_REQUESTED, actor=editor, target=case)
    notifications.changes_requested(case, comment_row)
    return case


@transaction.atomic
def archive_case(*, case: CaseStudy, editor: User) -> CaseStudy:
    """Withdraw a published case from the public site; it stays in the records."""
    if not roles.may_review(editor):
        raise NotAllowed(gettext("Only editors may archive cases."))
    case = _locked(case)
    case = _transition(
        case,
        user=editor,
        allowed_from=(CaseStudy.Status.PUBLISHED,),
        to=CaseStudy.Status.ARCHIVED,
        verb="archive",
        reason="Archived",
    )
    audit.record(audit.Action.CASE_ARCHIVED, actor=editor, target=case)
    webhooks.emit(webhooks.CASE_ARCHIVED, case)
    return case


# The fields a focal point writes; status, version, country and dates are the services' own.
CASE_FIELDS = (
    "title",
    "summary",
    "challenge",
    "solution",
    "results",
    "lessons_learned",
    "year",
    "language",
    "organization",
    "event",
)


def _set_relations(case: CaseStudy, data: Mapping[str, Any]) -> None:
    themes: Iterable[Theme] | None = data.get("themes")
    sdgs: Iterable[SDG] | None = data.get("sdgs")
    links: Iterable[Mapping[str, str]] | None = data.get("links")
    if themes is not None:
        case.themes.set(themes)
    if sdgs is not None:
        case.sdgs.set(sdgs)
    if links is not None:
        case.links.all().delete()
        CaseLink.objects.bulk_create(
            CaseLink(case=case, title=link["title"], url=link["url"]) for link in links
        )


def _delete_files_on_commit(documents: Iterable[Document]) -> None:
    """Remove stored files once the rows that named them are gone for good."""
    for document in documents:
        for field in (document.file, document.thumbnail):
            if field.name:
                transaction.on_commit(partial(field.storage.delete, field.name))


def country_for_new_case(user: User, requested: Country | None) -> Country:
    """A focal point's cases are its own country's (said, or the only one), never another's;
    editors say which country."""
    if roles.is_editor(user):
        if requested is None:
            raise Refused(gettext("Say which country the case is about."), field="country")
        return requested
    own = list(countries_of(user).order_by("name"))
    if not own:
        raise NotAllowed(gettext("Only country focal points and editors may create cases."))
    if requested is None:
        if len(own) > 1:
            raise Refused(
                gettext("Say which of your countries this case is about."), field="country"
            )
        return own[0]
    if requested not in own:
        raise Refused(
            gettext("You are not a focal point of %(country)s: create cases of your own country.")
            % {"country": requested.name},
            field="country",
        )
    return requested


@transaction.atomic
def create_case(
    *, user: User, data: Mapping[str, Any], country: Country | None = None
) -> CaseStudy:
    """A new draft. Whatever else was asked, it starts as a draft of the user's country."""
    case = CaseStudy(
        **{name: data[name] for name in CASE_FIELDS if name in data},
        country=country_for_new_case(user, country),
        slug=unique_case_slug(data["title"]),
        status=CaseStudy.Status.DRAFT,
        created_by=user,
    )
    case.full_clean(exclude=["slug"])
    _for_history(case, user, "Created")
    with _history_paused(case):
        case.save()
        _set_relations(case, data)
    case.save()  # one version in the history, themes and SDGs included
    audit.record(audit.Action.CASE_CREATED, actor=user, target=case)
    return case


@transaction.atomic
def update_case(
    *,
    case: CaseStudy,
    user: User,
    data: Mapping[str, Any],
    expected_version: int | None,
    country: Country | None = None,
) -> CaseStudy:
    """Change a case's fields if nobody else changed it since `expected_version` was read;
    editors may also move it to another `country`."""
    case = _locked(case)
    check_country_access(case=case, user=user, verb="edit")
    if not roles.may_edit(user, case):
        if case.status == CaseStudy.Status.SUBMITTED:
            message = gettext(
                # Translators: %(status)s is the case's status in lower case, e.g. "submitted for
                # review".
                "A case that is %(status)s cannot be edited until an editor requests changes."
            )
        else:
            # Translators: %(status)s is the case's status in lower case, e.g. "published".
            message = gettext("A case that is %(status)s cannot be edited.")
        raise InvalidTransition(message % {"status": _status_of(case)})
    check_version(case, expected_version)
    if country is not None and country.pk != case.country_id:
        if not roles.is_editor(user):
            raise Refused(
                gettext("The case is %(country)s's; only editors move a case to another country.")
                % {"country": case.country.name},
                field="country",
            )
        case.country = country
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    case.full_clean(exclude=["slug"])
    if case.translations.filter(language=case.language).exists():
        raise Refused(
            # Translators: %(language)s is a language's name, e.g. "French".
            gettext(
                "The case has a translation into %(language)s: delete it before saying the "
                "case is written in %(language)s."
            )
            % {"language": dict(settings.LANGUAGES)[case.language]},
            field="language",
        )
    case.version += 1  # under the row lock taken above
    _for_history(case, user, "Edited")
    with _history_paused(case):
        _set_relations(case, data)
    case.save()  # one version in the history, themes and SDGs included
    audit.record(audit.Action.CASE_EDITED, actor=user, target=case, detail=f"v{case.version}")
    webhooks.emit(webhooks.CASE_UPDATED, case)  # when published
    return case


@transaction.atomic
def delete_case(*, case: CaseStudy, user: User, expected_version: int) -> None:
    """A draft is deleted with its documents; published work is archived, never deleted."""
    case = _locked(case)
    check_country_access(case=case, user=user, verb="delete")
    if case.status not in CaseStudy.EDITABLE_STATUSES:
        message = gettext(
            # Translators: %(status)s is the case's status in lower case, e.g. "published".
            "A case that is %(status)s cannot be deleted; editors archive published cases instead."
        )
        raise InvalidTransition(message % {"status": _status_of(case)})
    check_version(case, expected_version, verb="delete")
    _delete_files_on_commit(list(case.documents.all()))
    audit.record(audit.Action.CASE_DELETED, actor=user, target=case)
    case.delete()


@transaction.atomic
def add_comment(*, case: CaseStudy, user: User, body: str) -> CaseComment:
    """A remark on a case, usually a focal point's answer to an editor's request."""
    check_country_access(case=case, user=user, verb="comment on")
    if not body.strip():
        raise ServiceError(gettext("Write something: the comment is empty."))
    return CaseComment.objects.create(case=case, author=user, body=body.strip())


def document_version(document: Document) -> str:
    """A short fingerprint of what may change of a document: its details and its file.

    Processing (the preview, the text) leaves it as it is, so an upload's answer stays
    current while the preview is made; two writes based on the same reading cannot both win.
    """
    parts = (
        document.sha256,
        document.title,
        document.kind,
        document.language,
        document.case_id,
        document.event_id,
        document.contribution_id,
        document.external_url,
    )
    # str(), not repr(): a choice is the same version as its value ("report").
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


def _document_access_refusal(verb: str, owner: str) -> str:
    """The refusal of `_check_document_access`, one whole sentence per verb and owner."""
    refusals = {
        ("remove", "case"): gettext("You may remove documents only of a case you may edit."),
        ("change", "case"): gettext("You may change documents only of a case you may edit."),
        ("remove", "contribution"): gettext(
            "You may remove documents only of a contribution you may edit."
        ),
        ("change", "contribution"): gettext(
            "You may change documents only of a contribution you may edit."
        ),
        ("remove", "event"): gettext("Only editors may remove an event's documents."),
        ("change", "event"): gettext("Only editors may change an event's documents."),
    }
    return refusals[verb, owner]


def _check_document_access(document: Document, user: User, *, verb: str) -> None:
    """A document changes with its case or contribution (locked meanwhile, so no submit
    slips in between), by those who may still edit that; an event's own only by editors.
    `verb`: remove or change."""
    if document.case_id is not None:
        case = CaseStudy.objects.select_for_update().get(pk=document.case_id)
        if not roles.may_edit(user, case):
            raise NotAllowed(_document_access_refusal(verb, "case"))
    elif document.contribution_id is not None:
        contribution = Contribution.objects.select_for_update().get(pk=document.contribution_id)
        if not roles.may_edit_contribution(user, contribution):
            raise NotAllowed(_document_access_refusal(verb, "contribution"))
    elif not roles.is_editor(user):
        raise NotAllowed(_document_access_refusal(verb, "event"))


@transaction.atomic
def delete_document(*, document: Document, user: User) -> None:
    """Remove a document, and its stored files once that commits: from a case or a
    contribution that its remover may still edit, or by an editor from anywhere (an event's
    documents too)."""
    _check_document_access(document, user, verb="remove")
    _delete_files_on_commit([document])
    audit.record(audit.Action.DOCUMENT_DELETED, actor=user, target=document)
    document.delete()


# What those who may edit a document's case or contribution change of it.
DOCUMENT_DETAILS = ("title", "kind", "language")
# What an editor may change of a stored document; its file and what was read from it stay.
DOCUMENT_FIELDS = (*DOCUMENT_DETAILS, "case", "event", "external_url")


@transaction.atomic
def update_document(
    *,
    document: Document,
    user: User,
    data: Mapping[str, Any],
    expected_version: str | None = None,
) -> Document:
    """Change a document's title, kind or language (who may edit its case or contribution);
    editors also attach it elsewhere. With `expected_version` (`document_version` as read),
    only if nobody changed it since. It keeps its file."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _check_document_access(document, user, verb="change")
    moved = [
        n
        for n in DOCUMENT_FIELDS
        if n not in DOCUMENT_DETAILS and n in data
        if getattr(document, n) != data[n]
    ]
    if moved and not roles.is_editor(user):
        raise NotAllowed(
            gettext("Only editors may attach a document elsewhere or change its link.")
        )
    if expected_version is not None and document_version(document) != expected_version:
        raise StaleVersion(
            gettext(
                "Someone changed this document after you opened it. Open it again to see their "
                "changes, then make yours."
            ),
            current=document,  # type: ignore[arg-type]
        )
    for name in DOCUMENT_FIELDS:
        if name in data:
            setattr(document, name, data[name])
    if document.case_id is None and document.event_id is None:
        raise ServiceError(gettext("A document belongs to a case, an event, or both."))
    document.full_clean(exclude=["file", "thumbnail"])
    document._history_user = user  # type: ignore[attr-defined]
    document._change_reason = "Details edited"  # type: ignore[attr-defined]
    document.save()
    audit.record(audit.Action.DOCUMENT_EDITED, actor=user, target=document)
    return document
