import datetime

from django import forms

VALIDITY_CHOICES = [
    (30, "30 days"),
    (90, "90 days"),
    (365, "1 year"),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, so that you know which one to revoke: "
        "e.g. “ministry website”.",
    )
    valid_for = forms.TypedChoiceField(
        label="Valid for", choices=VALIDITY_CHOICES, coerce=int, initial=365
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the token a name.")
        return name

    @property
    def validity(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.cleaned_data["valid_for"])
