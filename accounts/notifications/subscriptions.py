"""Subscriptions to new open calls and consultations, by area of public tasks (art. 4 ust. 1).

Double opt-in: a request from anyone leaves nothing in the database; it sends a signed link that carries the choice
(address, areas, kinds) and expires after ``CONFIRM_DAYS``. Following it saves the subscription. A signed-in person
whose address the portal has already confirmed subscribes that address at once. Every announcement carries a
one-link unsubscribe (a signed token that never expires, plus the ``List-Unsubscribe`` headers of RFC 8058).
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.lockout import normalise_email
from organisations.models import PublicTaskArea

from .models import Subscription, SubscriptionDelivery
from .services import email_on_commit, render_email

CONFIRM_SALT = "notifications.subscription.confirm"
UNSUBSCRIBE_SALT = "notifications.subscription.unsubscribe"
CONFIRM_DAYS = 7


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[unsubscribe_token(subscription)])


def _save(*, email: str, area_ids: list[int], calls: bool, consultations: bool, user=None) -> Subscription:
    subscription, _created = Subscription.objects.select_for_update().get_or_create(email=email)
    subscription.calls, subscription.consultations = calls, consultations
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    if user is not None:
        subscription.user = user
    subscription.save()
    subscription.areas.set(PublicTaskArea.objects.filter(pk__in=area_ids))
    return subscription


@transaction.atomic
def subscription_request(*, email: str, areas, calls: bool, consultations: bool, actor=None) -> Subscription | None:
    """Subscribe the signed-in person's confirmed address at once (returns it); any other address gets a
    confirmation link by e-mail and nothing is saved until it is followed (returns ``None``)."""
    email = normalise_email(email)
    if not (calls or consultations):
        raise ValidationError({"calls": "Zaznacz konkursy, konsultacje albo oba."})
    area_ids = sorted(area.pk for area in areas)
    if actor is not None and actor.is_authenticated and actor.email == email and actor.email_confirmed_at:
        return _save(email=email, area_ids=area_ids, calls=calls, consultations=consultations, user=actor)
    token = signing.dumps({"e": email, "a": area_ids, "c": calls, "k": consultations}, salt=CONFIRM_SALT, compress=True)
    context = {
        "url": settings.SITE_URL + reverse("notifications:subscription-confirm", args=[token]),
        "areas": PublicTaskArea.objects.filter(pk__in=area_ids),
        "calls": calls,
        "consultations": consultations,
        "days": CONFIRM_DAYS,
    }
    subject, body = render_email("notifications/email/subscription_confirm", context)
    email_on_commit(subject=subject, body=body, to=[email])
    return None


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 24 * 3600)
    except signing.SignatureExpired as error:
        raise ValidationError("Link potwierdzający wygasł. Zapisz się jeszcze raz.") from error
    except signing.BadSignature as error:
        raise ValidationError("Link potwierdzający jest nieprawidłowy.") from error
    return _save(email=data["e"], area_ids=data["a"], calls=data["c"], consultations=data["k"])


def subscription_from_unsubscribe_token(token: str) -> Subscription | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=data["s"], email=data["e"]).first()


@transaction.atomic
def subscription_cancel(*, subscription: Subscription) -> None:
    subscription.delete()


def _matching(kind: str, area_ids: set[int]):
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False, **{kind: True}).prefetch_related("areas")
    # No areas chosen means every area; an announcement without areas goes to every subscriber of its kind.
    return [
        s for s in subscriptions if not area_ids or not (chosen := {a.pk for a in s.areas.all()}) or chosen & area_ids
    ]


def _announce(*, kind: str, key: str, template: str, context: dict, area_ids: set[int]) -> int:
    sent = 0
    for subscription in _matching(kind, area_ids):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    SubscriptionDelivery.objects.create(subscription=subscription, key=key)
            except IntegrityError:  # already announced to this mailbox
                continue
            url = unsubscribe_url(subscription)
            subject, body = render_email(template, {**context, "unsubscribe_url": url})
            headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
            email_on_commit(subject=subject, body=body, to=[subscription.email], headers=headers)
            sent += 1
    return sent


@task()
def call_announced(call_id: int) -> int:
    """E-mail the subscribers of the call's areas that a new open call was announced (once per mailbox)."""
    from grants.models import OpenCall

    call = OpenCall.objects.select_related("authority").prefetch_related("task_areas").get(pk=call_id)
    return _announce(
        kind="calls",
        key=f"call:{call.pk}",
        template="notifications/email/new_call",
        context={"call": call, "site": settings.SITE_URL, "areas": list(call.task_areas.all())},
        area_ids={area.pk for area in call.task_areas.all()},
    )


@task()
def consultation_announced(consultation_id: int) -> int:
    """E-mail consultation subscribers that a consultation opened (consultations concern every area)."""
    from consultations.models import Consultation

    consultation = Consultation.objects.select_related("authority").get(pk=consultation_id)
    return _announce(
        kind="consultations",
        key=f"consultation:{consultation.pk}",
        template="notifications/email/new_consultation",
        context={"consultation": consultation, "site": settings.SITE_URL},
        area_ids=set(),
    )


def announce_on_commit(task_, pk: int) -> None:
    transaction.on_commit(lambda: task_.enqueue(pk))
