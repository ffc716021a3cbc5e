"""A backup restored into an empty database gives back every page, revision, snippet,
workflow state and document, on SQLite (dumpdata) and PostgreSQL (pg_dump)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from operations.backup import restore_backup, write_backup
from tests.factories import (
    ConsultationFactory,
    DocumentFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MemberFactory,
    ResultAttachmentFactory,
    ResultIndexPageFactory,
    ResultPageFactory,
    UserFactory,
)

COMPARED_APPS = {"wagtailcore", "wagtaildocs", "workgroup", "home", "auth", "contenttypes"}


def snapshot():
    """Every row of the compared apps, ids included: a restore keeps them."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in COMPARED_APPS and not model._meta.proxy:
            rows = model._base_manager.order_by("pk")
            state[model._meta.label] = serializers.serialize("json", rows)
    return state


@pytest.fixture
def content(site_root):
    editor = UserFactory(groups=["Redaktion"])
    result_index = ResultIndexPageFactory(parent=site_root)
    result = ResultPageFactory(parent=result_index, title="Glasfaser für Schulen")
    ConsultationFactory(result=result, outcome="Zugestimmt")
    ResultAttachmentFactory(result=result)
    result.save_revision(user=editor).publish()
    result.title = "Glasfaser für alle Schulen"
    result.save_revision(user=editor)  # a pending draft on top of the live version
    meetings = MeetingIndexPageFactory(parent=site_root)
    meeting = MeetingPageFactory(parent=meetings, invitation=DocumentFactory())
    meeting.save_revision(user=editor).publish()
    member = MemberFactory(name="Erika Beispiel")
    member.save_revision(user=editor).publish()
    workflow = Workflow.objects.create(name="Freigabe für den Test")
    task = GroupApprovalTask.objects.create(name="Koordination prüft")
    task.groups.add(Group.objects.get_or_create(name="Koordination")[0])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(result, editor)
    return result


# The restore replaces content types with the backup's ids. Serialized rollback ends the test
# with a flush that recreates nothing, so that the next live-server test gets back the rows it
# expects rather than content types with new ids.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_round_trip_restores_everything(content, tmp_path):
    before = snapshot()
    media_before = {
        name: default_storage.open(name).read() for name in _media_names(default_storage)
    }
    assert media_before, "the fixture must create media files"
    assert (
        "wagtailcore.WorkflowState" in before
        and '"in_progress"' in before["wagtailcore.WorkflowState"]
    )

    archive = tmp_path / "sicherung.tar.gz"
    write_backup(archive)

    call_command("flush", interactive=False, verbosity=0)
    for name in media_before:
        default_storage.delete(name)

    restore_backup(archive)

    assert snapshot() == before
    assert {name: default_storage.open(name).read() for name in media_before} == media_before
    # The restore left Django's content type cache empty. The next live-server test's serialized
    # rollback builds approval tasks, whose __init__ asks for their content type, before it has
    # loaded the content types: with a cold cache that lookup would create rows under new ids.
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.mark.django_db
def test_restore_refuses_a_database_with_content(content, tmp_path):
    archive = tmp_path / "sicherung.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    with pytest.raises(CommandError, match="bereits Inhalte"):
        call_command("restore", str(archive))


def _media_names(storage, path=""):
    directories, files = storage.listdir(path)
    names = [f"{path}/{name}" if path else name for name in files]
    for directory in directories:
        names += _media_names(storage, f"{path}/{directory}" if path else directory)
    return names
