from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from core.csvexport import export_as_csv
from events.admin import EventAdmin as BaseEventAdmin
from events.models import Event, Person, Session
from paks import contributions, services, translations
from paks.documents.accept import DocumentRejected, accept_document
from paks.documents.processing import process_again
from paks.imports import admin as imports_admin
from paks.imports.resources import CaseResource, EventResource, ParticipationResource
from paks.models import (
    CaseComment,
    CaseLink,
    CaseStudy,
    CaseTranslation,
    Contribution,
    ContributionSpeaker,
    Document,
)
from paks.review import changes_for_review

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.utils.functional import _StrPromise


def _staff(request: HttpRequest) -> User:
    """The signed-in member of staff; the admin lets no one else reach its views."""
    return cast(User, request.user)


def _apply_each(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    done_message: _StrPromise,
    apply: Any,
) -> None:
    """Apply a service to each selected row: one message for those done, one per refusal,
    in the service's words. `done_message` is an `ngettext_lazy` of `%(count)s`."""
    done, refused = 0, []
    for obj in queryset:
        try:
            apply(obj)
        except services.ServiceError as exc:
            # Translators: a row an action refused, then why; e.g. “Case title”: It is a draft.
            reason = _("“%(object)s”: %(reason)s")
            refused.append(reason % {"object": Truncator(str(obj)).chars(60), "reason": exc})
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for reason in refused:
        model_admin.message_user(request, reason, messages.ERROR)


def check_seen_version(
    form: forms.ModelForm, seen: int | None, stale: Callable[[int | None, int], str]
) -> None:
    """Refuse an admin form drawn from an older version than the saved one, saying so with
    `stale(yours, saved)`. The service checks again when it saves; asking first shows the
    refusal on the form. The row stays locked until the admin's transaction commits: no save
    slips in between."""
    model = type(form.instance)
    current = model._default_manager.select_for_update().get(pk=form.instance.pk)
    if current.version != seen:
        raise ValidationError(stale(seen, current.version), code="stale")


class CaseLinkInline(admin.TabularInline):
    model = CaseLink
    extra = 0


class CaseCommentInline(admin.TabularInline):
    """Reviewer comments are a record of the conversation: shown, never rewritten here."""

    model = CaseComment
    extra = 0
    fields = ["created_at", "author", "body"]
    readonly_fields = ["created_at", "author", "body"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentInline(admin.TabularInline):
    """A case's documents; new files are added through the document upload page."""

    model = Document
    fk_name = "case"
    extra = 0
    fields = ("title", "kind", "media_type", "human_size", "page_count", "state", "uploaded_at")
    readonly_fields = fields
    show_change_link = True  # documents change and go on their own page, through services

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("size"))
    def human_size(self, obj: Document) -> str:
        return filesizeformat(obj.size)


