import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from organisations.models import Membership, Organisation, PublicTaskArea
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "name": "Fundacja Łódzkie Żurawie",
        "legal_form": "foundation",
        "krs": "0000030897",
        "other_register": "",
        "nip": "774-00-01-454",
        "regon": "610188201",
        "street": "ul. Piotrkowska 1",
        "postal_code": "90-001",
        "city": "Łódź",
        "seat_municipality": "Łódź",
        "seat_county": "Łódź",
        "seat_voivodeship": "łódzkie",
        "email": "biuro@zurawie.example.pl",
        "phone": "",
        "website": "zurawie.example.pl",
        "bank_account": "61 1090 1014 0000 0712 1981 2874",
        "opp_since": "",
        "areas": [str(pk) for pk in PublicTaskArea.objects.filter(code__in=["15", "16"]).values_list("pk", flat=True)],
        "statutory_activity": "Edukacja kulturalna dzieci i młodzieży.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_registering_an_organisation_makes_the_person_its_admin(client_for, plain_user):
    response = client_for(plain_user).post(reverse("organisations:register"), _form())
    organisation = Organisation.objects.get(krs="0000030897")
    assert response.status_code == 302 and response.url == reverse("organisations:detail", args=[organisation.pk])
    assert organisation.nip == "7740001454"
    assert organisation.bank_account == "PL61109010140000071219812874"
    assert organisation.website == "https://zurawie.example.pl"
    assert sorted(organisation.areas.values_list("code", flat=True)) == ["15", "16"]
    assert Membership.objects.get(organisation=organisation).user == plain_user
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.ADMIN


