"""Permission matrix: each role against each URL it must not reach."""

import pytest
from django.urls import reverse

from organisations.models import Invitation, Membership

pytestmark = pytest.mark.django_db

# (role fixture, url name, uses the organisation's pk, expected status). ``None`` = anonymous.
MATRIX = [
    (None, "organisations:edit", True, 302),
    (None, "organisations:members", True, 302),
    (None, "organisations:register", False, 302),
    (None, "organisations:staff-list", False, 302),
    (None, "accounts:staff-home", False, 302),
    (None, "accounts:ngo-home", False, 302),
    ("plain_user", "organisations:edit", True, 404),
    ("plain_user", "organisations:members", True, 404),
    ("plain_user", "organisations:staff-list", False, 403),
    ("plain_user", "accounts:staff-home", False, 403),
    ("other_ngo_admin", "organisations:edit", True, 404),
    ("other_ngo_admin", "organisations:members", True, 404),
    ("other_ngo_admin", "organisations:staff-list", False, 403),
    ("other_ngo_admin", "accounts:staff-home", False, 403),
    ("ngo_editor", "organisations:members", True, 403),
    ("ngo_editor", "organisations:staff-list", False, 403),
    ("ngo_admin", "accounts:staff-home", False, 403),
]


@pytest.mark.parametrize(("role", "name", "with_pk", "status"), MATRIX)
def test_role_cannot_reach(request, client_for, organisation, role, name, with_pk, status):
    user = request.getfixturevalue(role) if role else None
    url = reverse(name, args=[organisation.pk] if with_pk else [])
    response = client_for(user).get(url)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [None, "plain_user", "ngo_admin", "other_ngo_admin"])
def test_only_staff_can_verify(request, client_for, organisation, role):
    user = request.getfixturevalue(role) if role else None
    client_for(user).post(
        reverse("organisations:verify", args=[organisation.pk]), {"action": "decide", "decision": "verify"}
    )
    organisation.refresh_from_db()
    assert organisation.verified_at is None


def test_another_ngo_cannot_change_the_data_by_post(client_for, organisation, other_ngo_admin):
    response = client_for(other_ngo_admin).post(reverse("organisations:edit", args=[organisation.pk]), {"name": "X"})
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.name != "X"


def test_403_and_404_pages_are_in_polish(client_for, plain_user):
    client = client_for(plain_user)
    assert "Brak dostępu (błąd 403)" in client.get(reverse("accounts:staff-home")).text
    assert "Nie znaleziono strony (błąd 404)" in client.get("/nie-ma-takiej-strony/").text


def test_editor_edits_but_admin_alone_invites(client_for, organisation, ngo_editor, ngo_admin):
    assert client_for(ngo_editor).get(reverse("organisations:edit", args=[organisation.pk])).status_code == 200
    assert client_for(ngo_admin).get(reverse("organisations:members", args=[organisation.pk])).status_code == 200


class TestInvitations:
    def test_admin_invites_by_email_and_the_invitee_joins(
        self, client_for, organisation, ngo_admin, plain_user, mailoutbox, committed
    ):
        with committed():
            response = client_for(ngo_admin).post(
                reverse("organisations:members", args=[organisation.pk]),
                {"email": plain_user.email.upper(), "role": "editor"},
            )
        assert response.status_code == 302
        assert mailoutbox[0].to == [plain_user.email]
        assert organisation.name in mailoutbox[0].subject
        invitation = Invitation.objects.get(organisation=organisation)
        assert invitation.token in mailoutbox[0].body
        home = client_for(plain_user).get(reverse("accounts:ngo-home"))
        assert organisation.name in home.text
        client_for(plain_user).post(reverse("organisations:invitation-accept", args=[invitation.token]))
        assert Membership.objects.get(user=plain_user, organisation=organisation).role == "editor"

    def test_an_invitation_is_for_its_addressee_only_and_single_use(
        self, client_for, organisation, ngo_admin, plain_user, other_ngo_admin
    ):
        from organisations.services import invitation_send

        invitation = invitation_send(
            organisation=organisation, email=plain_user.email, role="admin", actor=ngo_admin, site_url=""
        )
        url = reverse("organisations:invitation-accept", args=[invitation.token])
        response = client_for(other_ngo_admin).post(url, follow=True)
        assert "Zaproszenie wysłano na adres" in response.text
        assert not Membership.objects.filter(user=other_ngo_admin, organisation=organisation).exists()
        client_for(plain_user).post(url)
        again = client_for(plain_user).post(url, follow=True)
        assert "zostało już wykorzystane" in again.text

    def test_inviting_a_member_again_is_refused_on_the_field(self, client_for, organisation, ngo_admin, ngo_editor):
        response = client_for(ngo_admin).post(
            reverse("organisations:members", args=[organisation.pk]), {"email": ngo_editor.email, "role": "editor"}
        )
        assert response.context["form"].errors["email"] == ["Ta osoba już należy do konta organizacji."]
