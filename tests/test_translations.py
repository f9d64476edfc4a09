"""The interface in six languages: every string people read is marked for translation, and
every catalogue translates every marked string, keeping its placeholders."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation import to_locale

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    path for pattern in ("*.html", "*.txt") for path in (ROOT / "templates").rglob(pattern)
)
OTHERS = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# A stand-in for what the template language writes ({{ … }}, {% … %}, translated blocks).
SLOT = "\uffff"
# Words the same in every language, where a template may show them as they are.
AS_THEY_ARE = {"PAKS", "RSS", "Atom", "JSON", "CSV", "PDF", "API", "ISO", "M49", "EGDI", "SDG"}
WORD = re.compile(r"[^\W\d_]{2,}")
# Attributes whose values people read or hear.
READ = {"alt", "title", "aria-label", "placeholder", "aria-description", "label"}


def template_text(source):
    """The template with everything but its untranslated text replaced by SLOT."""
    pieces, inside = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            pieces.append(SLOT if inside else token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                inside += 1
            elif name in {"endblocktranslate", "endblocktrans", "endcomment", "endverbatim"}:
                inside -= 1
        pieces.append(SLOT)
    return "".join(pieces)


def described(tag, attrs):
    """A <meta> whose content people read: a description, a title for link previews."""
    kind = dict(attrs)
    return tag == "meta" and (
        kind.get("name") == "description" or kind.get("property") in {"og:title", "og:description"}
    )


class Words(HTMLParser):
    """The text and read attributes of a page, outside <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if value and (name in READ or (name == "content" and described(tag, attrs))):
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip:
            self.found.append(data)


def untranslated(path):
    parser = Words()
    parser.feed(template_text(path.read_text()))
    return [
        " ".join(text.replace(SLOT, " ").split())
        for text in parser.found
        if set(WORD.findall(text.replace(SLOT, " "))) - AS_THEY_ARE
    ]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_every_word_of_every_template_is_marked_for_translation(path):
    assert untranslated(path) == []


def test_the_scan_finds_unmarked_text_and_attributes():
    source = (
        '{% load i18n %}<p title="Open it">{% translate "Kept" %} Forgotten</p>'
        '{% blocktranslate %}Done {{ x }}{% endblocktranslate %}<img alt="{{ a }}">'
        "<script>var words = 1;</script>"
    )
    parser = Words()
    parser.feed(template_text(source))
    assert [t for t in parser.found if WORD.search(t.replace(SLOT, " "))] == [
        "Open it",
        f"{SLOT} Forgotten",
    ]


def catalogue(code):
    path = ROOT / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        return read_po(po, locale=to_locale(code))


PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("code", OTHERS)
def test_each_catalogue_translates_every_string_and_keeps_its_placeholders(code):
    messages = [m for m in catalogue(code) if m.id]
    assert messages
    problems = []
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(("untranslated", ids[0]))
            continue
        # Every form of a plural keeps the placeholders of the English plural (a language
        # may leave out the number in its form for one, as English "one case" does).
        wanted = placeholders(ids[-1])
        for string in strings:
            if set(placeholders(string)) - set(wanted) or (
                len(strings) == 1 and placeholders(string) != wanted
            ):
                problems.append(("placeholders", ids[0], string))
        # A sentence left in English; a word may be the same in both (Forum, Documents).
        if strings[0] == ids[0] and len(set(WORD.findall(ids[0])) - AS_THEY_ARE) >= 3:
            problems.append(("copied from English", ids[0]))
    assert problems == []


@pytest.mark.parametrize("code", OTHERS)
def test_each_catalogue_has_its_plural_forms(code):
    translations = catalogue(code)
    for message in translations:
        if message.id and isinstance(message.id, tuple):
            assert len(message.string) == translations.num_plurals, message.id


def test_the_catalogues_hold_every_marked_string_and_no_other(tmp_path):
    """What `update_catalogues` would write has the same strings as each catalogue."""
    if shutil.which("xgettext") is None:
        if os.environ.get("PAKS_REQUIRE_GETTEXT"):
            pytest.fail("GNU gettext (xgettext) is required here: apt-get install gettext")
        pytest.skip("GNU gettext (xgettext) not found: apt-get install gettext")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "node_modules", "media", "staticfiles", "locale", "tests", "*.sqlite3*"
        ),
    )
    for code, _name in settings.LANGUAGES:
        (copy / "locale" / to_locale(code) / "LC_MESSAGES").mkdir(parents=True)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "paks.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "update_catalogues", "--verbosity", "0"],
        cwd=copy,
        env=environment,
        check=True,
    )
    for code, _name in settings.LANGUAGES:
        path = copy / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"
        with path.open("rb") as po:
            marked = {(m.context, m.id) for m in read_po(po) if m.id}
        kept = {(m.context, m.id) for m in catalogue(code) if m.id}
        assert (sorted(marked - kept, key=str), sorted(kept - marked, key=str)) == ([], []), code
