from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants.checks import offer_problems
from grants.models import FormalReview, Offer, OfferVersion, OpenCall, RequiredAttachment
from grants.services import joint_offers
from grants.services import offers as services
from grants.snapshot import checksum, offer_snapshot
from tests.grants.factories import COMPLETE, COSTS, OpenCallFactory, complete_offer, fill_offer
from tests.helpers import assert_constant_queries, pdf_text

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def call(authority):
    return OpenCallFactory(programme__authority=authority)


@pytest.fixture
def offer(call, organisation, ngo_admin):
    return complete_offer(call, organisation, ngo_admin)


def test_a_complete_offer_has_no_problems(offer):
    assert offer.cost_totals() == {
        "delivery": Decimal("10250.00"),
        "admin": Decimal("1000.00"),
        "total": Decimal("11250.00"),
    }
    assert offer_problems(offer) == {}


@pytest.mark.parametrize(
    ("grant", "ok"), [("4999.99", False), ("5000.00", True), ("20000.00", True), ("20000.01", False)]
)
def test_grant_within_the_calls_minimum_and_maximum(offer, ngo_admin, grant, ok):
    grant = Decimal(grant)
    # Keep the sums consistent so that only the limit can fail: one cost line equals the grant.
    costs = [dict(COSTS[0], unit_cost=grant, quantity=Decimal("1")), COSTS[1], COSTS[2]]
    fill_offer(
        offer,
        ngo_admin,
        costs=costs,
        data={"grant_amount": grant, "own_financial": Decimal("1250.00"), "own_personal": Decimal("0")},
    )
    problems = offer_problems(offer)
    assert ("grant_amount" not in problems) is ok, problems
    if not ok:
        assert problems["grant_amount"] == [
            "Wnioskowana dotacja musi mieścić się w granicach z ogłoszenia: od 5\xa0000,00\xa0zł do 20\xa0000,00\xa0zł."
        ]


def test_sources_must_equal_costs(offer, ngo_admin):
    fill_offer(offer, ngo_admin, data={"own_financial": Decimal("750.01")})
    assert offer_problems(offer)["grant_amount"] == [
        "Suma źródeł finansowania (V.B: 11\xa0250,01\xa0zł) musi być równa sumie kosztów (V.A: 11\xa0250,00\xa0zł). "
        "Różnica: -0,01\xa0zł."
    ]


@pytest.mark.parametrize(
    ("own_financial", "personal", "ok"),
    [("625.00", "500.00", True), ("624.99", "500.01", True), ("624.99", "500.00", False)],
)
def test_own_contribution_at_least_the_minimum(offer, ngo_admin, own_financial, personal, ok):
    # 10% of 11 250 = 1 125,00 of own contribution; the grant takes the rest.
    own = Decimal(own_financial) + Decimal(personal)
    fill_offer(
        offer,
        ngo_admin,
        data={
            "own_financial": Decimal(own_financial),
            "own_personal": Decimal(personal),
            "grant_amount": Decimal("11250.00") - own,
        },
    )
    problems = offer_problems(offer)
    assert ("own_financial" not in problems) is ok, problems


@pytest.mark.parametrize(("admin_cost", "ok"), [("1138.89", True), ("1138.90", False)])
def test_administrative_costs_within_the_cap(offer, ngo_admin, admin_cost, ok):
    # Delivery costs 10 250; admin A is within 10% of (10 250 + A) up to A = 1 138,89.
    costs = [COSTS[0], COSTS[1], dict(COSTS[2], unit_cost=Decimal(admin_cost), quantity=Decimal("1"))]
    fill_offer(offer, ngo_admin, costs=costs)
    offer.refresh_from_db()
    total = offer.cost_totals()["total"]
    fill_offer(offer, ngo_admin, costs=costs, data={"own_financial": total - Decimal("10500.00")})
    cost_problems = offer_problems(offer).get("cost_items", [])
    assert (not any("administracyjne" in p for p in cost_problems)) is ok


def test_dates_within_the_window_and_the_budget_year(offer, ngo_admin):
    from datetime import date

    fill_offer(offer, ngo_admin, data={"start_date": date(2027, 1, 31), "end_date": date(2027, 12, 16)})
    problems = offer_problems(offer)
    assert problems["start_date"] == ["Zadanie może się rozpocząć najwcześniej 01.02.2027 (ogłoszenie konkursu)."]
    assert problems["end_date"] == ["Zadanie musi się zakończyć najpóźniej 15.12.2027 (ogłoszenie konkursu)."]


