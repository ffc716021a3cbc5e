"""How the demo, the data generator and the tests' scenarios put content into the site: the
way the admin does, so that what they build looks edited.

Pages are added as drafts and published through a revision (Wagtail's `save_revision().publish()`),
so that they carry revisions, log entries and first-publication dates; the default site serves
the AG's home page instead of Wagtail's welcome page.
"""

import datetime

from django.utils import timezone
from wagtail.models import Page, Site

from core.site_url import site_record


def publish(obj, clean=True):
    """A revision of the object, published. `clean=False` where the object was validated when it
    was first saved and the revision holds the same (the generator's bulk path)."""
    obj.save_revision(clean=clean).publish()


def add_draft_page(parent, page, inline_rows=()):
    """Add a page under its parent as a draft, as the admin does; the caller publishes it.

    `inline_rows` are (model, parent field, rows) triples of the page's inline children
    (agenda, attendance, Beratungsfolge), written with one INSERT per kind before the revision
    is taken, so that the revision holds them.
    """
    page.live = False
    parent.add_child(instance=page)
    for model, parent_field, rows in inline_rows:
        for sort_order, row in enumerate(rows):
            setattr(row, parent_field, page)
            row.sort_order = sort_order
        model.objects.bulk_create(rows)
    return page


def serve_at_default_site(home):
    """Serve the home page at the default site, under SITE_URL, and drop the welcome page
    Wagtail's migrations made (a plain Page) once nothing points to it."""
    address = site_record()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(**address, root_page=home, is_default_site=True)
        return
    previous_root = site.root_page
    wanted = {**address, "root_page_id": home.pk}
    if any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()
    if previous_root.pk != home.pk and previous_root.specific_class is Page:
        previous_root.delete()


def local_datetime(day, hour, minute=0):
    """The day at the hour in the city's time zone (settings.TIME_ZONE)."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )
