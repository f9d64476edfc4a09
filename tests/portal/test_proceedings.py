"""An event's proceedings: one page gathering what the event was for, what was presented
(with slides), which countries were there with the cases they presented, and what it produced;
printable, and as a PDF made once per change with nothing fetched from the network."""

import datetime
import io
import re
import socket
import zoneinfo

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override
from PIL import Image
from pypdf import PdfReader

from paks import proceedings
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    ContributionSpeakerFactory,
    CountryFactory,
    DocumentFactory,
    EditorFactory,
    EventFactory,
    EventOrganizerFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
)
from tests.translation_factories import CaseTranslationFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def jpeg() -> ContentFile:
    image = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(image, "JPEG")
    return ContentFile(image.getvalue(), name="thumbnail.jpg")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2019, 4, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def visit():
    """A two-day study visit: a panel of country presentations on the first day, a training
    module on the second; Bhutan took part, Bangladesh presented, Nepal's case is recorded as
    presented there; a report and an agenda."""
    event = EventFactory(
        title="Study visit on e-government",
        slug="study-visit",
        start=at(1, 9),
        end=at(2, 17),
        timezone="Asia/Seoul",
        summary="Officials from five countries visited Incheon.",
        objectives="- Learn from integrated portals\n- Share country experience",
        outputs="1. A network of practitioners",
    )
    EventOrganizerFactory(event=event, organization=OrganizationFactory(name="UNPOG"))
    bangladesh = CountryFactory(name="Bangladesh")
    bhutan = CountryFactory(name="Bhutan")
    nepal = CountryFactory(name="Nepal")
    ParticipationFactory(event=event, country=bhutan, participants=4)
    panel = SessionFactory(
        event=event, title="Country presentations", start=at(1, 10), end=at(1, 12), place="Room 3"
    )
    SessionFactory(event=event, title="Training module", start=at(2, 9), end=at(2, 17))
    presented = ContributionFactory(
        event=event,
        session=panel,
        title="Union Digital Centres",
        country=bangladesh,
        published=True,
        abstract="Centres run by local entrepreneurs.",
        case=CaseStudyFactory(published=True, title="One-stop centres", country=bangladesh),
    )
    ContributionSpeakerFactory(contribution=presented, person=PersonFactory(name="Rahim Uddin"))
    DocumentFactory(
        case=None,
        event=event,
        contribution=presented,
        title="Slides of the centres",
        media_type=PPTX,
        size=3_100_000,
        page_count=12,
        thumbnail=jpeg(),
    )
    CaseStudyFactory(published=True, title="Nepal's service portal", country=nepal, event=event)
    CaseStudyFactory(title="A draft case of Nepal", country=nepal, event=event)
    DocumentFactory(case=None, event=event, title="Report of the visit", kind="report")
    DocumentFactory(case=None, event=event, title="Agenda of the visit", kind="agenda")
    draft = ContributionFactory(event=event, session=panel, title="A draft presentation")
    DocumentFactory(case=None, event=event, contribution=draft, title="Draft slides")
    return event


