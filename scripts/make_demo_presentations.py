#!/usr/bin/env python3
"""Writes the demo presentations of paks/demo_files/ from the demo cases' own text.

Run from the project root after changing a case below (in paks/data/demo/cases.json) or a
deck's background slide here, and commit the files it writes:

    .venv/bin/python scripts/make_demo_presentations.py          # write the files
    .venv/bin/python scripts/make_demo_presentations.py --check  # exit 1 if one is stale

Each deck has a title slide, one slide per section of its case (challenge, solution, results,
lessons learned) and a background slide with a few more facts from the case's public sources
and the sources themselves, so that a search can find a case by a word that only its slides
hold. Every slide says that it is a demo presentation prepared for PAKS, not the government's
own. PowerPoint files are written with python-pptx and PDF files by the small writer below
(standard Helvetica, no embedded fonts), both with fixed dates: the same text gives the same
bytes, and the demo loader, which knows a stored file by its SHA-256, stores it only once.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE
from pptx.util import Inches, Pt

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "paks" / "data" / "demo" / "cases.json"
ORGANIZATIONS = ROOT / "paks" / "data" / "demo" / "organizations.json"
M49 = ROOT / "countries" / "data" / "unsd_m49_en.csv"
OUT = ROOT / "paks" / "demo_files"

NOTICE = "Demo presentation prepared for PAKS from public sources; not an official presentation."
AUTHOR = "PAKS demo"
# Fixed, so that the files do not change when nothing in them does.
FIXED_TIME = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
SECTIONS = (
    ("challenge", "Challenge"),
    ("solution", "Solution"),
    ("results", "Results"),
    ("lessons_learned", "Lessons learned"),
)


@dataclass(frozen=True)
class Deck:
    """A presentation of one case: its file and its background slide."""

    case: str
    file: str
    background: tuple[str, ...]


DECKS = (
    Deck(
        case="rwanda-irembo-e-government-portal",
        file="rwanda-irembo.pptx",
        background=(
            "Irembo means 'gateway' or 'door' in Kinyarwanda.",
            "The operator, RwandaOnline, was set up in September 2014 under the concession; "
            "the portal went live in July 2015.",
            "In 2017 the operator planned enough agents for everyone to have one within about "
            "3 km (Xinhua, 2017).",
        ),
    ),
    Deck(
        case="togo-novissi-digital-cash-transfers",
        file="togo-novissi.pdf",
        background=(
            "Novissi means 'solidarity' in Ewe.",
            "The programme opened on 8 April 2020, first for Greater Lomé.",
            "Who could take part (programme FAQ): Togolese citizens living in Togo, aged 18 or "
            "over, with a voter card, working in the informal sector and losing their daily "
            "income because of the measures against the coronavirus.",
        ),
    ),
    Deck(
        case="jamaica-national-identification-system",
        file="jamaica-nids.pdf",
        background=(
            "The 2019 judgment: Julian J. Robinson v. The Attorney General of Jamaica, delivered "
            "on 12 April 2019 by Chief Justice Bryan Sykes, Justice David Batts and Justice "
            "Lisa Palmer Hamilton.",
            "The Governor-General and the Prime Minister were among the first to receive a card "
            "at the launch of the National Identification and Registration Authority in "
            "November 2024.",
        ),
    ),
    Deck(
        case="nepal-nagarik-app",
        file="nepal-nagarik-app.pptx",
        background=(
            "The app's motto: 'Sarkari sewa haat haat ma', government services in every hand.",
            "The trial version opened on 15 January 2021; the full version followed on 2 May 2021.",
            "The app is one of the initiatives of the Digital Nepal Framework.",
        ),
    ),
    Deck(
        case="estonia-x-road-data-exchange",
        file="estonia-x-road.pdf",
        background=(
            "In Estonian the system is called X-tee.",
            "2013: the prime ministers of Estonia and Finland signed a memorandum of "
            "understanding on developing X-Road together, considered the first digitally "
            "signed international agreement.",
            "2015-2016: the core was published as open source under the MIT licence.",
            "2017: Estonia and Finland set up the Nordic Institute for Interoperability "
            "Solutions to manage its development.",
        ),
    ),
    Deck(
        case="fiji-online-birth-registration",
        file="fiji-birth-registration.pptx",
        background=(
            "Roll-out in 2019: Colonial War Memorial Hospital, Suva (April); Ba, Lautoka, "
            "Sigatoka and Nadi (from 3 June); Savusavu, Labasa and Taveuni (from 5 July); "
            "Rakiraki and Nausori (from 9 August).",
            "Parents can start the registration as soon as they have chosen the child's name.",
        ),
    ),
)


@dataclass(frozen=True)
class Slide:
    title: str
    bullets: tuple[str, ...]
    small: bool = False  # the sources: long addresses in a smaller font


@dataclass(frozen=True)
class Content:
    """What a deck shows: its title slide, then its slides."""

    title: str
    subtitle: str
    slides: tuple[Slide, ...]


def plain(markdown: str) -> tuple[str, ...]:
    """A section's Markdown as plain items: one per list item or paragraph."""
    items = []
    for line in markdown.splitlines():
        line = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line).strip()
        if not line:
            continue
        line = line.replace("**", "").replace("\\*", "\x00")
        line = re.sub(r"\*([^*]+)\*", r"\1", line).replace("\x00", "*")
        items.append(line)
    return tuple(items)


