"""What a word is, for the index and the query alike, on every database and in every language.

The text is cut into words here, in Python, and both databases are handed the finished
terms: PostgreSQL as a tsvector and a tsquery built from them, SQLite as FTS5 columns of
space-separated terms. So a query means the same on both, whatever their own parsers and
stemmers would have made of hyphens, numbers, accents, spelling or scripts.

A term is a word folded to lower case without accents, then analysed in the language of
the text it stands in, as PostgreSQL's text search configuration for that language would:
- English, French, Spanish, Russian and Arabic words are stemmed by that language's Snowball
  stemmer (the stemmers PostgreSQL's `english`, `french`, `spanish`, `russian` and `arabic`
  configurations use); English words are put in American spelling first, so "Centres",
  "centers" and "center" are all `center`;
- Chinese (and any run of CJK ideographs or kana, whatever the text's language) has no
  spaces between words, so it is cut into overlapping pairs of characters, as Lucene's CJK
  analyzer does: 数字政府 is 数字 字政 政府, and a query for 政府 is the phrase of its pairs; a
  character standing alone is a term of its own;
- words of any other language are kept whole (PostgreSQL's `simple`).

A query does not know the language it was typed in, so each typed word is read in every
searched language (`variants`): "gouvernement" is `gouvern` in French and `gouvernement`
in English, and either finds it. A case in French is found by a French query, and by the
same word in the case's English translation.
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

# Snowball's stemmer for each language that has one among the UN's six.
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
# The languages a query is read in: each stemmed one, and words kept whole.
SEARCHED_LANGUAGES = (*STEMMERS, "")
# CJK ideographs (with their extensions and compatibility forms) and Japanese kana.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SCRIPT_RUNS = re.compile(f"([{_CJK}]+)|[^{_CJK}]+")

_stemmers = {code: Stemmer.Stemmer(name) for code, name in STEMMERS.items()}


class Word(NamedTuple):
    """A tuple: a snippet reads the words of several texts for each result."""

    term: str
    start: int  # where the word stands in the (NFC-normalised) text it came from
    end: int


def analysed(language: str) -> str:
    """The analysis a text of this language gets: its stemmer's code, or "" (words whole).

    Any code Django knows will do: "fr-ca" is French, "zh-hans" is Chinese (ideographs
    are paired in every language alike), "" and unknown languages keep words whole.
    """
    code = language.lower().split("-")[0].split("_")[0]
    return code if code in STEMMERS else ""


# The Arabic tatweel only draws a letter longer (الحكـــومة is الحكومة): it is not part of a word.
TATWEEL = "\u0640"


def fold(text: str) -> str:
    """Lower case, compatibility forms unified (ligatures, full-width), accents and the
    tatweel removed."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c != TATWEEL)


@functools.lru_cache(maxsize=100_000)
def term(word: str, language: str = "en") -> str:
    """The term of one folded word in a language (see `analysed`): for English, American
    spelling first; then the language's stem."""
    word = word[:MAX_TERM_LENGTH]
    if language == "en":
        word = BRITISH_ENGLISH_SPELLINGS.get(word, word)
        if "isation" in word:  # digitalisation, modernisation: not in the spelling list
            word = word.replace("isation", "ization")
    stemmer = _stemmers.get(language)
    if stemmer is None:
        return word
    stem: str = stemmer.stemWord(word)  # PyStemmer has no type hints
    return stem or word  # a stemmer may take all of a short word: a term is never empty


def _pairs(run: str) -> list[str]:
    """A run of ideographs as overlapping pairs; a single one stands for itself."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@functools.lru_cache(maxsize=100_000)
def _pieces(raw: str, language: str) -> tuple[tuple[str, int, int], ...]:
    """The terms of one word as written, each with where it stands in the word.

    Folding may split a word in two ("½" is one, two); both halves stand where the word
    does. Ideographs stand where their pair does.
    """
    found: list[tuple[str, int, int]] = []
    for run in _SCRIPT_RUNS.finditer(raw):
        start, end = run.span()
        if run.group(1):  # ideographs: the same in every language
            found += [
                (pair, start + i, start + i + len(pair))
                for i, pair in enumerate(_pairs(fold(run.group())))
            ]
            continue
        folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", fold(run.group())))
        found += [(term(piece, language), start, end) for piece in _LETTERS.findall(folded)]
    return tuple(found)


def words(text: str, language: str = "en") -> Iterator[Word]:
    """The words of a text in a language, with where each stands, for highlighting.

    Spans refer to the text in Unicode normal form C, which reads the same as the original.
    """
    language = analysed(language)
    for match in _WORD.finditer(unicodedata.normalize("NFC", text)):
        offset = match.start()
        for t, start, end in _pieces(match.group(), language):
            yield Word(t, offset + start, offset + end)


def terms(text: str, language: str = "en") -> list[str]:
    """The terms of a text in a language, in order: those of `words`, without places."""
    language = analysed(language)
    found: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        found += [piece[0] for piece in _pieces(word, language)]
    return found


def variants(text: str) -> tuple[tuple[str, ...], ...]:
    """What a typed word or phrase may be in the index: its terms read in each searched
    language, each reading once (most words read the same in several). Empty when the
    text has no word in it."""
    readings = (tuple(terms(text, language)) for language in SEARCHED_LANGUAGES)
    return tuple(dict.fromkeys(r for r in readings if r))
