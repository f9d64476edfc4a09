"""The workspace's forms: a case with the API's fields and rules, its links, uploads, remarks;
a contribution to an event with its speakers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from countries.models import Country, Organization
from events.models import Event, Person, Session
from paks.models import CaseStudy, CaseTranslation, Contribution, Document
from paks.services import CASE_FIELDS
from paks.translations import TRANSLATION_FIELDS, other_languages


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
            self.fields["country"] = forms.ModelChoiceField(
                queryset=countries.order_by("name"), label=_("Country")
            )
            self.order_fields(["country"])


class TranslationForm(forms.ModelForm):
    """A case's translation: the language (chosen once, among the case's other languages)
    and the six texts."""

    # The version the person started from; a save on top of a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    withdraw = forms.BooleanField(
        label=_("Take the published translation off the public site while it is changed"),
        required=False,
        help_text=_(
            "The translation goes back to draft; submit it again and the editors publish it."
        ),
    )

    class Meta:
        model = CaseTranslation
        fields = ["language", *TRANSLATION_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "challenge": forms.Textarea(attrs={"rows": 8}),
            "solution": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 8}),
            "lessons_learned": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "language": _(
                "The language you translate into. Your name is shown with the published "
                "translation."
            ),
        }

    def __init__(self, *args: Any, case: CaseStudy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = other_languages(case)
        if self.instance.pk:
            language.disabled = True  # a translation stays in its language
            self.fields["version"].initial = self.instance.version
        if self.instance.status != CaseTranslation.Status.PUBLISHED:
            del self.fields["withdraw"]

    def _post_clean(self) -> None:
        """The service validates the translation when it saves it (with its case)."""


class LinkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    url = forms.URLField(
        label=pgettext_lazy("web address", "Address"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("title") and not cleaned.get("url"):
            self.add_error("url", gettext("Give the link's address."))
        if cleaned.get("url") and not cleaned.get("title"):
            self.add_error("title", gettext("Say what the link is."))
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
        label=_("File"),
        help_text=_(
            "PDF, PPTX, DOCX, XLSX, PNG, JPEG, WebP or GIF, up to the size limit. "
            "The type is read from the content."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Defaults to the file's name."),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("document", "Kind"),
        choices=Document.Kind.choices,
        initial=Document.Kind.PRESENTATION,
    )


class DocumentDetailsForm(forms.Form):
    """A document's title, kind and language; its file stays as uploaded."""

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=pgettext_lazy("document", "Kind"), choices=Document.Kind.choices)
    language = forms.ChoiceField(
        label=pgettext_lazy("document", "Language"),
        # The model's choices.
        choices=[("", pgettext_lazy("document language", "Not said")), *settings.LANGUAGES],
        required=False,
    )
    # The details as the person read them; a save on top of someone else's is refused.
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class Speaker(NamedTuple):
    """A speaker as written on one line of the contribution form."""

    name: str
    position: str
    organization: Organization | None


MAX_SPEAKERS = 50


def speaker_line(person: Person) -> str:
    """A speaker as the form writes it, read back the same by `parse_speakers`: a position
    with a comma and no organization ends in a comma, so that its end is not taken for one."""
    # The full name: unlike an acronym, no two organizations share it.
    organization = person.organization.name if person.organization else ""
    if organization or "," in person.position:
        return f"{person.name}, {person.position}, {organization}".rstrip()
    return ", ".join(part for part in (person.name, person.position) if part)


def _organization_named(text: str, countries: Sequence[Country]) -> list[Organization]:
    """The organizations `text` names (name, acronym or slug), those of `countries` first
    when several do."""
    found = list(
        Organization.objects.filter(
            Q(name__iexact=text) | Q(acronym__iexact=text) | Q(slug=text.lower())
        )[:10]
    )
    local = [o for o in found if o.country_id in {c.pk for c in countries}]
    return local if len(found) > 1 and local else found


