"""Call results and the commission's protocol are frozen when the results are announced; an upheld appeal publishes
the corrected results as version 2; the consultation report is frozen when it is published."""

from decimal import Decimal

import pytest
from django.urls import reverse

from consultations import services as consultation_services
from consultations.models import Consultation
from grants.models import Appeal, Commission, Offer
from grants.services import awards as award_services
from reports.models import Publication
from tests.consultations.factories import make_consultation
from tests.grants.award_factories import call_ready_for_decision, decide_and_publish
from tests.helpers import pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(authority, staff_user, decider):
    call, offers = call_ready_for_decision(authority, staff_user, offers=3, funds="25000.00")
    decide_and_publish(call, decider, [Decimal("10000"), Decimal("10000"), None])
    call.refresh_from_db()
    return call, offers


def test_results_and_protocol_are_frozen_when_announced(client_for, announced, staff_user):
    call, offers = announced
    results = Publication.objects.get(kind="call_results", object_id=call.pk)
    commission = Commission.objects.get(call=call)
    protocol = Publication.objects.get(kind="protocol", object_id=commission.pk)
    assert results.version == protocol.version == 1
    public = client_for(None)
    pdf = public.get(reverse("grants:results-pdf", args=[call.pk])).content
    assert pdf == results.read_pdf()
    # The data moves after the announcement (an offer withdrawn, an organisation renamed): the results do not.
    offers[0][0].organisation.__class__.objects.filter(pk=offers[0][0].organisation_id).update(name="Nowa nazwa")
    page = squash(public.get(reverse("grants:call-detail", args=[call.pk])).text)
    assert "Nowa nazwa" not in page and offers[0][0].organisation.name in page and "rejestr zmian" in page
    assert public.get(reverse("grants:results-pdf", args=[call.pk])).content == pdf
    staff = client_for(staff_user)
    protocol_page = squash(staff.get(reverse("grants:commission-protocol", args=[call.pk])).text)
    assert "Rejestr zmian dokumentu" in protocol_page and "Nowa nazwa" not in protocol_page
    assert staff.get(reverse("grants:commission-protocol-pdf", args=[call.pk])).content == protocol.read_pdf()
    # The protocol is not public: its versions are read by the office only.
    public = client_for(None)
    assert public.get(reverse("reports:publication", args=[protocol.pk])).status_code == 404
    assert public.get(reverse("reports:publication", args=[results.pk])).status_code == 200


def test_an_upheld_appeal_publishes_the_results_as_version_2(announced, decider):
    call, offers = announced
    call.programme.appeal_days = 7
    call.programme.save()
    refused, admin = offers[2]
    appeal = award_services.appeal_file(offer=refused, grounds="Ocena była krzywdząca.", actor=admin)
    award_services.appeal_decide(
        appeal=appeal, status=Appeal.Status.UPHELD, decision="Zasadne.", amount=Decimal("5000.00"), actor=decider
    )
    first, second = Publication.objects.of("call_results", call.pk)
    assert second.version == 2 and "Uwzględniono odwołanie" in second.reason
    assert "5 000,00 zł" in pdf_text(second.read_pdf()) and "5 000,00 zł" not in pdf_text(first.read_pdf())
    assert Offer.objects.get(pk=refused.pk).award.status == "granted"


def test_the_consultation_report_is_frozen_when_published(client, authority, staff_user):
    consultation = make_consultation(authority, status=Consultation.Status.CLOSED)
    consultation_services.consultation_publish_report(
        consultation=consultation, summary="Uwag nie zgłoszono.", actor=staff_user
    )
    publication = Publication.objects.get(kind="consultation_report", object_id=consultation.pk)
    Consultation.objects.filter(pk=consultation.pk).update(summary="Zmienione podsumowanie")
    page = squash(client.get(reverse("consultations:report", args=[consultation.pk])).text)
    assert "Uwag nie zgłoszono." in page and "Zmienione podsumowanie" not in page
    assert client.get(reverse("consultations:report-pdf", args=[consultation.pk])).content == publication.read_pdf()
