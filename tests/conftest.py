"""Actors as fixtures: each test asks for the people it needs by their role."""

import os

import pytest
from django.db import connection

from organisations.models import Membership
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory, UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory


def pytest_collection_modifyitems(config, items):
    """Skip, saying why, what this machine cannot run; CI (REQUIRE_BROWSER=1) refuses to skip the browser."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    have_browser = os.path.exists("/usr/bin/chromium")
    if not have_browser and os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError("REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: apt-get install chromium")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); SQLite lacks this feature")
    skip_browser = pytest.mark.skip(reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
            if not have_browser:
                item.add_marker(skip_browser)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


@pytest.fixture
def authority(db):
    return AuthorityFactory()


@pytest.fixture
def staff_user(authority):
    return AuthorityStaffFactory(authority=authority, user__first_name="Urszula").user


@pytest.fixture
def decider(authority):
    return AuthorityStaffFactory(authority=authority, can_decide=True).user


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Stowarzyszenie Przyjaciół Łodzi")


@pytest.fixture
def ngo_admin(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user


@pytest.fixture
def ngo_editor(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR).user


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Fundacja Inna")


@pytest.fixture
def other_ngo_admin(other_organisation):
    return MembershipFactory(organisation=other_organisation, role=Membership.Role.ADMIN).user


@pytest.fixture
def plain_user(db):
    """Signed up and confirmed, but acting for no organisation yet."""
    return UserFactory()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` → a test client signed in as ``user`` (``None`` stays anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the code scheduled for after commit (e-mail), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
