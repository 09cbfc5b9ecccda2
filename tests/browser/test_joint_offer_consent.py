"""A partner named on a joint offer confirms its part in the portal before the lead can submit (axe clean)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from grants.models import JointOfferor
from tests.browser.conftest import log_in
from tests.grants.factories import OpenCallFactory, complete_offer, fill_offer
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_partner_confirms_a_joint_offer(page, live_server, check_page, authority):
    call = OpenCallFactory(programme__authority=authority)
    lead = OrganisationFactory(name="Stowarzyszenie Sportowe „Orlik”")
    lead_admin = MembershipFactory(organisation=lead).user
    partner_org = OrganisationFactory(name="Fundacja Partnerska „Razem”")
    partner_admin = MembershipFactory(organisation=partner_org).user
    offer = complete_offer(call, lead, lead_admin)
    fill_offer(
        offer,
        lead_admin,
        partners=[{"organisation": partner_org, "cost_share": Decimal("3000")}],
        data={"joint_roles": "Partner prowadzi turniej."},
    )
    partner = JointOfferor.objects.get(offer=offer)
    log_in(page, live_server, partner_admin.email)
    page.goto(f"{live_server.url}/konkursy/oferty-wspolne/{partner.pk}/")
    expect(page.get_by_role("heading", name="Udział w ofercie wspólnej")).to_be_visible()
    check_page(page, "95-joint-offer-consent")
    page.get_by_role("button", name="Potwierdzam udział").click()
    expect(page.get_by_text("Zaznacz oświadczenie", exact=False)).to_be_visible()
    check_page(page, "95a-joint-offer-consent-error")
    page.get_by_label("Jako administrator organizacji", exact=False).check()
    page.get_by_role("button", name="Potwierdzam udział").click()
    expect(page.get_by_text("Udział potwierdził(a)", exact=False)).to_be_visible()
    check_page(page, "95b-joint-offer-confirmed")
    partner.refresh_from_db()
    assert partner.confirmed_by == partner_admin
