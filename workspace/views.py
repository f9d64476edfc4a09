"""The focal point workspace: a country's cases, documents and reviewers' remarks, kept current.

Every view finds cases among the signed-in person's own countries only (`countries_of`), so
another country's case answers 404 whatever its status. All writes go through the services.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import AcceptInvitationForm
from accounts.models import AuditEvent, Invitation, signed_in
from countries.models import Country, countries_of
from countries.services import (
    FocalPointError,
    InvitationError,
    accept_invitation,
    confirm_information_current,
    last_confirmed,
    open_invitation,
)
from events.models import Event, Participation, Person
from paks import contributions, opendata, roles, services, translations
from paks.documents import DocumentRejected, accept_document
from paks.models import CaseComment, CaseStudy, CaseTranslation, Contribution, Document
from paks.review import field_changes
from workspace.forms import (
    CaseForm,
    CommentForm,
    ContributionForm,
    DocumentDetailsForm,
    LinkFormSet,
    Speaker,
    TranslationForm,
    UploadForm,
    links_from,
)

STATUS_ORDER = [
    CaseStudy.Status.CHANGES_REQUESTED,
    CaseStudy.Status.DRAFT,
    CaseStudy.Status.SUBMITTED,
    CaseStudy.Status.PUBLISHED,
    CaseStudy.Status.ARCHIVED,
]


def _own_cases(request: HttpRequest) -> QuerySet[CaseStudy]:
    return CaseStudy.objects.filter(country__in=countries_of(request.user))


def _own_case(request: HttpRequest, slug: str) -> CaseStudy:
    cases = _own_cases(request).select_related("country", "organization", "event")
    return get_object_or_404(cases, slug=slug)


def _country_panel(country: Country, cases: list[CaseStudy]) -> dict[str, Any]:
    """What a focal point needs to see about one country."""
    mine = [case for case in cases if case.country_id == country.pk]
    by_status = [
        (status.label, [case for case in mine if case.status == status]) for status in STATUS_ORDER
    ]
    waiting = []
    for case in mine:
        comments = case.comments.all()
        latest = comments[len(comments) - 1] if comments else None
        if (
            case.status == CaseStudy.Status.CHANGES_REQUESTED
            and latest is not None
            and latest.author is not None
            and latest.author.is_staff
        ):
            waiting.append((case, latest))
    confirmed = last_confirmed(country)
    stale_after = datetime.timedelta(days=settings.PAKS_STALE_AFTER_DAYS)
    return {
        "country": country,
        "by_status": [(label, group) for label, group in by_status if group],
        "case_count": len(mine),
        "attention": [
            document
            for case in mine
            for document in case.documents.all()
            if document.state != Document.State.READY
        ],
        "waiting": waiting,
        "last_confirmed": confirmed,
        "stale": confirmed is None or timezone.now() - confirmed > stale_after,
    }


def _posted_version(request: HttpRequest) -> int:
    """The version the form was read at (0, which no row has, when it is missing)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def _accepted(request: HttpRequest, form: UploadForm, **owner: Any) -> Document | None:
    """The form's file through the one document pipeline, for this case or contribution;
    None with the reason on the form when the form or the file is refused."""
    if not form.is_valid():
        return None
    try:
        return accept_document(
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            uploaded_by=signed_in(request.user),
            **owner,
        )
    except DocumentRejected as exc:
        form.add_error("file" if exc.field == "file" else None, exc.message)
        return None


@login_required
@never_cache
def cases_download(request: HttpRequest, suffix: str) -> HttpResponseBase:
    """Every case of the focal point's countries, in every status, as CSV or JSON."""
    if suffix not in ("csv", "json") or not countries_of(request.user).exists():
        raise Http404
    return opendata.download(
        request, opendata.workspace_cases_table(request, _own_cases(request)), suffix
    )


