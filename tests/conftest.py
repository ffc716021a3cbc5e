import pytest
from django.core.cache import caches

from tests import scenarios


@pytest.fixture
def site_root(db):
    """The AG's home page as the default site's root, in place of Wagtail's welcome page."""
    return scenarios.serve_home()


@pytest.fixture(autouse=True)
def fresh_caches():
    """Every test starts with empty caches (the page cache, Wagtail's site root paths): a page
    one test cached must not answer the next test, whose data differ or were rolled back."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
