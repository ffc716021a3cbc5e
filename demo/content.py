"""The demo site, built from the AG's founding paper (Informationsvorlage vom 01.04.2022).

Everything is looked up by a natural key first (slug under its parent, name, reference,
username) and created only when missing, so that a second build changes nothing. The seed's
own facts are reproduced as they are; everything the seed does not say is marked as an example
("Beispiel") in the text a reader sees.
"""

import datetime
import hashlib
import textwrap
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page

from demo.building import add_draft_page, local_datetime, publish, serve_at_default_site
from demo.models import DemoObject
from home.models import HomePage, StandardPage
from workgroup.editorial.roles import (
    CONFIDENTIAL_READER_GROUPS,
    COORDINATION_GROUP,
    EDITORS_GROUP,
    MEMBERS_GROUP,
    ensure_roles,
)
from workgroup.models import (
    AgendaItem,
    Attendance,
    Consultation,
    CouncilBody,
    Faction,
    Location,
    MeetingIndexPage,
    MeetingPage,
    Member,
    MembersPage,
    ReportIndexPage,
    ReportPage,
    ResultAttachment,
    ResultIndexPage,
    ResultPage,
    TopicAreaIndexPage,
    TopicAreaPage,
)

# Stand-in for a person's name: the demo invents no personal details.
PLACEHOLDER_NAME = "N. N."
CITY_ADDRESS = ("Unterer Graben 1", "08523", "Plauen")
TUESDAY = 1


# --- StreamField values, in the raw form a StreamField accepts ---------------------------------


def paragraph(html):
    return {"type": "paragraph", "value": html}


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def quote(text, attribution):
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


DEMO_NOTE = paragraph(
    "<p><i>Hinweis: Dieser Text ist ein Beispiel der Demo-Installation. Die Stadt Plauen prüft "
    "und ergänzt ihn vor der Veröffentlichung.</i></p>"
)


# --- Home page and sections --------------------------------------------------------------------

HOME = {
    "title": "Arbeitsgruppe Digitalisierung",
    "slug": "ag-digitalisierung",
    "intro": (
        "Die Arbeitsgruppe Digitalisierung bündelt die Digitalisierungsvorhaben der Stadt "
        "Plauen: Verwaltung und Stadtratsfraktionen erarbeiten hier gemeinsam Strategien und "
        "Entscheidungsvorlagen."
    ),
    "body": [
        heading("Wer wir sind"),
        paragraph(
            "<p>Der Stadtrat der Stadt Plauen hat am 03.05.2022 die Gründung der Arbeitsgruppe "
            "Digitalisierung zur Kenntnis genommen. Grundlage war der Antrag 222-21 der Fraktion "
            "SPD/Grüne/Initiative, der eine Arbeitsgruppe für den Bereich der Schulen gefordert "
            "hatte. Darüber hinaus befasst sich die Arbeitsgruppe ganzheitlich mit dem Thema "
            "Digitalisierung; so werden Ressourcen und Vorgänge gebündelt.</p>"
        ),
        paragraph(
            "<p>Den Vorsitz hat der Koordinator Digitalisierung, stellvertretender Vorsitzender "
            "ist der Fachgebietsleiter IT. Ständige Mitglieder sind außerdem je eine Mitarbeiterin "
            "oder ein Mitarbeiter des Fachgebiets Personal/Organisation und des Controllings sowie "
            "je eine Vertreterin oder ein Vertreter jeder Fraktion – das kann auch eine "
            "sachkundige Einwohnerin oder ein sachkundiger Einwohner sein. Zu einzelnen Themen "
            "lädt die Arbeitsgruppe weitere Gäste ein.</p>"
        ),
        heading("Was wir tun"),
        paragraph(
            "<ul><li>Ausgestaltung der Digitalstrategie für die Stadt Plauen: Onlinezugangsgesetz, "
            "DigitalPakt Schulen, eGovernment, Smart City und sonstige IT-Themen der "
            "Verwaltung</li><li>Vorbereitung von Vorlagen zum Thema Digitalisierung für die "
            "beschließenden Gremien</li></ul>"
            "<p>Über ihre Ergebnisse informiert die Arbeitsgruppe zweimal jährlich den "
            "Verwaltungsausschuss.</p>"
        ),
        quote(
            "Der digitale Wandel stellt eine der größten Herausforderungen unserer Zeit dar, "
            "bietet aber auch viele Möglichkeiten.",
            "Informationsvorlage zur Gründung der Arbeitsgruppe, 01.04.2022",
        ),
    ],
}


@dataclass(frozen=True)
class SectionSpec:
    model: type
    slug: str
    title: str
    intro: str
    in_menu: bool = True
    body: tuple = ()


def accessibility_statement(created_on):
    return (
        heading("Stand der Vereinbarkeit mit den Anforderungen"),
        paragraph(
            "<p>Diese Website ist wegen der unten aufgeführten Ausnahmen teilweise mit den "
            "Anforderungen der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der "
            "harmonisierten Norm EN 301 549 vereinbar.</p>"
        ),
        heading("Nicht barrierefreie Inhalte"),
        paragraph(
            "<p>Die folgenden Inhalte sind nicht oder nicht vollständig barrierefrei:</p><ul>"
            "<li>Einige PDF-Dokumente, etwa Einladungen, Niederschriften und Anlagen zu Vorlagen, "
            "sind nicht vollständig barrierefrei. Wir ersetzen sie schrittweise.</li>"
            "<li>Unterschriebene Originaldokumente liegen teilweise nur als Scan vor.</li>"
            "<li>Zusammenfassungen in Leichter Sprache gibt es bisher nur für einzelne "
            "Ergebnisse.</li></ul>"
            "<p>Wenn Sie ein Dokument in barrierefreier Form benötigen, wenden Sie sich bitte an "
            "die unten genannte Kontaktstelle.</p>"
        ),
        heading("Erstellung dieser Erklärung"),
        paragraph(
            f"<p>Diese Erklärung wurde am {created_on:%d.%m.%Y} erstellt. Sie beruht auf einer "
            "Selbstbewertung durch die Koordination Digitalisierung.</p>"
        ),
        heading("Feedback und Kontaktangaben"),
        paragraph(
            "<p>Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten dieser Website "
            "aufgefallen? Benötigen Sie Informationen in einer barrierefreien Form? Dann schreiben "
            "Sie uns bitte über das Kontaktformular der Stadt Plauen oder per Post:</p>"
            "<p>Stadt Plauen<br>Koordination Digitalisierung<br>Unterer Graben 1<br>"
            "08523 Plauen</p>"
        ),
        heading("Durchsetzungsverfahren"),
        paragraph(
            "<p>Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können "
            "Sie sich an die Durchsetzungsstelle des Freistaates Sachsen wenden. Sie ist beim "
            "Beauftragten der Sächsischen Staatsregierung für die Belange von Menschen mit "
            "Behinderungen eingerichtet, vermittelt als Schlichtungsstelle zwischen Ihnen und der "
            "Stadt Plauen und prüft, ob die Anforderungen an die Barrierefreiheit eingehalten "
            "werden.</p>"
        ),
        DEMO_NOTE,
    )


