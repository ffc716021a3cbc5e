"""Collection names that say what they mean to editors: a collection no longer publishes on its
own (workgroup.visibility), and Wagtail's "Root" means nothing to them."""

from django.db import migrations

ROOT = "Dokumente (öffentlich erst mit freigegebenen Inhalten)"
RENAMED = {
    "Öffentlich": "Unterlagen für freigegebene Inhalte",
    "Nicht öffentlich": "Nur für die AG (nie öffentlich)",
}


def rename(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT)
    for old, new in RENAMED.items():
        if not Collection.objects.filter(depth=2, name=new).exists():
            Collection.objects.filter(depth=2, name=old).update(name=new)


def restore(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name=ROOT).update(name="Root")
    for old, new in RENAMED.items():
        Collection.objects.filter(depth=2, name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [
        ("workgroup", "0005_bodies_locations_approval"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename, restore)]
