"""Issue 16 item 2: the superuser creates authorities in the portal; an authority administrator edits its data,
invites staff by e-mail, grants "may decide" and "authority administrator" and deactivates staff; all audited."""

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse

from accounts.models import AuthorityStaff, StaffInvitation
from accounts.roles import compute_roles
from programmes.models import Authority
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory, UserFactory

pytestmark = pytest.mark.django_db

POWIAT = {
    "slug": "powiat-kozielski",
    "name": "Powiat Kozielski",
    "kind": "county",
    "executive_title": "zarzad_powiatu",
    "executive_name": "",
    "council_name": "Rada Powiatu Kozielskiego",
    "street": "ul. Kościuszki 5",
    "postal_code": "47-200",
    "city": "Kędzierzyn-Koźle",
    "email": "ngo@powiat.example.pl",
    "bip_url": "https://bip.powiat.example.pl/",
    "website": "",
    "territory_municipality": "",
    "territory_county": "kędzierzyńsko-kozielski",
    "territory_voivodeship": "opolskie",
    "default_representatives": "",
    "agreement_clauses": "",
}


@pytest.fixture
def county_admin(db):
    powiat = AuthorityFactory(**{k: v for k, v in POWIAT.items() if v})
    return AuthorityStaffFactory(authority=powiat, is_admin=True).user


def test_only_the_superuser_creates_an_authority_and_its_first_admin_is_invited(
    client_for, superuser, staff_user, django_capture_on_commit_callbacks
):
    url = reverse("programmes:authority-create")
    assert client_for(staff_user).get(url).status_code == 403
    assert client_for(staff_user).post(url, POWIAT).status_code == 403
    assert not Authority.objects.filter(slug="powiat-kozielski").exists()

    client = client_for(superuser)
    wrong = client.post(url, {**POWIAT, "slug": "konkursy", "name": "Gmina Kozielska"})
    assert "Ten skrót jest zajęty przez stronę portalu" in wrong.text
    assert "Nazwa jednostki tego rodzaju zaczyna się od „Powiat”" in wrong.text
    assert 'value="kędzierzyńsko-kozielski"' in wrong.text  # what was typed stays

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**POWIAT, "first_admin_email": "Starosta.NGO@powiat.example.pl"})
    powiat = Authority.objects.get(slug="powiat-kozielski")
    assert response.status_code == 302
    assert LogEntry.objects.get_for_object(powiat).get(action=LogEntry.Action.CREATE).actor == superuser
    invitation = StaffInvitation.objects.get(authority=powiat)
    assert invitation.email == "starosta.ngo@powiat.example.pl" and invitation.is_admin
    assert mail.outbox[-1].to == ["starosta.ngo@powiat.example.pl"]
    assert invitation.token in mail.outbox[-1].body


def test_the_administrator_sets_the_executive_and_documents_follow(client_for, county_admin):
    powiat = Authority.objects.get(slug="powiat-kozielski")
    url = reverse("programmes:authority-settings", args=[powiat.pk])
    page = client_for(county_admin).get(url)
    assert page.status_code == 200 and "Zarząd Powiatu Kozielskiego" in page.text
    data = {**POWIAT, "default_representatives": "Starosta – Jan Nowak\nWicestarosta – Anna Lis"}
    data.pop("slug")
    response = client_for(county_admin).post(url, data)
    assert response.status_code == 302
    powiat.refresh_from_db()
    assert powiat.default_representatives.startswith("Starosta – Jan Nowak")
    entry = LogEntry.objects.get_for_object(powiat).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == county_admin and "default_representatives" in entry.changes_dict
    # The grammar the documents use: "Powiat Kozielski reprezentowany przez Zarząd Powiatu Kozielskiego".
    assert "Powiat Kozielski reprezentowany przez Zarząd Powiatu Kozielskiego" in client_for(county_admin).get(url).text


def test_a_county_needs_its_territory(client_for, county_admin):
    powiat = Authority.objects.get(slug="powiat-kozielski")
    data = {**POWIAT, "territory_county": ""}
    page = client_for(county_admin).post(reverse("programmes:authority-settings", args=[powiat.pk]), data)
    assert "Podaj nazwę powiatu" in page.text


def test_staff_without_the_admin_role_and_other_authorities_get_404(client_for, county_admin, staff_user, authority):
    powiat = Authority.objects.get(slug="powiat-kozielski")
    official = AuthorityStaffFactory(authority=powiat, can_decide=True).user
    for user in (official, staff_user):
        client = client_for(user)
        for name in ("programmes:authority-settings", "programmes:authority-staff"):
            assert client.get(reverse(name, args=[powiat.pk])).status_code == 404
        assert (
            client.post(reverse("programmes:authority-staff", args=[powiat.pk]), {"email": "x@y.pl"}).status_code == 404
        )
    assert not StaffInvitation.objects.exists()
    assert client_for(county_admin).get(reverse("programmes:authority-staff", args=[authority.pk])).status_code == 404


def test_invite_accept_grant_and_deactivate(client_for, county_admin, django_capture_on_commit_callbacks):
    powiat = Authority.objects.get(slug="powiat-kozielski")
    staff_url = reverse("programmes:authority-staff", args=[powiat.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(county_admin).post(
            staff_url, {"email": "urzedniczka@powiat.example.pl", "job_title": "Wydział Promocji", "can_decide": "on"}
        )
    assert response.status_code == 302
    invitation = StaffInvitation.objects.get(email="urzedniczka@powiat.example.pl")
    accept = reverse("accounts:staff-invitation-accept", args=[invitation.token])
    assert accept in mail.outbox[-1].body

    stranger = UserFactory(email="ktos.inny@example.pl")
    client_for(stranger).post(accept)
    assert not AuthorityStaff.objects.filter(user=stranger).exists()

    official = UserFactory(email="urzedniczka@powiat.example.pl")
    assert client_for(official).post(accept).status_code == 302
    staff = AuthorityStaff.objects.get(user=official, authority=powiat)
    assert staff.can_decide and not staff.is_admin and staff.job_title == "Wydział Promocji"
    assert compute_roles(official).decider_authority_ids == {powiat.pk}

    rights = reverse("programmes:authority-staff-rights", args=[powiat.pk, staff.pk])
    client_for(county_admin).post(rights, {f"s{staff.pk}-job_title": "Wydział Promocji", f"s{staff.pk}-is_admin": "on"})
    staff.refresh_from_db()
    assert staff.is_admin and not staff.can_decide
    client_for(county_admin).post(rights, {"action": "deactivate"})
    staff.refresh_from_db()
    assert staff.deactivated_at is not None
    assert not compute_roles(official).is_authority_staff
    assert client_for(official).get(reverse("grants:staff-call-list")).status_code == 403
    changes = LogEntry.objects.get_for_object(staff).filter(action=LogEntry.Action.UPDATE)
    assert changes.count() == 2 and {entry.actor for entry in changes} == {county_admin}


def test_the_last_administrator_cannot_step_down_or_be_deactivated(client_for, county_admin):
    powiat = Authority.objects.get(slug="powiat-kozielski")
    me = AuthorityStaff.objects.get(user=county_admin)
    rights = reverse("programmes:authority-staff-rights", args=[powiat.pk, me.pk])
    response = client_for(county_admin).post(rights, {f"s{me.pk}-job_title": ""}, follow=True)
    assert "co najmniej jednego aktywnego administratora" in response.text
    client_for(county_admin).post(rights, {"action": "deactivate"})
    me.refresh_from_db()
    assert me.is_admin and me.deactivated_at is None
