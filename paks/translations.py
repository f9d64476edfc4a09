"""Translations of cases into the portal's other languages: written by the case's country's
focal points (or by the editors), reviewed and published by the editors.

A translation has its own small workflow: draft → submitted → published, and back to draft
when an editor returns it with a comment (kept with the case's remarks). Every write here
reindexes the case: published translations are searched with it (`paks.search.index.parts`),
and the index's new version makes cached public reads stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts import audit
from accounts.models import User
from events.translations import Shown, page_language
from paks import roles
from paks.models import CaseComment, CaseStudy, CaseTranslation
from paks.search.base import CaseRow
from paks.search.index import reindex_later
from paks.services import InvalidTransition, NotAllowed, Refused, ServiceError

# The fields a translator writes; status, version and dates are the services' own.
TRANSLATION_FIELDS = ("title", "summary", "challenge", "solution", "results", "lessons_learned")


class StaleTranslation(ServiceError):
    """The translation changed since the caller read it."""

    def __init__(self, message: str, *, current: CaseTranslation) -> None:
        super().__init__(message)
        self.current = current


def language_name(code: str) -> str:
    """A language's name in the active language ("French", "français")."""
    return str(dict(settings.LANGUAGES).get(code, code))


def other_languages(case: CaseStudy) -> list[tuple[str, str]]:
    """The languages a case may be translated into: the portal's, but the case's own."""
    return [(code, str(name)) for code, name in settings.LANGUAGES if code != case.language]


def _locked(translation: CaseTranslation) -> CaseTranslation:
    # The case first, then the translation: every write here takes them in this order.
    CaseStudy.objects.select_for_update().filter(pk=translation.case_id).exists()
    return CaseTranslation.objects.select_for_update().select_related("case").get(pk=translation.pk)


def _for_history(translation: CaseTranslation, user: User, reason: str) -> None:
    translation._history_user = user  # type: ignore[attr-defined]
    translation._change_reason = reason  # type: ignore[attr-defined]


def _status_of(translation: CaseTranslation) -> str:
    return translation.get_status_display().lower()


def _check_access(case: CaseStudy, user: User) -> None:
    if not roles.works_on(user, case):
        raise NotAllowed(
            gettext("Only the country's focal points and editors may translate this case.")
        )


def check_language(case: CaseStudy, language: str) -> None:
    """Refuse a language the portal does not have, or the case's own."""
    if language not in dict(settings.LANGUAGES):
        raise Refused(
            # Translators: %(language)s is a language code, e.g. "de".
            gettext("“%(language)s” is not one of the portal's languages.")
            % {"language": language},
            field="language",
        )
    if language == case.language:
        raise Refused(
            # Translators: %(language)s is a language's name, e.g. "French".
            gettext("The case is written in %(language)s: translate it into another language.")
            % {"language": language_name(language)},
            field="language",
        )


@transaction.atomic
def save_case_translation(
    *,
    case: CaseStudy,
    language: str,
    data: Mapping[str, Any],
    user: User,
    expected_version: int | None = None,
    withdraw: bool = False,
) -> CaseTranslation:
    """Create the case's translation into `language`, or change it if nobody else changed it
    since `expected_version` was read. A focal point changes a draft; a published one only
    with `withdraw`, which takes it off the public site until the editors publish it again.
    Editors change any translation, whatever its status."""
    case = CaseStudy.objects.select_for_update().get(pk=case.pk)
    _check_access(case, user)
    check_language(case, language)
    translation = (
        CaseTranslation.objects.select_for_update().filter(case=case, language=language).first()
    )
    created = translation is None
    if translation is None:
        translation = CaseTranslation(
            case=case,
            language=language,
            status=CaseTranslation.Status.DRAFT,
            translated_by=user,
        )
    else:
        if translation.version != expected_version:
            raise StaleTranslation(
                gettext(
                    "Someone saved this translation after you opened it (your copy is version "
                    "%(yours)s, the saved one is version %(saved)s). "
                    "Open it again to see their changes, then make yours."
                )
                % {"yours": expected_version, "saved": translation.version},
                current=translation,
            )
        if not roles.is_editor(user):
            if translation.status == CaseTranslation.Status.SUBMITTED:
                raise InvalidTransition(
                    gettext(
                        "This translation is waiting for review; it can be changed again if "
                        "an editor returns it."
                    )
                )
            if translation.status == CaseTranslation.Status.PUBLISHED:
                if not withdraw:
                    raise InvalidTransition(
                        gettext(
                            "This translation is published. Changing it takes it off the public "
                            "site until the editors publish it again: confirm that you want this."
                        )
                    )
                translation.status = CaseTranslation.Status.DRAFT
                translation.published_at = None
        translation.version += 1  # under the row lock taken above
    for name in TRANSLATION_FIELDS:
        if name in data:
            setattr(translation, name, data[name])
    translation.full_clean(exclude=["case"])
    _for_history(translation, user, "Created" if created else "Edited")
    translation.save()
    audit.record(
        audit.Action.CASE_EDITED,
        actor=user,
        target=case,
        detail=f"translation {language} v{translation.version}",
    )
    reindex_later([case.pk])
    return translation


def _transition(
    translation: CaseTranslation,
    *,
    user: User,
    allowed_from: tuple[str, ...],
    to: str,
    refusal: str,
    reason: str,
) -> CaseTranslation:
    if translation.status not in allowed_from:
        raise InvalidTransition(refusal % {"status": _status_of(translation)})
    translation.status = to
    translation.published_at = timezone.now() if to == CaseTranslation.Status.PUBLISHED else None
    translation.version += 1  # under the row lock (`_locked`)
    _for_history(translation, user, reason)
    translation.save(update_fields=["status", "published_at", "version", "updated_at"])
    reindex_later([translation.case_id])
    return translation


