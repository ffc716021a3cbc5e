"""Input at and past its limits, through the admin's real forms as the Redaktion posts them:
every text field of the AG's snippets and pages, dates that are no dates or in the wrong order,
oversized documents and documents of the wrong kind. Past a limit the form comes back with a
German message and what was typed, and nothing is stored.

An end before the start is tested for members in test_member_rules.py (new member) and for
meetings in test_meeting_rules.py (new and edited meeting); here only what those leave out.
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Revision, UploadedFile
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests import moderation_support as support
from tests.editorial.test_meeting_rules import add_url as meeting_add_url
from tests.editorial.test_meeting_rules import meeting_form
from tests.factories import (
    CouncilBodyFactory,
    DocumentFactory,
    MeetingIndexPageFactory,
    MemberFactory,
)
from tests.moderation_support import login, member_form, member_url
from workgroup.models import (
    AgendaItem,
    Consultation,
    CouncilBody,
    Faction,
    Location,
    Member,
    ResultAttachment,
    ResultPage,
)

# The shared fixtures, visible to this module's tests.
roles, people, result_index = support.roles, support.people, support.result_index

pytestmark = pytest.mark.django_db

Document = get_document_model()


def too_long(limit):
    return f"höchstens {limit} Zeichen"


def stored_state():
    """What a refused form must leave as it was."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Member,
            Faction,
            CouncilBody,
            Location,
            Page,
            Revision,
            Consultation,
            ResultAttachment,
            AgendaItem,
            Document,
            UploadedFile,
        )
    }


# --- snippets: every text field of members, factions, bodies and places ------------------------

SNIPPET_FORMS = {
    Member: {
        "name": "Neue Person",
        "function_title": "",
        "role": Member.Role.GUEST,
        "faction": "",
        "principal": "",
        "guest_topic": "",
        "start_date": "01.01.2024",
        "end_date": "",
        "email": "",
    },
    Faction: {"name": "Fraktion Neu", "short_name": "FN", "is_active": "on"},
    CouncilBody: {"name": "Gremium Neu", "short_name": "GN", "sessions_public_by_default": "on"},
    Location: {
        "description": "Rathaus",
        "room": "",
        "street_address": "",
        "postal_code": "",
        "locality": "Plauen",
    },
}


