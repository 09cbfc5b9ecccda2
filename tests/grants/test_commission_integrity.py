"""Commission integrity: declarations once the offers are known, conflicts checked at every card, the chair reads
the ranking and protocol and signs the protocol; joint offers need the partner's consent."""

import random
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.demo import _offer
from grants.models import Commission, ImpartialityDeclaration, JointOfferor, Offer, OpenCall
from grants.services import scoring
from grants.services.offers import offer_submit
from organisations.models import Membership
from tests.grants.commission_factories import A, add_offers, card_of, fill_card, make_commission, review_call
from tests.grants.factories import OpenCallFactory, complete_offer, fill_offer
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_declarations_open_after_the_deadline_once_offers_are_known():
    call = review_call(offers=0, submission_deadline=timezone.now() + timedelta(days=1))
    commission, members = make_commission(call, seats=[(A, True)], declared=False)
    with pytest.raises(ValidationError) as error:
        scoring.declaration_sign(member=members[0], actor=members[0].user, grounds=[])
    assert "po upływie terminu składania ofert" in error.value.messages[0]
    OpenCall.objects.filter(pk=call.pk).update(submission_deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as error:
        scoring.declaration_sign(member=members[0], actor=members[0].user, grounds=[])
    assert "nie złożono żadnej oferty" in error.value.messages[0]
    add_offers(call, 1)
    assert scoring.declaration_sign(member=members[0], actor=members[0].user, grounds=[]).conflicted is False


def test_a_card_is_refused_to_a_member_whose_organisation_became_an_offeror_after_the_declaration(client_for):
    call = review_call(offers=1)
    first = call.offers.get()
    commission, members = make_commission(call, started=True)
    member = members[1]
    assert ImpartialityDeclaration.objects.get(member=member).conflicted is False
    # After the declaration the member's organisation files an offer (a correction round, a late-known offeror):
    organisation = OrganisationFactory(name="Fundacja Członka Komisji")
    Membership.objects.create(user=member.user, organisation=organisation, role=Membership.Role.EDITOR)
    _offer(
        call,
        organisation,
        MembershipFactory(organisation=organisation).user,
        random.Random(1),
        Offer.Status.FORMALLY_ACCEPTED,
        0,
    )
    with pytest.raises(ValidationError) as error:
        fill_card(member, first, [8, 4])
    assert "Fundacja Członka Komisji" in error.value.messages[0]
    page = client_for(member.user).get(reverse("grants:score-card", args=[card_of(member, first).pk])).content.decode()
    assert "Nie możesz oceniać ofert w tym konkursie" in page and "Złóż kartę" not in page
    chair_page = client_for(members[0].user).get(reverse("grants:commission-seat", args=[members[0].pk]))
    assert "konflikt interesów: członek organizacji „Fundacja Członka Komisji”" in chair_page.content.decode()


def test_the_chair_reads_the_ranking_and_signs_the_protocol(client_for):
    call = review_call(offers=2)
    commission, members = make_commission(call, started=True)
    chair = members[0]
    client = client_for(chair.user)
    ranking_url = reverse("grants:commission-ranking", args=[call.pk])
    # Before submitting their own cards the chair sees nobody's scores.
    assert client.get(ranking_url).status_code == 302
    for offer in call.offers.all():
        for member in members:
            fill_card(member, offer, [7, 3])
    ranking = client.get(ranking_url)
    assert ranking.status_code == 200
    assert all(offer.organisation.name in ranking.content.decode() for offer in call.offers.all())
    assert "Zapisz proponowane kwoty" not in ranking.content.decode()  # proposals stay with the office
    protocol_url = reverse("grants:commission-protocol", args=[call.pk])
    assert client.get(protocol_url).status_code == 200
    assert client.get(reverse("grants:commission-protocol-pdf", args=[call.pk])).status_code == 200
    # Closing asks to confirm, then the chair signs the protocol (also after a confirmation).
    seat_url = reverse("grants:commission-seat", args=[chair.pk])
    assert "Potwierdzam: zamknij ocenę" in client.post(seat_url).content.decode()
    assert Commission.objects.get(pk=commission.pk).status == Commission.Status.SCORING
    client.post(seat_url, {"potwierdzenie": "1"})
    assert Commission.objects.get(pk=commission.pk).status == Commission.Status.CLOSED
    asking = client.post(protocol_url)
    assert "Potwierdzam: podpisuję protokół" in asking.content.decode()
    client.post(protocol_url, {"potwierdzenie": "1"})
    commission.refresh_from_db()
    assert commission.protocol_signed_by == chair.user and commission.protocol_signed_at is not None
    assert LogEntry.objects.get_for_object(commission).filter(changes__icontains="protocol_signed_at").exists()
    assert "Protokół podpisał(a) w portalu" in client.get(protocol_url).content.decode()
    # A member who is not the chair reads but cannot sign.
    other = client_for(members[1].user)
    assert other.get(ranking_url).status_code == 200
    other.post(protocol_url, {"potwierdzenie": "1"})
    assert Commission.objects.get(pk=commission.pk).protocol_signed_by == chair.user


def test_a_card_submission_asks_to_confirm(client_for):
    call = review_call(offers=1)
    offer = call.offers.get()
    commission, members = make_commission(call, started=True)
    card = card_of(members[1], offer)
    criteria = list(call.criteria.all())
    data = {f"points_{c.pk}": "3" for c in criteria} | {"remarks": "Dobra oferta.", "action": "submit"}
    client = client_for(members[1].user)
    url = reverse("grants:score-card", args=[card.pk])
    asking = client.post(url, data)
    assert "Potwierdzam: złóż kartę oceny" in asking.content.decode()
    card.refresh_from_db()
    assert card.status == card.Status.DRAFT
    client.post(url, data | {"potwierdzenie": "1"})
    card.refresh_from_db()
    assert card.status == card.Status.SUBMITTED


def test_an_unconfirmed_partner_blocks_submission_and_confirms_on_its_page(
    client_for, authority, organisation, ngo_admin, other_organisation, other_ngo_admin, mailoutbox, committed
):
    call = OpenCallFactory(programme__authority=authority)
    offer = complete_offer(call, organisation, ngo_admin)
    with committed():
        fill_offer(
            offer,
            ngo_admin,
            partners=[{"organisation": other_organisation, "cost_share": 3000}],
            data={"joint_roles": "Partner prowadzi turniej."},
        )
    partner = JointOfferor.objects.get(offer=offer)
    assert [m.to for m in mailoutbox] == [[other_ngo_admin.email]]
    url = reverse("grants:joint-consent", args=[partner.pk])
    assert url.split("/")[-2] in mailoutbox[0].body
    # Not a participant until it confirms: its people may still sit on the commission.
    offer.refresh_from_db()
    submit = client_for(ngo_admin).post(reverse("grants:offer-submit", args=[offer.pk]), {"revision": offer.revision})
    assert submit.status_code == 200 and "nie potwierdziła jeszcze udziału" in submit.content.decode()
    assert not offer.versions.exists()
    assert client_for(ngo_admin).get(url).status_code == 404  # only the partner's admin answers
    client = client_for(other_ngo_admin)
    assert url in client.get(reverse("grants:my-offers")).content.decode()  # the partner's list asks too
    page = client.get(url).content.decode()
    assert "Potwierdzam udział" in page and organisation.name in page
    refused = client.post(url, {})
    assert "Zaznacz oświadczenie" in refused.content.decode()
    with committed():
        client.post(url, {"consent": "on"})
    partner.refresh_from_db()
    assert partner.confirmed_by == other_ngo_admin
    offer.refresh_from_db()
    offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    assert offer.versions.count() == 1
    # Changing the partner's share asks for its consent again.
    assert scoring.participating_organisation_ids(call) == {organisation.pk, other_organisation.pk}


def test_appointment_and_restart_check_conflicts_again(staff_user):
    call = review_call(offers=1)
    offer = call.offers.get()
    commission, members = make_commission(call, seats=[(A, True), (A, False), (A, False)])
    offeror_admin = offer.organisation.memberships.get().user
    with pytest.raises(ValidationError) as error:
        scoring.member_appoint(commission=commission, actor=staff_user, email=offeror_admin.email, capacity=A)
    assert "bierze udział w konkursie" in error.value.message_dict["email"][0]
    # A member who joined an offeror after appointment stops the (re)start until staff exclude them.
    Membership.objects.create(user=members[2].user, organisation=offer.organisation, role=Membership.Role.EDITOR)
    with pytest.raises(ValidationError) as error:
        scoring.scoring_start(commission=commission, actor=staff_user)
    assert any("konflikt interesów" in message for message in error.value.messages)


def test_going_back_from_an_announcement_confirmation_changes_nothing(client_for, authority, staff_user):
    call = OpenCallFactory(programme__authority=authority, status=OpenCall.Status.DRAFT)
    client = client_for(staff_user)
    url = reverse("grants:call-transition", args=[call.pk, "oglos"])
    back = client.post(url, {"potwierdzenie": "0"})
    assert back.status_code == 302 and back.url == reverse("grants:call-dashboard", args=[call.pk])
    call.refresh_from_db()
    assert call.status == OpenCall.Status.DRAFT