def test_statutory_area_and_required_attachments(offer, ngo_admin, organisation, call):
    from organisations.models import PublicTaskArea

    organisation.areas.set(PublicTaskArea.objects.filter(code="16"))
    RequiredAttachment.objects.create(call=call, name="Statut organizacji")
    problems = offer_problems(offer)
    assert "działalności statutowej w sferze zadania" in problems["__all__"][0]
    assert problems["attachments"] == ["Brak wymaganego załącznika: Statut organizacji."]


def test_a_draft_may_be_incomplete_but_cannot_be_submitted(call, organisation, ngo_admin):
    draft = services.offer_start(call=call, organisation=organisation, actor=ngo_admin)
    with pytest.raises(ValidationError) as error:
        services.offer_submit(offer=draft, actor=ngo_admin, revision=draft.revision)
    assert "title" in error.value.error_dict
    assert not OfferVersion.objects.exists()


def test_submission_freezes_a_version_with_checksum_pdf_and_mailed_receipt(offer, ngo_admin, mailoutbox, committed):
    with committed():
        version = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    offer.refresh_from_db()
    version.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED and offer.current_version == version
    assert version.sha256 == checksum(version.data) and len(version.sha256) == 64
    assert version.grant_amount == Decimal("10000.00") and version.total_cost == Decimal("11250.00")
    # The worker (run at once in tests, after commit) stored the PDF made from the frozen data.
    assert version.documents == OfferVersion.Documents.READY
    text = pdf_text(version.offer_pdf.read())
    assert "OFERTA REALIZACJI ZADANIA PUBLICZNEGO" in text and "Sportowe wakacje 2027" in text
    assert "11 250,00 zł" in text and version.sha256 in text.replace(" ", "")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == f"Potwierdzenie złożenia oferty nr {version.receipt_number}"
    assert version.sha256 in mail.body
    filename, receipt, mime = mail.attachments[0]
    assert mime == "application/pdf" and version.receipt_number in pdf_text(receipt)


def test_double_submission_yields_one_version(offer, ngo_admin):
    first = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    second = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    assert first.pk == second.pk
    assert OfferVersion.objects.count() == 1


def test_the_checksum_changes_with_any_field_and_the_stored_version_never_does(offer, ngo_admin, committed):
    with committed():
        version = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    version.refresh_from_db()
    stored = (version.sha256, version.data, version.offer_pdf.name, version.offer_pdf_sha256)
    for change in [
        {"title": "Sportowe wakacje 2027!"},
        {"contact_phone": "500 600 701"},
        {
            "own_financial": Decimal("750.00"),
            "grant_amount": Decimal("10000.00"),
            "synopsis": COMPLETE["synopsis"] + " ",
        },
    ]:
        fill_offer(offer, ngo_admin, data=change)
        offer.refresh_from_db()
        assert checksum(offer_snapshot(offer)) != version.sha256
    version.refresh_from_db()
    assert (version.sha256, version.data, version.offer_pdf.name, version.offer_pdf_sha256) == stored
    # The same data gives the same checksum: it is a function of the content only.
    fill_offer(offer, ngo_admin)
    offer.refresh_from_db()
    assert checksum(offer_snapshot(offer)) == version.sha256


def test_a_new_version_before_the_deadline_counts_and_all_are_kept(offer, ngo_admin):
    first = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    fill_offer(offer, ngo_admin, data={"title": "Sportowe wakacje 2027 – wersja 2"})
    offer.refresh_from_db()
    second = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    offer.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert offer.current_version == second and offer.versions.count() == 2


@pytest.mark.parametrize(
    ("offset", "accepted"), [(timedelta(seconds=-1), True), (timedelta(0), True), (timedelta(seconds=1), False)]
)
def test_the_deadline_holds_to_the_second(offer, ngo_admin, call, time_machine, offset, accepted):
    time_machine.move_to(call.submission_deadline + offset, tick=False)
    if accepted:
        assert services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision).number == 1
    else:
        with pytest.raises(ValidationError) as error:
            services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
        assert "Termin składania ofert minął" in error.value.messages[0]
        assert "wersja robocza pozostaje zapisana" in error.value.messages[0]
        offer.refresh_from_db()
        assert offer.status == Offer.Status.DRAFT and offer.title == COMPLETE["title"]


