"""Who is where: countries with UN groupings and survey scores, organizations, focal points."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import User
from countries import names


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
        # Translators: the official names of the UN groupings, with the acronyms used in
        # your language (e.g. French: Pays les moins avancés (PMA)).
        LDC = "ldc", _("Least Developed Countries (LDC)")
        LLDC = "lldc", _("Landlocked Developing Countries (LLDC)")
        SIDS = "sids", _("Small Island Developing States (SIDS)")

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.CharField(_("UN M49 code"), max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    region_code = models.CharField(max_length=3, blank=True)
    region_name = models.CharField(max_length=50, blank=True)
    subregion_code = models.CharField(max_length=3, blank=True)
    subregion_name = models.CharField(max_length=50, blank=True)
    intermediate_region_code = models.CharField(max_length=3, blank=True)
    intermediate_region_name = models.CharField(max_length=50, blank=True)
    # Translators: acronym of Least Developed Countries, as the UN writes it in your language.
    is_ldc = models.BooleanField(_("LDC"), default=False)
    # Translators: acronym of Landlocked Developing Countries.
    is_lldc = models.BooleanField(_("LLDC"), default=False)
    # Translators: acronym of Small Island Developing States.
    is_sids = models.BooleanField(_("SIDS"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CountryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")
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
        # English, M49's: audit entries store it. Pages show `local_name`.
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("countries:detail", kwargs={"iso3": self.iso3.lower()})

    @property
    def local_name(self) -> str:
        """The name in the language of the request (CLDR's; English: M49's)."""
        return names.territory(self.iso2, self.name)

    @property
    def local_region_name(self) -> str:
        return names.territory(self.region_code, self.region_name)

    @property
    def local_subregion_name(self) -> str:
        return names.territory(self.subregion_code, self.subregion_name)

    @property
    def local_intermediate_region_name(self) -> str:
        return names.territory(self.intermediate_region_code, self.intermediate_region_name)

    @property
    def groups(self) -> list[str]:
        """The UN groupings this country belongs to, as short labels (the API's `groups`:
        machine values, not translated)."""
        flags = [(self.is_ldc, "LDC"), (self.is_lldc, "LLDC"), (self.is_sids, "SIDS")]
        return [label for flagged, label in flags if flagged]

    @property
    def group_labels(self) -> list[str]:
        """The same groupings as pages show them, in the request's language."""
        labels = {
            "LDC": pgettext("abbreviation of Least developed countries", "LDC"),
            "LLDC": pgettext("abbreviation of Landlocked developing countries", "LLDC"),
            "SIDS": pgettext("abbreviation of Small island developing States", "SIDS"),
        }
        return [labels[group] for group in self.groups]


class EGovScore(models.Model):
    """A country's figures in one edition of the UN E-Government Survey."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="egov_scores")
    survey_year = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("1 is best; empty when not assessed")
    )
    # Translators: E-Government Development Index, as the UN E-Government Survey abbreviates it.
    egdi = models.DecimalField(_("EGDI"), max_digits=6, decimal_places=5)
    # Translators: Online Service Index (UN E-Government Survey).
    osi = models.DecimalField(_("OSI"), max_digits=6, decimal_places=5)
    # Translators: Human Capital Index (UN E-Government Survey).
    hci = models.DecimalField(_("HCI"), max_digits=6, decimal_places=5)
    # Translators: Telecommunications Infrastructure Index (UN E-Government Survey).
    tii = models.DecimalField(_("TII"), max_digits=6, decimal_places=5)
    # Translators: E-Participation Index (UN E-Government Survey).
    epi = models.DecimalField(_("EPI"), max_digits=6, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["country__name", "-survey_year"]
        verbose_name = _("E-Government Survey score")
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
        UN_ENTITY = "un_entity", _("UN entity")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
        GOVERNMENT = "government", _("Government agency")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        ACADEMIA = "academia", _("Academia and research")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", pgettext_lazy("organization kind", "Other")

    # Official names run long ("Ministry of ... and ...": 434 characters seen in one import).
    name = models.CharField(max_length=500, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    short_name = models.CharField(
        max_length=150,
        blank=True,
        help_text=_(
            "How lists name it when the official name is long; the acronym or the "
            "official name otherwise."
        ),
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
        help_text=_("The body this one is part of (a division of a department, a project office)."),
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
        null=True, blank=True, help_text=_("The day the appointment ended; empty while it lasts.")
    )
    is_contact_public = models.BooleanField(
        _("show contact publicly"),
        default=False,
        help_text=_("Show name, position and e-mail on the public country page."),
    )
    last_confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the focal point last confirmed the country's information."),
    )
    last_reminded_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the focal point was last reminded to confirm the country's information."),
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
