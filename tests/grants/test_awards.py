"""The decision, the published results, justification requests, appeals, updated offers and agreements."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.notifications.models import Notification
from grants.models import Agreement, Appeal, Award, OfferUpdate, OfferVersion, OpenCall, ScoreCard
from grants.services import agreements as agreement_services
from grants.services import awards as award_services
from grants.services import offers as offer_services
from grants.services import scoring
from grants.snapshot import readable_diff
from tests.accounts.factories import AuthorityStaffFactory
from tests.grants.award_factories import add_accepted_offer, call_ready_for_decision, decide_and_publish
from tests.grants.commission_factories import fill_card, make_commission
from tests.grants.factories import COSTS, OpenCallFactory, fill_offer
from tests.helpers import assert_constant_queries, count_queries, pdf_text, squash
from tests.programmes.factories import AuthorityFactory

pytestmark = pytest.mark.django_db


def plain(text: str) -> str:
    """White space collapsed and non-breaking spaces read as spaces, for readable assertions."""
    return squash(text).replace("\u00a0", " ")


@pytest.fixture
def ready(authority, staff_user):
    return call_ready_for_decision(authority, staff_user, offers=3, funds="25000.00")


def test_awards_may_be_lower_but_never_above_the_request_nor_the_funds(ready, decider):
    call, offers = ready
    (first, _), (second, _), (third, _) = offers
    award_services.award_decide(offer=first, granted=True, amount=Decimal("10000.00"), actor=decider)
    award_services.award_decide(offer=second, granted=True, amount=Decimal("8000.00"), actor=decider)
    with pytest.raises(ValidationError) as above_request:
        award_services.award_decide(offer=third, granted=True, amount=Decimal("10000.01"), actor=decider)
    assert "nie może przekraczać wnioskowanej" in above_request.value.message_dict["amount"][0]
    # 25 000 − 18 000 leaves 7 000,00: 7 000,01 is refused, 7 000,00 accepted.
    with pytest.raises(ValidationError) as above_funds:
        award_services.award_decide(offer=third, granted=True, amount=Decimal("7000.01"), actor=decider)
    assert "7\u00a0000,00\u00a0zł" in above_funds.value.message_dict["amount"][0]
    award_services.award_decide(offer=third, granted=True, amount=Decimal("7000.00"), actor=decider)
    assert award_services.awarded_total(call) == Decimal("25000.00")
    # Changing an award re-checks against the others, not against itself.
    award_services.award_decide(offer=first, granted=True, amount=Decimal("9000.00"), actor=decider)
    assert award_services.awarded_total(call) == Decimal("24000.00")


def test_a_lower_award_asks_for_an_updated_offer_and_raising_it_back_cancels_that(ready, decider):
    _, [(offer, _), *_] = ready
    award = award_services.award_decide(offer=offer, granted=True, amount=Decimal("6000.00"), actor=decider)
    assert award.is_lower and OfferUpdate.objects.get(award=award).status == OfferUpdate.Status.REQUIRED
    award_services.award_decide(offer=offer, granted=True, amount=Decimal("10000.00"), actor=decider)
    assert not OfferUpdate.objects.filter(award=award).exists()


def test_only_a_decider_decides_and_only_after_the_commission_closed(ready, staff_user, decider):
    call, [(offer, _), *_] = ready
    with pytest.raises(ValidationError, match="osoba upoważniona"):
        award_services.award_decide(offer=offer, granted=True, amount=Decimal("1000"), actor=staff_user)
    call.commission.status = call.commission.Status.SCORING
    call.commission.save()
    with pytest.raises(ValidationError, match="nie zakończyła"):
        award_services.award_decide(offer=offer, granted=True, amount=Decimal("1000"), actor=decider)


def test_refusal_needs_reasons(ready, decider):
    _, [(offer, _), *_] = ready
    with pytest.raises(ValidationError) as error:
        award_services.award_decide(offer=offer, granted=False, actor=decider)
    assert "reasons" in error.value.error_dict


def test_results_are_published_only_when_every_offer_is_decided_and_each_applicant_is_told(
    ready, decider, client, committed
):
    call, offers = ready
    award_services.award_decide(offer=offers[0][0], granted=True, amount=Decimal("10000.00"), actor=decider)
    with pytest.raises(ValidationError, match="2 ofert"):
        award_services.results_publish(call=call, actor=decider)
    award_services.award_decide(offer=offers[1][0], granted=True, amount=Decimal("7500.00"), actor=decider)
    award_services.award_decide(offer=offers[2][0], granted=False, reasons="Poniżej progu.", actor=decider)
    mail.outbox.clear()
    with committed():
        award_services.results_publish(call=call, actor=decider)
    call.refresh_from_db()
    assert call.status == OpenCall.Status.DECIDED and call.results_published_at is not None
    # Each applicant's members (notification + their own e-mail) and each organisation's mailbox, once each.
    expected = [user.email for _, user in offers] + [address for offer, _ in offers for address in offer.recipients]
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(expected)
    for _, user in offers:
        assert Notification.objects.filter(recipient=user, kind=Notification.Kind.RESULTS).count() == 1
    bodies = {address: m.body for m in mail.outbox for address in m.to}
    lower = bodies[offers[1][0].organisation.email]
    assert "7\u00a0500,00\u00a0zł" in lower and "aktualizację oferty" in lower
    assert "dotacji nie przyznano" in bodies[offers[2][0].organisation.email]
    # Art. 15 ust. 2h: offeror, task and amount on the public page and in the PDF.
    page = plain(client.get(reverse("grants:call-detail", args=[call.pk])).content.decode())
    assert offers[1][0].organisation.name in page and "7 500,00 zł" in page and "17 500,00 zł" in page
    text = pdf_text(client.get(reverse("grants:results-pdf", args=[call.pk])).content)
    assert "WYNIKI OTWARTEGO KONKURSU OFERT" in text and "17 500,00 zł" in plain(text)


def test_results_and_their_pdf_are_not_public_before_publication(ready, client):
    call, _ = ready
    assert client.get(reverse("grants:results-pdf", args=[call.pk])).status_code == 404
    assert "Wyniki konkursu" not in client.get(reverse("grants:call-detail", args=[call.pk])).content.decode()


def test_anyone_may_ask_for_the_justification_within_30_days(ready, decider, client, committed):
    call, _ = ready
    decide_and_publish(call, decider, [Decimal("10000"), Decimal("10000"), None])
    call.refresh_from_db()
    deadline = call.results_published_at + timedelta(days=30)
    url = reverse("grants:justification-request", args=[call.pk])
    form = {"name": "Jan Kowalski", "email": "jan@example.pl", "question": "Dlaczego oferta nr 3 odpadła?"}
    with time_machine.travel(deadline, tick=False):
        response = client.post(url, form)
    assert response.status_code == 302
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        response = client.post(url, form)
        assert "Termin na złożenie wniosku o uzasadnienie minął" in response.content.decode()
    request = call.justification_requests.get()
    mail.outbox.clear()
    with committed():
        award_services.justification_answer(request=request, answer="Oferta uzyskała 12 pkt.", actor=decider)
    assert mail.outbox[0].to == ["jan@example.pl"] and "12 pkt" in mail.outbox[0].body


def test_a_bot_filling_the_hidden_field_files_nothing(ready, decider, client):
    call, _ = ready
    decide_and_publish(call, decider, [Decimal("10000"), Decimal("10000"), None])
    client.post(
        reverse("grants:justification-request", args=[call.pk]),
        {"name": "x", "email": "x@example.pl", "question": "spam", "website": "http://spam"},
    )
    assert not call.justification_requests.exists()


def test_appeals_only_where_the_programme_provides_them_and_within_its_days(ready, decider):
    call, offers = ready
    decide_and_publish(call, decider, [Decimal("10000"), Decimal("10000"), None])
    refused, admin = offers[2]
    with pytest.raises(ValidationError, match="nie przewiduje odwołań"):
        award_services.appeal_file(offer=refused, grounds="Ocena była krzywdząca.", actor=admin)
    call.programme.appeal_days = 7
    call.programme.save()
    call.refresh_from_db()
    late = call.results_published_at + timedelta(days=7, seconds=1)
    with time_machine.travel(late, tick=False), pytest.raises(ValidationError, match="Termin na odwołanie minął"):
        award_services.appeal_file(offer=refused, grounds="Ocena była krzywdząca.", actor=admin)
    appeal = award_services.appeal_file(offer=refused, grounds="Ocena była krzywdząca.", actor=admin)
    assert appeal.decision_due == appeal.filed_at + timedelta(days=14)  # the programme's default (S4 § 12)
    # Upholding cannot grant more than the 5 000 left of the call's 25 000.
    with pytest.raises(ValidationError):
        award_services.appeal_decide(
            appeal=appeal, status=Appeal.Status.UPHELD, decision="Zasadne.", amount=Decimal("5000.01"), actor=decider
        )
    award_services.appeal_decide(
        appeal=appeal, status=Appeal.Status.UPHELD, decision="Zasadne.", amount=Decimal("5000.00"), actor=decider
    )
    refused.award.refresh_from_db()
    assert refused.award.status == Award.Status.GRANTED and refused.award.amount == Decimal("5000.00")


def test_an_appeal_decision_is_confirmed_before_it_takes_effect(ready, decider, client_for):
    """The first POST states what will happen and changes nothing; going back changes nothing; the confirmed POST
    grants the amount, corrects the published results and tells the offeror."""
    call, offers = ready
    decide_and_publish(call, decider, [Decimal("10000"), Decimal("10000"), None])
    call.programme.appeal_days = 7
    call.programme.save()
    refused, admin = offers[2]
    appeal = award_services.appeal_file(offer=refused, grounds="Ocena była krzywdząca.", actor=admin)
    url = reverse("grants:appeal-decide", args=[appeal.pk])
    client = client_for(decider)
    page = client.get(reverse("grants:call-decision", args=[call.pk])).content.decode()
    assert "Dalej – sprawdź, co się stanie" in page and f'action="{url}"' in page
    data = {"status": "upheld", "amount": "5 000,00", "decision": "Ocena pominęła doświadczenie oferenta."}
    # 5 000,01 is more than the call has left: refused before any confirmation is asked.
    over = client.post(url, {**data, "amount": "5 000,01"}, follow=True).content.decode()
    assert "Suma dotacji przekroczyłaby środki konkursu" in over and "Potwierdzam" not in over
    confirmation = client.post(url, data)
    assert confirmation.status_code == 200
    text = plain(confirmation.content.decode())
    assert f"Rozpatrz odwołanie – {refused.organisation.name}, konkurs {call.number}" in text
    assert f"oferta „{refused.title}” otrzyma dotację 5 000,00 zł" in text
    assert "Opublikowane wyniki konkursu otrzymają korektę" in text
    assert "Ocena pominęła doświadczenie oferenta." in text and "Potwierdzam: rozpatrz odwołanie" in text
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.FILED and appeal.decided_at is None
    assert Award.objects.get(offer=refused).status == Award.Status.REFUSED
    assert not Notification.objects.filter(recipient=admin, kind=Notification.Kind.APPEAL).exists()
    assert client.post(url, {**data, "potwierdzenie": "0"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.FILED
    done = client.post(url, {**data, "potwierdzenie": "1"})
    assert done.status_code == 302 and done.url.endswith("#odwolania")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD and appeal.decided_by == decider
    award = Award.objects.get(offer=refused)
    assert award.status == Award.Status.GRANTED and award.amount == Decimal("5000.00")
    assert Notification.objects.filter(recipient=admin, kind=Notification.Kind.APPEAL).count() == 1
    # Posting the same confirmation again (a second click) decides nothing more.
    again = client.post(url, {**data, "potwierdzenie": "1"}, follow=True).content.decode()
    assert "zostało już rozpatrzone" in again


def _scaled_costs(factor: Decimal) -> list[dict]:
    return [{**row, "quantity": (row["quantity"] * factor).quantize(Decimal("0.01"))} for row in COSTS]


def test_updated_offer_fits_the_lower_award_then_staff_accept_and_the_agreement_uses_it(ready, decider, staff_user):
    call, [(offer, admin), *_] = ready
    decide_and_publish(call, decider, [Decimal("5000.00"), Decimal("10000.00"), None])
    update = OfferUpdate.objects.get(award__offer=offer)
    # The working copy can be edited again, but the update must ask for exactly the awarded amount.
    offer = fill_offer(offer, admin, data={"grant_amount": Decimal("6000.00"), "own_financial": Decimal("4750.00")})
    with pytest.raises(ValidationError) as error:
        offer_services.offer_submit(offer=offer, actor=admin, revision=offer.revision)
    assert "5\u00a0000,00\u00a0zł" in error.value.message_dict["grant_amount"][0]
    # Halve the costs: 5 625 = 5 000 grant + 375 own financial + 250 personal; all form checks run again.
    offer = fill_offer(
        offer,
        admin,
        data={"grant_amount": Decimal("5000.00"), "own_financial": Decimal("375.00"), "own_personal": Decimal("250")},
        costs=_scaled_costs(Decimal("0.5")),
    )
    version = offer_services.offer_submit(offer=offer, actor=admin, revision=offer.revision)
    assert version.kind == OfferVersion.Kind.UPDATE
    offer.refresh_from_db()
    assert offer.current_version.kind == OfferVersion.Kind.SUBMISSION  # the evaluated version stays
    update.refresh_from_db()
    assert update.status == OfferUpdate.Status.SUBMITTED and update.version == version
    # Staff read the changes in the form's words, with Polish amounts.
    changes = {
        label: (before, after) for label, before, after in readable_diff(offer.current_version.data, version.data)
    }
    assert changes["V.B Wnioskowana dotacja"] == ("10\xa0000,00\xa0zł", "5\xa0000,00\xa0zł")
    assert changes["V.A Pozycja kosztorysu 1 – liczba jednostek"] == ("100,00", "50,00")
    with pytest.raises(ValidationError, match="aktualizacji"):
        agreement_services.agreement_create(award=update.award, actor=staff_user)
    award_services.offer_update_review(update=update, accept=True, remarks="", actor=staff_user)
    agreement = agreement_services.agreement_create(award=update.award, actor=staff_user)
    assert agreement.version == version and agreement.grant_amount == Decimal("5000.00")
    assert agreement.total_cost == Decimal("5625.00")
    assert sum(line.from_grant for line in agreement.cost_lines.all()) == Decimal("5000.00")


def test_an_amount_changed_by_an_appeal_after_the_update_asks_for_a_new_one(ready, decider, staff_user):
    call, [(offer, admin), *_] = ready
    decide_and_publish(call, decider, [Decimal("5000.00"), Decimal("10000.00"), None])
    offer = fill_offer(
        offer,
        admin,
        data={"grant_amount": Decimal("5000.00"), "own_financial": Decimal("375.00"), "own_personal": Decimal("250")},
        costs=_scaled_costs(Decimal("0.5")),
    )
    offer_services.offer_submit(offer=offer, actor=admin, revision=offer.revision)
    update = OfferUpdate.objects.get(award__offer=offer)
    award_services.offer_update_review(update=update, accept=True, remarks="", actor=staff_user)
    # An upheld appeal raises the award to 8 000: the update made for 5 000 no longer fits the agreement.
    award = award_services.award_decide(
        offer=offer, granted=True, amount=Decimal("8000.00"), actor=decider, appeal=True
    )
    assert OfferUpdate.objects.get(award=award).status == OfferUpdate.Status.REQUIRED
    with pytest.raises(ValidationError, match="po przyjęciu aktualizacji"):
        agreement_services.agreement_create(award=award, actor=staff_user)
    # Raised to the full request: no update is needed and the agreement is made from the evaluated offer.
    award = award_services.award_decide(
        offer=offer, granted=True, amount=Decimal("10000.00"), actor=decider, appeal=True
    )
    assert not OfferUpdate.objects.filter(award=award).exists()
    agreement = agreement_services.agreement_create(award=award, actor=staff_user)
    assert agreement.grant_amount == Decimal("10000.00")
    assert sum(line.from_grant for line in agreement.cost_lines.all()) == Decimal("10000.00")
    # Once the agreement is drafted the amount changes only by an annex.
    with pytest.raises(ValidationError, match="aneksem"):
        award_services.award_decide(offer=offer, granted=True, amount=Decimal("9000.00"), actor=decider, appeal=True)


def test_an_update_that_breaks_the_form_rules_is_refused(ready, decider):
    call, [(offer, admin), *_] = ready
    call.min_own_contribution_pct = Decimal("10")
    call.save()
    decide_and_publish(call, decider, [Decimal("5000.00"), Decimal("10000.00"), None])
    # Grant lowered but costs kept and own contribution dropped: sums no longer match V.A.
    offer = fill_offer(offer, admin, data={"grant_amount": Decimal("5000.00")})
    with pytest.raises(ValidationError) as error:
        offer_services.offer_submit(offer=offer, actor=admin, revision=offer.revision)
    assert error.value.error_dict  # the form's own checks, on their fields
    assert not OfferVersion.objects.filter(offer=offer, kind=OfferVersion.Kind.UPDATE).exists()


def test_withdrawing_frees_the_money_for_others(ready, decider):
    call, [(offer, admin), (second, _), *_] = ready
    decide_and_publish(call, decider, [Decimal("5000.00"), Decimal("10000.00"), None])
    award_services.offer_update_withdraw(offer=offer, actor=admin)
    offer.award.refresh_from_db()
    assert offer.award.status == Award.Status.REFUSED
    assert award_services.awarded_total(call) == Decimal("10000.00")


def test_agreement_terms_numbers_tranches_and_lifecycle(ready, decider, staff_user, client_for):
    call, [(offer, admin), (second, _), *_] = ready
    decide_and_publish(call, decider, [Decimal("10000.00"), Decimal("10000.00"), None])
    first = agreement_services.agreement_create(
        award=offer.award,
        actor=staff_user,
        tranches=[(Decimal("6000.00"), date(2027, 3, 1)), (Decimal("4000.00"), date(2027, 7, 1))],
        deviation_threshold_pct=Decimal("15"),
    )
    second_agreement = agreement_services.agreement_create(award=second.award, actor=staff_user)
    assert (first.number, second_agreement.number) == ("UM/2027/001", "UM/2027/002")
    assert first.report_due == date(2027, 12, 30)  # 30 days after 30.11.2027
    assert first.return_deadline == date(2027, 12, 15)  # 15 days after the end of use
    # Cost lines: 10 000 + 250 + 1 000 = 11 250; the grant's parts add up to the grant exactly.
    lines = list(first.cost_lines.all())
    assert [line.total for line in lines] == [Decimal("10000.00"), Decimal("250.00"), Decimal("1000.00")]
    assert sum(line.from_grant for line in lines) == Decimal("10000.00")
    assert all(line.from_grant <= line.total for line in lines)
    with pytest.raises(ValidationError) as bad_tranches:
        agreement_services.agreement_create(award=offer.award, actor=staff_user)
    assert "już istnieje" in str(bad_tranches.value)
    with pytest.raises(ValidationError):
        agreement_services.annex_record(agreement=first, signed_on=date(2027, 2, 1), subject="x", actor=staff_user)
    agreement_services.agreement_sign(agreement=first, signed_on=timezone.localdate(), actor=staff_user)
    annex = agreement_services.annex_record(
        agreement=first, signed_on=timezone.localdate(), subject="Zmiana harmonogramu.", actor=staff_user
    )
    assert annex.number == 1
    with pytest.raises(ValidationError):
        agreement_services.agreement_sign(agreement=first, signed_on=timezone.localdate(), actor=staff_user)
    text = plain(pdf_text(client_for(admin).get(reverse("grants:agreement-pdf", args=[first.pk])).content))
    for expected in ("UMOWA NR UM/2027/001", "10 000,00 zł", "15,00%", "30.12.2027", "6 000,00 zł", "Zleceniobiorca"):
        assert expected in text, expected


def test_tranches_must_add_up_to_the_grant(ready, decider, staff_user):
    call, [(offer, _), *_] = ready
    decide_and_publish(call, decider, [Decimal("10000.00"), Decimal("10000.00"), None])
    with pytest.raises(ValidationError) as error:
        agreement_services.agreement_create(
            award=offer.award, actor=staff_user, tranches=[(Decimal("9999.99"), date(2027, 3, 1))]
        )
    assert "tranches" in error.value.error_dict
    assert not Agreement.objects.exists()


def test_grant_split_is_exact_and_never_exceeds_a_line():
    lines = [{"total": "333.33"}, {"total": "333.33"}, {"total": "333.34"}]
    parts = agreement_services.grant_split(lines, Decimal("100.00"))
    assert sum(parts) == Decimal("100.00")
    assert all(p <= Decimal(line["total"]) for p, line in zip(parts, lines, strict=True))
    assert agreement_services.grant_split([{"total": "10", "from_grant": "4.00"}], Decimal("4")) == [Decimal("4.00")]


def test_agreements_and_decisions_are_reachable_only_by_their_parties(ready, decider, staff_user, client_for):
    call, [(offer, admin), (second, other_admin), *_] = ready
    decide_and_publish(call, decider, [Decimal("10000.00"), Decimal("10000.00"), None])
    agreement = agreement_services.agreement_create(award=offer.award, actor=staff_user)
    foreign_staff = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    for url in (
        reverse("grants:agreement-detail", args=[agreement.pk]),
        reverse("grants:agreement-pdf", args=[agreement.pk]),
    ):
        assert client_for(other_admin).get(url).status_code == 404
        assert client_for(foreign_staff).get(url).status_code == 404
        assert client_for(admin).get(url).status_code == 200
        assert client_for(staff_user).get(url).status_code == 200
    for url in (
        reverse("grants:call-decision", args=[call.pk]),
        reverse("grants:call-agreements", args=[call.pk]),
        reverse("grants:agreement-create", args=[second.award.pk]),
    ):
        assert client_for(foreign_staff).get(url).status_code == 404
        assert client_for(admin).get(url).status_code in (302, 403)
    # Staff of the authority act on the agreement; the NGO may only read it.
    response = client_for(admin).post(
        reverse("grants:agreement-action", args=[agreement.pk, "podpisanie"]), {"signed_on": "2026-01-01"}
    )
    assert response.status_code in (302, 403)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_decision_page_saves_every_row_or_none(ready, decider, client_for):
    call, offers = ready
    url = reverse("grants:call-decision", args=[call.pk])
    data = {}
    for (offer, _), amount in zip(offers, ["10 000,00", "10 000,00", "6 000,00"], strict=True):
        data.update({f"o{offer.pk}-decision": "grant", f"o{offer.pk}-amount": amount, f"o{offer.pk}-reasons": ""})
    response = client_for(decider).post(url, data)
    # 26 000 > 25 000: the third row gets the error, and nothing is saved.
    assert response.status_code == 200
    assert "Suma dotacji przekroczyłaby środki konkursu" in response.content.decode()
    assert not Award.objects.filter(call=call, status=Award.Status.GRANTED).exists()
    data[f"o{offers[2][0].pk}-amount"] = "5 000,00"
    # Valid rows: first the confirmation, which states what will happen and who is told, and saves nothing.
    confirmation = client_for(decider).post(url, data)
    assert confirmation.status_code == 200
    text = plain(confirmation.content.decode())
    assert f"Zapisz decyzje o dotacjach – konkurs {call.number}" in text
    assert "przyznanie 3 dotacji na łączną kwotę 25 000,00 zł i odmowa dla 0 ofert" in text
    assert "mniej niż wnioskowali (1)" in text
    assert "oferenci dostaną e-mail z wynikiem swojej oferty dopiero po ogłoszeniu wyników" in text
    assert not Award.objects.filter(call=call).exists()
    assert len(mail.outbox) == 0
    # Going back shows the form again with what was typed, still saving nothing.
    back = client_for(decider).post(url, {**data, "potwierdzenie": "0"})
    assert back.status_code == 200 and 'value="5 000,00"' in back.content.decode()
    assert not Award.objects.filter(call=call).exists()
    assert client_for(decider).post(url, {**data, "potwierdzenie": "1"}).status_code == 302
    assert award_services.awarded_total(call) == Decimal("25000.00")


def test_a_confirmed_decision_is_checked_again_when_saved(ready, decider, client_for):
    """Between the confirmation page and the click, another decision may have used the funds: the service refuses."""
    call, offers = ready
    url = reverse("grants:call-decision", args=[call.pk])
    data = {f"o{offers[0][0].pk}-decision": "grant", f"o{offers[0][0].pk}-amount": "10 000,00"}
    assert "Potwierdzam: zapisz decyzje" in client_for(decider).post(url, data).content.decode()
    call.commission.status = call.commission.Status.SCORING
    call.commission.save()
    response = client_for(decider).post(url, {**data, "potwierdzenie": "1"})
    assert response.status_code == 200 and "Nie zapisano decyzji" in response.content.decode()
    assert not Award.objects.filter(call=call).exists()


def test_an_appeal_sent_back_to_the_commission_reopens_that_offers_cards_until_the_chair_closes_again(
    ready, decider, client_for
):
    call, offers = ready
    call.commission.delete()
    commission, members = make_commission(call, started=True)
    voting = [m for m in members if m.is_voting]
    for offer, _ in offers:
        for member in voting:
            fill_card(member, offer, [8])
    chair = next(m for m in members if m.is_chair)
    scoring.scoring_close(commission=commission, actor=chair.user)
    decide_and_publish(call, decider, [Decimal("10000"), Decimal("10000"), None])
    call.programme.appeal_days = 7
    call.programme.save()
    refused, admin = offers[2]
    appeal = award_services.appeal_file(offer=refused, grounds="Punkty zaniżone.", actor=admin)
    award_services.appeal_decide(appeal=appeal, status=Appeal.Status.RESCORING, decision="Do komisji.", actor=decider)
    commission.refresh_from_db()
    assert commission.status == commission.Status.SCORING
    reopened = ScoreCard.objects.filter(offer=refused, member__in=voting)
    assert {c.status for c in reopened} == {ScoreCard.Status.DRAFT}
    assert {c.reopened_count for c in reopened} == {1}
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(reopened[0]).latest("timestamp")
    assert entry.actor == decider and entry.changes_dict["reopened_count"] == ["0", "1"]
    assert ScoreCard.objects.filter(offer=offers[0][0], status=ScoreCard.Status.SUBMITTED).count() == len(voting)
    page = client_for(decider).get(reverse("grants:call-decision", args=[call.pk])).content.decode()
    assert f'id="a{appeal.pk}-u"' in page and f'id="a{appeal.pk}-r"' not in page
    with pytest.raises(ValidationError, match="już ponownie ocenia"):
        award_services.appeal_decide(appeal=appeal, status=Appeal.Status.RESCORING, decision="Znowu.", actor=decider)
    assert set(reopened.values_list("reopened_count", flat=True)) == {1}
    for member in voting:
        fill_card(member, refused, [10])
    # No decision on the appeal before the chair has closed the re-scoring.
    with pytest.raises(ValidationError, match="nie zakończyła ponownej oceny"):
        award_services.appeal_decide(
            appeal=appeal, status=Appeal.Status.UPHELD, decision="Za wcześnie.", amount=Decimal("5000"), actor=decider
        )
    assert Award.objects.get(offer=refused).status == Award.Status.REFUSED
    scoring.scoring_close(commission=commission, actor=chair.user)
    award_services.appeal_decide(
        appeal=appeal,
        status=Appeal.Status.UPHELD,
        decision="Po ponownej ocenie.",
        amount=Decimal("5000"),
        actor=decider,
    )
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD and appeal.decided_at is not None


def test_decision_results_and_agreement_pages_keep_their_query_budget(
    authority, staff_user, decider, client_for, client
):
    call, offers = call_ready_for_decision(authority, staff_user, offers=2, funds="100000.00")
    award_services.award_decide(offer=offers[0][0], granted=True, amount=Decimal("10000"), actor=decider)
    staff = client_for(decider)

    def more_decided_offers():
        for _ in range(3):
            offer = add_accepted_offer(call, staff_user)
            award_services.award_decide(offer=offer, granted=True, amount=Decimal("10000"), actor=decider)

    decision_url = reverse("grants:call-decision", args=[call.pk])
    # Session, user, roles, the call; the ranking (commission, its voting members, offers, scores); the published
    # results (for the correction link).
    assert assert_constant_queries(lambda: staff.get(decision_url), more_decided_offers, budget=9) == 9

    award_services.award_decide(offer=offers[1][0], granted=True, amount=Decimal("10000"), actor=decider)
    award_services.results_publish(call=call, actor=decider)
    public = reverse("grants:call-detail", args=[call.pk])
    results_pdf = reverse("grants:results-pdf", args=[call.pk])
    awards = list(Award.objects.filter(call=call, status=Award.Status.GRANTED).order_by("pk"))
    agreements = [agreement_services.agreement_create(award=awards[0], actor=staff_user)]

    def more_agreements():
        for award in awards[1:]:
            agreements.append(agreement_services.agreement_create(award=award, actor=staff_user))
        # More tranches and annexes on the first agreement.
        first = agreements[0]
        agreement_services.agreement_sign(agreement=first, signed_on=timezone.localdate(), actor=staff_user)
        for _ in range(2):
            agreement_services.annex_record(
                agreement=first, signed_on=timezone.localdate(), subject="Zmiana.", actor=staff_user
            )

    pages = [
        reverse("grants:agreement-list"),
        reverse("grants:call-agreements", args=[call.pk]),
        reverse("grants:agreement-detail", args=[agreements[0].pk]),
        reverse("grants:agreement-pdf", args=[agreements[0].pk]),
    ]
    counts = {}

    def measure():
        for url in pages:
            counts[url] = count_queries(lambda u=url: staff.get(u))
        counts[public] = count_queries(lambda: client.get(public))
        counts[results_pdf] = count_queries(lambda: client.get(results_pdf))

    measure()
    before = dict(counts)
    more_agreements()
    measure()
    assert counts == before
    assert max(counts.values()) <= 16, counts
    # The agreement page: session, user, roles; the agreement (with what the page shows of its authority,
    # organisation and import), its tranches, signed copies, budget charges, cost lines and annexes.
    assert counts[pages[2]] == 9, counts


def test_public_results_keep_their_query_count_with_more_awards(authority, staff_user, decider, client, client_for):
    """The published results of a call with 2 decided offers and of one with 6 cost the same number of queries, and
    so does the decision page (office) that lists the decisions taken."""

    def published(granted: int, refused: int):
        call, _ = call_ready_for_decision(authority, staff_user, offers=granted + refused, funds="1000000.00")
        amounts = [Decimal("10000")] * granted + [None] * refused
        decide_and_publish(call, decider, amounts)
        return call

    small, large = published(1, 1), published(4, 2)

    def counts(call):
        page = count_queries(lambda: client.get(reverse("grants:call-detail", args=[call.pk])))
        pdf = count_queries(lambda: client.get(reverse("grants:results-pdf", args=[call.pk])))
        return page, pdf

    assert counts(small) == counts(large)
    assert counts(large)[0] <= 10, counts(large)
    office = client_for(decider)
    decisions = [
        count_queries(lambda c=call: office.get(reverse("grants:call-decision", args=[c.pk])))
        for call in (small, large)
    ]
    # As for a call in review (test above), then the justification requests (and the appeals, read only where the
    # programme allows them: not here).
    assert decisions == [10, 10], decisions
    text = plain(client.get(reverse("grants:call-detail", args=[large.pk])).content.decode())
    assert "40 000,00 zł" in text


def test_a_later_call_shows_the_grants_awarded_in_same_type_tasks(ready, decider, client):
    """Art. 13 ust. 2 pkt 7: after the results, the cost of a same-type task is what organisations were granted."""
    call, _ = ready
    decide_and_publish(call, decider, [Decimal("10000"), Decimal("7500"), None])
    later = OpenCallFactory(programme=call.programme, number="OK/2027/99", published_bip_on=date(2027, 6, 1))
    text = plain(client.get(reverse("grants:call-detail", args=[later.pk])).content.decode())
    assert f"{call.number} – " in text
    assert "dotacje przyznane organizacjom 17 500,00 zł (środki konkursu 25 000,00 zł)" in text


def test_a_small_grants_agreement_is_made_with_its_addressee_and_only_its_staff_reach_it(
    authority, organisation, ngo_admin, staff_user, decider, client_for
):
    from grants.services import small_grants as small_grant_services
    from programmes.models import Programme
    from tests.grants.test_small_grants import filed_small_grant, published_and_closed
    from tests.programmes.factories import ProgrammeFactory, add_budget

    programme = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
    add_budget(programme, [("Kultura", "80000.00")])
    Programme.objects.filter(pk=programme.pk).update(small_grants_reserve=Decimal("20000.00"))
    offer = published_and_closed(filed_small_grant(authority, organisation, ngo_admin, "6000"), staff_user)
    award = small_grant_services.small_grant_award(offer=offer, amount=Decimal("6000.00"), actor=decider)
    # A second authority on the same portal: its staff must not reach the first one's small grants by id.
    foreign_staff = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    assert client_for(foreign_staff).get(reverse("grants:agreement-create", args=[award.pk])).status_code == 404
    assert client_for(staff_user).get(reverse("grants:agreement-create", args=[award.pk])).status_code == 200
    # With two authorities the agreement's party is the one the offer was addressed to.
    agreement = agreement_services.agreement_create(award=award, actor=staff_user)
    assert agreement.authority == authority


def test_an_offer_below_the_commissions_minimum_score_gets_no_grant(ready, decider, client_for):
    call, offers = ready
    call.commission.delete()
    commission, members = make_commission(call, started=True, min_score=Decimal("6.50"))
    voting = [m for m in members if m.is_voting]
    for (offer, _), points in zip(offers, [[8], [6], [7]], strict=True):
        for member in voting:
            fill_card(member, offer, points)
    scoring.scoring_close(commission=commission, actor=next(m for m in members if m.is_chair).user)
    (above, _), (below, _), _ = offers
    award_services.award_decide(offer=above, granted=True, amount=Decimal("10000.00"), actor=decider)
    with pytest.raises(ValidationError) as error:
        award_services.award_decide(offer=below, granted=True, amount=Decimal("5000.00"), actor=decider)
    assert error.value.message_dict["decision"] == [
        "Oferta nie uzyskała minimalnej oceny komisji (6,50 pkt) – dotacji nie można przyznać."
    ]
    # The decision page offers that row a refusal only.
    page = client_for(decider).get(reverse("grants:call-decision", args=[call.pk]))
    choices = dict(
        page.context["forms"][[r.offer.pk for r, _ in page.context["forms"]].index(below.pk)][1]
        .fields["decision"]
        .choices
    )
    assert "grant" not in choices and "refuse" in choices
    # Refusing it is what the decision may do; a single undecided offer is named in the right case.
    award_services.award_decide(offer=below, granted=False, reasons="Poniżej progu.", actor=decider)
    with pytest.raises(ValidationError, match="Nie rozstrzygnięto jeszcze 1 oferty:"):
        award_services.results_publish(call=call, actor=decider)


def test_decisions_updates_and_agreements_are_in_the_audit_log(ready, decider, staff_user):
    from auditlog.models import LogEntry

    call, [(offer, admin), *_] = ready
    award = award_services.award_decide(offer=offer, granted=True, amount=Decimal("10000.00"), actor=decider)
    entry = LogEntry.objects.get_for_object(award).latest("timestamp")
    assert entry.actor == decider and entry.changes_dict["status"][1] == Award.Status.GRANTED
    award_services.award_decide(offer=offer, granted=True, amount=Decimal("6000.00"), actor=decider)
    update = OfferUpdate.objects.get(award=award)
    assert LogEntry.objects.get_for_object(update).latest("timestamp").actor == decider
    award_services.award_decide(offer=offer, granted=True, amount=Decimal("10000.00"), actor=decider)
    agreement = agreement_services.agreement_create(award=award, actor=staff_user)
    agreement_services.agreement_sign(agreement=agreement, signed_on=timezone.localdate(), actor=staff_user)
    entry = LogEntry.objects.get_for_object(agreement).latest("timestamp")
    assert entry.actor == staff_user and entry.changes_dict["status"] == [Agreement.Status.DRAFT, "signed"]


def test_the_demos_refusal_reasons_write_the_score_the_polish_way():
    from types import SimpleNamespace

    from grants.demo_awards import _reasons

    row = SimpleNamespace(eligible=False, mean_score=Decimal("42.50"))
    assert _reasons(row, None) == "Oferta uzyskała średnio 42,50 pkt – poniżej progu ustalonego przez komisję."


def test_an_agreement_keeps_the_authority_terms_it_was_made_with(ready, decider, staff_user, client_for):
    """The executive, the default representatives and the additional clauses are copied onto the agreement when it
    is made; a later change of the authority's settings leaves its PDF as it was, and the next agreement takes it."""
    call, [(offer, admin), (second, second_admin), *_] = ready
    authority = call.authority
    authority.agreement_clauses = "Zleceniobiorca umieszcza herb gminy na materiałach.\nKlauzula druga umowy."
    authority.default_representatives = "Zastępca Burmistrza – Jan Nowak"
    authority.save()
    decide_and_publish(call, decider, [Decimal("10000.00"), Decimal("10000.00"), None])
    agreement = agreement_services.agreement_create(award=offer.award, actor=staff_user)
    assert agreement.authority_executive == "Burmistrz Gminy Konstancin-Jeziorna"
    url = reverse("grants:agreement-pdf", args=[agreement.pk])
    before = plain(pdf_text(client_for(admin).get(url).content))
    for phrase in (
        "reprezentowaną przez Burmistrza Gminy Konstancin-Jeziorna, w imieniu którego działa: "
        "Zastępca Burmistrza – Jan Nowak",
        "Zleceniobiorca umieszcza herb gminy na materiałach.",
        "Klauzula druga umowy.",
        "Zleceniodawca – Burmistrz Gminy Konstancin",  # the signature cell breaks the line at the hyphen
    ):
        assert phrase in before, phrase

    authority.agreement_clauses = "Nowa klauzula jednostki."
    authority.default_representatives = "Burmistrz – Anna Lis"
    authority.executive_name = "Burmistrz Miasta i Gminy Konstancin-Jeziorna"
    authority.save()
    after = plain(pdf_text(client_for(admin).get(url).content))
    assert after == before
    made_later = agreement_services.agreement_create(award=second.award, actor=staff_user)
    later = plain(pdf_text(client_for(second_admin).get(reverse("grants:agreement-pdf", args=[made_later.pk])).content))
    for phrase in ("Nowa klauzula jednostki.", "Burmistrz – Anna Lis", "przez Burmistrza Miasta i Gminy"):
        assert phrase in later, phrase
    assert "Klauzula druga umowy." not in later


