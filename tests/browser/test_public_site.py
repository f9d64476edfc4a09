"""The public site in a real browser: journeys, accessibility (axe) and screenshots."""

import pytest

from tests.browser.conftest import ARTIFACTS, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_types(demo_site):
    from countries.models import Organization
    from events.models import Event
    from paks.models import CaseStudy
    from taxonomy.models import SDG, Theme

    case = CaseStudy.objects.published().filter(documents__isnull=False).first()
    event = Event.objects.public().filter(participations__isnull=False).first()
    programme = Event.objects.public().filter(sessions__isnull=False).first()
    return {
        "home": "/",
        "case-list": "/cases/?q=digital",
        "case-detail": case.get_absolute_url(),
        "event-list": "/events/?when=past",
        "event-detail": event.get_absolute_url(),
        "country-list": "/countries/",
        "country-detail": "/countries/bgd/",
        "country-profile-bhutan": "/countries/btn/",
        "compare": "/countries/compare/?country=BTN&country=NPL&country=BGD",
        "event-programme": programme.get_absolute_url(),
        "timetable": programme.get_absolute_url() + "programme/",
        "proceedings": programme.get_absolute_url() + "proceedings/",
        "statistics": "/statistics/",
        "map": "/map/",
        "map-asia": "/map/?region=Asia",
        "organization-list": "/organizations/",
        "open-data": "/data/",
        "organization": Organization.objects.filter(event_roles__isnull=False)
        .first()
        .get_absolute_url(),
        "theme-list": "/themes/",
        "theme-detail": Theme.objects.filter(cases__isnull=False).first().get_absolute_url(),
        "sdg-list": "/sdgs/",
        "sdg-detail": SDG.objects.get(number=16).get_absolute_url(),
        "about": "/about/",
        "sign-in": "/account/sign-in/",
        "not-found": "/no-such-page/",
    }


def _check_pages(demo_site, page, pages, *, prefix="", widths=(1280, 360)):
    """Each page at each width: its status, no sideways overflow, no axe violation, and a
    screenshot (`<prefix>-<name>-<width>.png`)."""
    failures = {}
    language = prefix.strip("/") or "en"
    for name, path in pages.items():
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(demo_site.url + prefix + path)
            assert response.status == (404 if name == "not-found" else 200), prefix + path
            assert page.get_attribute("html", "lang") == language
            direction = "rtl" if language == "ar" else "ltr"
            assert page.get_attribute("html", "dir") == direction, path
            # Nothing overflows sideways on a small phone (to the left, in Arabic).
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{name} is {scroll}px wide at {width}px"
            violations = run_axe(page)
            if violations:
                failures[f"{name}@{width}"] = violations
            shot = f"{language}-{name}-{width}.png" if prefix else f"{name}-{width}.png"
            page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    assert failures == {}


def test_every_page_type_has_no_axe_violations_at_desktop_and_phone_width(demo_site, page):
    _check_pages(demo_site, page, _page_types(demo_site))


def test_every_page_type_in_arabic_reads_right_to_left_without_axe_violations(demo_site, page):
    _check_pages(demo_site, page, _page_types(demo_site), prefix="/ar")


@pytest.mark.parametrize("language", ["zh-hans", "fr", "ru", "es"])
def test_the_main_pages_in_each_other_language_have_no_axe_violations(demo_site, page, language):
    pages = _page_types(demo_site)
    main = ("home", "case-list", "case-detail", "event-detail", "country-detail", "statistics")
    _check_pages(demo_site, page, {name: pages[name] for name in main}, prefix=f"/{language}")


def test_visitor_goes_from_home_to_a_case_and_downloads_its_presentation(demo_site, page):
    from paks.models import Document

    # A case's slides (a contribution's are on its event's page), the same on every database.
    document = (
        Document.objects.public()
        .filter(media_type__contains="presentation", case__isnull=False)
        .order_by("pk")
        .first()
    )
    case = document.case
    page.goto(demo_site.url + "/")
    page.get_by_label("Search").first.fill(case.title.split()[0])
    page.get_by_role("button", name="Search").first.click()
    page.get_by_role("link", name=case.title).click()
    assert page.locator("h1").inner_text() == case.title
    with page.expect_download() as download_info:
        page.get_by_role("link", name=document.title).click()
    download = download_info.value
    assert download.suggested_filename == document.original_filename
    saved = ARTIFACTS / "downloaded-presentation"
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"  # an Office package, as uploaded
    document.refresh_from_db()
    assert document.download_count == 1


def test_visitor_filters_past_events_by_kind(demo_site, page):
    page.goto(demo_site.url + "/events/?when=past")
    page.get_by_label("Kind").select_option(label="Study visit")
    page.get_by_role("button", name="Filter").click()
    titles = page.locator("ul.events > li > a").all_inner_texts()
    assert titles and all("Study Visit" in t for t in titles)
    page.screenshot(path=str(ARTIFACTS / "event-list-filtered.png"))


def test_keyboard_user_reaches_the_content_with_the_skip_link(demo_site, page):
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focal_point_signs_in_and_creates_an_api_token_shown_once(demo_site, page):
    page.goto(demo_site.url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill("focal.bgd@paks.example")
    page.get_by_label("Password").fill("paks-focal-demo")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My country"
    page.get_by_role("banner").get_by_role("link", name="API tokens").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your API tokens"
    page.get_by_label("Name").fill("Ministry website")
    page.get_by_role("button", name="Create token").click()
    key = page.get_by_label("Key").input_value()
    assert key.startswith("paks_")
    page.screenshot(path=str(ARTIFACTS / "tokens-created-1280.png"), full_page=True)
    assert run_axe(page) == []
    page.get_by_role("button", name="Revoke “Ministry website”").click()
    assert "is revoked" in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Key").count() == 0
    # The language PAKS writes to them in is theirs to choose.
    page.get_by_role("banner").get_by_role("link", name="Preferences").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your preferences"
    page.get_by_label("Language for e-mails").select_option("fr")
    page.get_by_role("button", name="Save preferences").click()
    assert "saved" in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Language for e-mails").input_value() == "fr"
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"preferences-{width}.png"), full_page=True)
        assert run_axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_the_axe_check_does_report_violations(page):
    # Guards the checks above: a page with known faults must not pass.
    page.set_content('<html><body><img src="data:,"><a href="#"></a></body></html>')
    found = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "html-has-lang", "link-name"} <= found
