"""Documents in the admin: what approved content uses stays as it was approved."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from workgroup import visibility

# Wagtail lets whoever may change a document replace its file in place; the public would then
# download a file nobody approved. A new version is a new upload that the page takes up and
# that goes online with the page's next approval, so the approved file stays what it was.
FROZEN_FIELDS = {"file": _("Datei"), "title": _("Titel"), "collection": _("Sammlung")}

DOCUMENT_IN_USE = _(
    "Dieses Dokument gehört zu freigegebenen Inhalten (oder zu einer Fassung, die auf Freigabe "
    "wartet). %(fields)s können daher nicht mehr geändert werden. Laden Sie die neue Fassung "
    "als neues Dokument hoch und tauschen Sie es auf der Seite aus: Es geht mit der nächsten "
    "Freigabe online."
)


class ApprovedDocumentForm(BaseDocumentForm):
    """The document form of the whole admin (WAGTAILDOCS_DOCUMENT_FORM_BASE): edit view,
    multiple upload and chooser upload."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        changed = [name for name in FROZEN_FIELDS if name in self.changed_data]
        if changed and visibility.document_in_approved_use(self.instance):
            fields = ", ".join(str(FROZEN_FIELDS[name]) for name in changed)
            raise ValidationError(DOCUMENT_IN_USE, params={"fields": fields}, code="in_use")
        return cleaned_data