@transaction.atomic
def submit_case_translation(*, translation: CaseTranslation, user: User) -> CaseTranslation:
    """A focal point (or an editor) sends a draft translation for review."""
    translation = _locked(translation)
    _check_access(translation.case, user)
    return _transition(
        translation,
        user=user,
        allowed_from=(CaseTranslation.Status.DRAFT,),
        to=CaseTranslation.Status.SUBMITTED,
        # Translators: %(status)s is the translation's status in lower case, e.g. "published".
        refusal=gettext("Cannot submit a translation that is %(status)s."),
        reason="Submitted for review",
    )


@transaction.atomic
def publish_case_translation(*, translation: CaseTranslation, editor: User) -> CaseTranslation:
    """Only editors publish a translation: one submitted for review, or a draft of their own
    making. The public sees it once the case itself is published."""
    if not roles.may_review(editor):
        raise NotAllowed(gettext("Only editors may publish translations."))
    translation = _locked(translation)
    return _transition(
        translation,
        user=editor,
        allowed_from=(CaseTranslation.Status.DRAFT, CaseTranslation.Status.SUBMITTED),
        to=CaseTranslation.Status.PUBLISHED,
        # Translators: %(status)s is the translation's status in lower case, e.g. "published".
        refusal=gettext("Cannot publish a translation that is %(status)s."),
        reason="Published",
    )


@transaction.atomic
def return_case_translation(
    *, translation: CaseTranslation, editor: User, comment: str
) -> CaseTranslation:
    """Return a submitted (or published) translation to draft, with a comment saying what to
    change; the comment joins the case's remarks, which its focal points read."""
    if not roles.may_review(editor):
        raise NotAllowed(gettext("Only editors may return translations."))
    if not comment.strip():
        raise ServiceError(gettext("Say what should change: the comment is required."))
    translation = _locked(translation)
    translation = _transition(
        translation,
        user=editor,
        allowed_from=(CaseTranslation.Status.SUBMITTED, CaseTranslation.Status.PUBLISHED),
        to=CaseTranslation.Status.DRAFT,
        # Translators: %(status)s is the translation's status in lower case, e.g. "draft".
        refusal=gettext("Cannot return a translation that is %(status)s."),
        reason=f"Returned: {comment.strip()}"[:100],
    )
    # Translators: the start of an editor's remark on a translation, e.g. "Translation into
    # French: …".
    heading = gettext("Translation into %(language)s:") % {
        "language": language_name(translation.language)
    }
    CaseComment.objects.create(
        case=translation.case, author=editor, body=f"{heading} {comment.strip()}"
    )
    return translation


@transaction.atomic
def delete_case_translation(
    *, translation: CaseTranslation, user: User, expected_version: int | None = None
) -> None:
    """A focal point deletes a draft translation of its country's case; editors any.
    With `expected_version`, only if nobody changed it since."""
    translation = _locked(translation)
    _check_access(translation.case, user)
    if translation.status != CaseTranslation.Status.DRAFT and not roles.is_editor(user):
        raise InvalidTransition(
            # Translators: %(status)s is the translation's status in lower case, e.g. "published".
            gettext("A translation that is %(status)s is deleted only by the editors.")
            % {"status": _status_of(translation)}
        )
    if expected_version is not None and translation.version != expected_version:
        raise StaleTranslation(
            gettext(
                "Someone saved this translation after you opened it. Open it again to see their "
                "changes, then delete it if you still want to."
            ),
            current=translation,
        )
    case_id = translation.case_id
    _for_history(translation, user, "Deleted")
    translation.delete()
    reindex_later([case_id])


# --- What lists show ----------------------------------------------------------------------


def published_titles(cases: Iterable[CaseStudy | CaseRow], language: str) -> dict[int, Shown]:
    """The titles and summaries of these cases' published translations into `language`, by
    case: one query, none when every case is written in that language (no case is
    translated into its own), as most are on pages in the site's language."""
    case_ids = [case.pk for case in cases if case.language != language]
    if not case_ids:
        return {}
    rows = (
        CaseTranslation.objects.published()
        .filter(case_id__in=case_ids, language=language)
        .values_list("case_id", "title", "summary")
    )
    return {pk: Shown(title, summary, language, translated=True) for pk, title, summary in rows}


def shown_case(case: CaseStudy | CaseRow, found: Mapping[int, Shown]) -> Shown:
    """The case's published translation among `found` (published_titles), else its own
    text: the original when it is in the page's language."""
    translation = found.get(case.pk)
    if translation is not None and translation.language != case.language:
        return translation
    return Shown(case.title, case.summary, case.language)


C = TypeVar("C", bound=CaseStudy)


def show_cases(cases: Iterable[C]) -> list[C]:
    """The cases, each with `shown` (`shown_case`) for the lists: one query at most
    (`published_titles`)."""
    cases = list(cases)
    found = published_titles(cases, page_language())
    for case in cases:
        case.shown = shown_case(case, found)  # type: ignore[attr-defined]
    return cases


def shown_of_case(case: CaseStudy) -> Shown:
    """What `show_cases` chose for the case, else its original."""
    shown: Shown | None = getattr(case, "shown", None)
    return shown or Shown(case.title, case.summary, case.language)
