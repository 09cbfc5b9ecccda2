from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import OpenCall
from grants.selectors import same_type_tasks
from grants.services import calls as services
from grants.services import local_initiative
from tests.grants.factories import OpenCallFactory
from tests.helpers import assert_constant_queries, pdf_text, squash
from tests.programmes.factories import warsaw

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("deadline_day", "ok"), [(22, True), (21, False)])
def test_the_deadline_is_at_least_21_days_after_the_last_publication(deadline_day, ok):
    from datetime import date

    call = OpenCall(
        published_bip_on=date(2026, 12, 1),
        published_board_on=date(2026, 11, 30),
        published_website_on=date(2026, 11, 28),
        submission_deadline=warsaw(2026, 12, deadline_day, 0, 0, 0),
    )
    errors = services.deadline_errors(call)
    assert (errors == {}) is ok
    if not ok:
        assert errors["submission_deadline"] == (
            "Termin składania ofert musi przypadać co najmniej 21 dni po ostatnim ogłoszeniu (01.12.2026), "
            "czyli najwcześniej 22.12.2026."
        )


def test_the_call_form_refuses_a_short_deadline_on_the_field(client_for, authority, staff_user):
    call = OpenCallFactory(programme__authority=authority, status=OpenCall.Status.DRAFT)
    data = {
        "programme": call.programme_id,
        "number": "OK/2027/99",
        "title": "Zadanie",
        "task_description": "Opis",
        "task_areas": [a.pk for a in call.task_areas.all()],
        "mode": "support",
        "award_rules": "Zasady",
        "delivery_terms": "Warunki",
        "delivery_start": "2027-02-01",
        "delivery_end": "2027-12-15",
        "selection_procedure": "Tryb",
        "decision_date": "2027-01-31",
        "min_grant": "5000,00",
        "max_grant": "20 000,00",
        "min_own_contribution_pct": "10",
        "admin_cost_cap_pct": "10",
        "published_bip_on": "2026-12-01",
        "published_board_on": "2026-12-01",
        "published_website_on": "2026-12-01",
        "submission_deadline": "2026-12-21T23:59:59",
    }
    response = client_for(staff_user).post(reverse("grants:call-edit", args=[call.pk]), data)
    assert response.status_code == 200
    assert "najwcześniej 22.12.2026" in response.context["form"].errors["submission_deadline"][0]
    assert 'value="OK/2027/99"' in response.text
    data["submission_deadline"] = "2026-12-22T00:00:00"
    assert client_for(staff_user).post(reverse("grants:call-edit", args=[call.pk]), data).status_code == 302
    call.refresh_from_db()
    assert call.max_grant == Decimal("20000.00")


def test_a_call_cannot_take_more_than_is_left_on_its_budget_lines(staff_user):
    first = OpenCallFactory()  # takes 100 000 of the line's 357 000
    line = first.budget_allocations.get().budget_line
    second = OpenCallFactory(programme=first.programme, status=OpenCall.Status.DRAFT)
    second.budget_allocations.all().delete()
    with pytest.raises(ValidationError) as error:
        services.call_allocate(call=second, allocations={line.pk: Decimal("257000.01")}, actor=staff_user)
    assert "zostało 257\xa0000,00\xa0zł" in error.value.messages[0]
    services.call_allocate(call=second, allocations={line.pk: Decimal("257000.00")}, actor=staff_user)
    assert services.budget_line_remaining(line) == Decimal("0")
    # An annulled call gives its money back to the line.
    services.call_set_status(call=first, status=OpenCall.Status.ANNULLED, actor=staff_user, reason="Brak ofert")
    assert services.budget_line_remaining(line) == Decimal("100000.00")


def test_the_local_initiative_reserve_is_not_available_to_calls(authority, staff_user, client_for):
    """Line 357 000: another call takes 100 000 and 57 000 is kept for local initiative, so 200 000 is left."""
    first = OpenCallFactory(programme__authority=authority)
    line = first.budget_allocations.get().budget_line
    local_initiative.reserve_set(budget_line=line, amount=Decimal("57000.00"), actor=staff_user)
    assert services.budget_line_remaining(line) == Decimal("200000.00")
    second = OpenCallFactory(programme=first.programme, status=OpenCall.Status.DRAFT)
    second.budget_allocations.all().delete()
    # Through the page: one grosz over is refused on the form, with the reserve named.
    url = reverse("grants:call-budget", args=[second.pk])
    prefix = client_for(staff_user).get(url).context["formset"].prefix
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-budget_line": str(line.pk),
        f"{prefix}-0-amount": "200 000,01",
    }
    refused = client_for(staff_user).post(url, data)
    assert refused.status_code == 200
    assert (
        f"Na pozycji „{line.name}” zostało 200 000,00 zł (po odliczeniu rezerwy na inicjatywę lokalną: 57 000,00 zł) "
        "– konkurs nie może z niej pobrać 200 000,01 zł."
    ) in squash(refused.content.decode()).replace("\xa0", " ")
    assert not second.budget_allocations.exists()
    # The exact limit is accepted.
    assert client_for(staff_user).post(url, {**data, f"{prefix}-0-amount": "200 000,00"}).status_code == 302
    assert second.budget_allocations.get().amount == Decimal("200000.00")
    assert services.budget_line_remaining(line) == Decimal("0.00")
    # The other way round: the reserve cannot grow into what the calls draw (357 000 − 300 000 = 57 000).
    with pytest.raises(ValidationError) as error:
        local_initiative.reserve_set(budget_line=line, amount=Decimal("57000.01"), actor=staff_user)
    assert "zostało najwyżej 57\xa0000,00\xa0zł" in error.value.message_dict["amount"][0]
    local_initiative.reserve_set(budget_line=line, amount=Decimal("57000.00"), actor=staff_user)


