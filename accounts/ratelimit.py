"""Rate limits on anonymous forms, counted in the database so that they hold across workers and under
parallel requests.

One row per (scope, key, window); taking a slot is a single conditional ``UPDATE … SET hits = hits + 1
WHERE hits < limit``, which PostgreSQL runs under the row's lock and re-checks after waiting for it, so ten
requests at once against a limit of five get exactly five slots. The first request of a window inserts the row;
a concurrent insert loses on the unique constraint and falls back to the update.
"""

from datetime import UTC, datetime, timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateLimitCounter

TOO_MANY = "Z tego adresu wysłano już wiele zgłoszeń. Spróbuj ponownie za godzinę."


def _window_start(now: datetime, period: timedelta) -> datetime:
    seconds = int(period.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=UTC)


def rate_limit_take(*, scope: str, key: str, limit: int, period: timedelta) -> bool:
    """Count one attempt of ``scope`` by ``key``; ``False`` when the window's ``limit`` is already used up."""
    window = _window_start(timezone.now(), period)
    rows = RateLimitCounter.objects.filter(scope=scope, key=key[:255], window_start=window)
    with transaction.atomic():
        if rows.filter(hits__lt=limit).update(hits=F("hits") + 1):
            return True
        if rows.exists():  # opened by a request that committed after our update looked: ask the row itself
            return bool(rows.filter(hits__lt=limit).update(hits=F("hits") + 1))
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(scope=scope, key=key[:255], window_start=window, hits=1)
        except IntegrityError:  # another request opened the window a moment ago
            return bool(rows.filter(hits__lt=limit).update(hits=F("hits") + 1))
        # Once per window: forget the windows that ended long ago.
        RateLimitCounter.objects.filter(scope=scope, window_start__lt=window - period).delete()
        return limit >= 1


def client_ip(request) -> str:
    """The visitor's address as the login lockout sees it (``AXES_IPWARE_PROXY_COUNT`` behind a proxy)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def limit_reached(request, scope: str, *, extra_key: str | None = None) -> bool:
    """Take a slot of ``settings.RATE_LIMITS[scope]`` for the visitor's address (and, when given, for
    ``extra_key`` too, e.g. the mailbox a reset link goes to); ``True`` when either is used up."""
    limit, seconds = settings.RATE_LIMITS[scope]
    period = timedelta(seconds=seconds)
    allowed = rate_limit_take(scope=scope, key=client_ip(request), limit=limit, period=period)
    if extra_key is not None:
        extra_limit, extra_seconds = settings.RATE_LIMITS[f"{scope}-target"]
        allowed = (
            rate_limit_take(
                scope=f"{scope}-target", key=extra_key, limit=extra_limit, period=timedelta(seconds=extra_seconds)
            )
            and allowed
        )
    return not allowed
