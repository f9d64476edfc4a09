"""What an editor reviews: a submitted case against the version last published."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from paks.models import CaseStudy
from paks.services import CASE_FIELDS, CHANGES_REQUESTED

# What a focal point writes is what an editor reviews.
REVIEWED_FIELDS = CASE_FIELDS
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def marked(self) -> SafeString:
        """The new text with <del> and <ins> where it differs from the old."""
        return mark_differences(self.before, self.after)


def mark_differences(before: str, after: str) -> SafeString:
    """`after` as HTML, with removed words in <del> and added words in <ins>."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(conditional_escape("".join(new[b1:b2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{conditional_escape(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{conditional_escape(''.join(new[b1:b2]))}</ins>")
    return mark_safe("".join(parts))


def _latest_version(case: CaseStudy, **conditions: object) -> Any:
    """The newest historical record of the case that meets the conditions, or None (a model
    that django-simple-history makes at run time, so typed Any)."""
    return case.history.filter(**conditions).order_by("-history_date", "-history_id").first()


def review_baseline(case: CaseStudy) -> tuple[str, object | None]:
    """What to compare a submitted case with, and how to say it.

    The version last published; for a case never published, the version an editor last
    returned with a request for changes (so the resubmission shows what was done about it).
    """
    published = _latest_version(case, status=CaseStudy.Status.PUBLISHED)
    if published is not None:
        return (
            gettext("Changes since the version published on %(date)s (version %(version)s)")
            % {"date": f"{published.published_at:%Y-%m-%d}", "version": published.version},
            published,
        )
    # The version as it was returned, not as it was edited afterwards.
    returned = _latest_version(case, history_change_reason__startswith=CHANGES_REQUESTED)
    if returned is not None:
        return (
            gettext(
                "Never published. Changes since changes were requested on %(date)s "
                "(version %(version)s)"
            )
            % {"date": f"{returned.history_date:%Y-%m-%d}", "version": returned.version},
            returned,
        )
    return gettext("Never published and never returned: everything is new"), None


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def field_changes(version: object | None, case: CaseStudy) -> list[FieldChange]:
    """Each field a focal point writes, as a historical version had it and as it is now."""
    changes = []
    for name in REVIEWED_FIELDS:
        field = CaseStudy._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column, not the far side of a relation
        changes.append(
            FieldChange(
                label=str(field.verbose_name).capitalize(),
                before=_shown(getattr(version, name)) if version is not None else "",
                after=_shown(getattr(case, name)),
            )
        )
    return changes


def changes_for_review(case: CaseStudy) -> tuple[str, list[FieldChange]]:
    """What the case is compared with, and each reviewed field, old against new."""
    heading, published = review_baseline(case)
    changes = field_changes(published, case)
    for name, label in (("themes", gettext("Themes")), ("sdgs", gettext("SDGs"))):
        after = ", ".join(sorted(str(item) for item in getattr(case, name).all()))
        before = ""
        if published is not None:
            target = "theme" if name == "themes" else "sdg"
            rows = getattr(published, name).select_related(target)
            before = ", ".join(sorted(str(getattr(row, target)) for row in rows))
        changes.append(FieldChange(label=label, before=before, after=after))
    return heading, changes