IMPRINT = (
    heading("Herausgeber"),
    paragraph(
        "<p>Stadt Plauen<br>Der Oberbürgermeister<br>Unterer Graben 1<br>08523 Plauen</p>"
        "<p>Die Stadt Plauen ist eine Körperschaft des öffentlichen Rechts. Sie wird durch den "
        "Oberbürgermeister vertreten.</p>"
    ),
    heading("Verantwortlich für den Inhalt"),
    paragraph(
        "<p>Geschäftsbereich Oberbürgermeister – Koordination Digitalisierung, Anschrift wie oben. "
        "Inhaltlich verantwortlich nach § 18 Abs. 2 Medienstaatsvertrag ist der Koordinator "
        "Digitalisierung der Stadt Plauen.</p>"
    ),
    heading("Kontakt"),
    paragraph(
        "<p>Schreiben Sie uns an die oben genannte Anschrift oder nutzen Sie das Kontaktformular "
        "der Stadt Plauen.</p>"
    ),
    heading("Aufsichtsbehörde"),
    paragraph("<p>Landesdirektion Sachsen</p>"),
    DEMO_NOTE,
)


def sections():
    """The home page's children; the accessibility statement is dated the day it is written."""
    return (
        SectionSpec(
            TopicAreaIndexPage,
            "themenfelder",
            "Themenfelder",
            "Mit diesen Aufgaben befasst sich die Arbeitsgruppe laut ihrem Gründungsbeschluss.",
        ),
        SectionSpec(
            MeetingIndexPage,
            "sitzungen",
            "Sitzungen",
            "Termine, Tagesordnungen und Niederschriften der Arbeitsgruppe. Nicht öffentliche "
            "Sitzungen und Tagesordnungspunkte sind den Mitgliedern der Arbeitsgruppe vorbehalten.",
        ),
        SectionSpec(
            ResultIndexPage,
            "ergebnisse",
            "Ergebnisse",
            "Vorlagen, Beschlussempfehlungen, Konzepte und Stellungnahmen der Arbeitsgruppe mit "
            "ihrer Beratungsfolge in den Gremien der Stadt Plauen.",
        ),
        SectionSpec(
            ReportIndexPage,
            "halbjahresberichte",
            "Halbjahresberichte",
            "Über ihre Ergebnisse informiert die Arbeitsgruppe zweimal jährlich den "
            "Verwaltungsausschuss.",
        ),
        SectionSpec(
            MembersPage,
            "mitglieder",
            "Mitglieder",
            "Ständige Mitglieder sind der Koordinator Digitalisierung als Vorsitzender, der "
            "Fachgebietsleiter IT als stellvertretender Vorsitzender, je eine Mitarbeiterin oder "
            "ein Mitarbeiter des FG Personal/Organisation und des Controllings sowie je eine "
            "Vertreterin oder ein Vertreter jeder Fraktion. Namen veröffentlichen wir nur mit "
            "Einwilligung der Person.",
        ),
        SectionSpec(
            StandardPage,
            "impressum",
            "Impressum",
            "Angaben nach § 5 Digitale-Dienste-Gesetz und § 18 Medienstaatsvertrag.",
            in_menu=False,
            body=IMPRINT,
        ),
        SectionSpec(
            StandardPage,
            "barrierefreiheit",
            "Erklärung zur Barrierefreiheit",
            "Die Stadt Plauen ist bemüht, diese Website im Einklang mit den Vorschriften über die "
            "Barrierefreiheit öffentlicher Stellen im Freistaat Sachsen barrierefrei zugänglich "
            "zu machen. Diese Erklärung gilt für die Website der Arbeitsgruppe Digitalisierung.",
            in_menu=False,
            body=accessibility_statement(timezone.localdate()),
        ),
    )


# --- Topic areas: the founding paper's task list -----------------------------------------------


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    title: str
    intro: str
    children: tuple = ()


TOPIC_AREAS = (
    TopicSpec(
        "digitalstrategie",
        "Digitalstrategie für die Stadt Plauen",
        "Ausgestaltung der Digitalstrategie für die Stadt Plauen – das Dach, unter dem die "
        "Arbeitsgruppe ihre Themen bündelt.",
        children=(
            TopicSpec(
                "onlinezugangsgesetz",
                "Onlinezugangsgesetz (OZG)",
                "Entwicklung einer Strategie zur Umsetzung des Onlinezugangsgesetzes, damit "
                "Verwaltungsleistungen auch online erreichbar sind.",
            ),
            TopicSpec(
                "digitalpakt-schulen",
                "DigitalPakt Schulen",
                "Umsetzung und Möglichkeiten zur Verstärkung des DigitalPakts Schulen – mit "
                "Kreisschülerrat, Eltern- und Lehrerschaft sowie beteiligten Unternehmen.",
            ),
            TopicSpec(
                "egovernment",
                "eGovernment",
                "Elektronische Verwaltungsabläufe und Dienste, mit denen Bürgerinnen, Bürger und "
                "Unternehmen ihre Anliegen digital erledigen können.",
            ),
            TopicSpec(
                "smart-city",
                "Smart City",
                "Digitale Lösungen für das Leben in der Stadt, etwa offene Daten und vernetzte "
                "Infrastruktur.",
            ),
            TopicSpec(
                "sonstige-it-themen",
                "Sonstige IT-Themen der Verwaltung",
                "Weitere IT-Themen, welche die Verwaltung direkt betreffen.",
            ),
        ),
    ),
    TopicSpec(
        "vorbereitung-von-vorlagen",
        "Vorbereitung von Vorlagen",
        "Vorbereitung von Vorlagen zum Thema Digitalisierung für die beschließenden Gremien.",
    ),
)


# --- Snippets: bodies, places, factions, members -----------------------------------------------

BUERGERMEISTERBERATUNG = "Bürgermeisterberatung"
VERWALTUNGSAUSSCHUSS = "Verwaltungsausschuss"
AELTESTENRAT = "Ältestenrat"
STADTRAT = "Stadtrat"

# name, short name, sessions public by default, is the AG
COUNCIL_BODIES = (
    (BUERGERMEISTERBERATUNG, "BMB", False, False),
    (VERWALTUNGSAUSSCHUSS, "VA", True, False),
    (AELTESTENRAT, "ÄR", False, False),
    (STADTRAT, "SR", True, False),
    ("Arbeitsgruppe Digitalisierung", "AG Digitalisierung", False, True),
)

LOCATIONS = {
    "ratssaal": ("Rathaus Plauen", "Ratssaal"),
    "beratungsraum": ("Rathaus Plauen", "Beratungsraum"),
}


@dataclass(frozen=True)
class FactionSpec:
    key: str
    name: str
    short_name: str
    nominated_on: datetime.date
    deputies: int
    expert_citizen: bool = False


