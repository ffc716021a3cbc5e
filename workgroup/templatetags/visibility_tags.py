"""The visibility policy in templates: templates ask workgroup.visibility through these filters
and never decide confidentiality with a condition of their own."""

from django import template

from workgroup import visibility

register = template.Library()


@register.filter
def visible_to(pages, request):
    """The pages of a relation the reader may see: `page.topic_areas.all|visible_to:request`."""
    return visibility.only_visible(pages, request)


@register.filter
def page_visible_to(page, request):
    return visibility.page_is_visible(page, request)


@register.filter
def details_visible_to(meeting, request):
    """Agenda, attendance, guests and documents of the meeting."""
    return visibility.meeting_details_visible(meeting, request)


@register.filter
def item_visible_to(agenda_item, request):
    return visibility.agenda_item_visible(agenda_item, request)


@register.filter
def outcome_visible_to(consultation, request):
    """Role and outcome of a step of the Beratungsfolge."""
    return visibility.consultation_outcome_visible(consultation, request)


@register.filter
def published_name(member):
    """The name as the published composition shows it to everyone: only with consent."""
    return visibility.member_name(member, None)


@register.filter
def name_for(member, request):
    """The member's name, or the stand-in if the reader may not know it."""
    return visibility.member_name(member, request)


@register.simple_tag(takes_context=True)
def document_shown(context, page, field, document):
    """Whether the page may show the reader the document it refers to in `field`."""
    return visibility.document_visible_on(page, field, document, context.get("request"))


# --- Council bodies and locations: shown only once approved (workgroup.visibility) ------------


@register.filter
def approved_consultations(consultations):
    """The steps of the Beratungsfolge whose body is approved: `page.consultations.all|
    approved_consultations`."""
    return visibility.visible_consultations(consultations)


@register.filter
def approved_location(meeting):
    """The meeting's place, or None while it waits for approval."""
    return visibility.meeting_location(meeting)