def test_a_late_submission_through_the_page_keeps_the_draft(client_for, offer, ngo_admin, call, time_machine):
    time_machine.move_to(call.submission_deadline + timedelta(seconds=1), tick=False)
    response = client_for(ngo_admin).post(
        reverse("grants:offer-submit", args=[offer.pk]), {"revision": offer.revision}, follow=True
    )
    assert "Termin składania ofert minął" in response.text
    assert not OfferVersion.objects.exists()
    assert Offer.objects.get(pk=offer.pk).title == COMPLETE["title"]


def test_two_people_editing_one_draft_never_overwrite_each_other_silently(offer, ngo_admin, ngo_editor):
    loaded_revision = offer.revision
    fill_offer(offer, ngo_editor, data={"title": "Wersja redaktora"})
    with pytest.raises(ValidationError) as error:
        services.offer_save(
            offer=offer,
            actor=ngo_admin,
            expected_revision=loaded_revision,
            data={"title": "Wersja administratora"},
            activities=[],
            results=[],
            cost_items=[],
            partners=[],
        )
    assert error.value.code == "stale"
    offer.refresh_from_db()
    assert offer.title == "Wersja redaktora"


def test_upload_type_is_checked_by_content_and_stored_privately(offer, ngo_admin, settings):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            offer=offer,
            actor=ngo_admin,
            upload=SimpleUploadedFile("statut.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        )
    assert "sprawdzamy zawartość pliku" in error.value.messages[0]
    attachment = services.attachment_add(
        offer=offer, actor=ngo_admin, upload=SimpleUploadedFile("../../etc/statut.pdf", PDF_BYTES, "text/plain")
    )
    assert attachment.content_type == "application/pdf" and attachment.original_name == "statut.pdf"
    assert ".." not in attachment.file.name and "statut" not in attachment.file.name
    assert str(settings.MEDIA_ROOT) in attachment.file.path and "static" not in attachment.file.path


def test_withdrawal_before_the_deadline(offer, ngo_admin, call, time_machine):
    services.offer_withdraw(offer=offer, actor=ngo_admin)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN


class TestFormalReview:
    def _close(self, call):
        OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.FORMAL_REVIEW)

    def test_defect_notice_correction_and_pass(
        self, offer, ngo_admin, staff_user, call, mailoutbox, committed, time_machine
    ):
        first = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
        time_machine.move_to(call.submission_deadline + timedelta(days=1), tick=False)
        self._close(call)
        deadline = timezone.now() + timedelta(days=7)
        with committed():
            services.formal_review_decide(
                offer=offer,
                actor=staff_user,
                checklist={"on_time": True},
                outcome=FormalReview.Outcome.DEFECTS,
                reasons="Brak podpisu drugiego członka zarządu.",
                deadline=deadline,
            )
        offer.refresh_from_db()
        assert offer.status == Offer.Status.DEFECT_NOTICE
        assert "Wezwanie do uzupełnienia braków" in mailoutbox[0].subject
        assert "Brak podpisu drugiego członka zarządu." in mailoutbox[0].body
        # The NGO corrects after the call's deadline but within the notice's.
        fill_offer(offer, ngo_admin, data={"other_info": "Oferta podpisana przez dwóch członków zarządu."})
        offer.refresh_from_db()
        correction = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
        assert correction.kind == OfferVersion.Kind.CORRECTION and correction.number == 2
        from grants.snapshot import diff, readable_diff

        assert diff(first.data, correction.data) == [("VI.other", "", "Oferta podpisana przez dwóch członków zarządu.")]
        assert readable_diff(first.data, correction.data) == [
            ("VI.3 Inne informacje", "", "Oferta podpisana przez dwóch członków zarządu.")
        ]
        offer.refresh_from_db()
        services.formal_review_decide(
            offer=offer, actor=staff_user, checklist=FormalReview.all_confirmed(), outcome="passed", reasons=""
        )
        offer.refresh_from_db()
        assert offer.status == Offer.Status.FORMALLY_ACCEPTED

    def test_no_correction_after_the_notices_deadline(self, offer, ngo_admin, staff_user, call, time_machine):
        services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
        time_machine.move_to(call.submission_deadline + timedelta(days=1), tick=False)
        self._close(call)
        deadline = timezone.now() + timedelta(days=7)
        services.formal_review_decide(
            offer=offer,
            actor=staff_user,
            checklist={"signatories": False},
            outcome="defects",
            reasons="Brak statutu.",
            deadline=deadline,
        )
        time_machine.move_to(deadline + timedelta(seconds=1), tick=False)
        with pytest.raises(ValidationError) as error:
            fill_offer(offer, ngo_admin, data={"other_info": "spóźnione"})
        assert "Termin uzupełnienia braków minął." in error.value.messages

    def test_rejection_needs_reasons_and_review_waits_for_the_deadline(self, offer, ngo_admin, staff_user, call):
        services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
        with pytest.raises(ValidationError):  # the call is still taking offers
            services.formal_review_decide(
                offer=offer, actor=staff_user, checklist=FormalReview.all_confirmed(), outcome="passed", reasons=""
            )
        self._close(call)
        with pytest.raises(ValidationError) as error:
            services.formal_review_decide(offer=offer, actor=staff_user, checklist={}, outcome="rejected", reasons=" ")
        assert "reasons" in error.value.error_dict


