"""One correction page (korekta) for every kind of frozen publication: reason, confirmation, version N+1; earlier
versions stay reachable and the public page shows the change register. Only staff of the document's authority who
may publish it reach the page (deciders for call results and the protocol)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation
from grants.models import OpenCall
from reports.models import AnnualReport, Publication
from reports.publications import publication_publish
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.consultations.factories import make_consultation
from tests.grants.commission_factories import make_commission, review_call
from tests.helpers import squash
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

K = Publication.Kind
REASON = "Poprawiono omyłkę pisarską w tabeli 2 (zakres zmian: kwota w wierszu 3)."


def _annual(authority):
    programme = ProgrammeFactory(authority=authority, public=True)
    report = AnnualReport.objects.create(programme=programme, conclusions="Wnioski.")
    return report, reverse("reports:annual", args=[programme.pk])


def _programme(authority):
    programme = ProgrammeFactory(authority=authority, public=True)
    return programme, reverse("programmes:detail", args=[programme.pk])


def _consultation(authority):
    consultation = make_consultation(authority)
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.REPORTED)
    return consultation, reverse("consultations:report", args=[consultation.pk])


def _results(authority):
    call = review_call(offers=1, programme__authority=authority)
    OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.DECIDED, results_published_at=timezone.now())
    return call, reverse("grants:call-detail", args=[call.pk])


def _protocol(authority):
    call = review_call(offers=1, programme__authority=authority)
    commission, _ = make_commission(call)
    return commission, reverse("grants:commission-protocol", args=[call.pk])


KINDS = {
    K.ANNUAL_REPORT: (_annual, False),
    K.PROGRAMME: (_programme, False),
    K.CONSULTATION_REPORT: (_consultation, False),
    K.CALL_RESULTS: (_results, True),
    K.PROTOCOL: (_protocol, True),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_correction_of_every_kind_is_confirmed_then_makes_the_next_version(kind, authority, client_for):
    build, deciders_only = KINDS[kind]
    document, public_url = build(authority)
    publisher = AuthorityStaffFactory(authority=authority, can_decide=True, user__first_name="Piotr").user
    first = publication_publish(actor=publisher, document=document)
    corrector = AuthorityStaffFactory(authority=authority, can_decide=deciders_only, user__first_name="Kora").user
    staff = client_for(corrector)
    url = reverse("reports:publication-correct", args=[first.pk])

    page = staff.get(url)
    assert page.status_code == 200
    assert "Powód korekty i zakres zmian" in page.text and "Rejestr zmian dokumentu" in page.text
    # Without a reason: the error on the field, nothing published.
    refused = staff.post(url, {"reason": "  "})
    assert refused.status_code == 200 and "To pole jest wymagane." in refused.text
    # With a reason: first the confirmation, saying what will happen; still nothing published.
    confirmation = squash(staff.post(url, {"reason": REASON}).text)
    assert "Co się stanie po potwierdzeniu" in confirmation
    assert "wersja 2 (korekta)" in confirmation and "Wersja 1 z" in confirmation
    assert REASON in confirmation and "Potwierdzam: opublikuj wersję 2 (korektę)" in confirmation
    assert Publication.objects.filter(kind=kind, object_id=document.pk).count() == 1
    # Back to the form: what was typed is still there, nothing published.
    back = staff.post(url, {"reason": REASON, "potwierdzenie": "0"})
    assert back.status_code == 200 and "Poprawiono omyłkę pisarską" in back.text
    assert Publication.objects.filter(kind=kind, object_id=document.pk).count() == 1

    done = staff.post(url, {"reason": REASON, "potwierdzenie": "1"})
    assert done.status_code == 302
    second = Publication.objects.current(kind, document.pk)
    assert (second.version, second.reason, second.published_by) == (2, REASON, corrector)
    assert first.read_pdf() and Publication.objects.get(pk=first.pk).version == 1
    # The earlier version stays reachable, marked as not in force; the change register lists both.
    viewer = client_for(corrector if kind == K.PROTOCOL else None)
    old = squash(viewer.get(reverse("reports:publication", args=[first.pk])).text)
    assert "To nie jest wersja obowiązująca" in old
    assert viewer.get(reverse("reports:publication-pdf", args=[first.pk])).content == first.read_pdf()
    register = squash(viewer.get(public_url).text)
    assert "Rejestr zmian dokumentu" in register and REASON in register
    assert "Pierwsza publikacja" in register
    # A correction of a correction: the page of any version corrects the version in force.
    client_for(corrector).post(url, {"reason": "Druga korekta.", "potwierdzenie": "1"})
    assert Publication.objects.current(kind, document.pk).version == 3


@pytest.mark.parametrize("kind", list(KINDS))
def test_only_staff_of_the_authority_who_may_publish_reach_the_correction(kind, authority, client_for, ngo_admin):
    build, deciders_only = KINDS[kind]
    document, _ = build(authority)
    decider = AuthorityStaffFactory(authority=authority, can_decide=True).user
    first = publication_publish(actor=decider, document=document)
    url = reverse("reports:publication-correct", args=[first.pk])
    foreign = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Obca", slug="obca"), can_decide=True).user
    clerk = AuthorityStaffFactory(authority=authority, can_decide=False).user
    assert client_for(None).get(url).status_code == 302  # to the sign-in page
    assert client_for(ngo_admin).get(url).status_code == 403
    assert client_for(foreign).get(url).status_code == 404
    assert client_for(foreign).post(url, {"reason": "X", "potwierdzenie": "1"}).status_code == 404
    assert client_for(clerk).get(url).status_code == (404 if deciders_only else 200)
    assert client_for(decider).get(url).status_code == 200
    assert Publication.objects.filter(kind=kind, object_id=document.pk).count() == 1


def test_the_staff_pages_link_to_the_correction(authority, client_for):
    decider = AuthorityStaffFactory(authority=authority, can_decide=True).user
    staff = client_for(decider)
    programme, _ = _programme(authority)
    first = publication_publish(actor=decider, document=programme)
    correct = reverse("reports:publication-correct", args=[first.pk])
    assert correct in staff.get(reverse("programmes:staff-detail", args=[programme.pk])).text
    consultation, _ = _consultation(authority)
    first = publication_publish(actor=decider, document=consultation)
    correct = reverse("reports:publication-correct", args=[first.pk])
    assert correct in staff.get(reverse("consultations:staff-detail", args=[consultation.pk])).text
    commission, protocol_url = _protocol(authority)
    first = publication_publish(actor=decider, document=commission)
    assert reverse("reports:publication-correct", args=[first.pk]) in staff.get(protocol_url).text
    report, annual_url = _annual(authority)
    first = publication_publish(actor=decider, document=report)
    correct = reverse("reports:publication-correct", args=[first.pk])
    assert correct in staff.get(annual_url + "?wersja=robocza").text and correct in staff.get(annual_url).text
    assert correct not in client_for(None).get(annual_url).text
    staff = client_for(decider)
    # The year-end report's publish page sends a correction to the same page.
    publish = reverse("reports:annual-publish", args=[report.programme_id])
    assert staff.get(publish)["Location"] == correct
