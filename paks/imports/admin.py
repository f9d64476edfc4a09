"""Import buttons in the admin: a dry run lists every row as created, changed, skipped or
refused (with why), and only a sheet without refusals may then be imported, whole.

Organizations and invitations have their admin in `countries`, which cannot import the
resources (they live here, in the layer that may read every table); `register` extends
those admin classes here, as `paks.admin` extends the events' own.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import Result
from import_export.tmp_storages import BaseStorage
from tablib import Dataset

from accounts.models import Invitation
from countries.admin import InvitationAdmin, OrganizationAdmin
from countries.models import Organization
from paks import roles
from paks.imports.columns import ColumnMapping, MappingError, parse_mapping
from paks.imports.files import MAX_ENTRIES, Bundle, FilesRefused, zip_bundle
from paks.imports.report import base_errors, row_reports
from paks.imports.resources import (
    InvitationResource,
    OrganizationResource,
    ServiceResource,
    column_name,
)

PUBLISH_HELP = (
    "Publish the imported cases at once. Left unticked, they come in as drafts for their "
    "countries to complete and submit."
)
FILES_HELP = (
    "The files the sheet's documents column names (slides.pdf; report.docx), in one ZIP: a "
    "name is found as its path in the ZIP, or as the only file of that name. At most "
    f"{MAX_ENTRIES} files."
)
MAPPING_HELP = (
    "For a sheet whose headers are not this import's own: one line a column, "
    "<code>sheet header = field</code> (or <code>-&gt;</code>), e.g. "
    "<code>Nom du pays = country</code>. Case and spaces do not count. The dry run lists the "
    "columns it does not import and the fields it knows."
)
# The confirm form carries the stored ZIP's name signed: a forged name reads no other file.
FILES_SALT = "paks.imports.files"
FILES_MAX_AGE = 24 * 60 * 60
# The request's attribute that holds its KeptFiles.
REQUEST_FILES = "_paks_import_files"


@dataclass
class KeptFiles:
    """A request's ZIP: where it is kept, its reader once opened, the name it was given."""

    storage: BaseStorage
    label: str
    bundle: Bundle | None = None


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
        label="Column mapping",
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

    def sheet(self) -> Dataset | None:
        """The uploaded sheet, read once; None when it cannot be read (the import says so)."""
        if "_sheet" in self.__dict__:
            return self.__dict__["_sheet"]
        upload, chosen = self.cleaned_data.get("import_file"), self.cleaned_data.get("format")
        sheet = None
        if upload and chosen not in (None, ""):
            reader = self.import_formats[int(chosen)](encoding="utf-8-sig")
            data: str | bytes = b"".join(upload.chunks())
            upload.seek(0)
            try:
                if not reader.is_binary():
                    data = data.decode("utf-8-sig")  # type: ignore[union-attr]
                sheet = reader.create_dataset(data)
            except Exception:  # each format's parser raises its own errors
                sheet = None
        self.__dict__["_sheet"] = sheet
        return sheet

    def sheet_headers(self) -> list[Any] | None:
        sheet = self.sheet()
        return None if sheet is None else list(sheet.headers or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        sheet, limit = self.sheet(), settings.PAKS_IMPORT_MAX_ROWS
        if sheet is not None and len(sheet) > limit:
            # A web request must end within the server's time limit (about 35 ms a row on
            # PostgreSQL); past it the worker is stopped and the editor sees an error page.
            self.add_error(
                "import_file",
                f"This sheet has {len(sheet):,} rows; the admin imports up to {limit:,} at a "
                "time. Split it into several sheets, or have an operator run "
                "manage.py import_data, which takes any number of rows.",
            )
        return cleaned


class MappingConfirmForm(ConfirmImportForm):
    """The confirm form, carrying the dry run's mapping (checked again: it is posted)."""

    column_mapping = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, resources: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.import_resources = list(resources)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        text = cleaned.get("column_mapping") or ""
        if not self.import_resources or not text.strip():
            cleaned["column_mapping"] = ColumnMapping()
            return cleaned
        resource = chosen_resource(self.import_resources, cleaned.get("resource"))
        try:
            cleaned["column_mapping"] = parse_mapping(
                text, fields=resource.known_fields(), column_name=column_name
            )
        except MappingError as exc:
            raise forms.ValidationError(f"Column mapping: {exc}") from None
        return cleaned


class PublishImportForm(MappingImportForm):
    publish = forms.BooleanField(
        required=False, label="Publish the imported cases", help_text=PUBLISH_HELP
    )
    files = forms.FileField(required=False, label="Files (ZIP)", help_text=FILES_HELP)

    def clean_files(self) -> Any:
        upload = self.cleaned_data.get("files")
        if upload:
            try:
                zip_bundle(b"".join(upload.chunks()), label=upload.name).close()
            except FilesRefused as exc:
                raise forms.ValidationError(str(exc)) from None
            upload.seek(0)
        return upload


class PublishConfirmForm(MappingConfirmForm):
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput())
    files_name = forms.CharField(required=False, widget=forms.HiddenInput())
    files_original_name = forms.CharField(required=False, widget=forms.HiddenInput())

    def clean_files_name(self) -> str:
        signed = self.cleaned_data.get("files_name") or ""
        if not signed:
            return ""
        try:
            name = signing.loads(signed, salt=FILES_SALT, max_age=FILES_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                "The ZIP of this import is no longer kept: upload the sheet and the ZIP again."
            ) from None
        return os.path.basename(str(name))  # as import-export reads the sheet's name


