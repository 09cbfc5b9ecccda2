"""The navigation's cached links are what ``{% url %}`` gives, in and out of an authority's space."""

import pytest
from django.test import override_settings
from django.urls import get_script_prefix, reverse, set_script_prefix

from config.links import nav_url

pytestmark = pytest.mark.django_db


def test_nav_url_is_what_reverse_gives_in_and_out_of_an_authority_space(authority):
    root = get_script_prefix()
    try:
        for prefix in (root, f"{root}{authority.slug}/"):
            set_script_prefix(prefix)
            for name in ("home", "grants:call-list", "organisations:directory", "accounts:staff-home"):
                assert nav_url(name) == reverse(name)
        assert nav_url("grants:call-list").startswith(f"{root}{authority.slug}/")
    finally:
        set_script_prefix(root)
    assert nav_url("grants:call-list") == reverse("grants:call-list") == "/konkursy/"


def test_the_pages_navigation_stays_inside_the_authority_space(client, authority):
    page = client.get(f"/{authority.slug}/konkursy/").text
    assert f'href="/{authority.slug}/organizacje/"' in page and 'href="/organizacje/"' not in page
    with override_settings(ROOT_URLCONF="tests.benchmarks.urls"):  # another URL configuration: its own links
        assert nav_url("grants:call-list") == "/konkursy/"
