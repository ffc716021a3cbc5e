"""The e-mails of the approval path: German, to the right people, with links that work."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

from tests import moderation_support as support
from tests.moderation_support import (
    act,
    draft_result,
    edit_member,
    edit_page,
    fresh,
    live_member,
    login,
    member_url,
)
from workgroup.editorial import notifications

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index

BASE_URL = "http://testserver"


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_submission_goes_to_both_approvers_with_a_link_to_review(client, people, result_index):
    page = draft_result(result_index, people["editor"], title="Digitale Sitzungsunterlagen")
    login(client, people["editor"])
    edit_page(client, page, action="submit")

    assert recipients() == sorted([people["coordinator"].email, people["vice_chair"].email])
    message = mail.outbox[0]
    assert message.subject == "Zur Freigabe: Ergebnis „Digitale Sitzungsunterlagen“"
    assert "Test Person" in message.body  # the submitter's name
    assert f"{BASE_URL}{reverse('wagtailadmin_pages:edit', args=[page.pk])}" in message.body
    assert f"{BASE_URL}{reverse('wagtailadmin_home')}" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_a_coordinators_submission_goes_to_the_other_approver_only(client, people, result_index):
    page = draft_result(result_index, people["coordinator"])
    login(client, people["coordinator"])
    edit_page(client, page, action="submit")
    assert recipients() == [people["vice_chair"].email]


def test_an_approver_who_wrote_the_text_is_not_asked_to_approve_it(client, people, result_index):
    """Four eyes on authorship: the coordinator wrote the draft, the editor submits it; only the
    vice chair may approve, so only the vice chair is asked."""
    page = draft_result(result_index, people["coordinator"])
    login(client, people["editor"])
    edit_page(client, page, action="submit")
    assert recipients() == [people["vice_chair"].email]


def test_rejection_tells_the_editor_what_to_change(client, people, result_index):
    page = draft_result(result_index, people["editor"], title="Breitbandausbau")
    login(client, people["editor"])
    edit_page(client, page, action="submit")
    mail.outbox.clear()

    login(client, people["coordinator"])
    act(client, page, "reject", comment="Bitte die Kostenschätzung ergänzen.")

    assert recipients() == [people["editor"].email]
    message = mail.outbox[0]
    assert message.subject == "Änderungen erbeten: Ergebnis „Breitbandausbau“"
    assert "Kai Koordinator bittet um Änderungen" in message.body
    assert "Bitte die Kostenschätzung ergänzen." in message.body
    assert f"{BASE_URL}{reverse('wagtailadmin_pages:edit', args=[page.pk])}" in message.body


def test_withdrawing_ones_own_submission_sends_oneself_nothing(client, people, result_index):
    """A coordinator may not approve their own submission but may ask for changes to it."""
    page = draft_result(result_index, people["coordinator"])
    login(client, people["coordinator"])
    edit_page(client, page, action="submit")
    mail.outbox.clear()
    act(client, page, "reject", comment="Zurückgezogen, ich überarbeite das noch.")
    assert fresh(page).current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert mail.outbox == []


def test_resubmission_is_marked_as_such(client, people, result_index):
    page = draft_result(result_index, people["editor"], title="Breitbandausbau")
    login(client, people["editor"])
    edit_page(client, page, action="submit")
    login(client, people["coordinator"])
    act(client, page, "reject", comment="Bitte ergänzen.")
    mail.outbox.clear()

    login(client, people["editor"])
    edit_page(client, page, action="submit", summary="Ergänzt.")
    assert recipients() == sorted([people["coordinator"].email, people["vice_chair"].email])
    assert mail.outbox[0].subject == "Erneut zur Freigabe: Ergebnis „Breitbandausbau“"


def test_approval_tells_the_editor_with_the_comment_and_the_public_link(
    client, people, result_index
):
    page = draft_result(result_index, people["editor"], title="Open Data", slug="open-data")
    login(client, people["editor"])
    edit_page(client, page, action="submit")
    mail.outbox.clear()

    login(client, people["vice_chair"])
    act(client, page, "approve", comment="Gut, bitte im Ausschuss ansprechen.")

    assert recipients() == [people["editor"].email]
    message = mail.outbox[0]
    assert message.subject == "Freigegeben: Ergebnis „Open Data“"
    assert "Iris Leitung hat freigegeben" in message.body
    assert "Gut, bitte im Ausschuss ansprechen." in message.body
    assert (
        "Der Inhalt ist jetzt öffentlich:\nhttp://testserver/ergebnisse/open-data/" in message.body
    )


def test_approval_without_comment_says_so_plainly(client, people, result_index):
    page = draft_result(result_index, people["editor"])
    login(client, people["editor"])
    edit_page(client, page, action="submit")
    mail.outbox.clear()
    login(client, people["coordinator"])
    act(client, page, "approve")
    assert "Kommentar" not in mail.outbox[0].body


def test_member_changes_are_announced_with_snippet_links(client, people):
    member = live_member(people["editor"], name="Erika Muster")
    login(client, people["editor"])
    edit_member(client, member, action="submit", function_title="Stadträtin")
    edit_url = f"{BASE_URL}{member_url('edit', member.pk)}"
    assert mail.outbox[0].subject == "Zur Freigabe: Mitglied „Erika Muster“"
    assert edit_url in mail.outbox[0].body
    mail.outbox.clear()

    login(client, people["coordinator"])
    act(client, member, "approve", comment="Einverstanden.")
    assert recipients() == [people["editor"].email]
    assert mail.outbox[0].subject == "Freigegeben: Mitglied „Erika Muster“"
    assert "Einverstanden." in mail.outbox[0].body
    assert "Der Inhalt ist jetzt veröffentlicht." in mail.outbox[0].body


def test_notification_settings_are_honoured(client, people, result_index):
    profile = UserProfile.get_for_user(people["vice_chair"])
    profile.submitted_notifications = False
    profile.save()
    page = draft_result(result_index, people["editor"])
    login(client, people["editor"])
    edit_page(client, page, action="submit")
    assert recipients() == [people["coordinator"].email]


def test_wagtails_own_workflow_mails_are_replaced_not_doubled():
    """Each event has exactly one e-mail receiver, the AG's subclass of Wagtail's notifier, and
    start-up refuses to run should Wagtail's notifier not be there to replace (app order)."""
    from wagtail.admin import signal_handlers as wagtail_receivers

    for signal, sender, _uid, notifier in notifications.REPLACEMENTS:
        receivers = signal._live_receivers(sender)[0]
        assert notifier in receivers
        assert not {
            wagtail_receivers.task_submission_email_notifier,
            wagtail_receivers.workflow_approval_email_notifier,
            wagtail_receivers.workflow_rejection_email_notifier,
        } & set(receivers)
    with pytest.raises(ImproperlyConfigured):
        notifications.replace_wagtail_notifiers()
