"""A large synthetic data set for load tests, reproducible from a seed.

Everything goes through the real models and Wagtail's own publishing (`save_revision().publish()`),
so the pages carry revisions, log entries and publication dates like edited ones. Bulk paths keep
10,000 results within minutes: inline rows (agenda, attendance, Beratungsfolge) are inserted with
one INSERT per kind before the revision is taken, the pages are written in batches of one
transaction each, and the search index is built once at the end with Wagtail's `update_index`
instead of once per save. The reference index behind the admin's usage counts is left out (it would
cost as much again); `manage.py rebuild_references_index` builds it when wanted.
"""

import contextlib
import datetime
import logging
import random
import time
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_delete_signal_handler, post_save_signal_handler
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update

from demo.building import add_draft_page, local_datetime, publish, serve_at_default_site
from home.models import HomePage, StandardPage
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

# Fixed dates, so that a seed gives the same data set on any day; only whether a meeting is
# planned or held follows today's date.
FIRST_DAY = datetime.date(2022, 6, 1)
LAST_RESULT_DAY = datetime.date(2026, 6, 30)
LAST_MEETING_DAY = datetime.date(2027, 12, 31)
BATCH_SIZE = 100
DOCUMENT_POOL = 30

TOPICS = {
    "Digitale Verwaltung": ["E-Akte", "Online-Dienste nach OZG", "Digitaler Posteingang"],
    "Schulen und Bildung": ["Digitalpakt Schule", "Medienbildung", "Schul-IT-Support"],
    "Breitband und Mobilfunk": ["Glasfaserausbau", "Mobilfunklücken", "WLAN im Stadtgebiet"],
    "Smart City": ["Sensorik und Umweltdaten", "Digitale Parkraumlenkung"],
    "Bürgerservice": ["Terminvergabe", "Bürgerportal", "Barrierefreiheit"],
    "IT-Sicherheit und Datenschutz": ["Informationssicherheit", "Datenschutz"],
    "Offene Daten": ["Open-Data-Portal", "Ratsinformationssystem"],
    "Wirtschaft und Tourismus": ["Digitaler Stadtplan", "Händlerplattform"],
}
BODIES = [
    ("Stadtrat", "SR", True),
    ("Verwaltungsausschuss", "VA", False),
    ("Bau- und Umweltausschuss", "BUA", True),
    ("Kultur-, Bildungs- und Sozialausschuss", "KBS", True),
    ("Finanzausschuss", "FA", False),
    ("Ältestenrat", "ÄR", False),
]
WORKGROUP_BODY = ("Arbeitsgruppe Digitalisierung", "AG DIG")
LOCATIONS = [
    ("Rathaus Plauen", "Ratssaal", "Unterer Graben 1"),
    ("Rathaus Plauen", "Beratungsraum 2", "Unterer Graben 1"),
    ("Neues Rathaus", "Sitzungszimmer 117", "Unterer Graben 1"),
    ("Vogtlandbibliothek", "Veranstaltungsraum", "Neundorfer Straße 8"),
]
FACTIONS = [
    ("Fraktion Bürger für Plauen", "BfP", True),
    ("Fraktion Vogtland Sozial", "VS", True),
    ("Fraktion Grüne Zukunft", "GZ", True),
    ("Fraktion Freie Liste", "FL", True),
    ("Fraktion Mitte", "Mitte", True),
    ("Fraktion Neue Wege", "NW", False),
]
FIRST_NAMES = [
    "Anna", "Bernd", "Claudia", "Dirk", "Elke", "Frank", "Gabriele", "Holger", "Ines", "Jens",
    "Katrin", "Lars", "Maria", "Norbert", "Petra", "Ralf", "Sabine", "Thomas", "Ute", "Volker",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
    "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Krüger",
]  # fmt: skip
SUBJECTS = [
    "Einführung der elektronischen Akte",
    "Ausbau des WLAN an Grundschulen",
    "Online-Antrag für Anwohnerparkausweise",
    "Glasfaseranschluss für Gewerbegebiete",
    "Digitale Sitzungsunterlagen für den Stadtrat",
    "Informationssicherheitskonzept der Stadtverwaltung",
    "Veröffentlichung von Haushaltsdaten als offene Daten",
    "Sensoren für die Luftqualität in der Innenstadt",
    "Terminvergabe im Bürgerbüro",
    "Barrierefreie Website der Stadt",
    "Digitale Schließfächer für Bürgerdokumente",
    "Mobilfunkversorgung im Stadtteil Haselbrunn",
    "Lernplattform für Oberschulen",
    "Digitaler Stadtplan mit Barrierefreiheitsangaben",
    "Elektronische Rechnungsbearbeitung",
    "Videokonferenztechnik für Ausschusssitzungen",
    "Fortbildung der Beschäftigten in digitalen Kompetenzen",
    "Händlerplattform für die Innenstadt",
    "Digitale Parkraumlenkung am Oberen Bahnhof",
    "Open-Data-Portal der Stadt Plauen",
]
ASPECTS = [
    "Bestandsaufnahme",
    "Kostenschätzung",
    "Zeitplan",
    "Beteiligung der Öffentlichkeit",
    "Datenschutzfolgenabschätzung",
    "Ausschreibung",
    "Zwischenbericht",
    "Pilotphase",
    "Evaluation",
    "Fördermittelantrag",
]
SENTENCES = [
    "Die Arbeitsgruppe empfiehlt, das Vorhaben schrittweise umzusetzen.",
    "Die Verwaltung hat die Kosten geschätzt und Fördermöglichkeiten geprüft.",
    "Die Fraktionen haben Hinweise aus der Bürgerschaft eingebracht.",
    "Der Datenschutzbeauftragte wurde beteiligt.",
    "Ein Pilotbetrieb in einem Stadtteil soll erste Erfahrungen liefern.",
    "Die Umsetzung hängt von der Bewilligung der Fördermittel ab.",
    "Die Ergebnisse werden dem Stadtrat zur Kenntnis gegeben.",
    "Die Schulen haben ihren Bedarf gemeldet.",
    "Für die Ausschreibung wird ein Leistungsverzeichnis erarbeitet.",
    "Die Barrierefreiheit wird von Anfang an berücksichtigt.",
]
EASY_SENTENCES = [
    "Die Stadt will mehr im Internet anbieten.",
    "Sie müssen dann seltener ins Rathaus gehen.",
    "Die Arbeitsgruppe hat dazu einen Vorschlag gemacht.",
    "Der Stadtrat entscheidet darüber.",
]
KIND_WEIGHTS = {
    ResultPage.Kind.RECOMMENDATION: 30,
    ResultPage.Kind.PAPER: 20,
    ResultPage.Kind.INFORMATION_PAPER: 15,
    ResultPage.Kind.STATEMENT: 15,
    ResultPage.Kind.CONCEPT: 10,
    ResultPage.Kind.REPORT: 10,
}
# (share of results still unpublished drafts, of closed meetings, of closed agenda items,
#  of closed consultations): the non-public content that AG members see and the public must not.
DRAFT_SHARE = 0.02
CLOSED_MEETING_SHARE = 0.15
CLOSED_ITEM_SHARE = 0.1
CLOSED_CONSULTATION_SHARE = 0.15


