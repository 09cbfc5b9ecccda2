"""The "Historia" tab: the audit log of an offer, agreement, report, call and programme, in Polish, checked like
the object, at a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.audit import acting_as
from accounts.history import Target, format_value, history
from grants.models import Agreement, FormalReview, OfferVersion, OpenCall, Tranche
from grants.services import offers as offer_services
from tests.accounts.factories import UserFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory, complete_offer, fill_offer
from tests.helpers import assert_constant_queries

DEFECTS = {**FormalReview.all_confirmed(), "attachments": False}


def offer_with_defect_notice(organisation, admin, reviewer):
    call = OpenCallFactory()
    offer = complete_offer(call, organisation, admin)
    offer_services.offer_submit(offer=offer, actor=admin, revision=offer.revision)
    OpenCall.objects.filter(pk=call.pk).update(
        status=OpenCall.Status.FORMAL_REVIEW, submission_deadline=timezone.now() - timedelta(minutes=1)
    )
    offer_services.formal_review_decide(
        offer=offer,
        actor=reviewer,
        checklist=DEFECTS,
        outcome=FormalReview.Outcome.DEFECTS,
        reasons="Brak statutu.",
        deadline=timezone.now() + timedelta(days=7),
    )
    return offer


@pytest.mark.django_db
def test_offer_history_tells_who_when_and_the_status_change_in_polish(client_for, organisation, ngo_admin, staff_user):
    offer = offer_with_defect_notice(organisation, ngo_admin, staff_user)
    page = client_for(staff_user).get(reverse("grants:offer-history", args=[offer.pk])).content.decode()
    assert "Status: z „złożona” na „wezwanie do uzupełnienia braków”" in page
    assert "Status: z „wersja robocza” na „złożona”" in page
    assert staff_user.get_full_name() in page and ngo_admin.get_full_name() in page
    assert "Ocena formalna" in page  # the office sees its own checklist entry
    assert "Wezwanie do uzupełnienia braków" in page
    assert "current version" not in page and "revision" not in page  # no English or technical fields


@pytest.mark.django_db
def test_the_organisation_sees_its_offer_history_with_the_office_unnamed(
    client_for, organisation, ngo_admin, staff_user
):
    offer = offer_with_defect_notice(organisation, ngo_admin, staff_user)
    page = client_for(ngo_admin).get(reverse("grants:offer-history", args=[offer.pk])).content.decode()
    assert "Status: z „złożona” na „wezwanie do uzupełnienia braków”" in page
    assert "<strong>urząd</strong>" in page and staff_user.get_full_name() not in page
    assert ngo_admin.get_full_name() in page
    assert "Ocena formalna" not in page


@pytest.mark.django_db
def test_history_is_checked_like_the_object(client_for, organisation, ngo_admin, staff_user, other_ngo_admin):
    offer = offer_with_defect_notice(organisation, ngo_admin, staff_user)
    agreement = make_agreement(organisation=organisation)
    assert client_for(other_ngo_admin).get(reverse("grants:offer-history", args=[offer.pk])).status_code == 404
    assert client_for(other_ngo_admin).get(reverse("grants:agreement-history", args=[agreement.pk])).status_code == 404
    assert client_for(other_ngo_admin).get(reverse("grants:call-history", args=[offer.call_id])).status_code == 403
    assert client_for(ngo_admin).get(reverse("grants:agreement-history", args=[agreement.pk])).status_code == 200


@pytest.mark.django_db
def test_agreement_history_formats_money_and_dates(client_for, organisation, staff_user):
    agreement = make_agreement(organisation=organisation, status=Agreement.Status.DRAFT)
    with acting_as(staff_user):
        agreement.grant_amount = Decimal("9500.00")
        agreement.status = Agreement.Status.SIGNED
        agreement.save()
        tranche = Tranche.objects.create(
            agreement=agreement, number=1, amount=Decimal("9500.00"), due_date=agreement.start_date
        )
        tranche.paid_on = agreement.start_date
        tranche.save()
    page = client_for(staff_user).get(reverse("grants:agreement-history", args=[agreement.pk])).content.decode()
    assert "Status: z „projekt umowy” na „zawarta”" in page
    assert "10\xa0000,00\xa0zł → 9\xa0500,00\xa0zł" in page
    assert "Przekazano</dt>" in page and "01.03.2025" in page  # the tranche's transfer date


@pytest.mark.django_db
def test_offer_history_query_count_does_not_grow(client_for, organisation, ngo_admin, staff_user):
    offer = offer_with_defect_notice(organisation, ngo_admin, staff_user)
    client = client_for(ngo_admin)
    url = reverse("grants:offer-history", args=[offer.pk])

    def grow():
        for _ in range(3):
            fill_offer(offer, ngo_admin, data={"title": f"Tytuł {OfferVersion.objects.count()}"})

    assert_constant_queries(lambda: client.get(url), grow, budget=12)


def test_values_are_formatted_as_the_portal_writes_them():
    from grants.models import Agreement as A

    assert format_value(A._meta.get_field("grant_amount"), "1234.50") == "1\xa0234,50\xa0zł"
    assert format_value(A._meta.get_field("signed_on"), "2026-05-31") == "31.05.2026"
    assert format_value(A._meta.get_field("status"), "signed") == "zawarta"
    assert format_value(A._meta.get_field("signed_on"), "None") == "—"
    # 10:00 UTC in summer is 12:00 in Warsaw.
    assert format_value(A._meta.get_field("created_at"), "2026-07-01 10:00:00") == "01.07.2026, 12:00"


@pytest.mark.django_db
def test_no_targets_no_events():
    assert history([]) == []
    assert history([Target(Agreement, [])]) == []


@pytest.mark.django_db
def test_report_and_programme_history_are_checked_like_their_pages(client_for, organisation, ngo_admin, staff_user):
    from grants.models import GrantReport

    agreement = make_agreement(organisation=organisation)
    with acting_as(ngo_admin):
        report = GrantReport.objects.create(
            agreement=agreement,
            kind=GrantReport.Kind.FINAL,
            period_from=agreement.start_date,
            period_to=agreement.end_date,
            due_date=agreement.report_due,
        )
        report.status = GrantReport.Status.SUBMITTED
        report.save()
    url = reverse("grants:report-history", args=[report.pk])
    page = client_for(ngo_admin).get(url).content.decode()
    assert "Status: z „wersja robocza” na „złożone – w ocenie”" in page
    assert client_for(staff_user).get(url).status_code == 200
    stranger = UserFactory()
    assert client_for(stranger).get(url).status_code == 404
    programme = agreement.award.call.programme
    programme_url = reverse("programmes:history", args=[programme.pk])
    assert client_for(staff_user).get(programme_url).status_code == 200
    assert client_for(ngo_admin).get(programme_url).status_code == 403