@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """ "My country": cases by status, documents to look at, remarks to answer, freshness."""
    countries = list(countries_of(request.user).order_by("name"))
    if not countries:
        return render(request, "workspace/no_country.html", status=403)
    cases = list(
        _own_cases(request)
        .select_related("country")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=CaseComment.objects.select_related("author").order_by("created_at"),
            ),
            Prefetch(
                "documents",
                queryset=Document.objects.defer("extracted_text").order_by("-uploaded_at"),
            ),
        )
        .order_by("-updated_at")
    )
    panels = [_country_panel(country, cases) for country in countries]
    events = {country.pk: list(_events_of(country)[: EVENTS_SHOWN + 1]) for country in countries}
    _add_event_rows(panels, {c: shown[:EVENTS_SHOWN] for c, shown in events.items()})
    for panel in panels:
        panel["more_events"] = len(events[panel["country"].pk]) > EVENTS_SHOWN
    return render(request, "workspace/home.html", {"panels": panels})


# The events a country took part in that the home page lists, newest first; the others are
# on the country's events page.
EVENTS_SHOWN = 10
EVENTS_PER_PAGE = 25


def _events_of(country: Country) -> QuerySet[Event]:
    """The public events the country took part in or hosted, newest first."""
    taking_part = Participation.objects.filter(country=country).values("event")
    return (
        Event.objects.public()
        .filter(Q(pk__in=taking_part) | Q(country=country))
        .order_by("-start", "pk")
    )


def _add_event_rows(panels: list[dict[str, Any]], events: dict[int, list[Event]]) -> None:
    """Each panel's events, each with the panel's country's contributions to it (one query
    for all of them)."""
    event_ids = {event.pk for shown in events.values() for event in shown}
    found = Contribution.objects.filter(
        event_id__in=event_ids, country_id__in=list(events)
    ).order_by("created_at", "pk")
    by_event: dict[tuple[int, int | None], list[Contribution]] = {}
    for contribution in found if event_ids else []:
        by_event.setdefault((contribution.event_id, contribution.country_id), []).append(
            contribution
        )
    for panel in panels:
        country = panel["country"]
        panel["events"] = [
            (event, by_event.get((event.pk, country.pk), [])) for event in events[country.pk]
        ]


