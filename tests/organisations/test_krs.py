"""The KRS client against a local fake register (real HTTP on 127.0.0.1): found, not found, timeout, malformed; and
the flows built on it – registration prefilled from the register, the office's check, the agreement's signatories."""

import pytest
from django.urls import reverse

from organisations import krs, register
from organisations.models import DataSource, Organisation, PublicTaskArea, RegisterExtract
from tests import krs_fake
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_register(settings):
    with krs_fake.fake_krs() as (url, server):
        settings.KRS_API_URL = url
        settings.KRS_API_TIMEOUT = 0.5
        yield server


def test_found_reads_every_field_the_portal_uses(fake_register):
    entry, raw = krs.fetch(krs_fake.FOUND_KRS)
    assert raw["odpis"]["naglowekA"]["numerKRS"] == krs_fake.FOUND_KRS
    assert entry.register == "S" and fake_register.requests == [(f"/api/krs/OdpisAktualny/{krs_fake.FOUND_KRS}", "S")]
    assert entry.name == "STOWARZYSZENIE PRZYJACIÓŁ ZIEMI KOZIELSKIEJ „ODRA”"
    assert entry.legal_form == "association" and entry.is_opp
    assert (entry.street, entry.postal_code, entry.city) == ("ul. Jana Pawła II 12/3", "47-200", "Kędzierzyn-Koźle")
    assert (entry.nip, entry.regon) == ("5213000009", "145123457")  # REGON's five padding zeros dropped
    assert entry.body_name == "Zarząd"
    assert [(m.name, m.function, m.suspended) for m in entry.members] == [
        ("Anna Maria Nowak-Kowalska", "prezes zarządu", False),
        ("Piotr Wiśniewski", "skarbnik", False),
        ("Jan Zawieszony", "członek zarządu", True),
    ]
    assert entry.representation_manner.startswith("Do składania oświadczeń woli w imieniu stowarzyszenia wymagane")


def test_a_company_missing_from_the_associations_register_is_asked_of_the_entrepreneurs_one(fake_register):
    entry, _ = krs.fetch(krs_fake.COMPANY_KRS)
    assert entry.register == "P" and entry.legal_form == "non_profit_company"
    assert [r[1] for r in fake_register.requests] == ["S", "P"]


def test_not_found_in_either_register(fake_register):
    with pytest.raises(krs.RegisterNotFound, match="nie ma podmiotu o numerze KRS 0000000404"):
        krs.fetch(krs_fake.MISSING_KRS)
    extract = register.register_lookup(krs_number=krs_fake.MISSING_KRS)
    assert extract.outcome == RegisterExtract.Outcome.NOT_FOUND and extract.raw is None


def test_a_register_slower_than_the_timeout_is_unavailable(fake_register):
    with pytest.raises(krs.RegisterUnavailable, match="nie odpowiada"):
        krs.fetch(krs_fake.SLOW_KRS)
    extract = register.register_lookup(krs_number=krs_fake.SLOW_KRS)
    assert extract.outcome == RegisterExtract.Outcome.UNAVAILABLE and extract.fetched_at is not None


def test_a_broken_answer_is_malformed_not_a_crash(fake_register):
    with pytest.raises(krs.RegisterMalformed):
        krs.fetch(krs_fake.BROKEN_KRS)
    assert register.register_lookup(krs_number=krs_fake.BROKEN_KRS).outcome == RegisterExtract.Outcome.MALFORMED


def test_json_of_another_shape_is_malformed(fake_register):
    fake_register.documents[(krs_fake.MISSING_KRS, "S")] = {"odpis": {"dane": {"dzial1": {}}}}
    with pytest.raises(krs.RegisterMalformed):
        krs.fetch(krs_fake.MISSING_KRS)


def test_a_closed_port_is_unavailable(settings):
    settings.KRS_API_URL = "http://127.0.0.1:9/api/krs"
    with pytest.raises(krs.RegisterUnavailable):
        krs.fetch(krs_fake.FOUND_KRS)