FACTIONS = (
    # The faction whose Antrag 222-21 led to the AG.
    FactionSpec("spd", "SPD/Grüne/Initiative", "SPD/Grüne/Ini.", datetime.date(2022, 5, 20), 2),
    FactionSpec("a", "Beispielfraktion A", "Bsp. A", datetime.date(2022, 5, 31), 1),
    # No deputy, so that the demo shows a nomination that is still incomplete; its
    # representative is an expert citizen, which the founding paper allows.
    FactionSpec(
        "b", "Beispielfraktion B", "Bsp. B", datetime.date(2022, 5, 25), 0, expert_citizen=True
    ),
)


@dataclass(frozen=True)
class MemberSpec:
    key: str
    role: str
    function_title: str = ""
    start_date: datetime.date = datetime.date(2022, 5, 4)
    name: str = PLACEHOLDER_NAME
    name_is_public: bool = False
    faction: str = ""
    principal: str = ""
    guest_topic: str = ""
    is_expert_citizen: bool = False
    # Never shown; the approval line recognises the vice chair by the address of the account.
    email: str = ""


ADMINISTRATION_MEMBERS = (
    MemberSpec(
        "chair", Member.Role.CHAIR, "Koordinator Digitalisierung", email="koordinator@example.org"
    ),
    MemberSpec(
        "vice_chair", Member.Role.VICE_CHAIR, "Fachgebietsleiter IT", email="it-leitung@example.org"
    ),
    MemberSpec("hr", Member.Role.STAFF_HR, "Mitarbeiter/in FG Personal/Organisation"),
    MemberSpec("controlling", Member.Role.STAFF_CONTROLLING, "Mitarbeiter/in Controlling"),
)

# Organisations, not people, as the seed names them; so their names may be shown.
DIGITALPAKT_GUESTS = (
    "Kreisschülerrat",
    "Elternvertretung",
    "Lehrerschaft",
    "Beteiligte Unternehmen (z. B. Sternenlabor)",
)


def faction_members(spec):
    representative = MemberSpec(
        spec.key,
        Member.Role.REPRESENTATIVE,
        f"Vertreter/in der Fraktion {spec.name}",
        start_date=spec.nominated_on,
        faction=spec.key,
        is_expert_citizen=spec.expert_citizen,
    )
    deputies = tuple(
        MemberSpec(
            f"{spec.key}-stv{number}",
            Member.Role.DEPUTY,
            f"{number}. Stellvertreter/in der Fraktion {spec.name}",
            start_date=spec.nominated_on,
            faction=spec.key,
            principal=spec.key,
        )
        for number in range(1, spec.deputies + 1)
    )
    return (representative, *deputies)


def member_specs():
    guests = tuple(
        MemberSpec(
            f"gast-{number}",
            Member.Role.GUEST,
            start_date=datetime.date(2022, 9, 1),
            name=organisation,
            name_is_public=True,
            guest_topic="digitalpakt-schulen",
        )
        for number, organisation in enumerate(DIGITALPAKT_GUESTS, start=1)
    )
    by_faction = tuple(member for spec in FACTIONS for member in faction_members(spec))
    return ADMINISTRATION_MEMBERS + by_faction + guests


# Who is expected at every meeting: the standing members and one representative per faction.
STANDING_MEMBERS = ("chair", "vice_chair", "hr", "controlling", *(f.key for f in FACTIONS))


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationSpec:
    body: str
    date: datetime.date
    is_public: bool
    role: str
    outcome: str = ""


@dataclass(frozen=True)
class ResultSpec:
    reference: str
    slug: str
    title: str
    kind: str
    result_date: datetime.date
    progress: str
    topics: tuple
    summary: str
    consultations: tuple
    body: tuple = ()
    easy_language_summary: str = ""
    source_meetings: tuple = ()
    attachment: str = ""


SEED_REFERENCE = "AG-DIG/2022/001"

