"""The knowledge space: country case studies and their documents."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from countries.models import Country, Organization, countries_of
from events.models import Event, Person, Session
from paks import roles
from taxonomy.models import SDG, Theme

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class CaseStudyQuerySet(models.QuerySet["CaseStudy"]):
    def published(self) -> CaseStudyQuerySet:
        return self.filter(status=CaseStudy.Status.PUBLISHED)

    def for_country(self, country: Country) -> CaseStudyQuerySet:
        return self.filter(country=country)

    def awaiting_review(self) -> CaseStudyQuerySet:
        return self.filter(status=CaseStudy.Status.SUBMITTED).order_by("submitted_at")

    def visible_to(self, user: roles.Person) -> CaseStudyQuerySet:
        """Editors see everything; focal points also their country's cases; others, published."""
        if roles.is_editor(user):
            return self
        return self.filter(Q(status=CaseStudy.Status.PUBLISHED) | Q(country__in=countries_of(user)))


class CaseStudy(models.Model):
    """A country case: a good practice presented by a country, usually at an event."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("case status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("case status", "Submitted for review")
        CHANGES_REQUESTED = "changes_requested", pgettext_lazy("case status", "Changes requested")
        PUBLISHED = "published", pgettext_lazy("case status", "Published")
        ARCHIVED = "archived", pgettext_lazy("case status", "Archived")

    # Statuses in which the country's focal point may edit the case.
    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text=_("Set once from the title; stays when the title changes."),
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cases")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the practice was presented or documented."),
    )
    summary = models.TextField(help_text=_("A short abstract, plain text."))
    # Translators: the text may be written in Markdown, a light markup language.
    challenge = models.TextField(blank=True, help_text=_("Markdown."))
    solution = models.TextField(blank=True, help_text=_("Markdown."))
    results = models.TextField(blank=True, help_text=_("Markdown."))
    lessons_learned = models.TextField(blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField(Theme, related_name="cases", blank=True)
    sdgs = models.ManyToManyField(SDG, related_name="cases", blank=True, verbose_name=_("SDGs"))
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("The event where the case was presented."),
    )
    language = models.CharField(max_length=10, default="en", choices=settings.LANGUAGES)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Raised on every change; guards against lost updates."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_cases",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseStudyQuerySet.as_manager()
    # Themes and SDGs are kept with each version, so a version can be restored whole.
    history = HistoricalRecords(m2m_fields=[themes, sdgs])

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="case_published_has_date",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
        ]
        indexes = [
            # Public lists and feeds: WHERE status = 'published' ORDER BY published_at DESC.
            models.Index(fields=["status", "-published_at"], name="case_status_published_idx"),
            # A focal point's dashboard: WHERE country_id = ? grouped by status.
            models.Index(fields=["country", "status"], name="case_country_status_idx"),
            # Year facet and filter.
            models.Index(fields=["year"], name="case_year_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("paks:case-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_editable_by(self, user: roles.Person) -> bool:
        """See `paks.roles.may_edit` (templates ask the case)."""
        return roles.may_edit(user, self)


class CaseTranslationQuerySet(models.QuerySet["CaseTranslation"]):
    def published(self) -> CaseTranslationQuerySet:
        return self.filter(status=CaseTranslation.Status.PUBLISHED)


class CaseTranslation(models.Model):
    """A person's translation of a case into another of the six languages, reviewed by the
    editors before the public sees it. The case's own text stays the original."""

    # The case's statuses that a translation goes through (returned ones go back to draft).
    class Status(models.TextChoices):
        DRAFT = CaseStudy.Status.DRAFT.value, pgettext_lazy("case status", "Draft")
        SUBMITTED = (
            CaseStudy.Status.SUBMITTED.value,
            pgettext_lazy("case status", "Submitted for review"),
        )
        PUBLISHED = CaseStudy.Status.PUBLISHED.value, pgettext_lazy("case status", "Published")

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(max_length=300)
    summary = models.TextField(help_text=_("A short abstract, plain text."))
    challenge = models.TextField(blank=True, help_text=_("Markdown."))
    solution = models.TextField(blank=True, help_text=_("Markdown."))
    results = models.TextField(blank=True, help_text=_("Markdown."))
    lessons_learned = models.TextField(blank=True, help_text=_("Markdown."))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Raised on every change; guards against lost updates."),
    )
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_translations",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CaseTranslationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "language"]
        verbose_name = _("case translation")
        verbose_name_plural = _("case translations")
        constraints = [
            # One translation per language; the case page finds it by (case, language).
            models.UniqueConstraint(
                fields=["case", "language"], name="casetranslation_unique_language"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="casetranslation_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="casetranslation_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.case.is_public


class CaseLink(models.Model):
    """A web link that belongs with a case (the service's site, a law, a video)."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseComment(models.Model):
    """A remark on a case: an editor's request for changes, or a focal point's answer."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="case_comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["case", "created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.case}"


def document_upload_to(instance: Document, filename: str) -> str:
    """A server-generated path; nothing of the client's file name reaches the file system."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    suffix = suffix if suffix.isalnum() and len(suffix) <= 5 else "bin"
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


def thumbnail_upload_to(instance: Document, filename: str) -> str:
    return f"thumbnails/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


PAGE_UNITS = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "slide",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "sheet",
}


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> ContributionQuerySet:
        """Published contributions to public events: what visitors see."""
        return self.filter(status=CaseStudy.Status.PUBLISHED, event__is_public=True)

    def visible_to(self, user: roles.Person) -> ContributionQuerySet:
        """Editors see everything; focal points also their countries' contributions."""
        if roles.is_editor(user):
            return self
        return self.filter(
            Q(status=CaseStudy.Status.PUBLISHED, event__is_public=True)
            | Q(country__in=countries_of(user))
        )


class Contribution(models.Model):
    """A presentation, talk or paper given at an event: by whom, for which country, the
    case it presents, and its slides or paper (documents). A country's focal point adds its
    country's contributions; they go through review like a case."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", pgettext_lazy("contribution kind", "Presentation")
        TALK = "talk", pgettext_lazy("contribution kind", "Talk")
        PAPER = "paper", pgettext_lazy("contribution kind", "Paper")
        STATEMENT = "statement", pgettext_lazy("contribution kind", "Statement")

    Status = CaseStudy.Status
    EDITABLE_STATUSES = CaseStudy.EDITABLE_STATUSES

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="contributions")
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        help_text=_("Where in the programme it was given."),
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)
    abstract = models.TextField(blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        help_text=_("The country it speaks for; empty for an organization's own contribution."),
    )
    case = models.ForeignKey(
        CaseStudy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        help_text=_("The country case it presents."),
    )
    speakers = models.ManyToManyField(
        Person, through="ContributionSpeaker", related_name="contributions", blank=True
    )
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order within its session."))
    status = models.CharField(
        max_length=20, choices=CaseStudy.Status.choices, default=CaseStudy.Status.DRAFT
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Raised on every change; writes must name it.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContributionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "session__start", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="contribution_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="contribution_event_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.event.get_absolute_url()}#contribution-{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status == CaseStudy.Status.PUBLISHED and self.event.is_public


class ContributionSpeaker(models.Model):
    """A speaker of a contribution, in the order they spoke or are listed."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="speaker_roles"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="speaker_roles")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["contribution", "position", "pk"]
        verbose_name = _("speaker")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "person"], name="contributionspeaker_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class DocumentQuerySet(models.QuerySet["Document"]):
    def public(self) -> DocumentQuerySet:
        """Documents of published cases, of published contributions to public events, or of
        public events themselves."""
        return self.filter(
            Q(case__status=CaseStudy.Status.PUBLISHED)
            | Q(
                contribution__status=CaseStudy.Status.PUBLISHED,
                event__is_public=True,
            )
            | Q(case__isnull=True, contribution__isnull=True, event__is_public=True)
        )

    def visible_to(self, user: roles.Person) -> DocumentQuerySet:
        """Public documents, a focal point's country's drafts' documents too, all for editors."""
        if not user.is_authenticated:
            return self.public()
        if roles.is_editor(user):
            return self
        return self.filter(
            Q(case__in=CaseStudy.objects.visible_to(user).values("pk"))
            | Q(contribution__in=Contribution.objects.visible_to(user).values("pk"))
            | Q(case__isnull=True, contribution__isnull=True, event__is_public=True)
        )


class Document(models.Model):
    """An uploaded file (presentation, report, agenda, photo) of a case and/or an event."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", pgettext_lazy("document kind", "Presentation")
        REPORT = "report", pgettext_lazy("document kind", "Report")
        AGENDA = "agenda", pgettext_lazy("document kind", "Agenda")
        AIDE_MEMOIRE = "aide_memoire", pgettext_lazy("document kind", "Aide-memoire")
        CONCEPT_NOTE = "concept_note", pgettext_lazy("document kind", "Concept note")
        PHOTO = "photo", pgettext_lazy("document kind", "Photo")
        VIDEO = "video", pgettext_lazy("document kind", "Video link")
        OTHER = "other", pgettext_lazy("document kind", "Other")

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("document state", "Waiting for processing")
        PROCESSING = "processing", pgettext_lazy("document state", "Processing")
        READY = "ready", pgettext_lazy("document state", "Ready")
        FAILED = "failed", pgettext_lazy("document state", "Failed")

    case = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    # A contribution's slides or paper; its event is the contribution's.
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)
    language = models.CharField(
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The document's language."),
    )
    file = models.FileField(upload_to=document_upload_to, max_length=200, blank=True)
    external_url = models.URLField(
        max_length=500, blank=True, help_text=_("For a video or a document hosted elsewhere.")
    )
    original_filename = models.CharField(max_length=255, blank=True)
    media_type = models.CharField(
        max_length=100, blank=True, help_text=_("Detected from the content.")
    )
    size = models.PositiveBigIntegerField(default=0, help_text=_("Bytes."))
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True, help_text=_("Pages or slides."))
    extracted_text = models.TextField(blank=True, editable=False)
    thumbnail = models.ImageField(upload_to=thumbnail_upload_to, max_length=200, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    error = models.TextField(blank=True, help_text=_("Why processing failed, in words for people."))
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_documents",
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    download_count = models.PositiveIntegerField(default=0, editable=False)
    # Metadata, processing and moves; downloads are counted by UPDATE and leave it.
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()
    # The extracted text is the file's, not an edit; counts change on every download.
    history = HistoricalRecords(excluded_fields=["extracted_text", "download_count"])

    class Meta:
        ordering = ["case", "event", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(event__isnull=False),
                name="document_belongs_to_case_or_event",
            ),
            # A contribution's document is its event's too, and no case's.
            models.CheckConstraint(
                condition=Q(contribution__isnull=True) | Q(case__isnull=True, event__isnull=False),
                name="document_of_contribution_is_of_its_event",
            ),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(external_url=""), name="document_has_file_or_link"
            ),
            # The same file twice on one case is a mistake the uploader is told about.
            models.UniqueConstraint(
                fields=["case", "sha256"],
                condition=~Q(sha256="") & Q(case__isnull=False),
                name="document_unique_file_per_case",
            ),
        ]
        indexes = [
            # Owners and editors look for documents still processing or failed.
            models.Index(fields=["state"], name="document_state_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    # The names people know the accepted formats by (brand names stay as they are).
    TYPE_LABELS: dict[str, str | _StrPromise] = {
        "application/pdf": "PDF",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
        "image/png": _("PNG image"),
        "image/jpeg": _("JPEG image"),
        "image/webp": _("WebP image"),
        "image/gif": _("GIF image"),
    }

    @property
    def is_public(self) -> bool:
        """As `DocumentQuerySet.public`, from the loaded case, contribution and event."""
        if self.case is not None:  # no query for the case when case_id is empty
            return self.case.status == CaseStudy.Status.PUBLISHED
        if self.contribution is not None:
            return self.contribution.is_public
        return self.event is not None and self.event.is_public

    @property
    def page_unit(self) -> str:
        """What the file's pages are called: slides in a presentation, sheets in a workbook.

        A machine value ("page", "slide", "sheet": the API's `unit`), not translated."""
        return PAGE_UNITS.get(self.media_type, "page")

    @property
    def type_label(self) -> str:
        return str(self.TYPE_LABELS.get(self.media_type, self.media_type or gettext("File")))


class IdempotencyKey(models.Model):
    """An API client's `Idempotency-Key` and the response it got, to replay on a retry.

    `status_code` is null while the first request is still running.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(
        max_length=64,
        help_text=_("SHA-256 of the method, path and body the key was first sent with."),
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]
        indexes = [
            # The cleanup deletes keys older than a day.
            models.Index(fields=["created_at"], name="idempotency_created_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class Tombstone(models.Model):
    """An item that left what an API list shows (deleted, archived, hidden), for mirrors.

    A mirror that reads the lists with `updated_since` learns of removals here. `public`:
    the item had been on the public lists, so anyone may read its tombstone; otherwise only
    those who could see the item (its country's focal points, editors). An item that becomes
    visible again loses its tombstone and is listed as updated.
    """

    class Kind(models.TextChoices):
        CASE = "case", pgettext_lazy("item kind", "Case")
        DOCUMENT = "document", pgettext_lazy("item kind", "Document")
        EVENT = "event", pgettext_lazy("item kind", "Event")
        CONTRIBUTION = "contribution", pgettext_lazy("item kind", "Contribution")
        ORGANIZATION = "organization", pgettext_lazy("item kind", "Organization")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=200, help_text=_("The item's slug or id in the API's URLs."))
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Reason(models.TextChoices):
        DELETED = "deleted", pgettext_lazy("removal reason", "Deleted")
        WITHDRAWN = (
            "withdrawn",
            pgettext_lazy("removal reason", "No longer public (archived, unpublished, hidden)"),
        )

    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.DELETED)
    public = models.BooleanField(default=True)
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="tombstone_unique_item")
        ]
        indexes = [
            # The feed: removals since a moment, in order.
            models.Index(fields=["removed_at", "id"], name="tombstone_removed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} removed {self.removed_at:%Y-%m-%d %H:%M}"
