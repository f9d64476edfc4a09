"""What the full-text search reads: one row per published case, kept by paks.search.index."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

THEME_BITS = 63  # themes with ids 1 to 63 have a bit; a signed 64-bit integer holds them


def language_bit(code: str) -> int:
    """The bit of a language of settings.LANGUAGES in `CaseIndex.language_bits`; 0 for any
    other code."""
    codes = [language for language, _name in settings.LANGUAGES]
    return 1 << codes.index(code) if code in codes else 0


class CaseIndex(models.Model):
    """A published case's facet keys and searchable terms, made by `paks.search.index`
    from the case's texts (see `paks.search.text` for what a term is).

    PostgreSQL keeps the terms as a weighted tsvector in `vector`; SQLite keeps them in the
    FTS5 table `search_fts` (title, body, names, documents, by case id), whose rows a
    trigger removes with these. The rows themselves stay narrow: counting facets reads
    them all.
    """

    case = models.OneToOneField(
        "paks.CaseStudy", on_delete=models.CASCADE, primary_key=True, related_name="search_index"
    )
    sort_title = models.CharField(max_length=300, default="", help_text="For the title order.")
    # Facet keys, copied from the case so that counting facets reads this table alone.
    country_ref = models.PositiveIntegerField()
    organization_ref = models.PositiveIntegerField(null=True)
    event_ref = models.PositiveIntegerField(null=True)
    year = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(null=True, help_text="The case's, for the newest first.")
    # Themes and SDGs as bit sets, so that one pass over the matches counts them all: bit
    # n - 1 for SDG n, bit pk - 1 for a theme up to THEME_BITS; ids of any later theme are in
    # `more_themes` (a JSON array, empty for nearly every case).
    theme_bits = models.BigIntegerField(default=0)
    more_themes = models.TextField(default="[]", help_text="Ids of themes past the bit set.")
    sdg_bits = models.IntegerField(default=0)
    # The languages the case can be read in (its own and its published translations'): bit
    # n for the nth of settings.LANGUAGES, so that relevance can put the visitor's first.
    language_bits = models.PositiveSmallIntegerField(default=0)
    vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    # PostgreSQL keeps the vectors out of line (migration 0005), so that the rows the facets
    # count are narrow. The database-specific indexes (GIN and, where the rum extension is
    # installed, RUM on `vector` for PostgreSQL; the FTS5 table for SQLite) are created by
    # migration 0006, each only on its own database.

    def __str__(self) -> str:
        return self.sort_title


class SearchTerm(models.Model):
    """A word that occurs in the indexed titles, summaries and names, for "did you mean"."""

    word = models.CharField(max_length=60, unique=True)
    # On PostgreSQL a trigram index on `word` (migration 0002) finds near spellings.

    def __str__(self) -> str:
        return self.word


class IndexedTerm(models.Model):
    """Every term that a case's vector has held on PostgreSQL (SQLite keeps none here).

    A term of a query that is not here is in no vector, so the search can leave out the
    readings of a word that no case has (`ParsedQuery.within`): the RUM index ranks a query
    by each of its terms, present or not, and ranked "training programme" in half the time
    without the four readings that no case has. Terms are added with the vectors, in the
    same transaction, and never removed: one that is here may be in no vector any more.
    """

    term = models.TextField(unique=True)

    def __str__(self) -> str:
        return self.term


class IndexVersion(models.Model):
    """One row: a new random token whenever the index changes, in the same transaction.

    Cached counts and rankings are kept under the token they were computed with, so a change
    makes them unreachable at once, and a rolled-back change never reuses a token.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