@dataclass
class Progress:
    """Prints how far a long run has got, at most every two seconds."""

    write: object
    started: float = field(default_factory=time.monotonic)
    last: float = 0.0

    def report(self, label, done, total, force=False):
        now = time.monotonic()
        if force or now - self.last >= 2 or done == total:
            self.last = now
            self.write(f"{label}: {done}/{total} ({now - self.started:.0f} s)")


@contextlib.contextmanager
def indexes_built_afterwards():
    """Leave out the per-save search and reference index updates (see the module docstring)."""
    models = [
        m for m in search_index.get_indexed_models() if getattr(m, "search_auto_update", True)
    ]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_delete.disconnect(post_delete_signal_handler, sender=model)
    wagtail_log = logging.getLogger("wagtail")
    level = wagtail_log.level
    # One log line per page action would bury the progress report.
    wagtail_log.setLevel(logging.WARNING)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        wagtail_log.setLevel(level)
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
            post_delete.connect(post_delete_signal_handler, sender=model)


class DataGenerator:
    def __init__(self, *, results, meetings, seed, write=print):
        self.result_count = results
        self.meeting_count = meetings
        self.rng = random.Random(seed)
        self.progress = Progress(write)
        self.write = write
        self.today = timezone.localdate()

    def run(self):
        if ResultPage.objects.exists() or MeetingPage.objects.exists():
            raise ValueError(
                "Die Datenbank enthält bereits Ergebnisse oder Sitzungen; "
                "der Datensatz wird nur in eine leere Datenbank geschrieben."
            )
        with indexes_built_afterwards():
            with transaction.atomic():
                self.build_structure()
            self.build_timeline()
            with transaction.atomic():
                self.build_reports()
        self.progress.report("Suchindex wird aufgebaut", 0, 1, force=True)
        call_command("update_index", verbosity=0)
        # Freshly filled tables have no planner statistics: without them SQLite reads the whole
        # page tree to list the few topic pages, and PostgreSQL waits for autovacuum.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.progress.report("Fertig", 1, 1, force=True)

    # Structure: home, sections, topics, bodies, places, factions, members, documents.

    def build_structure(self):
        self.home = self.ensure_home()
        self.topic_index = self.ensure_section(TopicAreaIndexPage, "themenfelder", "Themenfelder")
        self.meeting_index = self.ensure_section(MeetingIndexPage, "sitzungen", "Sitzungen")
        self.result_index = self.ensure_section(ResultIndexPage, "ergebnisse", "Ergebnisse")
        self.report_index = self.ensure_section(ReportIndexPage, "berichte", "Halbjahresberichte")
        self.ensure_section(MembersPage, "mitglieder", "Mitglieder")
        self.ensure_section(StandardPage, "impressum", "Impressum", show_in_menus=False)
        self.topics = self.build_topics()
        self.bodies = self.build_bodies()
        self.locations = self.build_locations()
        self.members = self.build_members()
        self.documents = self.build_documents()
        self.progress.report("Grundstruktur", 1, 1, force=True)

    def ensure_home(self):
        home = HomePage.objects.first()
        if home is None:
            home = add_draft_page(
                Page.get_first_root_node(),
                HomePage(
                    title="Arbeitsgruppe Digitalisierung",
                    slug="ag-digitalisierung",
                    intro="Die Arbeitsgruppe Digitalisierung des Stadtrats Plauen.",
                ),
            )
            publish(home, clean=False)
        serve_at_default_site(home)
        return home

    def ensure_section(self, model, slug, title, show_in_menus=True):
        existing = model.objects.child_of(self.home).first()
        if existing is not None:
            return existing
        page = add_draft_page(self.home, model(title=title, slug=slug, show_in_menus=show_in_menus))
        publish(page, clean=False)
        return page

    def build_topics(self):
        existing = list(TopicAreaPage.objects.order_by("path"))
        if existing:
            return existing
        topics = []
        for area, subtopics in TOPICS.items():
            parent = add_draft_page(
                self.topic_index,
                TopicAreaPage(title=area, intro=f"Das Themenfeld {area} der Arbeitsgruppe."),
            )
            publish(parent, clean=False)
            topics.append(parent)
            for subtopic in subtopics:
                child = add_draft_page(parent, TopicAreaPage(title=subtopic, intro=f"{subtopic}."))
                publish(child, clean=False)
                topics.append(child)
        return topics

    def build_bodies(self):
        bodies = []
        for name, short, public in BODIES:
            body, created = CouncilBody.objects.get_or_create(
                name=name, defaults={"short_name": short, "sessions_public_by_default": public}
            )
            if created:
                # Live from the start (the default); the revision makes it look approved.
                publish(body, clean=False)
            bodies.append(body)
        if not CouncilBody.objects.filter(is_workgroup=True).exists():
            workgroup = CouncilBody.objects.create(
                name=WORKGROUP_BODY[0],
                short_name=WORKGROUP_BODY[1],
                is_workgroup=True,
                sessions_public_by_default=False,
            )
            publish(workgroup, clean=False)
        return bodies

    def build_locations(self):
        locations = []
        for description, room, street in LOCATIONS:
            location, created = Location.objects.get_or_create(
                description=description,
                room=room,
                defaults={"street_address": street, "postal_code": "08523"},
            )
            if created:
                publish(location, clean=False)
            locations.append(location)
        return locations

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def new_member(self, **fields):
        member = Member(
            **{
                "name": self.person(),
                "name_is_public": self.rng.random() < 0.7,
                "start_date": FIRST_DAY,
                **fields,
            }
        )
        member.full_clean()
        member.save()
        publish(member, clean=False)
        return member

    def build_members(self):
        if Member.objects.exists():
            return list(Member.objects.all())
        members = [
            self.new_member(role=Member.Role.CHAIR, function_title="Koordinator Digitalisierung"),
            self.new_member(role=Member.Role.VICE_CHAIR, function_title="Fachgebietsleiter IT"),
            self.new_member(role=Member.Role.STAFF_HR),
            self.new_member(role=Member.Role.STAFF_CONTROLLING),
        ]
        for name, short, active in FACTIONS:
            faction = Faction(name=name, short_name=short, is_active=active)
            faction.save()
            publish(faction, clean=False)
            # One faction changed its representative: the old membership ended.
            if short == "GZ":
                members.append(
                    self.new_member(
                        role=Member.Role.REPRESENTATIVE,
                        faction=faction,
                        end_date=datetime.date(2024, 8, 31),
                    )
                )
            representative = self.new_member(
                role=Member.Role.REPRESENTATIVE,
                faction=faction,
                start_date=datetime.date(2024, 9, 1) if short == "GZ" else FIRST_DAY,
            )
            members.append(representative)
            for _number in range(self.rng.randint(1, 2)):
                members.append(
                    self.new_member(
                        role=Member.Role.DEPUTY, faction=faction, principal=representative
                    )
                )
        for topic in self.rng.sample(self.topics, 4):
            members.append(
                self.new_member(
                    role=Member.Role.GUEST,
                    guest_topic=topic,
                    is_expert_citizen=self.rng.random() < 0.5,
                )
            )
        return members

    def build_documents(self):
        Document = get_document_model()
        documents = []
        for number in range(1, DOCUMENT_POOL + 1):
            document = Document(title=f"Anlage {number:02d}")
            document.file.save(
                f"anlage-{number:02d}.pdf", ContentFile(b"%PDF-1.4\n% Testdokument\n"), save=False
            )
            document.save()
            # What an upload through the admin records, and OParl reports as size and checksum.
            document.get_file_size()
            document.get_file_hash()
            documents.append(document)
        return documents

    # Meetings and results, in the order they happened, so that each can refer to the other.

    def build_timeline(self):
        meeting_days = self.spread(self.meeting_count, FIRST_DAY, LAST_MEETING_DAY)
        result_days = self.spread(self.result_count, FIRST_DAY, LAST_RESULT_DAY)
        timeline = sorted(
            [(day, 0, index) for index, day in enumerate(meeting_days)]
            + [(day, 1, index) for index, day in enumerate(result_days)]
        )
        self.past_meetings = []
        self.recent_results = []
        self.sequence_by_year = {}
        done = {"meetings": 0, "results": 0}
        for start in range(0, len(timeline), BATCH_SIZE):
            with transaction.atomic():
                for day, is_result, _index in timeline[start : start + BATCH_SIZE]:
                    if is_result:
                        self.add_result(day)
                        done["results"] += 1
                    else:
                        self.add_meeting(day, done["meetings"] + 1)
                        done["meetings"] += 1
            self.progress.report(
                f"Sitzungen {done['meetings']}/{self.meeting_count}, Ergebnisse",
                done["results"],
                self.result_count,
            )

    def spread(self, count, first, last):
        span = (last - first).days
        return sorted(
            first + datetime.timedelta(days=self.rng.randint(0, span)) for _ in range(count)
        )

    def add_meeting(self, day, number):
        rng = self.rng
        start = local_datetime(day, rng.choice([9, 14, 16, 17]))
        cancelled = rng.random() < 0.05
        if cancelled:
            status = MeetingPage.Status.CANCELLED
        elif day < self.today:
            status = MeetingPage.Status.HELD
        else:
            status = MeetingPage.Status.PLANNED
        meeting = MeetingPage(
            title=f"{number}. Sitzung der AG Digitalisierung",
            slug=f"sitzung-{number}",
            number=number,
            start=start,
            end=start + datetime.timedelta(hours=2),
            location=rng.choice(self.locations),
            status=status,
            is_public=rng.random() >= CLOSED_MEETING_SHARE,
            minutes=rng.choice(self.documents) if rng.random() < 0.1 else None,
        )
        agenda = []
        for item_number in range(1, rng.randint(3, 7) + 1):
            result = (
                rng.choice(self.recent_results)
                if self.recent_results and rng.random() < 0.3
                else None
            )
            agenda.append(
                AgendaItem(
                    number=f"TOP {item_number}",
                    title=result.title if result else rng.choice(SUBJECTS),
                    is_public=rng.random() >= CLOSED_ITEM_SHARE,
                    topic_area=rng.choice(self.topics),
                    result=result,
                    decision=rng.choice(SENTENCES) if rng.random() < 0.5 else "",
                )
            )
        attendees = rng.sample(self.members, min(len(self.members), rng.randint(6, 10)))
        attendance = [
            Attendance(
                member=member,
                status=rng.choices([Attendance.Status.PRESENT, Attendance.Status.EXCUSED], [9, 1])[
                    0
                ],
            )
            for member in attendees
        ]
        add_draft_page(
            self.meeting_index,
            meeting,
            [(AgendaItem, "meeting", agenda), (Attendance, "meeting", attendance)],
        )
        publish(meeting, clean=False)
        self.past_meetings = [*self.past_meetings[-19:], meeting]

    def add_result(self, day):
        rng = self.rng
        sequence = self.sequence_by_year.get(day.year, 0) + 1
        self.sequence_by_year[day.year] = sequence
        kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        subject = rng.choice(SUBJECTS)
        title = f"{subject}: {rng.choice(ASPECTS)}"
        result = ResultPage(
            title=title,
            slug=f"ergebnis-{day.year}-{sequence:05d}",
            kind=kind,
            reference=f"AG-DIG/{day.year}/{sequence:05d}",
            result_date=day,
            progress=self.progress_for(day),
            summary=" ".join(rng.sample(SENTENCES, 3)),
            easy_language_summary=(
                " ".join(rng.sample(EASY_SENTENCES, 2)) if rng.random() < 0.2 else ""
            ),
            body=[
                ("heading", {"text": "Sachstand", "level": "h2"}),
                ("paragraph", RichText(f"<p>{' '.join(rng.sample(SENTENCES, 4))}</p>")),
            ],
            # The feeds order by first publication; the result went out on its own date.
            first_published_at=local_datetime(day, 12),
        )
        result.topic_areas = rng.sample(self.topics, rng.randint(1, 2))
        if self.past_meetings:
            result.source_meetings = rng.sample(
                self.past_meetings[-5:], min(len(self.past_meetings[-5:]), rng.randint(0, 2))
            )
        consultation_day = day
        consultations = []
        bodies = rng.sample(self.bodies, rng.randint(1, 4))
        for position, body in enumerate(bodies):
            consultation_day += datetime.timedelta(days=rng.randint(7, 35))
            is_last = position == len(bodies) - 1
            consultations.append(
                Consultation(
                    body=body,
                    date=consultation_day,
                    is_public=rng.random() >= CLOSED_CONSULTATION_SHARE,
                    role=Consultation.Role.DECISION if is_last else Consultation.Role.PRELIMINARY,
                    agenda_item_number=f"TOP {rng.randint(1, 12)}",
                    outcome=rng.choice(["zugestimmt", "zur Kenntnis genommen", "vertagt", ""]),
                )
            )
        attachments = (
            [ResultAttachment(document=rng.choice(self.documents))] if rng.random() < 0.05 else []
        )
        add_draft_page(
            self.result_index,
            result,
            [
                (Consultation, "result", consultations),
                (ResultAttachment, "result", attachments),
            ],
        )
        if rng.random() < DRAFT_SHARE:
            result.save_revision()
        else:
            publish(result, clean=False)
            self.recent_results = [*self.recent_results[-49:], result]

    def progress_for(self, day):
        age = (LAST_RESULT_DAY - day).days
        if age < 90:
            choices = ["in_preparation", "in_consultation", "decided"]
        elif age < 400:
            choices = ["in_consultation", "decided", "in_implementation", "deferred"]
        else:
            choices = ["decided", "in_implementation", "implemented", "implemented", "rejected"]
        return ResultPage.Progress(self.rng.choice(choices))

    def build_reports(self):
        if ReportPage.objects.exists():
            return
        year, half = 2022, 2
        while datetime.date(year, 6 if half == 1 else 12, 30) < LAST_RESULT_DAY:
            report = add_draft_page(
                self.report_index,
                ReportPage(
                    title=f"Halbjahresbericht {half}/{year}",
                    slug=f"bericht-{year}-{half}",
                    period_year=year,
                    period_half=half,
                    presented_on=datetime.date(year + half - 1, 1 if half == 2 else 7, 20),
                    summary=[("paragraph", RichText(f"<p>{self.rng.choice(SENTENCES)}</p>"))],
                ),
            )
            publish(report, clean=False)
            year, half = (year, 2) if half == 1 else (year + 1, 1)
