from django.utils.functional import SimpleLazyObject

from workgroup.visibility import can_read_confidential


def confidential_access(request):
    """`show_confidential` in every template: whether the reader may see non-public content."""
    return {"show_confidential": SimpleLazyObject(lambda: can_read_confidential(request.user))}