def text_fields(model):
    """The model's free-text fields the editor fills in; choice fields offer no free text."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField)
        and not isinstance(field, models.EmailField)
        and not field.choices
        and field.name in SNIPPET_FORMS[model]
    ]


SNIPPET_FIELDS = [
    pytest.param(model, field.name, field.max_length, id=f"{model.__name__}.{field.name}")
    for model in SNIPPET_FORMS
    for field in text_fields(model)
]


def add_snippet(client, model, **values):
    url = reverse(f"wagtailsnippets_workgroup_{model._meta.model_name}:add")
    return client.post(url, {**SNIPPET_FORMS[model], **values})


def test_every_text_field_of_the_snippets_is_covered():
    covered = {(model, name) for model, name, _limit in (p.values for p in SNIPPET_FIELDS)}
    assert covered == {
        (Member, "name"),
        (Member, "function_title"),
        (Faction, "name"),
        (Faction, "short_name"),
        (CouncilBody, "name"),
        (CouncilBody, "short_name"),
        (Location, "description"),
        (Location, "room"),
        (Location, "street_address"),
        (Location, "postal_code"),
        (Location, "locality"),
    }


@pytest.mark.parametrize(("model", "field", "limit"), SNIPPET_FIELDS)
def test_a_snippet_field_at_its_limit_is_stored(client, people, model, field, limit):
    # Umlauts count as one character each, in the form and in the database.
    value = "ä" * limit
    login(client, people["editor"])

    response = add_snippet(client, model, **{field: value})

    assert response.status_code == 302
    assert model.objects.filter(**{field: value}).exists()


@pytest.mark.parametrize(("model", "field", "limit"), SNIPPET_FIELDS)
def test_a_snippet_field_past_its_limit_is_refused_in_german(client, people, model, field, limit):
    value = "ä" * (limit + 1)
    login(client, people["editor"])
    before = stored_state()

    response = add_snippet(client, model, **{field: value})

    assert response.status_code == 200
    content = response.content.decode()
    assert too_long(limit) in content
    assert value in content
    assert stored_state() == before


def address(length):
    """A valid e-mail address of exactly length characters (labels stay within 63)."""
    local = "a" * 64
    domain_label = "d" * (length - len(local) - len("@") - 63 - 1 - 63 - 1 - len(".de"))
    return f"{local}@{'b' * 63}.{'c' * 63}.{domain_label}.de"


def test_an_email_address_at_and_past_its_limit(client, people):
    login(client, people["editor"])
    assert len(address(254)) == 254

    assert add_snippet(client, Member, name="Lang", email=address(254)).status_code == 302
    before = stored_state()
    response = add_snippet(client, Member, name="Länger", email=address(255))

    assert response.status_code == 200
    assert too_long(254) in response.content.decode()
    assert stored_state() == before


def test_an_edit_past_a_limit_keeps_the_stored_member(client, people):
    member = support.live_member(people["author"], name="Petra Plauen")
    login(client, people["editor"])
    before = stored_state()

    response = client.post(
        member_url("edit", member.pk), member_form(member, function_title="x" * 201)
    )

    assert response.status_code == 200
    assert too_long(200) in response.content.decode()
    assert stored_state() == before
    assert support.fresh(member).get_latest_revision_as_object().function_title == ""


# --- pages: results and meetings with their inline rows -----------------------------------------


def result_add_url(index):
    return reverse("wagtailadmin_pages:add", args=["workgroup", "resultpage", index.pk])


def result_data(consultations=(), attachments=(), **fields):
    """A new result as the page editor posts „Entwurf speichern“."""
    return nested_form_data(
        {
            "title": "Digitale Ratsarbeit",
            "slug": "digitale-ratsarbeit",
            "kind": ResultPage.Kind.RECOMMENDATION,
            "reference": "AG-DIG/2024/0100",
            "result_date": "01.03.2024",
            "progress": ResultPage.Progress.IN_PREPARATION,
            "summary": "Die AG empfiehlt papierlose Sitzungen.",
            "easy_language_summary": "",
            "body": streamfield([]),
            "consultations": inline_formset(list(consultations)),
            "attachments": inline_formset(list(attachments)),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            **fields,
        }
    )


def consultation_row(body, **fields):
    return {
        "body": body.pk,
        "date": "13.04.2024",
        "is_public": "on",
        "role": Consultation.Role.PRELIMINARY,
        "agenda_item_number": "",
        "outcome": "",
        **fields,
    }


def agenda_row(**fields):
    return {"number": "TOP 1", "is_public": "on", "title": "Begrüßung", "decision": "", **fields}


def result_case(field):
    def build(index, value):
        if field == "agenda_item_number":
            body = CouncilBodyFactory()
            return result_add_url(index), result_data([consultation_row(body, **{field: value})])
        if field == "attachment title":
            row = {"document": DocumentFactory().pk, "title": value}
            return result_add_url(index), result_data(attachments=[row])
        return result_add_url(index), result_data(**{field: value})

    return build


def meeting_draft(**fields):
    """test_meeting_rules.py's meeting form, saved as a draft as the Redaktion saves it."""
    data = meeting_form(**fields)
    del data["action-publish"]
    return data


def meeting_case(field):
    def build(index, value):
        meetings = MeetingIndexPageFactory(parent=index.get_parent())
        url = meeting_add_url(meetings)
        if field.startswith("agenda item "):
            row = agenda_row(**{field.removeprefix("agenda item "): value})
            return url, meeting_draft(agenda_items=inline_formset([row]))
        return url, meeting_draft(**{field: value, "slug": "sitzung"})

    return build


PAGE_FIELDS = [
    pytest.param(result_case("title"), 255, "ä", id="ResultPage.title"),
    # Slugs are ASCII: an umlaut is spelled out (ä → ae) and would count twice.
    pytest.param(result_case("slug"), 255, "a", id="ResultPage.slug"),
    pytest.param(result_case("reference"), 50, "ä", id="ResultPage.reference"),
    pytest.param(result_case("summary"), 2000, "ä", id="ResultPage.summary"),
    pytest.param(result_case("seo_title"), 255, "ä", id="ResultPage.seo_title"),
    pytest.param(result_case("agenda_item_number"), 20, "ä", id="Consultation.agenda_item_number"),
    pytest.param(result_case("attachment title"), 200, "ä", id="ResultAttachment.title"),
    pytest.param(meeting_case("title"), 255, "ä", id="MeetingPage.title"),
    pytest.param(meeting_case("agenda item number"), 20, "ä", id="AgendaItem.number"),
    pytest.param(meeting_case("agenda item title"), 300, "ä", id="AgendaItem.title"),
]


