"""Home pages: the office's work queue, the NGO's to-dos, the commission member's cards and the public front page.

Each queue is filtered to the person's authority or organisations, shows its count and deadlines, and links each
task to the page where it is done; every home page keeps a fixed number of queries as the data grows.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Agreement, FormalReview, GrantReport, Offer, OpenCall, SmallGrantPublication
from grants.services import offers as offer_services
from tests.accounts.factories import AuthorityFactory, UserFactory
from tests.consultations.factories import make_consultation
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.helpers import assert_constant_queries
from tests.organisations.factories import MembershipFactory, OrganisationFactory

DEFECTS = {**FormalReview.all_confirmed(), "attachments": False}


def submitted_offer(call, organisation=None):
    organisation = organisation or OrganisationFactory(areas=["17"])
    admin = MembershipFactory(organisation=organisation).user
    offer = complete_offer(call, organisation, admin)
    offer_services.offer_submit(offer=offer, actor=admin, revision=offer.revision)
    return Offer.objects.get(pk=offer.pk)


def closed_call(authority):
    call = OpenCallFactory(programme__authority=authority)
    return call


def close(call):
    OpenCall.objects.filter(pk=call.pk).update(
        status=OpenCall.Status.FORMAL_REVIEW, submission_deadline=timezone.now() - timedelta(minutes=1)
    )


def office_world(authority, reviewer):
    """One task in each of the office's queues for ``authority``: an offer to review, a defect notice, a report in
    review, a report overdue, a draft agreement and a tranche due."""
    call = closed_call(authority)
    to_review = submitted_offer(call)
    with_defects = submitted_offer(call)
    close(call)
    offer_services.formal_review_decide(
        offer=with_defects,
        actor=reviewer,
        checklist=DEFECTS,
        outcome=FormalReview.Outcome.DEFECTS,
        reasons="Brak statutu.",
        deadline=timezone.now() + timedelta(days=3),
    )
    organisation = OrganisationFactory()
    today = timezone.localdate()
    overdue = make_agreement(organisation=organisation, call=call, year=2025)
    in_review = make_agreement(organisation=organisation, call=call, year=2025)
    GrantReport.objects.create(
        agreement=in_review,
        kind=GrantReport.Kind.FINAL,
        status=GrantReport.Status.SUBMITTED,
        period_from=in_review.start_date,
        period_to=in_review.end_date,
        due_date=in_review.report_due,
        submitted_at=timezone.now(),
    )
    draft = make_agreement(organisation=organisation, call=call, status=Agreement.Status.DRAFT, year=today.year)
    tranche = make_agreement(
        organisation=organisation,
        call=call,
        start=today,
        end=today + timedelta(days=60),
        tranches=[("5000.00", None), ("5000.00", None)],
        year=today.year,
    )
    return {
        "to_review": to_review,
        "with_defects": with_defects,
        "overdue": overdue,
        "in_review": in_review,
        "draft": draft,
        "tranche": tranche,
    }


@pytest.mark.django_db
def test_staff_home_queues_each_task_with_its_link_and_deadline(client_for, authority, staff_user):
    world = office_world(authority, staff_user)
    elsewhere = office_world(AuthorityFactory(slug="inna-gmina", name="Gmina Inna"), UserFactory())
    page = client_for(staff_user).get(reverse("accounts:staff-home")).content.decode()
    links = {
        "offers": reverse("grants:offer-review", args=[world["to_review"].pk]),
        "defects": reverse("grants:offer-review", args=[world["with_defects"].pk]),
        "report in review": reverse("grants:settlement", args=[world["in_review"].pk]),
        "report overdue": reverse("grants:settlement", args=[world["overdue"].pk]),
        "draft agreement": reverse("grants:agreement-detail", args=[world["draft"].pk]),
        "tranche": reverse("grants:agreement-detail", args=[world["tranche"].pk]) + "#transze",
    }
    for what, link in links.items():
        assert f'href="{link}"' in page, what
    # Filtered to the person's authority: nothing of the other authority's identical world.
    for offer in (elsewhere["to_review"], elsewhere["with_defects"]):
        assert f'href="{reverse("grants:offer-review", args=[offer.pk])}"' not in page
    assert reverse("grants:agreement-detail", args=[elsewhere["draft"].pk]) not in page
    assert reverse("grants:settlement", args=[elsewhere["overdue"].pk]) not in page
    assert "Wezwania do uzupełnienia braków w biegu" in page and "zostało 3 dni" in page
    assert "Sprawozdania po terminie" in page and "po terminie" in page
    assert "Transze do przekazania <span" in page and "(2)" in page  # both tranches of the agreement


@pytest.mark.django_db
def test_staff_home_query_count_does_not_grow(client_for, authority, staff_user):
    office_world(authority, staff_user)
    client = client_for(staff_user)
    url = reverse("accounts:staff-home")

    def grow():
        for _ in range(3):
            office_world(authority, staff_user)

    assert_constant_queries(lambda: client.get(url), grow, budget=40)


def ngo_world(organisation, admin):
    """An NGO's to-dos: a draft in an open call, a defect notice, an overdue report and an agreement to sign."""
    reviewer = UserFactory()
    today = timezone.localdate()
    open_call = OpenCallFactory(submission_deadline=timezone.now() + timedelta(days=5))
    draft = offer_services.offer_start(call=open_call, organisation=organisation, actor=admin)
    call = OpenCallFactory()
    with_defects = complete_offer(call, organisation, admin)
    offer_services.offer_submit(offer=with_defects, actor=admin, revision=with_defects.revision)
    close(call)
    offer_services.formal_review_decide(
        offer=with_defects,
        actor=reviewer,
        checklist=DEFECTS,
        outcome=FormalReview.Outcome.DEFECTS,
        reasons="Brak statutu.",
        deadline=timezone.now() + timedelta(days=3),
    )
    overdue = make_agreement(organisation=organisation, year=2025, end=date(2025, 9, 30))
    to_sign = make_agreement(organisation=organisation, status=Agreement.Status.DRAFT, year=today.year)
    return {"draft": draft, "with_defects": with_defects, "overdue": overdue, "to_sign": to_sign}