def test_agreements_made_before_the_snapshot_take_the_authoritys_terms_of_the_migration(authority, organisation):
    import importlib

    from django.apps import apps

    from tests.grants.agreement_factories import make_agreement

    migration = importlib.import_module("grants.migrations.0023_agreement_authority_terms")
    authority.agreement_clauses = "Klauzula z dnia migracji."
    authority.save()
    agreement = make_agreement(organisation=organisation, kind="small_grant", authority=authority)
    assert (agreement.authority_executive, agreement.authority_clauses) == ("", "")
    migration.take_authority_terms(apps, None)
    agreement.refresh_from_db()
    assert agreement.authority_executive == "Burmistrz Gminy Konstancin-Jeziorna"
    assert agreement.authority_clauses == "Klauzula z dnia migracji."


# A row of the agreement list as the template wrote it before ``{% agreement_row %}`` took over.
OLD_AGREEMENT_ROW = (
    "{% for a in agreements %}"
    '<tr><td><a href="{% url \'grants:agreement-detail\' a.pk %}">{{ a.number }}</a></td><td><strong>{{ a.organisation.name }}</strong><br>{{ a.title }}</td><td>{% if a.call %}konkurs {{ a.call.number }}{% else %}art. 19a{% endif %}{% if a.import_batch_id %} <span class="badge text-bg-light border">zaimportowana</span>{% endif %}</td><td class="num">{{ a.grant_amount|money }}</td><td>{{ a.start_date|date:"d.m.Y" }} – {{ a.end_date|date:"d.m.Y" }}</td><td>{% status_badge a %}</td></tr>\n'  # noqa: E501
    "  "
    "{% endfor %}"
)


