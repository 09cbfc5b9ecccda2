"""Subscriptions to new calls and consultations by area: double opt-in, one e-mail per announcement, one-link
unsubscribe."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.notifications.models import Subscription
from accounts.notifications.subscriptions import call_announced, consultation_announced, subscription_request
from grants.models import OpenCall
from grants.services.calls import call_publish
from organisations.models import PublicTaskArea
from tests.grants.factories import OpenCallFactory

pytestmark = pytest.mark.django_db


def link_in(body: str, word: str) -> str:
    return re.search(rf"https?://\S+/{word}/\S+/", body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_anyone_subscribes_only_after_confirming_the_link(client, committed):
    area = PublicTaskArea.objects.get(code="17")
    mail.outbox.clear()
    with committed():
        response = client.post(
            reverse("notifications:subscribe"),
            {"email": "Ktos@Example.pl", "calls": "on", "areas": [area.pk]},
        )
    assert response.status_code == 302 and response["Location"] == reverse("notifications:subscribe-sent")
    assert not Subscription.objects.exists()  # nothing kept until the mailbox confirms
    [message] = mail.outbox
    assert message.to == ["ktos@example.pl"] and "Potwierdź" in message.subject
    confirm = path_of(link_in(message.body, "potwierdz"))
    assert (
        client.get(confirm).status_code == 200 and not Subscription.objects.exists()
    )  # a link preview confirms nothing
    client.post(confirm)
    subscription = Subscription.objects.get()
    assert subscription.email == "ktos@example.pl" and subscription.confirmed_at is not None
    assert subscription.calls and not subscription.consultations
    assert list(subscription.areas.all()) == [area]


def test_a_forged_or_expired_link_confirms_nothing(client):
    response = client.post(reverse("notifications:subscription-confirm", args=["nie-podpisany"]))
    assert response.status_code == 400 and not Subscription.objects.exists()


def test_a_signed_in_person_with_a_confirmed_address_is_subscribed_at_once(client_for, ngo_admin, organisation):
    organisation.areas.set(PublicTaskArea.objects.filter(code__in=["17", "32"]))
    client = client_for(ngo_admin)
    page = client.get(reverse("notifications:subscribe")).content.decode()
    assert "checked" in page  # the organisation's areas are offered
    area = PublicTaskArea.objects.get(code="17")
    client.post(reverse("notifications:subscribe"), {"email": ngo_admin.email, "calls": "on", "areas": [area.pk]})
    subscription = Subscription.objects.get(email=ngo_admin.email)
    assert subscription.confirmed_at and subscription.user == ngo_admin


def test_a_new_call_reaches_subscribers_of_its_areas_once_with_an_unsubscribe_link(client, committed, staff_user):
    sport = PublicTaskArea.objects.get(code="17")
    culture = PublicTaskArea.objects.get(code="16")
    subscription_request(email="sport@example.pl", areas=[sport], calls=True, consultations=False, actor=None)
    for email, areas, calls in [
        ("sport@example.pl", [sport], True),
        ("kultura@example.pl", [culture], True),
        ("wszystko@example.pl", [], True),
        ("konsultacje@example.pl", [], False),
    ]:
        subscription = Subscription.objects.create(email=email, calls=calls, consultations=True)
        subscription.confirmed_at = subscription.created_at
        subscription.save()
        subscription.areas.set(areas)
    Subscription.objects.create(email="niepotwierdzony@example.pl")  # never confirmed: gets nothing
    call = OpenCallFactory(status=OpenCall.Status.DRAFT)  # areas 17 and 15
    mail.outbox.clear()
    with committed():
        call_publish(call=call, actor=staff_user)
    assert sorted(m.to[0] for m in mail.outbox) == ["sport@example.pl", "wszystko@example.pl"]
    message = next(m for m in mail.outbox if m.to == ["sport@example.pl"])
    assert (
        call.number in message.subject
        and message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    mail.outbox.clear()
    with committed():
        call_announced.enqueue(call.pk)  # run again: nobody hears twice
    assert mail.outbox == []
    unsubscribe = path_of(link_in(message.body, "wypisz"))
    assert "sport@example.pl" in client.get(unsubscribe).content.decode()
    assert client.post(unsubscribe).status_code == 200
    assert not Subscription.objects.filter(email="sport@example.pl").exists()
    assert "nie jest zapisany" in client.get(unsubscribe).content.decode()


def test_a_consultation_reaches_consultation_subscribers(committed, authority):
    from tests.consultations.factories import make_consultation

    yes = Subscription.objects.create(email="k@example.pl", calls=False, consultations=True)
    Subscription.objects.filter(pk=yes.pk).update(confirmed_at=yes.created_at)
    no = Subscription.objects.create(email="c@example.pl", calls=True, consultations=False)
    Subscription.objects.filter(pk=no.pk).update(confirmed_at=no.created_at)
    consultation = make_consultation(authority)
    mail.outbox.clear()
    with committed():
        consultation_announced.enqueue(consultation.pk)
    assert [m.to for m in mail.outbox] == [["k@example.pl"]]


def test_a_forged_unsubscribe_token_removes_nothing(client):
    subscription = Subscription.objects.create(email="x@example.pl")
    client.post(reverse("notifications:unsubscribe", args=["abc:def"]))
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_subscription_form_is_rate_limited_per_mailbox(client, committed, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "subscription-target": (2, 3600)}
    mail.outbox.clear()
    with committed():
        for _ in range(3):
            response = client.post(reverse("notifications:subscribe"), {"email": "cel@example.pl", "calls": "on"})
    assert len(mail.outbox) == 2 and "wiele zgłoszeń" in response.content.decode()
