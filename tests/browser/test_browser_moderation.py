"""The approval path in a real browser: the editor drafts and submits, the public sees nothing,
the coordinator asks for changes, the editor revises, the vice chair approves, the public sees
the result with its approval line. Every e-mail on the way is checked."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from tests import browser as browser_support
from tests import moderation_support as support
from tests.factories import MemberFactory
from workgroup.models import Member, ResultPage

# The shared fixtures, visible to this module's tests.
browser, screenshots = browser_support.browser, browser_support.screenshots
roles, people, result_index = support.roles, support.people, support.result_index

PASSWORD = "geheim-123"  # tests.factories.UserFactory
TITLE = "Digitale Ratsarbeit"
SUBJECT = f"Ergebnis „{TITLE}“"


def log_in(browser, live_server, user):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def footer_action(page, name):
    """Choose an action from the editor's footer menu, as a person would."""
    page.click("footer .w-dropdown__toggle")
    page.click(f'footer button[name="{name}"], footer button[data-workflow-action-name="{name}"]')


def links(message):
    return re.findall(r"https?://\S+", message.body)


@pytest.mark.browser
@browser_support.browser_db
def test_from_draft_to_public_through_the_approval(
    live_server, browser, screenshots, people, result_index, settings
):
    settings.SITE_URL = live_server.url
    editor, coordinator, vice_chair = people["editor"], people["coordinator"], people["vice_chair"]
    MemberFactory(role=Member.Role.VICE_CHAIR, email=vice_chair.email)

    # The editor writes a result and submits it.
    editing = log_in(browser, live_server, editor)
    editing.goto(f"{live_server.url}/admin/pages/{result_index.pk}/add_subpage/")
    editing.fill("#id_title", TITLE)
    editing.select_option("#id_kind", "recommendation")
    editing.fill("#id_reference", "AG-DIG/2026/007")
    editing.fill("#id_result_date", "01.03.2026")
    editing.keyboard.press("Escape")
    editing.fill("#id_summary", "Die AG empfiehlt papierlose Sitzungen.")
    screenshots(editing, "redaktion-entwurf")
    footer_action(editing, "action-submit")
    editing.wait_for_selector(".messages .success")
    screenshots(editing, "redaktion-eingereicht")
    result = ResultPage.objects.get(reference="AG-DIG/2026/007")
    edit_path = f"/admin/pages/{result.pk}/edit/"

    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, vice_chair.email])
    assert {m.subject for m in mail.outbox} == {f"Zur Freigabe: {SUBJECT}"}
    assert all(f"{live_server.url}{edit_path}" in links(m) for m in mail.outbox)

    # The public sees nothing yet.
    public = browser.new_context().new_page()
    assert public.goto(f"{live_server.url}{result.url}").status == 404
    screenshots(public, "oeffentlich-noch-nicht-sichtbar")

    # The coordinator finds it in the review queue and asks for changes.
    reviewing = log_in(browser, live_server, coordinator)
    queue = reviewing.locator("[data-review-queue]")
    assert TITLE in queue.inner_text()
    assert editor.get_full_name() in queue.inner_text()
    screenshots(reviewing, "koordination-warteschlange")
    review_link = next(link for link in links(mail_to(coordinator)) if edit_path in link)
    mail.outbox.clear()
    reviewing.goto(review_link)
    footer_action(reviewing, "reject")
    reviewing.fill("textarea[name=comment]", "Bitte die Kosten für die Tablets ergänzen.")
    screenshots(reviewing, "koordination-aenderungen-erbeten")
    reviewing.click(".modal button[type=submit]")
    reviewing.wait_for_selector(".messages .success")

    (rejection,) = mail.outbox
    assert rejection.to == [editor.email]
    assert rejection.subject == f"Änderungen erbeten: {SUBJECT}"
    assert "Bitte die Kosten für die Tablets ergänzen." in rejection.body
    assert f"{live_server.url}{edit_path}" in links(rejection)

    # The editor reads the comment, revises and resubmits.
    mail.outbox.clear()
    editing.goto(next(link for link in links(rejection) if edit_path in link))
    assert "Bitte die Kosten für die Tablets ergänzen." in editing.locator(".messages").inner_text()
    screenshots(editing, "redaktion-liest-kommentar")
    editing.fill("#id_summary", "Die AG empfiehlt papierlose Sitzungen; Tablets kosten 12.000 €.")
    footer_action(editing, "action-submit")
    editing.wait_for_selector(".messages .success")
    assert {m.subject for m in mail.outbox} == {f"Erneut zur Freigabe: {SUBJECT}"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, vice_chair.email])
    assert all(f"{live_server.url}{edit_path}" in links(m) for m in mail.outbox)

    # The vice chair approves from the review queue.
    mail.outbox.clear()
    approving = log_in(browser, live_server, vice_chair)
    row = approving.locator(f'[data-review-queue] tr[data-review-item="{result.pk}"]')
    screenshots(approving, "stellvertretung-warteschlange")
    with approving.expect_navigation():
        row.get_by_role("button", name="Freigeben", exact=True).click()
    assert approving.locator("[data-review-queue]").count() == 0
    screenshots(approving, "stellvertretung-freigegeben")

    (approval,) = mail.outbox
    assert approval.to == [editor.email]
    assert approval.subject == f"Freigegeben: {SUBJECT}"
    assert f"{live_server.url}{edit_path}" in links(approval)

    # Now the public sees it, with the approval line.
    response = public.goto(f"{live_server.url}{result.url}")
    assert response.status == 200
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert public.locator(".approval").inner_text() == (
        f"Freigegeben am {today} durch stellv. Vorsitz"
    )
    assert "Tablets kosten 12.000 €" in public.content()
    screenshots(public, "oeffentlich-freigegeben")


def mail_to(user):
    return next(message for message in mail.outbox if message.to == [user.email])


@pytest.mark.parametrize(
    ("ci", "outcome"), [("", pytest.skip.Exception), ("true", pytest.fail.Exception)]
)
def test_a_missing_browser_skips_locally_and_fails_in_ci(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="No Chromium"):
        browser_support.unavailable("No Chromium at /usr/bin/chromium")


@pytest.mark.browser
@browser_support.browser_db
def test_a_title_with_umlauts_gets_a_german_ascii_address(
    live_server, browser, people, result_index
):
    """„Einführung“ → einfuehrung, „Straße“ → strasse: addresses without percent-encoded
    umlauts, spelled as a German reader expects (workgroup/editorial/slugs.py)."""
    from playwright.sync_api import expect

    page = log_in(browser, live_server, people["editor"])
    page.goto(f"{live_server.url}/admin/pages/{result_index.pk}/add_subpage/")
    page.wait_for_url(re.compile(r".*/add/workgroup/resultpage/.*"))
    page.fill("#id_title", "Einführung der Bürger-App für Straßen und Öffnungszeiten")
    page.locator("#id_title").blur()

    # The admin fills the slug from the title after a short pause; expect() waits for it.
    slug = page.locator("#id_slug")
    expect(slug).to_have_value("einfuehrung-der-buerger-app-fuer-strassen-und-oeffnungszeiten")
    # Typed by hand on the tab that holds it, the same.
    page.get_by_role("tab", name="Veröffentlichung").click()
    slug.fill("Übersicht Maßnahmen")
    slug.blur()
    expect(slug).to_have_value("uebersicht-massnahmen")
    page.context.close()
