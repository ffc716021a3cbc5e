"""Who reaches which admin view, CSRF on every form, private documents, and error pages that
give nothing away under production settings.

The admin sweeps walk Django's own URL resolver, so a view that a Wagtail upgrade or a new app
adds is checked without anyone listing it here.
"""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Revision,
    Site,
    Task,
    TaskState,
    Workflow,
)

from tests import moderation_support as support
from tests.factories import (
    CouncilBodyFactory,
    DocumentFactory,
    LocationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    UserFactory,
)
from tests.moderation_support import (
    draft_result,
    fresh,
    live_member,
    login,
    member_form,
    member_url,
    result_form,
    submit,
    workflow_action_url,
)
from tests.operations.test_operations import PRODUCTION_ENV
from tests.scenarios import restricted_collection, store_documents_on_disk
from workgroup.editorial.groups import EDITORS_GROUP, MEMBERS_GROUP
from workgroup.models import CouncilBody, Location

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index

pytestmark = pytest.mark.django_db

# Regular expressions whose groups a generic substitution cannot fill.
REGEX_SAMPLES = {r"^(\d+)/(.*)$": "1/x", r"^((?:[\w\-]+/)*)$": ""}


def _sample(pattern):
    """A path segment that pattern matches, with 1 for every parameter."""
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?\w+>", "1", text)
    if text in REGEX_SAMPLES:
        return REGEX_SAMPLES[text]
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
    return text.replace(".*", "x").replace("\\", "").lstrip("^").rstrip("$")