@login_required
@never_cache
def country_events(request: HttpRequest, iso3: str) -> HttpResponse:
    """All the events a country took part in, a page at a time, with its contributions."""
    country = get_object_or_404(countries_of(request.user), iso3=iso3.upper())
    page = Paginator(_events_of(country), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    panel: dict[str, Any] = {"country": country}
    _add_event_rows([panel], {country.pk: list(page.object_list)})
    return render(request, "workspace/country_events.html", {"panel": panel, "page": page})


@login_required
@require_POST
def confirm_current(request: HttpRequest, iso3: str) -> HttpResponse:
    country = get_object_or_404(countries_of(request.user), iso3=iso3.upper())
    try:
        confirm_information_current(user=signed_in(request.user), country=country)
    except FocalPointError as exc:
        raise Http404(str(exc)) from exc
    messages.success(
        request,
        _("Thank you: %(country)s's information is confirmed current.") % {"country": country.name},
    )
    return redirect("workspace:home")


def _save_errors(
    form: CaseForm | DocumentDetailsForm | TranslationForm, error: ValidationError
) -> None:
    """The model's own validation (run by the services) shown on the form's fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@never_cache
def case_create(request: HttpRequest) -> HttpResponse:
    countries = countries_of(request.user)
    if not countries.exists():
        return render(request, "workspace/no_country.html", status=403)
    form = CaseForm(request.POST or None, countries=countries)
    links = LinkFormSet(request.POST or None, prefix="links")
    if request.method == "POST" and form.is_valid() and links.is_valid():
        data = {**form.cleaned_data, "links": links_from(links)}
        try:
            case = services.create_case(
                user=signed_in(request.user), data=data, country=form.cleaned_data.get("country")
            )
        except ValidationError as error:
            _save_errors(form, error)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("“%(title)s” is saved as a draft. Add its documents, then submit it.")
                % {"title": case.title},
            )
            return redirect("workspace:case-edit", slug=case.slug)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "links": links}
    return render(request, "workspace/case_form.html", context, status=status)


def _what_changed(case: CaseStudy, since_version: int) -> list[tuple[str, str]]:
    """The fields someone else changed since the version the person started from."""
    before = case.history.filter(version=since_version).order_by("-history_date").first()
    if before is None:
        return []
    return [
        (change.label, change.after or _("(empty)"))
        for change in field_changes(before, case)
        if change.changed
    ]


def _saved_links(case: CaseStudy) -> list[dict[str, str]]:
    return [{"title": link.title, "url": link.url} for link in case.links.all()]


def _edit_context(request: HttpRequest, case: CaseStudy, **given: Any) -> dict[str, Any]:
    """The case page's context; forms not given are drawn empty or from the saved case."""
    translations_of = list(case.translations.order_by("language"))
    context = {
        "case": case,
        "editable": case.is_editable_by(request.user),
        "documents": case.documents.defer("extracted_text").order_by("uploaded_at", "pk"),
        "translations": translations_of,
        "can_add_translation": len(translations_of) < len(translations.other_languages(case)),
        "comments": case.comments.select_related("author").order_by("created_at"),
        **given,
    }
    if "form" not in context:
        context["form"] = CaseForm(instance=case, countries=countries_of(request.user))
    if "links" not in context:
        context["links"] = LinkFormSet(prefix="links", initial=_saved_links(case))
    context.setdefault("upload_form", UploadForm(prefix="upload"))
    context.setdefault("comment_form", CommentForm(prefix="comment"))
    return context


@login_required
@never_cache
def case_edit(request: HttpRequest, slug: str) -> HttpResponse:
    case = _own_case(request, slug)
    if request.method != "POST":
        return render(request, "workspace/case_edit.html", _edit_context(request, case))
    form = CaseForm(request.POST, instance=case, countries=countries_of(request.user))
    links = LinkFormSet(request.POST, prefix="links", initial=_saved_links(case))
    changed: list[tuple[str, str]] = []
    if form.is_valid() and links.is_valid():
        data = {**form.cleaned_data, "links": links_from(links)}
        expected = form.cleaned_data.get("version") or 0
        try:
            case = services.update_case(
                case=case, user=signed_in(request.user), data=data, expected_version=expected
            )
        except services.StaleVersion as exc:
            changed = _what_changed(exc.current, expected)
            form.add_error(
                None,
                _(
                    "Someone else saved this case while you were editing it (it is now version "
                    "%(version)s). Your changes are not saved. Their changes are listed "
                    "below; saving this form again replaces them with what is in it."
                )
                % {"version": exc.current.version},
            )
            # The next save is made knowing what it replaces.
            resubmitted = request.POST.copy()  # the form's data, which is immutable
            resubmitted["version"] = str(exc.current.version)
            form.data = resubmitted
        except ValidationError as error:
            _save_errors(form, error)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("workspace:case-edit", slug=case.slug)
    case.refresh_from_db()
    context = _edit_context(request, case, form=form, links=links, changed=changed)
    return render(request, "workspace/case_edit.html", context, status=400)


@login_required
@never_cache
def case_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The case as the public would see it once published, documents and all."""
    case = _own_case(request, slug)
    context = {
        "case": case,
        "preview": True,
        "documents": case.documents.defer("extracted_text").order_by("uploaded_at", "pk"),
        "json_ld": None,
        "related": [],
    }
    return render(request, "paks/case_detail.html", context)


@login_required
@require_POST
def case_submit(request: HttpRequest, slug: str) -> HttpResponse:
    case = _own_case(request, slug)
    try:
        services.submit_case(case=case, user=signed_in(request.user))
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:case-edit", slug=case.slug)
    messages.success(
        request,
        _("“%(title)s” is submitted. The editors are told and will review it.")
        % {"title": case.title},
    )
    return redirect("workspace:home")


@login_required
@require_POST
def case_delete(request: HttpRequest, slug: str) -> HttpResponse:
    case = _own_case(request, slug)
    version = _posted_version(request)
    try:
        services.delete_case(case=case, user=signed_in(request.user), expected_version=version)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:case-edit", slug=case.slug)
    messages.success(request, _("The draft “%(title)s” is deleted.") % {"title": case.title})
    return redirect("workspace:home")


@login_required
@require_POST
def document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    case = _own_case(request, slug)
    form = UploadForm(request.POST, request.FILES, prefix="upload")
    if document := _accepted(request, form, case=case):
        # Its text reaches the search index when processing has read it.
        messages.success(
            request,
            _("“%(title)s” is uploaded; its preview and text follow shortly.")
            % {"title": document.title},
        )
        return redirect("workspace:case-edit", slug=case.slug)
    context = _edit_context(request, case, upload_form=form)
    return render(request, "workspace/case_edit.html", context, status=400)


def _details(document: Document) -> str:
    language = document.get_language_display() or _("no language said")
    # Translators: a document's details: its title, its kind (e.g. "report") and its language.
    return _("“%(title)s”, %(kind)s, %(language)s") % {
        "title": document.title,
        "kind": document.get_kind_display().lower(),
        "language": language,
    }


@login_required
@never_cache
def document_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A document's title, kind and language, while its case may be edited."""
    case = _own_case(request, slug)
    document = get_object_or_404(case.documents.defer("extracted_text"), pk=pk)
    if not case.is_editable_by(request.user):
        messages.error(
            request,
            # Translators: %(status)s is the case's status in lower case, e.g. "published".
            _(
                "A %(status)s case's documents are not changed here; "
                "ask the editors if something must change."
            )
            % {"status": case.get_status_display().lower()},
        )
        return redirect("workspace:case-edit", slug=case.slug)
    if request.method != "POST":
        form = DocumentDetailsForm(
            initial={
                "title": document.title,
                "kind": document.kind,
                "language": document.language,
                "version": services.document_version(document),
            }
        )
        context = {"case": case, "document": document, "form": form}
        return render(request, "workspace/document_edit.html", context)
    form = DocumentDetailsForm(request.POST)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.DOCUMENT_DETAILS}
        try:
            services.update_document(
                document=document,
                user=signed_in(request.user),
                data=data,
                # A form without the version it was read at is taken as out of date.
                expected_version=form.cleaned_data["version"] or "unknown",
            )
        except services.StaleVersion:
            document.refresh_from_db()
            form.add_error(
                None,
                _(
                    "Someone else changed this document's details while you were editing them; "
                    "they are now %(details)s. Your changes are not saved; saving this "
                    "form again replaces theirs with what is in it."
                )
                % {"details": _details(document)},
            )
            # The next save is made knowing what it replaces.
            resubmitted = request.POST.copy()  # the form's data, which is immutable
            resubmitted["version"] = services.document_version(document)
            form.data = resubmitted
        except ValidationError as error:
            _save_errors(form, error)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The details of “%(title)s” are saved.") % {"title": data["title"]}
            )
            return redirect("workspace:case-edit", slug=case.slug)
    context = {"case": case, "document": document, "form": form}
    return render(request, "workspace/document_edit.html", context, status=400)