def _page(event) -> str:
    response = Client().get(reverse("events:proceedings", args=[event.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _pdf(client, event):
    response = client.get(reverse("events:proceedings-pdf", args=[event.slug]))
    assert response.status_code == 200
    return response


def _text(pdf: bytes) -> list[str]:
    """Each page's text."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The HTML of every PDF WeasyPrint was asked to make."""
    made: list[str] = []
    real = proceedings.render_pdf

    def counted(html, **kwargs):
        made.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(proceedings, "render_pdf", counted)
    return made


# --- The page ------------------------------------------------------------------------------


def test_the_proceedings_gather_purpose_programme_countries_and_outputs(visit):
    html = _page(visit)
    headings = re.findall(r'<h2 id="p-[\w-]+">([^<]+)</h2>', html)
    assert headings == [
        "Summary",
        "Objectives",
        "Outputs",
        "Report",
        "Programme and presentations",
        "Countries represented",
        "Documents",
    ]
    assert "Officials from five countries visited Incheon." in html
    assert "<li>Learn from integrated portals</li>" in html
    assert 'UNPOG <span class="muted">(organizer)</span>' in html
    assert "Report of the visit" in html[html.index("p-report-h") : html.index("p-programme-h")]
    assert "Agenda of the visit" in html[html.index("p-docs-h") :]


def test_each_presentation_comes_with_its_abstract_and_slides(visit):
    html = _page(visit)
    programme = html[html.index("p-programme-h") : html.index("p-countries-h")]
    assert "Monday 1 April 2019" in programme and "Tuesday 2 April 2019" in programme
    assert "Union Digital Centres" in programme and "Rahim Uddin" in programme
    assert "Centres run by local entrepreneurs." in programme
    assert 'alt="First slide of “Slides of the centres”"' in programme
    assert "PowerPoint · 3.0\xa0MB · 12 slides" in programme
    assert 'href="/documents/' in programme and "/download/" in programme


def test_countries_represented_are_those_that_took_part_spoke_or_presented_a_case(visit):
    html = _page(visit)
    table = html[html.index("p-countries-h") : html.index("p-docs-h")]
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>(.*?)</tr>', table, re.S)
    assert [name for name, _ in rows] == ["Bangladesh", "Bhutan", "Nepal"]
    cells = dict(rows)
    assert "One-stop centres" in cells["Bangladesh"]  # through its presentation
    assert "<td>4</td>" in cells["Bhutan"]
    assert "Nepal&#x27;s service portal" in cells["Nepal"]  # recorded on the case
    assert "A draft case" not in html


def test_drafts_are_not_in_the_proceedings(visit):
    html = _page(visit)
    assert "A draft presentation" not in html and "Draft slides" not in html


def test_the_proceedings_are_linked_from_the_event_page_and_link_to_their_pdf(visit):
    url = reverse("events:proceedings", args=[visit.slug])
    assert url == "/events/study-visit/proceedings/"
    event_page = Client().get(visit.get_absolute_url()).content.decode()
    assert f'href="{url}"' in event_page
    assert 'href="/events/study-visit/proceedings.pdf"' in _page(visit)


# --- The PDF -------------------------------------------------------------------------------


def test_the_pdf_is_a_pdf_of_the_proceedings_named_after_the_event(client, visit, renders):
    response = _pdf(client, visit)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="study-visit-proceedings.pdf"'
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Proceedings · Study visit on e-government"
    text = "\n".join(_text(response.content))
    assert "Study visit on e-government" in text
    assert "Union Digital Centres" in text and "Slides of the centres" in text
    assert "A draft presentation" not in text and "Draft slides" not in text
    assert len(renders) == 1


def test_the_pdf_starts_each_day_of_the_programme_on_a_new_page(client, visit, renders):
    pages = _text(_pdf(client, visit).content)
    first = next(n for n, text in enumerate(pages) if "Monday 1 April 2019" in text)
    second = next(n for n, text in enumerate(pages) if "Tuesday 2 April 2019" in text)
    assert second > first
    assert "Summary" not in pages[first]  # the programme starts a page too


def test_the_pdf_shows_the_slides_thumbnails_read_from_storage(client, visit, renders):
    reader = PdfReader(io.BytesIO(_pdf(client, visit).content))
    # WeasyPrint lists its images on every page; the one there is is the thumbnail.
    images = {(image.name, image.image.size) for page in reader.pages for image in page.images}
    assert [size for _, size in images] == [(64, 48)]


def test_the_pdf_loads_its_stylesheet_and_thumbnails_without_a_warning(client, visit, caplog):
    with caplog.at_level("WARNING", logger="weasyprint"):
        _pdf(client, visit)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_a_second_request_is_served_from_the_cache(client, visit, renders):
    first = _pdf(client, visit).content
    second = _pdf(client, visit).content
    assert len(renders) == 1
    assert second == first


def test_the_pdf_is_the_same_for_every_visitor(client, visit, renders):
    anonymous = _pdf(client, visit).content
    client.force_login(EditorFactory())
    assert _pdf(client, visit).content == anonymous
    assert len(renders) == 1


@pytest.mark.parametrize("change", ["contribution", "session", "document", "event"])
def test_any_change_to_what_the_proceedings_say_makes_a_new_pdf(client, visit, renders, change):
    _pdf(client, visit)
    if change == "contribution":
        contribution = visit.contributions.get(title="Union Digital Centres")
        contribution.title = "Union Digital Centres, five years on"
        contribution.save()
        new_words = "five years on"
    elif change == "session":
        SessionFactory(event=visit, title="Closing", start=at(2, 17), end=at(2, 17, 30))
        new_words = "Closing"
    elif change == "document":
        DocumentFactory(case=None, event=visit, title="Photos of the visit", kind="photo")
        new_words = "Photos of the visit"
    else:
        visit.summary = "Officials from six countries visited Incheon."
        visit.save()
        new_words = "six countries"
    text = "\n".join(_text(_pdf(client, visit).content))
    assert len(renders) == 2
    assert new_words in text


def test_publishing_a_contribution_makes_a_new_pdf_with_it(client, visit, renders):
    _pdf(client, visit)
    draft = visit.contributions.get(title="A draft presentation")
    draft.status, draft.published_at = "published", visit.start
    draft.save()
    text = "\n".join(_text(_pdf(client, visit).content))
    assert "A draft presentation" in text and "Draft slides" in text
    assert len(renders) == 2


def test_making_the_pdf_opens_no_connection(client, visit, renders, monkeypatch):
    DocumentFactory(
        case=None,
        event=visit,
        title="Recording",
        kind="video",
        file="",
        external_url="https://video.example.org/opening.png",
    )
    opened: list[object] = []

    def refuse(sock, address):
        opened.append(address)
        raise OSError("no network while making a PDF")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    response = _pdf(client, visit)
    assert response.content.startswith(b"%PDF-")
    assert opened == []


# --- What WeasyPrint may load --------------------------------------------------------------


@pytest.fixture
def fetcher(visit):
    slides = visit.documents.get(title="Slides of the centres")
    address = f"http://testserver/documents/{slides.pk}/thumbnail/"
    return proceedings.SiteFetcher(
        base_url="http://testserver/", thumbnails={address: slides.thumbnail.name}
    ), address


def test_the_fetcher_serves_the_sites_stylesheet_and_the_listed_thumbnails(fetcher):
    site, thumbnail = fetcher
    css = site.fetch("http://testserver/static/css/document.css")
    assert css.content_type == "text/css" and b"@page" in css.read()
    image = site.fetch(thumbnail)
    assert image.content_type == "image/jpeg" and image.read().startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    "address",
    [
        "https://cdn.example.org/font.woff2",
        "http://169.254.169.254/latest/meta-data/",
        "http://other.example.org/static/css/paks.css",
        "file:///etc/passwd",
        "http://testserver/static/../paks/settings.py",
        "http://testserver/static/%2E%2E/paks/settings.py",
        "http://testserver/static/css/missing.css",
        "http://testserver/media/thumbnails/secret.jpg",
        "http://testserver/documents/999999/thumbnail/",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_everything_else(fetcher, address):
    site, _ = fetcher
    with pytest.raises(proceedings.Refused):
        site.fetch(address)


# --- The PDF in Arabic and Chinese ---------------------------------------------------------


def _embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Each font the PDF's pages use, by name (without the subset's prefix): whether its
    glyphs are embedded (a FontFile of its own or of its CID descendant)."""
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            fonts[name] = any(key.startswith("/FontFile") for key in descriptor)
    return fonts


@pytest.mark.parametrize(
    ("language", "written_in", "font"),
    [
        ("ar", re.compile(r"[\u0600-\u06FF]"), "DejaVu-Sans"),
        ("zh-hans", re.compile(r"[\u4E00-\u9FFF]"), "Noto-Sans-CJK-SC"),  # Simplified glyphs
    ],
)
def test_the_pdf_in_arabic_and_chinese_has_their_words_in_fonts_embedded_with_their_glyphs(
    client, visit, renders, language, written_in, font
):
    case = visit.cases.get(title="Nepal's service portal")
    with override(language):
        url = reverse("events:proceedings-pdf", args=[visit.slug])
        headings = [gettext("Proceedings"), gettext("Countries represented"), gettext("Summary")]
    translated_title = {"ar": "بوابة الخدمات في نيبال", "zh-hans": "尼泊尔服务门户"}[language]
    CaseTranslationFactory(case=case, language=language, title=translated_title, published=True)

    response = client.get(url)

    assert url.startswith(f"/{language}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in headings:
        assert written_in.search(heading)  # the catalogue translates it
        assert heading in text
    assert translated_title in text  # the case's published translation, in the countries' table
    # Text that extracts came from glyphs in the embedded fonts, not from boxes drawn for
    # missing ones (tofu): every font is embedded, one of them made for the script.
    fonts = _embedded_fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert any(name.startswith(font) for name in fonts), fonts
