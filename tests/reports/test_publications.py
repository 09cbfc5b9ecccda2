"""Frozen publications: what was published stays as published; a correction is the next version, earlier ones stay
reachable; the change register names who prepared and who published, when and what changed."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import Agreement
from reports.annual import annual_report
from reports.models import AnnualReport, Publication
from reports.publications import publication_correct, publication_publish
from tests.accounts.factories import AuthorityStaffFactory
from tests.grants.agreement_factories import make_agreement
from tests.helpers import assert_constant_queries, pdf_text, squash
from tests.organisations.factories import OrganisationFactory
from tests.reports.fixtures import accepted_report, year_2025

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    """The 2025 year, its report written by one clerk and published by another."""
    programme = year_2025()
    writer = AuthorityStaffFactory(authority=programme.authority).user
    publisher = AuthorityStaffFactory(authority=programme.authority).user
    report = AnnualReport.objects.create(programme=programme, conclusions="Wnioski 2025.", updated_by=writer)
    publication = publication_publish(actor=publisher, document=report)
    return programme, report, publication, writer, publisher


def settle_one_more(programme) -> None:
    """One more NGO report accepted after publication: the live figures move by 10 000 zł."""
    call = programme.open_calls.get(number="OK/2025/1")
    agreement = make_agreement(organisation=OrganisationFactory(), call=call, status=Agreement.Status.PERFORMED)
    accepted_report(
        agreement,
        actuals=[("8000.00", "7000.00"), ("2250.00", "2000.00"), ("1000.00", "1000.00")],
        beneficiaries=5,
        volunteers=0,
    )


def test_a_published_reports_bytes_do_not_change_when_the_data_changes(client_for, published):
    programme, report, publication, writer, publisher = published
    public = client_for(None)
    page_before = public.get(reverse("reports:annual", args=[programme.pk])).text
    pdf_before = public.get(reverse("reports:annual-pdf", args=[programme.pk])).content
    assert hashlib.sha256(pdf_before).hexdigest() == publication.pdf_sha256
    settled_before = annual_report(programme)["funds_total"].settled

    settle_one_more(programme)

    settled_after = annual_report(programme)["funds_total"].settled
    assert settled_after != settled_before  # the live figures did move
    page_after = public.get(reverse("reports:annual", args=[programme.pk])).text
    pdf_after = public.get(reverse("reports:annual-pdf", args=[programme.pk])).content
    assert pdf_after == pdf_before
    assert page_after == page_before
    assert f"Opublikowano {timezone.localtime(publication.published_at):%d.%m.%Y}" in pdf_text(pdf_after)
    # Staff still see the live figures, marked as a working draft.
    staff = client_for(publisher)
    draft = squash(staff.get(reverse("reports:annual", args=[programme.pk]) + "?wersja=robocza").text)
    assert "Wersja robocza" in draft
    live_settled = f"{settled_after:,.2f}".replace(",", "\xa0").replace(".", ",")
    assert live_settled in draft and live_settled not in page_after
    draft_pdf = staff.get(reverse("reports:annual-pdf", args=[programme.pk]) + "?wersja=robocza").content
    assert "WERSJA ROBOCZA" in pdf_text(draft_pdf)


def test_a_correction_makes_version_2_and_keeps_version_1_reachable(client_for, published):
    programme, report, first, writer, publisher = published
    first_pdf = first.read_pdf()
    settle_one_more(programme)
    staff = client_for(publisher)
    response = staff.post(
        reverse("reports:publication-correct", args=[first.pk]),
        {"reason": "Uwzględniono sprawozdanie końcowe przyjęte po publikacji: zmiana tabeli 2.", "potwierdzenie": "1"},
    )
    assert response.status_code == 302
    second = Publication.objects.current(Publication.Kind.ANNUAL_REPORT, report.pk)
    assert second.version == 2 and second.pdf_sha256 != first.pdf_sha256

    public = client_for(None)
    page = squash(public.get(reverse("reports:annual", args=[programme.pk])).text)
    assert "wersja 2 (korekta)" in page
    assert "Uwzględniono sprawozdanie końcowe przyjęte po publikacji" in page  # the change register
    assert writer.get_full_name() in page and publisher.get_full_name() in page
    assert public.get(reverse("reports:annual-pdf", args=[programme.pk])).content == second.read_pdf()
    assert "wersja 2 (korekta)" in pdf_text(second.read_pdf())

    old = squash(public.get(reverse("reports:publication", args=[first.pk])).text)
    assert "To nie jest wersja obowiązująca" in old and "wersja 1" in old
    assert public.get(reverse("reports:publication-pdf", args=[first.pk])).content == first_pdf
    assert hashlib.sha256(first_pdf).hexdigest() == first.pdf_sha256


def test_a_correction_needs_a_reason_and_a_second_publication_is_refused(client_for, published):
    programme, report, first, writer, publisher = published
    with pytest.raises(ValidationError, match="już opublikowany"):
        publication_publish(actor=publisher, document=report)
    response = client_for(publisher).post(reverse("reports:publication-correct", args=[first.pk]), {"reason": "  "})
    assert response.status_code == 200 and "To pole jest wymagane." in response.text
    with pytest.raises(ValidationError):
        publication_correct(actor=publisher, document=report, reason=" ")
    assert Publication.objects.filter(kind="annual_report", object_id=report.pk).count() == 1


def test_the_frozen_page_reads_a_fixed_number_of_queries(client, published):
    programme, report, first, writer, publisher = published
    url = reverse("reports:annual", args=[programme.pk])

    def correct_twice():
        for n in range(2):
            publication_correct(actor=publisher, document=report, reason=f"Korekta {n}")

    assert_constant_queries(lambda: client.get(url), correct_twice, budget=8)
    assert_constant_queries(
        lambda: client.get(reverse("reports:publication", args=[first.pk])),
        lambda: publication_correct(actor=publisher, document=report, reason="Jeszcze jedna"),
        budget=4,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_corrections_at_the_same_moment_make_versions_2_and_3_never_two_version_2s():
    from tests.helpers import ensure_task_areas, race

    ensure_task_areas()
    programme = year_2025()
    publisher = AuthorityStaffFactory(authority=programme.authority).user
    report = AnnualReport.objects.create(programme=programme)
    publication_publish(actor=publisher, document=report)
    results = race(
        lambda: publication_correct(actor=publisher, document=report, reason="Korekta A"),
        lambda: publication_correct(actor=publisher, document=report, reason="Korekta B"),
    )
    assert all(isinstance(r, Publication) for r in results), results
    versions = sorted(p.version for p in Publication.objects.filter(kind="annual_report", object_id=report.pk))
    assert versions == [1, 2, 3]
    twice = race(
        lambda: publication_publish(actor=publisher, document=programme),
        lambda: publication_publish(actor=publisher, document=programme),
    )
    assert sorted(type(r).__name__ for r in twice) == ["Publication", "ValidationError"], twice