SEED_RESULT = ResultSpec(
    reference=SEED_REFERENCE,
    slug="gruendung-der-arbeitsgruppe-digitalisierung",
    title="Gründung der Arbeitsgruppe Digitalisierung",
    kind=ResultPage.Kind.INFORMATION_PAPER,
    result_date=datetime.date(2022, 4, 1),
    # The Stadtrat only takes note of an information paper, so nothing was "beschlossen";
    # the AG it announces has been founded and works, which is what "umgesetzt" says.
    progress=ResultPage.Progress.IMPLEMENTED,
    topics=("digitalstrategie", "digitalpakt-schulen"),
    summary=(
        "Der Stadtrat der Stadt Plauen nimmt die Gründung einer Arbeitsgruppe Digitalisierung "
        "zur Kenntnis. Grundlage ist der Antrag 222-21 der Fraktion SPD/Grüne/Initiative. "
        "Die Arbeitsgruppe erarbeitet Strategien und Entscheidungsvorlagen im Zusammenhang mit "
        "Digitalisierung; über ihre Ergebnisse wird zweimal jährlich im Verwaltungsausschuss "
        "informiert."
    ),
    body=(
        heading("Angaben zur Vorlage"),
        paragraph(
            "<ul><li>Informationsvorlage vom 01.04.2022, Geschäftsbereich I, Koordination "
            "Digitalisierung</li><li>Inhalt: Arbeitsgruppe Digitalisierung</li>"
            "<li>Grundlage: Antrag 222-21 der Fraktion SPD/ Initiative/ Grüne</li>"
            "<li>Beraten und abgestimmt: Fachgebiet IT</li>"
            "<li>Beschlüsse, die aufzuheben bzw. zu ändern sind: keine</li>"
            "<li>Verantwortlich für Durchführung: Geschäftsbereich OB – Koordinator "
            "Digitalisierung</li></ul>"
        ),
        heading("Information"),
        paragraph(
            "<p><i>Die folgenden Abschnitte geben die Informationsvorlage im Wortlaut wieder."
            "</i></p>"
            "<p>Der Stadtrat der Stadt Plauen nimmt die Gründung einer Arbeitsgruppe "
            "Digitalisierung zur Kenntnis.</p>"
            "<p>Ständige Mitglieder dieser Arbeitsgruppe sollen sein:</p><ul>"
            "<li>Koordinator Digitalisierung als Vorsitzender</li>"
            "<li>Fachgebietsleiter IT als stellv. Vorsitzender</li>"
            "<li>1 Mitarbeiter des FG Personal/Organisation (für Themen, welche die Verwaltung "
            "direkt betreffen)</li>"
            "<li>1 Mitarbeiter des Controllings (für Themen, welche die Verwaltung direkt "
            "betreffen)</li>"
            "<li>je ein Vertreter jeder Fraktion (kann auch ein Sachkundiger Einwohner sein)</li>"
            "</ul><p>Zusätzlich können themenbezogen weitere Teilnehmer eingeladen werden.</p>"
        ),
        paragraph(
            "<p>Mit folgenden Aufgaben wird sich die Arbeitsgruppe Digitalisierung u.a. "
            "beschäftigen:</p><ul>"
            "<li>Ausgestaltung der Digitalstrategie für die Stadt Plauen<ul>"
            "<li>Entwicklung einer Strategie zur Umsetzung des Onlinezugangsgesetz</li>"
            "<li>Umsetzung und Möglichkeiten zur Verstärkung des Digitalpakt Schulen</li>"
            "<li>eGovernment</li><li>Smart City</li>"
            "<li>Sonstiges IT-Themen der Verwaltung</li></ul></li>"
            "<li>Vorbereitung von Vorlagen zum Thema Digitalisierung für die beschließenden "
            "Gremien</li></ul>"
            "<p>Die Fraktionen werden aufgefordert bis zum 31.05.2022 ihre Vertreter und "
            "mindestens einen Stellvertreter zu benennen.</p>"
            "<p>Über die Ergebnisse dieser Arbeitsgruppe wird zweimal jährlich im "
            "Verwaltungsausschuss informiert.</p>"
        ),
        heading("Sachverhalt/Begründung"),
        paragraph(
            "<p>Der digitale Wandel stellt eine der größten Herausforderungen unserer Zeit dar, "
            "bietet aber auch viele Möglichkeiten. Für eine effiziente Umsetzung ist die Anpassung "
            "aktueller Prozesse und Strukturen notwendig. Durch die Arbeitsgruppe Digitalisierung "
            "sollen Strategien und Entscheidungsvorlagen im Zusammenhang mit Digitalisierung "
            "erarbeitet werden.</p>"
            "<p>Die Fraktion SPD/Grüne/Initiative hat mit dem Antrag Reg.-Nr. 222/21 die Gründung "
            "einer Arbeitsgruppe für den Bereich der Schulen gefordert. In dieser Arbeitsgruppe "
            "sollen alle Beteiligten, wie Kreisschülerrat, Eltern- und Lehrerschaft, beteiligte "
            "Unternehmen (z.B. Sternenlabor) sowie dem Koordinator Digitalisierung und jeweils "
            "einem Vertreter/in den Fraktionen. Mit dieser Vorlage soll der Antrag umgesetzt "
            "werden. Darüber hinaus soll sich die Arbeitsgruppe ganzheitlich mit dem Thema "
            "Digitalisierung befassen. Damit soll eine Bündelung der Ressourcen und Vorgänge "
            "erreicht werden.</p>"
            "<p>Die von den Fraktionen entsandten Teilnehmer müssen nicht zwingend fachkundig "
            "sein, es steht der Erfahrungsaustausch und die direkte Kommunikation mit den "
            "Mandatsträgern im Vordergrund. Ziel ist es die Themen zeitnah mit in die Fraktionen "
            "zu transportieren.</p>"
        ),
    ),
    # The seed's Beratungsfolge as printed; only the Stadtrat's taking note is on record.
    consultations=(
        ConsultationSpec(
            BUERGERMEISTERBERATUNG,
            datetime.date(2022, 4, 4),
            False,
            Consultation.Role.PRELIMINARY,
        ),
        ConsultationSpec(
            VERWALTUNGSAUSSCHUSS, datetime.date(2022, 4, 13), True, Consultation.Role.PRELIMINARY
        ),
        ConsultationSpec(
            AELTESTENRAT, datetime.date(2022, 4, 25), False, Consultation.Role.PRELIMINARY
        ),
        ConsultationSpec(
            STADTRAT,
            datetime.date(2022, 5, 3),
            True,
            Consultation.Role.INFORMATION,
            "zur Kenntnis genommen",
        ),
    ),
)

# Shown only to AG members; the tests look for it to prove that it stays hidden otherwise.
CONFIDENTIAL_OUTCOME = (
    "Beispiel: Die Bürgermeisterberatung unterstützt die Stellungnahme und bittet das "
    "Fachgebiet IT um eine Kostenschätzung für die Wartung der Schul-IT."
)