def country_names() -> dict[str, str]:
    with M49.open(encoding="utf-8-sig", newline="") as f:
        return {row["ISO-alpha3 Code"]: row["Country or Area"] for row in csv.DictReader(f)}


def content_of(deck: Deck, case: dict[str, Any], organization: str, country: str) -> Content:
    slides = [Slide(label, plain(case[field])) for field, label in SECTIONS if case[field]]
    slides.append(Slide("Background", deck.background))
    sources = tuple(f"{link['title']}: {link['url']}" for link in case["links"])
    slides.append(Slide("Sources", sources, small=True))
    return Content(
        title=case["title"],
        subtitle=f"{country} | {organization} | {case['year']}",
        slides=tuple(slides),
    )


# PowerPoint


def _fixed_zip(data: bytes) -> bytes:
    """The package again, with fixed entry times (zip entries otherwise carry today's)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item))
    return out.getvalue()


def _footer(slide: Any) -> None:
    box = slide.shapes.add_textbox(Inches(0.5), Inches(7.0), Inches(9), Inches(0.4))
    box.text_frame.text = NOTICE
    box.text_frame.paragraphs[0].font.size = Pt(10)


def pptx_bytes(content: Content) -> bytes:
    presentation = Presentation()
    package = presentation.part.package
    # The template's own thumbnail shows an empty slide, not this deck: leave it out.
    for rel_id, rel in list(package._rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package._rels.pop(rel_id)
    properties = presentation.core_properties
    properties.title = content.title
    properties.author = properties.last_modified_by = AUTHOR
    properties.created = properties.modified = FIXED_TIME.replace(tzinfo=None)
    properties.revision = 1

    first = presentation.slides.add_slide(presentation.slide_layouts[0])
    first.shapes.title.text = content.title
    first.shapes.title.text_frame.paragraphs[0].font.size = Pt(32)
    subtitle = first.placeholders[1].text_frame
    subtitle.text = content.subtitle
    subtitle.add_paragraph().text = NOTICE
    for paragraph in subtitle.paragraphs:
        paragraph.font.size = Pt(16)
    for spec in content.slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = spec.title
        body = slide.placeholders[1].text_frame
        body.word_wrap = True
        for index, text in enumerate(spec.bullets):
            paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
            paragraph.text = text
            paragraph.font.size = Pt(12 if spec.small else 18)
        _footer(slide)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return _fixed_zip(buffer.getvalue())


# PDF: one landscape page per slide, in the standard Helvetica fonts (nothing embedded).

PAGE_WIDTH, PAGE_HEIGHT = 960, 540
MARGIN = 48


def _pdf_text(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (the fonts' encoding below)."""
    data = text.encode("cp1252")  # fails loudly on a character the fonts cannot show
    data = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + data + b")"


