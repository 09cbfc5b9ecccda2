"""A heavy PDF is made in the background: the person sees a page that waits for it (htmx), axe-clean."""

from django.test import override_settings
from playwright.sync_api import expect

from programmes.models import Programme
from reports import rendering
from reports.models import RenderedPdf
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.programmes.factories import ProgrammeFactory


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_the_year_end_report_pdf_waits_for_the_worker(page, live_server, check_page):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    programme = ProgrammeFactory(authority=staff.staff_roles.get().authority, status=Programme.Status.IN_FORCE)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/sprawozdania/programy/{programme.pk}/sprawozdanie.pdf")
    expect(page.get_by_role("heading", name="Przygotowujemy PDF")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Duże dokumenty składamy w tle")
    check_page(page, "pdf_waiting_01_annual_report")
    # The worker lays it out; the page's next check gets the PDF's address back (HX-Redirect).
    with page.expect_response(lambda response: response.status == 204) as answer:
        rendering.rendered_pdf_make.call(RenderedPdf.objects.get().pk)
    assert answer.value.headers["hx-redirect"].endswith("/sprawozdanie.pdf")