EXAMPLE_RESULTS = (
    ResultSpec(
        reference="AG-DIG/2022/002",
        slug="empfehlung-ozg-umsetzungsstrategie",
        title="Empfehlung zur Strategie für die Umsetzung des Onlinezugangsgesetzes (Beispiel)",
        kind=ResultPage.Kind.RECOMMENDATION,
        result_date=datetime.date(2022, 9, 20),
        progress=ResultPage.Progress.IN_IMPLEMENTATION,
        topics=("onlinezugangsgesetz", "digitalstrategie"),
        summary=(
            "Beispiel: Die Arbeitsgruppe empfiehlt, die Verwaltungsleistungen nach dem "
            "Onlinezugangsgesetz in drei Stufen online anzubieten: zuerst die meistgenutzten "
            "Leistungen des Bürgerbüros, dann gebührenpflichtige Anträge, zuletzt alle übrigen "
            "Leistungen."
        ),
        body=(
            heading("Empfehlung"),
            paragraph(
                "<p>Beispiel: Der Stadtrat möge beschließen, die Umsetzung des "
                "Onlinezugangsgesetzes nach dem anliegenden Stufenplan fortzuführen und die "
                "Arbeitsgruppe halbjährlich über den Stand zu informieren.</p>"
            ),
        ),
        consultations=(
            ConsultationSpec(
                VERWALTUNGSAUSSCHUSS,
                datetime.date(2022, 10, 12),
                True,
                Consultation.Role.PRELIMINARY,
                "Beispiel: Der Verwaltungsausschuss empfiehlt dem Stadtrat die Zustimmung.",
            ),
            ConsultationSpec(
                STADTRAT,
                datetime.date(2022, 10, 25),
                True,
                Consultation.Role.DECISION,
                "Beispiel: mehrheitlich beschlossen",
            ),
        ),
        source_meetings=(1, 2),
        attachment="Stufenplan zur Umsetzung des Onlinezugangsgesetzes (Beispiel)",
    ),
    ResultSpec(
        reference="AG-DIG/2022/003",
        slug="stellungnahme-medienentwicklungsplanung",
        title="Stellungnahme zur Medienentwicklungsplanung der Plauener Schulen (Beispiel)",
        kind=ResultPage.Kind.STATEMENT,
        result_date=datetime.date(2022, 11, 22),
        progress=ResultPage.Progress.DECIDED,
        topics=("digitalpakt-schulen",),
        summary=(
            "Beispiel: Die Arbeitsgruppe unterstützt die Medienentwicklungsplanung der Schulen "
            "und empfiehlt, Mittel aus dem DigitalPakt Schulen vorrangig für WLAN in den "
            "Grundschulen und für die Wartung der Geräte einzusetzen. Kreisschülerrat, Eltern- "
            "und Lehrerschaft sowie beteiligte Unternehmen haben ihre Bedarfe in der 2. Sitzung "
            "vorgestellt."
        ),
        easy_language_summary=(
            "Beispiel: Die Schulen in Plauen brauchen gute Computer und gutes Internet.\n"
            "Die Arbeitsgruppe hat dazu ihre Meinung aufgeschrieben.\n"
            "Sie sagt: Die Stadt soll zuerst Internet in die Grundschulen bringen.\n"
            "Und jemand soll sich um die Computer kümmern."
        ),
        consultations=(
            ConsultationSpec(
                BUERGERMEISTERBERATUNG,
                datetime.date(2022, 11, 28),
                False,
                Consultation.Role.PRELIMINARY,
                CONFIDENTIAL_OUTCOME,
            ),
            ConsultationSpec(
                VERWALTUNGSAUSSCHUSS,
                datetime.date(2022, 12, 7),
                True,
                Consultation.Role.INFORMATION,
                "Beispiel: zur Kenntnis genommen",
            ),
        ),
        source_meetings=(2, 3),
    ),
    ResultSpec(
        reference="AG-DIG/2023/001",
        slug="vorlage-elektronische-akte",
        title="Vorlage zur Einführung der elektronischen Akte (Beispiel)",
        kind=ResultPage.Kind.PAPER,
        result_date=datetime.date(2023, 3, 14),
        progress=ResultPage.Progress.DEFERRED,
        topics=("egovernment", "sonstige-it-themen", "vorbereitung-von-vorlagen"),
        summary=(
            "Beispiel: Die Vorlage schlägt vor, die elektronische Akte schrittweise in der "
            "Kernverwaltung einzuführen, beginnend mit dem Fachgebiet Personal/Organisation."
        ),
        consultations=(
            ConsultationSpec(
                AELTESTENRAT,
                datetime.date(2023, 3, 27),
                False,
                Consultation.Role.PRELIMINARY,
                "Beispiel: Der Ältestenrat empfiehlt, die Vorlage bis zu den "
                "Haushaltsberatungen zurückzustellen.",
            ),
        ),
        source_meetings=(3,),
    ),
    ResultSpec(
        reference="AG-DIG/2024/001",
        slug="konzept-offene-daten",
        title="Konzept für offene Daten der Stadt Plauen (Beispiel)",
        kind=ResultPage.Kind.CONCEPT,
        result_date=datetime.date(2024, 3, 12),
        progress=ResultPage.Progress.IN_CONSULTATION,
        topics=("smart-city", "egovernment"),
        summary=(
            "Beispiel: Das Konzept beschreibt, welche Daten der Stadt Plauen als offene Daten "
            "veröffentlicht werden können, etwa Haltestellen, Parkplätze und Sitzungstermine, "
            "und wer sie pflegt."
        ),
        consultations=(
            ConsultationSpec(
                VERWALTUNGSAUSSCHUSS,
                datetime.date(2024, 4, 17),
                True,
                Consultation.Role.PRELIMINARY,
                "Beispiel: in erster Lesung beraten; die Beratung wird fortgesetzt.",
            ),
        ),
    ),
)

RESULTS = (SEED_RESULT, *EXAMPLE_RESULTS)


# --- Meetings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaSpec:
    number: str
    title: str
    is_public: bool = True
    topic: str = ""
    result: str = ""
    decision: str = ""


@dataclass(frozen=True)
class MeetingSpec:
    number: int
    title: str
    # None: the next meeting, dated from the day the demo is built.
    day: datetime.date | None
    status: str
    is_public: bool
    location: str
    agenda: tuple = ()
    excused: tuple = ()
    represented: dict = field(default_factory=dict)
    guests: tuple = ()
    note: str = (
        "Beispiel: Termin und Inhalte dieser Sitzung sind Beispieldaten der Demo-Installation."
    )

    @property
    def slug(self):
        return f"sitzung-{self.number}"


OPENING = AgendaSpec("TOP 1", "Eröffnung, Begrüßung und Feststellung der Tagesordnung")

MEETINGS = (
    MeetingSpec(
        1,
        "1. Sitzung der AG Digitalisierung (konstituierende Sitzung)",
        datetime.date(2022, 6, 28),
        MeetingPage.Status.HELD,
        True,
        "ratssaal",
        agenda=(
            OPENING,
            AgendaSpec(
                "TOP 2",
                "Gründung und Auftrag der Arbeitsgruppe",
                topic="digitalstrategie",
                result=SEED_REFERENCE,
                decision="Der Koordinator Digitalisierung stellt die Informationsvorlage vom "
                "01.04.2022 vor. Die Mitglieder nehmen den Auftrag zur Kenntnis.",
            ),
            AgendaSpec(
                "TOP 3",
                "Arbeitsweise und Sitzungsrhythmus",
                decision="Die Arbeitsgruppe tagt in der Regel vierteljährlich dienstags um "
                "17:00 Uhr im Rathaus.",
            ),
            AgendaSpec(
                "TOP 4",
                "Stand der Umsetzung des Onlinezugangsgesetzes",
                topic="onlinezugangsgesetz",
                decision="Das Fachgebiet IT erarbeitet bis zur nächsten Sitzung den Entwurf einer "
                "Umsetzungsstrategie.",
            ),
        ),
    ),
    MeetingSpec(
        2,
        "2. Sitzung der AG Digitalisierung – Schwerpunkt DigitalPakt Schulen",
        datetime.date(2022, 9, 20),
        MeetingPage.Status.HELD,
        True,
        "ratssaal",
        agenda=(
            OPENING,
            AgendaSpec(
                "TOP 2",
                "DigitalPakt Schulen: Bedarfe aus Sicht von Schülerschaft, Eltern, Lehrkräften "
                "und Unternehmen",
                topic="digitalpakt-schulen",
                result="AG-DIG/2022/003",
                decision="Die Gäste stellen ihre Bedarfe vor. Die Koordination Digitalisierung "
                "fasst sie für eine Stellungnahme zusammen.",
            ),
            AgendaSpec(
                "TOP 3",
                "Empfehlung zur Umsetzungsstrategie für das Onlinezugangsgesetz",
                topic="onlinezugangsgesetz",
                result="AG-DIG/2022/002",
                decision="Die Arbeitsgruppe empfiehlt die Umsetzungsstrategie einstimmig dem "
                "Verwaltungsausschuss.",
            ),
            AgendaSpec(
                "TOP 4",
                "Personalbedarf für die IT-Betreuung der Schulen",
                is_public=False,
                topic="digitalpakt-schulen",
                decision="Die Verwaltung prüft zwei zusätzliche Stellen für die IT-Betreuung und "
                "berichtet in der nächsten Sitzung.",
            ),
        ),
        excused=("hr",),
        represented={"a": "a-stv1"},
        guests=tuple(f"gast-{n}" for n in range(1, len(DIGITALPAKT_GUESTS) + 1)),
    ),
    MeetingSpec(
        3,
        "3. Sitzung der AG Digitalisierung",
        datetime.date(2022, 11, 22),
        MeetingPage.Status.HELD,
        False,
        "beratungsraum",
        agenda=(
            AgendaSpec(
                "TOP 1",
                "Vergabe der WLAN-Ausstattung für Grundschulen: Bewertung der Angebote",
                is_public=False,
                topic="digitalpakt-schulen",
                decision="Die Arbeitsgruppe empfiehlt, den Zuschlag auf das wirtschaftlichste "
                "Angebot zu erteilen.",
            ),
            AgendaSpec(
                "TOP 2",
                "Abstimmung der Stellungnahme zur Medienentwicklungsplanung",
                is_public=False,
                topic="digitalpakt-schulen",
                result="AG-DIG/2022/003",
                decision="Die Arbeitsgruppe beschließt die Stellungnahme einstimmig.",
            ),
            AgendaSpec(
                "TOP 3",
                "Bericht zum Personalbedarf für die IT-Betreuung der Schulen",
                is_public=False,
                topic="sonstige-it-themen",
                decision="Die Beratung wird in den Haushaltsberatungen fortgesetzt.",
            ),
        ),
        excused=("b",),
        represented={"spd": "spd-stv1"},
    ),
    MeetingSpec(
        4,
        "4. Sitzung der AG Digitalisierung",
        datetime.date(2023, 1, 24),
        MeetingPage.Status.CANCELLED,
        True,
        "ratssaal",
        note="Beispiel: Die Sitzung entfällt. Die Themen werden in der nächsten Sitzung beraten.",
    ),
    MeetingSpec(
        5,
        "5. Sitzung der AG Digitalisierung",
        None,
        MeetingPage.Status.PLANNED,
        True,
        "ratssaal",
        agenda=(
            OPENING,
            AgendaSpec(
                "TOP 2",
                "Konzept für offene Daten der Stadt Plauen",
                topic="smart-city",
                result="AG-DIG/2024/001",
            ),
            AgendaSpec(
                "TOP 3",
                "Vorbereitung des nächsten Halbjahresberichts",
                topic="vorbereitung-von-vorlagen",
            ),
        ),
    ),
)

