"""Demo correspondence (through the services): the demo NGO asks about its offer, the office answers with an
official request with a deadline. Idempotent: a case that already has messages is left alone."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from grants.models import Offer

from .models import Message
from .services import message_send
from .threads import LOADERS

NGO_ADMIN = "ngo.admin@portal.example.pl"
STAFF = "urzednik@portal.example.pl"


def seed_correspondence(authority) -> int:
    ngo = User.objects.filter(email=NGO_ADMIN).first()
    staff = User.objects.filter(email=STAFF).first()
    if ngo is None or staff is None:
        return 0
    offer = (
        Offer.objects.filter(
            organisation__memberships__user=ngo, call__authority=authority, current_version__isnull=False
        )
        .order_by("-pk")
        .first()
    )
    if offer is None or Message.objects.filter(offer=offer).exists():
        return 0
    thread = LOADERS["oferta"](offer.pk)
    message_send(
        thread=thread,
        actor=ngo,
        side="organisation",
        text="Dzień dobry, czy koszt wynajmu autokaru na wyjazdy z uczestnikami możemy ująć w kosztach transportu "
        "(pozycja V.A), czy trzeba go wykazać osobno?",
    )
    message_send(
        thread=thread,
        actor=staff,
        side="office",
        text="Dzień dobry, tak – w kosztach transportu. Prosimy o kalkulację kosztu autokaru na każdy wyjazd "
        "(liczba wyjazdów, trasa, koszt jednostkowy).",
        official_request=True,
        response_deadline=timezone.localdate() + timedelta(days=10),
    )
    return 2