def test_the_agreement_row_tag_writes_what_the_template_wrote(authority):
    from django.template import Context, Template

    from grants.models import Offer
    from tests.grants.agreement_factories import make_agreement
    from tests.organisations.factories import OrganisationFactory

    call = OpenCallFactory(programme__authority=authority)
    make_agreement(organisation=OrganisationFactory(name="Klub <b>„Orły”</b> & Syn"), call=call, authority=authority)
    make_agreement(
        organisation=OrganisationFactory(),
        kind=Offer.Kind.SMALL_GRANT,
        status=Agreement.Status.DRAFT,
        authority=authority,
    )
    agreements = list(Agreement.objects.select_related("organisation", "award__call", "imported_call"))
    agreements[0].import_batch_id = 1  # shown as imported (only the attribute is read)
    context = Context({"agreements": agreements})
    old = Template(OLD_AGREEMENT_ROW).render(context)
    new = Template("{% load agreement_rows %}{% for a in agreements %}{% agreement_row a %}\n  {% endfor %}").render(
        context
    )
    assert new == old
    assert "art. 19a" in old and "konkurs " in old and "zaimportowana" in old and "&lt;b&gt;" in old


# The rows of the decision page as the template wrote them before ``{% decision_row %}`` and ``{% decided_row %}``
# (grants/templatetags/decision_rows.py) took over.
OLD_DECISION_ROWS = (
    "{% for row, form in forms %}\n"
    "    <tr>\n"
    '      <td>{{ row.place|default_if_none:"—" }}{% if row.tie %} <span class="badge text-bg-warning">ex aequo</span>'
    "{% endif %}</td>\n"
    "      <td><strong>{{ row.organisation_name }}</strong><br>{{ row.title }}</td>\n"
    '      <td class="num">{% if row.mean_score is not None %}{{ row.mean_score|number:2 }}{% else %}—{% endif %}'
    '{% if not row.eligible %}<br><span class="badge text-bg-secondary">poniżej progu</span>{% endif %}</td>\n'
    '      <td class="num">{{ row.requested|money }}</td>\n'
    '      <td class="num">{{ row.proposed_amount|money }}</td>\n'
    '      <td>{{ form.decision.errors }}<label class="visually-hidden" for="{{ form.decision.id_for_label }}">Decyzja'
    " – {{ row.organisation_name }}</label>{{ form.decision }}</td>\n"
    '      <td>{% for e in form.amount.errors %}<div class="text-danger small" '
    'id="{{ form.amount.id_for_label }}-error">{{ e }}</div>{% endfor %}'
    '<label class="visually-hidden" for="{{ form.amount.id_for_label }}">Kwota dotacji – '
    "{{ row.organisation_name }}</label>{{ form.amount }}</td>\n"
    '      <td>{% for e in form.reasons.errors %}<div class="text-danger small">{{ e }}</div>{% endfor %}<label '
    'class="visually-hidden" for="{{ form.reasons.id_for_label }}">Uzasadnienie – {{ row.organisation_name }}</label>'
    "{{ form.reasons }}</td>\n"
    "    </tr>\n"
    "  {% endfor %}"
)
OLD_DECIDED_ROWS = (
    '{% for row in rows %}<tr><td>{{ row.place|default_if_none:"—" }}</td><td>{{ row.organisation_name }} – '
    '{{ row.title }}</td><td class="num">{% if row.mean_score is not None %}{{ row.mean_score|number:2 }}{% else %}—'
    '{% endif %}</td><td class="num">{{ row.requested|money }}</td><td class="num">'
    '{% if row.award.status == "granted" %}{{ row.award.amount|money }}{% else %}nie przyznano{% endif %}</td></tr>'
    "{% endfor %}"
)


