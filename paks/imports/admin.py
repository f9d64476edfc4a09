"""Imports in the admin: the form keeps the sheet and queues its dry run; the import's
page (`ImportJobAdmin`) shows the report, row by row, as created, changed, skipped or
refused with why, lets the editor map values that name nothing known to rows that exist,
and imports a sheet that refused nothing, whole. The task worker does the work
(`paks.imports.jobs`), so a sheet of any length stays within every web request's time.

Organizations and invitations have their admin in `countries`, which cannot import the
resources (they live here, in the layer that may read every table); `register` extends
those admin classes here, as `paks.admin` extends the events' own.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ImportForm
from tablib import Dataset

from accounts.models import Invitation, signed_in
from countries.admin import InvitationAdmin, OrganizationAdmin
from countries.models import Country, Organization
from paks import roles
from paks.imports import jobs
from paks.imports.columns import ColumnMapping, MappingError, parse_mapping
from paks.imports.files import MAX_ENTRIES, FilesRefused, zip_bundle
from paks.imports.models import ImportJob
from paks.imports.report import FORMATS, UnreadableFile, read_sheet
from paks.imports.resources import (
    RESOURCES,
    InvitationResource,
    OrganizationResource,
    ServiceResource,
    column_name,
)
from taxonomy.models import SDG, Theme

PUBLISH_HELP = gettext_lazy(
    "Publish the imported cases at once. Left unticked, they come in as drafts for their "
    "countries to complete and submit."
)


def _files_help() -> str:
    return ngettext(
        "The files the sheet's documents column names (slides.pdf; report.docx), in one ZIP: a "
        "name is found as its path in the ZIP, or as the only file of that name. At most "
        "%(count)s file.",
        "The files the sheet's documents column names (slides.pdf; report.docx), in one ZIP: a "
        "name is found as its path in the ZIP, or as the only file of that name. At most "
        "%(count)s files.",
        MAX_ENTRIES,
    ) % {"count": MAX_ENTRIES}


FILES_HELP = lazy(_files_help, str)()
MAPPING_HELP = gettext_lazy(
    # Translators: "sheet header = field" is the syntax the editor types ("field" in English,
    # as the import names its fields); the example maps a French header to the field "country".
    "For a sheet whose headers are not this import's own: one line a column, "
    "<code>sheet header = field</code> (or <code>-&gt;</code>), e.g. "
    "<code>Nom du pays = country</code>. Case and spaces do not count. The dry run lists the "
    "columns it does not import and the fields it knows."
)


def chosen_resource(resources: Any, index: Any) -> ServiceResource:
    """The form's resource class, by the index it was chosen at, made to read its fields."""
    classes = list(resources)
    try:
        resource_class = classes[int(index or 0)]
    except (IndexError, ValueError):
        resource_class = classes[0]
    resource: ServiceResource = resource_class()
    return resource


