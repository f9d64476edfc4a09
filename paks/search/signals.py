"""The one path by which the index follows changes: every write to what is searched.

Signals, because the rows named in a case (countries, organizations, events, themes, SDGs)
live in apps below this one, which must not know about search; and because every surface
(admin, workspace, API, commands, the shell) writes through the ORM, a receiver sees every
change, whichever service or form made it. The receivers only say which cases are
affected; `paks.search.index.reindex_later` does the work once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from paks.search.filters import Labels
from paks.search.index import affected_cases, reindex_later

# Which published cases name a row of each model, and so are indexed again when it changes.
NAMED_IN = {
    "countries.Country": lambda pk: Q(country=pk) | Q(event__country=pk),
    "countries.Organization": lambda pk: Q(organization=pk),
    "events.Event": lambda pk: Q(event=pk),
    "taxonomy.Theme": lambda pk: Q(themes=pk),
    "taxonomy.SDG": lambda pk: Q(sdgs=pk),
}
# The rows whose names and groupings label the facets (`paks.search.filters.Labels`).
LABELLED = {"countries.Country", "taxonomy.Theme", "taxonomy.SDG"}


def case_saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    reindex_later([instance.pk])


def document_changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if instance.case_id:
        reindex_later([instance.case_id])


def document_moving(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """A document about to be saved: the case it leaves, if any, loses its text."""
    if instance.pk:
        previous = sender._default_manager.filter(pk=instance.pk).values_list("case_id", flat=True)
        reindex_later(pk for pk in previous if pk and pk != instance.case_id)


def case_labels_changed(
    sender: type[Model], instance: Model, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """A case's themes or SDGs changed, from either side of the relation."""
    if not action.startswith("post_"):
        return
    if not reverse:
        reindex_later([instance.pk])
    elif pk_set:
        reindex_later(pk_set)
    else:  # cleared from the theme's side: every case it had
        reindex_later(affected_cases(NAMED_IN[instance._meta.label](instance.pk)))


def named_row_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """A country, organization, event, theme or SDG saved (a rename) or about to be deleted
    (its cases are found while they still point at it)."""
    labelled = sender._meta.label in LABELLED
    if labelled:
        Labels.forget()  # this process reads them again; the others at the new version
    reindex_later(affected_cases(NAMED_IN[sender._meta.label](instance.pk)), labels=labelled)


def connect() -> None:
    case = apps.get_model("paks.CaseStudy")
    post_save.connect(case_saved, sender=case, dispatch_uid="search-case-saved")
    post_delete.connect(case_saved, sender=case, dispatch_uid="search-case-deleted")
    document = apps.get_model("paks.Document")
    pre_save.connect(document_moving, sender=document, dispatch_uid="search-doc-moving")
    post_save.connect(document_changed, sender=document, dispatch_uid="search-doc-saved")
    post_delete.connect(document_changed, sender=document, dispatch_uid="search-doc-deleted")
    for through in (case.themes.through, case.sdgs.through):
        m2m_changed.connect(case_labels_changed, sender=through, dispatch_uid=f"search-{through}")
    for label in NAMED_IN:
        model = apps.get_model(label)
        post_save.connect(named_row_changed, sender=model, dispatch_uid=f"search-s-{label}")
        pre_delete.connect(named_row_changed, sender=model, dispatch_uid=f"search-d-{label}")
