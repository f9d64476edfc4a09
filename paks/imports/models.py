"""An import the admin runs in the background: the sheet as uploaded, what the editor chose,
and the report of its dry run, then of the import itself."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User

# How long a checked sheet waits to be imported before its files are removed.
KEPT_FOR = datetime.timedelta(days=1)


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        CASES = "cases", _("Cases")
        ORGANIZATIONS = "organizations", _("Organizations")
        EVENTS = "events", _("Events")
        PARTICIPATIONS = "participations", _("Participating countries")
        INVITATIONS = "invitations", _("Focal point invitations")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import status", "Waiting for the dry run")
        CHECKING = "checking", pgettext_lazy("import status", "Dry run under way")
        CHECKED = "checked", pgettext_lazy("import status", "Checked")
        IMPORT_QUEUED = "import_queued", pgettext_lazy("import status", "Waiting to import")
        IMPORTING = "importing", pgettext_lazy("import status", "Importing")
        IMPORTED = "imported", pgettext_lazy("import status", "Imported")
        NOT_IMPORTED = (
            "not_imported",
            pgettext_lazy("import status", "Not imported: rows were refused"),
        )
        FAILED = "failed", pgettext_lazy("import status", "Stopped by an error")
        EXPIRED = "expired", pgettext_lazy("import status", "Expired before it was imported")

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.IMPORT_QUEUED, Status.IMPORTING)
    # Ended: its files are removed.
    ENDED = (Status.IMPORTED, Status.NOT_IMPORTED, Status.FAILED, Status.EXPIRED)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    sheet = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    sheet_format = models.CharField(max_length=10)
    file_name = models.CharField(max_length=255)
    files = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    files_name = models.CharField(max_length=255, blank=True)
    rows = models.PositiveIntegerField(default=0)
    column_mapping = models.TextField(blank=True)
    value_mapping = models.TextField(blank=True)
    publish = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    report = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = pgettext_lazy("import job", "import")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind}, {self.created_at:%Y-%m-%d %H:%M})"

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def refused(self) -> int:
        return int(self.report.get("totals", {}).get("refused", 0))

    @property
    def confirmable(self) -> bool:
        """Checked, with nothing refused: the import may go on."""
        return self.status == self.Status.CHECKED and not self.refused and bool(self.sheet)

    @property
    def summary(self) -> str:
        text: Any = self.report.get("summary", "")
        return str(text)