def test_publishing_needs_allocations_criteria_and_the_21_days(staff_user):
    call = OpenCallFactory(status=OpenCall.Status.DRAFT)
    call.submission_deadline = timezone.now() + timedelta(days=10)
    call.save()
    with pytest.raises(ValidationError) as error:
        services.call_publish(call=call, actor=staff_user)
    assert "submission_deadline" in error.value.error_dict
    call.submission_deadline = timezone.now() + timedelta(days=30)
    call.save()
    services.call_publish(call=call, actor=staff_user)
    call.refresh_from_db()
    assert call.status == OpenCall.Status.PUBLISHED


def test_public_call_pages_list_detail_pdf_and_feed(client):
    call = OpenCallFactory(title="Upowszechnianie kultury fizycznej")
    draft = OpenCallFactory(status=OpenCall.Status.DRAFT, title="Ukryty projekt ogłoszenia")
    listing = client.get(reverse("grants:call-list")).text
    assert call.title in listing and draft.title not in listing
    assert client.get(reverse("grants:call-detail", args=[draft.pk])).status_code == 404
    detail = squash(client.get(reverse("grants:call-detail", args=[call.pk])).text)
    assert "100\xa0000,00\xa0zł" in detail and "Możliwość realizacji zadania – do 10 pkt" in detail
    text = pdf_text(client.get(reverse("grants:call-pdf", args=[call.pk])).content)
    assert f"OTWARTY KONKURS OFERT NR {call.number}" in text
    assert "Zadania tego samego rodzaju" in text
    feed = client.get(reverse("grants:call-feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert call.number in feed.text and draft.number not in feed.text


def test_same_type_tasks_of_this_and_last_year_come_from_the_portal(client):
    from datetime import date

    earlier = OpenCallFactory(
        delivery_start=date(2026, 2, 1),
        delivery_end=date(2026, 12, 1),
        number="OK/2026/7",
        status=OpenCall.Status.DECIDED,
    )
    call = OpenCallFactory(programme=earlier.programme)
    text = squash(client.get(reverse("grants:call-detail", args=[call.pk])).text)
    assert "OK/2026/7" in text and "(2026): 100\xa0000,00\xa0zł" in text


def test_same_type_tasks_count_from_the_year_of_the_announcement(client):
    """A call announced in 2026 for 2027 lists tasks carried out in 2026 and 2025 (art. 13 ust. 2 pkt 7)."""
    from datetime import date

    call = OpenCallFactory(number="OK/2027/5", published_bip_on=date(2026, 11, 20), delivery_start=date(2027, 2, 1))
    older = OpenCallFactory(
        programme=call.programme,
        number="OK/2025/4",
        delivery_start=date(2025, 2, 1),
        delivery_end=date(2025, 12, 1),
        status=OpenCall.Status.FINISHED,
    )
    sibling = OpenCallFactory(programme=call.programme, number="OK/2027/6")
    numbers = [other.number for other in same_type_tasks(call)]
    assert older.number in numbers and sibling.number not in numbers


def test_public_filters(client):
    from organisations.models import PublicTaskArea

    open_call = OpenCallFactory(title="Sport otwarty")
    closed = OpenCallFactory(title="Sport zamknięty", status=OpenCall.Status.SUBMISSION_CLOSED)
    culture = OpenCallFactory(title="Kultura otwarta")
    culture.task_areas.set(PublicTaskArea.objects.filter(code="16"))
    url = reverse("grants:call-list")

    def titles(**params):
        return sorted(c.title for c in client.get(url, params).context["page"].object_list)

    assert titles(status="otwarte") == sorted([open_call.title, culture.title])
    assert titles(status="zamkniete") == [closed.title]
    assert titles(area=PublicTaskArea.objects.get(code="16").pk) == [culture.title]


def test_public_call_pages_use_a_fixed_number_of_queries(client):
    call = OpenCallFactory()
    assert_constant_queries(
        lambda: client.get(reverse("grants:call-list")), lambda: [OpenCallFactory() for _ in range(5)], budget=4
    )
    assert_constant_queries(
        lambda: client.get(reverse("grants:call-detail", args=[call.pk])),
        lambda: [OpenCallFactory(programme=call.programme) for _ in range(3)],
        budget=8,
    )


def test_a_duplicate_call_number_is_a_form_error(client_for, authority, staff_user):
    existing = OpenCallFactory(programme__authority=authority, status=OpenCall.Status.DRAFT, number="OK/2027/5")
    client = client_for(staff_user)
    page = client.get(reverse("grants:call-edit", args=[existing.pk]))
    other = OpenCallFactory(programme=existing.programme, status=OpenCall.Status.DRAFT, number="OK/2027/6")
    data = {
        "programme": existing.programme_id,
        "number": "OK/2027/5",
        "title": "Inne zadanie",
        "task_description": "Opis",
        "task_areas": [a.pk for a in existing.task_areas.all()],
        "mode": "support",
        "award_rules": "Zasady",
        "delivery_terms": "Warunki",
        "delivery_start": "2027-02-01",
        "delivery_end": "2027-12-15",
    }
    assert page.status_code == 200
    response = client.post(reverse("grants:call-edit", args=[other.pk]), data)
    assert response.status_code == 200
    assert "Ten organ ma już konkurs o numerze OK/2027/5" in response.content.decode()
    other.refresh_from_db()
    assert other.number == "OK/2027/6"
