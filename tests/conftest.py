"""Actors as fixtures: each test asks for the people it needs by their role."""

import pytest
from django.db import connection

from organisations.models import Membership
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory, UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL-only features; on SQLite they are skipped, saying why."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); SQLite lacks this feature")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


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
