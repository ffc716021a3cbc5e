"""Page addresses in plain ASCII, German style: „Einführung“ becomes einfuehrung, „Straße“
strasse. Wagtail's own transliteration drops the umlaut's e (einfuhrung), and with Unicode slugs
allowed, addresses held percent-encoded umlauts (einf%C3%BChrung) that break when copied into
mails and documents."""

from django import forms
from django.db import models
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput

GERMAN_TRANSLITERATION = [
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("Ä", "Ae"),
    ("Ö", "Oe"),
    ("Ü", "Ue"),
    ("ß", "ss"),
    ("ẞ", "SS"),
]


class GermanSlugInput(SlugInput):
    """Wagtail's slug field, with the German spellings applied before it makes the slug (in the
    browser, from the title or from what the editor types)."""

    def __init__(self, attrs=None, **kwargs):
        kwargs.setdefault("formatters", GERMAN_TRANSLITERATION)
        super().__init__(attrs, **kwargs)


class GermanSlugField(forms.SlugField):
    """The same on the server, for a form sent without the browser's help: umlauts and ß spelled
    out, lower case as the browser makes it, anything else outside ASCII refused with Django's
    (German) message for invalid slugs."""

    def __init__(self, *, allow_unicode=False, **kwargs):
        super().__init__(allow_unicode=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        for character, spelling in GERMAN_TRANSLITERATION:
            value = value.replace(character, spelling)
        return value.lower()


def use_german_slugs():
    """Every slug field of the admin's forms gets the German slug input (WorkgroupConfig.ready)."""
    register_form_field_override(
        models.SlugField, override={"widget": GermanSlugInput, "form_class": GermanSlugField}
    )