@login_required
@require_POST
def document_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    case = _own_case(request, slug)
    document = get_object_or_404(case.documents.select_related("case"), pk=pk)
    try:
        services.delete_document(document=document, user=signed_in(request.user))
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    else:  # the service reindexes the case
        messages.success(request, _("“%(title)s” is removed.") % {"title": document.title})
    return redirect("workspace:case-edit", slug=case.slug)


@login_required
@require_POST
def comment_add(request: HttpRequest, slug: str) -> HttpResponse:
    case = _own_case(request, slug)
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            services.add_comment(
                case=case, user=signed_in(request.user), body=form.cleaned_data["body"]
            )
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your answer is added; the editors see it with the case."))
            return redirect("workspace:case-edit", slug=case.slug)
    context = _edit_context(request, case, comment_form=form)
    return render(request, "workspace/case_edit.html", context, status=400)


# Translations of a case ------------------------------------------------------------------


def _translation_page(
    request: HttpRequest,
    case: CaseStudy,
    form: TranslationForm,
    translation: CaseTranslation | None,
    status: int = 200,
) -> HttpResponse:
    context = {"case": case, "form": form, "translation": translation}
    return render(request, "workspace/translation_form.html", context, status=status)


def _save_translation(
    request: HttpRequest, case: CaseStudy, translation: CaseTranslation | None
) -> HttpResponse:
    """Save the posted translation and, with "Submit for review", submit it; the form again
    with the reasons when the service refuses."""
    form = TranslationForm(request.POST, instance=translation, case=case)
    if form.is_valid():
        user = signed_in(request.user)
        language = translation.language if translation else form.cleaned_data["language"]
        try:
            with transaction.atomic():  # a refused submission keeps nothing of the save
                saved = translations.save_case_translation(
                    case=case,
                    language=language,
                    data={
                        name: form.cleaned_data[name] for name in translations.TRANSLATION_FIELDS
                    },
                    user=user,
                    expected_version=form.cleaned_data.get("version") if translation else None,
                    withdraw=form.cleaned_data.get("withdraw", False),
                )
                if "submit" in request.POST:
                    saved = translations.submit_case_translation(translation=saved, user=user)
        except translations.StaleTranslation as exc:
            if translation is None:  # added by someone else meanwhile: theirs is kept
                form.add_error(
                    "language",
                    _(
                        "The case already has a translation into %(language)s; change it "
                        "from its own page."
                    )
                    % {"language": translations.language_name(language)},
                )
                return _translation_page(request, case, form, translation, status=400)
            form.add_error(
                None,
                _(
                    "Someone else saved this translation while you were editing it (it is now "
                    "version %(version)s). Your changes are not saved; saving this form again "
                    "replaces theirs with what is in it."
                )
                % {"version": exc.current.version},
            )
            resubmitted = request.POST.copy()  # the form's data, which is immutable
            resubmitted["version"] = str(exc.current.version)
            form.data = resubmitted
        except ValidationError as error:
            _save_errors(form, error)
        except services.ServiceError as exc:
            _refusal_on_form(form, exc)
        else:
            name = translations.language_name(saved.language)
            if saved.status == CaseTranslation.Status.SUBMITTED:
                message = _(
                    "The translation into %(language)s is submitted. The editors will review it."
                )
            else:
                message = _("The translation into %(language)s is saved as a draft.")
            messages.success(request, message % {"language": name})
            return redirect("workspace:case-edit", slug=case.slug)
    return _translation_page(request, case, form, translation, status=400)


