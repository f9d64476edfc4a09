"""The workspace's forms: a case with the API's fields and rules, its links, uploads, remarks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from countries.models import Country, Organization
from events.models import Event
from paks.models import CaseStudy, Document
from paks.services import CASE_FIELDS


class CaseForm(forms.ModelForm):
    # The version the person started from; a save on top of a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CaseStudy
        # The API's fields (`CASE_FIELDS`), with themes and SDGs.
        fields = [*CASE_FIELDS, "themes", "sdgs"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "challenge": forms.Textarea(attrs={"rows": 8}),
            "solution": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 8}),
            "lessons_learned": forms.Textarea(attrs={"rows": 8}),
            "themes": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, countries: QuerySet[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event, organization = self.fields["event"], self.fields["organization"]
        # ModelForm makes a ModelChoiceField of each foreign key.
        assert isinstance(event, forms.ModelChoiceField)
        assert isinstance(organization, forms.ModelChoiceField)
        # As in the API: a case names a public event, if any.
        event.queryset = Event.objects.public().order_by("-start")
        organization.queryset = Organization.objects.order_by("name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        elif countries.count() > 1:
            # Someone who keeps several countries says which one the new case is about.
            self.fields["country"] = forms.ModelChoiceField(queryset=countries.order_by("name"))
            self.order_fields(["country"])


class LinkForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label="Address", max_length=500, required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("title") and not cleaned.get("url"):
            self.add_error("url", "Give the link's address.")
        if cleaned.get("url") and not cleaned.get("title"):
            self.add_error("title", "Say what the link is.")
        return cleaned


LinkFormSet = forms.formset_factory(LinkForm, extra=2, max_num=10, validate_max=True)


def links_from(formset: Any) -> list[dict[str, str]]:
    return [
        {"title": form.cleaned_data["title"], "url": form.cleaned_data["url"]}
        for form in formset.forms
        if form.cleaned_data.get("url")
    ]


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="PDF, PPTX, DOCX, XLSX, PNG, JPEG, WebP or GIF, up to the size limit. "
        "The type is read from the content."
    )
    title = forms.CharField(
        max_length=300, required=False, help_text="Defaults to the file's name."
    )
    kind = forms.ChoiceField(choices=Document.Kind.choices, initial=Document.Kind.PRESENTATION)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your answer", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