def test_the_found_extract_is_stored_with_its_raw_document(fake_register, staff_user):
    extract = register.register_lookup(krs_number=krs_fake.FOUND_KRS, actor=staff_user)
    extract.refresh_from_db()
    assert extract.is_found and extract.fetched_by == staff_user
    assert extract.raw["odpis"]["dane"]["dzial2"]["reprezentacja"]["nazwaOrganu"] == "ZARZĄD"
    assert extract.representation_text().splitlines() == [
        "Anna Maria Nowak-Kowalska – prezes zarządu",
        "Piotr Wiśniewski – skarbnik",
        "Sposób reprezentacji: Do składania oświadczeń woli w imieniu stowarzyszenia wymagane jest współdziałanie "
        "dwóch członków zarządu, w tym prezesa lub wiceprezesa.",
    ]


def _typed(**overrides):
    areas = [str(pk) for pk in PublicTaskArea.objects.filter(code__in=["17"]).values_list("pk", flat=True)]
    data = {
        "name": "Stowarzyszenie Odra",  # differs from the register
        "legal_form": "",
        "krs": "0000 123 456",
        "other_register": "",
        "nip": "",
        "regon": "",
        "street": "",
        "postal_code": "",
        "city": "",
        "seat_municipality": "",
        "seat_county": "",
        "seat_voivodeship": "",
        "email": "biuro@odra.example.pl",
        "phone": "",
        "website": "",
        "bank_account": "",
        "representatives": "",
        "opp_since": "",
        "areas": areas,
        "statutory_activity": "Upowszechnianie kultury fizycznej.",
    }
    return data | overrides


def test_registration_is_prefilled_from_the_register_with_the_differences(client_for, plain_user, fake_register):
    client = client_for(plain_user)
    response = client.post(reverse("organisations:register"), _typed(action="krs"))
    page = response.text
    assert response.status_code == 200 and not Organisation.objects.exists()
    assert 'value="Kędzierzyn-Koźle"' in page and 'value="ul. Jana Pawła II 12/3"' in page
    assert 'value="5213000009"' in page and 'value="145123457"' in page
    # The seat (gmina, powiat, województwo) from the register's "siedziba".
    assert 'value="Kędzierzyn-Koźle"' in page and 'value="kędzierzyńsko-kozielski"' in page
    assert '<option value="opolskie" selected>' in page
    assert "Anna Maria Nowak-Kowalska – prezes zarządu" in page
    # What was typed stays, and where it differs from the register the page says so.
    assert 'value="Stowarzyszenie Odra"' in page and "Dane wpisane różnią się od rejestru KRS" in page
    assert "STOWARZYSZENIE PRZYJACIÓŁ ZIEMI KOZIELSKIEJ" in page
    extract = RegisterExtract.objects.get(krs=krs_fake.FOUND_KRS)
    # Submitting the prefilled form registers it as taken from the register, with the extract kept.
    prefilled = _typed(
        krs=krs_fake.FOUND_KRS,
        legal_form="association",
        nip="5213000009",
        regon="145123457",
        street="ul. Jana Pawła II 12/3",
        postal_code="47-200",
        city="Kędzierzyn-Koźle",
        seat_municipality="Kędzierzyn-Koźle",
        seat_county="kędzierzyńsko-kozielski",
        seat_voivodeship="opolskie",
        is_opp="on",
        opp_since="2010-05-01",
        register_extract=str(extract.pk),
    )
    response = client.post(reverse("organisations:register"), prefilled)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    organisation = Organisation.objects.get(krs=krs_fake.FOUND_KRS)
    assert organisation.data_source == DataSource.REGISTER and organisation.register_extract == extract
    assert organisation.verified_at is None
    assert len(fake_register.requests) == 1  # the extract of the prefill was reused, not fetched again


def test_a_krs_number_the_register_does_not_know_is_refused(client_for, plain_user, fake_register):
    data = _typed(krs=krs_fake.MISSING_KRS, legal_form="association", street="ul. Polna 1", postal_code="47-200")
    data |= {"seat_municipality": "Kędzierzyn-Koźle", "seat_county": "kędzierzyński", "seat_voivodeship": "opolskie"}
    response = client_for(plain_user).post(reverse("organisations:register"), data | {"city": "Koźle"})
    assert response.status_code == 200 and "nie ma podmiotu o numerze KRS 0000000404" in response.text
    assert not Organisation.objects.exists()


