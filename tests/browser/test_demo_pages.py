"""Every page of the demo installation, as each role sees it, passes axe (and is screenshotted)."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from consultations.models import Consultation
from grants.models import OpenCall
from programmes.models import Programme
from tests.browser.conftest import log_in


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--scale", "small", verbosity=0)


def test_public_demo_pages(page, live_server, check_page, demo):
    programme = Programme.objects.get(year_from=2025)
    reported = Consultation.objects.get(status="reported")
    for path, name in [
        ("/", "40-demo-home"),
        ("/programy/", "41-demo-programmes"),
        (f"/programy/{programme.pk}/", "42-demo-programme-2025"),
        ("/konsultacje/", "43-demo-consultations"),
        (f"/konsultacje/{reported.pk}/", "44-demo-consultation"),
        (f"/konsultacje/{reported.pk}/sprawozdanie/", "45-demo-consultation-report"),
        ("/konkursy/", "46-demo-calls"),
        (f"/konkursy/{OpenCall.objects.get(number='OK/2027/1').pk}/", "47-demo-call-open"),
        ("/konkursy/?status=rozstrzygniete", "48-demo-calls-decided"),
    ]:
        page.goto(f"{live_server.url}{path}")
        check_page(page, name)


def test_staff_demo_pages(page, live_server, check_page, demo):
    log_in(page, live_server, "urzednik@portal.example.pl", DEMO_PASSWORD)
    programme = Programme.objects.get(year_from=2027)
    open_consultation = Consultation.objects.get(status="announced")
    review_call = OpenCall.objects.get(number="OK/2025/3")
    submitted = (
        review_call.offers.filter(status="submitted").first()
        or review_call.offers.exclude(current_version=None).first()
    )
    for path, name in [
        ("/konto/urzad/", "50-demo-staff-home"),
        ("/programy/urzad/", "51-demo-staff-programmes"),
        (f"/programy/urzad/{programme.pk}/", "52-demo-staff-programme"),
        (f"/programy/urzad/{programme.pk}/obszary/", "53-demo-priority-areas"),
        (f"/programy/urzad/{programme.pk}/wskazniki/", "54-demo-indicators"),
        (f"/programy/urzad/{programme.pk}/edycja/", "55-demo-programme-edit"),
        ("/programy/urzad/wspolpraca-pozafinansowa/", "56-demo-cooperation-log"),
        ("/konsultacje/urzad/", "57-demo-staff-consultations"),
        (f"/konsultacje/urzad/{open_consultation.pk}/", "58-demo-staff-consultation"),
        ("/konsultacje/urzad/nowe/", "59-demo-new-consultation"),
        ("/konkursy/urzad/", "62-demo-staff-calls"),
        (f"/konkursy/urzad/{review_call.pk}/", "63-demo-call-dashboard"),
        (f"/konkursy/urzad/oferty/{submitted.pk}/", "64-demo-offer-review"),
        ("/konkursy/urzad/nowy/", "65-demo-new-call"),
    ]:
        page.goto(f"{live_server.url}{path}")
        check_page(page, name)


def test_ngo_demo_pages(page, live_server, check_page, demo):
    log_in(page, live_server, "ngo.admin@portal.example.pl", DEMO_PASSWORD)
    open_consultation = Consultation.objects.get(status="announced")
    for path, name in [
        ("/konto/organizacja/", "60-demo-ngo-home"),
        (f"/konsultacje/{open_consultation.pk}/", "61-demo-ngo-consultation"),
    ]:
        page.goto(f"{live_server.url}{path}")
        check_page(page, name)
