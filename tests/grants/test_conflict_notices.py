"""A conflict of interest that appears after the commission was composed (a new offer, a joint offeror confirming its
part, an appointment, a person joining an offeror) is told to the chair and the office by the background worker,
once per conflict, through the common notifications (each person's preference applies)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.notifications.models import Notification
from grants.models import ConflictNotice, JointOfferor
from grants.services import joint_offers, scoring
from grants.services.offers import offer_submit
from grants.tasks import commission_conflicts_check
from organisations.models import Invitation, Membership
from organisations.services import invitation_accept
from tests.grants.commission_factories import A, R, make_commission, review_call
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _open_call_with_commission(authority):
    authority.email = "ngo@urzad.example.pl"
    authority.save(update_fields=["email"])
    call = OpenCallFactory(programme__authority=authority)
    commission, members = make_commission(call, seats=[(A, True), (A, False), (A, False)], declared=False)
    return call, commission, members


def _conflict_mails():
    return [m for m in mail.outbox if m.subject.startswith("Konflikt interesów w komisji konkursowej")]


def _conflict_recipients() -> set[str]:
    return {address for m in _conflict_mails() for address in m.to}


def test_a_new_offer_from_a_members_organisation_is_mailed_to_the_chair_and_the_office_once(
    authority, organisation, ngo_admin, committed
):
    call, commission, [chair, member, _] = _open_call_with_commission(authority)
    Membership.objects.create(user=member.user, organisation=organisation, role=Membership.Role.EDITOR)
    offer = complete_offer(call, organisation, ngo_admin)
    offer.refresh_from_db()
    mail.outbox.clear()
    with committed():  # the worker runs the queued tasks once the submission commits
        offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    # One e-mail each: the chair, the member's appointing official, the authority's mailbox.
    assert len(_conflict_mails()) == 3
    assert _conflict_recipients() == {chair.user.email, "ngo@urzad.example.pl", member.appointed_by.email}
    [office] = [m for m in _conflict_mails() if m.to == [member.appointed_by.email]]
    assert call.number in office.subject
    assert f"członek organizacji „{organisation.name}”, która złożyła ofertę w konkursie" in office.body
    assert "art. 15 ust. 2d" in office.body and f"/konkursy/urzad/komisje/{call.pk}/" in office.body
    # In the portal too: the chair's notice leads to the seat, the official's to the commission's composition.
    assert Notification.objects.get(recipient=chair.user, kind="commission").url == reverse(
        "grants:commission-seat", args=[chair.pk]
    )
    assert Notification.objects.get(recipient=member.appointed_by, kind="commission").url == reverse(
        "grants:commission-manage", args=[call.pk]
    )
    assert ConflictNotice.objects.get().member == member
    # The same conflict found again (another run, another offer) is not mailed twice.
    mail.outbox.clear()
    assert commission_conflicts_check.call(call.pk) == 0
    other = OrganisationFactory()
    other_admin = MembershipFactory(organisation=other, role=Membership.Role.ADMIN).user
    second = complete_offer(call, other, other_admin)
    second.refresh_from_db()
    with committed():
        offer_submit(offer=second, actor=other_admin, revision=second.revision)
    assert _conflict_mails() == []


def test_no_mail_when_nobody_is_in_conflict(authority, organisation, ngo_admin, committed):
    call, _, _ = _open_call_with_commission(authority)
    offer = complete_offer(call, organisation, ngo_admin)
    offer.refresh_from_db()
    with committed():
        offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    assert _conflict_mails() == [] and not ConflictNotice.objects.exists()


def test_a_joint_offeror_confirming_its_part_puts_its_people_in_conflict(
    authority, organisation, ngo_admin, other_organisation, other_ngo_admin, committed
):
    call, _, [chair, member, _] = _open_call_with_commission(authority)
    Membership.objects.create(user=member.user, organisation=other_organisation, role=Membership.Role.EDITOR)
    offer = complete_offer(call, organisation, ngo_admin)
    offer.refresh_from_db()
    offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    partner = JointOfferor.objects.create(offer=offer, organisation=other_organisation, cost_share=1000)
    with committed():
        commission_conflicts_check.call(call.pk)
    assert _conflict_mails() == []  # named without consent: not a participant yet
    with committed():
        joint_offers.joint_offeror_confirm(partner=partner, actor=other_ngo_admin)
    assert chair.user.email in _conflict_recipients()
    assert all(other_organisation.name in m.body for m in _conflict_mails())


def test_an_appointment_nominated_by_an_offeror_is_reported(authority, staff_user, committed):
    call = review_call(offers=1)
    call.authority.email = "biuro@urzad.example.pl"
    call.authority.save(update_fields=["email"])
    offeror = call.offers.get().organisation
    commission, [chair, *_] = make_commission(call, seats=[(A, True), (A, False)], declared=False)
    with committed():
        scoring.member_appoint(
            commission=commission,
            actor=staff_user,
            email="rada@example.pl",
            first_name="Rada",
            last_name="Pożytku",
            capacity=R,
            nominated_by=offeror,
        )
    assert all(f"osoba wskazana przez organizację „{offeror.name}”" in m.body for m in _conflict_mails())
    assert _conflict_recipients() == {chair.user.email, "biuro@urzad.example.pl", staff_user.email}


def test_a_member_joining_an_offeror_is_reported(committed):
    call = review_call(offers=1)
    offeror = call.offers.get().organisation
    commission, [chair, member] = make_commission(call, seats=[(A, True), (A, False)], declared=False)
    invitation = Invitation.objects.create(
        organisation=offeror,
        email=member.user.email,
        role=Membership.Role.EDITOR,
        invited_by=offeror.memberships.get().user,
        expires_at=timezone.now() + timedelta(days=3),
    )
    with committed():
        invitation_accept(invitation=invitation, user=member.user)
    assert chair.user.email in _conflict_recipients()
    assert all(member.user.get_full_name() in m.body for m in _conflict_mails())


def test_the_chairs_daily_digest_preference_applies_to_the_conflict_notice(
    authority, organisation, ngo_admin, committed
):
    call, _, [chair, member, _] = _open_call_with_commission(authority)
    chair.user.notification_email = "daily"
    chair.user.save(update_fields=["notification_email"])
    Membership.objects.create(user=member.user, organisation=organisation, role=Membership.Role.EDITOR)
    offer = complete_offer(call, organisation, ngo_admin)
    offer.refresh_from_db()
    mail.outbox.clear()
    with committed():
        offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    assert chair.user.email not in _conflict_recipients()  # waits for the digest
    assert Notification.objects.digest_due().filter(recipient=chair.user, kind="commission").count() == 1