def parse_speakers(text: str, countries: Sequence[Country]) -> list[Speaker]:
    """One speaker a line, "Name, Position, Organization"; position and organization may be
    left out. A position may hold commas: the organization is the longest end of the line
    that names one. Raises ValidationError naming the line at fault."""
    speakers = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_SPEAKERS:
        raise forms.ValidationError(
            ngettext(
                "Give at most %(count)d speaker.", "Give at most %(count)d speakers.", MAX_SPEAKERS
            )
            % {"count": MAX_SPEAKERS}
        )
    for number, line in enumerate(lines, start=1):
        name, *rest = [part.strip() for part in line.split(",")]
        if not name:
            raise forms.ValidationError(
                # Translators: %(number)s is a line of the speakers field, %(line)s its text.
                gettext(
                    "Line %(number)s (“%(line)s”) has no name: write the name first, then the "
                    "position and the organization, separated by commas."
                )
                % {"number": number, "line": line[:80]}
            )
        if len(name) > 300 or len(line) > 1000:
            raise forms.ValidationError(
                gettext("Line %(number)s is too long for one speaker.") % {"number": number}
            )
        organization = None
        if len(rest) >= 2 and rest[-1]:
            for size in range(len(rest) - 1, 0, -1):
                written = ", ".join(rest[-size:])
                named = _organization_named(written, countries)
                if len(named) > 1:
                    raise forms.ValidationError(
                        gettext(
                            "Line %(number)s: several organizations are called “%(name)s”; "
                            "write its full name."
                        )
                        % {"number": number, "name": written}
                    )
                if named:
                    organization, rest = named[0], rest[:-size]
                    break
            else:
                raise forms.ValidationError(
                    gettext(
                        "Line %(number)s: the portal knows no organization called “%(name)s”. "
                        "Write its name or acronym as the portal has it, or leave it out "
                        "(“Name, Position”)."
                    )
                    % {"number": number, "name": rest[-1][:80]}
                )
        position = ", ".join(part for part in rest if part)
        if len(position) > 300:
            raise forms.ValidationError(
                gettext("Line %(number)s: the position is too long.") % {"number": number}
            )
        speakers.append(Speaker(name, position, organization))
    return speakers


class SessionChoiceField(forms.ModelChoiceField):
    """A session by its title and its start in the event's time zone."""

    def label_from_instance(self, obj: Session) -> str:
        return f"{obj.title} ({obj.local_start:%-d %b, %H:%M})"


class ContributionForm(forms.ModelForm):
    """A contribution's fields, as the API takes them: its session among the event's, its
    case among its country's, its speakers one a line."""

    # The version the person started from; a save on top of a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    speakers = forms.CharField(
        label=_("Speakers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "One speaker a line: Name, Position, Organization; the position and the "
            "organization may be left out. Write the organization by the name or acronym the "
            "portal knows it by. Example: Jane Doe, Director of e-Government, NIA"
        ),
    )

    class Meta:
        model = Contribution
        fields = ["title", "kind", "abstract", "session", "case"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 6})}
        labels = {"case": _("Case it presents")}
        field_classes = {"session": SessionChoiceField}

    def __init__(
        self, *args: Any, event: Event, countries: Sequence[Country], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.countries = list(countries)
        session, case = self.fields["session"], self.fields["case"]
        # ModelForm makes a ModelChoiceField of each foreign key.
        assert isinstance(session, forms.ModelChoiceField)
        assert isinstance(case, forms.ModelChoiceField)
        session.queryset = (
            Session.objects.filter(event=event).select_related("event").order_by("start", "pk")
        )
        session.help_text = gettext(
            "Where in the programme it was given, if the programme is known."
        )
        case.queryset = CaseStudy.objects.filter(country__in=self.countries).order_by("title")
        case.help_text = gettext("One of your country's cases, if it presents one.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["speakers"].initial = "\n".join(
                speaker_line(role.person)
                for role in self.instance.speaker_roles.select_related("person__organization")
            )
        elif len(self.countries) > 1:
            # Someone who keeps several countries says which one the contribution is for.
            self.fields["country"] = forms.ModelChoiceField(
                queryset=Country.objects.filter(pk__in=[c.pk for c in self.countries]).order_by(
                    "name"
                ),
                label=_("Country"),
                help_text=_("The country the contribution speaks for."),
            )
            self.order_fields(["country"])

    def clean_speakers(self) -> list[Speaker]:
        return parse_speakers(self.cleaned_data.get("speakers") or "", self.countries)

    @property
    def contribution_data(self) -> dict[str, Any]:
        """The cleaned fields the services take."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