@login_required
@never_cache
def translation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Translate one of the country's cases into another of the portal's languages."""
    case = _own_case(request, slug)
    if request.method == "POST":
        return _save_translation(request, case, None)
    taken = set(case.translations.values_list("language", flat=True))
    form = TranslationForm(
        case=case,
        initial={
            "language": next(
                (code for code, _name in translations.other_languages(case) if code not in taken),
                None,
            )
        },
    )
    return _translation_page(request, case, form, None)


@login_required
@never_cache
def translation_edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    case = _own_case(request, slug)
    translation = get_object_or_404(
        case.translations.select_related("translated_by"), language=language
    )
    if request.method == "POST":
        return _save_translation(request, case, translation)
    return _translation_page(
        request, case, TranslationForm(instance=translation, case=case), translation
    )


@login_required
@require_POST
def translation_delete(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    case = _own_case(request, slug)
    translation = get_object_or_404(case.translations, language=language)
    try:
        translations.delete_case_translation(
            translation=translation,
            user=signed_in(request.user),
            expected_version=_posted_version(request),
        )
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:translation-edit", slug=case.slug, language=language)
    messages.success(
        request,
        _("The translation into %(language)s is deleted.")
        % {"language": translations.language_name(language)},
    )
    return redirect("workspace:case-edit", slug=case.slug)


# Contributions to events ----------------------------------------------------------------


def _own_contribution(request: HttpRequest, pk: int) -> Contribution:
    """One of the person's countries' contributions to a public event; 404 for any other."""
    own = Contribution.objects.filter(
        country__in=countries_of(request.user), event__is_public=True
    ).select_related("event", "session", "country", "case")
    return get_object_or_404(own, pk=pk)


def _people(speakers: list[Speaker], country: Country | None) -> list[Person]:
    """The speakers as recorded people (found by name and country, or added)."""
    return [
        contributions.person_named(
            name=speaker.name,
            position=speaker.position,
            organization=speaker.organization,
            country=country,
        )
        for speaker in speakers
    ]


def _refusal_on_form(form: ContributionForm | TranslationForm, exc: services.ServiceError) -> None:
    """A service's refusal shown on the field it names, or above the form."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))


