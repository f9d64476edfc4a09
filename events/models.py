"""What happened where: events, who organized them and which countries took part."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from countries.models import Country, Organization
from taxonomy.models import SDG, Theme


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            gettext("%(value)s is not an IANA time zone such as Asia/Seoul.")
            % {"value": repr(value)}
        )


def day_range(first: datetime.date, last: datetime.date) -> str:
    """Two dates written with what they share said once, with an en dash between them."""
    whole = dateformat.format(last, "j F Y")
    if first == last:
        return whole
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{whole}"
    if first.year == last.year:
        return f"{dateformat.format(first, 'j F')} \u2013 {whole}"
    return f"{dateformat.format(first, 'j F Y')} \u2013 {whole}"


class EventQuerySet(models.QuerySet["Event"]):
    def public(self) -> EventQuerySet:
        return self.filter(is_public=True)

    def upcoming(self) -> EventQuerySet:
        return self.filter(end__gte=timezone.now()).order_by("start")

    def past(self) -> EventQuerySet:
        return self.filter(end__lt=timezone.now()).order_by("-start")

    def upcoming_and_past_counts(self) -> tuple[int, int]:
        """How many events are upcoming and how many past, in one query (the list's tabs)."""
        now = timezone.now()
        counts = self.aggregate(
            upcoming=models.Count("pk", filter=Q(end__gte=now)),
            past=models.Count("pk", filter=Q(end__lt=now)),
        )
        return counts["upcoming"], counts["past"]


class Event(models.Model):
    """A conference, workshop, study visit or training where countries present their cases."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", pgettext_lazy("event kind", "Conference")
        WORKSHOP = "workshop", pgettext_lazy("event kind", "Workshop")
        SPECIAL_SESSION = "special_session", pgettext_lazy("event kind", "Special session")
        ROUNDTABLE = "roundtable", pgettext_lazy("event kind", "Roundtable")
        STUDY_VISIT = "study_visit", pgettext_lazy("event kind", "Study visit")
        TRAINING = "training", pgettext_lazy("event kind", "Training")
        WEBINAR = "webinar", pgettext_lazy("event kind", "Webinar")
        EXPERT_GROUP_MEETING = (
            "expert_group_meeting",
            pgettext_lazy("event kind", "Expert group meeting"),
        )
        FORUM = "forum", pgettext_lazy("event kind", "Forum")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", pgettext_lazy("event mode", "In person")
        ONLINE = "online", pgettext_lazy("event mode", "Online")
        HYBRID = "hybrid", pgettext_lazy("event mode", "Hybrid")

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    start = models.DateTimeField(help_text=_("Stored in UTC; shown in the event's time zone."))
    end = models.DateTimeField()
    all_day = models.BooleanField(
        default=False,
        help_text=_(
            "Known by its dates only: shown and exported as whole days, without hours. Start "
            "at 00:00 of the first day and end at 23:59 of the last, in the event's time zone."
        ),
    )
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("IANA time zone of the venue, e.g. Asia/Seoul."),
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host country"),
    )
    summary = models.TextField(blank=True)
    objectives = models.TextField(blank=True)
    outputs = models.TextField(blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the event's title and summary are written in."),
    )
    languages = models.CharField(
        max_length=100,
        default="en",
        help_text=_(
            "The languages the event is held in: language codes, comma separated (en, fr, es)."
        ),
    )
    expected_participants = models.PositiveIntegerField(null=True, blank=True)
    actual_participants = models.PositiveIntegerField(null=True, blank=True)
    part_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="side_events",
        help_text=_("The event this one was held on the occasion of."),
    )
    website = models.URLField(blank=True)
    is_public = models.BooleanField(default=True, help_text=_("Shown on the public site."))
    organizations = models.ManyToManyField(
        Organization, through="EventOrganizer", related_name="events", blank=True
    )
    participating_countries = models.ManyToManyField(
        Country, through="Participation", related_name="events", blank=True
    )
    themes = models.ManyToManyField(Theme, related_name="events", blank=True)
    sdgs = models.ManyToManyField(SDG, related_name="events", blank=True, verbose_name=_("SDGs"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="event_ends_after_start"
            ),
        ]
        indexes = [
            # Public upcoming / past lists: WHERE is_public ORDER BY start.
            models.Index(fields=["is_public", "start"], name="event_public_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": gettext("An event cannot end before it starts.")})
        if self.part_of_id and self.pk and self.part_of_id == self.pk:
            raise ValidationError({"part_of": gettext("An event cannot be part of itself.")})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start, self.tzinfo)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.end, self.tzinfo)

    @property
    def first_day(self) -> datetime.date:
        return self.local_start.date()

    @property
    def last_day(self) -> datetime.date:
        """The last day the event takes place, in its own zone: an end at 00:00 of a later day
        closes the day before (the end is exclusive then, as in iCalendar)."""
        end = self.local_end
        if end.time() == datetime.time(0, 0) and end.date() > self.first_day:
            return end.date() - datetime.timedelta(days=1)
        return end.date()

    @property
    def days(self) -> str:
        """The dates alone, as people write them (an en dash between): "18 June 2010",
        "1-5 April 2019", "30 March - 2 April 2019", "30 December 2019 - 2 January 2020"."""
        return day_range(self.first_day, self.last_day)

    @property
    def place_parts(self) -> list[str]:
        """Venue, city and host country, those that are known."""
        country = self.country.name if self.country else ""
        return [part for part in (self.venue, self.city, country) if part]

    @property
    def location(self) -> str:
        """Where, in words: the known place parts; "Online" for an online event."""
        place = ", ".join(self.place_parts)
        if self.mode == self.Mode.ONLINE:
            return pgettext("event location", "Online")
        if self.mode == self.Mode.HYBRID:
            if not place:
                return pgettext("event location", "Online")
            # Translators: where a hybrid event takes place, e.g. "Seoul, Republic of Korea
            # and online".
            return gettext("%(place)s and online") % {"place": place}
        return place

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class OrganizerRole(models.TextChoices):
    """Declared from the leading role down: the event page and the API list them so."""

    ORGANIZER = "organizer", pgettext_lazy("organizer role", "Organizer")
    CO_ORGANIZER = "co_organizer", pgettext_lazy("organizer role", "Co-organizer")
    HOST = "host", pgettext_lazy("organizer role", "Host")
    SPONSOR = "sponsor", pgettext_lazy("organizer role", "Sponsor")
    SUPPORTER = "supporter", pgettext_lazy("organizer role", "Supporter")


# A role's place in the declaration order: ordering by the stored value would be alphabetical
# (co-organizer before organizer).
ROLE_RANK = models.Case(
    *(
        models.When(role=role, then=models.Value(rank))
        for rank, role in enumerate(OrganizerRole.values)
    ),
    default=models.Value(len(OrganizerRole)),
    output_field=models.IntegerField(),
)


class EventOrganizer(models.Model):
    """An organization's role at an event."""

    Role = OrganizerRole

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organizer_roles")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="event_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ORGANIZER)

    class Meta:
        # Every read of the roles (event page, API, admin inline) lists the leading roles first.
        ordering = ["event", ROLE_RANK.asc(), "organization__name"]
        verbose_name = _("organizer")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "role"], name="eventorganizer_uniq_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.display_name} — {self.get_role_display()}"


