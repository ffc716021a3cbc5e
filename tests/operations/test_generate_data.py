"""generate_data: a synthetic data set through the real models and Wagtail's publishing, with
non-public content among it, only ever into a database without results or meetings."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model

from workgroup.models import AgendaItem, Consultation, MeetingPage, Member, ResultPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("generate_data", results=40, meetings=8, seed=3, verbosity=0)


def test_it_builds_the_requested_counts_published_through_revisions(generated):
    assert ResultPage.objects.count() == 40
    assert MeetingPage.objects.count() == 8
    live = ResultPage.objects.live()
    assert live.exists() and not live.filter(live_revision__isnull=True).exists()
    assert not live.filter(first_published_at__isnull=True).exists()
    assert Consultation.objects.filter(result__in=live).exists()
    assert Member.objects.filter(live=True).exists()


def test_it_holds_non_public_content_for_the_confidentiality_checks(generated):
    assert AgendaItem.objects.filter(is_public=False).exists()
    assert Consultation.objects.filter(is_public=False).exists()


def test_its_documents_carry_size_and_checksum_as_uploads_do(generated):
    documents = get_document_model().objects.all()
    assert documents.exists()
    assert not documents.filter(file_size__isnull=True).exists()
    assert not documents.filter(file_hash="").exists()


def test_it_refuses_a_database_that_already_has_results(generated):
    with pytest.raises(CommandError, match="leere Datenbank"):
        call_command("generate_data", results=1, meetings=1, verbosity=0)
