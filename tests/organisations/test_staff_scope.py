"""Per-authority scope of office staff (issue 14 item 4): private data and verification only where they deal."""

import pytest
from django.urls import reverse

from grants.models import Agreement
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.grants.agreement_factories import make_agreement
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def authority_a():
    return AuthorityFactory(name="Gmina Zbójno", slug="zbojno", city="Zbójno")


@pytest.fixture
def authority_b():
    return AuthorityFactory(name="Miasto Białystok", slug="bialystok", city="Białystok")


@pytest.fixture
def staff_a(authority_a):
    return AuthorityStaffFactory(authority=authority_a).user


@pytest.fixture
def staff_b(authority_b):
    return AuthorityStaffFactory(authority=authority_b).user


@pytest.fixture
def dealing_with_a(authority_a):
    """Based in neither seat; its only tie is an agreement with authority A."""
    organisation = OrganisationFactory(name="Fundacja Tylko Zbójna", city="Golub-Dobrzyń")
    make_agreement(organisation=organisation, kind="direct", authority=authority_a, status=Agreement.Status.DRAFT)
    return organisation


DECIDE = {"action": "decide", "decision": "verify"}


def detail(client, organisation):
    return client.get(reverse("organisations:detail", args=[organisation.pk])).text


def test_staff_of_another_authority_can_neither_verify_nor_read_the_account(client_for, staff_b, dealing_with_a):
    client = client_for(staff_b)
    assert client.post(reverse("organisations:verify", args=[dealing_with_a.pk]), DECIDE).status_code == 404
    dealing_with_a.refresh_from_db()
    assert dealing_with_a.verified_at is None
    page = detail(client, dealing_with_a)
    assert "Rachunek bankowy" not in page and dealing_with_a.bank_account[-4:] not in page
    assert "Sprawdź z KRS i zweryfikuj" not in page
    listing = client.get(reverse("organisations:staff-list")).text
    assert dealing_with_a.name not in listing
    assert dealing_with_a.name not in client.get(reverse("accounts:staff-home")).text


def test_staff_of_the_authority_it_deals_with_verify_and_read_it(client_for, staff_a, dealing_with_a):
    client = client_for(staff_a)
    page = detail(client, dealing_with_a)
    assert "Rachunek bankowy" in page and "Sprawdź z KRS i zweryfikuj" in page
    assert dealing_with_a.name in client.get(reverse("organisations:staff-list")).text
    assert client.post(reverse("organisations:verify", args=[dealing_with_a.pk]), DECIDE).status_code == 302
    dealing_with_a.refresh_from_db()
    assert dealing_with_a.verified_by == staff_a


def test_an_organisation_based_in_the_authoritys_seat_is_in_its_scope(client_for, staff_b, authority_b):
    local = OrganisationFactory(name="Klub z Białegostoku", city="Białystok")
    assert "Rachunek bankowy" in detail(client_for(staff_b), local)


def test_the_public_directory_stays_public(client_for, staff_b, dealing_with_a):
    assert client_for(staff_b).get(reverse("organisations:detail", args=[dealing_with_a.pk])).status_code == 200
    assert dealing_with_a.name in client_for(None).get(reverse("organisations:directory")).text
