"""Copy from last year: a new call from an earlier one, the default criteria of art. 15 ust. 1, automatic numbers
of calls and agreements per authority and year (by the authority's pattern, never twice under a race)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.numbering import format_number, validate_number_pattern
from grants.models import Agreement, CallBudgetLine, Criterion, NumberSequence, OpenCall, RequiredAttachment
from grants.services import calls as call_services
from grants.services.numbering import number_next, number_preview
from programmes.models import Programme
from tests.accounts.factories import AuthorityFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.helpers import race
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget

pytestmark = pytest.mark.django_db
CREATE = reverse("grants:call-create")


def form_data(programme, **overrides) -> dict:
    data = {
        "programme": programme.pk,
        "number": "",
        "title": "Wypoczynek letni dzieci",
        "task_description": "Kolonie i półkolonie.",
        "task_areas": ["16"],
        "mode": "support",
        "award_rules": "Zasady",
        "delivery_terms": "Warunki",
        "delivery_start": "2027-06-01",
        "delivery_end": "2027-09-30",
        "selection_procedure": "Tryb",
        "decision_date": "2027-04-30",
        "min_grant": "1000,00",
        "max_grant": "20 000,00",
        "min_own_contribution_pct": "10",
        "admin_cost_cap_pct": "10",
        "published_bip_on": "2027-03-01",
        "published_board_on": "2027-03-01",
        "published_website_on": "2027-03-01",
        "submission_deadline": "2027-03-25T15:00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def programme(authority):
    from organisations.models import PublicTaskArea

    assert PublicTaskArea.objects.filter(code="16").exists()
    programme = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
    add_budget(programme, [("Wypoczynek dzieci i młodzieży", "80000.00")])
    return programme


def _area_pk(code):
    from organisations.models import PublicTaskArea

    return PublicTaskArea.objects.get(code=code).pk


@pytest.mark.parametrize(
    ("pattern", "number"),
    [("OK/{rok}/{nr}", "OK/2027/7"), ("UM/{rok}/{nr:3}", "UM/2027/007"), ("{nr}/DOT/{rok}", "7/DOT/2027")],
)
def test_patterns_give_numbers(pattern, number):
    validate_number_pattern(pattern)
    assert format_number(pattern, year=2027, n=7) == number


@pytest.mark.parametrize("pattern", ["OK/{rok}", "OK/{nr}/{nr}", "OK/{rok}/{numer}", "OK/{rok/{nr}", "{nr:0}"])
def test_bad_patterns_are_refused_in_polish(pattern):
    with pytest.raises(ValidationError) as error:
        validate_number_pattern(pattern)
    assert "Wzór" in error.value.messages[0]


def test_a_new_call_takes_the_next_number_of_its_authority_and_year(client_for, staff_user, programme):
    client = client_for(staff_user)
    data = form_data(programme, task_areas=[_area_pk("16")])
    assert client.post(CREATE, data).status_code == 302
    assert client.post(CREATE, data).status_code == 302
    numbers = list(OpenCall.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == ["OK/2027/1", "OK/2027/2"]
    # A number typed by hand is kept, and the counter steps over it.
    assert client.post(CREATE, {**data, "number": "OK/2027/3"}).status_code == 302
    assert client.post(CREATE, data).status_code == 302
    assert OpenCall.objects.order_by("-pk").first().number == "OK/2027/4"
    # Another authority counts on its own.
    other = AuthorityFactory(name="Gmina Obca", slug="obca")
    assert number_next(authority=other, kind=NumberSequence.Kind.CALL, year=2027) == "OK/2027/1"


def test_a_duplicate_number_typed_by_hand_is_a_form_error_not_a_500(client_for, staff_user, programme):
    client = client_for(staff_user)
    data = form_data(programme, task_areas=[_area_pk("16")])
    client.post(CREATE, data)
    response = client.post(CREATE, {**data, "number": "OK/2027/1", "title": "Drugi"})
    assert response.status_code == 200
    assert "Ten organ ma już konkurs o numerze OK/2027/1" in response.context["form"].errors["number"][0]
    assert 'value="Drugi"' in response.text  # what was typed stays
    assert OpenCall.objects.count() == 1


def test_a_new_call_starts_from_the_default_criteria_of_art_15(client_for, staff_user, programme):
    client = client_for(staff_user)
    client.post(CREATE, form_data(programme, task_areas=[_area_pk("16")]))
    call = OpenCall.objects.get()
    assert list(call.criteria.values_list("dimension", flat=True)) == [1, 2, 3, 4, 5, 6]
    # Entrusting (powierzanie) has no own-funds criterion (art. 15 ust. 1 pkt 4 is for wspieranie).
    client.post(CREATE, form_data(programme, task_areas=[_area_pk("16")], mode="entrust"))
    entrusted = OpenCall.objects.get(mode="entrust")
    assert list(entrusted.criteria.values_list("dimension", flat=True)) == [1, 2, 3, 5, 6]
    # The office changes them, and can go back to the default set.
    call.criteria.all().delete()
    response = client.post(reverse("grants:call-criteria-default", args=[call.pk]), follow=True)
    assert "Wstawiono kryteria domyślne z art. 15 ust. 1" in response.text
    assert call.criteria.count() == 6
    assert call.criteria.get(dimension=2).name.startswith("Kalkulacja kosztów realizacji zadania")


def test_default_criteria_are_refused_once_the_call_is_announced(staff_user):
    call = OpenCallFactory(status=OpenCall.Status.PUBLISHED)
    with pytest.raises(ValidationError):
        call_services.call_criteria_reset(call=call, actor=staff_user)
    assert call.criteria.count() == 1


def test_a_new_call_copies_an_earlier_one_with_dates_cleared(client_for, staff_user, authority, programme):
    last_year = ProgrammeFactory(authority=authority, year_from=2026, status=Programme.Status.REPORTED)
    add_budget(last_year, [("Wypoczynek dzieci i młodzieży", "90000.00")])
    source = OpenCallFactory(
        programme=last_year,
        number="OK/2026/4",
        status=OpenCall.Status.FINISHED,
        title="Półkolonie 2026",
        max_grant=Decimal("15000.00"),
        delivery_start=date(2026, 6, 1),
        delivery_end=date(2026, 9, 30),
    )
    RequiredAttachment.objects.create(call=source, name="Statut")
    Criterion.objects.create(call=source, order=2, name="Kalkulacja", dimension=2, max_points=7)
    client = client_for(staff_user)
    page = client.get(CREATE, {"z": source.pk})
    form = page.context["form"]
    assert form["title"].value() == "Półkolonie 2026" and form["max_grant"].value() == Decimal("15000.00")
    assert form["delivery_start"].value() is None and form["submission_deadline"].value() is None
    assert form["number"].value() is None
    assert form["programme"].value() == programme.pk  # the newest programme, not last year's
    assert "Kopia ogłoszenia OK/2026/4" in page.text
    data = form_data(programme, task_areas=[_area_pk("16")], title="Półkolonie 2027", z=source.pk)
    response = client.post(CREATE, data)
    assert response.status_code == 302
    call = OpenCall.objects.get(title="Półkolonie 2027")
    assert call.number == "OK/2027/1" and call.status == OpenCall.Status.DRAFT
    assert list(call.criteria.values_list("name", "max_points")) == [
        ("Możliwość realizacji zadania", 10),
        ("Kalkulacja", 7),
    ]
    assert list(call.required_attachments.values_list("name", flat=True)) == ["Statut"]
    # The money comes from this year's line of the same name (100 000 zł then, at most what the line has now).
    (allocation,) = CallBudgetLine.objects.filter(call=call)
    assert allocation.budget_line.programme == programme and allocation.amount == Decimal("80000.00")
    # A call of another authority cannot be copied: the form starts empty.
    foreign = OpenCallFactory(number="OK/2026/9", programme__authority=AuthorityFactory(name="Gmina Obca", slug="obca"))
    assert client.get(CREATE, {"z": foreign.pk}).context["source"] is None


def test_agreements_are_numbered_by_the_authority_pattern(authority):
    authority.agreement_number_pattern = "{nr}/DOT/{rok}"
    authority.save()
    kind = NumberSequence.Kind.AGREEMENT
    assert number_preview(authority=authority, kind=kind, year=2025) == "1/DOT/2025"
    assert number_next(authority=authority, kind=kind, year=2025) == "1/DOT/2025"
    taken = make_agreement(organisation=OrganisationFactory(), authority=authority)
    Agreement.objects.filter(pk=taken.pk).update(number="2/DOT/2025")  # an older agreement numbered by hand
    assert number_next(authority=authority, kind=kind, year=2025) == "3/DOT/2025"
    assert number_next(authority=authority, kind=kind, year=2026) == "1/DOT/2026"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_calls_saved_at_once_get_different_numbers(staff_user, authority):
    from tests.helpers import ensure_task_areas

    ensure_task_areas()
    programme = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
    template = OpenCallFactory(programme=programme, number="WZOR", status=OpenCall.Status.DRAFT)

    def save():
        call = OpenCall(
            programme=programme,
            title="Równoległy",
            task_description="x",
            award_rules="x",
            delivery_terms="x",
            delivery_start=date(2027, 5, 1),
            delivery_end=date(2027, 6, 1),
            selection_procedure="x",
            decision_date=date(2027, 4, 1),
            max_grant=Decimal("1000"),
            submission_deadline=template.submission_deadline,
        )
        return call_services.call_save(call=call, task_areas=[], actor=staff_user).number

    results = race(save, save, save)
    assert sorted(results) == ["OK/2027/1", "OK/2027/2", "OK/2027/3"], results


def test_the_office_sets_its_patterns_on_the_numbering_page(client_for, staff_user, authority, programme):
    client = client_for(staff_user)
    url = reverse("programmes:numbering")
    page = client.get(url)
    assert "ogłoszenie <strong>OK/" in page.text
    prefix = f"a{authority.pk}"
    bad = {
        "authority": authority.pk,
        f"{prefix}-call_number_pattern": "KONKURS",
        f"{prefix}-agreement_number_pattern": "x",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "numer kolejny {nr}" in response.text and 'value="KONKURS"' in response.text
    good = {
        "authority": authority.pk,
        f"{prefix}-call_number_pattern": "KO.524.{nr}.{rok}",
        f"{prefix}-agreement_number_pattern": "UM/{rok}/{nr:3}",
    }
    assert client.post(url, good).status_code == 302
    client.post(CREATE, form_data(programme, task_areas=[_area_pk("16")]))
    assert OpenCall.objects.get().number == "KO.524.1.2027"
