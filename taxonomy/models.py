"""The portal's taxonomy: themes and the Sustainable Development Goals.

Events and cases are both tagged with them, so they sit below both. The tables keep the
names they had in the paks app (`paks_theme`, `paks_sdg`): the models moved, the data did not.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
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


class SDG(models.Model):
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