MEETING_HOURS = (17, 19)


# --- Half-year report --------------------------------------------------------------------------

REPORT = {
    "title": "Halbjahresbericht 2. Halbjahr 2022",
    "slug": "2022-2-halbjahr",
    "period_year": 2022,
    "period_half": 2,
    "presented_on": datetime.date(2023, 2, 15),
    "summary": [
        paragraph(
            "<p>Beispiel: Im zweiten Halbjahr 2022 hat die Arbeitsgruppe zweimal getagt, davon "
            "einmal nicht öffentlich. Schwerpunkte waren die Strategie zur Umsetzung des "
            "Onlinezugangsgesetzes und der DigitalPakt Schulen, zu dem Kreisschülerrat, Eltern- "
            "und Lehrerschaft sowie beteiligte Unternehmen ihre Bedarfe vorgestellt haben.</p>"
            "<p>Der Stadtrat hat die Empfehlung zur Umsetzung des Onlinezugangsgesetzes "
            "beschlossen; die Stellungnahme zur Medienentwicklungsplanung hat der "
            "Verwaltungsausschuss zur Kenntnis genommen.</p>"
        ),
        heading("Ausblick"),
        paragraph(
            "<p>Beispiel: Im ersten Halbjahr 2023 bereitet die Arbeitsgruppe eine Vorlage zur "
            "Einführung der elektronischen Akte vor.</p>"
        ),
    ],
}


# --- Users -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    label: str
    groups: tuple = ()
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser("admin", "demo-admin", "Administration (alle Rechte)", is_superuser=True),
    DemoUser("redaktion", "demo-redaktion", "Redaktion", (EDITORS_GROUP,)),
    DemoUser(
        "koordinator", "demo-koordinator", "Koordinator Digitalisierung", (COORDINATION_GROUP,)
    ),
    DemoUser("it-leitung", "demo-it-leitung", "Fachgebietsleiter IT", (COORDINATION_GROUP,)),
    DemoUser("ag-mitglied", "demo-ag-mitglied", "Mitglied der AG", (MEMBERS_GROUP,)),
)

# A collection publishes nothing by itself (workgroup.visibility); its name says what it holds.
PUBLIC_COLLECTION = "Unterlagen für freigegebene Inhalte"
CONFIDENTIAL_COLLECTION = "Nur für die AG (nie öffentlich)"


# --- Building ----------------------------------------------------------------------------------


class Ledger:
    """What a build created, by kind, which demo users already existed, and which demo objects
    it could not create beside what the editors changed."""

    def __init__(self):
        self.created = Counter()
        self.existing_users = set()
        self.skipped = []

    def note(self, label):
        self.created[label] += 1

    def skip(self, key, error):
        reasons = getattr(error, "messages", None) or [str(error)]
        self.skipped.append((key, " ".join(reasons)))


def ensure(ledger, key, create, adopt=None):
    """The demo object recorded under the stable `key` (demo.models.DemoObject).

    Created and recorded the first time; from then on whatever editors made of it, or None once
    they deleted it: the demo never duplicates, overwrites or brings back what editors renamed,
    edited or deleted. `adopt` finds what a demo build from before the keys made, so that such a
    database is taken over rather than duplicated. A creation the models refuse (editors changed
    what it depends on, e.g. named someone else the chair) is skipped and reported, not fatal.
    """
    record = DemoObject.objects.filter(key=key).first()
    if record is not None:
        return record.target()
    obj = adopt() if adopt else None
    if obj is None:
        try:
            with transaction.atomic():
                obj = create()
        except (ValidationError, IntegrityError) as error:
            ledger.skip(key, error)
            return None
    remember(key, obj)
    return obj