def _urls(offer):
    version = offer.current_version
    return [
        reverse("grants:offer-edit", args=[offer.pk]),
        reverse("grants:offer-submit", args=[offer.pk]),
        reverse("grants:receipt", args=[offer.pk, version.number]),
        reverse("grants:receipt-pdf", args=[offer.pk, version.number]),
        reverse("grants:version-pdf", args=[offer.pk, version.number]),
        reverse("grants:attachment-download", args=[offer.attachments.get().pk]),
    ]


def test_ngo_b_reaches_nothing_of_ngo_as_offer(client_for, offer, ngo_admin, other_ngo_admin, plain_user, committed):
    services.attachment_add(offer=offer, actor=ngo_admin, upload=SimpleUploadedFile("s.pdf", PDF_BYTES))
    offer.refresh_from_db()
    with committed():
        services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    offer.refresh_from_db()
    for user in (other_ngo_admin, plain_user):
        client = client_for(user)
        for url in _urls(offer):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("grants:offer-withdraw", args=[offer.pk])).status_code == 404
        assert (
            client.post(reverse("grants:offer-submit", args=[offer.pk]), {"revision": offer.revision}).status_code
            == 404
        )
    owner = client_for(ngo_admin)
    for url in _urls(offer):
        assert owner.get(url).status_code == 200, url


def test_staff_of_the_authority_read_attachments_other_staff_do_not(client_for, offer, ngo_admin, staff_user):
    from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory

    attachment = services.attachment_add(offer=offer, actor=ngo_admin, upload=SimpleUploadedFile("s.pdf", PDF_BYTES))
    url = reverse("grants:attachment-download", args=[attachment.pk])
    assert client_for(staff_user).get(url).status_code == 200
    other = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    assert client_for(other).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


