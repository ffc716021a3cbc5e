from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    current = context.get("page")
    items = site.root_page.get_children().live().in_menu() if site else []
    current_path = current.url_path if current else ""
    return {
        "items": [(item, current_path.startswith(item.url_path)) for item in items],
        "site_root": site.root_page if site else None,
    }