@login_required
@never_cache
def contribution_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a contribution of one's country to a public event the country took part in."""
    own = list(countries_of(request.user).order_by("name"))
    if not own:
        return render(request, "workspace/no_country.html", status=403)
    event = get_object_or_404(Event.objects.public(), slug=slug)
    taking_part = roles.countries_at(event)
    countries = [country for country in own if country.pk in taking_part]
    if not countries:
        raise Http404("None of your countries took part in this event.")
    form = ContributionForm(request.POST or None, event=event, countries=countries)
    if request.method == "POST" and form.is_valid():
        country = form.cleaned_data.get("country") or countries[0]
        try:
            with transaction.atomic():  # the speakers of a refused contribution are not kept
                contribution = contributions.create_contribution(
                    user=signed_in(request.user),
                    event=event,
                    data=form.contribution_data,
                    country=country,
                    speakers=_people(form.cleaned_data["speakers"], country),
                )
        except services.ServiceError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is saved as a draft. Upload its slides, then submit it.")
                % {"title": contribution.title},
            )
            return redirect("workspace:contribution-edit", pk=contribution.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "event": event}
    return render(request, "workspace/contribution_form.html", context, status=status)


# The fields whose changes someone saving on top of another's version is shown.
CONTRIBUTION_CHANGE_FIELDS = ("title", "kind", "abstract", "session", "case")


def _contribution_changes(contribution: Contribution, since_version: int) -> list[tuple[str, str]]:
    """The fields someone else changed since the version the person started from."""
    before = contribution.history.filter(version=since_version).order_by("-history_date").first()
    if before is None:
        return []
    changed = []
    for name in CONTRIBUTION_CHANGE_FIELDS:
        field = Contribution._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column, not the far side of a relation
        if getattr(before, field.attname) == getattr(contribution, field.attname):
            continue
        shown = contribution.get_kind_display() if name == "kind" else getattr(contribution, name)
        changed.append((str(field.verbose_name).capitalize(), str(shown or "") or _("(empty)")))
    return changed


def _returned_because(contribution: Contribution) -> AuditEvent | None:
    """The editors' last word when they returned the contribution for changes."""
    if contribution.status != Contribution.Status.CHANGES_REQUESTED:
        return None
    return (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CONTRIBUTION_RETURNED,
            target_type="contribution",
            target_id=str(contribution.pk),
        )
        .order_by("-pk")
        .first()
    )


def _contribution_form(contribution: Contribution, data: Any = None) -> ContributionForm:
    countries = [contribution.country] if contribution.country else []
    return ContributionForm(
        data, instance=contribution, event=contribution.event, countries=countries
    )


def _contribution_context(
    request: HttpRequest, contribution: Contribution, **given: Any
) -> dict[str, Any]:
    """The contribution page's context; forms not given are drawn empty or from the saved one."""
    context = {
        "contribution": contribution,
        "editable": roles.may_edit_contribution(request.user, contribution),
        "documents": contribution.documents.defer("extracted_text").order_by("uploaded_at", "pk"),
        "returned": _returned_because(contribution),
        "speakers": contribution.speaker_roles.select_related(
            "person__organization", "person__country"
        ),
        **given,
    }
    context.setdefault("form", _contribution_form(contribution))
    context.setdefault("upload_form", UploadForm(prefix="upload"))
    return context


