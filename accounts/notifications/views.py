from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.ratelimit import TOO_MANY, limit_reached
from config.forms import apply_validation_error
from organisations.models import PublicTaskArea

from . import services
from .forms import PreferencesForm, SubscriptionForm
from .models import Notification, Subscription
from .subscriptions import (
    CONFIRM_DAYS,
    subscription_cancel,
    subscription_confirm,
    subscription_from_unsubscribe_token,
    subscription_request,
)

PAGE_SIZE = 50


@login_required
def notification_list(request):
    """The person's own notifications, newest first, unread marked."""
    page = Paginator(Notification.objects.for_list(request.user), PAGE_SIZE).get_page(request.GET.get("strona"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk: int):
    """Follow a notification: it is marked read and leads to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    url = services.notification_open(notification=notification, actor=request.user)
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(url)
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request):
    marked = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, f"Oznaczono jako przeczytane: {marked}.")
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, initial={"email": request.user.notification_email})
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(actor=request.user, email=form.cleaned_data["email"])
        messages.success(request, "Zapisano ustawienia powiadomień.")
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form, "digest_hour": settings.NOTIFICATION_DIGEST_HOUR}
    )


def subscribe(request):
    """Anyone subscribes an address to new calls and consultations by area; confirmed by e-mail (double opt-in)
    unless it is the signed-in person's own confirmed address."""
    user = request.user if request.user.is_authenticated else None
    current = Subscription.objects.filter(email=user.email).prefetch_related("areas").first() if user else None
    initial = {"email": user.email} if user else {}
    if current:
        initial.update(calls=current.calls, consultations=current.consultations, areas=list(current.areas.all()))
    elif user:
        # An NGO member starts from the areas of their organisations.
        initial["areas"] = list(PublicTaskArea.objects.filter(organisations__memberships__user=user).distinct())
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect("notifications:subscribe-sent")
        if limit_reached(request, "subscription", extra_key=data["email"].lower()):
            form.add_error(None, TOO_MANY)
        else:
            try:
                saved = subscription_request(
                    email=data["email"],
                    areas=data["areas"],
                    calls=data["calls"],
                    consultations=data["consultations"],
                    actor=user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if saved is not None:
                    messages.success(request, "Zapisano: powiadomimy Cię o nowych ogłoszeniach.")
                    return redirect("notifications:subscribe")
                return redirect("notifications:subscribe-sent")
    return render(request, "notifications/subscribe.html", {"form": form, "current": current})


def subscribe_sent(request):
    return render(request, "notifications/subscribe_sent.html", {"days": CONFIRM_DAYS})


def subscription_confirm_view(request, token: str):
    if request.method == "POST":
        try:
            subscription = subscription_confirm(token=token)
        except ValidationError as error:
            return render(request, "notifications/subscription_confirm.html", {"error": error.messages[0]}, status=400)
        return render(request, "notifications/subscription_confirm.html", {"subscription": subscription, "done": True})
    return render(request, "notifications/subscription_confirm.html", {})


@csrf_exempt  # the signed token in the URL is the authority here; mail clients post RFC 8058 one-click without a form
def unsubscribe(request, token: str):
    """One link from every announcement: the page asks once; a mail client's one-click POST is answered at once."""
    subscription = subscription_from_unsubscribe_token(token)
    if request.method == "POST":
        if subscription is not None:
            subscription_cancel(subscription=subscription)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    if subscription is None:
        return render(request, "notifications/unsubscribe.html", {"gone": True})
    return render(request, "notifications/unsubscribe.html", {"subscription": subscription})