def test_without_the_register_the_data_are_saved_as_typed_by_hand(client_for, plain_user, settings):
    settings.KRS_API_URL = "http://127.0.0.1:9/api/krs"  # nothing listens there
    data = _typed(krs=krs_fake.FOUND_KRS, legal_form="association", street="ul. Polna 1", postal_code="47-200")
    data |= {"seat_municipality": "Kędzierzyn-Koźle", "seat_county": "kędzierzyński", "seat_voivodeship": "opolskie"}
    response = client_for(plain_user).post(reverse("organisations:register"), data | {"city": "Koźle"})
    organisation = Organisation.objects.get(krs=krs_fake.FOUND_KRS)
    assert response.status_code == 302 and organisation.data_source == DataSource.MANUAL
    assert RegisterExtract.objects.get(krs=krs_fake.FOUND_KRS).outcome == RegisterExtract.Outcome.UNAVAILABLE
    page = client_for(None).get(reverse("organisations:detail", args=[organisation.pk])).text
    assert "niezweryfikowana" in page and "dane wpisane ręcznie" in page
    assert "niezweryfikowana" in client_for(None).get(reverse("organisations:directory")).text


def test_the_office_checks_against_the_register_and_sees_the_differences(
    client_for, staff_user, authority, fake_register
):
    organisation = OrganisationFactory(krs=krs_fake.FOUND_KRS, name="Odra", city=authority.city)
    client = client_for(staff_user)
    url = reverse("organisations:verify", args=[organisation.pk])
    assert "nie sprawdzano jeszcze w KRS" in client.get(url).text
    page = client.post(url, {"action": "check"}).text
    assert "Dane w portalu różnią się od KRS" in page and "Anna Maria Nowak-Kowalska" in page
    response = client.post(url, {"action": "decide", "decision": "verify", "note": "Zgodne po zmianie nazwy."})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.is_verified and organisation.register_extract.is_found
    assert organisation.verification_note == "Zgodne po zmianie nazwy."


def test_the_agreement_names_the_signatories_from_the_register(fake_register):
    from grants.services.agreements import organisation_representation

    organisation = OrganisationFactory(krs=krs_fake.FOUND_KRS, representatives="Jan Typed – prezes")
    assert organisation_representation(organisation, fallback="kontakt") == "Jan Typed – prezes"
    extract = register.fresh_extract(krs_number=organisation.krs)
    text = organisation_representation(organisation, fallback="kontakt")
    assert text == extract.representation_text() and text.startswith("Anna Maria Nowak-Kowalska – prezes zarządu")
    assert "Jan Zawieszony" not in text  # a suspended member does not sign
    # A recent extract is reused before an agreement rather than asked again.
    assert register.fresh_extract(krs_number=organisation.krs) == extract and len(fake_register.requests) == 1


def test_before_an_agreement_the_register_is_checked_and_names_the_signatories(client_for, fake_register):
    """The agreement form asks the register about the organisation and fills its representatives from it."""
    from decimal import Decimal

    from tests.accounts.factories import AuthorityStaffFactory
    from tests.grants.award_factories import call_ready_for_decision, decide_and_publish

    staff = AuthorityStaffFactory().user
    authority = staff.staff_roles.get().authority
    decider = AuthorityStaffFactory(authority=authority, can_decide=True).user
    call, [(offer, _ngo)] = call_ready_for_decision(authority, staff, offers=1, funds="20000.00")
    decide_and_publish(call, decider, [Decimal("10000.00")])
    Organisation.objects.filter(pk=offer.organisation_id).update(krs=krs_fake.FOUND_KRS)
    page = client_for(staff).get(reverse("grants:agreement-create", args=[offer.award.pk])).text
    assert "Krajowy Rejestr Sądowy – KRS 0000123456" in page
    assert "Anna Maria Nowak-Kowalska – prezes zarządu\nPiotr Wiśniewski – skarbnik\nSposób reprezentacji" in page
    assert "Organizacja nie została zweryfikowana przez urząd" in page
    assert fake_register.requests == [(f"/api/krs/OdpisAktualny/{krs_fake.FOUND_KRS}", "S")]
