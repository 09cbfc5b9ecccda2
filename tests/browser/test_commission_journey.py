"""Issue journey: staff appoint a commission; one member declares a conflict and is excluded; the others score
(never seeing each other's points before submitting their own card); the chair closes; staff read the ranking; then
the decider awards one offer less than requested and publishes the results, the NGO updates its offer and the
agreement PDF is generated (``decide_to_agreement``, shared with the decision journey).
"""

from playwright.sync_api import expect

from grants.models import Commission, CommissionMember, Criterion, ScoreCard
from tests.accounts.factories import AuthorityStaffFactory, UserFactory
from tests.browser.conftest import log_in
from tests.browser.test_decision_journey import decide_to_agreement
from tests.grants.award_factories import add_accepted_offer
from tests.grants.commission_factories import fill_card, review_call


def _context(browser):
    context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _score(page, card, points, remarks, submit=True, valid=True, check_page=None):
    for criterion, value in zip(Criterion.objects.filter(call=card.offer.call_id), points, strict=True):
        page.locator(f"#id_points_{criterion.pk}").fill(value)
        page.locator(f"#id_justification_{criterion.pk}").fill("Zgodnie z opisem w ofercie.")
    page.get_by_label("Uwagi i uzasadnienie oceny").fill(remarks)
    page.get_by_role("button", name="Złóż kartę" if submit else "Zapisz wersję roboczą").click()
    if submit and valid:
        if check_page:
            check_page(page, "87a-score-card-confirmation")
        page.get_by_role("button", name="Potwierdzam: złóż kartę oceny").click()


