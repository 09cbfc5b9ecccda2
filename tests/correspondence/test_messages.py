"""A thread per offer, agreement and report between the organisation and the office: both parties only,
attachments checked by content, read receipts, official requests with a deadline, the PDF for the file."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.notifications.models import Notification
from grants.correspondence.models import Message, MessageRead
from grants.models import OpenCall
from grants.services import offers as offer_services
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.helpers import assert_constant_queries, pdf_text

pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def offer(authority, organisation, ngo_admin):
    call = OpenCallFactory(programme__authority=authority)
    offer = complete_offer(call, organisation, ngo_admin)
    offer_services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    return offer


def thread_url(offer):
    return reverse("correspondence:thread", args=["oferta", offer.pk])


def test_the_ngo_asks_the_office_answers_with_an_official_request_and_the_ngo_sees_it(
    offer, client_for, ngo_admin, ngo_editor, staff_user
):
    url = thread_url(offer)
    response = client_for(ngo_admin).post(url, {"text": "Czy koszt transportu może być w kosztach?"})
    assert response.status_code == 302
    question = Message.objects.get()
    assert question.side == "organisation" and question.authority_id == offer.call.authority_id
    assert set(Notification.objects.filter(kind="message").values_list("recipient", flat=True)) == {staff_user.pk}

    deadline = timezone.localdate() + timedelta(days=7)
    office = client_for(staff_user)
    page = office.get(url).content.decode()
    assert "Czy koszt transportu" in page and "Wezwanie" in page  # the office's form offers the request
    assert MessageRead.objects.filter(message=question, user=staff_user).exists()  # read receipt
    office.post(
        url,
        {
            "text": "Tak. Proszę uzupełnić kalkulację kosztów.",
            "official_request": "on",
            "response_deadline": deadline.strftime("%d.%m.%Y"),
            "files": SimpleUploadedFile("wzor.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    request = Message.objects.get(side="office")
    assert request.official_request and request.response_deadline == deadline and request.attachments.count() == 1
    told = set(Notification.objects.filter(subject__startswith="Wezwanie").values_list("recipient", flat=True))
    assert told == {ngo_admin.pk, ngo_editor.pk}

    page = client_for(ngo_editor).get(url).content.decode()
    assert "Wezwanie urzędu" in page and deadline.strftime("%d.%m.%Y") in page and "czeka na odpowiedź" in page
    assert "Wezwanie" not in page.split("Nowa wiadomość")[1]  # the NGO's form cannot make a request
    # the office sees the read receipt of its request, and the NGO sees the office read the question
    assert staff_user.get_full_name() in page
    inbox = client_for(ngo_editor).get(reverse("correspondence:inbox")).content.decode()
    assert "Wezwania urzędu czekające na odpowiedź" in inbox
    client_for(ngo_editor).post(url, {"text": "Kalkulacja w załączeniu."})
    request.refresh_from_db()
    assert request.answered_at is not None


def test_only_the_parties_reach_the_thread_and_its_attachments(
    offer, client_for, ngo_admin, staff_user, other_ngo_admin, plain_user
):
    from grants.correspondence.services import message_send
    from grants.correspondence.threads import LOADERS

    message = message_send(
        thread=LOADERS["oferta"](offer.pk),
        actor=ngo_admin,
        side="organisation",
        text="Pytanie",
        files=[SimpleUploadedFile("a.pdf", PDF_BYTES)],
    )
    attachment = message.attachments.get()
    stranger_staff = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Obca", slug="obca")).user
    for user in (other_ngo_admin, plain_user, stranger_staff):
        client = client_for(user)
        assert client.get(thread_url(offer)).status_code == 404
        assert client.post(thread_url(offer), {"text": "Włamanie"}).status_code == 404
        assert client.get(reverse("correspondence:attachment", args=[attachment.pk])).status_code == 404
        assert client.get(reverse("correspondence:thread-pdf", args=["oferta", offer.pk])).status_code == 404
    assert client_for(None).get(thread_url(offer)).status_code == 302  # to the login
    assert Message.objects.count() == 1
    response = client_for(staff_user).get(reverse("correspondence:attachment", args=[attachment.pk]))
    assert response.status_code == 200, response.content.decode()[:3000]


def test_a_draft_never_submitted_has_no_thread(authority, organisation, ngo_admin, client_for, staff_user):
    draft = complete_offer(OpenCallFactory(programme__authority=authority), organisation, ngo_admin)
    assert client_for(ngo_admin).get(thread_url(draft)).status_code == 404
    assert client_for(staff_user).get(thread_url(draft)).status_code == 404


def test_attachments_are_checked_by_content_and_nothing_is_saved_when_one_fails(offer, client_for, ngo_admin):
    response = client_for(ngo_admin).post(
        thread_url(offer),
        {
            "text": "Statut",
            "files": [
                SimpleUploadedFile("dobry.pdf", PDF_BYTES),
                SimpleUploadedFile("statut.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
            ],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "sprawdzamy zawartość pliku" in page and "Statut" in page
    assert not Message.objects.exists()


def test_an_official_request_needs_a_future_deadline_and_only_the_office_makes_one(offer, client_for, staff_user):
    response = client_for(staff_user).post(
        thread_url(offer),
        {
            "text": "Proszę o wyjaśnienia.",
            "official_request": "on",
            "response_deadline": timezone.localdate().strftime("%d.%m.%Y"),
        },
    )
    assert "po dniu dzisiejszym" in response.content.decode() and not Message.objects.exists()


def test_agreement_and_report_threads(organisation, ngo_admin, authority, staff_user, client_for):
    from grants.services import grant_reports

    agreement = make_agreement(organisation=organisation, authority=authority)
    report = grant_reports.report_start(agreement=agreement, actor=ngo_admin)
    for kind, pk in (("umowa", agreement.pk), ("sprawozdanie", report.pk)):
        url = reverse("correspondence:thread", args=[kind, pk])
        assert client_for(staff_user).post(url, {"text": f"Pytanie urzędu ({kind})"}).status_code == 302
        assert f"Pytanie urzędu ({kind})" in client_for(ngo_admin).get(url).content.decode()
    assert Message.objects.filter(agreement=agreement).count() == 1
    assert Message.objects.filter(grant_report=report).count() == 1


def test_the_thread_pdf_holds_every_message(offer, client_for, ngo_admin, staff_user):
    from grants.correspondence.services import message_send
    from grants.correspondence.threads import LOADERS

    thread = LOADERS["oferta"](offer.pk)
    message_send(thread=thread, actor=ngo_admin, side="organisation", text="Pytanie o koszty transportu")
    message_send(
        thread=thread,
        actor=staff_user,
        side="office",
        text="Prosimy o kalkulację",
        official_request=True,
        response_deadline=timezone.localdate() + timedelta(days=5),
    )
    response = client_for(staff_user).get(reverse("correspondence:thread-pdf", args=["oferta", offer.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Pytanie o koszty transportu" in text and "Prosimy o kalkulację" in text and "Wezwanie" in text


def test_thread_and_inbox_queries_do_not_grow_with_messages(offer, client_for, ngo_admin, staff_user):
    from grants.correspondence.services import message_send
    from grants.correspondence.threads import LOADERS

    thread = LOADERS["oferta"](offer.pk)
    client = client_for(staff_user)

    def grow():
        for n in range(6):
            message_send(
                thread=thread,
                actor=ngo_admin,
                side="organisation",
                text=f"Pytanie {n}",
                files=[SimpleUploadedFile("a.pdf", PDF_BYTES)],
            )
            message_send(thread=thread, actor=staff_user, side="office", text=f"Odpowiedź {n}")

    message_send(thread=thread, actor=ngo_admin, side="organisation", text="Pierwsze")
    client.get(thread_url(offer))  # read receipts written on the first view are not what is measured
    assert_constant_queries(lambda: client.get(reverse("correspondence:inbox")), grow, budget=12)
    client.get(thread_url(offer))
    small = len(Message.objects.all())
    assert small == 13
    assert_constant_queries(
        lambda: client.get(thread_url(offer)), lambda: grow() or client.get(thread_url(offer)), budget=16
    )


def test_offer_pages_link_to_the_thread(offer, client_for, ngo_admin, staff_user):
    OpenCall.objects.filter(pk=offer.call_id).update(status=OpenCall.Status.FORMAL_REVIEW)
    assert (
        thread_url(offer) in client_for(ngo_admin).get(reverse("grants:offer-edit", args=[offer.pk])).content.decode()
    )
    page = client_for(staff_user).get(reverse("grants:offer-review", args=[offer.pk])).content.decode()
    assert thread_url(offer) in page


def test_home_summary_counts_unread_messages_and_open_requests(offer, rf, ngo_admin, staff_user):
    from grants.correspondence.selectors import home_correspondence
    from grants.correspondence.services import message_send
    from grants.correspondence.threads import LOADERS

    thread = LOADERS["oferta"](offer.pk)
    message_send(thread=thread, actor=ngo_admin, side="organisation", text="Pytanie")
    message_send(
        thread=thread,
        actor=staff_user,
        side="office",
        text="Wezwanie",
        official_request=True,
        response_deadline=timezone.localdate() + timedelta(days=3),
    )

    def summary(user):
        request = rf.get("/")
        request.user = user
        return home_correspondence(request)

    ngo, office = summary(ngo_admin), summary(staff_user)
    assert ngo["unread_messages"] == 1 and [m.text for m in ngo["open_requests"]] == ["Wezwanie"]
    assert office["unread_messages"] == 1 and office["open_requests"] == []


def test_messages_appear_in_the_cases_history(offer, client_for, ngo_admin, staff_user):
    from grants.correspondence.services import message_send
    from grants.correspondence.threads import LOADERS

    thread = LOADERS["oferta"](offer.pk)
    message_send(thread=thread, actor=ngo_admin, side="organisation", text="Pytanie o koszty transportu")
    message_send(
        thread=thread,
        actor=staff_user,
        side="office",
        text="Prosimy o kalkulację",
        official_request=True,
        response_deadline=timezone.localdate() + timedelta(days=5),
    )
    page = client_for(ngo_admin).get(reverse("grants:offer-history", args=[offer.pk])).content.decode()
    assert "Pytanie o koszty transportu" in page and "Prosimy o kalkulację" in page
    assert (timezone.localdate() + timedelta(days=5)).strftime("%d.%m.%Y") in page