def test_the_offer_form_saves_cost_rows_and_reports_errors_on_fields(client_for, call, organisation, ngo_admin):
    offer = services.offer_start(call=call, organisation=organisation, actor=ngo_admin)
    data = {
        "revision": offer.revision,
        "contact_name": "Natalia",
        "title": "Zajęcia",
        "grant_amount": "10 000,00",
        "own_financial": "0",
        "own_personal": "0",
        "own_in_kind": "0",
        "recipient_payments": "0",
        "payment": "free",
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "0",
        "activities-0-number": "1",
        "activities-0-name": "Treningi",
        "results-TOTAL_FORMS": "1",
        "results-INITIAL_FORMS": "0",
        "cost_items-TOTAL_FORMS": "2",
        "cost_items-INITIAL_FORMS": "0",
        "cost_items-0-category": "I",
        "cost_items-0-activity_number": "1",
        "cost_items-0-order": "1",
        "cost_items-0-name": "Trener",
        "cost_items-0-unit": "godz.",
        "cost_items-0-unit_cost": "100,50",
        "cost_items-0-quantity": "abc",
        "cost_items-1-category": "I",
        "cost_items-1-order": "2",
        "cost_items-1-name": "Piłki",
        "cost_items-1-unit": "szt.",
        "cost_items-1-unit_cost": "50",
        "cost_items-1-quantity": "2",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
    }
    # The draft keeps everything typed (tests/grants/test_drafts.py); the errors are on their fields.
    assert client_for(ngo_admin).post(reverse("grants:offer-edit", args=[offer.pk]), data).status_code == 302
    response = client_for(ngo_admin).get(reverse("grants:offer-edit", args=[offer.pk]))
    cost_forms = response.context["cost_items"].forms
    assert cost_forms[0].errors["quantity"][0].startswith("Wpisz liczbę, np. 1 200,50")
    assert cost_forms[1].errors["activity_number"] == ["Koszt realizacji działań wskazuje numer działania z III.4."]
    assert 'value="Trener"' in response.text and 'value="Zajęcia"' in response.text
    data.update({"cost_items-0-quantity": "10", "cost_items-1-activity_number": "1", "revision": offer.revision + 1})
    response = client_for(ngo_admin).post(reverse("grants:offer-edit", args=[offer.pk]), data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.cost_totals()["total"] == Decimal("1105.00") and offer.grant_amount == Decimal("10000.00")


def test_the_dashboard_csv_and_queries(client_for, call, staff_user, ngo_admin, organisation):
    from tests.organisations.factories import MembershipFactory, OrganisationFactory

    def add_offers(n):
        for _ in range(n):
            org = OrganisationFactory(name='=HYPERLINK("http://zlo")')
            user = MembershipFactory(organisation=org).user
            offer = complete_offer(call, org, user)
            services.offer_submit(offer=offer, actor=user, revision=offer.revision)

    add_offers(1)
    client = client_for(staff_user)
    url = reverse("grants:call-dashboard", args=[call.pk])
    assert_constant_queries(lambda: client.get(url), lambda: add_offers(3), budget=14)
    body = b"".join(client.get(reverse("grants:call-offers-csv", args=[call.pk])).streaming_content).decode()
    assert "'=HYPERLINK" in body and ";10000,00;11250,00;" in body
    offer = Offer.objects.filter(call=call).first()
    owner = client_for(offer.created_by)
    assert_constant_queries(
        lambda: owner.get(reverse("grants:offer-edit", args=[offer.pk])),
        lambda: fill_offer(offer, offer.created_by, costs=COSTS * 5),
        budget=12,  # the page of a draft; a formally accepted offer adds one (its pending update)
    )


def test_a_row_marked_for_removal_is_removed_and_the_rest_kept(client_for, offer, ngo_admin):
    from tests.grants.test_offers_helpers import form_data

    client = client_for(ngo_admin)
    data = form_data(client.get(reverse("grants:offer-edit", args=[offer.pk])).text)
    admin_row = next(k.split("-")[1] for k, v in data.items() if k.endswith("-category") and v == "II")
    data[f"cost_items-{admin_row}-DELETE"] = "on"
    assert client.post(reverse("grants:offer-edit", args=[offer.pk]), data).status_code == 302
    assert sorted(offer.cost_items.values_list("name", flat=True)) == ["Piłki", "Wynagrodzenie trenera"]
    assert offer.activities.count() == 1 and offer.results.count() == 1


def test_joint_offer_shares_and_partner_access(client_for, call, offer, ngo_admin, other_organisation, other_ngo_admin):
    partner_share = Decimal("11250.01")
    fill_offer(
        offer,
        ngo_admin,
        partners=[{"organisation": other_organisation, "cost_share": partner_share}],
        data={"joint_roles": "Partner prowadzi turniej."},
    )
    assert offer_problems(offer)["partners"][0] == (
        "Suma kosztów po stronie partnerów (V.C) przekracza sumę kosztów zadania (11\xa0250,00\xa0zł)."
    )
    fill_offer(
        offer,
        ngo_admin,
        partners=[{"organisation": other_organisation, "cost_share": Decimal("3000")}],
        data={"joint_roles": "Partner prowadzi turniej."},
    )
    # An unconfirmed partner blocks the submission; its admin confirms in the portal.
    assert "nie potwierdziła jeszcze udziału" in offer_problems(offer)["partners"][0]
    with pytest.raises(ValidationError):
        services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    joint_offers.joint_offeror_confirm(partner=offer.partners.get(), actor=other_ngo_admin)
    assert offer_problems(offer) == {}
    version = services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    assert [row["amount"] for row in version.data["V"]["C"]] == ["8250.00", "3000.00"]
    # The partner organisation reads the offer and its receipt but only the lead organisation edits it.
    partner = client_for(other_ngo_admin)
    assert partner.get(reverse("grants:receipt", args=[offer.pk, 1])).status_code == 200
    assert partner.get(reverse("grants:offer-edit", args=[offer.pk])).status_code == 403


def test_background_autosave_saves_the_draft_and_reports_conflicts(client_for, offer, ngo_admin, ngo_editor):
    from tests.grants.test_offers_helpers import form_data

    client = client_for(ngo_admin)
    data = form_data(client.get(reverse("grants:offer-edit", args=[offer.pk])).text)
    data.update({"title": "Zapisane w tle", "autosave": "1"})
    response = client.post(reverse("grants:offer-edit", args=[offer.pk]), data)
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.title == "Zapisane w tle" and response.json()["revision"] == offer.revision
    # The same page saving again with the revision it had loaded: someone else saved in between.
    fill_offer(offer, ngo_editor, data={"title": "Redaktor był szybszy"})
    stale = client.post(reverse("grants:offer-edit", args=[offer.pk]), data)
    assert stale.status_code == 409 and "zapisał(a) zmiany w tej ofercie" in stale.json()["error"]
    offer.refresh_from_db()
    assert offer.title == "Redaktor był szybszy"


# A row of the call dashboard as the template wrote it before ``{% dashboard_row %}`` took over.
OLD_DASHBOARD_ROW = (
    "{% for offer in offers %}"
    "    <tr><td><a href=\"{% url 'grants:offer-review' offer.pk %}\">{{ offer.current_version.receipt_number }}</a>"
    "</td><td>{{ offer.organisation.name }}</td><td>{{ offer.title }}</td><td>{% status_badge offer %}"
    '{% if offer.award and offer.award.status != "proposed" %}<br>{% status_badge offer.award %}{% endif %}</td>\n'
    '        <td class="num">{{ offer.current_version.grant_amount|money }}</td><td class="num">'
    "{{ offer.current_version.total_cost|money }}</td><td>"
    '{{ offer.current_version.submitted_at|date:"d.m.Y, H:i" }}</td></tr>\n'
    "{% endfor %}"
)


def test_the_dashboard_row_tag_writes_what_the_template_wrote(authority, staff_user, decider):
    from django.template import Context, Template

    from grants.services import awards as award_services
    from tests.grants.award_factories import call_ready_for_decision

    call, made = call_ready_for_decision(authority, staff_user, offers=3)
    Offer.objects.filter(pk=made[0][0].pk).update(title="Zajęcia <i>„sportowe”</i> & gry")
    award_services.award_decide(offer=made[1][0], granted=True, amount=Decimal("10000"), actor=decider)
    offers = list(Offer.objects.for_call_table(call))
    assert any(getattr(o, "award", None) for o in offers) and all(o.current_version for o in offers)
    context = Context({"offers": offers})
    old = Template(OLD_DASHBOARD_ROW).render(context)
    new = Template(
        "{% load dashboard_rows %}{% for offer in offers %}    {% dashboard_row offer %}\n{% endfor %}"
    ).render(context)
    assert new == old
    assert "&lt;i&gt;" in old and "status-success" in old and ", " in old


def test_the_offer_review_page_keeps_its_query_count(client_for, call, staff_user, organisation, ngo_admin):
    """The office's review of an offer (``make bench`` measures it): the same queries with one version and one offer
    in the call as with a second version and three more offers."""
    from tests.organisations.factories import MembershipFactory, OrganisationFactory

    offer = complete_offer(call, organisation, ngo_admin)
    services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    url = reverse("grants:offer-review", args=[offer.pk])
    client = client_for(staff_user)

    def grow():
        for _ in range(3):
            other = OrganisationFactory()
            user = MembershipFactory(organisation=other).user
            extra = complete_offer(call, other, user)
            services.offer_submit(offer=extra, actor=user, revision=extra.revision)
        again = fill_offer(offer, ngo_admin, data={"title": "Druga wersja oferty"})
        services.offer_submit(offer=again, actor=ngo_admin, revision=again.revision)

    assert_constant_queries(lambda: client.get(url), grow, budget=20)
    assert offer.versions.count() == 2
    assert "Druga wersja oferty" in client.get(url).content.decode()