def remember(key, obj):
    DemoObject.objects.create(
        key=key, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def add_page(ledger, parent, page):
    ledger.note("Seiten")
    return add_draft_page(parent, page)


def ensure_page(ledger, key, parent, page_or_build, adopt=None):
    """A demo page under its parent (none once editors deleted the parent), published with a
    revision when created. `page_or_build` is the unsaved page or a function that makes it."""
    if parent is None:
        return None

    def create():
        page = page_or_build() if callable(page_or_build) else page_or_build
        add_page(ledger, parent, page)
        publish(page)
        return page

    return ensure(
        ledger,
        key,
        create,
        adopt or (lambda: parent.get_children().filter(slug=page_or_build.slug).specific().first()),
    )


def ensure_home(ledger):
    return ensure(
        ledger,
        "page:home",
        lambda: publish_page(add_page(ledger, Page.get_first_root_node(), HomePage(**HOME))),
        adopt=HomePage.objects.first,
    )


def publish_page(page):
    publish(page)
    return page


def ensure_sections(ledger, home):
    pages = {}
    for spec in sections():
        fields = {"title": spec.title, "intro": spec.intro, "show_in_menus": spec.in_menu}
        if spec.body:
            fields["body"] = list(spec.body)
        pages[spec.slug] = ensure_page(
            ledger, f"page:{spec.slug}", home, spec.model(slug=spec.slug, **fields)
        )
    return pages


def ensure_topic_areas(ledger, parent, specs, found):
    if parent is None:
        return found
    for spec in specs:
        page = ensure_page(
            ledger,
            f"topic:{spec.slug}",
            parent,
            TopicAreaPage(slug=spec.slug, title=spec.title, intro=spec.intro),
        )
        found[spec.slug] = page
        ensure_topic_areas(ledger, page, spec.children, found)
    return found


def ensure_council_bodies(ledger):
    bodies = {}
    for name, short_name, public, is_workgroup in COUNCIL_BODIES:

        def create(name=name, short_name=short_name, public=public, is_workgroup=is_workgroup):
            body = CouncilBody.objects.create(
                name=name,
                short_name=short_name,
                sessions_public_by_default=public,
                is_workgroup=is_workgroup,
            )
            # Created live (the default), with a published revision like every demo object.
            publish(body)
            ledger.note("Gremien")
            return body

        bodies[name] = ensure(
            ledger,
            f"council-body:{short_name}",
            create,
            adopt=CouncilBody.objects.filter(name=name).first,
        )
    return bodies


def ensure_locations(ledger):
    street, postal_code, locality = CITY_ADDRESS
    locations = {}
    for key, (description, room) in LOCATIONS.items():

        def create(description=description, room=room):
            location = Location.objects.create(
                description=description,
                room=room,
                street_address=street,
                postal_code=postal_code,
                locality=locality,
            )
            publish(location)
            ledger.note("Sitzungsorte")
            return location

        locations[key] = ensure(
            ledger,
            f"location:{key}",
            create,
            adopt=Location.objects.filter(description=description, room=room).first,
        )
    return locations


def ensure_factions(ledger):
    factions = {}
    for spec in FACTIONS:

        def create(spec=spec):
            faction = Faction.objects.create(name=spec.name, short_name=spec.short_name)
            publish(faction)
            ledger.note("Fraktionen")
            return faction

        factions[spec.key] = ensure(
            ledger,
            f"faction:{spec.key}",
            create,
            adopt=Faction.objects.filter(name=spec.name).first,
        )
    return factions


def ensure_members(ledger, factions, topics):
    members = {}
    for spec in member_specs():
        faction = factions.get(spec.faction)

        def create(spec=spec, faction=faction):
            if spec.faction and faction is None:
                raise ValidationError("Die Fraktion wurde gelöscht.")
            member = Member(
                name=spec.name,
                function_title=spec.function_title,
                role=spec.role,
                faction=faction,
                principal=members.get(spec.principal),
                guest_topic=topics.get(spec.guest_topic),
                is_expert_citizen=spec.is_expert_citizen,
                start_date=spec.start_date,
                name_is_public=spec.name_is_public,
                email=spec.email,
            )
            member.save()
            publish(member)
            ledger.note("Mitglieder")
            return member

        members[spec.key] = ensure(
            ledger,
            f"member:{spec.key}",
            create,
            adopt=Member.objects.filter(
                role=spec.role, faction=faction, function_title=spec.function_title, name=spec.name
            ).first,
        )
    return members


def ensure_collections(ledger, groups):
    """Non-public meeting papers sit in a collection that only the AG's readers may open."""
    root = Collection.get_first_root_node()
    collections = {}
    for name, key in ((PUBLIC_COLLECTION, "public"), (CONFIDENTIAL_COLLECTION, "confidential")):

        def create(name=name):
            ledger.note("Sammlungen")
            return root.add_child(name=name)

        collections[name] = ensure(
            ledger,
            f"collection:{key}",
            create,
            adopt=root.get_children().filter(name=name).first,
        )
    confidential = collections[CONFIDENTIAL_COLLECTION]
    if (
        confidential is not None
        and not CollectionViewRestriction.objects.filter(collection=confidential).exists()
    ):
        restriction = CollectionViewRestriction.objects.create(
            collection=confidential, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.set(groups[name] for name in CONFIDENTIAL_READER_GROUPS)
    return collections


def pdf_bytes(title, lines):
    """A small valid one-page PDF in Helvetica, written by hand to need no PDF library."""

    def pdf_string(text):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped}) Tj"

    # Wrapped to fit an A4 page in Helvetica at 15 and 10 points.
    operations = ["BT", "56 780 Td", "/F1 15 Tf"]
    for part in textwrap.wrap(title, 60):
        operations += [pdf_string(part), "0 -20 Td"]
    operations += ["/F1 10 Tf", "0 -10 Td"]
    for line in lines:
        for part in textwrap.wrap(line, 90) or [""]:
            operations += [pdf_string(part), "0 -15 Td"]
    operations.append("ET")
    stream = "\n".join(operations).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref_offset = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_offset,
    )
    return bytes(pdf)


def ensure_document(ledger, collection, title, filename, lines):
    Document = get_document_model()

    def create():
        content = pdf_bytes(title, ["Stadt Plauen – Arbeitsgruppe Digitalisierung", "", *lines])
        document = Document.objects.create(
            title=title,
            collection=collection or Collection.get_first_root_node(),
            file=ContentFile(content, name=filename),
            file_size=len(content),
            # Wagtail fingerprints documents with SHA-1 to spot duplicate uploads.
            file_hash=hashlib.sha1(content).hexdigest(),
        )
        ledger.note("Dokumente")
        return document

    return ensure(
        ledger,
        f"document:{filename}",
        create,
        adopt=Document.objects.filter(title=title, collection=collection).first,
    )


def ensure_results(ledger, index, topics, bodies, collections):
    """Results found, and those created now as drafts: they are published once the meetings
    they were worked out in exist, so that each gets a single revision."""
    results, drafts = {}, []
    for spec in RESULTS:

        def create(spec=spec):
            page = add_page(ledger, index, new_result(ledger, spec, topics, bodies, collections))
            drafts.append((page, spec))
            return page

        results[spec.reference] = (
            ensure(
                ledger,
                f"result:{spec.reference}",
                create,
                adopt=ResultPage.objects.filter(reference=spec.reference).first,
            )
            if index is not None
            else None
        )
    return results, drafts


def new_result(ledger, spec, topics, bodies, collections):
    attachments = []
    document = None
    if spec.attachment:
        document = ensure_document(
            ledger,
            collections[PUBLIC_COLLECTION],
            spec.attachment,
            f"{spec.slug}-anlage.pdf",
            [spec.title, spec.reference, "", spec.summary],
        )
    if document is not None:
        attachments.append(ResultAttachment(document=document, sort_order=0))
    return ResultPage(
        title=spec.title,
        slug=spec.slug,
        kind=spec.kind,
        reference=spec.reference,
        result_date=spec.result_date,
        progress=spec.progress,
        summary=spec.summary,
        easy_language_summary=spec.easy_language_summary,
        body=list(spec.body),
        topic_areas=[topics[slug] for slug in spec.topics if topics.get(slug)],
        consultations=[
            Consultation(
                body=bodies[step.body],
                date=step.date,
                is_public=step.is_public,
                role=step.role,
                outcome=step.outcome,
                sort_order=position,
            )
            for position, step in enumerate(spec.consultations)
            if bodies.get(step.body)
        ],
        attachments=attachments,
    )


