"""What a sheet's columns mean, per kind of row, and which service writes each row.

import-export reads the file, finds the existing row (`get_instance`), puts the cells on the
instance (`import_instance`) and saves it (`save_instance`). Here the cells that name other
rows are matched by `matching.Matcher`, the save is the service's, and a refused row says
why: a cell that names nothing, or the service's own refusal. The admin and `import_data`
import with `rollback_on_validation_errors`, so one refused row saves nothing.

The values no row matched are counted, by kind, for the editor to create them or to map
them to existing ones (a `values.ValueMapping`, which the Matcher then applies).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, cast

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.results import Result
from import_export.widgets import ForeignKeyWidget
from tablib import Dataset

from accounts import audit
from accounts.models import Invitation, User
from countries import services as country_services
from countries.models import Country, Organization
from events import services as event_services
from events.models import Event, Participation
from paks import services
from paks.documents.accept import (
    PPTX,
    DocumentRejected,
    accept_document,
    accept_link,
    check_upload,
    detect_media_type,
    sha256_of,
)
from paks.imports.columns import ColumnMapping, ColumnReport, MappingError
from paks.imports.files import Bundle, NamedFile, is_link
from paks.imports.matching import Matcher, Unmatched, cell_text, key, split_list
from paks.imports.values import KINDS, ValueMapping
from paks.models import CaseStudy, Document
from paks.search.index import merge_reindexing

DATA_IMPORTED = audit.Action.DATA_IMPORTED

# What a service raises when it refuses a write; each becomes the row's reason.
REFUSALS: tuple[type[Exception], ...] = (
    services.ServiceError,
    country_services.OrganizationError,
    country_services.InvitationError,
    event_services.EventError,
)

# Other spellings of column headers that sheets use.
COLUMN_ALIASES = {
    "theme": "themes",
    "sdg": "sdgs",
    "organisation": "organization",
    "organizer": "organizers",
    "organisers": "organizers",
    "lessons": "lessons_learned",
    "participating_country": "country",
    "e_mail": "email",
}


def column_name(header: object) -> str:
    """ "Lessons learned", "lessons-learned" and "LESSONS_LEARNED" are one column."""
    name = key(header).replace("-", " ").replace(" ", "_")
    return COLUMN_ALIASES.get(name, name)


class ImportResult(Result):
    """import-export's result, with what the import made of the sheet's columns, and the
    values its rows named that match nothing: kind -> value -> number of rows naming it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = ColumnReport()
        self.unknown: dict[str, dict[str, int]] = {}


class UnknownValues:
    """The values an import's rows named that match nothing, each counted once a row, and
    listed as first written (values differing only in case, accents or spacing are one)."""

    def __init__(self) -> None:
        self.spelling: dict[tuple[str, str], str] = {}  # (kind, key) -> the value first met
        self.rows: Counter[tuple[str, str]] = Counter()

    def count_row(self, failures: Iterable[Unmatched]) -> None:
        """The values one row named that match nothing: those a value mapping could map."""
        row: dict[tuple[str, str], str] = {}
        for failure in failures:
            if failure.kind and key(failure.value):
                row.setdefault((failure.kind, key(failure.value)), failure.value)
        for found, value in row.items():
            self.spelling.setdefault(found, value)
            self.rows[found] += 1

    def by_kind(self) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            values = {v: self.rows[k] for k, v in self.spelling.items() if k[0] == kind}
            if values:
                found[kind] = values
        return found


def choice(value: Any, choices: Iterable[tuple[str, object]], *, column: str) -> str:
    """A choice by its stored value or its label ("Government agency" is "government")."""
    text = cell_text(value)
    for stored, label in choices:
        if key(text) in (key(stored), key(label)):
            return stored
    allowed = ", ".join(str(label) for _stored, label in choices)
    raise Unmatched(
        # Translators: the sheet's column (as the import names it), the cell's text, then the
        # choices it may name.
        _('Column "%(column)s": "%(value)s" is not one of: %(allowed)s.')
        % {"column": column, "value": text, "allowed": allowed}
    )


