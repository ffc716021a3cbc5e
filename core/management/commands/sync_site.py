from django.core.management.base import BaseCommand
from wagtail.models import Site

from core.site_url import site_record, site_url


class Command(BaseCommand):
    help = "Richtet den Wagtail-Site-Eintrag (Rechnername und Port) nach SITE_URL aus."

    def handle(self, *args, **options):
        wanted = site_record()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            self.stdout.write("Noch keine Standard-Site; sie entsteht mit dem Inhalt.")
            return
        if all(getattr(site, name) == value for name, value in wanted.items()):
            self.stdout.write(f"Die Site antwortet bereits unter {site_url()}/.")
            return
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()
        self.stdout.write(f"Die Site antwortet jetzt unter {site_url()}/.")