@pytest.mark.parametrize(("build", "limit", "letter"), PAGE_FIELDS)
def test_a_page_field_at_its_limit_is_stored(client, people, result_index, build, limit, letter):
    # Umlauts count as characters, not bytes.
    login(client, people["editor"])
    url, data = build(result_index, letter * limit)
    pages = Page.objects.count()

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Page.objects.count() == pages + 1


@pytest.mark.parametrize(("build", "limit", "letter"), PAGE_FIELDS)
def test_a_page_field_past_its_limit_is_refused_in_german(
    client, people, result_index, build, limit, letter
):
    login(client, people["editor"])
    value = letter * (limit + 1)
    url, data = build(result_index, value)
    before = stored_state()

    response = client.post(url, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Die Seite konnte wegen Prüfungsfehlern nicht erstellt werden." in content
    assert too_long(limit) in content
    assert value in content
    assert stored_state() == before


def test_a_long_meeting_is_saved_however_many_fields_its_form_sends(client, people, result_index):
    """The editor's field count grows with the agenda, the attendance and the body; 200 agenda
    items pass Django's default limit of 1,000 fields."""
    meetings = MeetingIndexPageFactory(parent=result_index.get_parent())
    rows = [agenda_row(number=f"TOP {n}", title=f"Punkt {n}") for n in range(1, 201)]
    data = meeting_draft(agenda_items=inline_formset(rows))
    login(client, people["editor"])
    assert len(data) > 1000

    response = client.post(meeting_add_url(meetings), data)

    assert response.status_code == 302
    assert AgendaItem.objects.count() == 200


# --- dates that are no dates, and dates in the wrong order --------------------------------------


@pytest.mark.parametrize("typed", ["31.02.2024", "morgen", "2024-13-01", "01.01.99999"])
@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_a_member_date_that_is_no_date_is_refused_in_german(client, people, field, typed):
    login(client, people["editor"])
    before = stored_state()

    response = add_snippet(client, Member, name="Datum falsch", **{field: typed})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Bitte ein gültiges Datum eingeben." in content
    assert f'value="{typed}"' in content
    assert 'value="Datum falsch"' in content
    assert stored_state() == before


def test_an_edit_moving_a_members_end_before_the_start_keeps_the_stored_member(client, people):
    member = MemberFactory(start_date=datetime.date(2022, 6, 1), end_date=None)
    login(client, people["superuser"])
    before = stored_state()

    response = client.post(
        member_url("edit", member.pk),
        member_form(member, start_date="01.06.2022", end_date="31.05.2022"),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Das Ende der Mitgliedschaft darf nicht vor ihrem Beginn liegen." in content
    assert 'value="31.05.2022"' in content
    member.refresh_from_db()
    assert member.end_date is None
    assert stored_state() == before


@pytest.mark.parametrize("typed", ["31.02.2025 16:00", "10.03.2025 25:00", "nächsten Dienstag"])
def test_a_meeting_time_that_is_no_time_is_refused_in_german(client, people, result_index, typed):
    meetings = MeetingIndexPageFactory(parent=result_index.get_parent())
    login(client, people["editor"])
    before = stored_state()

    response = client.post(meeting_add_url(meetings), meeting_draft(start=typed))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Bitte ein gültiges Datum und Uhrzeit eingeben." in content
    assert f'value="{typed}"' in content
    assert stored_state() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"result_date": "30.02.2024"}, "Bitte ein gültiges Datum eingeben."),
        (
            {"go_live_at": "01.06.2031 08:00", "expire_at": "01.05.2031 08:00"},
            "Das Veröffentlichungsdatum muss vor dem Ablaufsdatum liegen",
        ),
        ({"expire_at": "01.01.2020 08:00"}, "Das Ablaufdatum muss in der Zukunft liegen."),
    ],
)
def test_result_dates_in_the_wrong_form_or_order_are_refused_in_german(
    client, people, result_index, fields, message
):
    login(client, people["editor"])
    before = stored_state()

    response = client.post(result_add_url(result_index), result_data(**fields))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    for typed in fields.values():
        assert f'value="{typed}"' in content
    assert stored_state() == before