class MappingImportForm(ImportForm):
    """The import form, with a mapping of the sheet's headers to the import's fields."""

    column_mapping = forms.CharField(
        required=False,
        label=gettext_lazy("Column mapping"),
        help_text=MAPPING_HELP,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def __init__(self, formats: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        self.import_formats, self.import_resources = list(formats), list(resources)

    def clean_column_mapping(self) -> ColumnMapping:
        text = self.cleaned_data.get("column_mapping") or ""
        resource = chosen_resource(self.import_resources, self.cleaned_data.get("resource"))
        try:
            mapping = parse_mapping(text, fields=resource.known_fields(), column_name=column_name)
            headers = self.sheet_headers() if mapping else None
            if headers is not None:
                mapping.check_headers(headers, column_name)
        except MappingError as exc:
            raise forms.ValidationError(str(exc)) from None
        return mapping

    def format_name(self) -> str | None:
        """The chosen format as the imports name it (csv, xlsx, json)."""
        chosen = self.cleaned_data.get("format")
        if chosen in (None, ""):
            return None
        reader = self.import_formats[int(chosen)]
        return next((name for name, cls in FORMATS.items() if cls is reader), None)

    def sheet(self) -> Dataset | None:
        """The uploaded sheet, read once; None when it cannot be read (the form says so)."""
        if "_sheet" in self.__dict__:
            return self.__dict__["_sheet"]
        upload, file_format = self.cleaned_data.get("import_file"), self.format_name()
        sheet = None
        if upload and file_format:
            data = b"".join(upload.chunks())
            upload.seek(0)
            with contextlib.suppress(UnreadableFile):
                sheet = read_sheet(data, file_format, name=upload.name)
        self.__dict__["_sheet"] = sheet
        return sheet

    def sheet_headers(self) -> list[Any] | None:
        sheet = self.sheet()
        return None if sheet is None else list(sheet.headers or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors or not cleaned.get("import_file"):
            return cleaned
        sheet, limit = self.sheet(), settings.PAKS_IMPORT_MAX_ROWS
        chosen = self.import_formats[int(cleaned["format"])]
        if sheet is None:
            self.add_error(
                "import_file",
                _(
                    "This file cannot be read as %(format)s: choose its format, or save "
                    "the sheet again as CSV (UTF-8), XLSX or JSON."
                )
                % {"format": chosen.__name__},
            )
        elif not len(sheet):
            self.add_error("import_file", _("This sheet has no rows under its header line."))
        elif len(sheet) > limit:
            # The worker holds the sheet and its report in memory.
            self.add_error(
                "import_file",
                ngettext(
                    # Translators: English writes "rows" whatever the number.
                    "This sheet has %(rows)s rows; the admin imports up to %(limit)s at a "
                    "time. Split it into several sheets, or have an operator run "
                    "manage.py import_data, which takes any number of rows.",
                    "This sheet has %(rows)s rows; the admin imports up to %(limit)s at a "
                    "time. Split it into several sheets, or have an operator run "
                    "manage.py import_data, which takes any number of rows.",
                    len(sheet),
                )
                % {
                    "rows": number_format(len(sheet), force_grouping=True),
                    "limit": number_format(limit, force_grouping=True),
                },
            )
        return cleaned


class PublishImportForm(MappingImportForm):
    publish = forms.BooleanField(
        required=False, label=gettext_lazy("Publish the imported cases"), help_text=PUBLISH_HELP
    )
    files = forms.FileField(required=False, label=gettext_lazy("Files (ZIP)"), help_text=FILES_HELP)

    def clean_files(self) -> Any:
        upload = self.cleaned_data.get("files")
        if upload:
            try:
                zip_bundle(b"".join(upload.chunks()), label=upload.name).close()
            except FilesRefused as exc:
                raise forms.ValidationError(str(exc)) from None
            upload.seek(0)
        return upload


class ServiceImportMixin(ImportMixin):
    """Import for editors, through the resources' services, all rows or none: the form
    keeps the sheet and queues its dry run, whose page then offers the import."""

    import_formats = [CSV, XLSX, JSON]
    import_template_name = "admin/paks/import.html"
    # Cases offer "publish" and a ZIP of files on the import form; other kinds have neither.
    offers_publish = False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return roles.is_editor(request.user)

    def get_import_form_class(self, request: HttpRequest) -> type[forms.Form]:
        return PublishImportForm if self.offers_publish else MappingImportForm

    def takes_files(self, request: HttpRequest) -> bool:
        return self.offers_publish and any(
            getattr(r, "takes_files", False) for r in self.get_import_resource_classes(request)
        )

    def create_import_form(self, request: HttpRequest) -> Any:
        form = super().create_import_form(request)
        if "files" in form.fields and not self.takes_files(request):
            del form.fields["files"]
        return form

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The form; posted and valid, the sheet is kept and its dry run queued, and the
        editor is sent to the import's page. An invalid form is shown again with why."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                return self.start_job(request, form)
        response: HttpResponse = super().import_action(request, **kwargs)
        return response

    def start_job(self, request: HttpRequest, form: Any) -> HttpResponse:
        cleaned = form.cleaned_data
        resource = chosen_resource(form.import_resources, cleaned.get("resource"))
        sheet = form.sheet()
        job = jobs.start(
            kind=jobs.kind_of(type(resource)),
            sheet=cleaned["import_file"],
            sheet_format=form.format_name(),
            rows=len(sheet) if sheet is not None else 0,
            user=signed_in(request.user),
            column_mapping=cleaned.get("column_mapping") or None,
            publish=bool(cleaned.get("publish")),
            files=cleaned.get("files") or None,
        )
        return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[job.pk]))

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Imports are confirmed on their own page (see ImportJobAdmin)."""
        return HttpResponseRedirect(reverse("admin:imports_importjob_changelist"))


class OrganizationImportAdmin(ServiceImportMixin, OrganizationAdmin):
    resource_classes = [OrganizationResource]


class InvitationImportAdmin(ServiceImportMixin, InvitationAdmin):
    resource_classes = [InvitationResource]


def register(site: admin.AdminSite = admin.site) -> None:
    """Give the organizations' and invitations' admin their import."""
    for model, model_admin in (
        (Organization, OrganizationImportAdmin),
        (Invitation, InvitationImportAdmin),
    ):
        site.unregister(model)
        site.register(model, model_admin)


# The import's page

# How each kind of value is chosen when the editor maps one the sheet names: from a list
# where the list is short, else typed as the sheet would name it.
VALUE_HELP = {
    "organization": gettext_lazy(
        "the name, short name, acronym or slug of an existing organization"
    ),
    "event": gettext_lazy("the slug or title of an existing event"),
}
KIND_LABELS = {
    "country": gettext_lazy("Country"),
    "organization": gettext_lazy("Organization"),
    "theme": gettext_lazy("Theme"),
    # Translators: Sustainable Development Goal.
    "sdg": gettext_lazy("SDG"),
    "event": gettext_lazy("Event"),
}
# What a sheet holds, as the import's page names it ("… of cases").
SHEET_KINDS = {
    "cases": gettext_lazy("cases"),
    "organizations": gettext_lazy("organizations"),
    "events": gettext_lazy("events"),
    "participations": gettext_lazy("participations"),
    "invitations": gettext_lazy("invitations"),
}
# Rows of the report the page lists at most (the counts cover every row).
ROWS_SHOWN = 2000
REFRESH_SECONDS = 5


def value_choices(kind: str) -> list[tuple[str, str]] | None:
    if kind == "country":
        return list(Country.objects.order_by("name").values_list("iso3", "name"))
    if kind == "theme":
        return list(Theme.objects.order_by("name").values_list("slug", "name"))
    if kind == "sdg":
        # Translators: a Sustainable Development Goal, its number and title: "SDG 4: Education".
        name = _("SDG %(number)s: %(title)s")
        return [
            (str(n), name % {"number": n, "title": title})
            for n, title in SDG.objects.order_by("number").values_list("number", "short_title")
        ]
    return None


class ValueMappingForm(forms.Form):
    """One field for each value the dry run found no row for: the row meant instead."""

    def __init__(self, *args: Any, unknown: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unknown = unknown
        choices: dict[str, list[tuple[str, str]] | None] = {}
        for number, value in enumerate(unknown):
            kind = value["kind"]
            rows = value["rows"]
            label = ngettext(
                # Translators: a value a sheet names that matches nothing: Country “Kenia” (3 rows).
                "%(kind)s “%(value)s” (%(count)s row)",
                "%(kind)s “%(value)s” (%(count)s rows)",
                rows,
            ) % {"kind": KIND_LABELS[kind], "value": value["value"], "count": rows}
            if kind not in choices:
                choices[kind] = value_choices(kind)
            listed = choices[kind]
            field: forms.Field
            if listed is not None:
                field = forms.ChoiceField(
                    label=label, required=False, choices=[("", _("— leave as it is —")), *listed]
                )
            else:
                field = forms.CharField(
                    label=label, required=False, max_length=500, help_text=VALUE_HELP.get(kind, "")
                )
            self.fields[f"value_{number}"] = field

    def lines(self) -> list[str]:
        """The mapping the editor chose, one `kind: value = existing` line each."""
        return [
            f"{value['kind']}: {value['value']} = {chosen}"
            for number, value in enumerate(self.unknown)
            if (chosen := " ".join(str(self.cleaned_data.get(f"value_{number}", "")).split()))
        ]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    """Every import the admin ran, newest first; each one's page is its dry run's report,
    then its import's, with the buttons that take it on."""

    list_display = ["created_at", "file_name", "kind", "status", "rows", "requested_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    search_fields = ["file_name"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return roles.is_editor(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles.is_editor(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an import starts from the list it imports into

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/import/", view(self.confirm_view), name="imports_importjob_confirm"),
            path("<int:pk>/check/", view(self.check_view), name="imports_importjob_check"),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob.objects.select_related("requested_by", "confirmed_by"),
            pk=object_id if str(object_id).isdigit() else 0,
        )
        return self.render_job(request, job)

    def render_job(
        self, request: HttpRequest, job: ImportJob, values_form: ValueMappingForm | None = None
    ) -> HttpResponse:
        report = job.report or {}
        rows = report.get("rows", [])
        unknown = report.get("unknown", [])
        if values_form is None and unknown and job.status == ImportJob.Status.CHECKED:
            values_form = ValueMappingForm(unknown=unknown)
        target = RESOURCES[job.kind]._meta.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import of %(file)s") % {"file": job.file_name},
            "job": job,
            "kind_label": SHEET_KINDS.get(job.kind, job.kind),
            "report": report,
            "unknown": [
                {**value, "label": KIND_LABELS.get(value["kind"], value["kind"])}
                for value in unknown
            ],
            "refused_rows": [row for row in rows if row["outcome"] == "refused"][:ROWS_SHOWN],
            "shown_rows": rows[:ROWS_SHOWN],
            "more_rows": max(0, len(rows) - ROWS_SHOWN),
            "values_form": values_form,
            "refresh": REFRESH_SECONDS if job.running else None,
            "target_url": reverse(f"admin:{target.app_label}_{target.model_name}_changelist"),
            "target_name": target.verbose_name_plural,
            "again_url": reverse(f"admin:{target.app_label}_{target.model_name}_import"),
        }
        return TemplateResponse(request, "admin/imports/importjob/status.html", context)

    def confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._posted_job(request, pk)
        try:
            jobs.confirm(job, user=signed_in(request.user))
        except jobs.JobRefused as exc:
            self.message_user(
                request, _("Not imported: %(reason)s") % {"reason": exc}, messages.ERROR
            )
        return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[job.pk]))

    def check_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._posted_job(request, pk)
        form = ValueMappingForm(request.POST, unknown=job.report.get("unknown", []))
        if not form.is_valid():
            return self.render_job(request, job, form)
        lines = [line for line in job.value_mapping.splitlines() if line.strip()]
        chosen = form.lines()
        if not chosen:
            self.message_user(request, _("Choose a value to map first."), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[job.pk]))
        try:
            jobs.check_again(
                job, value_mapping="\n".join([*lines, *chosen]), user=signed_in(request.user)
            )
        except jobs.JobRefused as exc:
            self.message_user(
                request, _("Not checked again: %(reason)s") % {"reason": exc}, messages.ERROR
            )
        return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[job.pk]))

    def _posted_job(self, request: HttpRequest, pk: int) -> ImportJob:
        if request.method != "POST":
            raise Http404
        if not roles.is_editor(request.user):
            raise PermissionDenied
        return get_object_or_404(ImportJob, pk=pk)
