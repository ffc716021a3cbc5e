"""sitemap.xml: the pages the public may see, as the visibility policy decides."""

from wagtail.contrib.sitemaps import Sitemap

from workgroup import visibility


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, with the page selection from workgroup.visibility: for everyone,
    logged in or not, it lists only what the anonymous public may open (search engines are
    its readers)."""

    def items(self):
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        return visibility.public_pages(pages).order_by("path").defer_streamfields().specific()