def _info_text(text: str) -> bytes:
    """A PDF text string for the document information, in UTF-16 with its byte order mark."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _wrap(text: str, width: int, *, long_words: bool = False) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=long_words, break_on_hyphens=False) or [""]


def _line(font: str, size: float, x: float, y: float, text: str) -> bytes:
    return b"BT /%s %g Tf %g %g Td %s Tj ET\n" % (font.encode(), size, x, y, _pdf_text(text))


def _page(title: str, bullets: tuple[str, ...], *, small: bool) -> bytes:
    ops = [b"0.09 0.25 0.45 rg 0 450 960 90 re f\n1 1 1 rg\n"]
    y = PAGE_HEIGHT - 50
    for line in _wrap(title, 60)[:2]:
        ops.append(_line("F2", 24, MARGIN, y, line))
        y -= 30
    size, leading, width = (11.0, 15, 150) if small else (16.0, 22, 104)
    ops.append(b"0 0 0 rg\n")
    y = 410
    for bullet in bullets:
        for index, line in enumerate(_wrap(bullet, width, long_words=small)):
            if index == 0:
                ops.append(_line("F1", size, MARGIN, y, "\u2022"))
            ops.append(_line("F1", size, MARGIN + 18, y, line))
            y -= leading
        y -= leading // 3
    ops.append(b"0.4 0.4 0.4 rg\n")
    ops.append(_line("F1", 10, MARGIN, 24, NOTICE))
    return b"".join(ops)


def _title_page(content: Content) -> bytes:
    ops = [b"0.09 0.25 0.45 rg 0 0 960 540 re f\n1 1 1 rg\n"]
    y = 340
    for line in _wrap(content.title, 48):
        ops.append(_line("F2", 32, MARGIN, y, line))
        y -= 40
    ops.append(_line("F1", 18, MARGIN, y - 20, content.subtitle))
    ops.append(_line("F1", 12, MARGIN, 40, NOTICE))
    return b"".join(ops)


def pdf_bytes(content: Content) -> bytes:
    streams = [_title_page(content)]
    streams += [_page(s.title, s.bullets, small=s.small) for s in content.slides]
    fonts = b"/F1 3 0 R /F2 4 0 R"
    first_page = 6
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (
            b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(streams))),
            len(streams),
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title %s /Author %s /Producer %s >>"
        % (
            _info_text(content.title),
            _info_text(AUTHOR),
            _info_text("scripts/make_demo_presentations.py"),
        ),
    ]
    for i, stream in enumerate(streams):
        contents = first_page + 2 * i + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << %s >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, fonts, contents)
        )
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def presentations() -> dict[str, bytes]:
    """Each deck's file name and bytes, from the case data as it is now."""
    cases = {c["slug"]: c for c in json.loads(CASES.read_text("utf-8"))}
    organizations = {o["slug"]: o["name"] for o in json.loads(ORGANIZATIONS.read_text("utf-8"))}
    countries = country_names()
    files = {}
    for deck in DECKS:
        case = cases[deck.case]
        attached = {d["file"] for d in case.get("documents", [])}
        if deck.file not in attached:
            raise SystemExit(f"{deck.case} does not attach {deck.file} in {CASES.name}")
        content = content_of(
            deck, case, organizations[case["organization"]], countries[case["country"]]
        )
        files[deck.file] = pdf_bytes(content) if deck.file.endswith(".pdf") else pptx_bytes(content)
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, data in presentations().items():
        path = OUT / name
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
            continue
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({len(data)} bytes)")
    if stale:
        print("Out of date; run scripts/make_demo_presentations.py: " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
