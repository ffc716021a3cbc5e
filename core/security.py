from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIXES = ("/admin/",)


class AdminAwareCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere, relaxed for the Wagtail admin alone.

    Wagtail 8's admin still renders inline scripts (InlinePanel, the date and time widgets) and
    inline styles; without 'unsafe-inline' there, editors could not add agenda items or pick a
    date, and it frames its own previews. The public site keeps the strict policy: no inline
    script at all, and no frame of it anywhere.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not request.path.startswith(ADMIN_PREFIXES):
            return parts
        directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        relaxed = {
            "script-src": [*directives["script-src"], "'unsafe-inline'"],
            "style-src": [*directives["style-src"], "'unsafe-inline'"],
        }
        # The editor shows the preview of a page in a frame of its own.
        framed_by_itself = {"frame-ancestors": ["'self'"]}
        return PolicyParts(
            parts.config,
            {**(parts.update or {}), **relaxed},
            {**(parts.replace or {}), **framed_by_itself},
            parts.nonce,
        )
