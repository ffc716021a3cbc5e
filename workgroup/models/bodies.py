"""The council's bodies (Gremien) and the places the AG meets.

Both go through the Koordination's approval like members and factions: OParl lists them and the
website names them, so a new one or a change reaches the public only once approved. As for every
`DraftStateMixin` snippet, the row holds the live version (or, while never published, the draft),
and later edits wait in revisions.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from workgroup.models.people import ApprovedSnippetMixin


class CouncilBody(ApprovedSnippetMixin, index.Indexed, models.Model):
    """A council body that considers the AG's papers (not OParl's Body, which is the city)."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=50, blank=True)
    sessions_public_by_default = models.BooleanField(
        _("Sitzungen grundsätzlich öffentlich"),
        default=True,
        help_text=_("Voreinstellung für neue Beratungen dieses Gremiums."),
    )
    is_workgroup = models.BooleanField(
        _("ist die AG Digitalisierung"),
        default=False,
        help_text=_("Kennzeichnet das Gremium, das diese Website betreibt."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("sessions_public_by_default"),
        FieldPanel("is_workgroup"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
    ]

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_workgroup"],
                condition=models.Q(is_workgroup=True),
                name="only_one_workgroup_body",
                violation_error_message=_("Nur ein Gremium kann die AG Digitalisierung sein."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        # The unique constraints see the rows only, and a live body's unapproved change waits
        # in a revision. Claiming what such a change claims would make its approval fail on
        # the constraint, so the claim is refused here, while the editor can still react.
        pending = self._pending_changes_of_others()
        errors = {}
        if self.name and pending.filter(latest_revision__content__name=self.name).exists():
            errors["name"] = _(
                "Diesen Namen erhält ein anderes Gremium mit einer Änderung, die auf Freigabe "
                "wartet."
            )
        marks_workgroup = pending.filter(latest_revision__content__is_workgroup=True)
        if self.is_workgroup and marks_workgroup.exists():
            errors["is_workgroup"] = _(
                "Ein anderes Gremium wird mit einer Änderung, die auf Freigabe wartet, zur AG "
                "Digitalisierung. Nur ein Gremium kann die AG Digitalisierung sein."
            )
        if errors:
            raise ValidationError(errors)

    def _pending_changes_of_others(self):
        """Other live bodies whose latest version is not yet approved. A never-published draft
        needs no look: its content is in its row, where the constraints see it."""
        others = CouncilBody.objects.filter(live=True, has_unpublished_changes=True)
        return others.exclude(pk=self.pk) if self.pk else others


class Location(ApprovedSnippetMixin, index.Indexed, models.Model):
    """A meeting place; OParl exposes it as a Location."""

    description = models.CharField(_("Bezeichnung"), max_length=200)
    room = models.CharField(_("Raum"), max_length=100, blank=True)
    street_address = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    locality = models.CharField(_("Ort"), max_length=100, default="Plauen")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("description"),
        FieldPanel("room"),
        FieldPanel("street_address"),
        FieldPanel("postal_code"),
        FieldPanel("locality"),
    ]
    search_fields = [
        index.SearchField("description"),
        index.AutocompleteField("description"),
        index.SearchField("street_address"),
    ]

    class Meta:
        verbose_name = _("Sitzungsort")
        verbose_name_plural = _("Sitzungsorte")
        ordering = ["description", "room"]

    def __str__(self):
        return f"{self.description}, {self.room}" if self.room else self.description

    @property
    def revisions(self):
        return self._revisions

    @property
    def address(self):
        city = " ".join(part for part in (self.postal_code, self.locality) if part)
        return ", ".join(part for part in (self.street_address, city) if part)
