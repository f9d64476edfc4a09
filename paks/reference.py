"""Load every reference table (countries, survey scores, SDGs, themes), idempotently."""

from __future__ import annotations

from django.db.models import Q

from core.reference import LoadResult
from countries.reference import load_countries, load_egov_scores
from paks.search.index import affected_cases, reindex_later
from taxonomy.reference import load_sdgs, load_themes


def load_all() -> list[LoadResult]:
    """Every reference table, in dependency order (scores need countries).

    The loads write in bulk, which no signal sees: when a country, SDG or theme was added
    or changed, every published case is indexed again (its names may be among them).
    """
    countries, scores = load_countries(), load_egov_scores()
    sdgs, themes = load_sdgs(), load_themes()
    if any(result.created or result.updated for result in (countries, sdgs, themes)):
        reindex_later(affected_cases(Q()), labels=True)
    return [countries, scores, sdgs, themes]