class CaseStudyAdminForm(forms.ModelForm):
    # The version the editor saw when the form was drawn; a save on top of a newer one is refused.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CaseStudy
        fields = [
            "title",
            "country",
            "organization",
            "year",
            "language",
            "summary",
            "challenge",
            "solution",
            "results",
            "lessons_learned",
            "event",
            "themes",
            "sdgs",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The saved version, also when the form shows an older one from the history
            # (a revert is a new change on top of the saved case, not a stale edit).
            self.fields["seen_version"].initial = (
                CaseStudy.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk:
            # The service checks again when it saves; asking first shows the refusal on the
            # form. Locked until the admin's transaction commits: no save slips in between.
            current = CaseStudy.objects.select_for_update().get(pk=self.instance.pk)
            try:
                services.check_version(current, cleaned.get("seen_version"))
            except services.StaleVersion as exc:
                raise ValidationError(str(exc), code="stale") from None
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"
    statuses: type[models.TextChoices] = CaseStudy.Status  # the statuses offered

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in self.statuses.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(status=self.value()) if self.value() else queryset


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=gettext_lazy(
            "What should change. The focal points of each case's country will see it."
        ),
    )


@admin.register(CaseStudy)
class CaseStudyAdmin(imports_admin.ServiceImportMixin, SimpleHistoryAdmin):
    form = CaseStudyAdminForm
    resource_classes = [CaseResource]
    offers_publish = True
    list_display = [
        "title",
        "country",
        "organization",
        "year",
        "status",
        "submitted_at",
        "published_at",
        "updated_at",
    ]
    list_filter = [
        StatusFilter,
        "country__region_name",
        "themes",
        "sdgs",
        "year",
        "language",
    ]
    search_fields = ["title", "slug", "summary", "country__name", "organization__name"]
    list_select_related = ["country", "organization"]
    autocomplete_fields = ["country", "organization", "event", "themes", "sdgs"]
    readonly_fields = [
        "slug",
        "status",
        "version",
        "created_by",
        "created_at",
        "submitted_at",
        "published_at",
        "updated_at",
        "translation_list",
    ]
    date_hierarchy = "created_at"
    inlines = [CaseLinkInline, DocumentInline, CaseCommentInline]
    actions = ["publish", "request_changes", "archive", export_as_csv]
    fieldsets = [
        (None, {"fields": ["title", "slug", "country", "organization", "year", "language"]}),
        (
            gettext_lazy("Content"),
            {"fields": ["summary", "challenge", "solution", "results", "lessons_learned"]},
        ),
        (gettext_lazy("Context"), {"fields": ["event", "themes", "sdgs"]}),
        (gettext_lazy("Translations"), {"fields": ["translation_list"]}),
        (
            gettext_lazy("Workflow"),
            {
                "description": gettext_lazy(
                    "Status changes only through the actions on the case list."
                ),
                "fields": [
                    ("status", "version"),
                    "created_by",
                    ("created_at", "submitted_at", "published_at", "updated_at"),
                    "seen_version",
                ],
            },
        ),
    ]

    change_list_template = "admin/paks/casestudy/change_list.html"

    # Shown, not edited, here: each translation is written, published and returned on its
    # own page (a read-only field, not an inline: the case's form keeps its formsets).
    @admin.display(description=gettext_lazy("Translations"))
    def translation_list(self, obj: CaseStudy) -> str:
        if obj.pk is None:
            return "—"
        rows = obj.translations.order_by("language")
        return (
            format_html_join(
                "",
                '<p><a href="{}">{}</a>: {} ({})</p>',
                (
                    (
                        reverse("admin:paks_casetranslation_change", args=[t.pk]),
                        t.get_language_display(),
                        t.title,
                        t.get_status_display().lower(),
                    )
                    for t in rows
                ),
            )
            or "—"
        )

    # The case, its themes and SDGs are written by the services, from the change form and
    # from a revert in the history alike; the form and its inlines write nothing themselves.
    # An edit, or a revert to an older version, changes content only: status moves through
    # the review actions.
    def save_model(self, request: HttpRequest, obj: CaseStudy, form: Any, change: bool) -> None:
        cleaned = form.cleaned_data
        data = {name: cleaned[name] for name in (*services.CASE_FIELDS, "themes", "sdgs")}
        editor = _staff(request)
        try:
            if change:
                case = services.update_case(
                    case=obj,
                    user=editor,
                    data=data,
                    expected_version=cleaned["seen_version"],
                    country=cleaned["country"],
                )
            else:
                case = services.create_case(user=editor, data=data, country=cleaned["country"])
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        for field in CaseStudy._meta.concrete_fields:  # the admin's log and redirect read it
            setattr(obj, field.attname, getattr(case, field.attname))
        obj._state.adding = False
        form.save_m2m = lambda: None  # the service set the themes and SDGs

    def save_related(
        self, request: HttpRequest, form: Any, formsets: list[Any], change: bool
    ) -> None:
        """Changed links are an edit of their own, through the same service."""
        for formset in formsets:
            if formset.model is CaseLink and formset.has_changed():
                links = [
                    {"title": f.cleaned_data["title"], "url": f.cleaned_data["url"]}
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
                case = services.update_case(
                    case=form.instance,
                    user=_staff(request),
                    data={"links": links},
                    expected_version=form.instance.version,
                )
                form.instance.version = case.version
            # What the admin's change message reads; no inline saves rows of its own.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def has_delete_permission(self, request: HttpRequest, obj: CaseStudy | None = None) -> bool:
        """Drafts and returned cases only: published work is archived, never deleted."""
        if obj is not None and obj.status not in CaseStudy.EDITABLE_STATUSES:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one case at a time, through the service
        return actions

    def delete_model(self, request: HttpRequest, obj: CaseStudy) -> None:
        try:
            services.delete_case(case=obj, user=_staff(request), expected_version=obj.version)
        except services.ServiceError as exc:
            raise PermissionDenied(str(exc)) from None

    def get_urls(self) -> list[Any]:
        review = [
            path(
                "review/",
                self.admin_site.admin_view(self.review_queue_view),
                name="paks_casestudy_review_queue",
            ),
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="paks_casestudy_review",
            ),
        ]
        return review + super().get_urls()

    def review_queue_view(self, request: HttpRequest) -> HttpResponse:
        """Submitted cases, oldest first: the editors' work list."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        cases = (
            CaseStudy.objects.filter(status=CaseStudy.Status.SUBMITTED)
            .select_related("country", "organization", "created_by")
            .order_by("submitted_at", "pk")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queue"),
            "opts": self.model._meta,
            "cases": cases,
        }
        return TemplateResponse(request, "admin/paks/casestudy/review_queue.html", context)

    def review_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A submitted case against its last published version; publish or return it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        case = get_object_or_404(
            CaseStudy.objects.select_related("country", "organization", "event", "created_by"),
            pk=pk,
        )
        form = RequestChangesForm(request.POST if "request_changes" in request.POST else None)
        if request.method == "POST":
            self._require_change(request)
            editor = _staff(request)
            try:
                if "publish" in request.POST:
                    services.publish_case(case=case, editor=editor)
                    self.message_user(
                        request,
                        _("Published “%(title)s”.") % {"title": case.title},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:paks_casestudy_review_queue"))
                if form.is_valid():
                    services.request_changes(
                        case=case, editor=editor, comment=form.cleaned_data["comment"]
                    )
                    self.message_user(
                        request,
                        _("Returned “%(title)s” to its country.") % {"title": case.title},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:paks_casestudy_review_queue"))
            except services.ServiceError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        baseline, changes = changes_for_review(case)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review: %(title)s") % {"title": case.title},
            "opts": self.model._meta,
            "original": case,
            "case": case,
            "baseline": baseline,
            "changes": changes,
            "comments": case.comments.select_related("author").order_by("created_at"),
            "documents": case.documents.defer("extracted_text").order_by("uploaded_at", "pk"),
            "form": form,
            "can_decide": case.status == CaseStudy.Status.SUBMITTED
            and self.has_change_permission(request, case),
        }
        status = 400 if form.is_bound and not form.is_valid() else 200
        return TemplateResponse(request, "admin/paks/casestudy/review.html", context, status=status)

    def _run(
        self,
        request: HttpRequest,
        queryset: QuerySet[CaseStudy],
        done_message: _StrPromise,
        apply: Any,
    ) -> None:
        _apply_each(self, request, queryset, done_message, apply)

    def _require_change(self, request: HttpRequest) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied

    @admin.action(description=gettext_lazy("Publish selected submitted cases"))
    def publish(self, request: HttpRequest, queryset: QuerySet[CaseStudy]) -> None:
        self._require_change(request)
        self._run(
            request,
            queryset,
            # Translators: English writes "case(s)" whatever the number; use your plural forms.
            ngettext_lazy("Published %(count)s case(s).", "Published %(count)s case(s).", "count"),
            lambda case: services.publish_case(case=case, editor=_staff(request)),
        )

    @admin.action(description=gettext_lazy("Archive selected published cases"))
    def archive(self, request: HttpRequest, queryset: QuerySet[CaseStudy]) -> None:
        self._require_change(request)
        self._run(
            request,
            queryset,
            ngettext_lazy("Archived %(count)s case(s).", "Archived %(count)s case(s).", "count"),
            lambda case: services.archive_case(case=case, editor=_staff(request)),
        )

    @admin.action(description=gettext_lazy("Request changes on selected submitted cases…"))
    def request_changes(
        self, request: HttpRequest, queryset: QuerySet[CaseStudy]
    ) -> HttpResponse | None:
        self._require_change(request)
        form = RequestChangesForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            comment = form.cleaned_data["comment"]
            self._run(
                request,
                queryset,
                ngettext_lazy(
                    "Returned %(count)s case(s).", "Returned %(count)s case(s).", "count"
                ),
                lambda case: services.request_changes(
                    case=case, editor=_staff(request), comment=comment
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Request changes"),
            "opts": self.model._meta,
            "cases": queryset.select_related("country"),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/paks/casestudy/request_changes.html", context)


class CaseTranslationAdminForm(forms.ModelForm):
    # The version the editor saw when the form was drawn; a save on top of a newer one is refused.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    return_comment = forms.CharField(
        label=gettext_lazy("Return to draft with this comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=gettext_lazy(
            "To return the translation to its translators, say what should change; saving "
            "returns it to draft. The focal points of the case's country see the comment."
        ),
    )

    class Meta:
        model = CaseTranslation
        fields = ["case", "language", *translations.TRANSLATION_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = (
                CaseTranslation.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The service checks again when it saves; asking first shows the refusal on the form.
        case = self.instance.case if self.instance.pk else cleaned.get("case")
        language = self.instance.language if self.instance.pk else cleaned.get("language")
        if case is not None and language:
            try:
                translations.check_language(case, language)
            except services.Refused as exc:
                self.add_error("language" if "language" in self.fields else None, str(exc))
        if self.instance.pk:
            check_seen_version(
                self,
                cleaned.get("seen_version"),
                lambda yours, saved: (
                    _(
                        "Someone saved this translation after you opened it (your copy is "
                        "version %(yours)s, the saved one is version %(saved)s). Open it again "
                        "to see their changes, then make yours."
                    )
                    % {"yours": yours, "saved": saved}
                ),
            )
        return cleaned


class TranslationStatusFilter(StatusFilter):
    statuses = CaseTranslation.Status


@admin.register(CaseTranslation)
class CaseTranslationAdmin(SimpleHistoryAdmin):
    """Translations of cases: edited here, published from the list, returned from their page."""

    form = CaseTranslationAdminForm
    list_display = ["title", "case", "language", "status", "translated_by", "updated_at"]
    list_filter = [
        "language",
        TranslationStatusFilter,
        ("case__country", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "case__title", "case__slug"]
    list_select_related = ["case", "translated_by"]
    autocomplete_fields = ["case"]
    readonly_fields = [
        "status",
        "version",
        "translated_by",
        "created_at",
        "updated_at",
        "published_at",
    ]
    actions = ["publish"]
    fieldsets = [
        (None, {"fields": ["case", "language"]}),
        (
            gettext_lazy("Content"),
            {"fields": list(translations.TRANSLATION_FIELDS)},
        ),
        (
            gettext_lazy("Workflow"),
            {
                "description": gettext_lazy(
                    "Publish from the translation list; return to draft with a comment here."
                ),
                "fields": [
                    ("status", "version"),
                    "translated_by",
                    ("created_at", "updated_at", "published_at"),
                    "return_comment",
                    "seen_version",
                ],
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["case", "language"] if obj is not None and obj.pk else []
        return [*fixed, *self.readonly_fields]

    def save_model(
        self, request: HttpRequest, obj: CaseTranslation, form: Any, change: bool
    ) -> None:
        cleaned = form.cleaned_data
        editor = _staff(request)
        try:
            saved = translations.save_case_translation(
                case=obj.case,
                language=obj.language,
                data={name: cleaned[name] for name in translations.TRANSLATION_FIELDS},
                user=editor,
                expected_version=cleaned["seen_version"] if change else None,
            )
            if cleaned.get("return_comment", "").strip():
                saved = translations.return_case_translation(
                    translation=saved, editor=editor, comment=cleaned["return_comment"]
                )
        except services.ServiceError as exc:
            raise PermissionDenied(str(exc)) from None
        for field in CaseTranslation._meta.concrete_fields:  # the admin's log and redirect
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service
        return actions

    def delete_model(self, request: HttpRequest, obj: CaseTranslation) -> None:
        try:
            translations.delete_case_translation(translation=obj, user=_staff(request))
        except services.ServiceError as exc:
            raise PermissionDenied(str(exc)) from None

    @admin.action(description=gettext_lazy("Publish selected translations"))
    def publish(self, request: HttpRequest, queryset: QuerySet[CaseTranslation]) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied
        editor = _staff(request)
        _apply_each(
            self,
            request,
            queryset,
            ngettext_lazy(
                "Published %(count)s translation(s).",
                "Published %(count)s translation(s).",
                "count",
            ),
            lambda t: translations.publish_case_translation(translation=t, editor=editor),
        )


class DocumentUploadForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Defaults to the file name."),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("document type", "Kind"),
        choices=Document.Kind.choices,
        initial=Document.Kind.PRESENTATION,
    )
    case = forms.ModelChoiceField(
        label=pgettext_lazy("case study", "Case"),
        queryset=CaseStudy.objects.select_related("country"),
        required=False,
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("Event"), queryset=Event.objects.all(), required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("case") and not cleaned.get("event"):
            raise ValidationError(_("Attach the document to a case, an event, or both."))
        return cleaned


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "case",
        "event",
        "kind",
        "media_type",
        "size",
        "page_count",
        "state",
        "failure",
        "download_count",
        "uploaded_at",
    ]
    list_filter = ["state", "kind", "media_type"]
    search_fields = ["title", "original_filename", "case__title", "event__title", "sha256"]
    list_select_related = ["case", "event"]
    autocomplete_fields = ["case", "event"]
    date_hierarchy = "uploaded_at"
    actions = [export_as_csv, "process_again"]
    readonly_fields = [
        "file",
        "original_filename",
        "media_type",
        "size",
        "sha256",
        "page_count",
        "thumbnail",
        "state",
        "error",
        "processed_at",
        "uploaded_by",
        "uploaded_at",
        "download_count",
    ]
    fields = ["title", "kind", "language", "case", "event", "external_url", *readonly_fields]

    def save_model(self, request: HttpRequest, obj: Document, form: Any, change: bool) -> None:
        """Changes go through the service; new documents come through `add_view`."""
        data = {name: form.cleaned_data[name] for name in services.DOCUMENT_FIELDS}
        try:
            services.update_document(document=obj, user=_staff(request), data=data)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None

    def delete_model(self, request: HttpRequest, obj: Document) -> None:
        try:
            services.delete_document(document=obj, user=_staff(request))
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        for document in queryset:
            self.delete_model(request, document)

    @admin.display(description=gettext_lazy("why processing failed"))
    def failure(self, obj: Document) -> str:
        return Truncator(obj.error).chars(80)

    @admin.action(
        description=gettext_lazy("Process selected documents again"), permissions=["change"]
    )
    def process_again(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        queued = process_again(queryset)
        skipped = queryset.count() - queued
        message = ngettext(
            "%(count)s document queued for processing.",
            "%(count)s documents queued for processing.",
            queued,
        ) % {"count": queued}
        if skipped:
            left = ngettext(
                # Translators: follows "N documents queued for processing."; English keeps "they"
                # whatever the number.
                "%(count)s without a processable file left as they were.",
                "%(count)s without a processable file left as they were.",
                skipped,
            )
            message += " " + left % {"count": skipped}
        self.message_user(request, message, messages.SUCCESS)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        """Files enter through the one acceptance path that checks their content."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DocumentUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    document = accept_document(
                        upload=data["upload"],
                        title=data["title"],
                        kind=data["kind"],
                        case=data["case"],
                        event=data["event"],
                        uploaded_by=_staff(request),
                    )
            except DocumentRejected as exc:
                field = "upload" if exc.field == "file" else exc.field
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                self.log_addition(request, document, [{"added": {}}])
                self.message_user(
                    request,
                    _("Uploaded “%(document)s”.") % {"document": document},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:paks_document_change", args=[document.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload a document"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/paks/document/upload.html", context)


class EventContributionInline(admin.TabularInline):
    """An event's contributions, linked: they are added, changed and reviewed on their own
    pages, through the services."""

    model = Contribution
    extra = 0
    fields = ("title", "session", "country", "kind", "status")
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name_plural = gettext_lazy("contributions (changed and reviewed on their own pages)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Contribution]:
        return super().get_queryset(request).select_related("session", "country")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Organizations and invitations are imported through this layer's resources (paks/imports).
imports_admin.register()


# The events app cannot name contributions (they are the portal's); its event admin is
# extended here, in the app that may import both.
admin.site.unregister(Event)


@admin.register(Event)
class EventAdmin(imports_admin.ServiceImportMixin, BaseEventAdmin):
    resource_classes = [EventResource, ParticipationResource]
    inlines = [*BaseEventAdmin.inlines, EventContributionInline]
    readonly_fields = [*BaseEventAdmin.readonly_fields, "add_contribution"]
    fieldsets = [
        *BaseEventAdmin.fieldsets[:-1],
        (gettext_lazy("Contributions"), {"fields": ["add_contribution"]}),
        BaseEventAdmin.fieldsets[-1],
    ]

    @admin.display(description=gettext_lazy("new contribution"))
    def add_contribution(self, obj: Event) -> str:
        if obj.pk is None:
            return _("Save the event first; then add its contributions.")
        return format_html(
            '<a href="{}?event={}">{}</a>',
            reverse("admin:paks_contribution_add"),
            obj.pk,
            _("Add a contribution to this event"),
        )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        described = " — ".join(part for part in (obj.name, obj.affiliation) if part)
        contributed = ngettext(
            # Translators: English writes "contributions" and "sessions" whatever the number.
            "%(count)s contributions",
            "%(count)s contributions",
            obj._contributions,
        ) % {"count": obj._contributions}
        chaired = ngettext(
            "%(count)s sessions chaired", "%(count)s sessions chaired", obj._chaired
        ) % {"count": obj._chaired}
        # Translators: a person to keep in a merge: name — affiliation (N contributions,
        # N sessions chaired).
        return _("%(person)s (%(contributions)s, %(chaired)s)") % {
            "person": described,
            "contributions": contributed,
            "chaired": chaired,
        }


class MergePeopleForm(forms.Form):
    keep = PersonChoiceField(
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        # Translators: the record kept when duplicate records of a person are merged.
        label=pgettext_lazy("merge people", "Keep"),
        help_text=gettext_lazy(
            "The others' talks and chaired sessions move to this record; then they are "
            "deleted. Its empty position, organization or country is filled from theirs."
        ),
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["keep"]).queryset = people


# People are the events app's, but merging them moves contributions: the portal's service.
@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "position",
        "organization",
        "country",
        "contribution_count",
        "chaired_count",
    ]
    list_filter = [("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = [
        "name",
        "position",
        "organization__name",
        "organization__acronym",
        "country__name",
    ]
    list_select_related = ["organization", "country"]
    autocomplete_fields = ["organization", "country"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    actions = ["merge", export_as_csv]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        # Two aggregates in the page's query instead of two count queries per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                _contributions=Count("speaker_roles", distinct=True),
                _chaired=Count("chaired_sessions", distinct=True),
            )
        )

    @admin.display(description=gettext_lazy("contributions"), ordering="_contributions")
    def contribution_count(self, obj: Person) -> int:
        return obj._contributions  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("sessions chaired"), ordering="_chaired")
    def chaired_count(self, obj: Person) -> int:
        return obj._chaired  # type: ignore[attr-defined]

    @admin.action(
        description=gettext_lazy("Merge selected people into one…"), permissions=["change"]
    )
    def merge(self, request: HttpRequest, queryset: QuerySet[Person]) -> HttpResponse | None:
        if not self.has_delete_permission(request):
            raise PermissionDenied  # the records merged into another are deleted
        people = queryset.select_related("organization", "country").order_by("name", "pk")
        if len(people) < 2:
            self.message_user(
                request, _("Select two or more records of the same person."), messages.WARNING
            )
            return None
        form = MergePeopleForm(request.POST if "apply" in request.POST else None, people=people)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = [person for person in people if person.pk != keep.pk]
            try:
                contributions.merge_people(keep=keep, duplicates=merged, editor=_staff(request))
            except services.ServiceError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            names = ", ".join(f"“{person.name}”" for person in merged)
            self.log_change(request, keep, f"Merged {names} into this record.")
            self.message_user(
                request,
                _("Merged %(merged)s into “%(kept)s”.") % {"merged": names, "kept": keep.name},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge people"),
            "opts": self.model._meta,
            "people": people,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/events/person/merge.html", context)


class ContributionSpeakerInline(admin.TabularInline):
    """The speakers, in the order they spoke; saved by the contribution's service."""

    model = ContributionSpeaker
    extra = 0
    fields = ["person", "position"]
    autocomplete_fields = ["person"]
    verbose_name_plural = gettext_lazy("speakers (in the order of their position)")


class ContributionDocumentInline(DocumentInline):
    """A contribution's slides or paper; new files come through its upload page."""

    fk_name = "contribution"
    fields = ("title", "kind", "download", "media_type", "human_size", "state", "uploaded_at")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("slides and papers")

    @admin.display(description=gettext_lazy("file"))
    def download(self, obj: Document) -> str:
        if not obj.file:
            return format_html('<a href="{}">{}</a>', obj.external_url, obj.external_url)
        return format_html(
            '<a href="{}">{}</a>',
            reverse("paks:document-download", args=[obj.pk]),
            obj.original_filename or pgettext("link to a file", "download"),
        )


class SessionChoiceField(forms.ModelChoiceField):
    """Sessions named with their day, and with their event while the event is not chosen."""

    with_event = True

    def label_from_instance(self, obj: Any) -> str:
        if self.with_event:
            return f"{Truncator(obj.event.title).chars(50)}: {obj.title} ({obj.day})"
        return f"{obj.title} ({obj.day})"


class ContributionAdminForm(forms.ModelForm):
    # The version the editor saw when the form was drawn; a save on top of a newer one is refused.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    session = SessionChoiceField(
        label=gettext_lazy("Session"),
        queryset=Session.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Where in the programme it was given; the event's sessions, once it is chosen."
        ),
    )

    class Meta:
        model = Contribution
        fields = ["event", "country", "title", "kind", "session", "position", "case", "abstract"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "session" in self.fields:
            self._limit_sessions()
        if self.instance.pk:
            # The saved version, also when the form shows an older one from the history.
            self.fields["seen_version"].initial = (
                Contribution.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def _limit_sessions(self) -> None:
        """The event's sessions, once the event is known; otherwise every session, named
        with its event."""
        field = cast(SessionChoiceField, self.fields["session"])
        given = self.data.get(self.add_prefix("event")) or self.initial.get("event")
        event_id = self.instance.event_id or (str(given) if str(given).isdigit() else None)
        sessions = Session.objects.select_related("event").order_by("event", "start", "pk")
        if event_id:
            field.queryset = sessions.filter(event_id=event_id)
            field.with_event = False
            field.error_messages["invalid_choice"] = _(
                "This session is not part of the event's programme."
            )
        else:
            field.queryset = sessions

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        case = cleaned.get("case")
        if not self.instance.pk and case is not None and cleaned.get("country") is None:
            cleaned["country"] = case.country  # a country case speaks for its country
        # The country is fixed once the contribution exists (a read-only field then).
        country = cleaned.get("country") if not self.instance.pk else self.instance.country
        # The service checks it again when it saves; asking first shows it on the form (as
        # the session's choices show only the event's sessions).
        if case is not None and country is not None and case.country_id != country.pk:
            self.add_error(
                "case",
                _("The case is about %(case_country)s, not %(country)s.")
                % {"case_country": case.country.name, "country": country.name},
            )
        if self.instance.pk:
            check_seen_version(
                self,
                cleaned.get("seen_version"),
                lambda yours, saved: (
                    _(
                        "Someone saved this contribution after you opened it (your copy is "
                        "version %(seen)s, the saved one is version %(current)s). Open it "
                        "again to see their changes, then make yours."
                    )
                    % {"seen": yours, "current": saved}
                ),
            )
        return cleaned


class ReturnContributionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=gettext_lazy("What should change; kept with the return in the audit log."),
    )


class UploadForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Defaults to the file name."),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("document type", "Kind"),
        choices=Document.Kind.choices,
        initial=Document.Kind.PRESENTATION,
    )


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    form = ContributionAdminForm
    list_display = ["title", "event", "session", "country", "kind", "status", "updated_at"]
    list_filter = [
        StatusFilter,
        ("event", admin.RelatedOnlyFieldListFilter),
        ("country", admin.RelatedOnlyFieldListFilter),
        "kind",
    ]
    search_fields = [
        "title",
        "abstract",
        "event__title",
        "country__name",
        "case__title",
        "speakers__name",
    ]
    list_select_related = ["event", "session", "country"]
    autocomplete_fields = ["event", "country", "case"]
    readonly_fields = [
        "upload_link",
        "status",
        "version",
        "created_by",
        "created_at",
        "submitted_at",
        "published_at",
        "updated_at",
    ]
    inlines = [ContributionSpeakerInline, ContributionDocumentInline]
    actions = ["publish", "return_for_changes", "withdraw", export_as_csv]
    fieldsets = [
        (None, {"fields": ["event", "country", "title", "kind", "abstract"]}),
        (
            gettext_lazy("In the programme"),
            {"fields": ["session", "position", "case", "upload_link"]},
        ),
        (
            gettext_lazy("Workflow"),
            {
                "description": gettext_lazy(
                    "Status changes only through the actions on the contribution list."
                ),
                "fields": [
                    ("status", "version"),
                    "created_by",
                    ("created_at", "submitted_at", "published_at", "updated_at"),
                    "seen_version",
                ],
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["event", "country"] if obj is not None and obj.pk else []
        return [*fixed, *self.readonly_fields]

    @admin.display(description=gettext_lazy("slides"))
    def upload_link(self, obj: Contribution) -> str:
        if obj.pk is None:
            return _("Save the contribution first; then upload its slides or paper.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:paks_contribution_upload", args=[obj.pk]),
            _("Upload slides or a paper"),
        )

    # Written once, by the service, when the speakers are known: from the change form in
    # save_related, with the speakers of its inline; from a revert in the history (which has
    # no inlines and calls the form's save_m2m instead), with the speakers as they are.
    def save_model(self, request: HttpRequest, obj: Contribution, form: Any, change: bool) -> None:
        form.save_m2m = lambda: self._write(request, obj, form, speakers=None)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: list[Any], change: bool
    ) -> None:
        speakers: list[Person] | None = None
        for formset in formsets:
            if formset.model is ContributionSpeaker and (formset.has_changed() or not change):
                kept = [
                    (f.cleaned_data.get("position") or 0, n, f.cleaned_data["person"])
                    for n, f in enumerate(formset.forms)
                    if f.cleaned_data.get("person") and not f.cleaned_data.get("DELETE")
                ]
                speakers = [person for *_, person in sorted(kept, key=lambda k: k[:2])]
            # What the admin's change message reads; no inline saves rows of its own.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        self._write(request, form.instance, form, speakers=speakers)

    def _write(
        self,
        request: HttpRequest,
        obj: Contribution,
        form: Any,
        *,
        speakers: list[Person] | None,
    ) -> None:
        cleaned = form.cleaned_data
        data = {name: cleaned[name] for name in contributions.CONTRIBUTION_FIELDS}
        editor = _staff(request)
        try:
            if obj.pk is None:
                saved = contributions.create_contribution(
                    user=editor,
                    event=cleaned["event"],
                    data=data,
                    country=cleaned["country"],
                    speakers=speakers or (),
                )
            else:
                saved = contributions.update_contribution(
                    contribution=obj,
                    user=editor,
                    data=data,
                    expected_version=cleaned["seen_version"],
                    speakers=speakers,
                )
        except services.ServiceError as exc:
            raise PermissionDenied(str(exc)) from None
        for field in Contribution._meta.concrete_fields:  # the admin's log and redirect read it
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def has_delete_permission(self, request: HttpRequest, obj: Contribution | None = None) -> bool:
        """Drafts and returned ones only: published work is withdrawn, never deleted."""
        if obj is not None and obj.status not in Contribution.EDITABLE_STATUSES:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service
        return actions

    def delete_model(self, request: HttpRequest, obj: Contribution) -> None:
        try:
            contributions.delete_contribution(contribution=obj, user=_staff(request))
        except services.ServiceError as exc:
            raise PermissionDenied(str(exc)) from None

    def _require_change(self, request: HttpRequest) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied

    @admin.action(description=gettext_lazy("Publish selected contributions"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Contribution]) -> None:
        self._require_change(request)
        editor = _staff(request)
        _apply_each(
            self,
            request,
            queryset,
            ngettext_lazy(
                "Published %(count)s contribution(s).",
                "Published %(count)s contribution(s).",
                "count",
            ),
            lambda c: contributions.publish_contribution(contribution=c, editor=editor),
        )

    @admin.action(description=gettext_lazy("Withdraw selected published contributions"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Contribution]) -> None:
        self._require_change(request)
        editor = _staff(request)
        _apply_each(
            self,
            request,
            queryset,
            ngettext_lazy(
                "Withdrew %(count)s contribution(s).",
                "Withdrew %(count)s contribution(s).",
                "count",
            ),
            lambda c: contributions.withdraw_contribution(contribution=c, editor=editor),
        )

    @admin.action(description=gettext_lazy("Return selected submitted contributions for changes…"))
    def return_for_changes(
        self, request: HttpRequest, queryset: QuerySet[Contribution]
    ) -> HttpResponse | None:
        self._require_change(request)
        form = ReturnContributionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            comment, editor = form.cleaned_data["comment"], _staff(request)
            _apply_each(
                self,
                request,
                queryset,
                ngettext_lazy(
                    "Returned %(count)s contribution(s).",
                    "Returned %(count)s contribution(s).",
                    "count",
                ),
                lambda c: contributions.return_contribution(
                    contribution=c, editor=editor, comment=comment
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return for changes"),
            "opts": self.model._meta,
            "contributions": queryset.select_related("event", "country"),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/paks/contribution/return.html", context)

    def get_urls(self) -> list[Any]:
        upload = path(
            "<int:pk>/upload/",
            self.admin_site.admin_view(self.upload_view),
            name="paks_contribution_upload",
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Slides or a paper, through the one acceptance path that checks their content."""
        contribution = get_object_or_404(Contribution.objects.select_related("event"), pk=pk)
        if not self.has_change_permission(request, contribution):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    document = accept_document(
                        upload=data["upload"],
                        title=data["title"],
                        kind=data["kind"],
                        contribution=contribution,
                        uploaded_by=_staff(request),
                    )
            except DocumentRejected as exc:
                form.add_error("upload" if exc.field == "file" else None, exc.message)
            else:
                self.log_change(request, contribution, f"Uploaded “{document}”.")
                self.message_user(
                    request,
                    _("Uploaded “%(document)s”.") % {"document": document},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:paks_contribution_change", args=[contribution.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload slides or a paper"),
            "opts": self.model._meta,
            "original": contribution,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/paks/contribution/upload.html", context)