def test_the_registration_is_audited_with_its_author(client_for, plain_user):
    client_for(plain_user).post(reverse("organisations:register"), _form())
    organisation = Organisation.objects.get(krs="0000030897")
    entry = LogEntry.objects.get_for_object(organisation).get(action=LogEntry.Action.CREATE)
    assert entry.actor == plain_user
    assert entry.changes_dict["name"][1] == "Fundacja Łódzkie Żurawie"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "7740001455", "Ten NIP ma błędną cyfrę kontrolną – sprawdź, czy nie ma literówki."),
        ("regon", "61018820", "REGON składa się z 9 lub 14 cyfr."),
        ("krs", "30897", "Numer KRS składa się z 10 cyfr (razem z zerami na początku), np. 0000123456."),
        ("krs", "", "Ta forma prawna jest wpisana do KRS – podaj numer KRS."),
        (
            "bank_account",
            "61 1090 1014 0000 0712 1981 2875",
            "Ten numer rachunku ma błędne cyfry kontrolne – sprawdź, czy nie ma literówki.",
        ),
        ("postal_code", "90001", "Kod pocztowy ma postać 00-000."),
    ],
)
def test_bad_input_gets_a_polish_message_on_its_field_and_keeps_the_rest(client_for, plain_user, field, value, message):
    response = client_for(plain_user).post(reverse("organisations:register"), _form(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert set(form.errors) == {field}
    assert 'value="Fundacja Łódzkie Żurawie"' in response.text
    assert 'value="biuro@zurawie.example.pl"' in response.text
    assert Organisation.objects.count() == 0


def test_opp_status_needs_its_date(client_for, plain_user):
    response = client_for(plain_user).post(reverse("organisations:register"), _form(is_opp="on"))
    assert response.context["form"].errors["opp_since"] == ["Podaj datę wpisu statusu OPP do KRS."]


def test_an_organisation_outside_krs_names_its_register_instead(client_for, plain_user):
    response = client_for(plain_user).post(
        reverse("organisations:register"), _form(legal_form="ordinary_association", krs="")
    )
    assert response.context["form"].errors["other_register"] == [
        "Podaj numer KRS albo nazwę i numer innej ewidencji, w której jest organizacja."
    ]
    response = client_for(plain_user).post(
        reverse("organisations:register"),
        _form(legal_form="ordinary_association", krs="", other_register="ewidencja Starosty nr 12"),
    )
    assert response.status_code == 302


def test_the_same_krs_or_nip_cannot_be_registered_twice_and_the_message_says_whom_to_ask(client_for, plain_user):
    OrganisationFactory(name="Fundacja WOŚP", krs="0000030897", nip="5261040828")
    response = client_for(plain_user).post(reverse("organisations:register"), _form(nip="526-104-08-28"))
    errors = response.context["form"].errors
    assert "jest już zarejestrowana w portalu jako „Fundacja WOŚP”" in errors["krs"][0]
    assert "Poproś jej administratora o zaproszenie" in errors["krs"][0]
    assert "ngo@urzad.example.pl" in errors["nip"][0]
    assert Organisation.objects.count() == 1


def test_a_lost_race_on_the_krs_still_gives_the_polish_message(plain_user, monkeypatch):
    """Two people registering the same organisation at once: the database constraint decides."""
    from django.core.exceptions import ValidationError

    from organisations import services

    OrganisationFactory(name="Fundacja WOŚP", krs="0000030897")
    # Simulate the check passing because the other request had not committed yet.
    monkeypatch.setattr(services, "duplicate_registration_errors", lambda **kwargs: {})
    data = _form()
    areas = data.pop("areas")
    data = {k: v for k, v in data.items() if k not in {"opp_since"}}
    data.update(nip="7740001454", bank_account="PL61109010140000071219812874", website="https://z.example.pl")
    with pytest.raises(ValidationError):
        services.organisation_register(actor=plain_user, data=data, areas=areas)
    assert Organisation.objects.filter(krs="0000030897").count() == 1


def test_editing_keeps_verification_unless_krs_or_nip_change(client_for, ngo_admin, organisation, staff_user):
    from organisations.services import organisation_verify

    organisation_verify(organisation=organisation, actor=staff_user)
    client = client_for(ngo_admin)
    same = {"krs": organisation.krs, "nip": organisation.nip, "bank_account": organisation.bank_account}
    form = _form(name="Nowa nazwa", **same)
    assert client.post(reverse("organisations:edit", args=[organisation.pk]), form).status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Nowa nazwa" and organisation.verified_at is not None
    client.post(reverse("organisations:edit", args=[organisation.pk]), _form(**same | {"krs": "0000999999"}))
    organisation.refresh_from_db()
    assert organisation.krs == "0000999999" and organisation.verified_at is None


def test_staff_verification_is_recorded_with_who_and_when(client_for, staff_user, organisation, authority):
    organisation.city = authority.city  # in the staff's authority's area (see test_staff_scope)
    organisation.save()
    response = client_for(staff_user).post(
        reverse("organisations:verify", args=[organisation.pk]), {"action": "decide", "decision": "verify"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified_by == staff_user and organisation.verified_at is not None
    entry = LogEntry.objects.get_for_object(organisation).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == staff_user
    assert "verified_at" in entry.changes_dict


def test_a_rejection_needs_a_note_and_tells_the_admins(
    client_for, staff_user, organisation, authority, ngo_admin, django_capture_on_commit_callbacks
):
    from django.core import mail

    organisation.city = authority.city  # in the staff's authority's area (see test_staff_scope)
    organisation.save()
    url = reverse("organisations:verify", args=[organisation.pk])
    client = client_for(staff_user)
    response = client.post(url, {"action": "decide", "decision": "reject", "note": "  "})
    assert response.status_code == 200 and "Napisz, co się nie zgadza" in response.text
    organisation.refresh_from_db()
    assert organisation.rejected_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "decide", "decision": "reject", "note": "Nazwa różni się od KRS."})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.is_rejected and organisation.verification_note == "Nazwa różni się od KRS."
    assert [m.to for m in mail.outbox if "nie potwierdził" in m.subject] == [[ngo_admin.email]]
    entry = LogEntry.objects.get_for_object(organisation).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == staff_user and "verification_note" in entry.changes_dict
    # The directory marks it as not verified.
    assert "niezweryfikowana" in client_for(None).get(reverse("organisations:detail", args=[organisation.pk])).text
