"""Who is where: countries with UN groupings and survey scores, organizations, focal points."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import User


class CountryQuerySet(models.QuerySet["Country"]):
    def ldc(self) -> CountryQuerySet:
        return self.filter(is_ldc=True)

    def lldc(self) -> CountryQuerySet:
        return self.filter(is_lldc=True)

    def sids(self) -> CountryQuerySet:
        return self.filter(is_sids=True)

    def in_region(self, region_name: str) -> CountryQuerySet:
        return self.filter(region_name=region_name)


class Country(models.Model):
    """A country or area of the UN M49 standard, with its UN groupings."""

    class Group(models.TextChoices):
        LDC = "ldc", "Least Developed Countries (LDC)"
        LLDC = "lldc", "Landlocked Developing Countries (LLDC)"
        SIDS = "sids", "Small Island Developing States (SIDS)"

    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    m49 = models.CharField("UN M49 code", max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    region_code = models.CharField(max_length=3, blank=True)
    region_name = models.CharField(max_length=50, blank=True)
    subregion_code = models.CharField(max_length=3, blank=True)
    subregion_name = models.CharField(max_length=50, blank=True)
    intermediate_region_code = models.CharField(max_length=3, blank=True)
    intermediate_region_name = models.CharField(max_length=50, blank=True)
    is_ldc = models.BooleanField("LDC", default=False)
    is_lldc = models.BooleanField("LLDC", default=False)
    is_sids = models.BooleanField("SIDS", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CountryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="country_iso3_upper_letters"
            ),
            models.CheckConstraint(
                condition=Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_upper_letters"
            ),
            models.CheckConstraint(
                condition=Q(m49__regex=r"^[0-9]{3}$"), name="country_m49_digits"
            ),
        ]
        indexes = [
            # The country list groups by region and sub-region.
            models.Index(
                fields=["region_name", "subregion_name", "name"], name="country_region_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("countries:detail", kwargs={"iso3": self.iso3.lower()})

    @property
    def groups(self) -> list[str]:
        """The UN groupings this country belongs to, as short labels."""
        flags = [(self.is_ldc, "LDC"), (self.is_lldc, "LLDC"), (self.is_sids, "SIDS")]
        return [label for flagged, label in flags if flagged]


class EGovScore(models.Model):
    """A country's figures in one edition of the UN E-Government Survey."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="egov_scores")
    survey_year = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 is best; empty when not assessed"
    )
    egdi = models.DecimalField("EGDI", max_digits=6, decimal_places=5)
    osi = models.DecimalField("OSI", max_digits=6, decimal_places=5)
    hci = models.DecimalField("HCI", max_digits=6, decimal_places=5)
    tii = models.DecimalField("TII", max_digits=6, decimal_places=5)
    epi = models.DecimalField("EPI", max_digits=6, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["country__name", "-survey_year"]
        verbose_name = "E-Government Survey score"
        constraints = [
            # One row per country and edition; the loader updates it in place.
            models.UniqueConstraint(
                fields=["country", "survey_year"], name="egovscore_country_year_uniq"
            ),
            models.CheckConstraint(
                condition=Q(survey_year__gte=2001), name="egovscore_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(egdi__gte=0, egdi__lte=1), name="egovscore_egdi_between_0_and_1"
            ),
        ]
        indexes = [
            # Rankings of one edition: ORDER BY rank WHERE survey_year = ?
            models.Index(fields=["survey_year", "rank"], name="egovscore_year_rank_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.survey_year}: EGDI {self.egdi}"


class Organization(models.Model):
    """A body that organizes, hosts, supports or belongs: UN entities, agencies, academia."""

    class Kind(models.TextChoices):
        UN_ENTITY = "un_entity", "UN entity"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organization"
        GOVERNMENT = "government", "Government agency"
        LOCAL_GOVERNMENT = "local_government", "Local government"
        ACADEMIA = "academia", "Academia and research"
        CIVIL_SOCIETY = "civil_society", "Civil society"
        PRIVATE = "private", "Private sector"
        OTHER = "other", "Other"

    # Official names run long ("Ministry of ... and ...": 434 characters seen in one import).
    name = models.CharField(max_length=500, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    short_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="How lists name it when the official name is long; the acronym or the "
        "official name otherwise.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="organizations"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        help_text="The body this one is part of (a division of a department, a project office).",
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            # Organizations of a country on the country page.
            models.Index(fields=["country", "name"], name="organization_country_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("countries:organization-detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.acronym or self.name


class FocalPointQuerySet(models.QuerySet["FocalPoint"]):
    def active(self, on: datetime.date | None = None) -> FocalPointQuerySet:
        """Appointments in force on a day (today by default) held by an active user.

        `until` is the day the appointment ended: from that day on it gives no access.
        """
        day = on or timezone.localdate()
        return self.filter(
            Q(until__isnull=True) | Q(until__gt=day), since__lte=day, user__is_active=True
        )

    def public(self) -> FocalPointQuerySet:
        return self.active().filter(is_contact_public=True)


class FocalPoint(models.Model):
    """A person appointed by an organization to keep a country's information current."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_points"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="focal_points")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="focal_points"
    )
    position = models.CharField(max_length=200, blank=True)
    since = models.DateField(default=timezone.localdate)
    until = models.DateField(
        null=True, blank=True, help_text="The day the appointment ended; empty while it lasts."
    )
    is_contact_public = models.BooleanField(
        "show contact publicly",
        default=False,
        help_text="Show name, position and e-mail on the public country page.",
    )
    last_confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the focal point last confirmed the country's information.",
    )
    last_reminded_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the focal point was last reminded to confirm the country's information.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FocalPointQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "user__email"]
        constraints = [
            # One appointment of a person for a country at a time.
            models.UniqueConstraint(
                fields=["user", "country"],
                condition=Q(until__isnull=True),
                name="focalpoint_one_open_appointment",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="focalpoint_until_after_since",
            ),
        ]
        indexes = [
            # "Which countries may this user edit?" on every workspace and API write.
            models.Index(fields=["user", "country"], name="focalpoint_user_country_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.country}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (
            self.user.is_active
            and self.since <= today
            and (self.until is None or self.until > today)
        )


def countries_of(user: User | AnonymousUser) -> models.QuerySet[Country]:
    """The countries whose content a user keeps current as a focal point (none if anonymous)."""
    if not user.is_authenticated:
        return Country.objects.none()
    return Country.objects.filter(
        pk__in=FocalPoint.objects.active().filter(user=user).values("country")
    )