@login_required
@never_cache
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _own_contribution(request, pk)
    if request.method != "POST":
        context = _contribution_context(request, contribution)
        return render(request, "workspace/contribution_edit.html", context)
    form = _contribution_form(contribution, request.POST)
    changed: list[tuple[str, str]] = []
    if form.is_valid():
        expected = form.cleaned_data.get("version") or 0
        try:
            with transaction.atomic():  # the speakers of a refused change are not kept
                contribution = contributions.update_contribution(
                    contribution=contribution,
                    user=signed_in(request.user),
                    data=form.contribution_data,
                    expected_version=expected,
                    speakers=_people(form.cleaned_data["speakers"], contribution.country),
                )
        except services.StaleVersion:
            contribution.refresh_from_db()
            changed = _contribution_changes(contribution, expected)
            form.add_error(
                None,
                _(
                    "Someone else saved this contribution while you were editing it (it is now "
                    "version %(version)s). Your changes are not saved. Their changes "
                    "are listed below; saving this form again replaces them with what is in it."
                )
                % {"version": contribution.version},
            )
            # The next save is made knowing what it replaces.
            resubmitted = request.POST.copy()  # the form's data, which is immutable
            resubmitted["version"] = str(contribution.version)
            form.data = resubmitted
        except services.ServiceError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("workspace:contribution-edit", pk=contribution.pk)
    contribution.refresh_from_db()
    context = _contribution_context(request, contribution, form=form, changed=changed)
    return render(request, "workspace/contribution_edit.html", context, status=400)


@login_required
@require_POST
def contribution_submit(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _own_contribution(request, pk)
    try:
        contributions.submit_contribution(contribution=contribution, user=signed_in(request.user))
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:contribution-edit", pk=contribution.pk)
    messages.success(
        request,
        _("“%(title)s” is submitted. The editors will review it.") % {"title": contribution.title},
    )
    return redirect("workspace:home")


@login_required
@require_POST
def contribution_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _own_contribution(request, pk)
    version = _posted_version(request)
    try:
        contributions.delete_contribution(
            contribution=contribution, user=signed_in(request.user), expected_version=version
        )
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:contribution-edit", pk=contribution.pk)
    messages.success(
        request, _("The draft “%(title)s” is deleted.") % {"title": contribution.title}
    )
    return redirect("workspace:home")


@login_required
@require_POST
def contribution_upload(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _own_contribution(request, pk)
    form = UploadForm(request.POST, request.FILES, prefix="upload")
    if document := _accepted(request, form, contribution=contribution):
        messages.success(
            request,
            _("“%(title)s” is uploaded; its preview follows shortly.") % {"title": document.title},
        )
        return redirect("workspace:contribution-edit", pk=contribution.pk)
    context = _contribution_context(request, contribution, upload_form=form)
    return render(request, "workspace/contribution_edit.html", context, status=400)


@method_decorator(never_cache, name="dispatch")
class AcceptInvitationView(View):
    """The invitation link: choose a password, become the country's focal point, signed in.

    Anyone with the link reaches it; the key in the link is the credential."""

    template_name = "accounts/accept_invitation.html"

    def _invitation_or_gone(self, request: HttpRequest, key: str) -> Invitation | HttpResponse:
        invitation = open_invitation(key)
        if invitation is None:
            return render(request, "accounts/invitation_gone.html", status=410)
        return invitation

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        found = self._invitation_or_gone(request, key)
        if isinstance(found, HttpResponse):
            return found
        form = AcceptInvitationForm(email=found.email)
        return render(request, self.template_name, {"form": form, "invitation": found})

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        found = self._invitation_or_gone(request, key)
        if isinstance(found, HttpResponse):
            return found
        form = AcceptInvitationForm(request.POST, email=found.email)
        if not form.is_valid():
            context = {"form": form, "invitation": found}
            return render(request, self.template_name, context, status=400)
        try:
            user = accept_invitation(
                key=key,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                request=request,
            )
        except InvitationError:
            return render(request, "accounts/invitation_gone.html", status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome. You now keep %(country)s's information current.")
            % {"country": found.country.name},
        )
        return redirect("workspace:home")