def test_a_consultation_date_that_is_no_date_keeps_the_row(client, people, result_index):
    login(client, people["editor"])
    body = CouncilBodyFactory(name="Stadtrat")
    row = consultation_row(body, date="gestern", outcome="Vertagt auf die nächste Sitzung.")
    before = stored_state()

    response = client.post(result_add_url(result_index), result_data([row]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Bitte ein gültiges Datum eingeben." in content
    assert 'value="gestern"' in content
    assert "Vertagt auf die nächste Sitzung." in content
    assert stored_state() == before


def test_a_valid_result_with_rows_is_stored_as_typed(client, people, result_index):
    """The control case for this module's page forms."""
    login(client, people["editor"])
    body = CouncilBodyFactory(name="Stadtrat")
    data = result_data(
        [consultation_row(body, agenda_item_number="TOP 4")],
        [{"document": DocumentFactory().pk, "title": "Konzept"}],
        body=streamfield([("paragraph", rich_text("<p>Ein Absatz.</p>"))]),
        go_live_at=(timezone.localtime() + datetime.timedelta(days=7)).strftime("%d.%m.%Y %H:%M"),
    )

    response = client.post(result_add_url(result_index), data)

    assert response.status_code == 302
    page = ResultPage.objects.get(slug="digitale-ratsarbeit").get_latest_revision_as_object()
    assert [c.agenda_item_number for c in page.consultations.all()] == ["TOP 4"]
    assert [a.title for a in page.attachments.all()] == ["Konzept"]


# --- documents: size and kind -------------------------------------------------------------------


def upload(name, size=None, data=None):
    content = data if data is not None else b"%PDF-1.4\n" + b"0" * (size - len(b"%PDF-1.4\n"))
    return SimpleUploadedFile(name, content)


def add_document(client, file, title="Niederschrift"):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": file, "collection": root_collection_pk(), "tags": ""},
    )


def root_collection_pk():
    return Collection.get_first_root_node().pk


def add_documents(client, file):
    """The multiple upload, as the admin's "Dokument hinzufügen" sends each file."""
    return client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": file, "collection": root_collection_pk()},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )


MAX_SIZE = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE


def test_the_document_limit_is_configured():
    assert MAX_SIZE == 20 * 1024 * 1024
    assert set(settings.WAGTAILDOCS_EXTENSIONS) == {
        "pdf",
        "odt",
        "ods",
        "docx",
        "xlsx",
        "pptx",
        "csv",
        "txt",
    }


def test_a_document_at_the_limit_is_stored(client, people):
    login(client, people["editor"])

    response = add_document(client, upload("niederschrift.pdf", MAX_SIZE))

    assert response.status_code == 302
    assert Document.objects.get().file_size == MAX_SIZE


@pytest.mark.parametrize("view", ["single", "multiple"])
def test_an_oversized_document_is_refused_in_german_and_stores_nothing(client, people, view):
    login(client, people["editor"])
    before = stored_state()
    file = upload("niederschrift.pdf", MAX_SIZE + 1)

    if view == "single":
        response = add_document(client, file, title="Zu groß")
        assert response.status_code == 200
        message = response.content.decode()
        assert 'value="Zu groß"' in message
    else:
        response = add_documents(client, file)
        assert response.status_code == 200
        assert response.json()["success"] is False
        message = response.json()["error_message"]
    assert "Die Datei ist zu groß (20,0\xa0MB). Maximale Dateigröße 20,0\xa0MB." in message
    assert stored_state() == before


WRONG_KINDS = ["programm.exe", "seite.html", "bild.svg", "makro.docm", "archiv.zip", "ohne-endung"]


@pytest.mark.parametrize("name", WRONG_KINDS)
@pytest.mark.parametrize("view", ["single", "multiple"])
def test_a_document_of_the_wrong_kind_is_refused_in_german(client, people, view, name):
    login(client, people["editor"])
    before = stored_state()
    file = upload(name, data=b"MZ nicht, was es vorgibt")

    if view == "single":
        response = add_document(client, file)
        assert response.status_code == 200
        message = response.content.decode()
    else:
        response = add_documents(client, file)
        assert response.json()["success"] is False
        message = response.json()["error_message"]
    assert "ist nicht erlaubt. Erlaubte Dateiendungen sind:" in message
    assert stored_state() == before


@pytest.mark.parametrize("name", ["protokoll.PDF", "tabelle.ods", "daten.csv", "liste.xlsx"])
def test_the_kinds_a_council_publishes_are_accepted(client, people, name):
    login(client, people["editor"])

    response = add_documents(client, upload(name, data=b"Inhalt"))

    assert response.json()["success"] is True
    assert Document.objects.get().filename == name
