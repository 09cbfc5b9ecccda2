"""The region demo (``seed_demo --scale region``: ten authorities) at small size: two authorities, each at small
scale. Every authority has its own office, people and organisations; the first keeps exactly its data."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_SITES
from accounts.models import AuthorityStaff, User
from grants.models import Agreement, Offer, OpenCall
from organisations.demo import site_organisations
from organisations.models import Organisation
from programmes.models import Authority, Programme

pytestmark = pytest.mark.django_db


def _first_authority_data():
    """What the first authority's pages show: its calls, offers (by organisation) and agreements."""
    first = Authority.objects.get(slug=DEMO_SITES[0].slug)
    return (
        sorted(OpenCall.objects.filter(authority=first).values_list("number", "title", "status")),
        sorted(
            Offer.objects.filter(call__authority=first).values_list(
                "call__number", "organisation__nip", "status", "grant_amount"
            )
        ),
        sorted(Agreement.objects.filter(authority=first).values_list("number", "organisation__nip", "grant_amount")),
        sorted(Programme.objects.filter(authority=first).values_list("title", flat=True)),
    )


def test_two_authorities_each_with_their_own_data_and_the_first_unchanged():
    call_command("seed_demo", "--scale", "small", verbosity=0)
    alone = _first_authority_data()
    call_command("seed_demo", "--scale", "small", "--authorities", "2", verbosity=0)
    assert _first_authority_data() == alone  # seeding the first again (idempotent) and the second changed nothing

    first, second = (Authority.objects.get(slug=site.slug) for site in DEMO_SITES[:2])
    assert second.name == "Powiat Strzelecki" and second.kind == Authority.Kind.COUNTY
    # Its own office, whose demo login signs in with the demo password (hashed once for all demo people).
    clerk = User.objects.get(email="urzednik@powiat-strzelecki.portal.example.pl")
    assert list(AuthorityStaff.objects.filter(user=clerk).values_list("authority", flat=True)) == [second.pk]
    assert clerk.check_password(DEMO_PASSWORD)
    assert User.objects.get(email="urzednik@portal.example.pl").check_password(DEMO_PASSWORD)
    # Its own programme, titled with its name, and calls offered to by its own organisations, seated in its territory.
    assert Programme.objects.filter(authority=second, title__contains="Powiatu Strzeleckiego").count() == 3
    mine = set(site_organisations(DEMO_SITES[1]).values_list("pk", flat=True))
    assert mine and mine.isdisjoint(site_organisations(DEMO_SITES[0]).values_list("pk", flat=True))
    assert Organisation.objects.filter(pk__in=mine).in_territory_of(second).count() == len(mine)
    assert not Organisation.objects.filter(pk__in=mine).in_territory_of(first).exists()
    offered = set(Offer.objects.filter(call__authority=second).values_list("organisation", flat=True))
    assert offered and offered <= mine
    assert OpenCall.objects.filter(authority=second).count() == OpenCall.objects.filter(authority=first).count()