class Participation(models.Model):
    """A participating country at an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="participations")
    participants = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Number of participants from this country, where known."),
    )

    class Meta:
        ordering = ["event", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "country"], name="participation_event_country_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} at {self.event}"


class Person(models.Model):
    """Someone who speaks or chairs at events, recorded once however many events they
    appear at; an editor merges duplicates (see `paks.contributions.merge_people`)."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    position = models.CharField(max_length=300, blank=True, help_text=_("Title or function."))
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    country = models.ForeignKey(
        Country, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    @property
    def affiliation(self) -> str:
        """Position, organization and country as one line ("Director, DICT, Philippines")."""
        parts = [self.position]
        if self.organization is not None:
            parts.append(self.organization.display_name)
        if self.country is not None:
            parts.append(self.country.name)
        return ", ".join(part for part in parts if part)


class Session(models.Model):
    """One part of an event's programme: an opening, a panel, a training module, a visit."""

    class Kind(models.TextChoices):
        OPENING = "opening", pgettext_lazy("session kind", "Opening")
        KEYNOTE = "keynote", pgettext_lazy("session kind", "Keynote")
        PANEL = "panel", pgettext_lazy("session kind", "Panel")
        COUNTRY_PRESENTATIONS = (
            "country_presentations",
            pgettext_lazy("session kind", "Country presentations"),
        )
        TRAINING_MODULE = "training_module", pgettext_lazy("session kind", "Training module")
        SITE_VISIT = "site_visit", pgettext_lazy("session kind", "Site visit")
        FIELD_TRIP = "field_trip", pgettext_lazy("session kind", "Field trip")
        DISCUSSION = "discussion", pgettext_lazy("session kind", "Discussion")
        BREAK = "break", pgettext_lazy("session kind", "Break")
        CLOSING = "closing", pgettext_lazy("session kind", "Closing")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.PANEL)
    start = models.DateTimeField(help_text=_("Stored in UTC; shown in the event's time zone."))
    end = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True, help_text=_("Room, building or site."))
    description = models.TextField(blank=True)
    chairs = models.ManyToManyField(
        Person, related_name="chaired_sessions", blank=True, help_text=_("Chairs or moderators.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": gettext("A session cannot end before it starts.")})
        event = self.event if self.event_id else None
        if event is not None and self.start and self.end:
            first, last = event.first_day, event.last_day
            zone = event.tzinfo
            if not (
                first <= timezone.localtime(self.start, zone).date() <= last
                and first <= timezone.localtime(self.end, zone).date() <= last
            ):
                # Translators: the first and the last day of the event, e.g. "(2019-04-01 to
                # 2019-04-05)".
                message = gettext("A session takes place within its event (%(first)s to %(last)s).")
                raise ValidationError({"start": message % {"first": first, "last": last}})

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start, self.event.tzinfo)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.end, self.event.tzinfo)

    @property
    def day(self) -> datetime.date:
        return self.local_start.date()


class EventTranslation(models.Model):
    """An event's title and summary in another language, written by the editors (who curate
    events): public as soon as it is saved."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_translations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "language"]
        verbose_name = _("event translation")
        verbose_name_plural = _("event translations")
        constraints = [
            # One translation per language; the event page finds it by (event, language).
            models.UniqueConstraint(
                fields=["event", "language"], name="eventtranslation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"
