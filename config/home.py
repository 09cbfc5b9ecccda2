"""What the public home page shows, like the front page of a BIP: open calls, consultations taking comments,
small-grant offers open for comments (art. 19a ust. 4) and the latest results. One query per list, each bounded."""

from django.utils import timezone

from consultations.models import Consultation
from grants.models import Offer, OpenCall

SHOWN = 6


def open_calls(now):
    return list(
        OpenCall.objects.open_for_submission(now)
        .select_related("authority")
        .with_funds()
        .order_by("submission_deadline", "number")[:SHOWN]
    )


def open_consultations(now):
    return list(
        Consultation.objects.filter(status=Consultation.Status.ANNOUNCED, starts_at__lte=now, ends_at__gte=now)
        .select_related("authority")
        .order_by("ends_at", "pk")[:SHOWN]
    )


def small_grants_open_for_comments(now):
    return list(
        Offer.objects.filter(
            kind=Offer.Kind.SMALL_GRANT, publication__published_at__lte=now, publication__comments_until__gte=now
        )
        .select_related("organisation", "publication", "current_version")
        .order_by("publication__comments_until", "pk")[:SHOWN]
    )


def latest_results(now):
    return list(
        OpenCall.objects.filter(results_published_at__isnull=False, results_published_at__lte=now)
        .select_related("authority")
        .order_by("-results_published_at", "number")[:SHOWN]
    )


def public_home(now=None) -> dict:
    now = now or timezone.now()
    return {
        "open_calls": open_calls(now),
        "open_consultations": open_consultations(now),
        "open_small_grants": small_grants_open_for_comments(now),
        "latest_results": latest_results(now),
    }
