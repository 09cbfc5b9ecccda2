"""Organisation rights (issue 14 item 3): what only an administrator may do, and what a sensitive change sets off."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts.notifications.models import Notification
from organisations.forms import OrganisationForm
from organisations.models import Invitation, Membership
from organisations.services import LAST_ADMIN, invitation_revoke, membership_remove
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = "61 1090 1014 0000 0712 1981 2874"


def posted(organisation, **changes) -> dict:
    """What the edit page posts back unchanged, with ``changes`` typed over it."""
    initial = OrganisationForm(instance=organisation).initial
    data = {name: value for name, value in initial.items() if value is not None and name != "areas"}
    data["areas"] = [area.pk for area in organisation.areas.all()]
    data["is_opp"] = "on" if organisation.is_opp else ""
    data.update(changes)
    return data


def edit(client, organisation, **changes):
    return client.post(reverse("organisations:edit", args=[organisation.pk]), posted(organisation, **changes))


class TestSensitiveData:
    def test_an_editor_is_not_offered_the_account_e_mail_or_representatives(self, client_for, organisation, ngo_editor):
        page = client_for(ngo_editor).get(reverse("organisations:edit", args=[organisation.pk]))
        assert page.status_code == 200
        for name in ("bank_account", "email", "representatives"):
            assert f'name="{name}"' not in page.text
        assert "zmienia administrator konta organizacji" in page.text
        assert 'name="phone"' in page.text

    def test_an_editor_posting_a_new_account_changes_nothing_of_it(self, client_for, organisation, ngo_editor):
        organisation.verified_at = timezone.now()
        organisation.save()
        old_account, old_email = organisation.bank_account, organisation.email
        response = edit(
            client_for(ngo_editor), organisation, bank_account=NEW_ACCOUNT, email="zlodziej@example.pl", phone="123"
        )
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert (organisation.bank_account, organisation.email, organisation.phone) == (old_account, old_email, "123")
        assert organisation.is_verified

    def test_the_service_refuses_an_editor_too(self, organisation, ngo_editor):
        from django.core.exceptions import PermissionDenied

        from organisations.services import organisation_update

        with pytest.raises(PermissionDenied):
            organisation_update(
                organisation=organisation,
                actor=ngo_editor,
                data={"bank_account": NEW_ACCOUNT.replace(" ", "")},
                areas=organisation.areas.all(),
            )

    def test_admin_changes_the_account_every_admin_and_the_office_are_told_and_it_is_verified_again(
        self, client_for, organisation, ngo_admin, settings, mailoutbox, committed
    ):
        from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory

        local_office = AuthorityFactory(name="Miasto Białystok", slug="bialystok", city="Białystok", email="ngo@um.pl")
        AuthorityFactory(name="Gmina Obca", slug="obca", city="Obca", email="ngo@obca.pl")  # no dealings: not told
        second_admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
        editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR).user
        local_staff = AuthorityStaffFactory(authority=local_office).user
        organisation.verified_at = timezone.now()
        organisation.save()
        with committed():
            response = edit(client_for(ngo_admin), organisation, bank_account=NEW_ACCOUNT)
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.bank_account.endswith(NEW_ACCOUNT.replace(" ", ""))
        assert not organisation.is_verified
        # Each admin (and the local office's staff) in the portal and by e-mail; the offices' mailboxes by e-mail.
        told = sorted(address for mail in mailoutbox for address in mail.to)
        offices = [local_office.email, settings.PORTAL_CONTACT_EMAIL]
        assert told == sorted([ngo_admin.email, second_admin.email, local_staff.email, *offices])
        assert editor.email not in told
        people = {ngo_admin.pk, second_admin.pk, local_staff.pk}
        assert set(Notification.objects.values_list("recipient", flat=True)) == people
        for mail in mailoutbox:
            assert "numer rachunku bankowego" in mail.body
            assert "&quot;" not in mail.body and "„" + organisation.name + "”" in mail.body
        entry = LogEntry.objects.get_for_object(organisation).filter(actor=ngo_admin).latest("timestamp")
        assert "bank_account" in entry.changes_dict

    def test_a_change_of_representatives_is_verified_again(self, client_for, organisation, ngo_admin, mailoutbox):
        organisation.verified_at = timezone.now()
        organisation.save()
        edit(client_for(ngo_admin), organisation, representatives="Jan Nowak – Prezes Zarządu")
        organisation.refresh_from_db()
        assert organisation.representatives == "Jan Nowak – Prezes Zarządu"
        assert not organisation.is_verified

    def test_a_change_of_the_phone_keeps_the_verification_and_sends_nothing(
        self, client_for, organisation, ngo_admin, mailoutbox, committed
    ):
        organisation.verified_at = timezone.now()
        organisation.save()
        with committed():
            edit(client_for(ngo_admin), organisation, phone="85 111 22 33")
        organisation.refresh_from_db()
        assert organisation.is_verified and organisation.phone == "85 111 22 33"
        assert mailoutbox == []


class TestMembers:
    def url(self, name, organisation, obj):
        return reverse(f"organisations:{name}", args=[organisation.pk, obj.pk])

    def test_admin_removes_a_member_who_then_loses_every_right(self, client_for, organisation, ngo_admin, ngo_editor):
        membership = Membership.objects.get(user=ngo_editor)
        client = client_for(ngo_admin)
        response = client.post(self.url("member-remove", organisation, membership), follow=True)
        assert "Usunięto" in response.text
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert client_for(ngo_editor).get(reverse("organisations:edit", args=[organisation.pk])).status_code == 404
        assert LogEntry.objects.filter(object_pk=str(membership.pk), action=LogEntry.Action.DELETE, actor=ngo_admin)

    def test_admin_changes_a_role(self, client_for, organisation, ngo_admin, ngo_editor):
        membership = Membership.objects.get(user=ngo_editor)
        response = client_for(ngo_admin).post(
            self.url("member-role", organisation, membership), {"role": "admin"}, follow=True
        )
        assert "rola administrator" in response.text
        membership.refresh_from_db()
        assert membership.role == Membership.Role.ADMIN
        assert LogEntry.objects.get_for_object(membership).filter(actor=ngo_admin).exists()

    def test_an_editor_can_neither_remove_nor_promote(self, client_for, organisation, ngo_admin, ngo_editor):
        admin_membership = Membership.objects.get(user=ngo_admin)
        own = Membership.objects.get(user=ngo_editor)
        client = client_for(ngo_editor)
        assert client.post(self.url("member-remove", organisation, admin_membership)).status_code == 403
        assert client.post(self.url("member-role", organisation, own), {"role": "admin"}).status_code == 403
        own.refresh_from_db()
        assert own.role == Membership.Role.EDITOR
        assert Membership.objects.filter(pk=admin_membership.pk).exists()

    def test_another_organisations_admin_gets_nothing(self, client_for, organisation, other_ngo_admin, ngo_editor):
        membership = Membership.objects.get(user=ngo_editor)
        assert client_for(other_ngo_admin).post(self.url("member-remove", organisation, membership)).status_code == 403
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_the_last_admin_can_neither_leave_nor_be_demoted(self, client_for, organisation, ngo_admin):
        membership = Membership.objects.get(user=ngo_admin)
        client = client_for(ngo_admin)
        response = client.post(self.url("member-remove", organisation, membership), follow=True)
        assert LAST_ADMIN in response.text
        client.post(self.url("member-role", organisation, membership), {"role": "editor"})
        membership.refresh_from_db()
        assert membership.role == Membership.Role.ADMIN

    def test_with_a_second_admin_one_may_step_down(self, organisation, ngo_admin):
        MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
        membership_remove(membership=Membership.objects.get(user=ngo_admin), actor=ngo_admin)
        assert organisation.memberships.filter(role=Membership.Role.ADMIN).count() == 1

    def test_admin_revokes_a_pending_invitation_and_it_no_longer_admits(
        self, client_for, organisation, ngo_admin, ngo_editor, plain_user
    ):
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=plain_user.email,
            invited_by=ngo_admin,
            expires_at=timezone.now() + timezone.timedelta(days=3),
        )
        assert client_for(ngo_editor).post(self.url("invitation-revoke", organisation, invitation)).status_code == 403
        client_for(ngo_admin).post(self.url("invitation-revoke", organisation, invitation))
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        client_for(plain_user).post(reverse("organisations:invitation-accept", args=[invitation.token]))
        assert not Membership.objects.filter(user=plain_user).exists()
        with pytest.raises(Exception, match="wycofane"):
            invitation_revoke(invitation=invitation, actor=ngo_admin)

    def test_the_members_page_offers_each_action(self, client_for, organisation, ngo_admin, ngo_editor):
        page = client_for(ngo_admin).get(reverse("organisations:members", args=[organisation.pk]))
        membership = Membership.objects.get(user=ngo_editor)
        assert self.url("member-remove", organisation, membership) in page.text
        assert self.url("member-role", organisation, membership) in page.text


@pytest.mark.parametrize("verified", [True, False])
def test_an_agreement_takes_the_organisations_account_only_while_verified(organisation, verified):
    from grants.models import Agreement
    from grants.services.agreements import draft_agreement
    from tests.grants.agreement_factories import make_agreement

    organisation.verified_at = timezone.now() if verified else None
    organisation.save()
    signed = make_agreement(organisation=organisation, status=Agreement.Status.DRAFT)
    version = signed.version
    version.data["III"] |= {"start_date": "2025-03-01", "end_date": "2025-11-30"}
    version.data |= {
        "II": {"contact": {"name": "Anna Prezes"}},
        "V": {"A": [{"category": "I", "name": "Trener", "total": "10000.00"}], "B": []},
    }
    draft, _ = draft_agreement(
        award=signed.award, version=version, authority=signed.authority, number="UM/X/1", created_by=signed.created_by
    )
    assert draft.bank_account == (organisation.bank_account if verified else "")