def every_url():
    """One concrete URL for each URL pattern of the project, with the view it reaches."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            url = prefix + _sample(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, url)
            else:
                found.append((url, pattern.callback))

    walk(get_resolver().url_patterns, "/")
    return found


def admin_urls():
    # Wagtail's logout drops the session cookie even on a GET it refuses, which would end the
    # sweep's login; it is reachable by design and has nothing to protect.
    return [url for url, _view in every_url() if url.startswith("/admin/") and "logout" not in url]


# What an anonymous visitor may open in the admin: the way in, and what that page loads.
ADMIN_OPEN_TO_EVERYONE = {
    "/admin/login/",
    "/admin/password_reset/",
    "/admin/password_reset/done/",
    "/admin/password_reset/confirm/1/1/",
    "/admin/password_reset/complete/",
    "/admin/jsi18n/",
    "/admin/sprite/",
}


def test_the_sweep_reaches_every_admin_view():
    urls = every_url()
    for url, view in urls:
        assert resolve(url).func is view, url
    # Wagtail's admin has some 270 views; far fewer means the walk missed a part.
    assert len(admin_urls()) > 250


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_no_admin_view_serves_anyone_without_admin_access(client, people, role):
    """Anonymous visitors and AG members (who read on the site but have no admin access) are
    sent to the login from every admin URL, with GET and with POST."""
    login(client, people[role])
    let_through = {}
    for url in admin_urls():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            to_login = response.status_code == 302 and response["Location"].startswith(
                "/admin/login/"
            )
            refused = response.status_code in (403, 404, 405)
            if not (to_login or refused or url in ADMIN_OPEN_TO_EVERYONE):
                let_through[f"{method} {url}"] = response.status_code
    assert let_through == {}


# The administration of the system itself: accounts, groups and their rights, the approval
# workflow, sites, collections and their privacy, redirects, locales and site settings.
MANAGEMENT = ("users/", "groups/", "workflows/", "sites/", "collections/", "redirects/")
MANAGEMENT += ("locales/", "settings/")
# The workflow's task chooser lists the tasks' names for the page editor's workflow panel; its
# create tab needs the permission to add tasks (400 without).
MANAGEMENT_SHARED = ("/admin/workflows/task_chooser/",)


def management_urls():
    return [
        url
        for url in admin_urls()
        if url.removeprefix("/admin/").startswith(MANAGEMENT)
        and not url.startswith(MANAGEMENT_SHARED)
    ]


def rights_snapshot():
    """Everything a management view could change, as comparable values."""
    user_model = get_user_model()
    return {
        "users": list(
            user_model.objects.order_by("pk").values_list(
                "pk", "username", "is_superuser", "is_staff", "is_active", "password"
            )
        ),
        "memberships": sorted(user_model.groups.through.objects.values_list("user_id", "group_id")),
        "user_permissions": sorted(
            user_model.user_permissions.through.objects.values_list("user_id", "permission_id")
        ),
        "groups": list(Group.objects.order_by("pk").values_list("pk", "name")),
        "group_permissions": sorted(
            Group.permissions.through.objects.values_list("group_id", "permission_id")
        ),
        "page_permissions": sorted(
            GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")
        ),
        "collection_permissions": sorted(
            GroupCollectionPermission.objects.values_list(
                "group_id", "collection_id", "permission_id"
            )
        ),
        "workflows": list(Workflow.objects.order_by("pk").values_list("pk", "name", "active")),
        "tasks": list(Task.objects.order_by("pk").values_list("pk", "name", "active")),
        "sites": list(
            Site.objects.order_by("pk").values_list("pk", "hostname", "root_page_id", "port")
        ),
        "collections": list(Collection.objects.order_by("pk").values_list("pk", "name", "path")),
    }


@pytest.mark.parametrize("role", ["editor", "coordinator"])
def test_editors_and_approvers_cannot_manage_users_groups_workflows_or_sites(client, people, role):
    login(client, people[role])
    before = rights_snapshot()
    let_through = {}
    for url in management_urls():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # Wagtail answers a missing permission with a redirect to the dashboard.
            refused = response.status_code in (403, 404, 405) or (
                response.status_code == 302 and response["Location"] == "/admin/"
            )
            if not refused:
                let_through[f"{method} {url}"] = response.status_code
    assert let_through == {}
    assert len(management_urls()) > 50
    assert rights_snapshot() == before


def test_an_editor_cannot_make_herself_a_superuser_or_widen_her_group(client, people):
    editor = people["editor"]
    editors = Group.objects.get(name=EDITORS_GROUP)
    login(client, editor)
    before = rights_snapshot()

    client.post(
        f"/admin/users/edit/{editor.pk}/",
        {
            "username": editor.username,
            "email": editor.email,
            "first_name": editor.first_name,
            "last_name": editor.last_name,
            "is_active": "on",
            "is_superuser": "on",
            "groups": [editors.pk],
        },
    )
    client.post(
        f"/admin/groups/edit/{editors.pk}/",
        {
            "name": EDITORS_GROUP,
            "permissions": list(Permission.objects.values_list("pk", flat=True)),
        },
    )
    client.post(
        "/admin/users/new/",
        {
            "username": "hintertuer",
            "email": "hintertuer@example.org",
            "first_name": "Hinter",
            "last_name": "Tür",
            "password1": "ein-langes-Passwort-123",
            "password2": "ein-langes-Passwort-123",
            "is_superuser": "on",
        },
    )

    assert rights_snapshot() == before
    # The own account page offers nothing that widens the account's rights.
    content = client.get("/admin/account/").content.decode()
    assert "is_superuser" not in content
    assert 'name="groups"' not in content


@pytest.mark.parametrize("model", [CouncilBody, Location])
def test_editors_change_bodies_and_places_only_as_drafts_and_never_delete(client, people, model):
    """An edit waits for the Koordination's approval (editorial/roles.py); the row, which the
    public sees, stays as approved."""
    existing = CouncilBodyFactory(name="Stadtrat") if model is CouncilBody else LocationFactory()
    login(client, people["editor"])
    name = model._meta.model_name
    edit = f"/admin/snippets/workgroup/{name}/edit/{existing.pk}/"
    delete = f"/admin/snippets/workgroup/{name}/delete/{existing.pk}/"
    before = list(model.objects.values())

    assert client.get(edit).status_code == 200
    response = client.get(delete)
    assert response.status_code == 302 and response["Location"] == "/admin/", delete
    client.post(edit, {"name": "Umbenannt", "description": "Umbenannt", "locality": "Plauen"})
    client.post(delete)

    after = model.objects.get(pk=existing.pk)
    assert after.live
    field = "name" if model is CouncilBody else "description"
    assert getattr(after.get_latest_revision_as_object(), field) == "Umbenannt"
    unchanged = [
        {key: value for key, value in row.items() if key not in BOOKKEEPING} for row in before
    ]
    assert [
        {key: value for key, value in row.items() if key not in BOOKKEEPING}
        for row in model.objects.values()
    ] == unchanged
    assert client.get(f"/admin/snippets/workgroup/{name}/add/").status_code == 200


# What saving a draft revision records on the row, beside the approved content.
BOOKKEEPING = {"latest_revision_id", "has_unpublished_changes", "updated_at"}


# --- CSRF ---------------------------------------------------------------------------------------


def csrf_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def csrf_token(client, url):
    """The token the form at url carries, as the browser sends it back."""
    client.get(url)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_every_view_refuses_a_post_without_csrf_token(people, site_root):
    """No view is exempt: a POST without token never reaches a view, as superuser either."""
    client = csrf_client(people["superuser"])
    let_through = {}
    for url, _view in every_url():
        response = client.post(url, {"title": "Fremd", "username": "admin"})
        if response.status_code != 403:
            let_through[url] = response.status_code
    assert let_through == {}
    assert len(every_url()) > 280


def test_admin_login_needs_the_csrf_token(people):
    client = csrf_client()
    credentials = {"username": "admin", "password": "geheim-123"}

    response = client.post("/admin/login/", credentials)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session

    token = csrf_token(client, "/admin/login/")
    response = client.post("/admin/login/", {**credentials, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(people["superuser"].pk)


def test_page_edit_needs_the_csrf_token(people, result_index):
    page = draft_result(result_index, people["author"])
    client = csrf_client(people["editor"])
    url = f"/admin/pages/{page.pk}/edit/"
    revisions = Revision.objects.count()

    assert client.post(url, result_form(page, title="Untergeschoben")).status_code == 403
    assert Revision.objects.count() == revisions

    data = result_form(page, title="Von der Redaktion")
    data["csrfmiddlewaretoken"] = csrf_token(client, url)
    assert client.post(url, data).status_code == 302
    assert fresh(page).get_latest_revision_as_object().title == "Von der Redaktion"


def test_snippet_edit_needs_the_csrf_token(people):
    member = live_member(people["author"])
    client = csrf_client(people["editor"])
    url = member_url("edit", member.pk)
    revisions = Revision.objects.count()

    assert client.post(url, member_form(member, function_title="Untergeschoben")).status_code == 403
    assert Revision.objects.count() == revisions

    data = member_form(member, function_title="Schriftführung")
    data["csrfmiddlewaretoken"] = csrf_token(client, url)
    assert client.post(url, data).status_code == 302
    assert fresh(member).get_latest_revision_as_object().function_title == "Schriftführung"


def test_workflow_action_needs_the_csrf_token(people, result_index):
    page = draft_result(result_index, people["author"])
    submit(page, people["author"])
    client = csrf_client(people["coordinator"])
    url = workflow_action_url(page, "approve")

    assert client.post(url, {"comment": ""}).status_code == 403
    page.refresh_from_db()
    assert not page.live
    assert TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).count() == 1

    token = csrf_token(client, "/admin/")
    assert client.post(url, {"comment": "", "csrfmiddlewaretoken": token}).status_code == 302
    page.refresh_from_db()
    assert page.live


def test_public_search_works_without_token(site_root):
    response = csrf_client().get("/suche/", {"q": "Digitalisierung"})
    assert response.status_code == 200


# --- private documents --------------------------------------------------------------------------
# Anonymous visitors are sent to the login: test_confidentiality_crawl.py, for the site and
# OParl test_oparl_confidentiality.py.


@pytest.fixture
def private_document(settings, tmp_path, roles, site_root):
    """The minutes of a live, non-public meeting, filed in the members' collection."""
    store_documents_on_disk(settings, tmp_path)
    document = DocumentFactory(
        title="Niederschrift nicht öffentlich",
        collection=restricted_collection(),
        file__filename="niederschrift.pdf",
        file__data=b"%PDF-1.4 VERTRAULICHER-INHALT",
    )
    meetings = MeetingIndexPageFactory(parent=site_root)
    MeetingPageFactory(parent=meetings, is_public=False, minutes=document)
    return document