def test_commission_journey(browser, live_server, check_page):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    call = review_call(offers=0)
    # Offers made through the real form services (10 000 zł each), so that the NGO can update one later.
    first, second = add_accepted_offer(call, staff), add_accepted_offer(call, staff)
    call.refresh_from_db()
    for name, first_name, last_name in [
        ("przewodniczaca", "Krystyna", "Sędziwa"),
        ("lisowski", "Marek", "Lisowski"),
        ("sowinska", "Barbara", "Sowińska"),
        ("debowski", "Tomasz", "Dębowski"),
    ]:
        UserFactory(email=f"{name}@example.pl", first_name=first_name, last_name=last_name)

    office, page = _context(browser)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/konkursy/urzad/{call.pk}/")
    page.get_by_role("link", name="Komisja konkursowa").click()
    check_page(page, "80-commission-new")
    page.get_by_label("Minimalna średnia ocena").fill("10,00")
    page.get_by_role("button", name="Powołaj komisję").click()
    expect(page.get_by_text("Powołano komisję konkursową.")).to_be_visible()

    # An NGO nominee cannot chair: the error is in Polish, on the field.
    page.get_by_label("Adres e-mail").fill("lisowski@example.pl")
    page.get_by_label("Funkcja w komisji").select_option("ngo")
    page.get_by_label("Przewodniczący komisji").check()
    page.get_by_role("button", name="Powołaj", exact=True).click()
    expect(page.get_by_text("Przewodniczącym jest jeden z przedstawicieli organu")).to_be_visible()
    check_page(page, "81-commission-appoint-error")
    for name, chair in [("przewodniczaca", True), ("lisowski", False), ("sowinska", False), ("debowski", False)]:
        page.get_by_label("Adres e-mail").fill(f"{name}@example.pl")
        page.get_by_label("Funkcja w komisji").select_option("authority")
        if chair:
            page.get_by_label("Przewodniczący komisji").check()
        page.get_by_role("button", name="Powołaj", exact=True).click()
        expect(page.get_by_text("Powołano do komisji")).to_be_visible()
    expect(page.get_by_text("Oświadczenia o bezstronności nie złożyli jeszcze")).to_be_visible()
    check_page(page, "82-commission-composed")

    # One member declares a conflict and is excluded; the portal says so.
    member_ctx, member = _context(browser)
    log_in(member, live_server, "debowski@example.pl")
    member.get_by_role("button", name="Moje sprawy").click()
    member.get_by_role("link", name="Moja komisja").click()
    check_page(member, "83-commission-home-before-declaration")
    member.get_by_role("link", name="Złóż oświadczenie o bezstronności").click()
    expect(member.get_by_text(first.organisation.name)).to_be_visible()
    check_page(member, "84-commission-declaration")
    member.get_by_label("oferentem lub osobą reprezentującą oferenta jest mój małżonek").check()
    member.get_by_label("Oświadczam, że powyższe informacje są zgodne z prawdą").check()
    member.get_by_role("button", name="Składam oświadczenie").click()
    expect(member.get_by_text("zostałeś(-aś) wyłączony(-a) z prac komisji")).to_be_visible()
    expect(member.get_by_text(first.title)).to_have_count(0)
    check_page(member, "85-commission-excluded-member")
    member_ctx.close()

    # The others declare no conflict.
    pages = {}
    for name in ("przewodniczaca", "lisowski", "sowinska"):
        context, person = _context(browser)
        log_in(person, live_server, f"{name}@example.pl")
        person.goto(f"{live_server.url}/konkursy/komisja/")
        person.get_by_role("link", name="Złóż oświadczenie o bezstronności").click()
        person.get_by_label("Oświadczam, że powyższe informacje są zgodne z prawdą").check()
        person.get_by_role("button", name="Składam oświadczenie").click()
        expect(person.get_by_text("Złożono oświadczenie o bezstronności.")).to_be_visible()
        pages[name] = person

    page.reload()
    expect(page.get_by_text("wyłączony(-a)", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Rozpocznij ocenę merytoryczną").click()
    expect(page.get_by_text("Rozpoczęto ocenę merytoryczną ofert.")).to_be_visible()
    check_page(page, "86-commission-scoring")

    commission = Commission.objects.get(call=call)
    seat = {m.user.email.split("@")[0]: m for m in CommissionMember.objects.filter(commission=commission)}
    chair_card = ScoreCard.objects.get(member=seat["przewodniczaca"], offer=first)

    # The chair scores the first offer in the browser.
    chair = pages["przewodniczaca"]
    chair.goto(f"{live_server.url}/konkursy/komisja/karty/{chair_card.pk}/")
    check_page(chair, "87-score-card-draft")
    _score(chair, chair_card, ["9", "4,5"], "Przewodnicząca: oferta bardzo dobra.", check_page=check_page)
    expect(chair.get_by_text("Karta oceny złożona.")).to_be_visible()

    # Another member does not see the chair's points before submitting their own card.
    lisowski = pages["lisowski"]
    card = ScoreCard.objects.get(member=seat["lisowski"], offer=first)
    lisowski.goto(f"{live_server.url}/konkursy/komisja/{seat['lisowski'].pk}/")
    expect(lisowski.get_by_text("13,50")).to_have_count(0)
    expect(lisowski.get_by_text("widoczne po złożeniu Twojej karty").first).to_be_visible()
    check_page(lisowski, "88-commission-seat-member")
    lisowski.goto(f"{live_server.url}/konkursy/komisja/karty/{card.pk}/")
    expect(lisowski.get_by_text("13,50")).to_have_count(0)
    expect(lisowski.get_by_text("Przewodnicząca: oferta bardzo dobra.")).to_have_count(0)
    lisowski.locator(f"#id_points_{Criterion.objects.filter(call=call).first().pk}").fill("11")
    _score(lisowski, card, ["11", "4"], "Dobra oferta.", valid=False)
    expect(lisowski.get_by_text("Liczba punktów od 0 do 10.")).to_be_visible()
    check_page(lisowski, "89-score-card-error")
    _score(lisowski, card, ["8", "4"], "Dobra oferta.")
    expect(lisowski.get_by_text("Karta oceny złożona.")).to_be_visible()
    expect(lisowski.get_by_text("Krystyna Sędziwa: 13,50")).to_be_visible()
    lisowski.goto(f"{live_server.url}/konkursy/komisja/karty/{card.pk}/")
    expect(lisowski.get_by_text("Krystyna Sędziwa: 13,50 pkt")).to_be_visible()
    check_page(lisowski, "90-score-card-submitted")

    # The rest of the cards (the point of the journey is the rules, not typing).
    fill_card(seat["sowinska"], first, [7, 3])
    for name in ("przewodniczaca", "lisowski", "sowinska"):
        fill_card(seat[name], second, [5, 2], proposed=second.current_version.grant_amount - 1000)

    # The chair closes the scoring.
    chair.goto(f"{live_server.url}/konkursy/komisja/{seat['przewodniczaca'].pk}/")
    check_page(chair, "91-commission-seat-chair")
    chair.get_by_role("button", name="Zamknij ocenę").click()
    check_page(chair, "91a-close-scoring-confirmation")
    chair.get_by_role("button", name="Potwierdzam: zamknij ocenę").click()
    expect(chair.get_by_text("Ocena zakończona.", exact=False).first).to_be_visible()
    # The chair reads the ranking and signs the protocol in the portal.
    chair.get_by_role("link", name="Ranking ofert").click()
    expect(chair.get_by_role("cell", name="11,83")).to_be_visible()
    check_page(chair, "91b-chair-ranking")
    chair.get_by_role("link", name="Protokół z prac komisji").click()
    chair.get_by_role("button", name="Podpisz protokół").click()
    check_page(chair, "91c-sign-protocol-confirmation")
    chair.get_by_role("button", name="Potwierdzam: podpisuję protokół").click()
    expect(chair.get_by_text("Protokół podpisał(a) w portalu", exact=False)).to_be_visible()
    check_page(chair, "91d-signed-protocol")

    # Staff read the ranking and the protocol.
    page.get_by_role("link", name="Ranking ofert").click()
    expect(page.get_by_role("cell", name="11,83")).to_be_visible()
    check_page(page, "92-commission-ranking")
    page.get_by_role("button", name="Zapisz proponowane kwoty").click()
    expect(page.get_by_text("Zapisano proponowane kwoty dotacji.")).to_be_visible()
    page.goto(f"{live_server.url}/konkursy/urzad/komisje/{call.pk}/protokol/")
    expect(page.get_by_text("Tomasz Dębowski").first).to_be_visible()
    check_page(page, "93-commission-protocol")
    office.close()

    # The decision, the results, the NGO's update and the agreement.
    decider = AuthorityStaffFactory(authority=call.authority, can_decide=True, user__email="dyrektor@example.pl").user
    # The first offer (11,83 points) gets less than it asked; the second (below the 10-point threshold) nothing.
    ngo_user = first.organisation.memberships.get().user
    agreement = decide_to_agreement(
        browser, live_server, check_page, call=call, decider=decider, ngo_user=ngo_user, lower_offer=first, prefix="94"
    )
    assert agreement.grant_amount == 6000
