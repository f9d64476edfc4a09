"""What a word is, for the index and the query alike, on every database.

The text is cut into words here, in Python, and both databases are handed the finished
terms: PostgreSQL as a tsvector and a tsquery built from them, SQLite as FTS5 columns of
space-separated terms. So a query means the same on both, whatever their own parsers and
stemmers would have made of hyphens, numbers, accents or spelling.

A term is a word folded to lower case without accents, in American spelling, stemmed by
the Snowball English stemmer: "Centres", "centers" and "center" are all `center`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

import Stemmer
from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

MAX_TERM_LENGTH = 60

# A word: letters and digits, with inner apostrophes ("citizen's", "don't"). Anything else
# separates words, so "covid-19" is the two words "covid 19" and "e-government" is
# "e government".
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_LETTERS = re.compile(r"[^\W_]+")
# A possessive 's goes, other apostrophes join ("citizen's" -> citizen, "don't" -> dont).
_POSSESSIVE = re.compile(r"['\u2019]s$")
_APOSTROPHE = re.compile(r"['\u2019]")

_stemmer = Stemmer.Stemmer("english")


class Word(NamedTuple):
    """A tuple: a snippet reads the words of several texts for each result."""

    term: str
    start: int  # where the word stands in the (NFC-normalised) text it came from
    end: int


def fold(text: str) -> str:
    """Lower case, compatibility forms unified (ligatures, full-width), accents removed."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=100_000)
def term(word: str) -> str:
    """The term of one folded word: American spelling, then its stem."""
    word = word[:MAX_TERM_LENGTH]
    word = BRITISH_ENGLISH_SPELLINGS.get(word, word)
    if "isation" in word:  # digitalisation, modernisation: not in the spelling list
        word = word.replace("isation", "ization")
    stem: str = _stemmer.stemWord(word)  # PyStemmer has no type hints
    return stem


@functools.lru_cache(maxsize=100_000)
def _terms_of_word(raw: str) -> tuple[str, ...]:
    """One word as written; folding may split it in two ("½" is one, two)."""
    folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", fold(raw)))
    return tuple(term(piece) for piece in _LETTERS.findall(folded))


def words(text: str) -> Iterator[Word]:
    """The words of a text with where each stands, for highlighting the original.

    Spans refer to the text in Unicode normal form C, which reads the same as the original.
    """
    for match in _WORD.finditer(unicodedata.normalize("NFC", text)):
        for t in _terms_of_word(match.group()):
            yield Word(t, match.start(), match.end())


def terms(text: str) -> list[str]:
    """The terms of a text, in order: those of `words`, without their places."""
    found: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        found += _terms_of_word(word)
    return found