def downloaded(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("who", ["logged-in outsider", "editor without the AG group"])
def test_a_private_document_is_refused_to_the_wrong_account(client, private_document, who):
    user = UserFactory(groups=[] if who == "logged-in outsider" else [EDITORS_GROUP])
    client.force_login(user)

    response = client.get(private_document.url)

    if who == "logged-in outsider":
        # Not an AG reader: the policy refuses with a German reason.
        assert response.status_code == 403
        assert "nicht öffentlich" in response.content.decode()
    else:
        # Editors may check every document, but the collection's own restriction (AG members
        # only) applies on top, as Wagtail decides it.
        assert response.status_code == 302
        assert response["Location"].startswith("/_util/login/?next=")
    assert b"VERTRAULICHER-INHALT" not in downloaded(response)


def test_a_private_document_is_for_members(client, private_document):
    client.force_login(UserFactory(groups=[MEMBERS_GROUP]))

    response = client.get(private_document.url)

    assert response.status_code == 200
    assert b"VERTRAULICHER-INHALT" in downloaded(response)


def test_a_document_url_with_another_file_name_is_a_404(client, private_document):
    client.force_login(UserFactory(groups=[MEMBERS_GROUP]))
    url = private_document.url.replace("niederschrift", "andere")

    assert client.get(url).status_code == 404


# --- error pages under production settings ------------------------------------------------------

ERROR_PAGE_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.contrib.auth import get_user_model

    from django.test.utils import override_settings

    # collectstatic's manifest is a deployment step; without it every page fails on its
    # stylesheet link, which is not what this script looks at.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    call_command("migrate", verbosity=0, interactive=False)
    host = settings.ALLOWED_HOSTS[0]
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    anonymous = Client(raise_request_exception=False, HTTP_HOST=host)
    logged_in = Client(raise_request_exception=False, HTTP_HOST=host)
    logged_in.force_login(admin)
    csrf = Client(raise_request_exception=False, enforce_csrf_checks=True, HTTP_HOST=host)
    responses = {
        "404": anonymous.get("/gibt-es-nicht/", secure=True),
        "404 in the documents": anonymous.get("/dokumente/4711/geheim.pdf", secure=True),
        "500": logged_in.get("/admin/failwhale/", secure=True),
        "400 unknown host": Client(HTTP_HOST="angreifer.example").get("/", secure=True),
        "403 csrf": csrf.post("/admin/login/", {"username": "admin"}, secure=True),
        "405": anonymous.post("/suche/", secure=True),
    }
    json.dump(
        {
            name: {
                "status": response.status_code,
                "content_type": response.get("Content-Type", ""),
                "body": response.content.decode(),
            }
            for name, response in responses.items()
        },
        sys.stdout,
    )
    print()
    """
)
EXPECTED_STATUS = {
    "404": 404,
    "404 in the documents": 404,
    "500": 500,
    "400 unknown host": 400,
    "403 csrf": 403,
    "405": 405,
}


@pytest.fixture(scope="module")
def production_error_pages(tmp_path_factory):
    database = tmp_path_factory.mktemp("production") / "db.sqlite3"
    env = {
        **{key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV},
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", ERROR_PAGE_SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # The last line is the script's; JSON log lines may come before it.
    return json.loads(result.stdout.strip().splitlines()[-1])


# What Django's debug pages and tracebacks contain, and this deployment's secrets and paths.
GIVEAWAYS = [
    "Traceback",
    "emergency broadcast",
    'File "',
    "DJANGO_SETTINGS_MODULE",
    "config.settings",
    "SECRET_KEY",
    PRODUCTION_ENV["SECRET_KEY"],
    "DATABASE_URL",
    "sqlite",
    str(settings.BASE_DIR),
    "site-packages",
    "Request Method:",
    "Django Version",
    "You're seeing this error because you have",
]


@pytest.mark.parametrize("case", sorted(EXPECTED_STATUS))
def test_error_pages_under_production_settings_give_nothing_away(production_error_pages, case):
    page = production_error_pages[case]

    assert page["status"] == EXPECTED_STATUS[case]
    leaks = [text for text in GIVEAWAYS if text.lower() in page["body"].lower()]
    assert leaks == []


@pytest.mark.parametrize(
    ("case", "heading"),
    [
        ("404", "Seite nicht gefunden"),
        ("404 in the documents", "Seite nicht gefunden"),
        ("500", "Ein Fehler ist aufgetreten"),
        ("400 unknown host", "Ungültige Anfrage"),
        ("403 csrf", "Das Formular konnte nicht gesendet werden"),
    ],
)
def test_error_pages_under_production_settings_are_the_german_pages(
    production_error_pages, case, heading
):
    body = production_error_pages[case]["body"]
    assert '<html lang="de">' in body
    assert f"<h1>{heading}</h1>" in body
