"""The editorial workflow once in a real browser, with screenshots of each step."""

import re

import pytest
from django.core import mail

from paks.models import CaseStudy
from tests.browser.conftest import ARTIFACTS, PAKS_DEMO_FILES, run_axe

pytestmark = pytest.mark.browser
PASSWORD = "a long and new passphrase 42"


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"workflow-{name}.png"), full_page=True)


def duplicate_ids(page):
    return page.evaluate(
        """() => { const seen = {}; for (const e of document.querySelectorAll('[id]'))
        seen[e.id] = (seen[e.id] || 0) + 1;
        return Object.keys(seen).filter(k => seen[k] > 1); }"""
    )


def sign_in_to_admin(page, url):
    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill("editor@paks.example")
    page.get_by_label("Password").fill("paks-editor-demo")
    page.get_by_role("button", name="Log in").click()


def test_invitation_to_publication_in_the_browser(demo_site, browser):
    url = demo_site.url
    editor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    focal = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # The editor invites a new focal point for Bangladesh.
    sign_in_to_admin(editor, url)
    editor.goto(url + "/admin/accounts/invitation/add/")
    editor.get_by_label("Email").fill("new.focal@bd.example")
    editor.get_by_label("Country").select_option(label="Bangladesh")
    editor.get_by_label("Organization").select_option(
        label="Aspire to Innovate (a2i), Bangladesh (a2i)"
    )
    editor.get_by_role("button", name="Save", exact=True).click()
    assert (
        "Invitation sent to new.focal@bd.example" in editor.locator(".messagelist").inner_text()
    ), editor.locator("body").inner_text()[:1500]
    link = re.search(r"http://127\.0\.0\.1:8000(\S+)", mail.outbox[-1].body).group(1)

    # The invited person chooses a password and lands on the dashboard.
    focal.goto(url + link)
    assert focal.get_by_role("heading", level=1).inner_text() == "Become Bangladesh's focal point"
    assert run_axe(focal) == []
    focal.get_by_label("First name").fill("Nusrat")
    focal.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    focal.get_by_label("Password again (required)").fill(PASSWORD)
    focal.get_by_role("button", name="Set password and start").click()
    assert focal.get_by_role("heading", level=1).inner_text() == "My country"
    assert run_axe(focal) == []
    shot(focal, "1-my-country")

    # A new case, with a presentation.
    focal.get_by_role("link", name="Add a case").click()
    assert run_axe(focal) == []
    focal.get_by_label("Title (required)").fill("Digital birth registration in every union")
    focal.get_by_label("Summary (required)").fill(
        "Births registered online at union digital centres."
    )
    focal.get_by_label("Year (required)").fill("2024")
    focal.get_by_role("checkbox", name="SDG 16").first.check()
    focal.get_by_role("button", name="Save draft").click()
    assert "is saved as a draft" in focal.content()
    focal.get_by_label("File (required)").set_input_files(str(PAKS_DEMO_FILES / "example.pdf"))
    focal.get_by_label("Title", exact=True).fill("Country presentation")
    focal.get_by_role("button", name="Upload").click()
    assert "is uploaded" in focal.content()
    assert focal.get_by_role("link", name="Country presentation", exact=True).count() == 1
    assert focal.get_by_role("link", name="Edit details of “Country presentation”").count() == 1
    # Three forms on one page: each label must still name its own field.
    assert duplicate_ids(focal) == []
    assert run_axe(focal) == []
    shot(focal, "2-case-in-the-workspace")
    # The presentation's details, corrected after the upload.
    focal.get_by_role("link", name="Edit details of “Country presentation”").click()
    assert run_axe(focal) == []
    shot(focal, "2b-document-details")
    focal.get_by_label("Title (required)").fill("Country presentation, Dhaka 2024")
    focal.get_by_role("combobox", name="Language").select_option(label="English")
    focal.get_by_role("button", name="Save details").click()
    assert (
        focal.get_by_role("link", name="Country presentation, Dhaka 2024", exact=True).count() == 1
    )
    focal.get_by_role("link", name="Preview as the public will see it").click()
    assert "Preview of a draft case" in focal.content()
    assert run_axe(focal) == []
    shot(focal, "3-preview")
    focal.get_by_role("link", name="Back to editing").click()
    focal.get_by_role("button", name="Submit for review").click()
    assert "is submitted" in focal.content()

    # The editor reviews it from the queue and asks for changes.
    case = CaseStudy.objects.get(title="Digital birth registration in every union")
    editor.goto(url + "/admin/paks/casestudy/review/")
    editor.get_by_role("link", name=case.title).click()
    assert "everything is new" in editor.content()
    editor.get_by_label("Comment for the focal points").fill("Please add how many births.")
    shot(editor, "4-review")
    editor.get_by_role("button", name="Request changes").click()
    assert "Returned" in editor.content()

    # The focal point answers with an edit and resubmits.
    focal.goto(url + "/workspace/")
    assert "Please add how many births." in focal.content()
    focal.get_by_role("link", name=case.title).first.click()
    focal.get_by_label("Results").fill("1.2 million births registered online in 2024.")
    focal.get_by_role("button", name="Save changes").click()
    assert "Your changes are saved." in focal.content()
    focal.get_by_role("button", name="Submit for review").click()

    # The editor sees the change and publishes.
    editor.goto(url + f"/admin/paks/casestudy/{case.pk}/review/")
    assert editor.locator("ins", has_text="1.2 million births").count() == 1
    shot(editor, "5-review-shows-the-change")
    editor.get_by_role("button", name="Publish").click()

    # Visible to the public, and the history shows every step.
    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(url + f"/cases/{case.slug}/")
    assert public.get_by_role("heading", level=1).inner_text() == case.title
    assert "1.2 million births" in public.content()
    assert run_axe(public) == []
    shot(public, "6-published")
    editor.goto(url + f"/admin/paks/casestudy/{case.pk}/history/")
    history = editor.content()
    for step in ("Created", "Submitted for review", "Changes requested", "Edited", "Published"):
        assert step in history
    shot(editor, "7-history")
