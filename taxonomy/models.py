"""The portal's taxonomy: themes and the Sustainable Development Goals.

Events and cases are both tagged with them, so they sit below both. The tables keep the
names they had in the paks app (`paks_theme`, `paks_sdg`): the models moved, the data did not.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Translated(models.Model):
    """A row whose texts are written in English, with their translations into the other UN
    languages kept beside them (from the taxonomy's data files, see `taxonomy.reference`)."""

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The texts in the other UN languages: {language: {field: text}}."),
    )

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """`field` in `language` (by default the request's), else in English."""
        language = language or get_language() or settings.LANGUAGE_CODE
        text = self.translations.get(language, {}).get(field)
        return text or str(getattr(self, field))

    def every_translation(self, field: str) -> list[tuple[str, str]]:
        """`field` in English and in every language it is translated into, as (text,
        language)."""
        texts = [(str(getattr(self, field)), settings.LANGUAGE_CODE)]
        texts += [(t[field], language) for language, t in self.translations.items() if t.get(field)]
        return texts


class Theme(Translated):
    """A subject in the portal's taxonomy (e-government, capacity development, ...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "paks_theme"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("paks:theme-detail", kwargs={"slug": self.slug})

    @property
    def local_name(self) -> str:
        return self.translated("name")

    @property
    def local_description(self) -> str:
        return self.translated("description")


class SDG(Translated):
    """One of the 17 Sustainable Development Goals, with its official colour."""

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    short_title = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    colour = models.CharField(
        max_length=7,
        # Translators: RRGGBB stands for the six hexadecimal digits of a colour, e.g. #E5243B.
        validators=[RegexValidator(r"^#[0-9A-F]{6}$", _("Use #RRGGBB in capitals."))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "paks_sdg"
        ordering = ["number"]
        verbose_name = _("SDG")
        verbose_name_plural = _("SDGs")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="sdg_number_1_to_17"
            ),
        ]

    def __str__(self) -> str:
        return f"SDG {self.number}: {self.short_title}"

    def get_absolute_url(self) -> str:
        return reverse("paks:sdg-detail", kwargs={"number": self.number})

    @property
    def local_short_title(self) -> str:
        return self.translated("short_title")

    @property
    def local_title(self) -> str:
        return self.translated("title")
