"""Adoption of a programme: refused before the act when a rule is broken, warned once and recorded where the law
leaves the council free, frozen when recorded; one programme per authority and period."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, ConsultationComment
from grants.models import SmallGrantLimits
from programmes import rules, services
from programmes.models import Programme
from reports.models import Publication
from tests.consultations.factories import make_consultation
from tests.helpers import pdf_text, squash
from tests.programmes.factories import ProgrammeFactory, add_budget

pytestmark = pytest.mark.django_db

ON_TIME = date(2025, 11, 20)  # programmes below run from 2026: the deadline is 30.11.2025


def consulted(authority, **fields) -> Programme:
    """A programme whose consultation report is published: nothing stands in the way of adoption."""
    programme = ProgrammeFactory(authority=authority, status=Programme.Status.CONSULTED, **fields)
    add_budget(programme, [("Sport", "100000.00")])
    make_consultation(authority, programme=programme, status=Consultation.Status.REPORTED)
    return programme


def comment(consultation, organisation, user, decision="") -> ConsultationComment:
    return ConsultationComment.objects.create(
        consultation=consultation,
        provision=consultation.provisions.first(),
        organisation=organisation,
        author=user,
        proposed_wording="Nowe brzmienie",
        justification="Bo tak",
        status="submitted",
        submitted_at=consultation.starts_at,
        decision=decision,
        response="Uzasadnienie" if decision else "",
    )


def adopt(programme, actor, when=ON_TIME, **kwargs):
    return services.programme_adopt(
        programme=programme, resolution_number="XIX/95/2025", resolution_date=when, actor=actor, **kwargs
    )


def refusal(programme, actor, when=ON_TIME) -> str:
    with pytest.raises(ValidationError) as error:
        adopt(programme, actor, when)
    programme.refresh_from_db()
    assert programme.status != Programme.Status.ADOPTED and programme.resolution_number == ""
    assert not Publication.objects.filter(kind="programme", object_id=programme.pk).exists()
    return " ".join(error.value.messages)


def test_adoption_is_refused_without_a_consultation_report(authority, staff_user):
    programme = ProgrammeFactory(authority=authority, status=Programme.Status.IN_CONSULTATION)
    make_consultation(authority, programme=programme, status=Consultation.Status.CLOSED)
    assert "Brak opublikowanego sprawozdania z konsultacji" in refusal(programme, staff_user)


def test_adoption_is_refused_while_a_comment_has_no_position(authority, staff_user, organisation, ngo_admin):
    programme = consulted(authority)
    pending = comment(programme.consultations.get(), organisation, ngo_admin)
    assert "Uwagi z konsultacji bez stanowiska: 1." in refusal(programme, staff_user)
    pending.decision, pending.response = "accepted", "Uwzględniono."
    pending.save()
    adopt(programme, staff_user)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.ADOPTED and programme.adopted_by == staff_user


def test_adoption_is_refused_with_a_resolution_dated_in_the_future(authority, staff_user):
    programme = consulted(authority, year_from=2027)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert f"Data uchwały ({tomorrow:%d.%m.%Y}) jest w przyszłości" in refusal(programme, staff_user, tomorrow)


def test_adoption_is_refused_when_the_reserve_exceeds_the_programmes_own_cap(authority, staff_user):
    programme = consulted(authority, small_grants_reserve=Decimal("15000.00"), small_grants_cap_pct=Decimal("10"))
    message = refusal(programme, staff_user)
    assert "stanowią 15% planowanych środków programu – więcej niż 10% (limit ustalony w programie)" in message
    Programme.objects.filter(pk=programme.pk).update(small_grants_reserve=Decimal("10000.00"))
    adopt(programme, staff_user)  # exactly at the cap passes


def test_the_statutory_share_cap_binds_while_the_dated_limits_carry_one(authority, staff_user):
    programme = consulted(authority, small_grants_reserve=Decimal("25000.00"))
    assert "więcej niż 20% (limit ustawowy – art. 19a ust. 1, 6 i 7" in refusal(programme, staff_user)
    # From the day an amendment of the act drops the share cap, a dated row without it is entered; then only
    # the programme's own cap (if it sets one) limits the reserve, and the share stays an indicator.
    SmallGrantLimits.objects.create(valid_from=date(2026, 1, 1), max_share_pct=None, legal_basis="art. 19a (zmiana)")
    assert rules.binding_share_cap(programme) is None
    adopt(programme, staff_user)


def test_a_late_resolution_is_legal_but_needs_a_confirmation_that_is_recorded(authority, staff_user):
    programme = consulted(authority)
    late = date(2025, 12, 22)
    with pytest.raises(ValidationError) as error:
        adopt(programme, staff_user, late)
    assert "po terminie z art. 5a ust. 1 ustawy (30.11.2025)" in error.value.messages[0]
    adopt(programme, staff_user, late, confirm_warnings=True)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.ADOPTED
    assert programme.adopted_by == staff_user and programme.adopted_recorded_at is not None
    assert len(programme.adoption_confirmed_warnings) == 1 and "po terminie" in programme.adoption_confirmed_warnings[0]


def test_each_broken_rule_is_shown_on_the_form_and_nothing_typed_is_lost(client_for, authority, staff_user):
    programme = ProgrammeFactory(authority=authority, status=Programme.Status.CONSULTED, year_from=2027)
    url = reverse("programmes:adopt", args=[programme.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(staff_user).post(
        url, {"resolution_number": "XXI/1/2026", "resolution_date": tomorrow.isoformat()}
    )
    text = squash(response.text)
    assert response.status_code == 200
    assert "Nie można zapisać uchwalenia" in text and "Brak opublikowanego sprawozdania z konsultacji" in text
    assert "jest w przyszłości" in text and 'value="XXI/1/2026"' in text
    programme.refresh_from_db()
    assert programme.status == Programme.Status.CONSULTED


def test_adoption_through_the_pages_confirms_once_then_freezes_the_programme(client_for, authority, staff_user):
    programme = consulted(authority)
    client = client_for(staff_user)
    url = reverse("programmes:adopt", args=[programme.pk])
    typed = {"resolution_number": "XIX/95/2025", "resolution_date": "2025-12-22"}
    confirmation = squash(client.post(url, typed).text)
    assert confirmation.count("zapada po terminie z art. 5a ust. 1 ustawy (30.11.2025)") == 1
    assert "Potwierdź uchwalenie" in confirmation and "wersja 1" in confirmation
    programme.refresh_from_db()
    assert programme.status == Programme.Status.CONSULTED  # nothing happened before the confirmation

    unconfirmed = client.post(url, {**typed, "confirm": "1"})
    assert "Potwierdź uchwalenie mimo ostrzeżeń" in squash(unconfirmed.text)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.CONSULTED

    done = client.post(url, {**typed, "confirm": "1", "confirm_warnings": "on"}, follow=True)
    assert "Program uchwalony uchwałą nr XIX/95/2025" in squash(done.text)
    assert "po terminie" not in squash(done.text)  # the warning was shown once, before confirming
    publication = Publication.objects.get(kind="programme", object_id=programme.pk)
    assert publication.version == 1 and publication.published_by == staff_user

    # The adopted programme's public page and PDF are the frozen copy: a later budget change does not show.
    public_pdf = client.get(reverse("programmes:pdf", args=[programme.pk])).content
    programme.budget_lines.update(planned_amount=Decimal("999999.00"))
    page = squash(client.get(reverse("programmes:detail", args=[programme.pk])).text)
    assert "100\xa0000,00\xa0zł" in page and "999\xa0999,00" not in page
    assert "Rejestr zmian dokumentu" in page
    again = client.get(reverse("programmes:pdf", args=[programme.pk])).content
    assert again == public_pdf and "999 999,00" not in pdf_text(again)


def test_an_amendment_publishes_the_next_version_and_keeps_the_first(authority, staff_user):
    programme = consulted(authority)
    adopt(programme, staff_user)
    programme.budget_lines.update(planned_amount=Decimal("120000.00"))
    services.programme_amend(
        programme=programme,
        resolution_number="XX/1/26",
        resolution_date=date(2026, 3, 1),
        description="Zwiększenie środków na sport",
        actor=staff_user,
    )
    first, second = Publication.objects.of("programme", programme.pk)
    assert (first.version, second.version) == (1, 2)
    assert "Zmiana programu uchwałą nr XX/1/26 z dnia 01.03.2026" in second.reason
    assert "100 000,00 zł" in pdf_text(first.read_pdf()) and "120 000,00 zł" in pdf_text(second.read_pdf())


def test_one_programme_per_authority_and_period(client_for, authority, staff_user):
    existing = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.ADOPTED)
    response = client_for(staff_user).post(
        reverse("programmes:create"),
        {"title": "Drugi program na 2027", "year_from": "2027", "year_to": "2027", "small_grants_reserve": "0"},
    )
    assert response.status_code == 200
    assert "Jednostka ma już program na ten okres" in response.text and existing.title in response.text
    assert Programme.objects.filter(authority=authority, year_from=2027).count() == 1
    multi = client_for(staff_user).post(
        reverse("programmes:create"),
        {"title": "Program wieloletni", "year_from": "2026", "year_to": "2028", "small_grants_reserve": "0"},
    )
    assert "Jednostka ma już program na ten okres" in multi.text
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(authority=authority, title="Duplikat", year_from=2027, year_to=2027)
