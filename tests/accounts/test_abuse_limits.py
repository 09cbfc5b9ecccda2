"""Abuse limits that hold for every worker: a rate limit counted in the database on each anonymous form,
a request-size cap checked before the body is read, and attachment names that tell the truth."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.ratelimit import rate_limit_take
from grants.models import JustificationRequest, PublicComment
from grants.services import offers as offer_services
from grants.services import small_grants as small_grant_services
from programmes.models import Programme
from tests.accounts.factories import UserFactory
from tests.grants.award_factories import call_ready_for_decision, decide_and_publish
from tests.grants.test_small_grants import filed_small_grant
from tests.helpers import ensure_task_areas, race
from tests.programmes.factories import ProgrammeFactory, add_budget

HOUR = timedelta(hours=1)
COMMENT = {"name": "Jan Kowalski", "email": "jan@example.pl", "text": "Dobry pomysł.", "website": ""}


# --- the counter ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_counter_allows_the_limit_per_key_and_window(time_machine):
    time_machine.move_to("2026-06-15 10:00:00+02:00", tick=False)
    taken = [rate_limit_take(scope="t", key="10.0.0.1", limit=3, period=HOUR) for _ in range(5)]
    assert taken == [True, True, True, False, False]
    assert rate_limit_take(scope="t", key="10.0.0.2", limit=3, period=HOUR)
    assert rate_limit_take(scope="other", key="10.0.0.1", limit=3, period=HOUR)
    time_machine.move_to("2026-06-15 11:00:00+02:00", tick=False)
    assert rate_limit_take(scope="t", key="10.0.0.1", limit=3, period=HOUR)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_takes_of_a_limit_of_five_allow_exactly_five():
    results = race(*[(lambda: rate_limit_take(scope="race", key="1.2.3.4", limit=5, period=HOUR)) for _ in range(10)])
    assert sorted(results, key=str) == [False] * 5 + [True] * 5, results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_anonymous_comments_never_exceed_five_an_hour(authority, organisation, ngo_admin, staff_user):
    ensure_task_areas()
    offer = _published_small_grant(authority, organisation, ngo_admin, staff_user)
    url = reverse("grants:small-grant-public", args=[offer.public_id])
    results = race(*[(lambda: Client().post(url, COMMENT, REMOTE_ADDR="10.9.9.9").status_code) for _ in range(8)])
    assert sorted(results) == [302] * 5 + [429] * 3, results
    assert PublicComment.objects.filter(offer=offer).count() == 5


# --- the forms --------------------------------------------------------------------------------------------------


def _published_small_grant(authority, organisation, ngo_admin, staff_user):
    programme = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
    add_budget(programme, [("Kultura", "80000.00")])
    programme.small_grants_reserve = Decimal("20000.00")
    programme.save()
    offer = filed_small_grant(authority, organisation, ngo_admin, "5000")
    small_grant_services.small_grant_publish(offer=offer, actor=staff_user)
    return offer


@pytest.mark.django_db
def test_comment_limit_is_shared_by_every_worker_not_kept_in_one_process(
    authority, organisation, ngo_admin, staff_user
):
    offer = _published_small_grant(authority, organisation, ngo_admin, staff_user)
    url = reverse("grants:small-grant-public", args=[offer.public_id])
    statuses = []
    for _ in range(7):
        cache.clear()  # as if each request reached another worker with its own memory
        statuses.append(Client().post(url, COMMENT, REMOTE_ADDR="10.9.9.9").status_code)
    assert statuses == [302] * 5 + [429] * 2
    refused = Client().post(url, COMMENT, REMOTE_ADDR="10.9.9.9")
    assert "Z tego adresu wysłano już wiele zgłoszeń. Spróbuj ponownie za godzinę." in refused.text
    assert 'value="Jan Kowalski"' in refused.text  # what was typed stays
    assert PublicComment.objects.filter(offer=offer).count() == 5
    assert Client().post(url, COMMENT, REMOTE_ADDR="10.9.9.10").status_code == 302


@pytest.mark.django_db
def test_justification_requests_are_limited(authority, staff_user, decider):
    call, _ = call_ready_for_decision(authority, staff_user, offers=1, funds="25000.00")
    decide_and_publish(call, decider, [Decimal("10000")])
    url = reverse("grants:justification-request", args=[call.pk])
    form = {"name": "Jan Kowalski", "email": "ofiara@example.pl", "question": "Dlaczego?"}
    statuses = [Client().post(url, form, REMOTE_ADDR="10.8.8.8").status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert JustificationRequest.objects.filter(call=call).count() == 5


SIGN_UP = {
    "first_name": "Natalia",
    "last_name": "Wiśniewska",
    "password1": "Odra-nad-Kozlem-1",
    "password2": "Odra-nad-Kozlem-1",
    "privacy_accepted": "on",
}


@pytest.mark.django_db
def test_sign_up_is_limited_per_address_of_the_visitor():
    statuses = [
        Client().post(reverse("accounts:sign-up"), {**SIGN_UP, "email": f"osoba{n}@example.pl"}, REMOTE_ADDR="10.7.7.7")
        for n in range(12)
    ]
    assert [r.status_code for r in statuses] == [200] * 10 + [429] * 2
    assert User.objects.count() == 10


@pytest.mark.django_db
def test_password_reset_is_limited_per_visitor_and_per_mailbox(mailoutbox):
    UserFactory(email="jan@example.pl")
    url = reverse("accounts:password-reset")
    for n in range(4):
        Client().post(url, {"email": "jan@example.pl"}, REMOTE_ADDR=f"10.6.6.{n}")
    assert len(mailoutbox) == 3  # one mailbox gets at most three links an hour, whoever asks
    statuses = [
        Client().post(url, {"email": f"x{n}@example.pl"}, REMOTE_ADDR="10.5.5.5").status_code for n in range(12)
    ]
    assert statuses == [302] * 10 + [429] * 2


# --- request size -----------------------------------------------------------------------------------------------


class _Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


@pytest.mark.django_db
def test_an_oversized_request_is_refused_before_its_body_is_read(client, settings):
    response = client.generic(
        "POST",
        reverse("accounts:sign-up"),
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    assert "Przesłane dane są za duże" in response.content.decode()
    assert settings.MAX_REQUEST_BYTES < 200 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024


@pytest.mark.django_db
def test_a_request_within_the_cap_passes(client):
    assert client.post(reverse("accounts:sign-up"), {**SIGN_UP, "email": "a@example.pl"}).status_code == 200


# --- attachment names -------------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("statut.exe", PDF_BYTES, "statut.pdf"),
        ("skan.pdf", PNG_BYTES, "skan.png"),
        ("zdjęcie.JPEG.html", PNG_BYTES, "zdjęcie.JPEG.png"),
        ("bez-rozszerzenia", PDF_BYTES, "bez-rozszerzenia.pdf"),
        ("statut.PDF", PDF_BYTES, "statut.pdf"),
    ],
)
def test_the_stored_attachment_name_takes_its_extension_from_the_content(name, content, stored, authority):
    offer, member = _draft_offer()
    attachment = offer_services.attachment_add(offer=offer, actor=member, upload=SimpleUploadedFile(name, content))
    assert attachment.original_name == stored
    assert attachment.file.name.endswith(stored.rsplit(".", 1)[1])


def _draft_offer():
    from tests.grants.factories import OpenCallFactory, complete_offer
    from tests.organisations.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(areas=["17"])
    member = MembershipFactory(organisation=organisation).user
    return complete_offer(OpenCallFactory(), organisation, member), member