def test_the_decision_row_tags_write_what_the_template_wrote(ready, decider):
    from dataclasses import replace

    from django.template import Context, Template
    from django.test import RequestFactory

    from grants.ranking import call_ranking
    from grants.views.awards import _decision_forms

    call, [(first, _), (second, _), (third, _)] = ready
    first.organisation.name = "Klub <b>„Orły”</b> & Syn"
    first.organisation.save()
    award_services.award_decide(offer=first, granted=True, amount=Decimal("8000.50"), actor=decider)
    award_services.award_decide(offer=second, granted=False, reasons="Poza zakresem <zadania>.", actor=decider)
    plain_rows = call_ranking(call).rows  # no score cards: no place, no mean
    rows = [
        replace(plain_rows[0], place=1, mean_score=Decimal("87.50"), eligible=True, tie=True),
        replace(plain_rows[1], place=3, mean_score=Decimal("1234.00"), eligible=False),
        plain_rows[2],
    ]
    wrong = {f"o{row.offer.pk}-{name}": "zły <wpis>" for row in rows for name in ("decision", "amount", "reasons")}
    wrong[f"o{rows[0].offer.pk}-reasons"] = "x" * 5001
    shown = RequestFactory().get("/")
    refused = RequestFactory().post("/", wrong)
    for request in (shown, refused):
        forms = _decision_forms(request, rows)
        if request is refused:
            assert all(form.errors for _, form in forms)
        context = Context({"forms": forms, "rows": rows})
        old = Template(OLD_DECISION_ROWS).render(context)
        new = Template(
            "{% load decision_rows %}{% for row, form in forms %}\n    {% decision_row row form %}\n  {% endfor %}"
        ).render(context)
        assert new == old
    assert "ex aequo" in old and "poniżej progu" in old and "&lt;b&gt;" in old and "errorlist" in old
    assert 'class="text-danger small" id="' in old and "—" in old
    old = Template(OLD_DECIDED_ROWS).render(context)
    assert (
        Template("{% load decision_rows %}{% for row in rows %}{% decided_row row %}{% endfor %}").render(context)
        == old
    )
    assert "8\u00a0000,50\u00a0zł" in old and "nie przyznano" in old and "1\u00a0234,00" in old and "&lt;b&gt;" in old