@pytest.mark.django_db
def test_ngo_home_lists_drafts_notices_overdue_reports_and_agreements(client_for, organisation, ngo_admin):
    world = ngo_world(organisation, ngo_admin)
    stranger = OrganisationFactory()
    other = ngo_world(stranger, MembershipFactory(organisation=stranger).user)
    page = client_for(ngo_admin).get(reverse("accounts:ngo-home")).content.decode()
    assert f'href="{reverse("grants:offer-edit", args=[world["draft"].pk])}"' in page
    assert f'href="{reverse("grants:offer-edit", args=[world["with_defects"].pk])}"' in page
    assert f'href="{reverse("grants:my-grant-reports")}"' in page
    assert f'href="{reverse("grants:agreement-detail", args=[world["to_sign"].pk])}"' in page
    # The report was due on 30.10.2025 (30 days after the end of the task): marked overdue with the days.
    late = (timezone.localdate() - date(2025, 10, 30)).days
    assert f"po terminie {late} dni" in page and "30.10.2025" in page
    assert "zostało 3 dni" in page  # the defect notice
    for offer in (other["draft"], other["with_defects"]):
        assert reverse("grants:offer-edit", args=[offer.pk]) not in page
    assert reverse("grants:agreement-detail", args=[other["to_sign"].pk]) not in page
    assert "Moje organizacje" in page and organisation.name in page


@pytest.mark.django_db
def test_ngo_home_query_count_does_not_grow(client_for, organisation, ngo_admin):
    ngo_world(organisation, ngo_admin)
    client = client_for(ngo_admin)
    url = reverse("accounts:ngo-home")
    assert_constant_queries(
        lambda: client.get(url), lambda: [ngo_world(organisation, ngo_admin) for _ in range(3)], budget=25
    )


def public_world(authority, staff):
    """What the public front page lists: an open call, a consultation taking comments, a small grant open for
    comments and a call with published results."""
    now = timezone.now()
    open_call = OpenCallFactory(
        programme__authority=authority, status=OpenCall.Status.PUBLISHED, submission_deadline=now + timedelta(days=9)
    )
    decided = OpenCallFactory(programme__authority=authority, status=OpenCall.Status.DECIDED, results_published_at=now)
    consultation = make_consultation(authority, starts=now - timedelta(days=1), ends=now + timedelta(days=6))
    agreement = make_agreement(organisation=OrganisationFactory(), kind=Offer.Kind.SMALL_GRANT, authority=authority)
    offer = agreement.award.offer
    SmallGrantPublication.objects.create(
        offer=offer, published_at=now - timedelta(days=1), comments_until=now + timedelta(days=6), published_by=staff
    )
    return open_call, decided, consultation, offer


@pytest.mark.django_db
def test_public_home_shows_open_calls_consultations_small_grants_and_results(client, authority, staff_user):
    open_call, decided, consultation, offer = public_world(authority, staff_user)
    closed = OpenCallFactory(status=OpenCall.Status.PUBLISHED, submission_deadline=timezone.now() - timedelta(days=1))
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("grants:call-detail", args=[open_call.pk])}"' in page
    assert f'href="{reverse("grants:call-detail", args=[closed.pk])}"' not in page
    assert f'href="{reverse("grants:call-detail", args=[decided.pk])}#wyniki"' in page
    assert f'href="{reverse("consultations:detail", args=[consultation.pk])}"' in page
    assert f'href="{reverse("grants:small-grant-public", args=[offer.public_id])}"' in page


@pytest.mark.django_db
def test_public_home_query_count_does_not_grow(client, authority, staff_user):
    public_world(authority, staff_user)
    assert_constant_queries(
        lambda: client.get(reverse("home")),
        lambda: [public_world(authority, staff_user) for _ in range(3)],
        budget=8,
    )


@pytest.mark.django_db
def test_granted_small_grant_and_agreement_show_their_real_state_on_my_offers(client_for, organisation, ngo_admin):
    small = make_agreement(organisation=organisation, kind=Offer.Kind.SMALL_GRANT, year=2025)
    page = client_for(ngo_admin).get(reverse("grants:my-offers")).content.decode()
    # Signed, its task ended in 2025 and no report came: the list says so rather than "poprawna formalnie".
    assert "sprawozdanie po terminie" in page
    assert "poprawna formalnie" not in page
    GrantReport.objects.create(
        agreement=small,
        kind=GrantReport.Kind.FINAL,
        status=GrantReport.Status.ACCEPTED,
        period_from=small.start_date,
        period_to=small.end_date,
        due_date=small.report_due,
    )
    assert "sprawozdanie przyjęte" in client_for(ngo_admin).get(reverse("grants:my-offers")).content.decode()
    Agreement.objects.filter(pk=small.pk).update(status=Agreement.Status.PERFORMED)
    assert "dotacja rozliczona" in client_for(ngo_admin).get(reverse("grants:my-offers")).content.decode()


@pytest.mark.django_db
def test_my_offers_query_count_does_not_grow(client_for, organisation, ngo_admin):
    make_agreement(organisation=organisation, kind=Offer.Kind.SMALL_GRANT, year=2025)
    client = client_for(ngo_admin)
    assert_constant_queries(
        lambda: client.get(reverse("grants:my-offers")),
        lambda: [make_agreement(organisation=organisation, year=2025, grant=Decimal("10000.00")) for _ in range(3)],
        budget=12,
    )
