"""The public members page: the AG's composition grouped as the founding paper groups it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workgroup.models.people import Faction, Member, NominationStatus
from workgroup.models.sections import SectionIndexPage


class MembersPage(SectionIndexPage):
    subpage_types = []

    class Meta:
        verbose_name = _("Mitgliederseite")

    def composition(self, on_date=None):
        """Live members serving today, in the founding paper's order: chair, vice chair,
        administration, one block per active faction, topic guests."""
        on_date = on_date or timezone.localdate()
        members = [
            m
            for m in Member.objects.filter(live=True).select_related("faction", "guest_topic")
            if m.serves_on(on_date)
        ]
        by_role = {role: [] for role in Member.Role}
        for member in sorted(members, key=lambda m: m.name):
            by_role[Member.Role(member.role)].append(member)

        factions = list(Faction.objects.filter(live=True, is_active=True))
        faction_blocks = []
        for faction in factions:
            faction_members = [m for m in members if m.faction_id == faction.pk]
            faction_blocks.append(
                {
                    "faction": faction,
                    "representatives": [
                        m for m in faction_members if m.role == Member.Role.REPRESENTATIVE
                    ],
                    "deputies": [m for m in faction_members if m.role == Member.Role.DEPUTY],
                    "status": NominationStatus.for_faction(
                        faction, on_date, members=faction_members
                    ),
                }
            )
        return {
            "chair": by_role[Member.Role.CHAIR],
            "vice_chair": by_role[Member.Role.VICE_CHAIR],
            "administration": by_role[Member.Role.STAFF_HR]
            + by_role[Member.Role.STAFF_CONTROLLING],
            "factions": faction_blocks,
            "guests": by_role[Member.Role.GUEST],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["composition"] = self.composition()
        return context