def names(rows: Iterable[Any], attribute: str = "name") -> str:
    return "; ".join(str(getattr(row, attribute)) for row in rows)


class ServiceResource(resources.ModelResource):
    """Rows written by services, with the importing user; cells naming rows are matched.

    `matchers()` maps a column to how its cell is read (a Matcher method or `choice`); what
    it finds goes to the instance's attribute of that name or, for the `list_columns`, to
    the relations the service sets.
    """

    list_columns: ClassVar[tuple[str, ...]] = ()
    kind_label: ClassVar[str] = "rows"
    # Whether rows name files given with the sheet (a ZIP), passed as `files`.
    takes_files: ClassVar[bool] = False
    # Columns a row may leave out though the model needs them: the service fills them in.
    derived_columns: ClassVar[tuple[str, ...]] = ("slug",)

    class Meta:
        clean_model_instances = False  # the services validate, in the dry run too
        report_skipped = True
        use_transactions = True

    def __init__(
        self,
        *,
        publish: bool = False,
        column_mapping: ColumnMapping | None = None,
        value_mapping: ValueMapping | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.publish = publish
        self.column_mapping = column_mapping or ColumnMapping()
        self.value_mapping = value_mapping or ValueMapping()
        self.columns = ColumnReport(mapping=self.column_mapping)
        self.user: User | None = None
        self.matcher = Matcher(self.value_mapping)
        self.unknown = UnknownValues()

    def get_result_class(self) -> type[Result]:
        return ImportResult

    def known_fields(self) -> list[str]:
        """The columns this import reads, by the names a mapping maps to."""
        return [f.column_name for f in self.get_import_fields()]

    def required_fields(self) -> set[str]:
        """The columns whose every row needs a value: the model's fields that may be left
        neither blank nor to a default, nor to the service."""
        meta = self._meta.model._meta
        required = set()
        for name in self.known_fields():
            if name in self.derived_columns:
                continue
            try:
                model_field = meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not (getattr(model_field, "blank", True) or model_field.has_default()):
                required.add(name)
        return required

    def column_report(self, headers: list[Any]) -> ColumnReport:
        known, required = self.known_fields(), self.required_fields()
        return ColumnReport(
            unused=[str(h) for h in headers if h is not None and self.rename(h) not in known],
            fields=[(name, name in required) for name in known],
            mapping=self.column_mapping,
        )

    def rename(self, header: object) -> str:
        """The column a header names: as the mapping says, else by its name or alias."""
        return self.column_mapping.field_for(header) or column_name(header)

    def matchers(self) -> dict[str, Callable[[Any, str], Any]]:
        return {}

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        headers = list(dataset.headers or [])
        self.columns = self.column_report(headers)
        try:
            self.column_mapping.check_headers(headers, column_name)
        except MappingError as exc:
            # The admin's form and the command check first; read no row under wrong names.
            dataset.wipe()
            raise ValueError(_("Column mapping: %(error)s") % {"error": exc}) from None
        dataset.headers = [self.rename(h) for h in headers]
        self.user = kwargs.get("user")
        # Read afresh: another import may have added rows.
        self.matcher = Matcher(self.value_mapping)
        self.unknown = UnknownValues()

    def import_instance(
        self, instance: models.Model, row: Mapping[str, Any], **kwargs: Any
    ) -> None:
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        relations: dict[str, Any] = {}
        failures: list[Unmatched] = []
        for column, read in self.matchers().items():
            if column not in row:
                continue
            empty = not cell_text(row[column])
            try:
                value: Any = [] if empty and column in self.list_columns else None
                if not empty:
                    value = read(row[column], column)
            except Unmatched as exc:
                found = [exc]
                if column in self.list_columns and exc.kind is not None:
                    found = self.unmatched_parts(read, row[column], column) or found
                failures += found
                errors[column] = list(dict.fromkeys(str(f) for f in found))
                continue
            if column in self.list_columns:
                relations[column] = value
            else:
                setattr(instance, column, value)
        # Counted here only, once a row: `get_instance` may have matched the same cells.
        self.unknown.count_row(failures)
        instance._import_relations = relations  # type: ignore[attr-defined]
        instance._import_columns = set(row)  # type: ignore[attr-defined]
        if errors:
            raise ValidationError(errors)

    def unmatched_parts(
        self, read: Callable[[Any, str], Any], value: Any, column: str
    ) -> list[Unmatched]:
        """Every part of a list cell that names nothing, not just the first: the editor
        creates or maps them all before the next run."""
        found = []
        for part in split_list(value):
            try:
                read(part, column)
            except Unmatched as exc:
                found.append(exc)
        return found

    def skip_row(
        self,
        instance: models.Model,
        original: models.Model | None,
        row: Mapping[str, Any],
        import_validation_errors: dict[str, Any] | None = None,
    ) -> bool:
        """Blank rows, and rows that would change nothing."""
        if not any(cell_text(v) for v in row.values()):
            return True
        if import_validation_errors or original is None or original.pk is None:
            return False
        return self.unchanged(instance, original)

    def unchanged(self, instance: Any, original: Any) -> bool:
        return False

    def write(self, instance: Any, is_create: bool) -> models.Model:
        raise NotImplementedError

    def save_instance(
        self, instance: models.Model, is_create: bool, row: Mapping[str, Any], **kwargs: Any
    ) -> None:
        try:
            # One savepoint per row: a row refused halfway leaves nothing, in a dry run too.
            with transaction.atomic():
                saved = self.write(instance, is_create)
        except REFUSALS as exc:
            raise ValidationError({NON_FIELD_ERRORS: [str(exc)]}) from None
        for field in type(saved)._meta.concrete_fields:  # what the report and the diff read
            setattr(instance, field.attname, getattr(saved, field.attname))
        instance._state.adding = False

    def save_m2m(self, instance: models.Model, row: Mapping[str, Any], **kwargs: Any) -> None:
        """The services set the relations."""

    def given(self, instance: Any, names: Iterable[str]) -> dict[str, Any]:
        """The fields whose columns the sheet has, as the service takes them."""
        columns: set[str] = getattr(instance, "_import_columns", set())
        return {name: getattr(instance, name) for name in names if name in columns}

    def import_data_inner(self, *args: Any, **kwargs: Any) -> Any:
        connection = transaction.get_connection()
        queued = len(connection.run_on_commit)
        result = super().import_data_inner(*args, **kwargs)
        # Each row saved in a savepoint of its own: one reindex of every case, not one a save.
        merge_reindexing(since=queued)
        return result

    def after_import(self, dataset: Dataset, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        result.columns = self.columns
        result.unknown = self.unknown.by_kind()
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        totals = result.totals
        detail = (
            f"{self.kind_label} from {kwargs.get('file_name') or 'a file'}: "
            f"{totals['new']} created, {totals['update']} updated, {totals['skip']} skipped"
        )
        if self.column_mapping:
            detail += f"; columns mapped: {self.column_mapping.describe()}"
        if self.value_mapping:
            detail += f"; values mapped: {self.value_mapping.describe()}"
        audit.record(DATA_IMPORTED, actor=self.user, detail=detail)


def _list_field(column: str) -> Field:
    return Field(column_name=column, readonly=True)


def _named(attribute: str, model: type[models.Model], label: str = "name") -> Field:
    # Shown in the report as the matched row's name; read by the Matcher, not by the widget.
    return Field(
        attribute=attribute,
        column_name=attribute,
        widget=ForeignKeyWidget(model, label),
        readonly=True,
    )


def document_kind(media_type: str | None) -> str:
    """What a file from a sheet is listed as: slides, pictures, else a report."""
    if media_type == PPTX:
        return Document.Kind.PRESENTATION
    if media_type and media_type.startswith("image/"):
        return Document.Kind.PHOTO
    return Document.Kind.REPORT


class CaseResource(ServiceResource):
    """Cases: new ones as drafts, or published when the editor asks; `slug` finds an existing
    case to change.

    The `documents` column lists web addresses (attached as links) and names of files given
    with the sheet (`files`, a ZIP or a folder), attached through the upload pipeline. A dry
    run checks those files as the upload does but stores none; an import stores them, and
    removes them again when its transaction rolls back.
    """

    list_columns = ("themes", "sdgs", "documents")
    kind_label = "cases"
    takes_files = True

    slug = Field(attribute="slug", column_name="slug", readonly=True)
    country = _named("country", Country)
    organization = _named("organization", Organization)
    event = _named("event", Event, "title")
    themes = _list_field("themes")
    sdgs = _list_field("sdgs")
    documents = _list_field("documents")
    status = Field(attribute="status", column_name="status", readonly=True)

    class Meta(ServiceResource.Meta):
        model = CaseStudy
        fields = (
            "slug",
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
            "documents",
            "status",
        )

    def __init__(self, *, files: Bundle | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.files = files
        self.dry_run = False
        self.stored: list[Document] = []  # by this import, to remove if it rolls back

    def import_data(self, dataset: Dataset, dry_run: bool = False, **kwargs: Any) -> Any:
        self.dry_run, self.stored = dry_run, []
        try:
            result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        except BaseException:
            self.remove_stored(rolled_back=True)
            raise
        self.remove_stored(rolled_back=False)
        return result

    def remove_stored(self, *, rolled_back: bool) -> None:
        """Files stored for rows that are not there (a refused row rolled the import back):
        Django says when a transaction commits, not when it rolls back, so ask the table."""
        if not self.stored:
            return
        kept: set[int] = set()
        if not rolled_back:
            ids = [d.pk for d in self.stored]
            kept = set(Document.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for document in self.stored:
            if document.pk not in kept and document.file.name:
                document.file.storage.delete(document.file.name)
        self.stored = []

    def read_documents(self, value: Any, *, column: str) -> list[str | NamedFile]:
        """Web addresses as they are, file names as the files found for them."""
        found: list[str | NamedFile] = []
        for item in split_list(value):
            if is_link(item):
                found.append(item)
            elif self.files is None:
                raise Unmatched(
                    _(
                        'Column "%(column)s": "%(item)s" is no web address (http:// or '
                        "https://), and no files came with the sheet: give a ZIP of the files "
                        "it names."
                    )
                    % {"column": column, "item": item}
                )
            else:
                found.append(self.files.find(item, column=column))
        return found

    def matchers(self) -> dict[str, Callable[[Any, str], Any]]:
        m = self.matcher
        languages = cast(list[tuple[str, str]], CaseStudy._meta.get_field("language").choices)
        return {
            "country": lambda v, c: m.country(v, column=c),
            "organization": lambda v, c: m.organization(v, column=c),
            "event": lambda v, c: m.event(v, column=c),
            "language": lambda v, c: choice(v, languages, column=c),
            "themes": lambda v, c: m.themes(v, column=c),
            "sdgs": lambda v, c: m.sdgs(v, column=c),
            "documents": lambda v, c: self.read_documents(v, column=c),
        }

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> CaseStudy | None:
        slug = cell_text(row.get("slug"))
        return CaseStudy.objects.filter(slug=slug).first() if slug else None

    def dehydrate_themes(self, case: CaseStudy) -> str:
        relations = getattr(case, "_import_relations", {})
        if "themes" in relations:
            return names(relations["themes"])
        return names(case.themes.all()) if case.pk else ""

    def dehydrate_sdgs(self, case: CaseStudy) -> str:
        relations = getattr(case, "_import_relations", {})
        if "sdgs" in relations:
            return names(relations["sdgs"], "number")
        return names(case.sdgs.all(), "number") if case.pk else ""

    def dehydrate_documents(self, case: CaseStudy) -> str:
        relations = getattr(case, "_import_relations", {})
        if "documents" in relations:
            return "; ".join(str(d) for d in relations["documents"])
        if not case.pk:
            return ""
        return "; ".join(d.external_url or d.original_filename for d in case.documents.all())

    def unchanged(self, instance: Any, original: Any) -> bool:
        if self.publish and original.status != CaseStudy.Status.PUBLISHED:
            return False
        fields = (*services.CASE_FIELDS, "country")
        if any(getattr(instance, n) != getattr(original, n) for n in fields):
            return False
        relations = dict(instance._import_relations)
        if not self.attached_already(original, relations.pop("documents", [])):
            return False
        return all(
            {r.pk for r in relations[name]}
            == set(getattr(original, name).values_list("pk", flat=True))
            for name in relations
        )

    def write(self, instance: CaseStudy, is_create: bool) -> CaseStudy:
        user = self.user
        if user is None:
            raise services.NotAllowed("Cases are imported by a person: say who.")
        relations = dict(instance._import_relations)  # type: ignore[attr-defined]
        documents = relations.pop("documents", [])
        data = {**self.given(instance, services.CASE_FIELDS), **relations}
        country = instance.country if instance.country_id else None
        if is_create:
            case = services.create_case(user=user, data=data, country=country)
        else:
            case = services.update_case(
                case=instance,
                user=user,
                data=data,
                expected_version=instance.version,
                country=country,
            )
        self.attach(case, documents, user)
        if self.publish and case.status != CaseStudy.Status.PUBLISHED:
            if case.status in CaseStudy.EDITABLE_STATUSES:
                case = services.submit_case(case=case, user=user, notify=False)
            case = services.publish_case(case=case, editor=user, notify=False)
        return case

    def attached_already(self, case: CaseStudy, documents: list[str | NamedFile]) -> bool:
        if not documents:
            return True
        urls = set(case.documents.values_list("external_url", flat=True))
        if any(d not in urls for d in documents if isinstance(d, str)):
            return False
        files = [d for d in documents if isinstance(d, NamedFile)]
        if not files or self.files is None:
            return True
        digests = set(case.documents.values_list("sha256", flat=True))
        try:
            return all(self.files.digest(f.path) in digests for f in files)
        except DocumentRejected:
            return False  # the write says why

    def attach(self, case: CaseStudy, documents: list[str | NamedFile], user: User) -> None:
        """The row's links and files, those the case has not got already (by address, by
        content), as the upload pipeline takes them."""
        if not documents:
            return
        urls = set(case.documents.values_list("external_url", flat=True))
        digests = set(case.documents.values_list("sha256", flat=True))
        for document in dict.fromkeys(documents):
            try:
                if isinstance(document, NamedFile) and self.files is not None:
                    self.attach_file(case, self.files, document, user, digests)
                elif isinstance(document, str) and document not in urls:
                    accept_link(url=document, case=case, uploaded_by=user)
            except DocumentRejected as exc:
                values = {"column": "documents", "reason": exc.message}
                if isinstance(document, NamedFile):
                    # Translators: the sheet's column, a file it names, then why the file is
                    # refused.
                    message = _('Column "%(column)s": "%(file)s": %(reason)s')
                    values["file"] = document.name
                else:
                    message = _('Column "%(column)s": %(reason)s')
                raise services.ServiceError(message % values) from None

    def attach_file(
        self, case: CaseStudy, files: Bundle, named: NamedFile, user: User, digests: set[str]
    ) -> None:
        with files.open(named.path) as upload:
            digest = sha256_of(upload)
            if digest in digests:
                return  # the same file, named twice or imported before
            if self.dry_run:
                check_upload(upload)  # a dry run stores nothing
            else:
                kind = document_kind(detect_media_type(upload))
                document = accept_document(upload=upload, kind=kind, case=case, uploaded_by=user)
                self.stored.append(document)
            digests.add(digest)


class OrganizationResource(ServiceResource):
    """Organizations, found by slug or name to be changed, else added."""

    kind_label = "organizations"

    country = _named("country", Country)
    parent = _named("parent", Organization)

    class Meta(ServiceResource.Meta):
        model = Organization
        fields = country_services.ORGANIZATION_FIELDS

    def matchers(self) -> dict[str, Callable[[Any, str], Any]]:
        m = self.matcher
        return {
            "country": lambda v, c: m.country(v, column=c),
            "parent": lambda v, c: m.organization(v, column=c),
            "kind": lambda v, c: choice(v, Organization.Kind.choices, column=c),
        }

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> Organization | None:
        slug, name = cell_text(row.get("slug")), cell_text(row.get("name"))
        if slug:
            found = Organization.objects.filter(slug=slug).first()
            if found is not None:
                return found
        return Organization.objects.filter(name__iexact=name).first() if name else None

    def unchanged(self, instance: Any, original: Any) -> bool:
        given = self.given(instance, country_services.ORGANIZATION_FIELDS)
        return all(getattr(original, n) == v for n, v in given.items())

    def write(self, instance: Organization, is_create: bool) -> Organization:
        data = self.given(instance, country_services.ORGANIZATION_FIELDS)
        if is_create:
            organization = country_services.create_organization(user=self.user, data=data)
        else:
            organization = country_services.update_organization(
                organization=instance, user=self.user, data=data
            )
        self.matcher.remember_organization(organization)  # later rows may name it
        return organization


class EventResource(ServiceResource):
    """Events (times in UTC, as the admin's), found by slug to be changed, else added."""

    list_columns = ("organizers", "themes", "sdgs")
    kind_label = "events"

    country = _named("country", Country)
    organizers = _list_field("organizers")
    themes = _list_field("themes")
    sdgs = _list_field("sdgs")

    class Meta(ServiceResource.Meta):
        model = Event
        fields = (
            "slug",
            "title",
            "kind",
            "start",
            "end",
            "all_day",
            "timezone",
            "mode",
            "venue",
            "city",
            "country",
            "summary",
            "language",
            "languages",
            "expected_participants",
            "actual_participants",
            "website",
            "is_public",
            "organizers",
            "themes",
            "sdgs",
        )

    def matchers(self) -> dict[str, Callable[[Any, str], Any]]:
        m = self.matcher
        languages = cast(list[tuple[str, str]], Event._meta.get_field("language").choices)
        return {
            "country": lambda v, c: m.country(v, column=c),
            "kind": lambda v, c: choice(v, Event.Kind.choices, column=c),
            "language": lambda v, c: choice(v, languages, column=c),
            "mode": lambda v, c: choice(v, Event.Mode.choices, column=c),
            "organizers": lambda v, c: [m.organization(part, column=c) for part in split_list(v)],
            "themes": lambda v, c: m.themes(v, column=c),
            "sdgs": lambda v, c: m.sdgs(v, column=c),
        }

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> Event | None:
        slug = cell_text(row.get("slug"))
        return Event.objects.filter(slug=slug).first() if slug else None

    def dehydrate_organizers(self, event: Event) -> str:
        relations = getattr(event, "_import_relations", {})
        if "organizers" in relations:
            return names(relations["organizers"])
        return names(event.organizations.all()) if event.pk else ""

    def dehydrate_themes(self, event: Event) -> str:
        relations = getattr(event, "_import_relations", {})
        return names(relations.get("themes", event.themes.all() if event.pk else []))

    def dehydrate_sdgs(self, event: Event) -> str:
        relations = getattr(event, "_import_relations", {})
        return names(relations.get("sdgs", event.sdgs.all() if event.pk else []), "number")

    def write(self, instance: Event, is_create: bool) -> Event:
        data = {
            **self.given(instance, event_services.EVENT_FIELDS),
            **instance._import_relations,  # type: ignore[attr-defined]
        }
        if data.get("language", "") is None:  # an empty cell: the event's, else the default
            del data["language"]
        event = event_services.save_event(
            user=self.user, data=data, event=None if is_create else instance
        )
        self.matcher.remember_event(event)
        return event


class ParticipationResource(ServiceResource):
    """The countries taking part in events: one row per event and country."""

    kind_label = "participations"

    event = _named("event", Event, "title")
    country = _named("country", Country)

    class Meta(ServiceResource.Meta):
        model = Participation
        fields = ("event", "country", "participants")

    def matchers(self) -> dict[str, Callable[[Any, str], Any]]:
        m = self.matcher
        return {
            "event": lambda v, c: m.event(v, column=c),
            "country": lambda v, c: m.country(v, column=c),
        }

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> Participation | None:
        try:
            event = self.matcher.event(row.get("event"))
            country = self.matcher.country(row.get("country"))
        except Unmatched:
            return None  # import_instance says why
        return Participation.objects.filter(event=event, country=country).first()

    def unchanged(self, instance: Any, original: Any) -> bool:
        return bool(instance.participants == original.participants)

    def write(self, instance: Participation, is_create: bool) -> Participation:
        if not (instance.event_id and instance.country_id):
            raise event_services.EventError(_("Name the event and the country."))
        participation, _created = event_services.set_participation(
            user=self.user,
            event=instance.event,
            country=instance.country,
            participants=instance.participants,
        )
        return participation


class InvitationResource(ServiceResource):
    """Focal point invitations: each row sends one, unless one is open for that address and
    country already (then the row is skipped)."""

    kind_label = "invitations"

    country = _named("country", Country)
    organization = _named("organization", Organization)

    class Meta(ServiceResource.Meta):
        model = Invitation
        fields = ("email", "country", "organization", "position")

    def matchers(self) -> dict[str, Callable[[Any, str], Any]]:
        m = self.matcher
        return {
            "country": lambda v, c: m.country(v, column=c),
            "organization": lambda v, c: m.organization(v, column=c),
        }

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> None:
        return None  # an invitation is sent, never changed

    def skip_row(
        self,
        instance: Any,
        original: Any,
        row: Mapping[str, Any],
        import_validation_errors: dict[str, Any] | None = None,
    ) -> bool:
        if super().skip_row(instance, original, row, import_validation_errors):
            return True
        if import_validation_errors or not instance.country_id:
            return False
        open_ones = Invitation.objects.filter(
            email__iexact=(instance.email or "").strip(), country=instance.country
        )
        return any(invitation.is_open for invitation in open_ones)

    def write(self, instance: Invitation, is_create: bool) -> Invitation:
        user = self.user
        if user is None or not user.is_editor:
            raise country_services.InvitationError(_("Only editors invite focal points."))
        if not (instance.country_id and instance.organization_id):
            raise country_services.InvitationError(_("Name the country and the organization."))
        organization = instance.organization
        if organization.country_id not in (None, instance.country_id):
            raise country_services.InvitationError(
                _("%(organization)s belongs to another country than %(country)s.")
                % {"organization": organization, "country": instance.country}
            )
        instance.full_clean(exclude=["digest", "expires_at", "invited_by"])
        invitation, _created = country_services.invite(
            email=instance.email,
            country=instance.country,
            organization=organization,
            invited_by=user,
            position=instance.position,
        )
        return invitation


# The kinds `import_data` knows, by the name it is given.
RESOURCES: dict[str, type[ServiceResource]] = {
    "cases": CaseResource,
    "organizations": OrganizationResource,
    "events": EventResource,
    "participations": ParticipationResource,
    "invitations": InvitationResource,
}