class ServiceImportMixin(ImportMixin):
    """Import for editors, through the resources' services, all rows or none."""

    import_formats = [CSV, XLSX, JSON]
    import_template_name = "admin/paks/import.html"
    import_error_display = ("message", "row")
    # Cases offer "publish" and a ZIP of files on the import form; other kinds have neither.
    offers_publish = False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return roles.is_editor(request.user)

    def get_import_form_class(self, request: HttpRequest) -> type[forms.Form]:
        return PublishImportForm if self.offers_publish else MappingImportForm

    def get_confirm_form_class(self, request: HttpRequest) -> type[forms.Form]:
        return PublishConfirmForm if self.offers_publish else MappingConfirmForm

    def get_confirm_form_kwargs(self, request: HttpRequest, import_form: Any = None) -> Any:
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["resources"] = self.get_import_resource_classes(request)
        return kwargs

    def takes_files(self, request: HttpRequest) -> bool:
        return self.offers_publish and any(
            getattr(r, "takes_files", False) for r in self.get_import_resource_classes(request)
        )

    def create_import_form(self, request: HttpRequest) -> Any:
        form = super().create_import_form(request)
        if "files" in form.fields and not self.takes_files(request):
            del form.fields["files"]
        return form

    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            mapping = import_form.cleaned_data.get("column_mapping")
            initial["column_mapping"] = mapping.text() if mapping else ""
        if import_form is not None and self.offers_publish:
            initial["publish"] = import_form.cleaned_data.get("publish", False)
            kept: KeptFiles | None = getattr(request, REQUEST_FILES, None)
            if kept is not None:
                initial["files_name"] = signing.dumps(kept.storage.name, salt=FILES_SALT)
                initial["files_original_name"] = kept.label
        return initial

    def files_storage(self, name: str | None = None) -> BaseStorage:
        """Where the ZIP waits between the dry run and the confirm: where the sheet does."""
        storage: BaseStorage = self.get_tmp_storage_class()(
            name=name, read_mode="rb", **self.get_tmp_storage_class_kwargs()
        )
        return storage

    def import_files(self, request: HttpRequest, form: Any) -> Bundle | None:
        """The ZIP given with the sheet (the dry run's upload, kept; or the one kept for the
        confirm), opened once a request."""
        kept: KeptFiles | None = getattr(request, REQUEST_FILES, None)
        if kept is not None:
            return kept.bundle
        if not self.takes_files(request) or not form.is_bound or not form.is_valid():
            return None
        cleaned = form.cleaned_data
        if isinstance(form, PublishImportForm) and cleaned.get("files"):
            upload = cleaned["files"]
            data = b"".join(upload.chunks())
            storage, label = self.files_storage(), upload.name
            storage.save(data)
        elif isinstance(form, PublishConfirmForm) and cleaned.get("files_name"):
            storage = self.files_storage(cleaned["files_name"])
            label = cleaned["files_original_name"]
            try:
                data = storage.read()
            except OSError:
                raise FilesRefused(
                    "The ZIP of this import is no longer kept: upload the sheet and the ZIP again."
                ) from None
        else:
            return None
        kept = KeptFiles(storage, label or "the ZIP")
        setattr(request, REQUEST_FILES, kept)  # removed after the request, even if unread
        kept.bundle = zip_bundle(data, label=kept.label)
        return kept.bundle

    def drop_files(self, request: HttpRequest, *, keep: bool) -> None:
        """Close the request's ZIP and, unless its import is still to be confirmed, remove it."""
        kept: KeptFiles | None = getattr(request, REQUEST_FILES, None)
        if kept is None:
            return
        if kept.bundle is not None:
            kept.bundle.close()
        if not keep:
            with contextlib.suppress(OSError):  # already gone
                kept.storage.remove()
        delattr(request, REQUEST_FILES)

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The dry run; its ZIP is kept for the confirm only if the sheet may be imported."""
        confirmable = False
        try:
            response: HttpResponse = super().import_action(request, **kwargs)
            context = getattr(response, "context_data", None) or {}
            confirmable = bool(context.get("confirm_form"))
        finally:
            self.drop_files(request, keep=confirmable)
        return response

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The confirmed import; its ZIP is removed after it, imported or refused."""
        try:
            response: HttpResponse = super().process_import(request, **kwargs)
        except FilesRefused as exc:
            self.message_user(request, f"Nothing was imported: {exc}", messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            )
        finally:
            self.drop_files(request, keep=False)
        return response

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        mapping = cleaned.get("column_mapping")
        resource_kwargs: dict[str, Any] = {
            "publish": bool(self.offers_publish and cleaned.get("publish")),
            "column_mapping": mapping if isinstance(mapping, ColumnMapping) else None,
        }
        if form is not None and self.takes_files(request):
            resource_kwargs["files"] = self.import_files(request, form)
        return resource_kwargs

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        """After the confirm step: the import is done, or refused whole and said why (the
        file changed since its dry run, or the database did)."""
        if not (result.has_errors() or result.has_validation_errors()):
            response: HttpResponse = super().process_result(result, request)
            return response
        refused = [r for r in row_reports(result) if r.outcome == "refused"]
        lines = [f"line {r.number + 1}: {r.text}" for r in refused[:10]]
        more = f" (and {len(refused) - 10} more)" if len(refused) > 10 else ""
        self.message_user(
            request,
            f"Nothing was imported: {len(refused) or 'some'} rows were refused{more}. "
            + " ".join(lines + base_errors(result)),
            messages.ERROR,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        )

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        # A refused row rolls the whole import back (the dry run already refused to go on).
        kwargs["rollback_on_validation_errors"] = True
        return kwargs


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
