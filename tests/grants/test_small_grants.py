"""Small grants (art. 19a) and own-initiative offers (art. 12): limits at every boundary, deadlines, comments."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.checks import offer_problems
from grants.models import (
    Agreement,
    Award,
    Offer,
    OwnInitiativeAssessment,
    PublicComment,
    SmallGrantLimits,
    SmallGrantPublication,
)
from grants.models.small_grants import add_month, answer_due, publication_due
from grants.services import offers as offer_services
from grants.services import small_grants as services
from grants.small_grant_rules import cap_gauge
from grants.workdays import add_working_days, is_working_day, working_days_between
from programmes.models import Programme
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.helpers import pdf_text, race, squash
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget, warsaw

START = date(2027, 3, 1)
END_90 = date(2027, 5, 29)  # 1 March + 89 days: the 90th day


def joined(messages) -> str:
    return " ".join(messages).replace("\xa0", " ")


def small_grant_data(amount: Decimal, start=START, end=END_90, own=Decimal("500.00")) -> dict:
    return {
        "data": {
            "contact_name": "Natalia Wiśniewska",
            "contact_phone": "500 600 700",
            "contact_email": "n@example.pl",
            "title": "Sąsiedzki piknik na Przylesiu",
            "start_date": start,
            "end_date": end,
            "synopsis": "Piknik dla mieszkańców osiedla Przylesie, boisko przy ul. Leśnej.",
            "results_description": "200 uczestników, nowa grupa sąsiedzka.",
            "grant_amount": amount,
            "own_financial": own,
            "own_personal": Decimal("0"),
            "own_in_kind": Decimal("0"),
            "recipient_payments": Decimal("0"),
            "tax_arrears": "none",
            "social_insurance_arrears": "none",
            "declarations_confirmed": True,
        },
        "activities": [],
        "results": [],
        "cost_items": [
            {
                "category": "I",
                "activity_number": None,
                "order": 1,
                "name": "Namiot i nagłośnienie",
                "unit": "usługa",
                "unit_cost": amount + own,
                "quantity": Decimal("1"),
                "from_grant": amount,
            }
        ],
        "partners": [],
    }


def draft_small_grant(authority, organisation, actor, amount, **kwargs) -> Offer:
    offer = services.direct_offer_start(
        kind=Offer.Kind.SMALL_GRANT, authority=authority, organisation=organisation, actor=actor
    )
    payload = small_grant_data(Decimal(amount), **kwargs)
    offer_services.offer_save(offer=offer, actor=actor, expected_revision=offer.revision, **payload)
    offer.refresh_from_db()
    return offer


def filed_small_grant(authority, organisation, actor, amount, **kwargs) -> Offer:
    offer = draft_small_grant(authority, organisation, actor, amount, **kwargs)
    offer_services.offer_submit(offer=offer, actor=actor, revision=offer.revision)
    offer.refresh_from_db()
    return offer


def published_and_closed(offer, staff) -> Offer:
    """Publish, then move the comment period into the past (the clock moved by editing timestamps)."""
    services.small_grant_publish(offer=offer, actor=staff)
    SmallGrantPublication.objects.filter(offer=offer).update(
        published_at=timezone.now() - timedelta(days=9), comments_until=timezone.now() - timedelta(seconds=1)
    )
    offer.refresh_from_db()
    return offer


@pytest.fixture
def programme(authority):
    """The 2027 programme: 100 000 zł of grants planned, so the 20 % cap is 20 000 zł."""
    programme = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
    add_budget(programme, [("Kultura", "80000.00")])
    programme.small_grants_reserve = Decimal("20000.00")
    programme.save()
    return programme


# Working days ----------------------------------------------------------------------------------------------------


def test_working_days_skip_easter_monday_and_weekends():
    # Easter 2027 is 28 March: Monday 29 March is a holiday.
    assert not is_working_day(date(2027, 3, 29))
    assert is_working_day(date(2027, 3, 30))
    # Received Thursday 25.03.2027: Fri 26, (Mon 29 Easter), Tue 30, Wed 31, Thu 1, Fri 2, Mon 5, Tue 6 = 7th.
    assert add_working_days(date(2027, 3, 25), 7) == date(2027, 4, 6)
    assert working_days_between(date(2027, 3, 25), date(2027, 4, 6)) == 7


def test_working_days_skip_11_november_and_christmas_eve():
    assert not is_working_day(date(2026, 11, 11))
    # Received Monday 9.11.2026: Tue 10, (Wed 11), Thu 12, Fri 13, Mon 16, Tue 17, Wed 18, Thu 19 = 7th.
    assert add_working_days(date(2026, 11, 9), 7) == date(2026, 11, 19)
    assert publication_due(date(2026, 11, 9)) == date(2026, 11, 19)
    assert not is_working_day(date(2025, 12, 24))  # a public holiday from 2025
    assert not is_working_day(date(2027, 5, 27))  # Corpus Christi 2027


def test_own_initiative_answer_is_due_a_month_later():
    assert answer_due(date(2027, 1, 15)) == date(2027, 2, 15)
    assert add_month(date(2027, 1, 31)) == date(2027, 2, 28)
    assert add_month(date(2027, 12, 10)) == date(2028, 1, 10)


# Limits at filing --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_10000_is_accepted_and_10000_01_refused(authority, organisation, ngo_admin, programme):
    fine = draft_small_grant(authority, organisation, ngo_admin, "10000.00")
    assert offer_problems(fine) == {}
    over = draft_small_grant(authority, organisation, ngo_admin, "10000.01")
    assert "10 000,00" in joined(offer_problems(over)["grant_amount"])
    with pytest.raises(ValidationError):
        offer_services.offer_submit(offer=over, actor=ngo_admin, revision=over.revision)


@pytest.mark.django_db
def test_90_days_are_accepted_and_91_refused(authority, organisation, ngo_admin, programme):
    assert offer_problems(draft_small_grant(authority, organisation, ngo_admin, "5000", end=END_90)) == {}
    longer = draft_small_grant(authority, organisation, ngo_admin, "5000", end=END_90 + timedelta(days=1))
    assert "91 dni" in joined(offer_problems(longer)["end_date"])


@pytest.mark.django_db
def test_limits_are_dated_configuration(authority, organisation, ngo_admin, programme):
    SmallGrantLimits.objects.create(valid_from=timezone.localdate() + timedelta(days=1), max_grant=Decimal("5000"))
    assert offer_problems(draft_small_grant(authority, organisation, ngo_admin, "8000")) == {}
    SmallGrantLimits.objects.create(valid_from=timezone.localdate(), max_grant=Decimal("7000"))
    assert "grant_amount" in offer_problems(draft_small_grant(authority, organisation, ngo_admin, "8000"))


@pytest.mark.django_db
def test_the_snapshot_and_pdf_show_the_simplified_form(authority, organisation, ngo_admin, programme, committed):
    with committed():
        offer = filed_small_grant(authority, organisation, ngo_admin, "6000")
    version = offer.current_version
    version.refresh_from_db()
    assert version.data["form"] == "Dz.U. 2018 poz. 2055, załącznik nr 1"
    assert version.data["V"]["A"][0]["from_grant"] == "6000.00"
    assert version.data["I"]["authority"] == authority.executive_full_name
    text = pdf_text(version.offer_pdf.read())
    assert "UPROSZCZONA OFERTA" in text
    assert "2055" in text


# Award: the four limits again, under lock --------------------------------------------------------------------------


@pytest.mark.django_db
def test_yearly_20000_per_organisation(authority, organisation, ngo_admin, staff_user, decider, programme):
    programme.small_grants_reserve = Decimal("200000.00")  # the 20 % cap is far away here
    programme.save()
    first = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "10000"), staff_user)
    second = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "10000"), staff_user)
    third = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "0.01"), staff_user)
    services.small_grant_award(offer=first, amount=Decimal("10000"), actor=decider)
    services.small_grant_award(offer=second, amount=Decimal("10000"), actor=decider)  # exactly 20 000: fine
    with pytest.raises(ValidationError, match="limit na rok"):
        services.small_grant_award(offer=third, amount=Decimal("0.01"), actor=decider)
    # A new filing is refused already.
    late = draft_small_grant(authority, organisation, ngo_admin, "0.01")
    assert "art. 19a ust. 6" in joined(offer_problems(late)["grant_amount"])
    # Another year is another limit.
    next_year = draft_small_grant(
        authority, organisation, ngo_admin, "100", start=date(2028, 3, 1), end=date(2028, 3, 2)
    )
    assert "art. 19a ust. 6" not in joined(offer_problems(next_year).get("grant_amount", []))


@pytest.mark.django_db
def test_20_percent_cap(authority, staff_user, decider, programme):
    offers = []
    for n in range(3):
        org = OrganisationFactory(name=f"Klub {n}")
        member = MembershipFactory(organisation=org).user
        offers.append(
            published_and_closed(filed_small_grant(authority, org, member, ["10000", "9999.99", "0.02"][n]), staff_user)
        )
    services.small_grant_award(offer=offers[0], amount=Decimal("10000"), actor=decider)
    services.small_grant_award(offer=offers[1], amount=Decimal("9999.99"), actor=decider)
    gauge = cap_gauge(authority.pk, 2027, timezone.localdate())
    assert gauge["cap"] == Decimal("20000.00") and gauge["remaining"] == Decimal("0.01")
    with pytest.raises(ValidationError, match="20%"):
        services.small_grant_award(offer=offers[2], amount=Decimal("0.02"), actor=decider)
    award = services.small_grant_award(offer=offers[2], amount=Decimal("0.01"), actor=decider)  # the last grosz
    assert award.status == Award.Status.GRANTED and award.call is None
    assert cap_gauge(authority.pk, 2027, timezone.localdate())["remaining"] == Decimal("0")


@pytest.mark.django_db
def test_a_programmes_own_share_cap_binds_where_it_is_stricter(authority, organisation, ngo_admin, programme):
    programme.small_grants_cap_pct = Decimal("5")  # 5% of 100 000 zł planned: 5 000 zł
    programme.save()
    problems = joined(offer_problems(draft_small_grant(authority, organisation, ngo_admin, "6000"))["grant_amount"])
    assert "nie mogą przekroczyć 5% dotacji planowanych w roku budżetowym (limit ustalony w programie)" in problems
    assert "czyli 5 000,00 zł" in problems.replace("\xa0", " ")
    gauge = cap_gauge(authority.pk, 2027, timezone.localdate())
    assert gauge["cap"] == Decimal("5000.00") and gauge["cap_rule"].source == "limit ustalony w programie"


@pytest.mark.django_db
def test_without_a_statutory_or_programme_cap_the_share_is_only_an_indicator(
    client_for, authority, organisation, ngo_admin, staff_user, decider, programme
):
    # From the day the dated limits carry no share cap (an amendment of art. 19a), only a programme's own cap
    # would bind; this programme sets none, so 30% of the planned grants may go to small grants.
    SmallGrantLimits.objects.create(valid_from=date(2026, 1, 1), max_share_pct=None, legal_basis="art. 19a (zmiana)")
    offers = []
    for n in range(3):
        org = OrganisationFactory(name=f"Klub {n}")
        member = MembershipFactory(organisation=org).user
        offers.append(published_and_closed(filed_small_grant(authority, org, member, "10000"), staff_user))
    for offer in offers:
        services.small_grant_award(offer=offer, amount=Decimal("10000"), actor=decider)
    gauge = cap_gauge(authority.pk, 2027, timezone.localdate())
    assert gauge["cap_rule"] is None and gauge["share_pct"] == Decimal("30.00")
    page = squash(client_for(staff_user).get(reverse("grants:small-grant-staff-list")).text)
    assert "30,00% z 100\xa0000,00\xa0zł dotacji planowanych" in page and "pokazujemy go jako wskaźnik" in page


@pytest.mark.django_db
def test_only_deciders_decide_and_only_after_the_period(authority, organisation, ngo_admin, staff_user, programme):
    decider = AuthorityStaffFactory(authority=authority, can_decide=True).user
    offer = filed_small_grant(authority, organisation, ngo_admin, "5000")
    with pytest.raises(ValidationError, match="opublikować"):
        services.small_grant_award(offer=offer, amount=Decimal("5000"), actor=decider)
    services.small_grant_publish(offer=offer, actor=staff_user)
    with pytest.raises(ValidationError, match="po upływie okresu na uwagi"):
        services.small_grant_award(offer=offer, amount=Decimal("5000"), actor=decider)
    SmallGrantPublication.objects.filter(offer=offer).update(
        published_at=timezone.now() - timedelta(days=8), comments_until=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="upoważniona"):
        services.small_grant_award(offer=offer, amount=Decimal("5000"), actor=staff_user)
    comment = PublicComment.objects.create(offer=offer, name="Jan", email="j@example.pl", text="Za drogo.")
    with pytest.raises(ValidationError, match="rozpatrz"):
        services.small_grant_award(offer=offer, amount=Decimal("5000"), actor=decider)
    services.comment_consider(comment=comment, actor=staff_user, consideration="Koszty sprawdzono: rynkowe.")
    with pytest.raises(ValidationError, match="wyższa od wnioskowanej"):
        services.small_grant_award(offer=offer, amount=Decimal("5000.01"), actor=decider)
    award = services.small_grant_award(offer=offer, amount=Decimal("4000"), actor=decider)
    assert award.amount == Decimal("4000") and award.requested_amount == Decimal("5000.00")


# Publication and comments ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_comment_window_is_enforced_to_the_second(authority, organisation, ngo_admin, staff_user, programme):
    offer = filed_small_grant(authority, organisation, ngo_admin, "5000")
    published = warsaw(2026, 11, 10, 14, 30, 0)
    publication = services.small_grant_publish(offer=offer, actor=staff_user, now=published)
    assert publication.comments_until == warsaw(2026, 11, 17, 23, 59, 59)
    assert publication.bip_url == authority.bip_url
    with pytest.raises(ValidationError):
        services.public_comment_add(
            offer=offer, name="A", email="a@example.pl", text="x", now=published - timedelta(seconds=1)
        )
    services.public_comment_add(offer=offer, name="A", email="a@example.pl", text="Pierwsza", now=published)
    services.public_comment_add(
        offer=offer, name="B", email="b@example.pl", text="Ostatnia", now=warsaw(2026, 11, 17, 23, 59, 59)
    )
    with pytest.raises(ValidationError):
        services.public_comment_add(
            offer=offer, name="C", email="c@example.pl", text="Za późno", now=warsaw(2026, 11, 18, 0, 0, 0)
        )
    assert list(offer.public_comments.values_list("text", flat=True)) == ["Pierwsza", "Ostatnia"]


@pytest.mark.django_db
def test_publishing_closes_editing_and_informs_the_ngo(
    authority, organisation, ngo_admin, staff_user, programme, committed
):
    offer = filed_small_grant(authority, organisation, ngo_admin, "5000")
    with committed():
        services.small_grant_publish(offer=offer, actor=staff_user)
    offer.refresh_from_db()
    assert offer_services.editing_window_error(offer, timezone.now())
    assert any("opublikowan" in m.subject for m in mail.outbox)
    with pytest.raises(ValidationError):
        services.small_grant_publish(offer=offer, actor=staff_user)


# Appeal -----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refusal_can_be_appealed_within_the_programmes_days(
    authority, organisation, ngo_admin, staff_user, decider, programme
):
    programme.appeal_days = 7
    programme.save()
    offer = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "5000"), staff_user)
    award = services.small_grant_refuse(offer=offer, reasons="Zadanie nie ma charakteru lokalnego.", actor=decider)
    deadline = services.appeal_deadline(offer, award)
    assert timezone.localtime(deadline).date() == timezone.localdate(award.decided_at) + timedelta(days=7)
    with pytest.raises(ValidationError, match="minął"):
        services.small_grant_appeal(
            offer=offer, grounds="Jest lokalne.", actor=ngo_admin, now=deadline + timedelta(seconds=1)
        )
    appeal = services.small_grant_appeal(offer=offer, grounds="Jest lokalne.", actor=ngo_admin, now=deadline)
    services.small_grant_appeal_decide(appeal=appeal, upheld=True, decision="Uwzględniono.", actor=decider)
    award = services.small_grant_award(offer=offer, amount=Decimal("5000"), actor=decider)
    assert award.status == Award.Status.GRANTED


@pytest.mark.django_db
def test_no_appeal_where_the_programme_has_none(authority, organisation, ngo_admin, staff_user, decider, programme):
    offer = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "5000"), staff_user)
    services.small_grant_refuse(offer=offer, reasons="Brak środków.", actor=decider)
    with pytest.raises(ValidationError, match="nie przewiduje"):
        services.small_grant_appeal(offer=offer, grounds="Prosimy.", actor=ngo_admin)


# Own initiative ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_own_initiative_needs_only_a_description_and_costs(authority, organisation, ngo_admin, staff_user, committed):
    offer = services.direct_offer_start(
        kind=Offer.Kind.OWN_INITIATIVE, authority=authority, organisation=organisation, actor=ngo_admin
    )
    assert set(offer_problems(offer)) == {"title", "synopsis", "cost_items"}
    payload = small_grant_data(Decimal("0"))
    payload["data"] = {"title": "Klub seniora", "synopsis": "Spotkania seniorów raz w tygodniu."}
    payload["cost_items"][0]["from_grant"] = None
    offer_services.offer_save(offer=offer, actor=ngo_admin, expected_revision=offer.revision, **payload)
    offer.refresh_from_db()
    assert offer_problems(offer) == {}
    version = offer_services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    assert answer_due(timezone.localdate(version.submitted_at)) == add_month(timezone.localdate())
    with pytest.raises(ValidationError, match="planowany termin"):
        services.own_initiative_assess(
            offer=offer, actor=staff_user, outcome="worthwhile", reasons="Potrzebne.", commissioning_mode="open_call"
        )
    with committed():
        assessment = services.own_initiative_assess(
            offer=offer,
            actor=staff_user,
            outcome="worthwhile",
            reasons="Zgodne z priorytetami programu.",
            commissioning_mode="open_call",
            planned_call_date=date(2027, 2, 1),
        )
    assert assessment.outcome == OwnInitiativeAssessment.Outcome.WORTHWHILE
    assert any("01.02.2027" in m.body for m in mail.outbox)


# Permissions and pages --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_ngo_cannot_see_drafts_and_anonymous_sees_only_published(
    client_for, authority, organisation, ngo_admin, other_ngo_admin, staff_user, programme
):
    draft = draft_small_grant(authority, organisation, ngo_admin, "5000")
    filed = filed_small_grant(authority, organisation, ngo_admin, "5000")
    client = client_for(other_ngo_admin)
    assert client.get(reverse("grants:small-grant-edit", args=[draft.pk])).status_code == 404
    client = client_for(None)
    assert client.get(reverse("grants:small-grant-public", args=[filed.public_id])).status_code == 404
    assert client.get(reverse("grants:small-grant-public-pdf", args=[filed.public_id])).status_code == 404
    services.small_grant_publish(offer=filed, actor=staff_user)
    page = client.get(reverse("grants:small-grant-public-list"))
    assert filed.title in page.content.decode()
    assert client.get(reverse("grants:small-grant-public", args=[filed.public_id])).status_code == 200
    pdf = client.get(reverse("grants:small-grant-public-pdf", args=[filed.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    # Published for comments, but without the contact person's phone and e-mail (RODO); the office sees them.
    public_page = client.get(reverse("grants:small-grant-public", args=[filed.public_id])).content.decode()
    public_text = pdf_text(pdf.content)
    for personal in ("500 600 700", "n@example.pl"):
        assert personal not in public_page and personal not in public_text
    case = client_for(staff_user).get(reverse("grants:small-grant-case", args=[filed.pk])).content.decode()
    assert "500 600 700" in case
    # Another authority's staff reach nothing.
    stranger = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    assert client_for(stranger).get(reverse("grants:small-grant-case", args=[filed.pk])).status_code == 404


@pytest.mark.django_db
def test_anonymous_comment_with_honeypot_and_rate_limit(
    client_for, authority, organisation, ngo_admin, staff_user, programme
):
    from django.core.cache import cache

    cache.clear()
    offer = filed_small_grant(authority, organisation, ngo_admin, "5000")
    services.small_grant_publish(offer=offer, actor=staff_user)
    client = client_for(None)
    url = reverse("grants:small-grant-public", args=[offer.public_id])
    form = {"name": "Jan Kowalski", "email": "jan@example.pl", "text": "Dobry pomysł.", "website": ""}
    assert client.post(url, form).status_code == 302
    assert client.post(url, {**form, "website": "http://spam.example"}).status_code == 200  # bot: not saved
    assert PublicComment.objects.filter(offer=offer).count() == 1
    for _ in range(10):
        client.post(url, form)
    assert PublicComment.objects.filter(offer=offer).count() == services_rate_limit()
    cache.clear()


def services_rate_limit() -> int:
    from django.conf import settings

    return settings.RATE_LIMITS["small-grant-comment"][0]


@pytest.mark.django_db
def test_staff_pages_show_the_gauge_and_overdue_publication(
    client_for, authority, organisation, ngo_admin, staff_user, decider, programme
):
    offer = filed_small_grant(authority, organisation, ngo_admin, "5000")
    offer.versions.update(submitted_at=warsaw(2026, 11, 2, 10, 0, 0))  # 7 working days ended 12.11.2026
    client = client_for(staff_user)
    home = client.get(reverse("accounts:staff-home")).content.decode()
    assert "Małe granty do opublikowania" in home and offer.title in home
    assert "po terminie" in home  # the queue marks the publication overdue
    page = client.get(reverse("grants:small-grant-staff-list") + "?rok=2027").content.decode()
    assert "20\xa0000,00" in page
    assert client.get(reverse("grants:small-grant-case", args=[offer.pk])).status_code == 200


def _active_year(page: str) -> str:
    [label] = re.findall(
        r'<li class="page-item active"><a class="page-link" href="[^"]*" aria-current="page">([^<]+)</a>', page
    )
    return label


@pytest.mark.django_db
def test_the_year_buttons_and_the_year_filter_are_one_parameter(
    client_for, authority, organisation, ngo_admin, staff_user, programme
):
    offer = filed_small_grant(authority, organisation, ngo_admin, "5000")  # the task starts in 2027
    client = client_for(staff_user)
    url = reverse("grants:small-grant-staff-list")
    with time_machine.travel(warsaw(2026, 6, 1, 12, 0, 0), tick=False):
        # No year asked: this budget year, in the buttons, the filter and the list alike.
        page = client.get(url).content.decode()
        listed = page.split('id="wszystkie"')[1]
        assert _active_year(page) == "2026" and '<option value="2026" selected>' in page
        assert reverse("grants:small-grants-csv") + "?rok=2026" in page
        assert offer.title not in listed and "limity art. 19a w 2026 r." in page
        # A year with another filter: the buttons keep the other filter.
        page = client.get(url + "?rok=2027&etap=do-publikacji").content.decode()
        assert _active_year(page) == "2027" and '<option value="2027" selected>' in page
        assert offer.title in page.split('id="wszystkie"')[1] and "limity art. 19a w 2027 r." in page
        assert 'href="?rok=2026&amp;etap=do-publikacji"' in page
        # The downloads follow the page's year.
        assert reverse("grants:small-grants-xlsx") + "?rok=2027&amp;etap=do-publikacji" in page
        # „wszystkie lata” in the filter is a button too.
        page = client.get(url + "?rok=").content.decode()
        assert _active_year(page) == "wszystkie lata" and offer.title in page.split('id="wszystkie"')[1]
        # A year the filter does not offer falls back to this year rather than to an unfiltered list.
        assert _active_year(client.get(url + "?rok=1999").content.decode()) == "2026"


@pytest.mark.django_db
def test_award_then_agreement(client_for, authority, organisation, ngo_admin, staff_user, decider, programme):
    offer = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "6000"), staff_user)
    client = client_for(decider)
    response = client.post(
        reverse("grants:small-grant-case", args=[offer.pk]),
        {"action": "award", "amount": "6 000,00", "potwierdzenie": "1"},
    )
    assert response.status_code == 302
    award = Award.objects.get(offer=offer)
    assert award.amount == Decimal("6000.00")
    # The agreement is the shared feature of calls: the small grant's award goes through the same page.
    page = client.get(reverse("grants:small-grant-case", args=[offer.pk])).content.decode()
    assert reverse("grants:agreement-create", args=[award.pk]) in page
    # The programme's only budget line is offered with the whole grant; the office confirms it.
    line = programme.budget_lines.get()
    form = client.get(reverse("grants:agreement-create", args=[award.pk])).content.decode()
    field = f"line_{offer.start_date.year}_{line.pk}"
    assert re.search(rf'name="{field}" value="6[\s\xa0]?000,00"', form), form
    response = client.post(
        reverse("grants:agreement-create", args=[award.pk]),
        {
            "place": "Konstancin-Jeziorna",
            "authority_representatives": "Burmistrz",
            "organisation_representatives": "Natalia Wiśniewska",
            "bank_account": "",
            "deviation_threshold_pct": "10",
            "tranches": "1",
            field: "6 000,00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = Agreement.objects.get(award=award)
    assert agreement.cost_lines.get().from_grant == Decimal("6000.00")
    assert [(c.budget_line, c.amount) for c in agreement.budget_charges.all()] == [(line, Decimal("6000.00"))]


# The race ---------------------------------------------------------------------------------------------------------


def authority_with_2027_budget(planned: str):
    """An authority with a plain and a deciding staff member and a 2027 programme planning ``planned`` zł."""
    authority = AuthorityFactory()
    staff = AuthorityStaffFactory(authority=authority).user
    decider = AuthorityStaffFactory(authority=authority, can_decide=True).user
    programme = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
    add_budget(programme, [("Kultura", planned)])
    return authority, staff, decider


def award_10000_then_race_two_6000(offers, decider) -> list:
    """Grant 10 000 zł on the first offer, then 6 000 zł on each of the other two at the same moment."""
    services.small_grant_award(offer=offers[0], amount=Decimal("10000"), actor=decider)
    return race(
        *[
            (lambda o=offer: services.small_grant_award(offer=o, amount=Decimal("6000"), actor=decider))
            for offer in offers[1:]
        ]
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_awards_racing_for_the_last_room_under_the_cap():
    authority, staff, decider = authority_with_2027_budget("100000.00")  # cap 20 000
    offers = []
    for n, amount in enumerate(["10000", "6000", "6000"]):
        org = OrganisationFactory(name=f"Stowarzyszenie {n}")
        member = MembershipFactory(organisation=org).user
        offers.append(published_and_closed(filed_small_grant(authority, org, member, amount), staff))
    # 10 000 left; each of the two wants 6 000: exactly one may have it.
    results = award_10000_then_race_two_6000(offers, decider)
    failures = [r for r in results if isinstance(r, ValidationError)]
    successes = [r for r in results if isinstance(r, Award)]
    assert len(failures) == 1 and len(successes) == 1, results
    assert cap_gauge(authority.pk, 2027, timezone.localdate())["granted"] == Decimal("16000.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_awards_racing_for_the_last_room_of_one_organisations_year():
    """Art. 19a ust. 6: 20 000 zł a year per organisation. 10 000 granted, two more of 6 000 at once: one wins."""
    authority, staff, decider = authority_with_2027_budget("1000000.00")  # the 20% cap (200 000) is far away
    organisation = OrganisationFactory(name="Stowarzyszenie Jedno")
    member = MembershipFactory(organisation=organisation).user
    offers = [
        published_and_closed(filed_small_grant(authority, organisation, member, amount), staff)
        for amount in ["10000", "6000", "6000"]
    ]
    results = award_10000_then_race_two_6000(offers, decider)
    failures = [r for r in results if isinstance(r, ValidationError)]
    assert len(failures) == 1 and sum(isinstance(r, Award) for r in results) == 1, results
    granted = Award.objects.filter(offer__organisation=organisation, status=Award.Status.GRANTED)
    assert sum(a.amount for a in granted) == Decimal("16000.00")


@pytest.mark.django_db
def test_attachments_of_a_small_grant(client_for, authority, organisation, ngo_admin, staff_user, programme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    offer = draft_small_grant(authority, organisation, ngo_admin, "5000")
    pdf = SimpleUploadedFile("statut.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = client_for(ngo_admin).post(reverse("grants:attachment-add", args=[offer.pk]), {"file": pdf})
    assert response.status_code == 302
    attachment = offer.attachments.get()
    offer.refresh_from_db()
    offer_services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    url = reverse("grants:attachment-download", args=[attachment.pk])
    assert client_for(staff_user).get(url).status_code == 200
    stranger = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    assert client_for(stranger).get(url).status_code == 404


# Query counts ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_small_grant_pages_make_a_constant_number_of_queries(client_for, authority, staff_user, decider, programme):
    from tests.helpers import assert_constant_queries

    def grow():
        for n in range(3):
            org = OrganisationFactory(name=f"Koło {n}")
            member = MembershipFactory(organisation=org).user
            offer = published_and_closed(filed_small_grant(authority, org, member, "1000"), staff_user)
            PublicComment.objects.create(offer=offer, name="A", email="a@example.pl", text="x")
            if n:
                PublicComment.objects.filter(offer=offer).update(considered_at=timezone.now(), consideration="ok")
                services.small_grant_award(offer=offer, amount=Decimal("1000"), actor=decider)
            filed_small_grant(authority, org, member, "1000")  # waiting for publication

    grow()
    staff = client_for(staff_user)
    assert_constant_queries(lambda: staff.get(reverse("grants:small-grant-staff-list") + "?rok=2027"), grow, 11)
    anonymous = client_for(None)
    assert_constant_queries(lambda: anonymous.get(reverse("grants:small-grant-public-list")), grow, 2)


@pytest.mark.django_db
def test_only_superusers_edit_the_limits(client_for, superuser, staff_user):
    url = reverse("admin:grants_smallgrantlimits_add")
    staff_user.is_staff = True  # even with access to the admin site
    staff_user.save()
    assert client_for(staff_user).get(url).status_code == 403
    client = client_for(superuser)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "valid_from": "2028-01-01",
            "max_grant": "12000.00",
            "max_days": "90",
            "max_per_organisation_year": "24000.00",
            "max_share_pct": "20.00",
            "legal_basis": "art. 19a ustawy po zmianie",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SmallGrantLimits.objects.on(date(2028, 1, 1)).max_grant == Decimal("12000.00")
    assert SmallGrantLimits.objects.on(date(2027, 12, 31)).max_grant == Decimal("10000.00")


@pytest.mark.django_db
def test_award_and_refusal_are_confirmed_first(
    client_for, authority, organisation, ngo_admin, staff_user, decider, programme, committed
):
    offer = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "6000"), staff_user)
    refused = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "3000"), staff_user)
    # Two other organisations then take the 20 % cap (20 000 zł) but for one grosz.
    for n, amount in enumerate(["10000", "9999.99"]):
        org = OrganisationFactory(name=f"Klub {n}")
        other = filed_small_grant(authority, org, MembershipFactory(organisation=org).user, amount)
        services.small_grant_award(offer=published_and_closed(other, staff_user), amount=Decimal(amount), actor=decider)
    client = client_for(decider)

    def post(url, data):
        with committed():  # the e-mails go out on commit
            return client.post(url, data)

    url = reverse("grants:small-grant-case", args=[offer.pk])
    sent = len(mail.outbox)
    # Over the cap: refused on the field before any summary, with what was typed.
    page = squash(post(url, {"action": "award", "amount": "6 000,00"}).content.decode())
    assert "Potwierdzam" not in page and 'id="error_1_id_amount"' in page and "20%" in page
    assert 'name="amount" value="6 000,00"' in page
    assert not Award.objects.filter(offer=offer).exists() and len(mail.outbox) == sent
    # Within the cap: first the summary (amount, organisation, publication, who is told); nothing decided yet.
    data = {"action": "award", "amount": "0,01"}
    asked = squash(post(url, data).content.decode())
    assert "Potwierdzam: przyznaj dotację" in asked
    assert f"{organisation.name} otrzyma małą dotację w kwocie 0,01\xa0zł (wnioskowano 6\xa0000,00\xa0zł)" in asked
    assert "opublikowana na publicznej stronie oferty" in asked and "Oferent – " in asked
    assert not Award.objects.filter(offer=offer).exists() and len(mail.outbox) == sent
    # Going back changes nothing and keeps the amount.
    back = post(url, {**data, "potwierdzenie": "0"}).content.decode()
    assert 'name="amount" value="0,01"' in back and not Award.objects.filter(offer=offer).exists()
    # The confirmation takes effect and tells the offeror; a second one is refused.
    assert post(url, {**data, "potwierdzenie": "1"}).status_code == 302
    award = Award.objects.get(offer=offer, status=Award.Status.GRANTED)
    assert award.amount == Decimal("0.01") and len(mail.outbox) > sent
    sent = len(mail.outbox)
    again = post(url, {**data, "potwierdzenie": "1"})
    assert again.status_code == 200 and "W sprawie tej oferty już rozstrzygnięto." in again.content.decode()
    award.refresh_from_db()
    assert award.decided_at is not None and award.amount == Decimal("0.01") and len(mail.outbox) == sent

    # The refusal the same way.
    url = reverse("grants:small-grant-case", args=[refused.pk])
    page = post(url, {"action": "refuse", "reasons": "   "}).content.decode()
    assert "Potwierdzam" not in page and 'id="error_1_id_reasons"' in page
    data = {"action": "refuse", "reasons": "Zadanie nie ma charakteru lokalnego."}
    asked = squash(post(url, data).content.decode())
    assert "Potwierdzam: odmów przyznania dotacji" in asked and organisation.name in asked
    assert "z uzasadnieniem: „Zadanie nie ma charakteru lokalnego.”" in asked
    assert not Award.objects.filter(offer=refused).exists() and len(mail.outbox) == sent
    back = post(url, {**data, "potwierdzenie": "0"}).content.decode()
    assert "Zadanie nie ma charakteru lokalnego." in back and not Award.objects.filter(offer=refused).exists()
    assert post(url, {**data, "potwierdzenie": "1"}).status_code == 302
    assert Award.objects.get(offer=refused).status == Award.Status.REFUSED and len(mail.outbox) > sent
    again = post(url, {**data, "reasons": "Inne uzasadnienie.", "potwierdzenie": "1"})
    assert "W sprawie tej oferty już rozstrzygnięto." in again.content.decode()
    assert Award.objects.get(offer=refused).reasons == "Zadanie nie ma charakteru lokalnego."


@pytest.mark.django_db
def test_ngo_appeals_a_refusal_through_its_page(
    client_for, authority, organisation, ngo_admin, staff_user, decider, programme
):
    programme.appeal_days = 7
    programme.save()
    offer = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "5000"), staff_user)
    services.small_grant_refuse(offer=offer, reasons="Brak środków w rezerwie.", actor=decider)
    client = client_for(ngo_admin)
    mine = client.get(reverse("grants:small-grant-mine")).content.decode()
    assert "odmowa przyznania dotacji" in mine
    url = reverse("grants:small-grant-appeal", args=[offer.pk])
    assert "Termin na odwołanie" in client.get(url).content.decode()
    assert client.post(url, {"grounds": "Rezerwa nie była wyczerpana."}).status_code == 302
    staff = client_for(decider)
    case_url = reverse("grants:small-grant-case", args=[offer.pk])
    assert "Dalej – sprawdź, co się stanie" in staff.get(case_url).content.decode()
    data = {"action": "appeal", "upheld": "0", "decision": "Podtrzymano odmowę."}
    # First the confirmation: what will happen and who is told; nothing is decided yet.
    asked = squash(staff.post(case_url, data).content.decode())
    assert "Odwołanie nie zostanie uwzględnione: odmowa przyznania dotacji pozostaje w mocy." in asked
    assert "Potwierdzam: rozpatrz odwołanie" in asked and organisation.name in asked
    assert offer.appeals.get().status == "filed"
    back = staff.post(case_url, {**data, "potwierdzenie": "0"})
    assert back.status_code == 200 and "Podtrzymano odmowę." in back.content.decode()
    assert offer.appeals.get().status == "filed"
    response = staff.post(case_url, {**data, "potwierdzenie": "1"})
    assert response.status_code == 302
    offer.appeals.get(status="dismissed")
    public = client_for(None).get(reverse("grants:small-grant-public", args=[offer.public_id])).content.decode()
    assert "odmówiono przyznania dotacji" in public and "Brak środków w rezerwie." in public
    assert "Odwołanie oferenta nieuwzględnione" in public
    # Another organisation's member cannot reach the appeal page.
    assert client_for(MembershipFactory(organisation=OrganisationFactory(name="Obcy")).user).get(url).status_code == 404


@pytest.mark.django_db
def test_a_small_grant_offer_is_withdrawn_before_publication_only(
    client_for, authority, organisation, ngo_admin, staff_user, programme
):
    filed = filed_small_grant(authority, organisation, ngo_admin, "5000")
    client = client_for(ngo_admin)
    page = client.get(reverse("grants:small-grant-submit", args=[filed.pk])).content.decode()
    assert reverse("grants:offer-withdraw", args=[filed.pk]) in page
    published = filed_small_grant(authority, organisation, ngo_admin, "4000")
    services.small_grant_publish(offer=published, actor=staff_user)
    client.post(reverse("grants:offer-withdraw", args=[published.pk]))
    published.refresh_from_db()
    assert published.status != Offer.Status.WITHDRAWN
    client.post(reverse("grants:offer-withdraw", args=[filed.pk]))
    filed.refresh_from_db()
    assert filed.status == Offer.Status.WITHDRAWN


@pytest.mark.django_db
def test_publishing_a_small_grant_is_confirmed_first_and_refused_when_already_published(
    client_for, authority, organisation, ngo_admin, staff_user, programme
):
    offer = filed_small_grant(authority, organisation, ngo_admin, "4000")
    client = client_for(staff_user)
    url = reverse("grants:small-grant-case", args=[offer.pk])
    asked = client.post(url, {"action": "publish"})
    assert asked.status_code == 200 and "Potwierdzam: opublikuj ofertę na 7 dni" in asked.text
    assert "każdy może zgłaszać do niej uwagi do" in asked.text and "4\xa0000,00\xa0zł" in asked.text
    assert client.post(url, {"action": "publish", "potwierdzenie": "0"}).status_code == 200
    assert not SmallGrantPublication.objects.filter(offer=offer).exists()  # asked and went back: nothing published
    assert client.post(url, {"action": "publish", "potwierdzenie": "1"}).status_code == 302
    assert SmallGrantPublication.objects.filter(offer=offer).count() == 1
    again = client.post(url, {"action": "publish"}, follow=True)
    assert "Potwierdzam" not in again.text and "Opublikować można złożoną ofertę" in again.text


@pytest.mark.django_db
def test_the_art_12_assessment_is_checked_then_confirmed_before_it_is_recorded(
    client_for, authority, organisation, ngo_admin, staff_user
):
    offer = services.direct_offer_start(
        kind=Offer.Kind.OWN_INITIATIVE, authority=authority, organisation=organisation, actor=ngo_admin
    )
    payload = small_grant_data(Decimal("0"))
    payload["data"] = {"title": "Klub seniora", "synopsis": "Spotkania seniorów raz w tygodniu."}
    payload["cost_items"][0]["from_grant"] = None
    offer_services.offer_save(offer=offer, actor=ngo_admin, expected_revision=offer.revision, **payload)
    offer.refresh_from_db()
    offer_services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    client = client_for(staff_user)
    url = reverse("grants:small-grant-case", args=[offer.pk])
    data = {"action": "assess", "outcome": "worthwhile", "commissioning_mode": "open_call", "reasons": "Potrzebne."}
    missing = client.post(url, data)  # the service's rule, on its field, with what was typed kept
    assert "Potwierdzam" not in missing.text and "Podaj planowany termin ogłoszenia" in missing.text
    assert "Potrzebne.</textarea>" in missing.text
    asked = client.post(url, data | {"planned_call_date": "2027-02-01"})
    assert "Potwierdzam: zapisz ocenę i poinformuj oferenta" in asked.text
    assert "planowany termin ogłoszenia otwartego konkursu ofert: 01.02.2027" in asked.text
    assert not OwnInitiativeAssessment.objects.filter(offer=offer).exists()
    done = client.post(url, data | {"planned_call_date": "2027-02-01", "potwierdzenie": "1"})
    assert done.status_code == 302
    assessment = OwnInitiativeAssessment.objects.get(offer=offer)
    assert assessment.planned_call_date == date(2027, 2, 1) and assessment.reasons == "Potrzebne."
