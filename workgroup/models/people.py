"""The AG's composition: factions and members, as the founding paper sets it out."""

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

# The founding paper asks the factions to name their people by this date.
NOMINATION_DEADLINE = datetime.date(2022, 5, 31)


class ApprovedSnippetMixin(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin):
    """A snippet whose changes go through the approval workflow, like pages do."""

    # The relations Wagtail's docs ask every such snippet to declare, so that deleting one
    # deletes its revisions and workflow states; named after each class ("member", …).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(class)s")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="%(class)s",
        for_concrete_model=False,
    )

    class Meta:
        abstract = True


class Faction(ApprovedSnippetMixin, index.Indexed, models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=50)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Inaktive Fraktionen erscheinen nicht mehr in der Zusammensetzung."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("is_active")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("Fraktion")
        verbose_name_plural = _("Fraktionen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions

    def nomination_status(self, on_date=None):
        return NominationStatus.for_faction(self, on_date)


class NominationStatus:
    """Whether a faction has named what the founding paper asks of it.

    One representative and at least one deputy per faction; a status to show, never a save error,
    because factions fill their seats over time.
    """

    COMPLETE = "complete"
    REPRESENTATIVE_MISSING = "representative_missing"
    DEPUTY_MISSING = "deputy_missing"
    BOTH_MISSING = "both_missing"

    LABELS = {
        COMPLETE: _("vollständig benannt"),
        REPRESENTATIVE_MISSING: _("Vertreter/in fehlt"),
        DEPUTY_MISSING: _("Stellvertreter/in fehlt"),
        BOTH_MISSING: _("Vertreter/in und Stellvertreter/in fehlen"),
    }

    def __init__(self, faction, code, representatives, deputies, on_date):
        self.faction = faction
        self.code = code
        self.representatives = representatives
        self.deputies = deputies
        self.on_date = on_date

    @classmethod
    def for_faction(cls, faction, on_date=None, members=None):
        """members: the faction's live members, when the caller has loaded them already."""
        on_date = on_date or timezone.localdate()
        if members is None:
            members = faction.members.filter(live=True)
        serving = [m for m in members if m.serves_on(on_date)]
        representatives = [m for m in serving if m.role == Member.Role.REPRESENTATIVE]
        deputies = [m for m in serving if m.role == Member.Role.DEPUTY]
        if representatives and deputies:
            code = cls.COMPLETE
        elif deputies:
            code = cls.REPRESENTATIVE_MISSING
        elif representatives:
            code = cls.DEPUTY_MISSING
        else:
            code = cls.BOTH_MISSING
        return cls(faction, code, representatives, deputies, on_date)

    @classmethod
    def for_active_factions(cls, on_date=None):
        factions = Faction.objects.filter(live=True, is_active=True).prefetch_related(
            models.Prefetch("members", queryset=Member.objects.filter(live=True))
        )
        return [cls.for_faction(f, on_date, members=f.members.all()) for f in factions]

    @property
    def is_complete(self):
        return self.code == self.COMPLETE

    @property
    def label(self):
        return self.LABELS[self.code]

    @property
    def deadline(self):
        return NOMINATION_DEADLINE

    @property
    def is_overdue(self):
        return not self.is_complete and self.on_date > NOMINATION_DEADLINE


class Member(ApprovedSnippetMixin, index.Indexed, models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Vorsitz (Koordinator Digitalisierung)")
        VICE_CHAIR = "vice_chair", _("stellv. Vorsitz (Fachgebietsleiter IT)")
        STAFF_HR = "staff_hr", _("Mitarbeiter/in FG Personal/Organisation")
        STAFF_CONTROLLING = "staff_controlling", _("Mitarbeiter/in Controlling")
        REPRESENTATIVE = "representative", _("Vertreter/in einer Fraktion")
        DEPUTY = "deputy", _("Stellvertreter/in einer Fraktion")
        GUEST = "guest", _("themenbezogener Gast")

    # Roles the founding paper allows once at a time.
    SINGLE_SEAT_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.STAFF_HR, Role.STAFF_CONTROLLING)
    FACTION_ROLES = (Role.REPRESENTATIVE, Role.DEPUTY)

    name = models.CharField(
        _("Name"),
        max_length=200,
        help_text=_("Bei themenbezogenen Gästen auch eine Organisation, z. B. „Kreisschülerrat“."),
    )
    function_title = models.CharField(_("Funktion"), max_length=200, blank=True)
    role = models.CharField(_("Rolle in der AG"), max_length=20, choices=Role.choices)
    faction = models.ForeignKey(
        Faction,
        verbose_name=_("Fraktion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Nur für Vertreter/innen und Stellvertreter/innen von Fraktionen."),
    )
    principal = models.ForeignKey(
        "self",
        verbose_name=_("vertritt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputies",
        limit_choices_to={"role": Role.REPRESENTATIVE},
        help_text=_("Bei Stellvertreter/innen: die Vertreterin oder der Vertreter der Fraktion."),
    )
    guest_topic = models.ForeignKey(
        "workgroup.TopicAreaPage",
        verbose_name=_("Themenfeld des Gastes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guests",
    )
    is_expert_citizen = models.BooleanField(_("sachkundige/r Einwohner/in"), default=False)
    start_date = models.DateField(_("Mitglied seit"), null=True, blank=True)
    end_date = models.DateField(_("Mitglied bis"), null=True, blank=True)
    email = models.EmailField(
        _("E-Mail"),
        blank=True,
        help_text=_("Nur für die Redaktion; wird nie öffentlich angezeigt."),
    )
    name_is_public = models.BooleanField(
        _("Name darf veröffentlicht werden"),
        default=False,
        help_text=_("Nur mit Einwilligung der Person. Sonst erscheint nur die Funktion."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("function_title"), FieldPanel("name_is_public")],
            heading=_("Person"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("role"),
                FieldPanel("faction"),
                FieldPanel("principal"),
                FieldPanel("guest_topic"),
                FieldPanel("is_expert_citizen"),
            ],
            heading=_("Rolle"),
        ),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Zeitraum")),
        FieldPanel("email"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("function_title"),
        index.FilterField("role"),
        index.FilterField("faction"),
    ]

    class Meta:
        verbose_name = _("Mitglied")
        verbose_name_plural = _("Mitglieder")
        ordering = ["role", "name"]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions

    @property
    def public_name(self):
        """What the public may read: the name only with consent."""
        return self.name if self.name_is_public else _("Name nicht veröffentlicht")

    def serves_on(self, day):
        started = self.start_date is None or self.start_date <= day
        not_ended = self.end_date is None or self.end_date >= day
        return started and not_ended

    def overlaps(self, other):
        """Whether two memberships share at least one day."""
        self_ends_before = self.end_date and other.start_date and self.end_date < other.start_date
        other_ends_before = other.end_date and self.start_date and other.end_date < self.start_date
        return not (self_ends_before or other_ends_before)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _(
                "Das Ende der Mitgliedschaft darf nicht vor ihrem Beginn liegen."
            )

        if self.role in self.FACTION_ROLES and not self.faction_id:
            errors["faction"] = _(
                "Vertreter/innen und Stellvertreter/innen brauchen eine Fraktion."
            )
        if self.role not in self.FACTION_ROLES and self.faction_id:
            errors["faction"] = _(
                "Nur Vertreter/innen und Stellvertreter/innen gehören einer Fraktion an."
            )

        if self.role == self.Role.DEPUTY:
            if self.principal_id and self.principal.faction_id != self.faction_id:
                errors["principal"] = _(
                    "Ein/e Stellvertreter/in gehört derselben Fraktion an "
                    "wie die vertretene Person."
                )
        elif self.principal_id:
            errors["principal"] = _("Nur Stellvertreter/innen vertreten jemanden.")

        if self.role != self.Role.GUEST and self.guest_topic_id:
            errors["guest_topic"] = _("Ein Themenfeld gibt es nur für themenbezogene Gäste.")

        seat_error = self._single_seat_error()
        if seat_error:
            errors.setdefault("role", seat_error)
        if errors:
            raise ValidationError(errors)

    def _single_seat_error(self):
        """The founding paper gives one chair, one vice chair, one HR and one controlling seat,
        and one representative per faction; two people may hold such a seat only one after
        the other."""
        if self.role in self.SINGLE_SEAT_ROLES:
            rivals = Member.objects.filter(role=self.role)
        elif self.role == self.Role.REPRESENTATIVE and self.faction_id:
            rivals = Member.objects.filter(role=self.role, faction_id=self.faction_id)
        else:
            return None
        if self.pk:
            rivals = rivals.exclude(pk=self.pk)
        for rival in rivals:
            if self.overlaps(rival):
                return _(
                    "„%(role)s“ ist im selben Zeitraum bereits mit %(name)s besetzt. "
                    "Tragen Sie zuerst ein Enddatum bei der bisherigen Besetzung ein."
                ) % {"role": self.get_role_display(), "name": rival.name}
        return None
