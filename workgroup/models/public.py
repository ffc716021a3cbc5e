"""Public pages within the query itself.

Wagtail's `PageQuerySet.public()` first loads every page view restriction in a query of its own,
once per call; a page with four listings paid four extra queries. This filter says the same
("no restriction on the page or an ancestor") as a NOT EXISTS inside the listing's own query.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def public(pages):
    """The pages of the queryset that no view restriction hides."""
    hiding = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.filter(~Exists(hiding))
