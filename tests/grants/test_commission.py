"""The commission: composition rules, impartiality and exclusions, score cards, ranking, protocol, permissions."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import Award, Commission, CommissionMember, JointOfferor, ScoreCard
from grants.ranking import call_ranking
from grants.services import scoring
from organisations.models import Membership
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory, UserFactory
from tests.grants.commission_factories import (
    A,
    E,
    N,
    add_offers,
    card_of,
    fill_card,
    make_commission,
    review_call,
)
from tests.helpers import assert_constant_queries, count_queries, pdf_text, squash

pytestmark = pytest.mark.django_db
S = Commission.Status


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- arithmetic ------------------------------------------------------------------------------------------------


def test_the_mean_counts_submitted_cards_of_voting_members_only(staff_user):
    call = review_call(offers=1)
    offer = call.offers.get()
    commission, (chair, second, third, ngo, expert) = make_commission(call, started=True)
    fill_card(chair, offer, [10, 5])  # 15
    fill_card(second, offer, [8, 4])  # 12
    fill_card(third, offer, [6, 3])  # 9
    fill_card(ngo, offer, [1, 1], submit=False)  # a draft does not count
    fill_card(expert, offer, [0, 0])  # advisory: never averaged
    row = call_ranking(call).rows[0]
    assert (row.mean_score, row.cards_counted, row.cards_expected) == (Decimal("12.00"), 3, 4)
    assert ScoreCard.objects.counted().count() == 3

    scoring.member_exclude(member=third, actor=staff_user, reason="Powinowactwo z prezesem oferenta.")
    row = call_ranking(call).rows[0]
    assert (row.mean_score, row.cards_counted, row.cards_expected) == (Decimal("13.50"), 2, 3)
    card = card_of(ngo, offer)
    assert card.status == ScoreCard.Status.DRAFT
    fill_card_again = scoring.card_save  # the draft can still be completed
    fill_card_again(
        card=card,
        actor=ngo.user,
        points={c.pk: v for c, v in zip(call.criteria.all(), [Decimal("7"), Decimal("3.5")], strict=True)},
        justifications={},
        remarks="Dobra oferta.",
        submit=True,
    )
    row = call_ranking(call).rows[0]
    # (15 + 12 + 10.5) / 3 = 12.50
    assert (row.mean_score, row.cards_counted) == (Decimal("12.50"), 3)
    assert ScoreCard.objects.get(member=ngo, offer=offer).total == Decimal("10.50")


def test_ranking_places_ties_threshold_proposals_and_funds():
    call = review_call(offers=4)
    offers = list(call.offers.order_by("pk"))
    commission, members = make_commission(call, seats=[(A, True), (A, False), (A, False)], started=True)
    commission.min_score = Decimal("5")
    commission.save()
    scores = {offers[0]: [8, 4], offers[1]: [10, 2], offers[2]: [9, 5], offers[3]: [2, 1]}
    for offer, points in scores.items():
        for index, member in enumerate(members):
            proposal = offer.current_version.grant_amount - 1000 if (offer == offers[0] and index < 2) else None
            fill_card(member, offer, points, proposed=proposal)
    Award.objects.create(
        offer=offers[2],
        call=call,
        requested_amount=offers[2].current_version.grant_amount,
        proposed_amount=Decimal("1000.00"),
    )
    ranking = call_ranking(call)
    rows = {row.offer: row for row in ranking.rows}
    assert [row.offer for row in ranking.rows][0] == offers[2]
    assert (rows[offers[2]].place, rows[offers[2]].tie) == (1, False)
    assert (rows[offers[0]].place, rows[offers[0]].tie, rows[offers[1]].place, rows[offers[1]].tie) == (
        2,
        True,
        2,
        True,
    )
    assert (rows[offers[3]].place, rows[offers[3]].eligible, rows[offers[3]].running_total) == (4, False, None)
    # Award proposal first, then the mean of the members' proposals (2 of 3 proposed), else the request.
    assert rows[offers[2]].proposed_amount == Decimal("1000.00")
    assert rows[offers[0]].proposed_amount == offers[0].current_version.grant_amount - 1000
    assert rows[offers[1]].proposed_amount == offers[1].current_version.grant_amount
    eligible = ranking.eligible_rows
    assert eligible[-1].running_total == ranking.proposed_total == sum(r.proposed_amount for r in eligible)
    assert ranking.funds_total == Decimal("100000.00")
    assert all(row.within_funds == (row.running_total <= ranking.funds_total) for row in eligible)


def test_ranking_marks_rows_beyond_the_funds():
    call = review_call(offers=3)
    call.budget_allocations.update(amount=Decimal("1000.00"))
    commission, members = make_commission(call, seats=[(A, True)], started=True, min_authority_members=1)
    for points, offer in zip([[10, 5], [9, 5], [8, 5]], call.offers.order_by("pk"), strict=True):
        fill_card(members[0], offer, points)
    rows = call_ranking(call).rows
    assert [row.within_funds for row in rows] == [False, False, False]
    assert rows[0].running_total == rows[0].proposed_amount


# --- composition, impartiality, exclusions ------------------------------------------------------------------------


def test_two_exclusions_close_the_sitting_and_the_chair_is_replaced(staff_user):
    call = review_call(offers=1)
    seats = [(A, True), (A, False), (A, False), (A, False), (N, False)]
    commission, (chair, second, third, fourth, ngo) = make_commission(call, seats=seats, declared=False)
    scoring.declaration_sign(member=chair, actor=chair.user, grounds=["relative"], explanation="")
    chair.refresh_from_db()
    commission.refresh_from_db()
    assert chair.is_excluded and not chair.is_chair and "pkt 2" in chair.exclusion_reason
    # Three representatives left: no obvious successor, staff pick; until then nobody scores.
    assert not commission.members.filter(is_chair=True).exists()
    assert commission.status == S.COMPOSING
    for member in (second, third, fourth, ngo):
        scoring.declaration_sign(member=member, actor=member.user, grounds=[])
    with pytest.raises(ValidationError) as excinfo:
        scoring.scoring_start(commission=commission, actor=staff_user)
    assert "przewodniczącego" in " ".join(excinfo.value.messages)
    scoring.chair_set(commission=commission, member=second, actor=staff_user)
    commission = scoring.scoring_start(commission=commission, actor=staff_user)
    assert commission.status == S.SCORING
    assert ScoreCard.objects.filter(member__commission=commission).count() == 4

    # A second exclusion (S2 § 12 ust. 7): the sitting is closed, the commission needs a new composition.
    scoring.member_exclude(member=second, actor=staff_user, reason="Wątpliwość co do bezstronności.")
    commission.refresh_from_db()
    assert commission.status == S.RECOMPOSE
    # The chair was excluded again: two representatives remain, staff pick one.
    assert not commission.members.filter(is_chair=True).exists()
    card = card_of(third, call.offers.get())
    with pytest.raises(ValidationError, match="nowego składu"):
        fill_card(third, call.offers.get(), [5, 5])
    with pytest.raises(ValidationError, match="nowe osoby"):
        scoring.chair_set(commission=commission, member=third, actor=staff_user)
        scoring.scoring_start(commission=commission, actor=staff_user)
    newcomer = scoring.member_appoint(
        commission=commission,
        actor=staff_user,
        email="nowa@example.pl",
        first_name="Nowa",
        last_name="Osoba",
        capacity=A,
    )
    scoring.declaration_sign(member=newcomer, actor=newcomer.user, grounds=[])
    commission = scoring.scoring_start(commission=commission, actor=staff_user)
    assert commission.status == S.SCORING
    assert card_of(newcomer, call.offers.get()).status == ScoreCard.Status.DRAFT
    assert card.pk == card_of(third, call.offers.get()).pk
    # One more exclusion in the new composition does not close the sitting again.
    scoring.member_exclude(member=fourth, actor=staff_user, reason="Konflikt.")
    commission.refresh_from_db()
    assert commission.status == S.SCORING


def test_the_only_remaining_representative_takes_the_chair(staff_user):
    call = review_call(offers=1)
    commission, (chair, other, expert) = make_commission(
        call, seats=[(A, True), (A, False), (E, False)], min_authority_members=1, max_exclusions=3
    )
    scoring.member_exclude(member=chair, actor=staff_user, reason="Członek zarządu oferenta.")
    other.refresh_from_db()
    assert other.is_chair


def test_the_portal_detects_membership_and_nomination_conflicts(staff_user, organisation, ngo_admin):
    call = review_call(offers=1)
    offer = call.offers.get()
    JointOfferor.objects.create(offer=offer, organisation=organisation, confirmed_at=timezone.now())
    commission, members = make_commission(call, seats=[(A, True), (A, False), (A, False)], declared=False)
    # A representative who happens to act for the joint offeror:
    Membership.objects.create(user=members[1].user, organisation=organisation, role="editor")
    declaration = scoring.declaration_sign(member=members[1], actor=members[1].user, grounds=[])
    assert declaration.conflicted and declaration.detected[0]["organisation"] == organisation.name
    members[1].refresh_from_db()
    assert members[1].is_excluded and organisation.name in members[1].exclusion_reason

    # An NGO nominee may not come from an organisation taking part in the call (art. 15 ust. 2d) …
    with pytest.raises(ValidationError) as excinfo:
        scoring.member_appoint(
            commission=commission, actor=staff_user, email=ngo_admin.email, capacity=N, nominated_by=offer.organisation
        )
    assert "bierze udział w konkursie" in _errors(excinfo)["nominated_by"][0]
    # … and if the nominating organisation joins later, the declaration catches it.
    nominee = CommissionMember.objects.create(
        commission=commission, user=UserFactory(), capacity=N, nominated_by=offer.organisation, appointed_by=staff_user
    )
    declaration = scoring.declaration_sign(member=nominee, actor=nominee.user, grounds=[])
    assert declaration.detected[0]["reason"] == "nominated_by"
    commission.refresh_from_db()
    assert commission.status == S.RECOMPOSE


def test_appointment_rules_put_polish_errors_on_fields(staff_user, organisation):
    call = review_call(offers=1)
    commission, _members = make_commission(call, seats=[(A, True), (N, False), (N, False)])
    with pytest.raises(ValidationError) as excinfo:
        scoring.member_appoint(
            commission=commission,
            actor=staff_user,
            email="x@example.pl",
            capacity=N,
            nominated_by=organisation,
            is_chair=True,
        )
    errors = _errors(excinfo)
    assert "Osób wskazanych przez organizacje jest już w komisji 2" in errors["capacity"][0]
    assert "przedstawicieli organu" in errors["is_chair"][0]
    assert "imię i nazwisko" in errors["first_name"][0]
    with pytest.raises(ValidationError) as excinfo:
        scoring.commission_create(call=call, actor=staff_user)
    assert "już powołana" in excinfo.value.messages[0]


def test_a_new_person_is_invited_to_set_a_password(client, staff_user, mailoutbox, committed):
    call = review_call(offers=1)
    commission, _members = make_commission(call, seats=[(A, True)])
    with committed():
        member = scoring.member_appoint(
            commission=commission,
            actor=staff_user,
            email="Ekspert@Example.pl",
            first_name="Ewa",
            last_name="Ekspertka",
            capacity=E,
            site_url="https://portal.example.pl",
        )
    assert member.user.email == "ekspert@example.pl" and not member.user.has_usable_password()
    message = mailoutbox[-1]
    assert "komisji konkursowej" in message.subject and call.number in message.body
    link = next(line for line in message.body.splitlines() if line.startswith("https://portal.example.pl/"))
    response = client.get(link.removeprefix("https://portal.example.pl"))
    assert response.status_code == 302
    form_page = client.get(response.url)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()


# --- cards -----------------------------------------------------------------------------------------------------


def test_a_submitted_card_is_locked_until_the_chair_reopens_it():
    call = review_call(offers=1)
    offer = call.offers.get()
    commission, (chair, second, *_rest) = make_commission(call, started=True)
    with pytest.raises(ValidationError) as excinfo:
        fill_card(second, offer, [11, 5])
    assert "od 0 do 10" in next(iter(_errors(excinfo).values()))[0]
    with pytest.raises(ValidationError) as excinfo:
        fill_card(second, offer, [5, 5], proposed=offer.current_version.grant_amount + 1)
    assert "nie może przekraczać wnioskowanej" in _errors(excinfo)["proposed_amount"][0]
    with pytest.raises(ValidationError) as excinfo:
        fill_card(second, offer, [5, 5], remarks="")
    assert "remarks" in _errors(excinfo)
    card = fill_card(second, offer, [5, 5])
    assert (card.status, card.total) == (ScoreCard.Status.SUBMITTED, Decimal("10.00"))
    with pytest.raises(ValidationError, match="zamknięta"):
        fill_card(second, offer, [6, 5])
    with pytest.raises(ValidationError, match="przewodniczący"):
        scoring.card_reopen(card=card, actor=second.user)
    card = scoring.card_reopen(card=card, actor=chair.user)
    assert (card.status, card.reopened_count, card.submitted_at) == (ScoreCard.Status.DRAFT, 1, None)
    card = fill_card(second, offer, [6, 5])
    assert card.total == Decimal("11.00")
    with pytest.raises(ValidationError, match="wypełnia członek"):
        fill_card_as = scoring.card_save
        fill_card_as(card=card_of(chair, offer), actor=second.user, points={}, justifications={})


def test_closing_needs_every_voting_card_and_says_what_is_missing():
    call = review_call(offers=2)
    offers = list(call.offers.all())
    commission, (chair, second, third, ngo, expert) = make_commission(call, started=True)
    for member in (chair, second, third):
        for offer in offers:
            fill_card(member, offer, [5, 5])
    fill_card(ngo, offers[0], [5, 5])
    with pytest.raises(ValidationError) as excinfo:
        scoring.scoring_close(commission=commission, actor=chair.user)
    message = excinfo.value.messages[0]
    assert f"{ngo.user.get_full_name()}: 1 z 2" in message and expert.user.get_full_name() not in message
    with pytest.raises(ValidationError, match="przewodniczący"):
        scoring.scoring_close(commission=commission, actor=second.user)
    fill_card(ngo, offers[1], [5, 5])
    commission = scoring.scoring_close(commission=commission, actor=chair.user)
    assert commission.status == S.CLOSED and commission.closed_at is not None


def test_award_propose_stores_proposals_never_above_the_request(staff_user):
    call = review_call(offers=2)
    first, second = call.offers.order_by("pk")
    commission, (member,) = make_commission(call, seats=[(A, True)], started=True, min_authority_members=1)
    fill_card(member, first, [5, 5])
    fill_card(member, second, [5, 5])
    with pytest.raises(ValidationError, match="nie zakończyła"):
        scoring.award_propose(call=call, amounts={first.pk: Decimal("1")}, actor=staff_user)
    scoring.scoring_close(commission=commission, actor=member.user)
    too_much = second.current_version.grant_amount + Decimal("0.01")
    with pytest.raises(ValidationError) as excinfo:
        scoring.award_propose(call=call, amounts={first.pk: Decimal("1500"), second.pk: too_much}, actor=staff_user)
    assert list(_errors(excinfo)) == [f"amount_{second.pk}"]
    scoring.award_propose(call=call, amounts={first.pk: Decimal("1500")}, actor=staff_user)
    award = Award.objects.get(offer=first)
    assert (award.status, award.proposed_amount, award.requested_amount) == (
        Award.Status.PROPOSED,
        Decimal("1500.00"),
        first.current_version.grant_amount,
    )
    assert {r.offer: r.proposed_amount for r in call_ranking(call).rows}[first] == Decimal("1500.00")


# --- pages and permissions ---------------------------------------------------------------------------------------


def test_staff_compose_the_commission_through_the_page(client_for, staff_user, mailoutbox):
    call = review_call(offers=1)
    client = client_for(staff_user)
    url = reverse("grants:commission-manage", args=[call.pk])
    page = client.get(url)
    assert "Powołaj komisję" in page.content.decode()
    response = client.post(
        url,
        {
            "action": "rules",
            "min_authority_members": "3",
            "max_ngo_members": "2",
            "max_exclusions": "2",
            "min_score": "7,5",
        },
    )
    assert response.status_code == 302
    assert Commission.objects.get(call=call).min_score == Decimal("7.50")
    response = client.post(url, {"action": "appoint", "email": "nowy@example.pl", "capacity": "ngo", "is_chair": "on"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Przewodniczącym jest jeden z przedstawicieli organu" in body and "podaj imię i nazwisko" in body
    response = client.post(
        url,
        {
            "action": "appoint",
            "email": "nowy@example.pl",
            "first_name": "Jan",
            "last_name": "Nowy",
            "capacity": "authority",
            "is_chair": "on",
        },
    )
    assert response.status_code == 302
    assert CommissionMember.objects.get(user__email="nowy@example.pl").is_chair
    response = client.post(url, {"action": "start"}, follow=True)
    assert "co najmniej 3 przedstawicieli organu" in response.content.decode()


def _two_calls():
    call_a, call_b = review_call(offers=1), review_call(offers=1)
    commission_a, members_a = make_commission(call_a, started=True)
    commission_b, members_b = make_commission(call_b, started=True)
    return call_a, members_a, call_b, members_b


def test_a_member_of_one_call_reaches_nothing_of_another(client_for):
    call_a, members_a, call_b, members_b = _two_calls()
    client = client_for(members_a[1].user)
    own = card_of(members_a[1], call_a.offers.get())
    assert client.get(reverse("grants:score-card", args=[own.pk])).status_code == 200
    other_card = card_of(members_b[1], call_b.offers.get())
    assert client.get(reverse("grants:score-card", args=[other_card.pk])).status_code == 404
    assert client.get(reverse("grants:commission-seat", args=[members_b[1].pk])).status_code == 404
    assert client.get(reverse("grants:commission-declaration", args=[members_b[1].pk])).status_code == 404
    # Another member's card in the same call is not theirs either.
    assert (
        client.get(reverse("grants:score-card", args=[card_of(members_a[2], call_a.offers.get()).pk])).status_code
        == 404
    )
    # Not staff: the office pages are forbidden.
    assert client.get(reverse("grants:commission-manage", args=[call_a.pk])).status_code == 403
    # The ranking of their own call waits for their cards; another call's is not theirs at all.
    assert client.get(reverse("grants:commission-ranking", args=[call_a.pk])).status_code == 302
    assert client.get(reverse("grants:commission-ranking", args=[call_b.pk])).status_code == 404
    # The chair of call A cannot reopen cards of call B.
    chair = client_for(members_a[0].user)
    fill_card(members_b[1], call_b.offers.get(), [5, 5])
    assert chair.post(reverse("grants:score-card-reopen", args=[other_card.pk])).status_code == 404


def test_an_excluded_member_sees_no_offers(client_for, staff_user):
    call = review_call(offers=1)
    offer = call.offers.get()
    commission, members = make_commission(call, started=True)
    card = card_of(members[2], offer)
    scoring.member_exclude(member=members[2], actor=staff_user, reason="Konflikt interesów.")
    client = client_for(members[2].user)
    page = client.get(reverse("grants:commission-seat", args=[members[2].pk]))
    assert page.status_code == 200 and "Wyłączono Cię" in page.content.decode()
    assert offer.title not in page.content.decode()
    assert client.get(reverse("grants:score-card", args=[card.pk])).status_code == 404


def test_non_members_and_other_authorities_get_nothing(client_for, plain_user):
    call = review_call(offers=1)
    commission, members = make_commission(call, started=True)
    card = card_of(members[1], call.offers.get())
    client = client_for(plain_user)
    assert client.get(reverse("grants:score-card", args=[card.pk])).status_code == 404
    assert client.get(reverse("grants:commission-seat", args=[members[1].pk])).status_code == 404
    assert client.get(reverse("grants:commission-manage", args=[call.pk])).status_code == 403
    home = client.get(reverse("grants:commission-home"))
    assert "Nie zasiadasz w żadnej komisji" in home.content.decode()
    assert "Moja komisja</a>" not in home.content.decode()
    other_staff = AuthorityStaffFactory(authority=AuthorityFactory(slug="inna-gmina", name="Gmina Inna")).user
    client = client_for(other_staff)
    for name in ("commission-manage", "commission-ranking", "commission-protocol", "commission-protocol-pdf"):
        assert client.get(reverse(f"grants:{name}", args=[call.pk])).status_code == 404, name
    assert client.get(reverse("grants:score-card", args=[card.pk])).status_code == 404
    anonymous = client_for(None)
    assert anonymous.get(reverse("grants:score-card", args=[card.pk])).status_code == 302


def test_a_member_sees_other_scores_only_after_submitting(client_for):
    call = review_call(offers=1)
    offer = call.offers.get()
    commission, (chair, second, third, *_rest) = make_commission(call, started=True)
    fill_card(chair, offer, [9, 4], remarks="Przewodniczący: bardzo dobra oferta.")  # 13,00
    client = client_for(second.user)
    card = card_of(second, offer)
    for url in (reverse("grants:score-card", args=[card.pk]), reverse("grants:commission-seat", args=[second.pk])):
        body = squash(client.get(url).content.decode())
        assert "13,00" not in body and "bardzo dobra oferta" not in body and chair.user.last_name not in body
    response = client.post(
        reverse("grants:score-card", args=[card.pk]),
        {f"points_{c.pk}": p for c, p in zip(call.criteria.all(), ["7", "2,5"], strict=True)}
        | {"remarks": "Poprawna.", "proposed_amount": "", "action": "submit", "potwierdzenie": "1"},
    )
    assert response.status_code == 302
    assert ScoreCard.objects.get(pk=card.pk).total == Decimal("9.50")
    body = squash(client.get(reverse("grants:score-card", args=[card.pk])).content.decode())
    assert "13,00" in body and chair.user.last_name in body
    assert "13,00" in squash(client.get(reverse("grants:commission-seat", args=[second.pk])).content.decode())


def test_the_ngo_sees_its_scores_only_after_the_results_are_published(client_for):
    call = review_call(offers=1)
    offer = call.offers.get()
    commission, members = make_commission(call, started=True)
    for member in members:
        fill_card(member, offer, [8, 4], remarks=f"Uwaga od {member.user.last_name}")
    owner = client_for(offer.created_by)
    url = reverse("grants:offer-scores", args=[offer.pk])
    assert owner.get(url).status_code == 404
    assert "Ocena merytoryczna" not in owner.get(reverse("grants:my-offers")).content.decode()
    assert owner.get(reverse("grants:score-card", args=[card_of(members[0], offer).pk])).status_code == 404
    call.results_published_at = timezone.now()
    call.save(update_fields=["results_published_at"])
    body = squash(owner.get(url).content.decode())
    assert "12,00 pkt" in body and "Kalkulacja kosztów" in body and "Uwaga od" in body
    assert members[0].user.last_name not in body.replace(f"Uwaga od {members[0].user.last_name}", "")
    assert "Ocena merytoryczna" in owner.get(reverse("grants:my-offers")).content.decode()
    # Another organisation cannot read it.
    stranger = client_for(add_offers(call, 1)[0].created_by)
    assert stranger.get(url).status_code == 404


def test_protocol_page_and_pdf(client_for, staff_user):
    call = review_call(offers=2)
    offers = list(call.offers.all())
    commission, members = make_commission(call, started=True)
    scoring.member_exclude(member=members[2], actor=staff_user, reason="Małżonek prezesa oferenta.")
    for member in (members[0], members[1], members[3], members[4]):
        for offer in offers:
            fill_card(member, offer, [7, 3], remarks=f"Uzasadnienie oceny {offer.pk}.")
    scoring.scoring_close(commission=commission, actor=members[0].user)
    client = client_for(staff_user)
    page = squash(client.get(reverse("grants:commission-protocol", args=[call.pk])).content.decode())
    assert "Małżonek prezesa oferenta" in page and "10,00" in page
    response = client.get(reverse("grants:commission-protocol-pdf", args=[call.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "PROTOKÓŁ" in text and "Małżonek prezesa oferenta" in text and f"Uzasadnienie oceny {offers[0].pk}" in text
    assert members[1].user.last_name in text and "Podpis" in text


def test_the_nav_shows_the_commission_entry_to_members(client_for):
    call = review_call(offers=1)
    commission, members = make_commission(call)
    body = client_for(members[1].user).get(reverse("grants:commission-home")).content.decode()
    assert "Moja komisja</a>" in body and call.number in body


# --- query counts ------------------------------------------------------------------------------------------------


def test_query_counts_stay_constant(client_for, staff_user):
    call = review_call(offers=2)
    commission, members = make_commission(call, started=True)
    chair = members[0]

    def grow():
        new = add_offers(call, 3)
        scoring._ensure_cards(commission)
        for member in members[:3]:
            for offer in new:
                fill_card(member, offer, [6, 2], proposed=Decimal("1000"))
        second = review_call(offers=0)
        make_commission(second, seats=[(A, False)])
        CommissionMember.objects.create(
            commission=Commission.objects.get(call=second), user=chair.user, capacity=A, appointed_by=staff_user
        )

    for offer in call.offers.all():
        fill_card(chair, offer, [5, 5])
    staff = client_for(staff_user)
    ranking_url = reverse("grants:commission-ranking", args=[call.pk])
    seat_url = reverse("grants:commission-seat", args=[chair.pk])
    home_url = reverse("grants:commission-home")

    def all_pages():
        staff.force_login(staff_user, backend="django.contrib.auth.backends.ModelBackend")
        ranking = len_of(staff, ranking_url)
        staff.force_login(chair.user, backend="django.contrib.auth.backends.ModelBackend")
        return ranking, len_of(staff, seat_url), len_of(staff, home_url)

    def len_of(client, url):
        return count_queries(lambda: client.get(url))

    before = all_pages()
    grow()
    after = all_pages()
    assert before == after, f"query counts grow: {before} → {after}"
    # Ranking page (one query of it asks whether the viewer still has cards to submit), the chair's score-card list
    # (with the progress matrix and the conflicts the portal sees now: two queries), Moja komisja (with the queue of
    # cards to fill in: its rows and count).
    assert after == (9, 10, 6), after
    # The helper's own check, for the record, on the seat page.
    assert_constant_queries(
        lambda: staff.get(seat_url),
        lambda: (add_offers(call, 1), scoring._ensure_cards(commission)),
        budget=14,
    )


def test_exclusions_and_reopened_cards_are_in_the_audit_log(staff_user):
    from auditlog.models import LogEntry

    call = review_call(offers=1)
    offer = call.offers.get()
    commission, (chair, second, third, *_rest) = make_commission(call, started=True)
    scoring.member_exclude(member=third, actor=staff_user, reason="Powinowactwo.")
    entry = LogEntry.objects.get_for_object(third).latest("timestamp")
    assert entry.actor == staff_user and "excluded_at" in entry.changes_dict
    card = fill_card(second, offer, [5, 5])
    scoring.card_reopen(card=card, actor=chair.user)
    entry = LogEntry.objects.get_for_object(card).latest("timestamp")
    assert entry.actor == chair.user and entry.changes_dict["reopened_count"] == ["0", "1"]
    # A new chair appointed straight away: the previous one's change of role is recorded too.
    scoring.member_appoint(
        commission=commission,
        actor=staff_user,
        email="nowy@example.pl",
        first_name="Nowy",
        last_name="Szef",
        capacity=A,
        is_chair=True,
    )
    entry = LogEntry.objects.get_for_object(chair).latest("timestamp")
    assert entry.actor == staff_user and entry.changes_dict["is_chair"] == ["True", "False"]


def test_roles_know_seats_and_memberships_in_one_query(rf):
    """Office roles, a commission seat and whether the person is an NGO member: one query. The memberships
    themselves (with their organisations) are read only when a page asks for them, and never for a non-member."""
    from django.contrib.auth.models import AnonymousUser

    from accounts.roles import compute_roles
    from organisations.models import Membership
    from tests.organisations.factories import OrganisationFactory

    call = review_call(offers=0)
    commission, members = make_commission(call, seats=[(A, True)])
    staff = AuthorityStaffFactory(user=members[0].user).user
    roles = compute_roles(staff)
    assert roles.has_commission_seat and roles.staff_authority_ids and not roles.is_ngo_member
    assert not compute_roles(UserFactory()).has_commission_seat
    assert not compute_roles(AnonymousUser()).has_commission_seat
    assert count_queries(lambda: compute_roles(staff)) == 1
    assert count_queries(lambda: compute_roles(staff).memberships) == 1  # the roles' query only
    member = UserFactory()
    second, first = OrganisationFactory(name="Związek B"), OrganisationFactory(name="Fundacja A")
    Membership.objects.create(user=member, organisation=second, role=Membership.Role.ADMIN)
    Membership.objects.create(user=member, organisation=first, role=Membership.Role.EDITOR)
    roles = compute_roles(member)
    assert roles.is_ngo_member and not roles.has_commission_seat and not roles.staff_authority_ids
    assert count_queries(lambda: roles.memberships) == 1
    assert [m.organisation.name for m in roles.memberships] == ["Fundacja A", "Związek B"]
    assert count_queries(lambda: (roles.organisation_ids, roles.admin_of(second.pk))) == 0
    assert roles.organisation_ids == {first.pk, second.pk} and roles.admin_of(second.pk)
    assert not roles.admin_of(first.pk)


def test_roles_count_only_active_office_roles_with_their_rights_and_one_seat_however_many():
    from django.utils import timezone

    from accounts.roles import compute_roles

    first, second = review_call(offers=0), review_call(offers=0)
    _, members = make_commission(first, seats=[(A, True)])
    user = members[0].user
    make_commission(second, seats=[(A, True)])  # another commission, another person
    second_seat = make_commission(review_call(offers=0), seats=[(A, True)])[1][0]
    second_seat.user = user
    second_seat.save()
    decides = AuthorityStaffFactory(user=user, can_decide=True, is_admin=True)
    left = AuthorityFactory(slug="piaseczno", name="Gmina Piaseczno")
    AuthorityStaffFactory(user=user, authority=left, deactivated_at=timezone.now())  # no longer works there
    plain = AuthorityStaffFactory(
        user=user, authority=AuthorityFactory(slug="gora-kalwaria", name="Gmina Góra Kalwaria")
    )
    roles = compute_roles(user)
    assert roles.staff_authority_ids == {decides.authority_id, plain.authority_id}
    assert roles.decider_authority_ids == roles.admin_authority_ids == {decides.authority_id}
    assert roles.has_commission_seat


def test_offers_go_to_the_commission_only_after_the_formal_review(staff_user):
    from grants.models import Offer, OpenCall

    call = review_call(offers=1)
    call.status = OpenCall.Status.FORMAL_REVIEW
    call.save(update_fields=["status"])
    pending = add_offers(call, 1, status=Offer.Status.SUBMITTED)[0]
    with pytest.raises(ValidationError, match="1 oferta czeka na rozstrzygnięcie"):
        scoring.call_to_commission(call=call, actor=staff_user)
    pending.status = Offer.Status.FORMALLY_REJECTED
    pending.save(update_fields=["status"])
    assert scoring.call_to_commission(call=call, actor=staff_user).status == OpenCall.Status.COMMISSION_REVIEW


def test_members_read_the_attachments_of_offers_on_their_cards(client_for, staff_user):
    from django.core.files.base import ContentFile

    from grants.models import OfferAttachment

    call_a, members_a, call_b, members_b = _two_calls()
    offer = call_a.offers.get()
    attachment = OfferAttachment.objects.create(
        offer=offer,
        file=ContentFile(b"%PDF-1.4 statut", name="statut.pdf"),
        original_name="statut.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
        uploaded_by=offer.created_by,
    )
    url = reverse("grants:attachment-download", args=[attachment.pk])
    page = client_for(members_a[1].user).get(reverse("grants:score-card", args=[card_of(members_a[1], offer).pk]))
    assert url in page.content.decode()
    assert client_for(members_a[1].user).get(url).status_code == 200
    assert client_for(members_b[1].user).get(url).status_code == 404
    scoring.member_exclude(member=members_a[2], actor=staff_user, reason="Konflikt.")
    assert client_for(members_a[2].user).get(url).status_code == 404


def test_a_member_without_another_role_lands_on_their_commission_home(client_for):
    call = review_call(offers=1)
    _, members = make_commission(call)
    response = client_for(members[1].user).get(reverse("accounts:home"))
    assert response.status_code == 302 and response.url == reverse("grants:commission-home")


def test_an_office_person_sitting_on_the_commission_sees_no_scores_before_submitting_their_cards(client_for):
    call = review_call(offers=1)
    offer = call.offers.get()
    commission, (chair, second, *_rest) = make_commission(call, started=True)
    AuthorityStaffFactory(authority=call.authority, user=second.user)
    fill_card(chair, offer, [9, 4], remarks="Przewodniczący: bardzo dobra oferta.")  # 13,00
    client = client_for(second.user)
    for name in ("commission-ranking", "commission-protocol", "commission-protocol-pdf", "call-decision"):
        response = client.get(reverse(f"grants:{name}", args=[call.pk]))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("grants:commission-seat", args=[second.pk]), name
    seat = squash(client.get(reverse("grants:commission-seat", args=[second.pk])).content.decode())
    assert "oceny innych członków zobaczysz po złożeniu wszystkich swoich kart" in seat and "13,00" not in seat
    fill_card(second, offer, [7, 2])
    assert "11,00" in squash(client.get(reverse("grants:commission-ranking", args=[call.pk])).content.decode())
    assert client.get(reverse("grants:commission-protocol", args=[call.pk])).status_code == 200


# A row of "Moja komisja" as the template wrote it before ``{% seat_row %}`` (grants/templatetags/seat_rows.py).
OLD_SEAT_ROW = (
    "{% for seat in seats %}{% with call=seat.commission.call %}"
    "\n"
    "    <tr><td><strong>{{ call.number }}</strong><br><small>{{ call.title }}</small></td>\n"
    '        <td>{{ seat.get_capacity_display }}{% if seat.is_chair %}<br><span class="badge text-bg-primary">przewodniczący</span>{% endif %}</td>\n'  # noqa: E501
    "        <td>{% status_badge seat.commission %}</td>\n"
    '        <td>{% if seat.is_excluded %}—{% elif not seat.cards_total %}ocena nie rozpoczęła się{% else %}{{ seat.cards_submitted }} / {{ seat.cards_total }} złożonych<br><progress value="{{ seat.cards_submitted }}" max="{{ seat.cards_total }}" aria-label="Postęp oceny w konkursie {{ call.number }}">{{ seat.cards_submitted }} / {{ seat.cards_total }}</progress>{% endif %}</td>\n'  # noqa: E501
    "        <td>{% if seat.is_excluded %}Wyłączono Cię z prac komisji w tym konkursie.\n"
    '            {% elif not seat.declaration %}<a class="btn btn-sm btn-primary" href="{% url \'grants:commission-declaration\' seat.pk %}">Złóż oświadczenie o bezstronności<span class="visually-hidden"> – konkurs {{ call.number }}</span></a>\n'  # noqa: E501
    '            {% else %}<a class="btn btn-sm btn-outline-primary" href="{% url \'grants:commission-seat\' seat.pk %}">Karty oceny<span class="visually-hidden"> – konkurs {{ call.number }}</span></a>{% endif %}</td></tr>\n'  # noqa: E501
    "  "
    "{% endwith %}{% endfor %}"
)


def test_the_seat_row_tag_writes_what_the_template_wrote(client_for, staff_user):
    from django.template import Context, Template

    from grants.models import ImpartialityDeclaration

    call = review_call(offers=2)
    commission, members = make_commission(call, started=True)
    chair = members[0]
    for declared, excluded in ((False, False), (True, True)):
        other = review_call(offers=1)
        other_commission, _ = make_commission(other, declared=declared)
        seat = CommissionMember.objects.create(
            commission=other_commission, user=chair.user, capacity=A, appointed_by=staff_user
        )
        if declared:
            ImpartialityDeclaration.objects.create(member=seat)
        if excluded:
            CommissionMember.objects.filter(pk=seat.pk).update(excluded_at=timezone.now(), exclusion_reason="Konflikt.")
    fill_card(chair, call.offers.order_by("pk").first(), [5, 5])  # one of the chair's two cards submitted
    seats = list(client_for(chair.user).get(reverse("grants:commission-home")).context["seats"])
    assert len(seats) == 3
    # The progress of each seat is its own cards.
    assert {seat.commission_id: (seat.cards_submitted, seat.cards_total) for seat in seats} == {
        seat.commission_id: (
            ScoreCard.objects.filter(member=seat, status=ScoreCard.Status.SUBMITTED).count(),
            ScoreCard.objects.filter(member=seat).count(),
        )
        for seat in seats
    }
    chair_seat = next(seat for seat in seats if seat.commission_id == commission.pk)
    assert (chair_seat.cards_submitted, chair_seat.cards_total) == (1, 2)
    context = Context({"seats": seats})
    old = Template(OLD_SEAT_ROW).render(context)
    new = Template("{% load seat_rows %}{% for seat in seats %}\n    {% seat_row seat %}\n  {% endfor %}").render(
        context
    )
    assert new == old
    assert "Wyłączono Cię" in old and "Złóż oświadczenie" in old and "Karty oceny" in old and "<progress" in old


# A row of the ranking as the template wrote it before ``{% ranking_row %}`` (grants/templatetags/ranking_rows.py).
OLD_RANKING_ROW = (
    "{% for row, field in lines %}"
    "\n"
    '    <tr{% if not row.eligible %} class="table-secondary"{% endif %}>\n'
    '      <td>{% if row.place %}{{ row.place }}{% if row.tie %} <span class="badge text-bg-info">ex aequo</span>{% endif %}{% else %}—{% endif %}</td>\n'  # noqa: E501
    '      <td>{{ row.organisation_name }}<br><small>{{ row.title }}</small>{% if row.award and row.award.status != "proposed" %}<br>{% status_badge row.award %}{% endif %}</td>\n'  # noqa: E501
    '      <td class="num">{% if row.mean_score is not None %}{{ row.mean_score|number:2 }}{% else %}—{% endif %}{% if row.mean_score is not None and not row.eligible %}<br><small>poniżej progu</small>{% endif %}</td>\n'  # noqa: E501
    '      <td class="num">{{ row.cards_counted }} / {{ row.cards_expected }}</td>\n'
    '      <td class="num">{{ row.requested|money }}</td>\n'
    '      <td class="num">{% if field %}<label class="visually-hidden" for="{{ field.id_for_label }}">{{ field.label }}</label>\n'  # noqa: E501
    '          <input type="text" inputmode="decimal" class="form-control form-control-sm text-end{% if field.errors %} is-invalid{% endif %}" name="{{ field.html_name }}" id="{{ field.id_for_label }}" value="{% if form.is_bound %}{{ field.value|default_if_none:\'\' }}{% else %}{{ field.value|number:2 }}{% endif %}" aria-describedby="{{ field.id_for_label }}-help">\n'  # noqa: E501
    '          <small id="{{ field.id_for_label }}-help" class="text-body-secondary">do {{ row.requested|money }}</small>{% if field.errors %}<div class="invalid-feedback">{{ field.errors|join:" " }}</div>{% endif %}\n'  # noqa: E501
    "        {% elif row.eligible %}{{ row.proposed_amount|money }}{% else %}—{% endif %}</td>\n"
    '      <td class="num">{% if row.running_total is not None %}{{ row.running_total|money }}{% if not row.within_funds %}<br><span class="badge text-bg-warning">ponad środki</span>{% endif %}{% else %}—{% endif %}</td>\n'  # noqa: E501
    "    </tr>\n"
    "  "
    "{% endfor %}"
)


def test_the_ranking_row_tag_writes_what_the_template_wrote(client_for, staff_user):
    from django.template import Context, Template

    call = review_call(offers=4)
    call.budget_allocations.update(amount=Decimal("15000.00"))
    offers = list(call.offers.order_by("pk"))
    commission, members = make_commission(call, seats=[(A, True), (A, False), (A, False)], started=True)
    Commission.objects.filter(pk=commission.pk).update(min_score=Decimal("5"))
    for offer, points in zip(offers, ([8, 4], [10, 2], [9, 5], [2, 1]), strict=True):
        for member in members:
            fill_card(member, offer, points)
    Commission.objects.filter(pk=commission.pk).update(status=Commission.Status.CLOSED, closed_at=timezone.now())
    Award.objects.create(
        offer=offers[2],
        call=call,
        requested_amount=offers[2].current_version.grant_amount,
        proposed_amount=Decimal("1000.00"),
        status=Award.Status.GRANTED,
    )
    client = client_for(staff_user)
    url = reverse("grants:commission-ranking", args=[call.pk])
    page = client.get(url)
    names = [field.html_name for _, field in page.context["lines"] if field]
    bound = client.post(url, {name: "zła kwota <b>" for name in names})
    assert names and bound.status_code == 200 and bound.context["form"].errors
    for response in (page, bound):
        context = Context({"lines": response.context["lines"], "form": response.context["form"]})
        old = Template(OLD_RANKING_ROW).render(context)
        new = Template(
            "{% load ranking_rows %}{% for row, field in lines %}\n    {% ranking_row row field form %}\n  {% endfor %}"
        ).render(context)
        assert new == old
    assert "ex aequo" in old and "poniżej progu" in old and "is-invalid" in old and "&lt;b&gt;" in old
    assert "ponad środki" in Template(OLD_RANKING_ROW).render(Context({"lines": page.context["lines"], "form": None}))