def publish_results(drafts, meetings):
    for page, spec in drafts:
        page.source_meetings = [
            meetings[number] for number in spec.source_meetings if meetings.get(number)
        ]
        publish(page)


def upcoming_meeting_day(today):
    """The first Tuesday at least two weeks ahead, the AG's usual meeting day."""
    day = today + datetime.timedelta(days=14)
    return day + datetime.timedelta(days=(TUESDAY - day.weekday()) % 7)


@dataclass
class MeetingContext:
    """What meetings refer to, built before them."""

    topics: dict
    results: dict
    members: dict
    locations: dict
    collections: dict


def ensure_meetings(ledger, index, context):
    meetings = {}
    for spec in MEETINGS:
        meetings[spec.number] = ensure_page(
            ledger,
            f"meeting:{spec.number}",
            index,
            lambda spec=spec: new_meeting(ledger, spec, context),
            adopt=lambda spec=spec: index.get_children().filter(slug=spec.slug).specific().first(),
        )
    return meetings


def agenda_lines(spec, with_decisions):
    """A public meeting's papers are public too, so its closed items show only their number."""
    lines = []
    for item in spec.agenda:
        if spec.is_public and not item.is_public:
            lines.append(f"{item.number} nicht öffentlicher Teil")
        elif with_decisions:
            lines.append(f"{item.number} {item.title}: {item.decision}")
        else:
            lines.append(f"{item.number} {item.title}")
    return lines


def meeting_documents(ledger, spec, day, context):
    """Invitation unless cancelled, minutes once held; a closed meeting's papers go where only
    the AG's readers may open them."""
    collection = context.collections[
        PUBLIC_COLLECTION if spec.is_public else CONFIDENTIAL_COLLECTION
    ]
    place = context.locations.get(spec.location) or "Ort wird bekanntgegeben"
    when = f"{day:%d.%m.%Y}, {MEETING_HOURS[0]}:00 Uhr, {place}"
    invitation = minutes = None
    if spec.status != MeetingPage.Status.CANCELLED:
        invitation = ensure_document(
            ledger,
            collection,
            f"Einladung zur {spec.title}",
            f"einladung-{spec.slug}.pdf",
            [when, "", "Tagesordnung:", *agenda_lines(spec, with_decisions=False)],
        )
    if spec.status == MeetingPage.Status.HELD:
        minutes = ensure_document(
            ledger,
            collection,
            f"Niederschrift der {spec.title}",
            f"niederschrift-{spec.slug}.pdf",
            [when, "", *agenda_lines(spec, with_decisions=True)],
        )
    return invitation, minutes


def new_meeting(ledger, spec, context):
    day = spec.day or upcoming_meeting_day(timezone.localdate())
    start_hour, end_hour = MEETING_HOURS
    invitation, minutes = meeting_documents(ledger, spec, day, context)
    return MeetingPage(
        title=spec.title,
        slug=spec.slug,
        number=spec.number,
        start=local_datetime(day, start_hour),
        end=local_datetime(day, end_hour),
        location=context.locations.get(spec.location),
        status=spec.status,
        is_public=spec.is_public,
        invitation=invitation,
        minutes=minutes,
        invited_guests=[context.members[key] for key in spec.guests if context.members.get(key)],
        body=[paragraph(f"<p><i>{spec.note}</i></p>")],
        agenda_items=[
            AgendaItem(
                number=item.number,
                title=item.title,
                is_public=item.is_public,
                topic_area=context.topics.get(item.topic),
                result=context.results.get(item.result),
                decision=item.decision,
                sort_order=position,
            )
            for position, item in enumerate(spec.agenda)
        ],
        attendances=attendances(spec, context.members)
        if spec.status == MeetingPage.Status.HELD
        else [],
    )


def attendances(spec, members):
    rows = []
    for position, key in enumerate(STANDING_MEMBERS):
        if members.get(key) is None:
            continue
        status, substitute = Attendance.Status.PRESENT, None
        if key in spec.excused:
            status = Attendance.Status.EXCUSED
        elif key in spec.represented and members.get(spec.represented[key]):
            status, substitute = Attendance.Status.REPRESENTED, members[spec.represented[key]]
        rows.append(
            Attendance(
                member=members[key], status=status, substitute=substitute, sort_order=position
            )
        )
    return rows


def ensure_report(ledger, index):
    return ensure_page(
        ledger,
        f"report:{REPORT['period_year']}-{REPORT['period_half']}",
        index,
        ReportPage(**REPORT),
        adopt=ReportPage.objects.filter(
            period_year=REPORT["period_year"], period_half=REPORT["period_half"]
        ).first,
    )


def ensure_users(ledger, groups):
    User = get_user_model()
    for spec in DEMO_USERS:
        record = DemoObject.objects.filter(key=f"user:{spec.username}").first()
        if record is not None:
            # Editors may have deleted the account; the demo does not bring it back.
            user = record.target()
            if user is not None:
                ledger.existing_users.add(spec.username)
                user.groups.add(*(groups[name] for name in spec.groups))
            continue
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                first_name="Demo",
                last_name=spec.label,
                email=f"{spec.username}@example.org",
                is_staff=spec.is_superuser,
                is_superuser=spec.is_superuser,
            )
            user.set_password(spec.password)
            user.save()
            ledger.note("Benutzerkonten")
        else:
            ledger.existing_users.add(spec.username)
        user.groups.add(*(groups[name] for name in spec.groups))
        remember(f"user:{spec.username}", user)


def build_demo():
    """Build whatever part of the demo is missing; return the ledger of what was created."""
    ledger = Ledger()
    ensure_roles()
    groups = {group.name: group for group in Group.objects.all()}
    home = ensure_home(ledger)
    if home is not None:
        serve_at_default_site(home)
    pages = ensure_sections(ledger, home)
    topics = ensure_topic_areas(ledger, pages["themenfelder"], TOPIC_AREAS, {})
    bodies = ensure_council_bodies(ledger)
    locations = ensure_locations(ledger)
    factions = ensure_factions(ledger)
    members = ensure_members(ledger, factions, topics)
    collections = ensure_collections(ledger, groups)
    results, drafts = ensure_results(ledger, pages["ergebnisse"], topics, bodies, collections)
    context = MeetingContext(topics, results, members, locations, collections)
    meetings = ensure_meetings(ledger, pages["sitzungen"], context)
    publish_results(drafts, meetings)
    ensure_report(ledger, pages["halbjahresberichte"])
    ensure_users(ledger, groups)
    return ledger
